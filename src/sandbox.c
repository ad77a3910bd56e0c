/* sandbox.c - see sandbox.h.
 *
 * config.json is written by whoever made the bundle, and nsguard may run as
 * root with every capability. A memory-safety bug in the JSON parser (yajl or
 * spec.c) must therefore not become code execution with those privileges. The
 * parse runs in a forked child that, before it looks at a single byte
 * (sandbox_confine()):
 *
 *  - caps its address space and data (RLIMIT_AS, RLIMIT_DATA) at what it
 *    uses when forked (the parent reads that from /proc/self/statm just
 *    before fork()) plus a budget sized from the file, so a parser bug cannot
 *    exhaust the host's memory (not under AddressSanitizer, whose shadow
 *    memory needs terabytes of address space);
 *  - empties its capability bounding set (while it still holds CAP_SETPCAP),
 *    sets no_new_privs, and clears its effective, permitted, inheritable and
 *    ambient sets: even uid 0 can then neither use nor regain a capability;
 *  - loads a seccomp filter that kills the whole process on any system call
 *    outside a short allow-list (sandbox_rules.c; compiled to BPF at build
 *    time): memory management (never executable, never backed by a file, so
 *    an inherited descriptor cannot be read through mmap), write() to the
 *    result pipe only (moved to the fixed SANDBOX_RESULT_FD first), and exit.
 *    No open, no read, no socket, no execve, no kill, no ptrace.
 *
 * The parent reads the child's result (sandbox_wire.c) and trusts nothing in
 * it; a child that did not exit cleanly is a refusal. The confinement keeps a
 * memory-safety bug in the parser from reaching the parent's privileges or
 * the host; it does not make such a bug harmless to the decision: a child
 * taken over by the bytes it parses could report an all-private spec for a
 * config.json that runc reads otherwise. So the decision still rests on the
 * parser being memory-safe (yajl, spec.c: fuzzed, run under ASan in CI).
 *
 * The unit tests call sandbox_confine() in children of their own and check
 * from outside what is left; the binary has no test hook to switch on.
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "buf.h"
#include "sandbox_internal.h"

/* ---- the confinement ------------------------------------------------------------- */

static int sandbox_fail(struct nsg_err *err, int errnum, const char *what)
{
	return nsg_fail_errno(err, errnum, "%s: %s", what, strerror(errnum));
}

/* The capability sets through the kernel's own interface (capget/capset,
 * version 3: two 32-bit words per set), not libcap: libcap's constructor
 * probes the kernel on every start of the binary, pass-through included. */
static int sandbox_capget(struct __user_cap_data_struct ret_data[_LINUX_CAPABILITY_U32S_3])
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };

	return (int)syscall(SYS_capget, &hdr, ret_data);
}

static int sandbox_capset(const struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3])
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };

	return (int)syscall(SYS_capset, &hdr, data);
}

/* Every capability the running kernel knows leaves the bounding set: the
 * kernel answers EINVAL for the first number past its last capability (or
 * for all of them when it has no bounding set). Version 3 of the capability
 * sets can name no more than 64. */
static int sandbox_drop_bounding_set(void)
{
	for (unsigned long c = 0; c < 32 * _LINUX_CAPABILITY_U32S_3; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return errno == EINVAL ? 0 : -1;
	return 0;
}

/* Every capability the running kernel knows, gone for good. */
static int sandbox_drop_capabilities(struct nsg_err *err)
{
	struct __user_cap_data_struct cur[_LINUX_CAPABILITY_U32S_3] = { 0 };
	const struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (sandbox_capget(cur) < 0)
		return sandbox_fail(err, errno, "cannot read the capabilities");
	/* Without CAP_SETPCAP the bounding set cannot be changed; it only
	 * matters across execve(), which the filter forbids anyway. */
	if ((cur[CAP_TO_INDEX(CAP_SETPCAP)].effective & CAP_TO_MASK(CAP_SETPCAP)) && sandbox_drop_bounding_set() < 0)
		return sandbox_fail(err, errno, "cannot empty the capability bounding set");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sandbox_fail(err, errno, "cannot set no_new_privs");
	if (sandbox_capset(none) < 0)
		return sandbox_fail(err, errno, "cannot clear the capability sets");
	/* Clearing the permitted set already empties the ambient set; be explicit.
	 * EINVAL: a kernel without ambient capabilities. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return sandbox_fail(err, errno, "cannot clear the ambient capabilities");
	return 0;
}

/* The filter, built at build time from sandbox_rules.c by libseccomp: the
 * same program seccomp_load() compiled here at run time before, without
 * libseccomp's run-time work (building the rule database, generating the
 * BPF, probing the kernel's seccomp features). A header generated for
 * another build configuration (sanitizers on or off, another result
 * descriptor) must not be loaded: its allow-list would not be this build's. */
#include "sandbox_bpf.h"
#ifdef SANDBOX_ASAN
#if !SANDBOX_BPF_ASAN
#error "sandbox_bpf.h was generated without AddressSanitizer: make clean, then rebuild"
#endif
#elif SANDBOX_BPF_ASAN
#error "sandbox_bpf.h was generated with AddressSanitizer: make clean, then rebuild"
#endif
_Static_assert(SANDBOX_BPF_RESULT_FD == SANDBOX_RESULT_FD, "sandbox_bpf.h is for another result descriptor");
_Static_assert(NSG_ARRAY_SIZE(sandbox_bpf) <= BPF_MAXINSNS, "the seccomp filter is too long for the kernel");

const struct sock_filter *sandbox_filter(size_t *ret_n)
{
	*ret_n = NSG_ARRAY_SIZE(sandbox_bpf);
	return sandbox_bpf;
}

/* One prctl(), as libseccomp's seccomp_load() does without filter flags
 * (none are set: no TSYNC, the child is single-threaded). The kernel copies
 * the program and never writes to it, hence the cast. The default action,
 * SECCOMP_RET_KILL_PROCESS, is one a kernel before 4.14 does not know; such a
 * kernel treats an unknown action as kill-thread, which for this
 * single-threaded child is the same. */
static int sandbox_load_filter(struct nsg_err *err)
{
	struct sock_fprog prog = {
		.len = (unsigned short)NSG_ARRAY_SIZE(sandbox_bpf),
		.filter = (struct sock_filter *)sandbox_bpf,
	};

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return sandbox_fail(err, errno, "cannot load the seccomp filter");
	return 0;
}

/* See SANDBOX_RESULT_FD for why taking this number over is safe. The old
 * number stays open: the filter forbids writing to it, and it closes when
 * the child exits. */
static int sandbox_move_result_fd(int result_fd, struct nsg_err *err)
{
	if (result_fd == SANDBOX_RESULT_FD)
		return 0;
	if (dup3(result_fd, SANDBOX_RESULT_FD, O_CLOEXEC) < 0)
		return sandbox_fail(err, errno, "cannot move the result pipe");
	return 0;
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

/* One decimal field of /proc/self/statm and the blank after it; NULL if
 * there is none or it does not fit. */
static const char *sandbox_statm_field(const char *p, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (*p < '0' || *p > '9')
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (unsigned)(*p - '0'), &v))
			return NULL;
	*ret = v;
	return *p == ' ' || *p == '\n' ? p + 1 : NULL;
}

/* Size and data (fields 1 and 6 of /proc/self/statm, in pages). open() and
 * read() into the stack, not stdio: fopen()'s allocations and stdio's first
 * use cost ten times the read itself (measured: ~40 us against ~4 us). */
static int sandbox_read_statm(unsigned long long *ret_size, unsigned long long *ret_data)
{
	unsigned long long field[6];
	char buf[256];
	const char *p = buf;
	cleanup_close int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (size_t i = 0; p && i < NSG_ARRAY_SIZE(field); i++)
		p = sandbox_statm_field(p, &field[i]);
	if (!p)
		return -1;
	*ret_size = field[0];
	*ret_data = field[5];
	return 0;
}

static size_t sandbox_pages_to_bytes(unsigned long long pages, unsigned long long page)
{
	unsigned long long bytes;

	return __builtin_mul_overflow(pages, page, &bytes) || bytes > SIZE_MAX ? SIZE_MAX : (size_t)bytes;
}

void sandbox_usage_read(struct sandbox_usage *ret)
{
	unsigned long long size = 0, data = 0;
	unsigned long long page = (unsigned)getpagesize(); /* not sysconf(): one code page fewer to fault in */

	if (sandbox_read_statm(&size, &data) < 0) {
		ret->size = ret->data = 256u << 20;
		return;
	}
	ret->size = sandbox_pages_to_bytes(size, page);
	ret->data = sandbox_pages_to_bytes(data, page);
}

/* RLIMIT_AS and RLIMIT_DATA at the use plus the budget. */
static int sandbox_limit_memory(size_t input_len, const struct sandbox_usage *use, struct nsg_err *err)
{
	size_t budget = sandbox_memory_budget(input_len);

#ifdef SANDBOX_ASAN
	return 0; /* ASan's shadow memory needs terabytes of address space */
#endif
	if (sandbox_set_limit(RLIMIT_AS, use->size, budget) < 0)
		return sandbox_fail(err, errno, "cannot limit the address space");
	if (sandbox_set_limit(RLIMIT_DATA, use->data, budget) < 0)
		return sandbox_fail(err, errno, "cannot limit the data segment");
	return 0;
}

/* glibc sets malloc up on its first call in a process, and asks getrandom()
 * for its tcache key then: that must happen before the filter, which
 * forbids getrandom. A process that never allocated before it forked this
 * child would otherwise be killed by its first malloc(). */
static void sandbox_prepare_malloc(void)
{
	void *volatile p = malloc(1); /* volatile: the compiler may drop a malloc() whose result is unused */

	free(p);
}

/* In this order: the bounding set is emptied while CAP_SETPCAP is still held. */
int sandbox_confine(int result_fd, size_t input_len, const struct sandbox_usage *use, struct nsg_err *err)
{
	sandbox_prepare_malloc();
	if (sandbox_move_result_fd(result_fd, err) < 0 || sandbox_limit_memory(input_len, use, err) < 0 ||
	    sandbox_drop_capabilities(err) < 0 || sandbox_load_filter(err) < 0)
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
							 const struct sandbox_keep *keep,
							 const struct sandbox_usage *use)
{
	struct nsg_err err = { .msg = "" };
	struct spec spec;
	size_t out_len = 0;
	char *out;
	int r;

	if (sandbox_confine(result_fd, len, use, &err) < 0)
		_exit(SANDBOX_EXIT_CONFINE);
	r = spec_parse_keep(buf, len, keep ? keep->keys : NULL, keep ? keep->n : 0, &spec, &err);
	out = sandbox_encode(&spec, &err, r == 0, &out_len);
	if (!out || sandbox_write_all(SANDBOX_RESULT_FD, out, out_len) < 0)
		_exit(SANDBOX_EXIT_RESULT);
	_exit(0);
}

/* ---- the parent ----------------------------------------------------------------- */

/* Read until EOF, at most limit bytes. The child blocks on a full pipe, so
 * this must run while it writes, before waitpid(). */
static int sandbox_read_result(int fd, size_t limit, char **ret_buf, size_t *ret_len, struct nsg_err *err)
{
	cleanup_buf struct nsg_buf b = { 0 };

	/* Straight into the buffer, which doubles as it fills: a large stack
	 * chunk would be a page the parent faults in on every create. */
	for (;;) {
		size_t room = b.len < 4096 ? 4096 : b.len;
		ssize_t n;

		if (room > limit - b.len + 1) /* one byte past the limit is enough to refuse */
			room = limit - b.len + 1;
		n = read(fd, buf_room(&b, room), room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nsg_fail(err, "cannot read the result of the config.json parser: %s", strerror(errno));
		if (n == 0)
			break;
		if ((size_t)n > limit - b.len)
			return nsg_fail(err, "config.json parser wrote more than the %zu bytes its result can take",
					limit);
		buf_grew(&b, (size_t)n);
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

/* glibc's fork() wraps the system call in libc's own bookkeeping (the atfork
 * handlers' list, the loader's lock, counters), and each write it makes to
 * libc's data in the child is a copy-on-write fault there: four of the
 * child's 21 page faults on a create (perf's page-fault events), about 8 us
 * here. nsguard is single-threaded and registers no atfork handler, so
 * _Fork() (glibc 2.34), the system call with only the bookkeeping the child
 * itself needs (its thread id, the robust list), leaves it in the same state. */
static pid_t sandbox_fork(void)
{
#ifdef HAVE__FORK
	return _Fork();
#else
	return fork();
#endif
}

/* Fork the confined parser and collect its result (raw, undecoded). */
static int sandbox_run_child(const char *buf, size_t len, const struct sandbox_keep *keep, char **ret_out,
			     size_t *ret_len, struct nsg_err *err)
{
	cleanup_close int rfd = -1;
	struct sandbox_usage use;
	int fds[2], status, r;
	pid_t pid;

	sandbox_usage_read(&use);
	if (pipe2(fds, O_CLOEXEC) < 0)
		return nsg_fail(err, "cannot create a pipe for the config.json parser: %s", strerror(errno));
	pid = sandbox_fork();
	if (pid < 0) {
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		return nsg_fail(err, "cannot start the config.json parser: %s", strerror(saved));
	}
	if (pid == 0) {
		close(fds[0]);
		sandbox_child_main(fds[1], buf, len, keep, &use);
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
