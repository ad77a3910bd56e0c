/* sandbox_wire.c - the parser child's result on the pipe: sandbox_encode() in
 * the child, sandbox_decode() in the parent (see sandbox.h).
 *
 * The parent does no parsing of JSON; it reads a compact, length-prefixed
 * result and decodes it trusting nothing: every length is checked against
 * what remains, and anything malformed is a refusal. The format is canonical
 * (one spec, one encoding), so no two buffers smuggle different meanings past
 * the same check.
 *
 * Result format:
 *   u8 status          SANDBOX_RESULT_PARSED or SANDBOX_RESULT_REFUSED
 *   refused:  str      spec_parse's error message (1..NSG_ERR_MAX-1 bytes)
 *   parsed:   u8       has_linux (0 or 1)
 *             NS_TYPE_COUNT times: u8 state (enum spec_ns_state); if JOINED: str path
 *             SPEC_IDMAP_KINDS times (uid, gid): u32 number of mappings
 *                      (at most SPEC_MAX_IDMAPS), then that many:
 *                      u32 container_id, u32 host_id, u32 size
 *             u32      number of annotations, then that many: str key, str value
 * where u32 is little-endian and str is a u32 length and that many bytes,
 * none of them NUL. The error message may hold any other byte: like every
 * byte from outside, it is escaped where it is printed (escape.h), not here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "sandbox.h"
#include "sandbox_internal.h"

enum sandbox_result_status {
	SANDBOX_RESULT_PARSED = 1,
	SANDBOX_RESULT_REFUSED = 2,
};

/* An annotation costs at least two empty length prefixes on the wire. */
#define SANDBOX_MIN_ANNOTATION_BYTES 8

/* A mapping is three u32 on the wire. */
#define SANDBOX_IDMAP_BYTES 12

/* The encoded result is never much larger than the JSON it came from (a
 * string's length prefix costs no more than its two quotes and separator;
 * a mapping, at most 12 bytes for a "{}," of 3, is bounded in number);
 * a child that writes more than this is refused without reading further. */
#define SANDBOX_RESULT_SLACK (64 * 1024 + SPEC_IDMAP_KINDS * SPEC_MAX_IDMAPS * SANDBOX_IDMAP_BYTES)

size_t sandbox_result_limit(size_t input_len)
{
	if (input_len > (SIZE_MAX - SANDBOX_RESULT_SLACK) / 2)
		return SIZE_MAX - 1;
	return 2 * input_len + SANDBOX_RESULT_SLACK;
}

/* ---- encoding --------------------------------------------------------------- */

static void sandbox_put_u8(struct nsg_buf *b, unsigned v)
{
	buf_putc(b, (char)(unsigned char)v);
}

static void sandbox_put_u32(struct nsg_buf *b, uint32_t v)
{
	unsigned char x[4] = { v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24 };

	buf_put(b, x, sizeof(x));
}

static int sandbox_put_str(struct nsg_buf *b, const char *s, size_t n)
{
	if (!s || n > UINT32_MAX || memchr(s, '\0', n))
		return -1;
	sandbox_put_u32(b, (uint32_t)n);
	buf_put(b, s, n);
	return 0;
}

static int sandbox_encode_ns(struct nsg_buf *b, const struct spec_ns *ns)
{
	switch (ns->state) {
	case SPEC_NS_INHERITED:
	case SPEC_NS_PRIVATE:
		sandbox_put_u8(b, ns->state);
		return 0;
	case SPEC_NS_JOINED:
		sandbox_put_u8(b, ns->state);
		return ns->path ? sandbox_put_str(b, ns->path, strlen(ns->path)) : -1;
	default:
		return -1;
	}
}

static int sandbox_encode_idmaps(struct nsg_buf *b, const struct spec_idmaps *m, bool has_linux)
{
	if (m->n > SPEC_MAX_IDMAPS || (m->n && !has_linux))
		return -1;
	sandbox_put_u32(b, (uint32_t)m->n);
	for (size_t i = 0; i < m->n; i++) {
		sandbox_put_u32(b, m->maps[i].container_id);
		sandbox_put_u32(b, m->maps[i].host_id);
		sandbox_put_u32(b, m->maps[i].size);
	}
	return 0;
}

static int sandbox_encode_spec(struct nsg_buf *b, const struct spec *s)
{
	sandbox_put_u8(b, SANDBOX_RESULT_PARSED);
	sandbox_put_u8(b, s->has_linux ? 1 : 0);
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		if (sandbox_encode_ns(b, &s->ns[i]) < 0)
			return -1;
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++)
		if (sandbox_encode_idmaps(b, &s->idmaps[k], s->has_linux) < 0)
			return -1;
	if (s->n_annotations > UINT32_MAX)
		return -1;
	sandbox_put_u32(b, (uint32_t)s->n_annotations);
	for (size_t i = 0; i < s->n_annotations; i++) {
		const struct spec_annotation *a = &s->annotations[i];

		if (!a->key || !a->value || sandbox_put_str(b, a->key, strlen(a->key)) < 0 ||
		    sandbox_put_str(b, a->value, strlen(a->value)) < 0)
			return -1;
	}
	return 0;
}

char *sandbox_encode(const struct spec *s, const struct nsg_err *parse_err, int parse_ok, size_t *ret_len)
{
	cleanup_buf struct nsg_buf b = { 0 };
	int r;

	if (parse_ok) {
		r = s ? sandbox_encode_spec(&b, s) : -1;
	} else {
		sandbox_put_u8(&b, SANDBOX_RESULT_REFUSED);
		r = parse_err ? sandbox_put_str(&b, parse_err->msg, strnlen(parse_err->msg, sizeof(parse_err->msg)))
			      : -1;
	}
	if (r < 0)
		return NULL;
	*ret_len = b.len;
	return buf_steal(&b);
}

/* ---- decoding: the bytes are untrusted ------------------------------------------ */

struct sandbox_reader {
	const unsigned char *p;
	size_t left;
	struct nsg_err *err;
};

/* The field being read, for messages: up to three pieces (a namespace's or
 * a kind of mapping's name between two), put together only in a message,
 * never on the way of a result that decodes (formatting each name cost the
 * parent printf's code and stack pages on every create). */
struct sandbox_what {
	const char *a, *b, *c;
};

#define SANDBOX_WHAT(s)	     ((struct sandbox_what){ (s), "", "" })
#define SANDBOX_WHAT_FMT     "%s%s%s"
#define SANDBOX_WHAT_ARGS(w) (w).a, (w).b, (w).c

#define sandbox_malformed(r, ...) nsg_fail((r)->err, "config.json parser returned a malformed result: " __VA_ARGS__)

static int sandbox_get_u8(struct sandbox_reader *r, struct sandbox_what what, unsigned *ret)
{
	if (r->left < 1)
		return sandbox_malformed(r, "it ends before " SANDBOX_WHAT_FMT, SANDBOX_WHAT_ARGS(what));
	*ret = r->p[0];
	r->p++;
	r->left--;
	return 0;
}

static int sandbox_get_u32(struct sandbox_reader *r, struct sandbox_what what, uint32_t *ret)
{
	if (r->left < 4)
		return sandbox_malformed(r, "it ends inside " SANDBOX_WHAT_FMT, SANDBOX_WHAT_ARGS(what));
	*ret = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return 0;
}

/* A length-prefixed string as a new NUL-terminated heap string. */
static int sandbox_get_str(struct sandbox_reader *r, struct sandbox_what what, char **ret)
{
	uint32_t n = 0;

	if (sandbox_get_u32(r, what, &n) < 0)
		return -1;
	if (n > r->left)
		return sandbox_malformed(r, SANDBOX_WHAT_FMT " claims %" PRIu32 " bytes but only %zu remain",
					 SANDBOX_WHAT_ARGS(what), n, r->left);
	if (memchr(r->p, '\0', n))
		return sandbox_malformed(r, SANDBOX_WHAT_FMT " contains a NUL byte", SANDBOX_WHAT_ARGS(what));
	*ret = nsg_strndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
}

/* The parse's own error, which becomes the caller's: as long as an nsg_err
 * can hold whole, and the last thing on the wire. */
static int sandbox_decode_refusal(struct sandbox_reader *r)
{
	cleanup_free char *msg = NULL;
	size_t n;

	if (sandbox_get_str(r, SANDBOX_WHAT("the error message"), &msg) < 0)
		return -1;
	n = strlen(msg);
	if (n == 0 || n >= NSG_ERR_MAX)
		return sandbox_malformed(r, "the error message is %zu bytes long", n);
	if (r->left)
		return sandbox_malformed(r, "%zu bytes follow the error message", r->left);
	memcpy(r->err->msg, msg, n + 1);
	return -1;
}

static int sandbox_decode_ns(struct sandbox_reader *r, bool has_linux, struct spec_ns *ns, const char *name)
{
	unsigned state = 0;

	if (sandbox_get_u8(r, (struct sandbox_what){ "the state of namespace ", name, "" }, &state) < 0)
		return -1;
	switch (state) {
	case SPEC_NS_INHERITED:
		break;
	case SPEC_NS_PRIVATE:
	case SPEC_NS_JOINED:
		if (!has_linux)
			return sandbox_malformed(r, "namespace %s is set but there is no \"linux\" object", name);
		break;
	default:
		return sandbox_malformed(r, "unknown state %u for namespace %s", state, name);
	}
	ns->state = state;
	if (state != SPEC_NS_JOINED)
		return 0;
	if (sandbox_get_str(r, (struct sandbox_what){ "the path of namespace ", name, "" }, &ns->path) < 0)
		return -1;
	if (ns->path[0] != '/')
		return sandbox_malformed(r, "the path of namespace %s is not absolute", name);
	return 0;
}

static const char *const sandbox_idmap_names[SPEC_IDMAP_KINDS] = {
	[SPEC_IDMAP_UID] = "uid",
	[SPEC_IDMAP_GID] = "gid",
};

static int sandbox_decode_idmaps(struct sandbox_reader *r, bool has_linux, struct spec_idmaps *m, const char *name)
{
	const struct sandbox_what what = { "the number of ", name, " mappings" };
	uint32_t n = 0;

	if (sandbox_get_u32(r, what, &n) < 0)
		return -1;
	if (n > SPEC_MAX_IDMAPS)
		return sandbox_malformed(r, "%" PRIu32 " %s mappings is over the limit of %d", n, name,
					 SPEC_MAX_IDMAPS);
	if (n > r->left / SANDBOX_IDMAP_BYTES)
		return sandbox_malformed(r, "%" PRIu32 " %s mappings cannot fit in %zu bytes", n, name, r->left);
	if (n && !has_linux)
		return sandbox_malformed(r, "%s mappings are set but there is no \"linux\" object", name);
	m->maps = nsg_calloc(n, sizeof(*m->maps));
	m->n = n;
	/* Every u32 is a valid id or size, and all of them fit: nothing more to check. */
	for (size_t i = 0; i < n; i++) {
		sandbox_get_u32(r, what, &m->maps[i].container_id);
		sandbox_get_u32(r, what, &m->maps[i].host_id);
		sandbox_get_u32(r, what, &m->maps[i].size);
	}
	return 0;
}

static int sandbox_decode_spec(struct sandbox_reader *r, struct spec *s)
{
	uint32_t n = 0;
	unsigned has_linux = 0;

	if (sandbox_get_u8(r, SANDBOX_WHAT("the \"linux\" flag"), &has_linux) < 0)
		return -1;
	if (has_linux > 1)
		return sandbox_malformed(r, "the \"linux\" flag is %u", has_linux);
	s->has_linux = has_linux;
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		if (sandbox_decode_ns(r, s->has_linux, &s->ns[i], ns_infos[i].name) < 0)
			return -1;
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++)
		if (sandbox_decode_idmaps(r, s->has_linux, &s->idmaps[k], sandbox_idmap_names[k]) < 0)
			return -1;
	if (sandbox_get_u32(r, SANDBOX_WHAT("the number of annotations"), &n) < 0)
		return -1;
	if (n > r->left / SANDBOX_MIN_ANNOTATION_BYTES)
		return sandbox_malformed(r, "%" PRIu32 " annotations cannot fit in %zu bytes", n, r->left);
	s->annotations = nsg_calloc(n, sizeof(*s->annotations));
	s->n_annotations = n;
	for (size_t i = 0; i < n; i++)
		if (sandbox_get_str(r, SANDBOX_WHAT("an annotation key"), &s->annotations[i].key) < 0 ||
		    sandbox_get_str(r, SANDBOX_WHAT("an annotation value"), &s->annotations[i].value) < 0)
			return -1;
	if (r->left)
		return sandbox_malformed(r, "%zu bytes follow the annotations", r->left);
	return 0;
}

int sandbox_decode(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	struct nsg_err scratch;
	struct sandbox_reader r = { (const unsigned char *)buf, len, err ? err : &scratch };
	cleanup_spec struct spec s = { 0 };
	unsigned status = 0;

	*ret = (struct spec){ 0 };
	if (sandbox_get_u8(&r, SANDBOX_WHAT("its status"), &status) < 0)
		return -1;
	switch (status) {
	case SANDBOX_RESULT_REFUSED:
		return sandbox_decode_refusal(&r);
	case SANDBOX_RESULT_PARSED:
		if (sandbox_decode_spec(&r, &s) < 0)
			return -1;
		*ret = s;
		s = (struct spec){ 0 };
		return 0;
	default:
		return sandbox_malformed(&r, "unknown status %u", status);
	}
}
