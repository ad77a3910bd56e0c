/* sandbox_internal.h - what sandbox.c and sandbox_wire.c share, and what the
 * unit tests need to prove the confinement instead of assuming it.
 *
 * Not installed, and included by nothing but src/sandbox*.c and the tests:
 * every other module goes through sandbox.h. The binary carries no self-test
 * of its own; tests/unit/test-sandbox.c forks, calls sandbox_confine() itself
 * and checks what the confined child can still do.
 */
#ifndef NSGUARD_SANDBOX_INTERNAL_H
#define NSGUARD_SANDBOX_INTERNAL_H

#include <stddef.h>

#include "util.h"

/* AddressSanitizer's shadow memory needs terabytes of address space: built
 * with it, the child computes its memory limits but does not apply them (and
 * the tests do not expect them). */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

/* What the parse of input_len bytes of JSON may allocate beyond what the
 * child already uses: RLIMIT_AS and RLIMIT_DATA are set to that use plus this. */
size_t sandbox_memory_budget(size_t input_len);

/* The descriptor the confined child writes its result to, and the only one
 * the seccomp filter lets it write to. The filter is generated at build time
 * (sandbox_rules.h), so the number must be a constant: sandbox_confine()
 * moves the result pipe there with dup3(). That is safe because the child
 * never execs and uses no descriptor but this one: whatever it inherited at
 * this number is only its own copy in its own descriptor table (fork() without
 * CLONE_FILES), which the parent keeps open, untouched; and record locks are
 * not inherited across fork(), so closing the child's copy releases none of
 * the parent's. 3 is the first number after stdio, within any RLIMIT_NOFILE
 * that leaves room for the pipe at all. */
#define SANDBOX_RESULT_FD 3

/* What a process uses (fields 1 and 6 of /proc/self/statm, in bytes): read
 * by the parent just before fork(), it is what the child starts with, and the
 * child need not look it up in procfs itself (the first /proc/self lookup of
 * a new process costs ~8 us on these VMs; the parent's is shared with its
 * stat of /proc/self/exe). Without /proc, a fixed, generous 256 MiB. */
struct sandbox_usage {
	size_t size;
	size_t data;
};
void sandbox_usage_read(struct sandbox_usage *ret);

/* Confine the calling process, for good, for the parse of input_len bytes:
 * result_fd moved to SANDBOX_RESULT_FD (dup3, close-on-exec), memory limits
 * (use plus sandbox_memory_budget), every capability gone (bounding set too when
 * CAP_SETPCAP is held), no_new_privs, and a seccomp filter that kills the
 * process on any system call but memory management, write() to
 * SANDBOX_RESULT_FD and exit. Only for a forked child that will parse, write
 * its result to SANDBOX_RESULT_FD and _exit(). */
int sandbox_confine(int result_fd, size_t input_len, const struct sandbox_usage *use, struct nsg_err *err);

/* The BPF program sandbox_confine() loads (generated into sandbox_bpf.h at
 * build time), for the test that it is what libseccomp builds from the rules. */
struct sock_filter;
const struct sock_filter *sandbox_filter(size_t *ret_n);

/* The most bytes the parent accepts from a child given input_len bytes of
 * JSON (sandbox_wire.c, which knows how large an encoding can get). */
size_t sandbox_result_limit(size_t input_len);

#endif
