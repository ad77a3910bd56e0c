/* test-sandbox.c - config.json is parsed in a confined child (SPEC.md section 11).
 *
 * The wire format must round-trip every spec_parse result exactly, and the
 * decoder, which reads what a possibly compromised child wrote, must refuse
 * every malformed buffer without reading out of bounds (run under ASan: each
 * buffer is copied into an allocation of exactly its size). The confinement
 * itself is proven, not assumed: children of this test call the real
 * sandbox_confine() and are then checked from outside, each beside a control
 * child without confinement that shows the check would fail without it.
 */
#include "sandbox.h"
#include "sandbox_internal.h"
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

/* The hand-made encodings below spell out one state byte per type. */
_Static_assert(NS_TYPE_COUNT == 8, "update the encodings in this file");

/* ---- helpers ------------------------------------------------------------------ */

static int str_diff(const char *what, const char *a, const char *b, char *out, size_t size)
{
	if ((!a && !b) || (a && b && strcmp(a, b) == 0))
		return 0;
	snprintf(out, size, "%s: \"%.40s\" != \"%.40s\"", what, a ? a : "(null)", b ? b : "(null)");
	return 1;
}

static int idmaps_diff(size_t k, const struct spec_idmaps *x, const struct spec_idmaps *y, char *out, size_t size)
{
	if (x->n != y->n) {
		snprintf(out, size, "idmaps %zu: %zu entries != %zu", k, x->n, y->n);
		return 1;
	}
	for (size_t i = 0; i < x->n; i++)
		if (memcmp(&x->maps[i], &y->maps[i], sizeof(x->maps[i])) != 0) {
			snprintf(out, size, "idmaps %zu: entry %zu differs", k, i);
			return 1;
		}
	return 0;
}

/* "" if a and b are the same spec, else the first difference. */
static const char *spec_diff(const struct spec *a, const struct spec *b, char *out, size_t size)
{
	char what[64];

	out[0] = '\0';
	if (a->has_linux != b->has_linux) {
		snprintf(out, size, "has_linux %d != %d", a->has_linux, b->has_linux);
		return out;
	}
	for (size_t i = 0; i < NS_TYPE_COUNT; i++) {
		if (a->ns[i].state != b->ns[i].state) {
			snprintf(out, size, "%s: state %d != %d", ns_infos[i].name, a->ns[i].state, b->ns[i].state);
			return out;
		}
		if (str_diff(ns_infos[i].name, a->ns[i].path, b->ns[i].path, out, size))
			return out;
	}
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++)
		if (idmaps_diff(k, &a->idmaps[k], &b->idmaps[k], out, size))
			return out;
	if (a->n_annotations != b->n_annotations) {
		snprintf(out, size, "%zu annotations != %zu", a->n_annotations, b->n_annotations);
		return out;
	}
	for (size_t i = 0; i < a->n_annotations; i++) {
		snprintf(what, sizeof(what), "annotation %zu key", i);
		if (str_diff(what, a->annotations[i].key, b->annotations[i].key, out, size))
			return out;
		snprintf(what, sizeof(what), "annotation %zu value", i);
		if (str_diff(what, a->annotations[i].value, b->annotations[i].value, out, size))
			return out;
	}
	return out;
}

/* sandbox_decode on an exact-size heap copy, so ASan sees any overread. */
static int decode_copy(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	char *copy = nsg_malloc(len);
	int r;

	memcpy(copy, buf, len);
	r = sandbox_decode(len ? copy : NULL, len, ret, err);
	free(copy);
	return r;
}

static int spec_is_empty(const struct spec *s)
{
	struct spec zero = { 0 };

	return memcmp(s, &zero, sizeof(zero)) == 0;
}

static void add_idmap(struct spec *s, enum spec_idmap_kind k, uint32_t container_id, uint32_t host_id, uint32_t size)
{
	struct spec_idmaps *m = &s->idmaps[k];

	m->maps = nsg_realloc(m->maps, (m->n + 1) * sizeof(*m->maps));
	m->maps[m->n++] = (struct spec_idmap){ container_id, host_id, size };
}

static void add_annotation(struct spec *s, const char *key, const char *value)
{
	s->annotations = nsg_realloc(s->annotations, (s->n_annotations + 1) * sizeof(*s->annotations));
	s->annotations[s->n_annotations++] = (struct spec_annotation){ nsg_strdup(key), nsg_strdup(value) };
}

/* Every state, paths and annotations with bytes a text format would trip on. */
static void rich_spec(struct spec *s)
{
	char *big = nsg_malloc(70001);

	*s = (struct spec){ .has_linux = true };
	s->ns[NS_NETWORK] = (struct spec_ns){ .state = SPEC_NS_JOINED, .path = nsg_strdup("/proc/1/ns/net") };
	s->ns[NS_PID].state = SPEC_NS_PRIVATE;
	s->ns[NS_USER] =
		(struct spec_ns){ .state = SPEC_NS_JOINED, .path = nsg_strdup("/odd \x01\x7f\xff\xc3\xa9\n path") };
	s->ns[NS_TIME].state = SPEC_NS_PRIVATE;
	add_idmap(s, SPEC_IDMAP_UID, 0, 100000, 65536);
	add_idmap(s, SPEC_IDMAP_UID, 65536, 0, 1);
	add_idmap(s, SPEC_IDMAP_UID, UINT32_MAX, UINT32_MAX, UINT32_MAX);
	add_idmap(s, SPEC_IDMAP_GID, 0, 0x01020304, 0);
	add_annotation(s, "", "");
	add_annotation(s, "key\twith \x01 control", "value\n\x7f\xff\xfe");
	add_annotation(s, "\xe2\x80\xae right-to-left", "\"quoted\" \\ back");
	memset(big, 'v', 70000);
	big[70000] = '\0';
	add_annotation(s, "big", big);
	free(big);
}

/* ---- the wire format ------------------------------------------------------------ */

static void test_round_trip(void)
{
	cleanup_spec struct spec in = { 0 }, out = { 0 };
	cleanup_free char *buf = NULL;
	struct nsg_err err = { .msg = "" };
	size_t len = 0, accepted = 0, dirty = 0;
	char diff[256];

	rich_spec(&in);
	buf = sandbox_encode(&in, NULL, 1, &len);
	ok(buf != NULL, "a rich spec encodes");
	is_int(decode_copy(buf, len, &out, &err), 0, "a rich spec decodes (%s)", err.msg);
	is_str(spec_diff(&in, &out, diff, sizeof(diff)), "", "a rich spec round-trips exactly");

	for (size_t k = 0; k < len; k++) {
		struct spec s;

		if (decode_copy(buf, k, &s, NULL) == 0) {
			accepted++;
			spec_free(&s);
		} else if (!spec_is_empty(&s)) {
			dirty++;
		}
	}
	is_int(accepted, 0, "none of the %zu truncations of a spec is accepted", len);
	is_int(dirty, 0, "a refused truncation leaves the result empty");
}

static void test_error_round_trip(void)
{
	const char *msg = "line 3: duplicate key \"LINUX\" (Go reads it as the same field as \"linux\" on line 2)";
	cleanup_free char *buf = NULL;
	struct nsg_err in, out = { .msg = "" };
	struct spec s;
	size_t len = 0, accepted = 0;

	nsg_fail(&in, "%s", msg);
	buf = sandbox_encode(NULL, &in, 0, &len);
	ok(buf != NULL, "an error encodes");
	is_int(decode_copy(buf, len, &s, &out), -1, "an error decodes as a failure");
	is_str(out.msg, msg, "the error message survives unchanged");
	ok(spec_is_empty(&s), "an error leaves the result empty");

	for (size_t k = 0; k < len; k++) {
		struct nsg_err e = { .msg = "" };

		if (decode_copy(buf, k, &s, &e) == 0 || strcmp(e.msg, msg) == 0)
			accepted++;
	}
	is_int(accepted, 0, "no truncation of an error message is taken as that message");
}

static void test_encode_refuses(void)
{
	struct spec s = { .has_linux = true };
	size_t len = 0;

	s.ns[NS_PID].state = SPEC_NS_JOINED;
	ok(sandbox_encode(&s, NULL, 1, &len) == NULL, "encode refuses a joined namespace without a path");
	s.ns[NS_PID].state = (enum spec_ns_state)7;
	ok(sandbox_encode(&s, NULL, 1, &len) == NULL, "encode refuses an unknown state");
	ok(sandbox_encode(NULL, NULL, 0, &len) == NULL, "encode refuses an error without a message");
	s.ns[NS_PID].state = SPEC_NS_PRIVATE;
	s.idmaps[SPEC_IDMAP_GID].n = SPEC_MAX_IDMAPS + 1;
	ok(sandbox_encode(&s, NULL, 1, &len) == NULL, "encode refuses more mappings than the limit");
	s.idmaps[SPEC_IDMAP_GID].n = 0;
	s.has_linux = false;
	s.ns[NS_PID].state = SPEC_NS_INHERITED;
	s.idmaps[SPEC_IDMAP_UID] = (struct spec_idmaps){ &(struct spec_idmap){ 0, 1, 1 }, 1 };
	ok(sandbox_encode(&s, NULL, 1, &len) == NULL, "encode refuses mappings without a \"linux\" object");
}

struct wire_case {
	const char *name;
	const char *bytes;
	size_t len;
	const char *err; /* NULL: accepted */
};

#define W(s) s, sizeof(s) - 1
/* length prefixes, little-endian */
#define L0   "\0\0\0\0"
#define L1   "\x01\0\0\0"
#define L2   "\x02\0\0\0"
#define L3   "\x03\0\0\0"
#define LMAX "\xff\xff\xff\xff"
/* the status, the linux flag and the states of the last seven types */
#define OK    "\x01"
#define ERR   "\x02"
#define LINUX "\x01"
#define INH7  "\0\0\0\0\0\0\0"
/* no uid and no gid mappings */
#define NOMAPS L0 L0
/* one mapping: container 0, host 1000, size 1 */
#define MAP1 L0 "\xe8\x03\0\0" L1

static const struct wire_case wire_cases[] = {
	{ "valid spec", W(OK LINUX "\x02" L2 "/a" INH7 NOMAPS L1 L1 "k" L1 "v"), NULL },
	{ "valid spec without linux",
	  W(OK "\0"
	       "\0" INH7 NOMAPS L0),
	  NULL },
	{ "valid error", W(ERR L3 "bad"), NULL },
	{ "empty buffer", W(""), "ends before its status" },
	{ "status 0",
	  W("\0"
	    "\0"
	    "\0" INH7 NOMAPS L0),
	  "unknown status 0" },
	{ "status 3", W("\x03" LINUX "\0" INH7 NOMAPS L0), "unknown status 3" },
	{ "linux flag 2",
	  W(OK "\x02"
	       "\0" INH7 NOMAPS L0),
	  "\"linux\" flag is 2" },
	{ "state 3", W(OK LINUX "\x03" INH7 NOMAPS L0), "unknown state 3 for namespace network" },
	{ "state 255",
	  W(OK LINUX "\0"
		     "\0"
		     "\0"
		     "\0"
		     "\0"
		     "\0"
		     "\0"
		     "\xff" NOMAPS L0),
	  "unknown state 255 for namespace time" },
	{ "namespace without linux",
	  W(OK "\0"
	       "\x01" INH7 NOMAPS L0),
	  "no \"linux\" object" },
	{ "huge path length", W(OK LINUX "\x02" LMAX "/a" INH7 NOMAPS L0), "claims 4294967295 bytes" },
	{ "path length one too many", W(OK LINUX "\x02" L3 "/a"), "claims 3 bytes but only 2 remain" },
	{ "relative joined path", W(OK LINUX "\x02" L1 "a" INH7 NOMAPS L0), "namespace network is not absolute" },
	{ "empty joined path", W(OK LINUX "\x02" L0 INH7 NOMAPS L0), "namespace network is not absolute" },
	{ "NUL in a path", W(OK LINUX "\x02" L3 "/\0a" INH7 NOMAPS L0), "contains a NUL byte" },
	{ "NUL in a key", W(OK LINUX "\0" INH7 NOMAPS L1 L2 "k\0" L1 "v"), "contains a NUL byte" },
	{ "NUL in a value", W(OK LINUX "\0" INH7 NOMAPS L1 L1 "k" L2 "\0v"), "contains a NUL byte" },
	{ "huge annotation count", W(OK LINUX "\0" INH7 NOMAPS LMAX L1 "k" L1 "v"),
	  "4294967295 annotations cannot fit" },
	{ "count that cannot fit", W(OK LINUX "\0" INH7 NOMAPS L3 L1 "k" L1 "v"),
	  "3 annotations cannot fit in 10 bytes" },
	{ "count above the pairs", W(OK LINUX "\0" INH7 NOMAPS L2 L1 "k" L1 "v" L0 "\0\0\0"),
	  "ends inside an annotation" },
	{ "uid and gid mappings", W(OK LINUX "\0" INH7 L1 MAP1 L2 MAP1 L0 LMAX LMAX L0), NULL },
	{ "mappings without linux",
	  W(OK "\0"
	       "\0" INH7 L1 MAP1 L0 L0),
	  "uid mappings are set but there is no \"linux\" object" },
	{ "gid mappings without linux",
	  W(OK "\0"
	       "\0" INH7 L0 L1 MAP1 L0),
	  "gid mappings are set but there is no \"linux\" object" },
	{ "mapping count over the limit", W(OK LINUX "\0" INH7 "\x01\x10\0\0" MAP1),
	  "4097 uid mappings is over the limit" },
	{ "huge mapping count", W(OK LINUX "\0" INH7 L0 LMAX MAP1 L0), "4294967295 gid mappings is over the limit" },
	{ "mapping count that cannot fit", W(OK LINUX "\0" INH7 L2 MAP1 L0 L0),
	  "2 uid mappings cannot fit in 20 bytes" },
	{ "mapping cut short", W(OK LINUX "\0" INH7 L1 L0 L0), "1 uid mappings cannot fit in 8 bytes" },
	{ "no gid count", W(OK LINUX "\0" INH7 L0), "ends inside the number of gid mappings" },
	{ "huge key length", W(OK LINUX "\0" INH7 NOMAPS L1 LMAX L0), "claims 4294967295 bytes" },
	{ "trailing garbage after a spec",
	  W(OK LINUX "\0" INH7 NOMAPS L1 L1 "k" L1 "v"
		     "x"),
	  "1 bytes follow" },
	{ "trailing garbage after an error",
	  W(ERR L3 "bad"
		   "\0"),
	  "1 bytes follow the error message" },
	{ "empty error message", W(ERR L0), "error message is 0 bytes long" },
	{ "NUL in an error message", W(ERR L3 "b\0d"), "contains a NUL byte" },
	{ "huge error length", W(ERR LMAX "bad"), "claims 4294967295 bytes" },
};

static void test_wire_cases(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(wire_cases); i++) {
		const struct wire_case *c = &wire_cases[i];
		struct nsg_err err = { .msg = "" };
		cleanup_spec struct spec s = { 0 };
		int r = decode_copy(c->bytes, c->len, &s, &err);

		if (!c->err) {
			ok(r == 0 || (c->bytes[0] == ERR[0] && strcmp(err.msg, "bad") == 0), "%s: accepted (%s)",
			   c->name, err.msg);
			continue;
		}
		is_int(r, -1, "%s: refused", c->name);
		like_str(err.msg, c->err, "%s: says why", c->name);
		ok(spec_is_empty(&s), "%s: leaves the result empty", c->name);
	}
}

/* An error message as long as nsg_err can hold is fine; one byte more is not. */
static void test_error_length(void)
{
	char buf[5 + NSG_ERR_MAX];
	struct nsg_err err = { .msg = "" };
	struct spec s;

	buf[0] = ERR[0];
	memset(buf + 5, 'x', NSG_ERR_MAX);
	for (uint32_t n = NSG_ERR_MAX - 1; n <= NSG_ERR_MAX; n++) {
		buf[1] = (char)(n & 0xFF);
		buf[2] = (char)(n >> 8);
		buf[3] = buf[4] = 0;
		is_int(decode_copy(buf, 5 + n, &s, &err), -1, "error message of %u bytes decodes as a failure", n);
		is_int(strlen(err.msg) == NSG_ERR_MAX - 1 && err.msg[0] == 'x', n < NSG_ERR_MAX,
		       "error message of %u bytes is %s", n, n < NSG_ERR_MAX ? "taken" : "refused");
	}
}

/* The child's error message comes back byte for byte, control characters and
 * invalid UTF-8 included: like every byte from outside, it is escaped once,
 * where it is printed, not on the wire. */
static void test_error_bytes(void)
{
	static const char msg[] = "line 1: key \"\x1b[31m\x01\x7f\xff\" is unknown\n";
	static const char wire[] = ERR L3 "\x1b[m";
	struct nsg_err in, out = { .msg = "" };
	cleanup_free char *buf = NULL;
	struct spec s;
	size_t len = 0;

	is_int(decode_copy(wire, sizeof(wire) - 1, &s, &out), -1, "an escape sequence as error message: a failure");
	is_str(out.msg, "\x1b[m", "the escape sequence comes back as it was written");
	nsg_fail(&in, "%s", msg);
	buf = sandbox_encode(NULL, &in, 0, &len);
	is_int(decode_copy(buf, len, &s, &out), -1, "an error with control bytes decodes as a failure");
	is_str(out.msg, msg, "its bytes come back unchanged, to be escaped at the output edge");
}

/* Random corruptions of a valid encoding: never a crash (ASan), and whatever
 * is accepted re-encodes to exactly the same bytes (the format is canonical,
 * so no two buffers smuggle different meanings past the same check). */
static void test_mutations(void)
{
	cleanup_spec struct spec in = { 0 };
	cleanup_free char *buf = NULL;
	size_t len = 0, accepted = 0, mismatched = 0;
	unsigned seed = 12345;

	rich_spec(&in);
	free(in.annotations[3].value);
	in.annotations[3].value = nsg_strdup("short");
	buf = sandbox_encode(&in, NULL, 1, &len);
	for (int round = 0; round < 20000; round++) {
		char *m = nsg_malloc(len);
		size_t mlen = len, out_len = 0;
		struct spec s;

		memcpy(m, buf, len);
		for (int flips = 1 + rand_r(&seed) % 3; flips > 0; flips--)
			m[(size_t)rand_r(&seed) % len] = (char)rand_r(&seed);
		if (rand_r(&seed) % 4 == 0)
			mlen = (size_t)rand_r(&seed) % len;
		if (decode_copy(m, mlen, &s, NULL) == 0) {
			char *again = sandbox_encode(&s, NULL, 1, &out_len);

			accepted++;
			if (!again || out_len != mlen || memcmp(again, m, mlen) != 0)
				mismatched++;
			free(again);
			spec_free(&s);
		}
		free(m);
	}
	ok(accepted > 0, "some random corruptions still decode (%zu of 20000)", accepted);
	is_int(mismatched, 0, "every accepted corruption re-encodes to the same bytes");
}

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
};

/* The input the children are confined for: a small config's budget. */
#define CHILD_INPUT_LEN (sizeof(valid_config) - 1)

static void confine_or_exit(int fd)
{
	struct nsg_err err = { .msg = "" };

	if (sandbox_confine(fd, CHILD_INPUT_LEN, &err) == 0)
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
	if (confine)
		confine_or_exit(fd);
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
	test_round_trip();
	test_error_round_trip();
	test_encode_refuses();
	test_wire_cases();
	test_error_length();
	test_error_bytes();
	test_mutations();
	test_same_as_spec_parse();
	test_no_descriptor_leak();
	test_confined_open();
	test_confined_memory();
	test_confined_state();
	test_no_selftest_hook();
	return tap_done();
}
