/* test-sandbox-wire.c - the parser child's result format (sandbox_wire.c, SPEC.md section 11).
 *
 * The wire format must round-trip every spec_parse result exactly, and the
 * decoder, which reads what a possibly compromised child wrote, must refuse
 * every malformed buffer without reading out of bounds (run under ASan: each
 * buffer is copied into an allocation of exactly its size).
 */
#include "sandbox.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec-diff.h"

/* The hand-made encodings below spell out one state byte per type. */
_Static_assert(NS_TYPE_COUNT == 8, "update the encodings in this file");

/* ---- helpers ------------------------------------------------------------------ */

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
	{ "path length one too many", W(OK LINUX "\x02" L3 "/a"),
	  "the path of namespace network claims 3 bytes but only 2 remain" },
	{ "cut after one state", W(OK LINUX "\0"), "it ends before the state of namespace pid" },
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
int main(void)
{
	test_round_trip();
	test_error_round_trip();
	test_encode_refuses();
	test_wire_cases();
	test_error_length();
	test_error_bytes();
	test_mutations();
	return tap_done();
}
