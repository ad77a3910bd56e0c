/* sandbox_rules.h - the parser child's system-call allow-list, in one place.
 *
 * Build-time only. tools/gen-sandbox-bpf builds the filter from this table
 * with libseccomp and writes the resulting BPF program into the generated
 * header sandbox_bpf.h, which sandbox.c loads with a single prctl(): at run
 * time nsguard neither links libseccomp nor compiles or probes anything.
 * tests/unit/test-sandbox builds the filter again from the same table and
 * checks that it is, instruction for instruction, the program nsguard loads.
 */
#ifndef NSGUARD_SANDBOX_RULES_H
#define NSGUARD_SANDBOX_RULES_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stddef.h>

#include "util.h"

/* The filter as sandbox_confine() needs it: the whole process is killed on
 * any system call outside the table (SCMP_ACT_KILL_PROCESS) and on any call
 * through another ABI (BADARCH: int 0x80, x32); write() only to
 * SANDBOX_RESULT_FD. Release *ret_ctx with seccomp_release(). */
int sandbox_rules_build(scmp_filter_ctx *ret_ctx, struct nsg_err *err);

/* The BPF program libseccomp generates for ctx (seccomp_export_bpf()), in
 * a malloc()ed array of *ret_n instructions. */
int sandbox_rules_export(scmp_filter_ctx ctx, struct sock_filter **ret_prog, size_t *ret_n, struct nsg_err *err);

/* The instruction the loaded program starts with, before libseccomp's: see
 * sandbox_rules.c. */
extern const struct sock_filter sandbox_rules_prefix;

/* The program nsguard loads: sandbox_rules_prefix, then what
 * sandbox_rules_export() gives for ctx. */
int sandbox_rules_program(scmp_filter_ctx ctx, struct sock_filter **ret_prog, size_t *ret_n, struct nsg_err *err);

#endif
