/* spec.c - see spec.h.
 *
 * runc reads config.json with Go's encoding/json into the OCI runtime-spec
 * structs; nsguard reads it with yajl. Every place where the two could see
 * different bytes or different fields is a way to hide a host namespace from
 * nsguard, so this file refuses instead of guessing:
 *
 *  - Go matches object keys to struct fields exactly, else case-insensitively
 *    with two extra folds: U+017F (long s) = s and U+212A (Kelvin sign) = k.
 *    Go <= 1.20 (fold.go: simpleLetterEqualFold/equalFoldRight) and Go >= 1.21
 *    (fold.go: foldName, the smallest rune of each unicode.SimpleFold orbit)
 *    agree on this for every key. Other case mappings also turn U+0130 and
 *    U+0131 into "i"/"I"; Go does not, and a key that relies on the difference
 *    is refused rather than trusted to stay unmatched.
 *  - Go replaces invalid UTF-8 and unpaired UTF-16 surrogate escapes with
 *    U+FFFD; yajl passes raw bytes through, turns a lone high surrogate into
 *    '?', and decodes a high surrogate followed by any escape as a pair. So a
 *    path could differ: all of these are refused by a pre-scan.
 *  - yajl accepts \v and \f between tokens and decodes \u0000 into a NUL
 *    byte that would truncate a C string; Go does neither. Refused.
 *  - Go keeps the last of two keys for the same field (or map key); which one
 *    "wins" is exactly what a tenant would exploit. Refused.
 *  - null for a pointer or slice field reads as "absent" in Go, i.e. host
 *    namespaces. Refused.
 */
#include "spec.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "jsonutil.h"

/* Objects (and the one array) whose contents nsguard interprets. */
enum role {
	ROLE_TOP,
	ROLE_LINUX,
	ROLE_NAMESPACES,
	ROLE_NS_ENTRY,
	ROLE_ANNOTATIONS,
};

/* TOP > LINUX > NAMESPACES > NS_ENTRY is the deepest chain of roles. */
#define SPEC_MAX_FRAMES 4

enum jtype {
	J_NULL,
	J_BOOL,
	J_NUMBER,
	J_STRING,
	J_OBJECT,
	J_ARRAY
};

static const char *const jtype_names[] = {
	[J_NULL] = "null",	 [J_BOOL] = "a boolean",   [J_NUMBER] = "a number",
	[J_STRING] = "a string", [J_OBJECT] = "an object", [J_ARRAY] = "an array",
};

/* What the next value means. */
enum slot {
	SLOT_IGNORED,
	SLOT_TOP,
	SLOT_LINUX,
	SLOT_ANNOTATIONS,
	SLOT_NAMESPACES,
	SLOT_NS_ENTRY,
	SLOT_TYPE,
	SLOT_PATH,
	SLOT_ANNOTATION_VALUE,
};

struct slot_info {
	const char *what; /* for messages; NULL: built from the annotation key */
	enum jtype want;
	enum role role; /* containers only */
};

static const struct slot_info slots[] = {
	[SLOT_TOP] = { "the top-level JSON value", J_OBJECT, ROLE_TOP },
	[SLOT_LINUX] = { "\"linux\"", J_OBJECT, ROLE_LINUX },
	[SLOT_ANNOTATIONS] = { "\"annotations\"", J_OBJECT, ROLE_ANNOTATIONS },
	[SLOT_NAMESPACES] = { "\"linux.namespaces\"", J_ARRAY, ROLE_NAMESPACES },
	[SLOT_NS_ENTRY] = { "an entry of \"linux.namespaces\"", J_OBJECT, ROLE_NS_ENTRY },
	[SLOT_TYPE] = { "namespace \"type\"", J_STRING, 0 },
	[SLOT_PATH] = { "namespace \"path\"", J_STRING, 0 },
	[SLOT_ANNOTATION_VALUE] = { NULL, J_STRING, 0 },
};

/* The struct fields Go's decoder knows in each interpreted object (json tags
 * of the runtime-spec Go types). Names are lowercase ASCII letters. */
struct field {
	enum role parent;
	const char *name;
	enum slot slot;
};

static const struct field fields[] = {
	{ ROLE_TOP, "linux", SLOT_LINUX },
	{ ROLE_TOP, "annotations", SLOT_ANNOTATIONS },
	{ ROLE_LINUX, "namespaces", SLOT_NAMESPACES },
	{ ROLE_NS_ENTRY, "type", SLOT_TYPE },
	{ ROLE_NS_ENTRY, "path", SLOT_PATH },
};
#define N_FIELDS NSG_ARRAY_SIZE(fields)

/* Non-ASCII runes that a case mapping turns into an ASCII letter. Go folds
 * the first two (unicode.SimpleFold orbits of 's' and 'k'); unicode.ToLower
 * and ToUpper also map the last two to 'i'/'I', Go's key matching does not. */
struct extra_fold {
	uint32_t rune;
	char letter;
	bool go_folds;
	const char *name;
};

static const struct extra_fold extra_folds[] = {
	{ 0x017F, 's', true, "LATIN SMALL LETTER LONG S" },
	{ 0x212A, 'k', true, "KELVIN SIGN" },
	{ 0x0130, 'i', false, "LATIN CAPITAL LETTER I WITH DOT ABOVE" },
	{ 0x0131, 'i', false, "LATIN SMALL LETTER DOTLESS I" },
};

/* A matched key is at most 2 bytes per letter of the longest field name. */
#define KEY_COPY_MAX 32

struct frame {
	enum role role;
	unsigned seen; /* bit i: fields[i] was set in this object */
	size_t seen_off[N_FIELDS];
	char seen_key[N_FIELDS][KEY_COPY_MAX];
};

struct ns_entry {
	int type; /* -1 until "type" is read */
	char *path;
	size_t start_off;
};

struct ctx {
	const char *buf;
	size_t len;
	yajl_handle handle;
	bool completing; /* inside yajl_complete_parse: the offset is the end */
	struct nsg_err *err;
	unsigned depth;
	unsigned ignore_from; /* depth of the ignored container we are in, or 0 */
	struct frame frames[SPEC_MAX_FRAMES];
	size_t n_frames;
	enum slot pending; /* set by a key in an interpreted object */
	struct ns_entry entry;
	size_t ns_off[NS_TYPE_COUNT];
	char *annot_key;
	size_t annot_cap;
	size_t *annot_off;
	const char *const *keep; /* annotation keys whose values are kept; NULL: all */
	size_t n_keep;
	struct spec out;
};

static bool is_kept(const char *key, const char *const *keys, size_t n);

/* --- messages ------------------------------------------------------------ */

/* s[0..len) (valid UTF-8) double-quoted for a message: at most ~60 bytes,
 * control characters (C0, DEL, C1) escaped so a config cannot drive the
 * terminal or the log reader. */
static const char *quote(const void *s, size_t len, char *out, size_t size)
{
	const unsigned char *p = s;
	size_t o = 0, max = size - 8;

	out[o++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (o >= max - 6 && (p[i] & 0xC0) != 0x80) {
			o += (size_t)snprintf(out + o, size - o, "...");
			break;
		}
		if (p[i] == 0xC2 && i + 1 < len && p[i + 1] < 0xA0)
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", p[++i]);
		else if (p[i] < 0x20 || p[i] == 0x7F)
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", p[i]);
		else if (p[i] == '"' || p[i] == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\%c", p[i]);
		else
			out[o++] = (char)p[i];
	}
	snprintf(out + o, size - o, "\"");
	return out;
}

static size_t cur_off(const struct ctx *c)
{
	return c->completing ? c->len : yajl_get_bytes_consumed(c->handle);
}

__attribute__((format(printf, 5, 6))) static int fail_at(struct nsg_err *err, const char *buf, size_t len, size_t off,
							 const char *fmt, ...)
{
	char msg[NSG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return nsg_fail(err, "line %u: %s", nsg_line_of(buf, len, off), msg);
}

#define ctx_fail_at(c, off, ...) fail_at((c)->err, (c)->buf, (c)->len, (off), __VA_ARGS__)
#define ctx_fail(c, ...)	 ctx_fail_at((c), cur_off(c), __VA_ARGS__)

/* --- pre-scan: bytes on which Go and yajl disagree ------------------------- */

struct utf8_form {
	unsigned char lead_lo, lead_hi, len, second_lo, second_hi;
};

/* RFC 3629 well-formed sequences: no overlongs, surrogates or > U+10FFFF. */
static const struct utf8_form utf8_forms[] = {
	{ 0xC2, 0xDF, 2, 0x80, 0xBF }, { 0xE0, 0xE0, 3, 0xA0, 0xBF }, { 0xE1, 0xEC, 3, 0x80, 0xBF },
	{ 0xED, 0xED, 3, 0x80, 0x9F }, { 0xEE, 0xEF, 3, 0x80, 0xBF }, { 0xF0, 0xF0, 4, 0x90, 0xBF },
	{ 0xF1, 0xF3, 4, 0x80, 0xBF }, { 0xF4, 0xF4, 4, 0x80, 0x8F },
};

/* Length of the well-formed UTF-8 sequence at p (1 for ASCII), or 0. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	if (p[0] < 0x80)
		return 1;
	for (size_t f = 0; f < NSG_ARRAY_SIZE(utf8_forms); f++) {
		const struct utf8_form *u = &utf8_forms[f];

		if (p[0] < u->lead_lo || p[0] > u->lead_hi)
			continue;
		if (avail < u->len || p[1] < u->second_lo || p[1] > u->second_hi)
			return 0;
		for (size_t i = 2; i < u->len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		return u->len;
	}
	return 0;
}

static uint32_t utf8_decode(const unsigned char *p, size_t n)
{
	static const unsigned char lead_mask[] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	uint32_t r = p[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		r = (r << 6) | (p[i] & 0x3F);
	return r;
}

static int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 4 hex digits at p as a number, or -1. */
static long hex4(const unsigned char *p, size_t avail)
{
	long v = 0;

	if (avail < 4)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A backslash only occurs inside strings in valid JSON; *i is at one.
 * Malformed escapes are skipped here and reported by yajl. */
static int prescan_escape(const unsigned char *b, size_t len, size_t *i, struct nsg_err *err)
{
	size_t at = *i;
	long u, low;

	if (at + 1 >= len || b[at + 1] != 'u' || (u = hex4(b + at + 2, len - at - 2)) < 0) {
		/* Step over the escaped byte, unless it starts a UTF-8 sequence
		 * that the caller must still validate. */
		*i += at + 1 < len && b[at + 1] >= 0x80 ? 1 : 2;
		return 0;
	}
	if (u == 0)
		return fail_at(err, (const char *)b, len, at,
			       "\\u0000 in a string: a NUL would cut the string short for nsguard but not for runc");
	if (u >= 0xD800 && u <= 0xDBFF) {
		low = at + 7 < len && b[at + 6] == '\\' && b[at + 7] == 'u' ? hex4(b + at + 8, len - at - 8) : -1;
		if (low >= 0xDC00 && low <= 0xDFFF) {
			*i += 12;
			return 0;
		}
	}
	if (u >= 0xD800 && u <= 0xDFFF)
		return fail_at(
			err, (const char *)b, len, at,
			"unpaired UTF-16 surrogate \\u%04lX in a string (Go and nsguard would decode it differently)",
			u);
	*i += 6;
	return 0;
}

/* Bytes the prescan has nothing to check in: ASCII but the backslash and the
 * two control characters yajl accepts between tokens and Go does not. Most of
 * a config.json is these; skipping them in a tight loop keeps the prescan
 * from costing more than the parse (SPEC.md section 12). */
static bool plain_byte(unsigned char c)
{
	return c < 0x80 && c != '\\' && c != '\v' && c != '\f';
}

static int prescan(const unsigned char *b, size_t len, struct nsg_err *err)
{
	if (len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
		return nsg_fail(
			err, "line 1: the file starts with a UTF-8 byte order mark, which runc's JSON decoder rejects");
	for (size_t i = 0; i < len;) {
		size_t n;

		while (i < len && plain_byte(b[i]))
			i++;
		if (i == len)
			break;
		n = utf8_len(b + i, len - i);

		if (n == 0)
			return fail_at(err, (const char *)b, len, i, "invalid UTF-8 (byte 0x%02X)", b[i]);
		if (b[i] == '\\') {
			if (prescan_escape(b, len, &i, err) < 0)
				return -1;
			continue;
		}
		if (b[i] == '\v' || b[i] == '\f')
			return fail_at(
				err, (const char *)b, len, i,
				"control character 0x%02X: JSON allows only space, tab, CR and LF between tokens",
				b[i]);
		i += n;
	}
	return 0;
}

/* --- keys ----------------------------------------------------------------- */

enum key_match {
	KEY_NONE,
	KEY_FIELD,
	KEY_AMBIGUOUS
};

static const struct extra_fold *extra_fold_of(uint32_t r)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(extra_folds); i++)
		if (extra_folds[i].rune == r)
			return &extra_folds[i];
	return NULL;
}

/* Does key (valid UTF-8) name the field the way Go matches it? KEY_AMBIGUOUS:
 * only through a fold Go does not make (*ret_fold says which). */
static enum key_match match_key(const unsigned char *key, size_t len, const char *name,
				const struct extra_fold **ret_fold)
{
	bool ambiguous = false;
	size_t i = 0;

	for (const char *n = name; *n; n++) {
		const struct extra_fold *f;
		size_t sz;

		if (i >= len)
			return KEY_NONE;
		if (key[i] < 0x80) {
			unsigned char c = key[i] >= 'A' && key[i] <= 'Z' ? key[i] + ('a' - 'A') : key[i];

			if (c != (unsigned char)*n)
				return KEY_NONE;
			i++;
			continue;
		}
		sz = utf8_len(key + i, len - i);
		f = sz ? extra_fold_of(utf8_decode(key + i, sz)) : NULL;
		if (!f || f->letter != *n)
			return KEY_NONE;
		if (!f->go_folds) {
			ambiguous = true;
			*ret_fold = f;
		}
		i += sz;
	}
	if (i != len)
		return KEY_NONE;
	return ambiguous ? KEY_AMBIGUOUS : KEY_FIELD;
}

static int field_key(struct ctx *c, struct frame *fr, const unsigned char *key, size_t len)
{
	char q[80];

	c->pending = SLOT_IGNORED;
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct extra_fold *fold = NULL;
		enum key_match m;

		if (fields[i].parent != fr->role)
			continue;
		m = match_key(key, len, fields[i].name, &fold);
		if (m == KEY_AMBIGUOUS)
			return ctx_fail(c,
					"key %s spells \"%s\" with U+%04X %s, which Go does not fold to \"%c\" "
					"but other case mappings do; write the key in ASCII",
					quote(key, len, q, sizeof(q)), fields[i].name, (unsigned)fold->rune, fold->name,
					fold->letter);
		if (m == KEY_NONE)
			continue;
		if (fr->seen & (1u << i))
			return ctx_fail(c, "duplicate key %s (Go reads it as the same field as \"%s\" on line %u)",
					quote(key, len, q, sizeof(q)), fr->seen_key[i],
					nsg_line_of(c->buf, c->len, fr->seen_off[i]));
		fr->seen |= 1u << i;
		fr->seen_off[i] = cur_off(c);
		snprintf(fr->seen_key[i], sizeof(fr->seen_key[i]), "%.*s", (int)len, (const char *)key);
		c->pending = fields[i].slot;
		return 0;
	}
	return 0;
}

static int annotation_key(struct ctx *c, const unsigned char *key, size_t len)
{
	free(c->annot_key);
	c->annot_key = nsg_strndup((const char *)key, len);
	c->pending = SLOT_ANNOTATION_VALUE;
	if (c->out.n_annotations == c->annot_cap) {
		c->annot_cap = c->annot_cap ? 2 * c->annot_cap : 16;
		c->out.annotations = nsg_realloc(c->out.annotations, c->annot_cap * sizeof(*c->out.annotations));
		c->annot_off = nsg_realloc(c->annot_off, c->annot_cap * sizeof(*c->annot_off));
	}
	c->annot_off[c->out.n_annotations] = cur_off(c);
	return 0;
}

/* --- values ----------------------------------------------------------------- */

/* The meaning of the value that starts now, checked against its JSON type. */
static int begin_value(struct ctx *c, enum jtype type, enum slot *ret_slot)
{
	enum slot slot = SLOT_TOP;
	char what[128], q[80];

	if (c->n_frames > 0)
		slot = c->frames[c->n_frames - 1].role == ROLE_NAMESPACES ? SLOT_NS_ENTRY : c->pending;
	c->pending = SLOT_IGNORED;
	*ret_slot = slot;
	if (slot == SLOT_IGNORED || type == slots[slot].want)
		return 0;
	if (slots[slot].what)
		snprintf(what, sizeof(what), "%s", slots[slot].what);
	else
		snprintf(what, sizeof(what), "annotation %s", quote(c->annot_key, strlen(c->annot_key), q, sizeof(q)));
	if (type == J_NULL && slot != SLOT_TOP)
		return ctx_fail(c, "%s is null; give %s or remove the key", what, jtype_names[slots[slot].want]);
	return ctx_fail(c, "%s must be %s, not %s", what, jtype_names[slots[slot].want], jtype_names[type]);
}

static int set_type(struct ctx *c, const unsigned char *s, size_t len)
{
	char q[80], names[128] = "";
	int t = ns_type_from_name((const char *)s, len);

	if (t < 0) {
		for (size_t i = 0; i < NS_TYPE_COUNT; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
				 ns_infos[i].name);
		return ctx_fail(c, "namespace type %s is not one of %s", quote(s, len, q, sizeof(q)), names);
	}
	if (c->out.ns[t].state != SPEC_NS_INHERITED)
		return ctx_fail(c, "namespace type \"%s\" appears twice in linux.namespaces (also on line %u)",
				ns_infos[t].name, nsg_line_of(c->buf, c->len, c->ns_off[t]));
	c->entry.type = t;
	c->ns_off[t] = cur_off(c);
	return 0;
}

static int set_path(struct ctx *c, const unsigned char *s, size_t len)
{
	char q[80];

	if (len > 0 && s[0] != '/')
		return ctx_fail(c, "namespace path %s is not absolute", quote(s, len, q, sizeof(q)));
	free(c->entry.path);
	c->entry.path = nsg_strndup((const char *)s, len);
	return 0;
}

static int on_string(struct ctx *c, const unsigned char *s, size_t len)
{
	struct spec_annotation *a;
	enum slot slot;

	if (c->ignore_from)
		return 0;
	if (begin_value(c, J_STRING, &slot) < 0)
		return -1;
	switch (slot) {
	case SLOT_TYPE:
		return set_type(c, s, len);
	case SLOT_PATH:
		return set_path(c, s, len);
	case SLOT_ANNOTATION_VALUE:
		a = &c->out.annotations[c->out.n_annotations++];
		a->key = steal_pointer(&c->annot_key);
		/* Keys are always kept (duplicates must be found); values only when wanted. */
		a->value = !c->keep || is_kept(a->key, c->keep, c->n_keep) ? nsg_strndup((const char *)s, len) : NULL;
		return 0;
	default:
		return 0;
	}
}

static int on_scalar(struct ctx *c, enum jtype type)
{
	enum slot slot;

	if (c->ignore_from)
		return 0;
	return begin_value(c, type, &slot);
}

/* --- containers ------------------------------------------------------------- */

static int start_container(struct ctx *c, enum jtype type)
{
	struct frame *fr;
	enum slot slot;

	if (++c->depth > SPEC_MAX_DEPTH)
		return ctx_fail(c, "JSON nesting is deeper than %d levels", SPEC_MAX_DEPTH);
	if (c->ignore_from)
		return 0;
	if (begin_value(c, type, &slot) < 0)
		return -1;
	if (slot == SLOT_IGNORED) {
		c->ignore_from = c->depth;
		return 0;
	}
	fr = &c->frames[c->n_frames++];
	memset(fr, 0, sizeof(*fr));
	fr->role = slots[slot].role;
	if (fr->role == ROLE_LINUX)
		c->out.has_linux = true;
	if (fr->role == ROLE_NS_ENTRY)
		c->entry = (struct ns_entry){ .type = -1, .start_off = cur_off(c) - 1 };
	return 0;
}

static int end_ns_entry(struct ctx *c)
{
	struct spec_ns *ns;

	if (c->entry.type < 0)
		return ctx_fail_at(c, c->entry.start_off, "an entry of linux.namespaces has no \"type\"");
	ns = &c->out.ns[c->entry.type];
	if (c->entry.path && c->entry.path[0]) {
		ns->state = SPEC_NS_JOINED;
		ns->path = steal_pointer(&c->entry.path);
	} else {
		ns->state = SPEC_NS_PRIVATE;
	}
	free(steal_pointer(&c->entry.path));
	return 0;
}

struct annot_ref {
	const char *key;
	size_t off;
};

static int annot_ref_cmp(const void *a, const void *b)
{
	const struct annot_ref *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : (x->off > y->off) - (x->off < y->off);
}

/* Go keeps the last of two equal map keys; refuse instead. Sorting keeps
 * this O(n log n) for files with very many annotations. */
static int check_annotation_dups(struct ctx *c)
{
	size_t n = c->out.n_annotations, dup = 0;
	cleanup_free struct annot_ref *refs = nsg_calloc(n, sizeof(*refs));
	char q[80];

	for (size_t i = 0; i < n; i++)
		refs[i] = (struct annot_ref){ c->out.annotations[i].key, c->annot_off[i] };
	qsort(refs, n, sizeof(*refs), annot_ref_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(refs[i - 1].key, refs[i].key) == 0 && (!dup || refs[i].off < refs[dup].off))
			dup = i;
	if (!dup)
		return 0;
	return ctx_fail_at(c, refs[dup].off, "duplicate annotation %s (also on line %u)",
			   quote(refs[dup].key, strlen(refs[dup].key), q, sizeof(q)),
			   nsg_line_of(c->buf, c->len, refs[dup - 1].off));
}

static int end_container(struct ctx *c)
{
	enum role role;

	if (c->ignore_from) {
		if (c->depth == c->ignore_from)
			c->ignore_from = 0;
		c->depth--;
		return 0;
	}
	c->depth--;
	role = c->frames[--c->n_frames].role;
	if (role == ROLE_NS_ENTRY)
		return end_ns_entry(c);
	if (role == ROLE_ANNOTATIONS)
		return check_annotation_dups(c);
	return 0;
}

static int on_key(struct ctx *c, const unsigned char *key, size_t len)
{
	struct frame *fr;

	if (c->ignore_from)
		return 0;
	fr = &c->frames[c->n_frames - 1];
	if (fr->role == ROLE_ANNOTATIONS)
		return annotation_key(c, key, len);
	return field_key(c, fr, key, len);
}

/* --- yajl callbacks: 1 continues, 0 cancels ------------------------------------ */

static int cb_null(void *c)
{
	return on_scalar(c, J_NULL) == 0;
}

static int cb_boolean(void *c, int v)
{
	(void)v;
	return on_scalar(c, J_BOOL) == 0;
}

/* Numbers as text: no conversion, so no overflow error Go would not give. */
static int cb_number(void *c, const char *s, size_t len)
{
	(void)s;
	(void)len;
	return on_scalar(c, J_NUMBER) == 0;
}

static int cb_string(void *c, const unsigned char *s, size_t len)
{
	return on_string(c, s, len) == 0;
}

static int cb_start_map(void *c)
{
	return start_container(c, J_OBJECT) == 0;
}

static int cb_map_key(void *c, const unsigned char *key, size_t len)
{
	return on_key(c, key, len) == 0;
}

static int cb_end(void *c)
{
	return end_container(c) == 0;
}

static int cb_start_array(void *c)
{
	return start_container(c, J_ARRAY) == 0;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

/* --- entry points ----------------------------------------------------------- */

static int syntax_error(struct ctx *c, yajl_status st, size_t off)
{
	unsigned char *msg;
	size_t n;

	if (st == yajl_status_client_canceled)
		return -1; /* a callback already said why */
	msg = yajl_get_error(c->handle, 0, (const unsigned char *)c->buf, c->len);
	if (!msg)
		return ctx_fail_at(c, off, "malformed JSON");
	n = strlen((char *)msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.'))
		n--;
	ctx_fail_at(c, off, "malformed JSON: %.*s", (int)n, (char *)msg);
	yajl_free_error(c->handle, msg);
	return -1;
}

static int run_yajl(struct ctx *c)
{
	cleanup_yajl yajl_handle h = yajl_alloc(&callbacks, NULL, c);
	yajl_status st;

	if (!h)
		abort();
	c->handle = h;
	/* yajl's defaults, made explicit: these are the checks Go also makes. */
	yajl_config(h, yajl_allow_comments, 0);
	yajl_config(h, yajl_dont_validate_strings, 0);
	yajl_config(h, yajl_allow_trailing_garbage, 0);
	yajl_config(h, yajl_allow_multiple_values, 0);
	yajl_config(h, yajl_allow_partial_values, 0);
	st = yajl_parse(h, (const unsigned char *)c->buf, c->len);
	if (st != yajl_status_ok)
		return syntax_error(c, st, yajl_get_bytes_consumed(h));
	c->completing = true;
	st = yajl_complete_parse(h);
	if (st != yajl_status_ok)
		return syntax_error(c, st, c->len);
	return 0;
}

/* on_string() stored no value for annotations outside the keep list; once the
 * duplicate check has seen their keys, drop them. */
static void drop_unkept(struct spec *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n_annotations; i++) {
		if (s->annotations[i].value) {
			s->annotations[kept++] = s->annotations[i];
			continue;
		}
		free(s->annotations[i].key);
	}
	s->n_annotations = kept;
}

int spec_parse(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	return spec_parse_keep(buf, len, NULL, 0, ret, err);
}

int spec_parse_keep(const char *buf, size_t len, const char *const *keys, size_t n_keys, struct spec *ret,
		    struct nsg_err *err)
{
	struct ctx c = { .buf = buf, .len = len, .err = err, .entry = { .type = -1 }, .keep = keys, .n_keep = n_keys };
	int r;

	*ret = (struct spec){ 0 };
	if (len > SPEC_MAX_SIZE)
		return nsg_fail(err, "the file is %zu bytes, over the limit of %d MiB", len,
				SPEC_MAX_SIZE / (1024 * 1024));
	if (prescan((const unsigned char *)buf, len, err) < 0)
		return -1;
	r = run_yajl(&c);
	free(c.annot_key);
	free(c.annot_off);
	free(c.entry.path);
	if (r < 0) {
		spec_free(&c.out);
		return -1;
	}
	if (keys)
		drop_unkept(&c.out);
	*ret = c.out;
	return 0;
}

const char *spec_annotation(const struct spec *s, const char *key)
{
	for (size_t i = 0; i < s->n_annotations; i++)
		if (strcmp(s->annotations[i].key, key) == 0)
			return s->annotations[i].value;
	return NULL;
}

static bool is_kept(const char *key, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

void spec_free(struct spec *s)
{
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		free(s->ns[i].path);
	for (size_t i = 0; i < s->n_annotations; i++) {
		free(s->annotations[i].key);
		free(s->annotations[i].value);
	}
	free(s->annotations);
	*s = (struct spec){ 0 };
}
