/* sandbox_rules.c - see sandbox_rules.h.
 *
 * Moving the filter's compilation from run time to build time changes
 * nothing it allows: the program is the one libseccomp's seccomp_load()
 * generated and loaded at run time before (seccomp_export_bpf() emits the
 * same program), built with the same compiler flags, so a sanitizer build
 * gets its sigaltstack rule here exactly as it did. Only the result
 * descriptor had to become a constant (SANDBOX_RESULT_FD, see
 * sandbox_internal.h for why that is safe), since the program can no longer
 * be built around whatever number pipe2() returned.
 */
#include "sandbox_rules.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "sandbox_internal.h"

/* On i386 and s390, system call mmap is old_mmap: its one argument points to
 * a struct in memory, so rules on its protection and flags arguments would
 * check registers the kernel never reads, and a parser taken over could map
 * an inherited file or executable memory. i386 allocates through mmap2,
 * which the rules can check, so mmap is left out there; s390's glibc uses
 * old_mmap itself, so no filter of this shape can be built for it. */
#if defined(__s390__)
#error "the sandbox cannot check old_mmap's arguments on s390: no seccomp filter of this shape is safe here"
#endif
#if defined(__i386__)
#define SANDBOX_ALLOW_MMAP 0
#else
#define SANDBOX_ALLOW_MMAP 1
#endif

enum sandbox_arg_rule {
	SANDBOX_ARG_ANY,
	SANDBOX_ARG_ANON_NO_EXEC, /* mmap: anonymous memory, never executable */
	SANDBOX_ARG_NO_EXEC,	  /* mprotect: never executable */
	SANDBOX_ARG_RESULT_FD,	  /* write: only to the result pipe */
	SANDBOX_ARG_QUERY_ONLY,	  /* sigaltstack: read the current setting, change nothing */
};

static const struct sandbox_syscall {
	int nr;
	enum sandbox_arg_rule rule;
} sandbox_allowed_syscalls[] = {
	/* malloc (glibc's and ASan's) */
	{ SCMP_SYS(brk), SANDBOX_ARG_ANY },
#if SANDBOX_ALLOW_MMAP
	{ SCMP_SYS(mmap), SANDBOX_ARG_ANON_NO_EXEC },
#endif
#ifdef __NR_mmap2
	{ SCMP_SYS(mmap2), SANDBOX_ARG_ANON_NO_EXEC },
#endif
	{ SCMP_SYS(munmap), SANDBOX_ARG_ANY },
	{ SCMP_SYS(mremap), SANDBOX_ARG_ANY },
	{ SCMP_SYS(madvise), SANDBOX_ARG_ANY },
	{ SCMP_SYS(mprotect), SANDBOX_ARG_NO_EXEC },
	/* the result */
	{ SCMP_SYS(write), SANDBOX_ARG_RESULT_FD },
	{ SCMP_SYS(exit), SANDBOX_ARG_ANY },
	{ SCMP_SYS(exit_group), SANDBOX_ARG_ANY },
	{ SCMP_SYS(rt_sigreturn), SANDBOX_ARG_ANY },
#ifdef SANDBOX_ASAN
	/* ASan builds only: before every call to a noreturn function (here
	 * _exit) the instrumentation runs __asan_handle_no_return, which asks
	 * sigaltstack(NULL, &old) where the stacks are. */
	{ SCMP_SYS(sigaltstack), SANDBOX_ARG_QUERY_ONLY },
#endif
};

/* libseccomp returns -errno. */
static int sandbox_rules_allow(scmp_filter_ctx ctx, const struct sandbox_syscall *a)
{
	switch (a->rule) {
	case SANDBOX_ARG_ANY:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 0);
	case SANDBOX_ARG_ANON_NO_EXEC:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS));
	case SANDBOX_ARG_NO_EXEC:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case SANDBOX_ARG_RESULT_FD:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1,
					SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)SANDBOX_RESULT_FD, 0));
	case SANDBOX_ARG_QUERY_ONLY:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1, SCMP_A0(SCMP_CMP_EQ, 0, 0));
	default:
		return -EINVAL;
	}
}

int sandbox_rules_build(scmp_filter_ctx *ret_ctx, struct nsg_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r;

	if (!ctx)
		return nsg_fail_errno(err, ENOMEM, "cannot create the seccomp filter");
	/* A system call made through another ABI (int 0x80, x32) is killed too. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	for (size_t i = 0; r == 0 && i < NSG_ARRAY_SIZE(sandbox_allowed_syscalls); i++)
		r = sandbox_rules_allow(ctx, &sandbox_allowed_syscalls[i]);
	if (r < 0) {
		seccomp_release(ctx);
		return nsg_fail_errno(err, -r, "cannot build the seccomp filter: %s", strerror(-r));
	}
	*ret_ctx = ctx;
	return 0;
}

/* "A = 0", which libseccomp's first instruction (the load of the
 * architecture) overwrites at once: it changes no verdict, and no jump can
 * land on it (classic BPF jumps only forward). It is there for the kernel's
 * seccomp action cache (Linux 5.11): attaching a filter, the kernel emulates
 * it for every system call number of every architecture it serves (about 900
 * runs here) to find the calls it always allows and can then let through
 * without running the program; its emulator gives up on a program at the
 * first instruction it does not model, and a constant load is one. The parser
 * child makes a few dozen system calls in its life: the emulation cost about
 * 19 us of every create (attach measured 36 -> 17 us), running the filter in
 * full for each of those calls costs under 1 us. (libseccomp's binary-tree
 * layout, SCMP_FLTATR_CTL_OPTIMIZE, shortens the emulation to 28 us, and
 * with this instruction pays nothing: measured the same, so the default
 * layout stays.) A kernel whose emulator learns this instruction would build
 * its cache again: slower, never wrong. */
const struct sock_filter sandbox_rules_prefix = BPF_STMT(BPF_LD | BPF_IMM, 0);

int sandbox_rules_program(scmp_filter_ctx ctx, struct sock_filter **ret_prog, size_t *ret_n, struct nsg_err *err)
{
	cleanup_free struct sock_filter *body = NULL;
	struct sock_filter *prog;
	size_t n = 0;

	if (sandbox_rules_export(ctx, &body, &n, err) < 0)
		return -1;
	if (n + 1 > BPF_MAXINSNS)
		return nsg_fail(err, "the filter has %zu instructions, more than the kernel takes", n + 1);
	prog = nsg_calloc(n + 1, sizeof(*prog));
	prog[0] = sandbox_rules_prefix;
	memcpy(prog + 1, body, n * sizeof(*body));
	*ret_prog = prog;
	*ret_n = n + 1;
	return 0;
}

int sandbox_rules_export(scmp_filter_ctx ctx, struct sock_filter **ret_prog, size_t *ret_n, struct nsg_err *err)
{
	cleanup_close int fd = memfd_create("sandbox-bpf", MFD_CLOEXEC);
	cleanup_free char *prog = NULL;
	size_t len = 0;
	int r;

	if (fd < 0)
		return nsg_fail_errno(err, errno, "cannot create a memory file: %s", strerror(errno));
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return nsg_fail_errno(err, -r, "cannot export the seccomp filter: %s", strerror(-r));
	if (lseek(fd, 0, SEEK_SET) < 0)
		return nsg_fail_errno(err, errno, "cannot rewind the exported filter: %s", strerror(errno));
	if (nsg_read_fd(fd, "the exported filter", BPF_MAXINSNS * sizeof(struct sock_filter), &prog, &len, err) < 0)
		return -1;
	if (len == 0 || len % sizeof(struct sock_filter) != 0)
		return nsg_fail(err, "the exported filter is %zu bytes, not a whole number of instructions", len);
	*ret_n = len / sizeof(struct sock_filter);
	*ret_prog = (struct sock_filter *)steal_pointer(&prog);
	return 0;
}
