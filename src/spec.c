/* spec.c - see spec.h.
 *
 * runc reads config.json with Go's encoding/json into the OCI runtime-spec
 * structs; nsguard reads it with yajl. Every place where the two could see
 * different bytes or different fields is a way to hide a host namespace from
 * nsguard, so this file refuses instead of guessing:
 *
 *  - bytes Go and yajl decode differently, and keys that only some case
 *    mapping reads as a field: gojson.c, before and during the parse.
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

#include "gojson.h"
#include "jsonutil.h"

/* Objects and arrays whose contents nsguard interprets. */
enum role {
	ROLE_TOP,
	ROLE_LINUX,
	ROLE_NAMESPACES,
	ROLE_NS_ENTRY,
	ROLE_ANNOTATIONS,
	ROLE_IDMAPS, /* linux.uidMappings or linux.gidMappings */
	ROLE_IDMAP,  /* one entry of them */
};

/* TOP > LINUX > NAMESPACES > NS_ENTRY (or > IDMAPS > IDMAP) is the deepest chain. */
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
	SLOT_UID_MAPPINGS,
	SLOT_GID_MAPPINGS,
	SLOT_IDMAP,
	SLOT_CONTAINER_ID,
	SLOT_HOST_ID,
	SLOT_SIZE,
};

struct slot_info {
	const char *what; /* for messages; NULL: built from the annotation key */
	enum jtype want;
	enum role role;	 /* containers only */
	bool null_ok;	 /* Go reads null as what nsguard reads as absent */
	bool in_idmap;	 /* what is followed by the array it is in */
	int idmap_field; /* SLOT_*_ID and SLOT_SIZE: which struct spec_idmap member, else -1 */
};

enum idmap_field {
	IDMAP_CONTAINER_ID,
	IDMAP_HOST_ID,
	IDMAP_SIZE,
};

#define NOT_IDMAP .idmap_field = -1
static const struct slot_info slots[] = {
	[SLOT_TOP] = { "the top-level JSON value", J_OBJECT, ROLE_TOP, NOT_IDMAP },
	[SLOT_LINUX] = { "\"linux\"", J_OBJECT, ROLE_LINUX, NOT_IDMAP },
	[SLOT_ANNOTATIONS] = { "\"annotations\"", J_OBJECT, ROLE_ANNOTATIONS, NOT_IDMAP },
	[SLOT_NAMESPACES] = { "\"linux.namespaces\"", J_ARRAY, ROLE_NAMESPACES, NOT_IDMAP },
	[SLOT_NS_ENTRY] = { "an entry of \"linux.namespaces\"", J_OBJECT, ROLE_NS_ENTRY, NOT_IDMAP },
	[SLOT_TYPE] = { "namespace \"type\"", J_STRING, 0, NOT_IDMAP },
	[SLOT_PATH] = { "namespace \"path\"", J_STRING, 0, NOT_IDMAP },
	[SLOT_ANNOTATION_VALUE] = { NULL, J_STRING, 0, NOT_IDMAP },
	/* A null array is a nil slice for Go: no mappings, as without the key. */
	[SLOT_UID_MAPPINGS] = { "\"linux.uidMappings\"", J_ARRAY, ROLE_IDMAPS, .null_ok = true, NOT_IDMAP },
	[SLOT_GID_MAPPINGS] = { "\"linux.gidMappings\"", J_ARRAY, ROLE_IDMAPS, .null_ok = true, NOT_IDMAP },
	/* Go ignores null for a struct or a uint32 and keeps the zero value:
	 * refused like every other null nsguard reads. */
	[SLOT_IDMAP] = { "an entry", J_OBJECT, ROLE_IDMAP, .in_idmap = true, NOT_IDMAP },
	[SLOT_CONTAINER_ID] = { "\"containerID\"", J_NUMBER, 0, .in_idmap = true, .idmap_field = IDMAP_CONTAINER_ID },
	[SLOT_HOST_ID] = { "\"hostID\"", J_NUMBER, 0, .in_idmap = true, .idmap_field = IDMAP_HOST_ID },
	[SLOT_SIZE] = { "\"size\"", J_NUMBER, 0, .in_idmap = true, .idmap_field = IDMAP_SIZE },
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
	{ ROLE_LINUX, "uidmappings", SLOT_UID_MAPPINGS },
	{ ROLE_LINUX, "gidmappings", SLOT_GID_MAPPINGS },
	{ ROLE_IDMAP, "containerid", SLOT_CONTAINER_ID },
	{ ROLE_IDMAP, "hostid", SLOT_HOST_ID },
	{ ROLE_IDMAP, "size", SLOT_SIZE },
};
#define N_FIELDS NSG_ARRAY_SIZE(fields)

/* Enough for a field name in messages (a longer matched key is cut short). */
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
	enum spec_idmap_kind idmap_kind; /* of the ROLE_IDMAPS array we are in */
	size_t idmap_cap[SPEC_IDMAP_KINDS];
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

/* --- keys ----------------------------------------------------------------- */

static int field_key(struct ctx *c, struct frame *fr, const unsigned char *key, size_t len)
{
	char q[80];

	c->pending = SLOT_IGNORED;
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct gojson_fold *fold = NULL;
		enum gojson_match m;

		if (fields[i].parent != fr->role)
			continue;
		m = gojson_match_key(key, len, fields[i].name, &fold);
		if (m == GOJSON_AMBIGUOUS)
			return ctx_fail(c,
					"key %s spells \"%s\" with U+%04X %s, which Go does not fold to \"%c\" "
					"but other case mappings do; write the key in ASCII",
					quote(key, len, q, sizeof(q)), fields[i].name, (unsigned)fold->rune, fold->name,
					fold->letter);
		if (m == GOJSON_NO_MATCH)
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

static const char *const idmap_keys[SPEC_IDMAP_KINDS] = {
	[SPEC_IDMAP_UID] = "uidMappings",
	[SPEC_IDMAP_GID] = "gidMappings",
};

/* A value in an array is an entry of it; in an object, what its key said. */
static enum slot element_slot(enum role parent, enum slot pending)
{
	switch (parent) {
	case ROLE_NAMESPACES:
		return SLOT_NS_ENTRY;
	case ROLE_IDMAPS:
		return SLOT_IDMAP;
	default:
		return pending;
	}
}

/* The meaning of the value that starts now, checked against its JSON type. */
static int begin_value(struct ctx *c, enum jtype type, enum slot *ret_slot)
{
	enum slot slot = SLOT_TOP;
	char what[128], q[80];

	if (c->n_frames > 0)
		slot = element_slot(c->frames[c->n_frames - 1].role, c->pending);
	c->pending = SLOT_IGNORED;
	*ret_slot = slot;
	if (slot == SLOT_IGNORED || type == slots[slot].want)
		return 0;
	if (type == J_NULL && slots[slot].null_ok) {
		*ret_slot = SLOT_IGNORED;
		return 0;
	}
	if (slots[slot].in_idmap)
		snprintf(what, sizeof(what), "%s of \"linux.%s\"", slots[slot].what, idmap_keys[c->idmap_kind]);
	else if (slots[slot].what)
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

/* Go decodes a JSON number into a uint32 with strconv.ParseUint(text, 10)
 * and a range check: only a plain integer literal from 0 to 4294967295.
 * "1.0", "1e3", "-0" or "4294967296" make Decode fail, and runc with it. */
static int parse_uint32(const char *s, size_t len, uint32_t *ret)
{
	uint64_t v = 0;

	if (len == 0 || len > 10 || (s[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*ret = (uint32_t)v;
	return 0;
}

static int on_number(struct ctx *c, const char *s, size_t len)
{
	struct spec_idmaps *m = &c->out.idmaps[c->idmap_kind];
	struct spec_idmap *e;
	enum slot slot;
	uint32_t v = 0;
	char q[80];

	if (c->ignore_from)
		return 0;
	if (begin_value(c, J_NUMBER, &slot) < 0)
		return -1;
	if (slot == SLOT_IGNORED || slots[slot].idmap_field < 0)
		return 0;
	if (parse_uint32(s, len, &v) < 0)
		return ctx_fail(c,
				"%s of \"linux.%s\" is %s; Go reads it as a uint32, so it must be an integer from 0 to "
				"4294967295 without sign, fraction or exponent",
				slots[slot].what, idmap_keys[c->idmap_kind], quote(s, len, q, sizeof(q)));
	e = &m->maps[m->n - 1];
	switch (slots[slot].idmap_field) {
	case IDMAP_CONTAINER_ID:
		e->container_id = v;
		break;
	case IDMAP_HOST_ID:
		e->host_id = v;
		break;
	default:
		e->size = v;
		break;
	}
	return 0;
}

static int on_scalar(struct ctx *c, enum jtype type)
{
	enum slot slot;

	if (c->ignore_from)
		return 0;
	return begin_value(c, type, &slot);
}

/* --- containers ------------------------------------------------------------- */

/* A new entry, all zero as Go leaves the fields a mapping omits. */
static int add_idmap(struct ctx *c)
{
	struct spec_idmaps *m = &c->out.idmaps[c->idmap_kind];
	size_t *cap = &c->idmap_cap[c->idmap_kind];

	if (m->n == SPEC_MAX_IDMAPS)
		return ctx_fail(c, "\"linux.%s\" has more than %d entries", idmap_keys[c->idmap_kind], SPEC_MAX_IDMAPS);
	if (m->n == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		m->maps = nsg_realloc(m->maps, *cap * sizeof(*m->maps));
	}
	m->maps[m->n++] = (struct spec_idmap){ 0 };
	return 0;
}

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
	if (fr->role == ROLE_IDMAPS)
		c->idmap_kind = slot == SLOT_UID_MAPPINGS ? SPEC_IDMAP_UID : SPEC_IDMAP_GID;
	if (fr->role == ROLE_IDMAP)
		return add_idmap(c);
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

/* Numbers as text: converted only where nsguard reads them, as Go would. */
static int cb_number(void *c, const char *s, size_t len)
{
	return on_number(c, s, len) == 0;
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
	if (gojson_prescan(buf, len, err) < 0)
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

/* The last id of a mapping is host_id + size - 1: past UINT32_MAX the range
 * wraps to 0 on 32-bit arithmetic. The kernel refuses such a line, but
 * nsguard does not rely on that: it counts as mapping host id 0. */
static bool maps_host_root(const struct spec_idmaps *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct spec_idmap *e = &m->maps[i];

		if (e->size > 0 && (e->host_id == 0 || (uint64_t)e->host_id + e->size > (uint64_t)UINT32_MAX + 1))
			return true;
	}
	return false;
}

const char *spec_host_root_mapping(const struct spec *s)
{
	if (maps_host_root(&s->idmaps[SPEC_IDMAP_UID]))
		return "uid";
	if (maps_host_root(&s->idmaps[SPEC_IDMAP_GID]))
		return "gid";
	return NULL;
}

void spec_free(struct spec *s)
{
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		free(s->ns[i].path);
	for (size_t i = 0; i < SPEC_IDMAP_KINDS; i++)
		free(s->idmaps[i].maps);
	for (size_t i = 0; i < s->n_annotations; i++) {
		free(s->annotations[i].key);
		free(s->annotations[i].value);
	}
	free(s->annotations);
	*s = (struct spec){ 0 };
}
