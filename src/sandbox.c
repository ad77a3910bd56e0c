/* sandbox.c - see sandbox.h.
 *
 * config.json is written by whoever made the bundle, and nsguard may run as
 * root with every capability. A memory-safety bug in the JSON parser (yajl or
 * spec.c) must therefore not become code execution with those privileges. The
 * parse runs in a forked child that, before it looks at a single byte
 * (sandbox_confine()):
 *
 *  - caps its address space and data (RLIMIT_AS, RLIMIT_DATA) at what it
 *    already uses plus a budget sized from the file, so a parser bug cannot
 *    exhaust the host's memory (not under AddressSanitizer, whose shadow
 *    memory needs terabytes of address space);
 *  - empties its capability bounding set (while it still holds CAP_SETPCAP),
 *    sets no_new_privs, and clears its effective, permitted, inheritable and
 *    ambient sets: even uid 0 can then neither use nor regain a capability;
 *  - loads a seccomp filter that kills the whole process on any system call
 *    outside a short allow-list: memory management (never executable, never
 *    backed by a file, so an inherited descriptor cannot be read through
 *    mmap), write() to the result pipe only, and exit. No open, no read, no
 *    socket, no execve, no kill, no ptrace.
 *
 * The parent reads the child's result (sandbox_wire.c) and trusts nothing in
 * it; a child that did not exit cleanly is a refusal. A compromised child can
 * still lie about the config it was given, but that config is the attacker's
 * to write anyway; what it cannot do is reach the parent's privileges or the
 * host.
 *
 * The unit tests call sandbox_confine() in children of their own and check
 * from outside what is left; the binary has no test hook to switch on.
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "buf.h"
#include "sandbox_internal.h"

static inline void sandbox_cap_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

static inline void sandbox_seccomp_releasep(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}

#define cleanup_cap	__attribute__((cleanup(sandbox_cap_freep)))
#define cleanup_seccomp __attribute__((cleanup(sandbox_seccomp_releasep)))

/* ---- the confinement ------------------------------------------------------------- */

static int sandbox_fail(struct nsg_err *err, int errnum, const char *what)
{
	return nsg_fail_errno(err, errnum, "%s: %s", what, strerror(errnum));
}

/* Every capability the running kernel knows, gone for good. */
static int sandbox_drop_capabilities(struct nsg_err *err)
{
	cleanup_cap cap_t cur = cap_get_proc();
	cleanup_cap cap_t none = cap_init();
	cap_flag_value_t setpcap = CAP_CLEAR;

	if (!cur || !none || cap_get_flag(cur, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap) < 0)
		return sandbox_fail(err, errno, "cannot read the capabilities");
	/* Without CAP_SETPCAP the bounding set cannot be changed; it only
	 * matters across execve(), which the filter forbids anyway. */
	if (setpcap == CAP_SET)
		for (cap_value_t c = 0; c < cap_max_bits(); c++)
			if (cap_drop_bound(c) < 0 && errno != EINVAL)
				return sandbox_fail(err, errno, "cannot empty the capability bounding set");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sandbox_fail(err, errno, "cannot set no_new_privs");
	if (cap_set_proc(none) < 0)
		return sandbox_fail(err, errno, "cannot clear the capability sets");
	/* Clearing the permitted set already empties the ambient set; be explicit.
	 * EINVAL: a kernel without ambient capabilities. */
	if (cap_reset_ambient() < 0 && errno != EINVAL)
		return sandbox_fail(err, errno, "cannot clear the ambient capabilities");
	return 0;
}

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
	{ SCMP_SYS(mmap), SANDBOX_ARG_ANON_NO_EXEC },
#ifdef __NR_mmap2
	{ SCMP_SYS(mmap2), SANDBOX_ARG_ANON_NO_EXEC },
#endif
	{ SCMP_SYS(munmap), SANDBOX_ARG_ANY },
	{ SCMP_SYS(mremap), SANDBOX_ARG_ANY },
	{ SCMP_SYS(madvise), SANDBOX_ARG_ANY },
	{ SCMP_SYS(mprotect), SANDBOX_ARG_NO_EXEC },
	/* glibc's qsort (spec.c sorts annotation keys to find duplicates)
	 * asks sysconf(_SC_PHYS_PAGES) on its first large array. It only
	 * reveals memory totals, uptime and load. */
	{ SCMP_SYS(sysinfo), SANDBOX_ARG_ANY },
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

static int sandbox_allow_syscall(scmp_filter_ctx ctx, const struct sandbox_syscall *a, int result_fd)
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
					SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)result_fd, 0));
	case SANDBOX_ARG_QUERY_ONLY:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1, SCMP_A0(SCMP_CMP_EQ, 0, 0));
	default:
		return -EINVAL;
	}
}

/* libseccomp returns -errno. */
static int sandbox_load_filter(int result_fd, struct nsg_err *err)
{
	cleanup_seccomp scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r;

	if (!ctx)
		return sandbox_fail(err, ENOMEM, "cannot create the seccomp filter");
	/* A system call made through another ABI (int 0x80, x32) is killed too. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	for (size_t i = 0; r == 0 && i < NSG_ARRAY_SIZE(sandbox_allowed_syscalls); i++)
		r = sandbox_allow_syscall(ctx, &sandbox_allowed_syscalls[i], result_fd);
	if (r < 0)
		return sandbox_fail(err, -r, "cannot build the seccomp filter");
	/* From here on only the allow-list runs; releasing ctx just frees memory. */
	r = seccomp_load(ctx);
	return r < 0 ? sandbox_fail(err, -r, "cannot load the seccomp filter") : 0;
}

/* What the parse may allocate beyond what the child already has: yajl's
 * buffers, the decoded strings and the result, all bounded by the file. */
size_t sandbox_memory_budget(size_t input_len)
{
	const size_t fixed = 64u << 20;

	return input_len > (SIZE_MAX - fixed) / 16 ? SIZE_MAX : 16 * input_len + fixed;
}

static int sandbox_set_limit(int resource, size_t used, size_t budget)
{
	rlim_t cap = used > (size_t)RLIM_INFINITY - budget ? RLIM_INFINITY - 1 : (rlim_t)(used + budget);
	struct rlimit cur;

	if (getrlimit(resource, &cur) < 0)
		return -1;
	if (cur.rlim_max != RLIM_INFINITY && cur.rlim_max < cap)
		cap = cur.rlim_max;
	cur.rlim_cur = cur.rlim_max = cap;
	return setrlimit(resource, &cur);
}

/* RLIMIT_AS and RLIMIT_DATA at the current use (from /proc/self/statm, read
 * before the filter forbids open) plus the budget. Without /proc the use is
 * unknown: then a fixed, generous bound. */
static int sandbox_limit_memory(size_t input_len, struct nsg_err *err)
{
	unsigned long long size = 0, data = 0, ignored;
	long page = sysconf(_SC_PAGESIZE);
	size_t budget = sandbox_memory_budget(input_len);
	FILE *f;

#ifdef SANDBOX_ASAN
	return 0; /* ASan's shadow memory needs terabytes of address space */
#endif
	if (page <= 0)
		page = 4096;
	f = fopen("/proc/self/statm", "re");
	if (!f || fscanf(f, "%llu %llu %llu %llu %llu %llu", &size, &ignored, &ignored, &ignored, &ignored, &data) != 6)
		size = data = (256ull << 20) / (unsigned long long)page;
	if (f)
		fclose(f);
	if (sandbox_set_limit(RLIMIT_AS, (size_t)(size * (unsigned long long)page), budget) < 0)
		return sandbox_fail(err, errno, "cannot limit the address space");
	if (sandbox_set_limit(RLIMIT_DATA, (size_t)(data * (unsigned long long)page), budget) < 0)
		return sandbox_fail(err, errno, "cannot limit the data segment");
	return 0;
}

/* In this order: /proc/self/statm is read before the filter forbids open,
 * and the bounding set is emptied while CAP_SETPCAP is still held. */
int sandbox_confine(int result_fd, size_t input_len, struct nsg_err *err)
{
	if (sandbox_limit_memory(input_len, err) < 0 || sandbox_drop_capabilities(err) < 0 ||
	    sandbox_load_filter(result_fd, err) < 0)
		return -1;
	return 0;
}

/* ---- the confined child ----------------------------------------------------------- */

/* Exit statuses of a child that could not do its job (0 is success). */
enum sandbox_child_exit {
	SANDBOX_EXIT_CONFINE = 10,
	SANDBOX_EXIT_RESULT = 12,
};

static const char *const sandbox_exit_reasons[] = {
	[SANDBOX_EXIT_CONFINE] = "it could not drop its capabilities or load its seccomp filter",
	[SANDBOX_EXIT_RESULT] = "it could not encode or write its result",
};

/* The annotation keys the parent wants back (NULL: all of them). */
struct sandbox_keep {
	const char *const *keys;
	size_t n;
};

static int sandbox_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Never returns, and leaves through _exit(): stdio buffers inherited from
 * the parent must not be flushed a second time, nor atexit handlers run.
 * The child cannot report a failure to confine itself other than by its
 * exit status: its descriptors may be anything the caller inherited. */
__attribute__((noreturn)) static void sandbox_child_main(int result_fd, const char *buf, size_t len,
							 const struct sandbox_keep *keep)
{
	struct nsg_err err = { .msg = "" };
	struct spec spec;
	size_t out_len = 0;
	char *out;
	int r;

	if (sandbox_confine(result_fd, len, &err) < 0)
		_exit(SANDBOX_EXIT_CONFINE);
	r = spec_parse_keep(buf, len, keep ? keep->keys : NULL, keep ? keep->n : 0, &spec, &err);
	out = sandbox_encode(&spec, &err, r == 0, &out_len);
	if (!out || sandbox_write_all(result_fd, out, out_len) < 0)
		_exit(SANDBOX_EXIT_RESULT);
	_exit(0);
}

/* ---- the parent ----------------------------------------------------------------- */

/* Read until EOF, at most limit bytes. The child blocks on a full pipe, so
 * this must run while it writes, before waitpid(). */
static int sandbox_read_result(int fd, size_t limit, char **ret_buf, size_t *ret_len, struct nsg_err *err)
{
	cleanup_buf struct nsg_buf b = { 0 };
	char chunk[64 * 1024];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nsg_fail(err, "cannot read the result of the config.json parser: %s", strerror(errno));
		if (n == 0)
			break;
		if ((size_t)n > limit - b.len)
			return nsg_fail(err, "config.json parser wrote more than the %zu bytes its result can take",
					limit);
		buf_put(&b, chunk, (size_t)n);
	}
	*ret_len = b.len;
	*ret_buf = buf_steal(&b);
	return 0;
}

static int sandbox_reap_child(pid_t pid, int *ret_status, struct nsg_err *err)
{
	while (waitpid(pid, ret_status, 0) < 0)
		if (errno != EINTR)
			return nsg_fail(err, "cannot wait for the config.json parser: %s", strerror(errno));
	return 0;
}

static int sandbox_check_exit_status(int status, struct nsg_err *err)
{
	int code;

	if (WIFSIGNALED(status))
		return nsg_fail(err, "config.json parser crashed (killed by signal %d: %s)", WTERMSIG(status),
				strsignal(WTERMSIG(status)));
	if (!WIFEXITED(status))
		return nsg_fail(err, "config.json parser stopped unexpectedly (wait status 0x%x)", (unsigned)status);
	code = WEXITSTATUS(status);
	if (code == 0)
		return 0;
	if ((size_t)code < NSG_ARRAY_SIZE(sandbox_exit_reasons) && sandbox_exit_reasons[code])
		return nsg_fail(err, "config.json parser failed (exited with status %d: %s)", code,
				sandbox_exit_reasons[code]);
	return nsg_fail(err, "config.json parser crashed (exited with status %d)", code);
}

int sandbox_parse_spec(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	return sandbox_parse_spec_keep(buf, len, NULL, 0, ret, err);
}

/* Fork the confined parser and collect its result (raw, undecoded). */
static int sandbox_run_child(const char *buf, size_t len, const struct sandbox_keep *keep, char **ret_out,
			     size_t *ret_len, struct nsg_err *err)
{
	cleanup_close int rfd = -1;
	int fds[2], status, r;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return nsg_fail(err, "cannot create a pipe for the config.json parser: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		return nsg_fail(err, "cannot start the config.json parser: %s", strerror(saved));
	}
	if (pid == 0) {
		close(fds[0]);
		sandbox_child_main(fds[1], buf, len, keep);
	}
	close(fds[1]);
	rfd = fds[0];

	r = sandbox_read_result(rfd, sandbox_result_limit(len), ret_out, ret_len, err);
	if (r < 0)
		kill(pid, SIGKILL); /* it may be blocked on a pipe nobody reads */
	if (sandbox_reap_child(pid, &status, r < 0 ? NULL : err) < 0 || r < 0)
		return -1;
	return sandbox_check_exit_status(status, err);
}

int sandbox_parse_spec_keep(const char *buf, size_t len, const char *const *keys, size_t n_keys, struct spec *ret,
			    struct nsg_err *err)
{
	struct sandbox_keep keep = { keys, n_keys };
	struct sigaction dfl = { .sa_handler = SIG_DFL }, caller;
	cleanup_free char *out = NULL;
	size_t out_len = 0;
	int r;

	*ret = (struct spec){ 0 };
	/* A caller that ignores SIGCHLD (inherited across exec) would have the
	 * kernel reap the parser before waitpid() could see how it ended. Wait
	 * with the default disposition, then give the caller's back: the runtime
	 * nsguard execs must inherit it unchanged. */
	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, &caller) < 0)
		return nsg_fail(err, "cannot reset SIGCHLD for the config.json parser: %s", strerror(errno));
	r = sandbox_run_child(buf, len, keys ? &keep : NULL, &out, &out_len, err);
	sigaction(SIGCHLD, &caller, NULL);
	if (r < 0)
		return -1;
	return sandbox_decode(out, out_len, ret, err);
}
