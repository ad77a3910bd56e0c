/* test-sandbox.c - config.json is parsed in a confined child (SPEC.md section 11).
 *
 * The confined parse must give exactly what spec_parse gives (the wire format
 * itself: test-sandbox-wire.c). The confinement is proven, not assumed:
 * children of this test call the real sandbox_confine() and are then checked
 * from outside, each beside a control child without confinement that shows
 * the check would fail without it; and the seccomp filter nsguard loads is
 * checked to be the one libseccomp builds from the rule table.
 */
#include "sandbox.h"
#include "sandbox_internal.h"
#include "sandbox_rules.h"
#include "tap.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "spec-diff.h"

#define W(s) s, sizeof(s) - 1

/* ---- the confined parse ------------------------------------------------------------- */

static void same_as_spec_parse(const char *name, const char *json, size_t len)
{
	cleanup_spec struct spec want = { 0 }, got = { 0 };
	struct nsg_err want_err = { .msg = "" }, got_err = { .msg = "" };
	int want_r = spec_parse(json, len, &want, &want_err);
	int got_r = sandbox_parse_spec(json, len, &got, &got_err);
	char diff[256];

	is_int(got_r, want_r, "%s: same outcome as spec_parse (%s)", name, got_err.msg);
	if (want_r == 0)
		is_str(spec_diff(&want, &got, diff, sizeof(diff)), "", "%s: same spec as spec_parse", name);
	else
		is_str(got_err.msg, want_err.msg, "%s: same error as spec_parse", name);
}

static const char valid_config[] = "{\n"
				   "  \"ociVersion\": \"1.0.2\",\n"
				   "  \"process\": { \"args\": [\"sh\"], \"terminal\": true },\n"
				   "  \"linux\": {\n"
				   "    \"namespaces\": [\n"
				   "      { \"type\": \"pid\" },\n"
				   "      { \"type\": \"network\", \"path\": \"/proc/1/ns/net\" },\n"
				   "      { \"type\": \"mount\", \"path\": \"\" }\n"
				   "    ]\n"
				   "  },\n"
				   "  \"annotations\": { \"a\": \"b\", \"\\u00e9\\n\": \"\\t\\\"\" }\n"
				   "}\n";

struct config_case {
	const char *name;
	const char *json;
	size_t len;
};

static const struct config_case config_cases[] = {
	{ "valid config", W(valid_config) },
	{ "empty object", W("{}") },
	{ "duplicate key", W("{ \"linux\": {},\n  \"LINUX\": {} }") },
	{ "duplicate annotation", W("{ \"annotations\": { \"a\": \"1\",\n \"a\": \"2\" } }") },
	{ "malformed JSON", W("{ \"linux\": [ }") },
	{ "truncated JSON", W("{ \"linux\": {") },
	{ "invalid UTF-8", W("{ \"x\": \"\xff\" }") },
	{ "unknown namespace type", W("{ \"linux\": { \"namespaces\": [ { \"type\": \"\\u001b[31m\" } ] } }") },
	{ "relative path", W("{ \"linux\": { \"namespaces\": [ { \"type\": \"pid\", \"path\": \"x\" } ] } }") },
	{ "null linux", W("{ \"linux\": null }") },
	{ "byte order mark", W("\xef\xbb\xbf{}") },
	{ "NUL escape", W("{ \"annotations\": { \"a\": \"\\u0000\" } }") },
	{ "empty input", W("") },
	{ "id mappings",
	  W("{ \"linux\": { \"uidMappings\": [ { \"containerID\": 0, \"hostID\": 100000, \"size\": 65536 } ],\n"
	    "  \"gidMappings\": [ { \"hostID\": 0, \"size\": 1 }, {} ], \"namespaces\": [ { \"type\": \"user\" } ] } "
	    "}") },
	{ "id mapping not a uint32", W("{ \"linux\": { \"uidMappings\": [ { \"hostID\": 1e3 } ] } }") },
};

static void test_same_as_spec_parse(void)
{
	size_t deep_len = 5 + 2 * SPEC_MAX_DEPTH + 1; /* {"a":[[...]]} */
	cleanup_free char *deep = nsg_malloc(deep_len);
	cleanup_free char *huge = nsg_malloc(SPEC_MAX_SIZE + 1);

	for (size_t i = 0; i < NSG_ARRAY_SIZE(config_cases); i++)
		same_as_spec_parse(config_cases[i].name, config_cases[i].json, config_cases[i].len);
	memcpy(deep, "{\"a\":", 5);
	memset(deep + 5, '[', SPEC_MAX_DEPTH);
	memset(deep + 5 + SPEC_MAX_DEPTH, ']', SPEC_MAX_DEPTH);
	deep[deep_len - 1] = '}';
	same_as_spec_parse("nesting too deep", deep, deep_len);
	memset(huge, ' ', SPEC_MAX_SIZE + 1);
	huge[0] = '{';
	huge[SPEC_MAX_SIZE] = '}';
	same_as_spec_parse("file over the size limit", huge, SPEC_MAX_SIZE + 1);
}

/* ~3 MB of annotations: far more than a pipe holds, so this only finishes if
 * the parent reads while the child writes. It runs first, while glibc's lazy
 * state (qsort's memory probe) is still cold in the process the child forks from. */
static void test_large_config(void)
{
	size_t n = 30000, cap = n * 128 + 64, len = 0;
	cleanup_free char *json = nsg_malloc(cap);
	cleanup_spec struct spec want = { 0 }, got = { 0 };
	struct nsg_err err = { .msg = "" };
	char diff[256];

	len += (size_t)snprintf(json + len, cap - len, "{ \"annotations\": {");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(json + len, cap - len, "%s\n \"key-%06zu\": \"%0100zu\"", i ? "," : "", i,
					i * 7919);
	len += (size_t)snprintf(json + len, cap - len, "\n} }\n");

	ok(len > 3 * 1000 * 1000, "the large config is %zu bytes", len);
	is_int(sandbox_parse_spec(json, len, &got, &err), 0, "a large config parses in the sandbox (%s)", err.msg);
	is_int(got.n_annotations, n, "all annotations come back");
	is_int(spec_parse(json, len, &want, &err), 0, "the large config parses unconfined");
	is_str(spec_diff(&want, &got, diff, sizeof(diff)), "", "the large config is the same either way");
}

static void test_no_descriptor_leak(void)
{
	cleanup_spec struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };
	int before = open("/dev/null", O_RDONLY | O_CLOEXEC), after;

	close(before);
	sandbox_parse_spec(W(valid_config), &s, &err);
	spec_free(&s);
	sandbox_parse_spec(W("{ \"linux\": null }"), &s, &err);
	after = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(after);
	is_int(after, before, "no descriptor is left open");
}

/* ---- the confinement, proven in children of this test -------------------------------- */

/* How a test child ends when it is not killed. */
enum test_child_exit {
	CHILD_CONFINE_FAILED = 20, /* sandbox_confine()'s message is on the pipe */
	CHILD_OPENED = 21,
	CHILD_OPEN_FAILED = 22,
	CHILD_MAPPED = 23,
	CHILD_MAP_FAILED = 24,
	CHILD_UNBLOCKED = 25,
	CHILD_CALLED = 26,
	CHILD_CALL_FAILED = 27,
};

/* The input the children are confined for: a small config's budget. */
#define CHILD_INPUT_LEN (sizeof(valid_config) - 1)

static void confine_or_exit(int fd)
{
	struct nsg_err err = { .msg = "" };
	struct sandbox_usage use;

	sandbox_usage_read(&use);
	if (sandbox_confine(fd, CHILD_INPUT_LEN, &use, &err) == 0)
		return;
	if (write(fd, err.msg, strlen(err.msg)) < 0)
		_exit(CHILD_CONFINE_FAILED);
	_exit(CHILD_CONFINE_FAILED);
}

/* Fork body(fd, confine) with the write end of a pipe as fd; the parent gets the read end. */
static pid_t start_child(void (*body)(int fd, bool confine), bool confine, int *ret_fd)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		abort();
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(fds[0]);
		body(fds[1], confine);
		_exit(99);
	}
	close(fds[1]);
	*ret_fd = fds[0];
	return pid;
}

/* Collect what the child still writes and how it ended; say why if it could not confine itself. */
static int finish_child(pid_t pid, int fd)
{
	cleanup_buf struct nsg_buf out = { 0 };
	char chunk[4096];
	ssize_t n;
	int status = 0;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(&out, chunk, (size_t)n);
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_CONFINE_FAILED)
		printf("# sandbox_confine failed: %.*s\n", (int)out.len, out.data ? out.data : "");
	return status;
}

static int run_child(void (*body)(int fd, bool confine), bool confine)
{
	int fd;
	pid_t pid = start_child(body, confine, &fd);

	return finish_child(pid, fd);
}

static bool killed_by(int status, int sig)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static bool exited_with(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static void child_open(int fd, bool confine)
{
	int file;

	if (confine)
		confine_or_exit(fd);
	file = open("/dev/null", O_RDONLY | O_CLOEXEC); /* confined: killed right here */
	_exit(file >= 0 ? CHILD_OPENED : CHILD_OPEN_FAILED);
}

static void test_confined_open(void)
{
	int status;

	status = run_child(child_open, true);
	ok(killed_by(status, SIGSYS), "confined: open() gets the child killed by SIGSYS (wait status 0x%x)",
	   (unsigned)status);
	status = run_child(child_open, false);
	ok(exited_with(status, CHILD_OPENED), "control, not confined: the same open() succeeds (wait status 0x%x)",
	   (unsigned)status);
}

/* The filter nsguard loads is the one libseccomp builds from the rule table
 * now, behind the one instruction that only sets the accumulator, which
 * libseccomp's first instruction overwrites: generating it at build time
 * changed nothing it allows. */
static void test_filter_is_the_rules(void)
{
	scmp_filter_ctx ctx = NULL;
	cleanup_free struct sock_filter *want = NULL;
	struct nsg_err err = { .msg = "" };
	size_t want_n = 0, got_n = 0;
	const struct sock_filter *got = sandbox_filter(&got_n);
	int r = sandbox_rules_build(&ctx, &err);

	if (r == 0)
		r = sandbox_rules_export(ctx, &want, &want_n, &err);
	if (ctx)
		seccomp_release(ctx);
	is_int(r, 0, "libseccomp builds the filter from the rule table (%s)", err.msg);
	is_int(got_n, want_n + 1, "the loaded filter has one instruction more than libseccomp's (%zu)", want_n);
	ok(got_n > 0 && got[0].code == (BPF_LD | BPF_IMM) && got[0].k == 0 && got[0].jt == 0 && got[0].jf == 0,
	   "its first instruction is the constant load A = 0");
	ok(want_n > 0 && want[0].code == (BPF_LD | BPF_W | BPF_ABS),
	   "libseccomp's first instruction loads, so it overwrites A before anything reads it");
	ok(r == 0 && got_n == want_n + 1 && memcmp(got + 1, want, want_n * sizeof(*want)) == 0,
	   "after it, the loaded filter is, instruction for instruction, what libseccomp builds from the rules");
}

/* Calls the filter's argument rules forbid; unconfined, each succeeds. */
static void child_write_other(int fd, bool confine)
{
	if (fd == SANDBOX_RESULT_FD)
		fd = fcntl(fd, F_DUPFD_CLOEXEC, SANDBOX_RESULT_FD + 1);
	if (confine)
		confine_or_exit(fd); /* fd is still open, but is not SANDBOX_RESULT_FD */
	_exit(write(fd, "x", 1) == 1 ? CHILD_CALLED : CHILD_CALL_FAILED);
}

static void child_mmap_exec(int fd, bool confine)
{
	if (confine)
		confine_or_exit(fd);
	_exit(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED
		      ? CHILD_CALLED
		      : CHILD_CALL_FAILED);
}

static void child_mmap_file(int fd, bool confine)
{
	int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	if (confine)
		confine_or_exit(fd);
	_exit(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, zero, 0) != MAP_FAILED ? CHILD_CALLED : CHILD_CALL_FAILED);
}

static void child_mprotect_exec(int fd, bool confine)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (confine)
		confine_or_exit(fd);
	_exit(p != MAP_FAILED && mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0 ? CHILD_CALLED : CHILD_CALL_FAILED);
}

static const struct forbidden_case {
	const char *what;
	void (*body)(int fd, bool confine);
} forbidden_cases[] = {
	{ "write() to a descriptor other than the result pipe's", child_write_other },
	{ "mmap() of executable memory", child_mmap_exec },
	{ "mmap() of a file", child_mmap_file },
	{ "mprotect() to executable", child_mprotect_exec },
};

static void test_confined_arguments(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(forbidden_cases); i++) {
		const struct forbidden_case *c = &forbidden_cases[i];
		int status = run_child(c->body, true);

		ok(killed_by(status, SIGSYS), "confined: %s gets the child killed by SIGSYS (wait status 0x%x)",
		   c->what, (unsigned)status);
		status = run_child(c->body, false);
		ok(exited_with(status, CHILD_CALLED), "control, not confined: the same %s succeeds (wait status 0x%x)",
		   c->what, (unsigned)status);
	}
}

/* SPEC 11: RLIMIT_AS/RLIMIT_DATA sized from the file. Twice the budget must
 * be out of reach of the confined child, and within reach of one that is not. */
static void child_map(int fd, bool confine)
{
	size_t size = 2 * sandbox_memory_budget(CHILD_INPUT_LEN);
	void *p;

	if (confine)
		confine_or_exit(fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	_exit(p == MAP_FAILED ? CHILD_MAP_FAILED : CHILD_MAPPED);
}

static void test_confined_memory(void)
{
	int status;

	status = run_child(child_map, true);
#ifdef SANDBOX_ASAN
	/* ASan's shadow memory needs terabytes of address space: the limits
	 * are deliberately left out there, so the mapping must succeed. */
	ok(exited_with(status, CHILD_MAPPED),
	   "SPEC 11: under AddressSanitizer no memory limit is applied (wait status 0x%x)", (unsigned)status);
#else
	ok(exited_with(status, CHILD_MAP_FAILED),
	   "SPEC 11: confined: mapping twice the budget fails (wait status 0x%x)", (unsigned)status);
#endif
	status = run_child(child_map, false);
	ok(exited_with(status, CHILD_MAPPED), "control, not confined: the same mapping succeeds (wait status 0x%x)",
	   (unsigned)status);
}

/* What /proc says about a process. */
struct proc_state {
	unsigned long long cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int no_new_privs, seccomp, seccomp_filters; /* -1: not reported */
	unsigned long long vm_size, vm_data;	    /* bytes */
	char as_limit[32], data_limit[32];	    /* soft limits as /proc/PID/limits writes them */
};

static void read_status(const char *pid, struct proc_state *st)
{
	cleanup_free char *path = nsg_asprintf("/proc/%s/status", pid);
	cleanup_file FILE *f = fopen(path, "re");
	char line[256];

	st->no_new_privs = st->seccomp = st->seccomp_filters = -1;
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "CapInh: %llx", &st->cap_inh);
		sscanf(line, "CapPrm: %llx", &st->cap_prm);
		sscanf(line, "CapEff: %llx", &st->cap_eff);
		sscanf(line, "CapBnd: %llx", &st->cap_bnd);
		sscanf(line, "CapAmb: %llx", &st->cap_amb);
		sscanf(line, "NoNewPrivs: %d", &st->no_new_privs);
		sscanf(line, "Seccomp: %d", &st->seccomp);
		sscanf(line, "Seccomp_filters: %d", &st->seccomp_filters);
		if (sscanf(line, "VmSize: %llu", &st->vm_size) == 1)
			st->vm_size *= 1024;
		if (sscanf(line, "VmData: %llu", &st->vm_data) == 1)
			st->vm_data *= 1024;
	}
}

static void read_limits(const char *pid, struct proc_state *st)
{
	cleanup_free char *path = nsg_asprintf("/proc/%s/limits", pid);
	cleanup_file FILE *f = fopen(path, "re");
	char line[256];

	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "Max address space %31s", st->as_limit);
		sscanf(line, "Max data size %31s", st->data_limit);
	}
}

/* Bytes enough that the child blocks in write() once the pipe is full. */
static char blocker[1024 * 1024];

static void child_block(int fd, bool confine)
{
	if (confine) {
		confine_or_exit(fd);
		fd = SANDBOX_RESULT_FD; /* the same pipe, moved: the only one it may write to */
	}
	if (write(fd, blocker, sizeof(blocker)) < 0)
		_exit(CHILD_UNBLOCKED);
	_exit(CHILD_UNBLOCKED);
}

/* The confined child's state, read from /proc while it sits blocked in
 * write() (its first bytes arrive only after sandbox_confine() returned). */
static int confined_state(struct proc_state *st)
{
	char pidstr[32], c;
	int fd;
	pid_t pid = start_child(child_block, true, &fd);

	*st = (struct proc_state){ 0 };
	if (read(fd, &c, 1) == 1) {
		snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
		read_status(pidstr, st);
		read_limits(pidstr, st);
	}
	kill(pid, SIGKILL);
	return finish_child(pid, fd);
}

#ifndef SANDBOX_ASAN
/* A limit that keeps a mapping of twice the budget out of reach of what the process uses. */
static bool limit_holds(const char *limit, unsigned long long used, size_t budget)
{
	char *end;
	unsigned long long v = strtoull(limit, &end, 10);

	return limit[0] != '\0' && *end == '\0' && v < used + 2 * (unsigned long long)budget;
}
#endif

static void test_confined_state(void)
{
	struct proc_state self = { 0 }, st;
	int status = confined_state(&st);

	read_status("self", &self);
	ok(killed_by(status, SIGKILL), "the confined child was inspected alive (wait status 0x%x)", (unsigned)status);
	/* Without capabilities the checks below are trivially true; say so. */
	if (geteuid() != 0)
		printf("# not root: the capability checks only prove the sets stay empty\n");
	is_int(st.cap_eff, 0, "confined: no effective capability");
	is_int(st.cap_prm, 0, "confined: no permitted capability");
	is_int(st.cap_inh, 0, "confined: no inheritable capability");
	is_int(st.cap_amb, 0, "confined: no ambient capability");
	if (self.cap_eff & (1ull << 8)) /* CAP_SETPCAP */
		is_int(st.cap_bnd, 0, "confined: the bounding set is empty");
	else
		ok(1, "# SKIP without CAP_SETPCAP the bounding set cannot be emptied");
	is_int(st.no_new_privs, 1, "confined: no_new_privs is set");
	is_int(st.seccomp, 2, "confined: a seccomp filter is loaded");
	if (self.seccomp_filters >= 0)
		is_int(st.seccomp_filters, self.seccomp_filters + 1, "confined: one filter more than this test has");
#ifdef SANDBOX_ASAN
	is_str(st.as_limit, "unlimited", "SPEC 11: under AddressSanitizer RLIMIT_AS is deliberately left unlimited");
#else
	size_t budget = sandbox_memory_budget(CHILD_INPUT_LEN);

	ok(limit_holds(st.as_limit, st.vm_size, budget), "SPEC 11: RLIMIT_AS is set (%s for %llu bytes in use)",
	   st.as_limit, st.vm_size);
	ok(limit_holds(st.data_limit, st.vm_data, budget), "SPEC 11: RLIMIT_DATA is set (%s for %llu bytes of data)",
	   st.data_limit, st.vm_data);
#endif
}

/* The installed binary has no self-test: the variable the old hook read changes nothing. */
static void test_no_selftest_hook(void)
{
	static const char *const modes[] = { "open", "caps", "memory" };
	const char *binary = getenv("NSGUARD");
	cleanup_free char *image = NULL;
	struct nsg_err err = { .msg = "" };
	size_t len = 0;

	for (size_t i = 0; i < NSG_ARRAY_SIZE(modes); i++) {
		cleanup_spec struct spec s = { 0 };

		setenv("NSGUARD_SANDBOX_SELFTEST", modes[i], 1);
		is_int(sandbox_parse_spec(W(valid_config), &s, &err), 0,
		       "NSGUARD_SANDBOX_SELFTEST=%s changes nothing: the parse succeeds (%s)", modes[i], err.msg);
	}
	unsetenv("NSGUARD_SANDBOX_SELFTEST");
	if (!binary || nsg_read_file(binary, 256u << 20, &image, &len, NULL, &err) < 0) {
		ok(1, "# SKIP the nsguard binary is not at hand ($NSGUARD)");
		return;
	}
	ok(!memmem(image, len, "NSGUARD_SANDBOX_SELFTEST", strlen("NSGUARD_SANDBOX_SELFTEST")),
	   "the nsguard binary does not name NSGUARD_SANDBOX_SELFTEST");
}

/* A caller that ignores SIGCHLD must still get a result, and keep its disposition. */
static void test_sigchld_ignored(void)
{
	static const char json[] = "{\"linux\": {\"namespaces\": [{\"type\": \"pid\"}]}}";
	struct sigaction ign = { .sa_handler = SIG_IGN }, old, now;
	struct nsg_err err = { .msg = "" };
	struct spec s = { 0 };

	sigemptyset(&ign.sa_mask);
	sigaction(SIGCHLD, &ign, &old);
	is_int(sandbox_parse_spec(json, sizeof(json) - 1, &s, &err), 0, "SIGCHLD ignored: the parse succeeds (%s)",
	       err.msg);
	is_int(s.ns[NS_PID].state, SPEC_NS_PRIVATE, "SIGCHLD ignored: the result is read");
	sigaction(SIGCHLD, NULL, &now);
	ok(now.sa_handler == SIG_IGN, "SIGCHLD ignored: the caller's disposition is given back");
	sigaction(SIGCHLD, &old, NULL);
	spec_free(&s);
}

int main(void)
{
	test_sigchld_ignored();
	/* A parent that stops reading would deadlock: turn a hang into a failure. */
	alarm(300);
	test_large_config();
	test_same_as_spec_parse();
	test_no_descriptor_leak();
	test_confined_open();
	test_filter_is_the_rules();
	test_confined_arguments();
	test_confined_memory();
	test_confined_state();
	test_no_selftest_hook();
	return tap_done();
}
