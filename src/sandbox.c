/* sandbox.c - see sandbox.h.
 *
 * config.json is written by whoever made the bundle, and nsguard may run as
 * root with every capability. A memory-safety bug in the JSON parser (yajl or
 * spec.c) must therefore not become code execution with those privileges. The
 * parse runs in a forked child that, before it looks at a single byte:
 *
 *  - empties its capability bounding set (while it still holds CAP_SETPCAP),
 *    sets no_new_privs, and clears its effective, permitted, inheritable and
 *    ambient sets: even uid 0 can then neither use nor regain a capability;
 *  - caps its address space and data (RLIMIT_AS, RLIMIT_DATA) at what it
 *    already uses plus a budget sized from the file, so a parser bug cannot
 *    exhaust the host's memory (not under AddressSanitizer, whose shadow
 *    memory needs terabytes of address space);
 *  - loads a seccomp filter that kills the whole process on any system call
 *    outside a short allow-list: memory management (never executable, never
 *    backed by a file, so an inherited descriptor cannot be read through
 *    mmap), write() to the result pipe only, and exit. No open, no read, no
 *    socket, no execve, no kill, no ptrace.
 *
 * The parent does no parsing of JSON; it reads a compact, length-prefixed
 * result from the pipe and decodes it trusting nothing: every length is
 * checked against what remains, and anything malformed, or a child that did
 * not exit cleanly, is a refusal. A compromised child can still lie about the
 * config it was given, but that config is the attacker's to write anyway;
 * what it cannot do is reach the parent's privileges or the host.
 *
 * Result format (the pipe and sandbox_encode/sandbox_decode):
 *   u8 status          RESULT_PARSED or RESULT_REFUSED
 *   refused:  str      spec_parse's error message (1..NSG_ERR_MAX-1 bytes)
 *   parsed:   u8       has_linux (0 or 1)
 *             NS_TYPE_COUNT times: u8 state (enum spec_ns_state); if JOINED: str path
 *             SPEC_IDMAP_KINDS times (uid, gid): u32 number of mappings
 *                      (at most SPEC_MAX_IDMAPS), then that many:
 *                      u32 container_id, u32 host_id, u32 size
 *             u32      number of annotations, then that many: str key, str value
 * where u32 is little-endian and str is a u32 length and that many bytes,
 * none of them NUL.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

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

enum result_status {
	RESULT_PARSED = 1,
	RESULT_REFUSED = 2,
};

/* An annotation costs at least two empty length prefixes on the wire. */
#define MIN_ANNOTATION_BYTES 8

/* A mapping is three u32 on the wire. */
#define IDMAP_BYTES 12

/* The encoded result is never much larger than the JSON it came from (a
 * string's length prefix costs no more than its two quotes and separator;
 * a mapping, at most 12 bytes for a "{}," of 3, is bounded in number);
 * a child that writes more than this is refused without reading further. */
#define RESULT_SLACK (64 * 1024 + SPEC_IDMAP_KINDS * SPEC_MAX_IDMAPS * IDMAP_BYTES)

/* ---- encoding --------------------------------------------------------------- */

struct writer {
	char *buf;
	size_t len, cap;
};

static void put_bytes(struct writer *w, const void *p, size_t n)
{
	if (w->cap - w->len < n) {
		while (w->cap - w->len < n)
			w->cap = w->cap ? 2 * w->cap : 256;
		w->buf = nsg_realloc(w->buf, w->cap);
	}
	if (n)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_u8(struct writer *w, unsigned v)
{
	unsigned char b = (unsigned char)v;

	put_bytes(w, &b, 1);
}

static void put_u32(struct writer *w, uint32_t v)
{
	unsigned char b[4] = { v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24 };

	put_bytes(w, b, sizeof(b));
}

static int put_str(struct writer *w, const char *s, size_t n)
{
	if (!s || n > UINT32_MAX || memchr(s, '\0', n))
		return -1;
	put_u32(w, (uint32_t)n);
	put_bytes(w, s, n);
	return 0;
}

static int encode_spec(struct writer *w, const struct spec *s)
{
	put_u8(w, RESULT_PARSED);
	put_u8(w, s->has_linux ? 1 : 0);
	for (size_t i = 0; i < NS_TYPE_COUNT; i++) {
		const struct spec_ns *ns = &s->ns[i];

		switch (ns->state) {
		case SPEC_NS_INHERITED:
		case SPEC_NS_PRIVATE:
			put_u8(w, ns->state);
			break;
		case SPEC_NS_JOINED:
			put_u8(w, ns->state);
			if (!ns->path || put_str(w, ns->path, strlen(ns->path)) < 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++) {
		const struct spec_idmaps *m = &s->idmaps[k];

		if (m->n > SPEC_MAX_IDMAPS || (m->n && !s->has_linux))
			return -1;
		put_u32(w, (uint32_t)m->n);
		for (size_t i = 0; i < m->n; i++) {
			put_u32(w, m->maps[i].container_id);
			put_u32(w, m->maps[i].host_id);
			put_u32(w, m->maps[i].size);
		}
	}
	if (s->n_annotations > UINT32_MAX)
		return -1;
	put_u32(w, (uint32_t)s->n_annotations);
	for (size_t i = 0; i < s->n_annotations; i++) {
		const struct spec_annotation *a = &s->annotations[i];

		if (!a->key || !a->value || put_str(w, a->key, strlen(a->key)) < 0 ||
		    put_str(w, a->value, strlen(a->value)) < 0)
			return -1;
	}
	return 0;
}

char *sandbox_encode(const struct spec *s, const struct nsg_err *parse_err, int parse_ok, size_t *ret_len)
{
	struct writer w = { 0 };
	int r;

	if (parse_ok) {
		r = s ? encode_spec(&w, s) : -1;
	} else {
		put_u8(&w, RESULT_REFUSED);
		r = parse_err ? put_str(&w, parse_err->msg, strnlen(parse_err->msg, sizeof(parse_err->msg))) : -1;
	}
	if (r < 0) {
		free(w.buf);
		return NULL;
	}
	*ret_len = w.len;
	return w.buf;
}

/* ---- decoding: the bytes are untrusted ------------------------------------------ */

struct reader {
	const unsigned char *p;
	size_t left;
	struct nsg_err *err;
};

#define malformed(r, ...) nsg_fail((r)->err, "config.json parser returned a malformed result: " __VA_ARGS__)

static int get_u8(struct reader *r, const char *what, unsigned *ret)
{
	if (r->left < 1)
		return malformed(r, "it ends before %s", what);
	*ret = r->p[0];
	r->p++;
	r->left--;
	return 0;
}

static int get_u32(struct reader *r, const char *what, uint32_t *ret)
{
	if (r->left < 4)
		return malformed(r, "it ends inside %s", what);
	*ret = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return 0;
}

/* A length-prefixed string as a new NUL-terminated heap string. */
static int get_str(struct reader *r, const char *what, char **ret)
{
	uint32_t n = 0;

	if (get_u32(r, what, &n) < 0)
		return -1;
	if (n > r->left)
		return malformed(r, "%s claims %" PRIu32 " bytes but only %zu remain", what, n, r->left);
	if (memchr(r->p, '\0', n))
		return malformed(r, "%s contains a NUL byte", what);
	*ret = nsg_strndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
}

static int decode_refusal(struct reader *r)
{
	cleanup_free char *msg = NULL;
	size_t n;

	if (get_str(r, "the error message", &msg) < 0)
		return -1;
	n = strlen(msg);
	if (n == 0 || n >= NSG_ERR_MAX)
		return malformed(r, "the error message is %zu bytes long", n);
	/* spec_parse quotes everything it repeats; a control character here
	 * could only be a compromised child trying to drive a terminal. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7F)
			return malformed(r, "the error message contains control character 0x%02X",
					 (unsigned char)msg[i]);
	if (r->left)
		return malformed(r, "%zu bytes follow the error message", r->left);
	memcpy(r->err->msg, msg, n + 1);
	return -1;
}

static int decode_ns(struct reader *r, bool has_linux, struct spec_ns *ns, const char *name)
{
	char what[64];
	unsigned state = 0;

	snprintf(what, sizeof(what), "the state of namespace %s", name);
	if (get_u8(r, what, &state) < 0)
		return -1;
	switch (state) {
	case SPEC_NS_INHERITED:
		break;
	case SPEC_NS_PRIVATE:
	case SPEC_NS_JOINED:
		if (!has_linux)
			return malformed(r, "namespace %s is set but there is no \"linux\" object", name);
		break;
	default:
		return malformed(r, "unknown state %u for namespace %s", state, name);
	}
	ns->state = state;
	if (state != SPEC_NS_JOINED)
		return 0;
	snprintf(what, sizeof(what), "the path of namespace %s", name);
	if (get_str(r, what, &ns->path) < 0)
		return -1;
	if (ns->path[0] != '/')
		return malformed(r, "the path of namespace %s is not absolute", name);
	return 0;
}

static const char *const idmap_names[SPEC_IDMAP_KINDS] = {
	[SPEC_IDMAP_UID] = "uid",
	[SPEC_IDMAP_GID] = "gid",
};

static int decode_idmaps(struct reader *r, bool has_linux, struct spec_idmaps *m, const char *name)
{
	char what[64];
	uint32_t n = 0;

	snprintf(what, sizeof(what), "the number of %s mappings", name);
	if (get_u32(r, what, &n) < 0)
		return -1;
	if (n > SPEC_MAX_IDMAPS)
		return malformed(r, "%" PRIu32 " %s mappings is over the limit of %d", n, name, SPEC_MAX_IDMAPS);
	if (n > r->left / IDMAP_BYTES)
		return malformed(r, "%" PRIu32 " %s mappings cannot fit in %zu bytes", n, name, r->left);
	if (n && !has_linux)
		return malformed(r, "%s mappings are set but there is no \"linux\" object", name);
	m->maps = nsg_calloc(n, sizeof(*m->maps));
	m->n = n;
	/* Every u32 is a valid id or size: nothing more to check. */
	for (size_t i = 0; i < n; i++) {
		get_u32(r, what, &m->maps[i].container_id);
		get_u32(r, what, &m->maps[i].host_id);
		get_u32(r, what, &m->maps[i].size);
	}
	return 0;
}

static int decode_spec(struct reader *r, struct spec *s)
{
	uint32_t n = 0;
	unsigned has_linux = 0;

	if (get_u8(r, "the \"linux\" flag", &has_linux) < 0)
		return -1;
	if (has_linux > 1)
		return malformed(r, "the \"linux\" flag is %u", has_linux);
	s->has_linux = has_linux;
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		if (decode_ns(r, s->has_linux, &s->ns[i], ns_infos[i].name) < 0)
			return -1;
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++)
		if (decode_idmaps(r, s->has_linux, &s->idmaps[k], idmap_names[k]) < 0)
			return -1;
	if (get_u32(r, "the number of annotations", &n) < 0)
		return -1;
	if (n > r->left / MIN_ANNOTATION_BYTES)
		return malformed(r, "%" PRIu32 " annotations cannot fit in %zu bytes", n, r->left);
	s->annotations = nsg_calloc(n, sizeof(*s->annotations));
	s->n_annotations = n;
	for (size_t i = 0; i < n; i++)
		if (get_str(r, "an annotation key", &s->annotations[i].key) < 0 ||
		    get_str(r, "an annotation value", &s->annotations[i].value) < 0)
			return -1;
	if (r->left)
		return malformed(r, "%zu bytes follow the annotations", r->left);
	return 0;
}

int sandbox_decode(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	struct nsg_err scratch;
	struct reader r = { (const unsigned char *)buf, len, err ? err : &scratch };
	cleanup_spec struct spec s = { 0 };
	unsigned status = 0;

	*ret = (struct spec){ 0 };
	if (get_u8(&r, "its status", &status) < 0)
		return -1;
	switch (status) {
	case RESULT_REFUSED:
		return decode_refusal(&r);
	case RESULT_PARSED:
		if (decode_spec(&r, &s) < 0)
			return -1;
		*ret = s;
		s = (struct spec){ 0 };
		return 0;
	default:
		return malformed(&r, "unknown status %u", status);
	}
}

/* ---- the confined child ----------------------------------------------------------- */

/* Exit statuses of a child that could not do its job (0 is success). */
enum child_exit {
	CHILD_EXIT_CONFINE = 10,
	CHILD_EXIT_SELFTEST = 11,
	CHILD_EXIT_RESULT = 12,
};

static const char *const child_exit_reasons[] = {
	[CHILD_EXIT_CONFINE] = "it could not drop its capabilities or load its seccomp filter",
	[CHILD_EXIT_SELFTEST] = "its self-test found a capability or memory beyond its limit left",
	[CHILD_EXIT_RESULT] = "it could not encode or write its result",
};

/* Test-only hook, read from the environment so the unit tests can run the
 * real code path: confinement that is only assumed tends to rot unnoticed.
 * "open": try to open a file after the filter is loaded; seccomp must kill
 * the child with SIGSYS. "caps": before the filter, verify that no capability
 * and no bounding-set entry is left, else exit CHILD_EXIT_SELFTEST. Neither can
 * weaken anything: at worst the parse is refused. */
#define SELFTEST_ENV "NSGUARD_SANDBOX_SELFTEST"

/* Every capability the running kernel knows, gone for good. */
static int drop_capabilities(bool *ret_dropped_bound)
{
	cleanup_cap cap_t cur = cap_get_proc();
	cleanup_cap cap_t none = cap_init();
	cap_flag_value_t setpcap = CAP_CLEAR;

	if (!cur || !none || cap_get_flag(cur, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap) < 0)
		return -1;
	/* Without CAP_SETPCAP the bounding set cannot be changed; it only
	 * matters across execve(), which the filter forbids anyway. */
	*ret_dropped_bound = setpcap == CAP_SET;
	if (*ret_dropped_bound)
		for (cap_value_t c = 0; c < cap_max_bits(); c++)
			if (cap_drop_bound(c) < 0 && errno != EINVAL)
				return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (cap_set_proc(none) < 0)
		return -1;
	/* Clearing the permitted set already empties the ambient set; be explicit.
	 * EINVAL: a kernel without ambient capabilities. */
	if (cap_reset_ambient() < 0 && errno != EINVAL)
		return -1;
	return 0;
}

static int selftest_caps_dropped(bool dropped_bound)
{
	cleanup_cap cap_t cur = cap_get_proc();
	cleanup_cap cap_t none = cap_init();

	if (!cur || !none || cap_compare(cur, none) != 0)
		return -1;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return -1;
	for (cap_value_t c = 0; c < cap_max_bits(); c++)
		if (cap_get_ambient(c) != 0 || (dropped_bound && cap_get_bound(c) != 0))
			return -1;
	return 0;
}

enum arg_rule {
	ARG_ANY,
	ARG_ANON_NO_EXEC, /* mmap: anonymous memory, never executable */
	ARG_NO_EXEC,	  /* mprotect: never executable */
	ARG_RESULT_FD,	  /* write: only to the result pipe */
	ARG_QUERY_ONLY,	  /* sigaltstack: read the current setting, change nothing */
};

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

static const struct allowed_syscall {
	int nr;
	enum arg_rule rule;
} allowed_syscalls[] = {
	/* malloc (glibc's and ASan's) */
	{ SCMP_SYS(brk), ARG_ANY },
	{ SCMP_SYS(mmap), ARG_ANON_NO_EXEC },
#ifdef __NR_mmap2
	{ SCMP_SYS(mmap2), ARG_ANON_NO_EXEC },
#endif
	{ SCMP_SYS(munmap), ARG_ANY },
	{ SCMP_SYS(mremap), ARG_ANY },
	{ SCMP_SYS(madvise), ARG_ANY },
	{ SCMP_SYS(mprotect), ARG_NO_EXEC },
	/* glibc's qsort (spec.c sorts annotation keys to find duplicates)
	 * asks sysconf(_SC_PHYS_PAGES) on its first large array. It only
	 * reveals memory totals, uptime and load. */
	{ SCMP_SYS(sysinfo), ARG_ANY },
	/* the result */
	{ SCMP_SYS(write), ARG_RESULT_FD },
	{ SCMP_SYS(exit), ARG_ANY },
	{ SCMP_SYS(exit_group), ARG_ANY },
	{ SCMP_SYS(rt_sigreturn), ARG_ANY },
#ifdef SANDBOX_ASAN
	/* ASan builds only: before every call to a noreturn function (here
	 * _exit) the instrumentation runs __asan_handle_no_return, which asks
	 * sigaltstack(NULL, &old) where the stacks are. */
	{ SCMP_SYS(sigaltstack), ARG_QUERY_ONLY },
#endif
};

static int allow_syscall(scmp_filter_ctx ctx, const struct allowed_syscall *a, int result_fd)
{
	switch (a->rule) {
	case ARG_ANY:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 0);
	case ARG_ANON_NO_EXEC:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS));
	case ARG_NO_EXEC:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case ARG_RESULT_FD:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1,
					SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)result_fd, 0));
	case ARG_QUERY_ONLY:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1, SCMP_A0(SCMP_CMP_EQ, 0, 0));
	default:
		return -EINVAL;
	}
}

static int load_filter(int result_fd)
{
	cleanup_seccomp scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (!ctx)
		return -1;
	/* A system call made through another ABI (int 0x80, x32) is killed too. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
		return -1;
	for (size_t i = 0; i < NSG_ARRAY_SIZE(allowed_syscalls); i++)
		if (allow_syscall(ctx, &allowed_syscalls[i], result_fd) < 0)
			return -1;
	/* From here on only the allow-list runs; releasing ctx just frees memory. */
	return seccomp_load(ctx) < 0 ? -1 : 0;
}

static int write_all(int fd, const char *p, size_t n)
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

/* What the parse may allocate beyond what the child already has: yajl's
 * buffers, the decoded strings and the result, all bounded by the file. */
static size_t memory_budget(size_t len)
{
	const size_t fixed = 64u << 20;

	return len > (SIZE_MAX - fixed) / 16 ? SIZE_MAX : 16 * len + fixed;
}

static int set_limit(int resource, size_t used, size_t budget)
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
static int limit_memory(size_t len, bool selftest)
{
	unsigned long long size = 0, data = 0, ignored;
	long page = sysconf(_SC_PAGESIZE);
	size_t budget = memory_budget(len);
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
	if (set_limit(RLIMIT_AS, (size_t)(size * (unsigned long long)page), budget) < 0 ||
	    set_limit(RLIMIT_DATA, (size_t)(data * (unsigned long long)page), budget) < 0)
		return -1;
	/* Self-test: twice the budget must be out of reach now. */
	if (selftest) {
		void *p = mmap(NULL, 2 * budget, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			return 1;
	}
	return 0;
}

/* Never returns, and leaves through _exit(): stdio buffers inherited from
 * the parent must not be flushed a second time, nor atexit handlers run. */
/* The annotation keys the parent wants back (NULL: all of them). */
struct keep {
	const char *const *keys;
	size_t n;
};

__attribute__((noreturn)) static void child_main(int result_fd, const char *buf, size_t len, const struct keep *keep)
{
	const char *selftest = getenv(SELFTEST_ENV);
	struct nsg_err perr = { .msg = "" };
	struct spec spec;
	bool dropped_bound = false;
	size_t out_len = 0;
	char *out;
	int r;

	r = limit_memory(len, selftest && strcmp(selftest, "memory") == 0);
	if (r != 0)
		_exit(r < 0 ? CHILD_EXIT_CONFINE : CHILD_EXIT_SELFTEST);
	if (drop_capabilities(&dropped_bound) < 0)
		_exit(CHILD_EXIT_CONFINE);
	if (selftest && strcmp(selftest, "caps") == 0 && selftest_caps_dropped(dropped_bound) < 0)
		_exit(CHILD_EXIT_SELFTEST);
	if (load_filter(result_fd) < 0)
		_exit(CHILD_EXIT_CONFINE);
	if (selftest && strcmp(selftest, "open") == 0)
		(void)open("/etc/hostname", O_RDONLY | O_CLOEXEC); /* must be killed right here */

	r = spec_parse_keep(buf, len, keep ? keep->keys : NULL, keep ? keep->n : 0, &spec, &perr);
	out = sandbox_encode(&spec, &perr, r == 0, &out_len);
	if (!out || write_all(result_fd, out, out_len) < 0)
		_exit(CHILD_EXIT_RESULT);
	_exit(0);
}

/* ---- the parent ----------------------------------------------------------------- */

/* Read until EOF, at most limit bytes. The child blocks on a full pipe, so
 * this must run while it writes, before waitpid(). */
static int read_result(int fd, size_t limit, char **ret_buf, size_t *ret_len, struct nsg_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t n;

		if (len == cap) {
			cap = cap ? 2 * cap : 64 * 1024;
			if (cap > limit + 1)
				cap = limit + 1;
			buf = nsg_realloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nsg_fail(err, "cannot read the result of the config.json parser: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > limit)
			return nsg_fail(err, "config.json parser wrote more than the %zu bytes its result can take",
					limit);
	}
	*ret_len = len;
	*ret_buf = steal_pointer(&buf);
	return 0;
}

static int reap_child(pid_t pid, int *ret_status, struct nsg_err *err)
{
	while (waitpid(pid, ret_status, 0) < 0)
		if (errno != EINTR)
			return nsg_fail(err, "cannot wait for the config.json parser: %s", strerror(errno));
	return 0;
}

static int check_exit_status(int status, struct nsg_err *err)
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
	if ((size_t)code < NSG_ARRAY_SIZE(child_exit_reasons) && child_exit_reasons[code])
		return nsg_fail(err, "config.json parser failed (exited with status %d: %s)", code,
				child_exit_reasons[code]);
	return nsg_fail(err, "config.json parser crashed (exited with status %d)", code);
}

int sandbox_parse_spec(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	return sandbox_parse_spec_keep(buf, len, NULL, 0, ret, err);
}

/* Fork the confined parser and collect its result (raw, undecoded). */
static int run_child(const char *buf, size_t len, const struct keep *keep, char **ret_out, size_t *ret_len,
		     struct nsg_err *err)
{
	size_t limit = len > (SIZE_MAX - RESULT_SLACK) / 2 ? SIZE_MAX - 1 : 2 * len + RESULT_SLACK;
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
		child_main(fds[1], buf, len, keep);
	}
	close(fds[1]);
	rfd = fds[0];

	r = read_result(rfd, limit, ret_out, ret_len, err);
	if (r < 0)
		kill(pid, SIGKILL); /* it may be blocked on a pipe nobody reads */
	if (reap_child(pid, &status, r < 0 ? NULL : err) < 0 || r < 0)
		return -1;
	return check_exit_status(status, err);
}

int sandbox_parse_spec_keep(const char *buf, size_t len, const char *const *keys, size_t n_keys, struct spec *ret,
			    struct nsg_err *err)
{
	struct keep keep = { keys, n_keys };
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
	r = run_child(buf, len, keys ? &keep : NULL, &out, &out_len, err);
	sigaction(SIGCHLD, &caller, NULL);
	if (r < 0)
		return -1;
	return sandbox_decode(out, out_len, ret, err);
}
