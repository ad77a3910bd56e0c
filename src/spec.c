/* spec.c - see spec.h.
 *
 * runc reads config.json with Go's encoding/json into the OCI runtime-spec
 * structs; nsguard reads it with yajl (through json.h). Every place where the
 * two could see different bytes or different fields is a way to hide a host
 * namespace from nsguard, so this file refuses instead of guessing:
 *
 *  - bytes Go and yajl decode differently, and keys that only some case
 *    mapping reads as a field: gojson.c, before and during the parse.
 *  - Go keeps the last of two keys for the same field (or map key); which one
 *    "wins" is exactly what a tenant would exploit. Refused.
 *  - null for a pointer or slice field reads as "absent" in Go, i.e. host
 *    namespaces. Refused.
 *
 * Annotations the caller does not keep are never copied: a file of 100,000
 * tiny annotations must not cost more memory than twice its size (SPEC.md
 * section 12). spec_keys.h finds their duplicates from where they are.
 */
#include "spec.h"

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "gojson.h"
#include "json.h"
#include "spec_keys.h"

_Static_assert(SPEC_MAX_SIZE <= SPEC_KEYS_MAX_INPUT, "spec_keys.h holds offsets of 24 bits");

/* Objects and arrays whose contents nsguard interprets. */
enum spec_role {
	SPEC_ROLE_TOP,
	SPEC_ROLE_LINUX,
	SPEC_ROLE_NAMESPACES,
	SPEC_ROLE_NS_ENTRY,
	SPEC_ROLE_ANNOTATIONS,
	SPEC_ROLE_IDMAPS, /* linux.uidMappings or linux.gidMappings */
	SPEC_ROLE_IDMAP,  /* one entry of them */
};

/* TOP > LINUX > NAMESPACES > NS_ENTRY (or > IDMAPS > IDMAP) is the deepest chain. */
#define SPEC_MAX_FRAMES 4

/* What the next value means. */
enum spec_slot {
	SPEC_SLOT_IGNORED,
	SPEC_SLOT_TOP,
	SPEC_SLOT_LINUX,
	SPEC_SLOT_ANNOTATIONS,
	SPEC_SLOT_NAMESPACES,
	SPEC_SLOT_NS_ENTRY,
	SPEC_SLOT_TYPE,
	SPEC_SLOT_PATH,
	SPEC_SLOT_ANNOTATION_VALUE,
	SPEC_SLOT_UID_MAPPINGS,
	SPEC_SLOT_GID_MAPPINGS,
	SPEC_SLOT_IDMAP,
	SPEC_SLOT_CONTAINER_ID,
	SPEC_SLOT_HOST_ID,
	SPEC_SLOT_SIZE,
};

struct spec_slot_info {
	const char *what; /* for messages; NULL: built from the annotation key */
	enum json_type want;
	enum spec_role role; /* containers only */
	bool null_ok;	     /* Go reads null as what nsguard reads as absent */
	bool in_idmap;	     /* what is followed by the array it is in */
	int idmap_field;     /* SPEC_SLOT_*_ID and SPEC_SLOT_SIZE: which struct spec_idmap member, else -1 */
};

enum spec_map_field {
	SPEC_MAP_CONTAINER_ID,
	SPEC_MAP_HOST_ID,
	SPEC_MAP_SIZE,
};

#define SPEC_NOT_IDMAP .idmap_field = -1
static const struct spec_slot_info spec_slots[] = {
	[SPEC_SLOT_TOP] = { "the top-level JSON value", JSON_OBJECT, SPEC_ROLE_TOP, SPEC_NOT_IDMAP },
	[SPEC_SLOT_LINUX] = { "\"linux\"", JSON_OBJECT, SPEC_ROLE_LINUX, SPEC_NOT_IDMAP },
	[SPEC_SLOT_ANNOTATIONS] = { "\"annotations\"", JSON_OBJECT, SPEC_ROLE_ANNOTATIONS, SPEC_NOT_IDMAP },
	[SPEC_SLOT_NAMESPACES] = { "\"linux.namespaces\"", JSON_ARRAY, SPEC_ROLE_NAMESPACES, SPEC_NOT_IDMAP },
	[SPEC_SLOT_NS_ENTRY] = { "an entry of \"linux.namespaces\"", JSON_OBJECT, SPEC_ROLE_NS_ENTRY, SPEC_NOT_IDMAP },
	[SPEC_SLOT_TYPE] = { "namespace \"type\"", JSON_STRING, 0, SPEC_NOT_IDMAP },
	[SPEC_SLOT_PATH] = { "namespace \"path\"", JSON_STRING, 0, SPEC_NOT_IDMAP },
	[SPEC_SLOT_ANNOTATION_VALUE] = { NULL, JSON_STRING, 0, SPEC_NOT_IDMAP },
	/* A null array is a nil slice for Go: no mappings, as without the key. */
	[SPEC_SLOT_UID_MAPPINGS] = { "\"linux.uidMappings\"", JSON_ARRAY, SPEC_ROLE_IDMAPS, .null_ok = true,
				     SPEC_NOT_IDMAP },
	[SPEC_SLOT_GID_MAPPINGS] = { "\"linux.gidMappings\"", JSON_ARRAY, SPEC_ROLE_IDMAPS, .null_ok = true,
				     SPEC_NOT_IDMAP },
	/* Go ignores null for a struct or a uint32 and keeps the zero value:
	 * refused like every other null nsguard reads. */
	[SPEC_SLOT_IDMAP] = { "an entry", JSON_OBJECT, SPEC_ROLE_IDMAP, .in_idmap = true, SPEC_NOT_IDMAP },
	[SPEC_SLOT_CONTAINER_ID] = { "\"containerID\"", JSON_NUMBER, 0, .in_idmap = true,
				     .idmap_field = SPEC_MAP_CONTAINER_ID },
	[SPEC_SLOT_HOST_ID] = { "\"hostID\"", JSON_NUMBER, 0, .in_idmap = true, .idmap_field = SPEC_MAP_HOST_ID },
	[SPEC_SLOT_SIZE] = { "\"size\"", JSON_NUMBER, 0, .in_idmap = true, .idmap_field = SPEC_MAP_SIZE },
};

/* The struct fields Go's decoder knows in each interpreted object (json tags
 * of the runtime-spec Go types). Names are lowercase ASCII letters. */
struct spec_field {
	enum spec_role parent;
	const char *name;
	enum spec_slot slot;
};

static const struct spec_field spec_fields[] = {
	{ SPEC_ROLE_TOP, "linux", SPEC_SLOT_LINUX },
	{ SPEC_ROLE_TOP, "annotations", SPEC_SLOT_ANNOTATIONS },
	{ SPEC_ROLE_LINUX, "namespaces", SPEC_SLOT_NAMESPACES },
	{ SPEC_ROLE_NS_ENTRY, "type", SPEC_SLOT_TYPE },
	{ SPEC_ROLE_NS_ENTRY, "path", SPEC_SLOT_PATH },
	{ SPEC_ROLE_LINUX, "uidmappings", SPEC_SLOT_UID_MAPPINGS },
	{ SPEC_ROLE_LINUX, "gidmappings", SPEC_SLOT_GID_MAPPINGS },
	{ SPEC_ROLE_IDMAP, "containerid", SPEC_SLOT_CONTAINER_ID },
	{ SPEC_ROLE_IDMAP, "hostid", SPEC_SLOT_HOST_ID },
	{ SPEC_ROLE_IDMAP, "size", SPEC_SLOT_SIZE },
};
#define SPEC_N_FIELDS NSG_ARRAY_SIZE(spec_fields)

/* A key that matched a field: at most 11 letters, each at most 3 bytes
 * (U+212A), so it is never cut. */
#define SPEC_KEY_COPY_MAX 40

struct spec_frame {
	enum spec_role role;
	unsigned seen; /* bit i: spec_fields[i] was set in this object */
	size_t seen_off[SPEC_N_FIELDS];
	char seen_key[SPEC_N_FIELDS][SPEC_KEY_COPY_MAX];
};

struct spec_ns_entry {
	int type; /* -1 until "type" is read */
	char *path;
	size_t start_off;
};

struct spec_ctx {
	struct json_reader json;
	struct spec_frame frames[SPEC_MAX_FRAMES];
	size_t n_frames;
	enum spec_slot pending; /* set by a key in an interpreted object */
	struct spec_ns_entry entry;
	size_t ns_off[NS_TYPE_COUNT];
	const char *buf; /* the document, for spec_keys.h */
	size_t len;
	/* The current annotation key: its first bytes, enough for json_cut() to
	 * quote it as if it had all of it; all of it when its value is kept. */
	char annot_shown[NSG_QUOTE_MAX + 1];
	size_t annot_shown_len;
	char *annot_kept;
	size_t annot_cap;
	struct spec_keys keys;
	const char *const *keep; /* annotation keys whose values are kept; NULL: all */
	size_t n_keep;
	enum spec_idmap_kind idmap_kind; /* of the SPEC_ROLE_IDMAPS array we are in */
	size_t idmap_cap[SPEC_IDMAP_KINDS];
	struct spec out;
};

static const char *const spec_idmap_keys[SPEC_IDMAP_KINDS] = {
	[SPEC_IDMAP_UID] = "uidMappings",
	[SPEC_IDMAP_GID] = "gidMappings",
};

/* --- keys ----------------------------------------------------------------- */

static int spec_ambiguous_key(struct spec_ctx *c, const char *key, size_t len, const char *field,
			      const struct gojson_fold *fold)
{
	cleanup_free char *shown = json_cut(key, len);

	return json_fail(&c->json,
			 "key \"%s\" spells \"%s\" with U+%04X %s, which Go does not fold to \"%c\" "
			 "but other case mappings do; write the key in ASCII",
			 shown, field, (unsigned)fold->rune, fold->name, fold->letter);
}

static int spec_duplicate_key(struct spec_ctx *c, const struct spec_frame *fr, size_t i, const char *key, size_t len)
{
	cleanup_free char *shown = json_cut(key, len);

	return json_fail(&c->json, "duplicate key \"%s\" (Go reads it as the same field as \"%s\" on line %u)", shown,
			 fr->seen_key[i], json_line(&c->json, fr->seen_off[i]));
}

static int spec_field_key(struct spec_ctx *c, struct spec_frame *fr, const char *key, size_t len)
{
	c->pending = SPEC_SLOT_IGNORED;
	for (size_t i = 0; i < SPEC_N_FIELDS; i++) {
		const struct gojson_fold *fold = NULL;
		enum gojson_match m;
		size_t shown;

		if (spec_fields[i].parent != fr->role)
			continue;
		m = gojson_match_key((const unsigned char *)key, len, spec_fields[i].name, &fold);
		if (m == GOJSON_AMBIGUOUS)
			return spec_ambiguous_key(c, key, len, spec_fields[i].name, fold);
		if (m == GOJSON_NO_MATCH)
			continue;
		if (fr->seen & (1u << i))
			return spec_duplicate_key(c, fr, i, key, len);
		fr->seen |= 1u << i;
		fr->seen_off[i] = json_offset(&c->json);
		/* memcpy, not snprintf: this runs for every field in the sandboxed
		 * child, where printf's code and stack are pages a fresh process has
		 * to fault in (bench/run's create cost). */
		shown = len < SPEC_KEY_COPY_MAX ? len : SPEC_KEY_COPY_MAX - 1;
		memcpy(fr->seen_key[i], key, shown);
		fr->seen_key[i][shown] = '\0';
		c->pending = spec_fields[i].slot;
		return 0;
	}
	return 0;
}

static bool spec_is_kept(const struct spec_ctx *c, const char *key, size_t len)
{
	if (!c->keep)
		return true;
	for (size_t i = 0; i < c->n_keep; i++)
		if (strncmp(c->keep[i], key, len) == 0 && c->keep[i][len] == '\0')
			return true;
	return false;
}

/* Every key goes to the duplicate check; only a kept one is copied. */
static int spec_annotation_key(struct spec_ctx *c, const char *key, size_t len)
{
	c->pending = SPEC_SLOT_ANNOTATION_VALUE;
	c->annot_shown_len = len < sizeof(c->annot_shown) ? len : sizeof(c->annot_shown);
	memcpy(c->annot_shown, key, c->annot_shown_len);
	free(steal_pointer(&c->annot_kept));
	if (spec_keys_add(&c->keys, c->buf, c->len, json_offset(&c->json), key, len) < 0) {
		cleanup_free char *shown = json_cut(c->annot_shown, c->annot_shown_len);

		return json_fail(&c->json, "annotation \"%s\": nsguard could not check its key for duplicates", shown);
	}
	if (spec_is_kept(c, key, len))
		c->annot_kept = nsg_strndup(key, len);
	return 0;
}

static int spec_on_key(struct json_reader *r, const char *key, size_t len)
{
	struct spec_ctx *c = r->data;
	struct spec_frame *fr = &c->frames[c->n_frames - 1];

	if (fr->role == SPEC_ROLE_ANNOTATIONS)
		return spec_annotation_key(c, key, len);
	return spec_field_key(c, fr, key, len);
}

/* --- values ----------------------------------------------------------------- */

/* A value in an array is an entry of it; in an object, what its key said. */
static enum spec_slot spec_element_slot(enum spec_role parent, enum spec_slot pending)
{
	switch (parent) {
	case SPEC_ROLE_NAMESPACES:
		return SPEC_SLOT_NS_ENTRY;
	case SPEC_ROLE_IDMAPS:
		return SPEC_SLOT_IDMAP;
	default:
		return pending;
	}
}

/* How messages name the value of slot. The caller frees it. */
static char *spec_what(const struct spec_ctx *c, enum spec_slot slot)
{
	cleanup_free char *key = NULL;

	if (spec_slots[slot].in_idmap)
		return nsg_asprintf("%s of \"linux.%s\"", spec_slots[slot].what, spec_idmap_keys[c->idmap_kind]);
	if (spec_slots[slot].what)
		return nsg_strdup(spec_slots[slot].what);
	key = json_cut(c->annot_shown, c->annot_shown_len);
	return nsg_asprintf("annotation \"%s\"", key);
}

/* The meaning of the value that starts now, checked against its JSON type. */
static int spec_begin_value(struct spec_ctx *c, enum json_type type, enum spec_slot *ret_slot)
{
	enum spec_slot slot = SPEC_SLOT_TOP;
	cleanup_free char *what = NULL;

	if (c->n_frames > 0)
		slot = spec_element_slot(c->frames[c->n_frames - 1].role, c->pending);
	c->pending = SPEC_SLOT_IGNORED;
	*ret_slot = slot;
	if (slot == SPEC_SLOT_IGNORED || type == spec_slots[slot].want)
		return 0;
	if (type == JSON_NULL && spec_slots[slot].null_ok) {
		*ret_slot = SPEC_SLOT_IGNORED;
		return 0;
	}
	what = spec_what(c, slot);
	return json_fail_type(&c->json, what, json_type_wanted(spec_slots[slot].want), type);
}

static int spec_set_type(struct spec_ctx *c, const char *s, size_t len)
{
	int t = ns_type_from_name(s, len);

	if (t < 0) {
		cleanup_buf struct nsg_buf names = { 0 };
		cleanup_free char *shown = json_cut(s, len);

		for (size_t i = 0; i < NS_TYPE_COUNT; i++)
			buf_join(&names, ", ", "%s", ns_infos[i].name);
		return json_fail(&c->json, "namespace type \"%s\" is not one of %s", shown, names.data);
	}
	if (c->out.ns[t].state != SPEC_NS_INHERITED)
		return json_fail(&c->json, "namespace type \"%s\" appears twice in linux.namespaces (also on line %u)",
				 ns_infos[t].name, json_line(&c->json, c->ns_off[t]));
	c->entry.type = t;
	c->ns_off[t] = json_offset(&c->json);
	return 0;
}

static int spec_set_path(struct spec_ctx *c, const char *s, size_t len)
{
	if (len > 0 && s[0] != '/') {
		cleanup_free char *shown = json_cut(s, len);

		return json_fail(&c->json, "namespace path \"%s\" is not absolute", shown);
	}
	free(c->entry.path);
	c->entry.path = nsg_strndup(s, len);
	return 0;
}

/* A kept annotation, in file order. */
static void spec_add_annotation(struct spec_ctx *c, const char *value, size_t len)
{
	struct spec_annotation *a;

	if (c->out.n_annotations == c->annot_cap) {
		c->annot_cap = c->annot_cap ? 2 * c->annot_cap : 16;
		c->out.annotations = nsg_realloc(c->out.annotations, c->annot_cap * sizeof(*c->out.annotations));
	}
	a = &c->out.annotations[c->out.n_annotations++];
	a->key = steal_pointer(&c->annot_kept);
	a->value = nsg_strndup(value, len);
}

static int spec_on_string(struct spec_ctx *c, enum spec_slot slot, const char *s, size_t len)
{
	switch (slot) {
	case SPEC_SLOT_TYPE:
		return spec_set_type(c, s, len);
	case SPEC_SLOT_PATH:
		return spec_set_path(c, s, len);
	case SPEC_SLOT_ANNOTATION_VALUE:
		if (c->annot_kept)
			spec_add_annotation(c, s, len);
		return 0;
	default:
		return 0;
	}
}

/* Go decodes a JSON number into a uint32 with strconv.ParseUint(text, 10)
 * and a range check: only a plain integer literal from 0 to 4294967295.
 * "1.0", "1e3", "-0" or "4294967296" make Decode fail, and runc with it. */
static int spec_parse_uint32(const char *s, size_t len, uint32_t *ret)
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

static int spec_on_number(struct spec_ctx *c, enum spec_slot slot, const char *s, size_t len)
{
	struct spec_idmaps *m = &c->out.idmaps[c->idmap_kind];
	struct spec_idmap *e;
	uint32_t v = 0;

	if (slot == SPEC_SLOT_IGNORED || spec_slots[slot].idmap_field < 0)
		return 0;
	if (spec_parse_uint32(s, len, &v) < 0) {
		cleanup_free char *shown = json_cut(s, len);

		return json_fail(&c->json,
				 "%s of \"linux.%s\" is \"%s\"; Go reads it as a uint32, so it must be an integer "
				 "from 0 to 4294967295 without sign, fraction or exponent",
				 spec_slots[slot].what, spec_idmap_keys[c->idmap_kind], shown);
	}
	e = &m->maps[m->n - 1];
	switch (spec_slots[slot].idmap_field) {
	case SPEC_MAP_CONTAINER_ID:
		e->container_id = v;
		break;
	case SPEC_MAP_HOST_ID:
		e->host_id = v;
		break;
	default:
		e->size = v;
		break;
	}
	return 0;
}

/* --- containers ------------------------------------------------------------- */

/* A new entry, all zero as Go leaves the fields a mapping omits. */
static int spec_add_idmap(struct spec_ctx *c)
{
	struct spec_idmaps *m = &c->out.idmaps[c->idmap_kind];
	size_t *cap = &c->idmap_cap[c->idmap_kind];

	if (m->n == SPEC_MAX_IDMAPS)
		return json_fail(&c->json, "\"linux.%s\" has more than %d entries", spec_idmap_keys[c->idmap_kind],
				 SPEC_MAX_IDMAPS);
	if (m->n == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		m->maps = nsg_realloc(m->maps, *cap * sizeof(*m->maps));
	}
	m->maps[m->n++] = (struct spec_idmap){ 0 };
	return 0;
}

static int spec_start_container(struct spec_ctx *c, enum spec_slot slot)
{
	struct spec_frame *fr;

	if (slot == SPEC_SLOT_IGNORED) {
		json_skip(&c->json);
		return 0;
	}
	fr = &c->frames[c->n_frames++];
	memset(fr, 0, sizeof(*fr));
	fr->role = spec_slots[slot].role;
	if (fr->role == SPEC_ROLE_LINUX)
		c->out.has_linux = true;
	if (fr->role == SPEC_ROLE_NS_ENTRY)
		c->entry = (struct spec_ns_entry){ .type = -1, .start_off = json_offset(&c->json) - 1 };
	if (fr->role == SPEC_ROLE_IDMAPS)
		c->idmap_kind = slot == SPEC_SLOT_UID_MAPPINGS ? SPEC_IDMAP_UID : SPEC_IDMAP_GID;
	if (fr->role == SPEC_ROLE_IDMAP)
		return spec_add_idmap(c);
	return 0;
}

static int spec_on_value(struct json_reader *r, const struct json_value *v)
{
	struct spec_ctx *c = r->data;
	enum spec_slot slot;

	if (spec_begin_value(c, v->type, &slot) < 0)
		return -1;
	switch (v->type) {
	case JSON_STRING:
		return spec_on_string(c, slot, v->s, v->len);
	case JSON_NUMBER:
		return spec_on_number(c, slot, v->s, v->len);
	case JSON_OBJECT:
	case JSON_ARRAY:
		return spec_start_container(c, slot);
	default:
		return 0;
	}
}

static int spec_end_ns_entry(struct spec_ctx *c)
{
	struct spec_ns *ns;

	if (c->entry.type < 0)
		return json_fail_at(&c->json, c->entry.start_off, "an entry of linux.namespaces has no \"type\"");
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

/* Go keeps the last of two equal map keys; refuse instead, naming the
 * earliest key that repeats one before it. */
static int spec_check_annotation_dups(struct spec_ctx *c)
{
	char text[NSG_QUOTE_MAX + 1];
	cleanup_free char *shown = NULL;
	size_t later, earlier, n;

	if (!spec_keys_find_dup(&c->keys, c->buf, c->len, &later, &earlier))
		return 0;
	n = spec_keys_text(c->buf, c->len, later, text, sizeof(text));
	shown = json_cut(text, n);
	return json_fail_at(&c->json, later, "duplicate annotation \"%s\" (also on line %u)", shown,
			    json_line(&c->json, earlier));
}

static int spec_on_end(struct json_reader *r)
{
	struct spec_ctx *c = r->data;
	enum spec_role role = c->frames[--c->n_frames].role;

	if (role == SPEC_ROLE_NS_ENTRY)
		return spec_end_ns_entry(c);
	if (role == SPEC_ROLE_ANNOTATIONS)
		return spec_check_annotation_dups(c);
	return 0;
}

/* Deliberately the same shape in every reader: this is how a schema plugs
 * into the one JSON layer (json.h), not a copy of its plumbing. */
static const struct json_events spec_events = {
	.value = spec_on_value,
	.key = spec_on_key,
	.end = spec_on_end,
	.max_depth = SPEC_MAX_DEPTH,
};

/* --- entry points ----------------------------------------------------------- */

int spec_parse(const char *buf, size_t len, struct spec *ret, struct nsg_err *err)
{
	return spec_parse_keep(buf, len, NULL, 0, ret, err);
}

int spec_parse_keep(const char *buf, size_t len, const char *const *keys, size_t n_keys, struct spec *ret,
		    struct nsg_err *err)
{
	return spec_parse_keep_hashed(buf, len, keys, n_keys, NULL, ret, err);
}

int spec_parse_keep_hashed(const char *buf, size_t len, const char *const *keys, size_t n_keys,
			   const struct spec_keys_hash *hash, struct spec *ret, struct nsg_err *err)
{
	struct spec_ctx c = { .entry = { .type = -1 }, .keep = keys, .n_keep = n_keys, .buf = buf, .len = len };
	int r;

	*ret = (struct spec){ 0 };
	if (len > SPEC_MAX_SIZE)
		return nsg_fail(err, "the file is %zu bytes, over the limit of %d MiB", len,
				SPEC_MAX_SIZE / (1024 * 1024));
	if (gojson_prescan(buf, len, err) < 0)
		return -1;
	spec_keys_init(&c.keys, hash);
	r = json_parse(&c.json, buf, len, &spec_events, &c, err);
	spec_keys_free(&c.keys);
	free(c.annot_kept);
	free(c.entry.path);
	if (r < 0) {
		spec_free(&c.out);
		return -1;
	}
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

/* The last id of a mapping is host_id + size - 1: past UINT32_MAX the range
 * wraps to 0 on 32-bit arithmetic. The kernel refuses such a line, but
 * nsguard does not rely on that: it counts as mapping host id 0. */
static bool spec_maps_host_root(const struct spec_idmaps *m)
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
	if (spec_maps_host_root(&s->idmaps[SPEC_IDMAP_UID]))
		return "uid";
	if (spec_maps_host_root(&s->idmaps[SPEC_IDMAP_GID]))
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
