/* policy_parse.c - the policy file's schema (policy_parse()) and the lenient
 * runtime peek for an invalid file (policy_peek_runtime()); see policy.h.
 *
 * The parser reads JSON events (json.h) driven by a schema: every object or
 * array the policy may contain is a frame kind, every known key a row saying
 * which JSON type it takes and what to do with the value. Anything the schema
 * does not describe (an unknown key, a wrong type, null, a repeated key) makes
 * the policy invalid, reported at its line: a typo in the file that guards the
 * host's namespaces must never silently weaken it.
 */
#include "policy.h"

#include <string.h>

#include "buf.h"
#include "json.h"

/* The schema is four levels deep ("exemptions"[i]."match"); the parser refuses
 * any container the schema does not expect as soon as it opens, so this bound
 * (json.h counts it) only keeps the frame stack a fixed array. */
#define POLICY_MAX_DEPTH 16

enum policy_frame_kind {
	POLICY_FRAME_ROOT,
	POLICY_FRAME_NAMESPACES,
	POLICY_FRAME_ANNOTATION,
	POLICY_FRAME_TYPES, /* array of namespace type names: may_allow, an exemption's allow */
	POLICY_FRAME_EXEMPTIONS,
	POLICY_FRAME_EXEMPTION,
	POLICY_FRAME_MATCH,
	POLICY_FRAME_AUDIT,
	POLICY_FRAME_DIRS, /* namespace_dirs: array of absolute paths */
};

struct policy_frame {
	enum policy_frame_kind kind;
	bool is_array;
	int field;		     /* objects: row of the current key, or its namespace type */
	unsigned seen;		     /* objects: rows (or types) already given; POLICY_FRAME_TYPES: types listed */
	size_t count;		     /* arrays: elements started so far */
	ns_set *types;		     /* POLICY_FRAME_TYPES: the set the names go to */
	char key[NSG_QUOTE_MAX + 4]; /* objects: the current key, cut for messages */
};

struct policy_ctx {
	struct json_reader json;
	struct policy *p;
	struct policy_frame stack[POLICY_MAX_DEPTH];
	size_t depth;
	ns_set explicit_ns; /* types given in "namespaces" */
	enum policy_mode explicit_mode[NS_TYPE_COUNT];
	char *path;  /* the last policy_path_of() */
	char *shown; /* the last policy_show() */
};

/* One key of an object, or the element of an array or of a map keyed by data. */
struct policy_field {
	const char *name;
	enum json_type type;
	bool required;
	enum policy_frame_kind child; /* JSON_OBJECT, JSON_ARRAY: the frame it opens */
	const char *what;	      /* for type errors; NULL: from type */
	/* Scalars: the value. Containers: called once the child frame is open. */
	int (*set)(struct policy_ctx *c, const struct json_value *v);
};

struct policy_frame_def {
	bool is_array;
	const struct policy_field *fields; /* objects with fixed keys */
	size_t n_fields;
	int (*key)(struct policy_ctx *c, const char *k, size_t len); /* objects keyed by data */
	const struct policy_field *elem; /* arrays, and the values of objects keyed by data */
	int (*end)(struct policy_ctx *c);
};

/* --- messages ------------------------------------------------------------- */

/* The string value v for a message, cut short; valid until the next call. */
static const char *policy_show(struct policy_ctx *c, const struct json_value *v)
{
	free(c->shown);
	c->shown = json_cut(v->s, v->len);
	return c->shown;
}

/* The JSON path of frames [0, n): "exemptions"[0]."match"; valid until the next call. */
static const char *policy_path_of(struct policy_ctx *c, size_t n)
{
	cleanup_buf struct nsg_buf b = { 0 };

	for (size_t i = 0; i < n; i++) {
		const struct policy_frame *f = &c->stack[i];

		if (f->is_array)
			buf_printf(&b, "[%zu]", f->count - 1);
		else
			buf_printf(&b, "%s\"%s\"", i ? "." : "", f->key);
	}
	free(c->path);
	c->path = buf_steal(&b);
	return c->path;
}

/* The path of the value being read. */
static const char *policy_here(struct policy_ctx *c)
{
	return policy_path_of(c, c->depth);
}

/* The object (or array) being read, for "in ..." and "X: missing ...". */
static const char *policy_where(struct policy_ctx *c)
{
	return c->depth > 1 ? policy_path_of(c, c->depth - 1) : "the policy";
}

static struct policy_frame *policy_top(struct policy_ctx *c)
{
	return &c->stack[c->depth - 1];
}

static struct policy_exemption *policy_cur_exemption(struct policy_ctx *c)
{
	return &c->p->exemptions[c->p->n_exemptions - 1];
}

static bool policy_is_abs_path(const char *s, size_t len)
{
	return len > 0 && s[0] == '/' && !memchr(s, '\0', len);
}

static bool policy_str_is(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && memcmp(name, s, len) == 0;
}

static int policy_unknown_type(struct policy_ctx *c, const char *at, const char *name)
{
	cleanup_buf struct nsg_buf known = { 0 };

	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		buf_join(&known, ", ", "%s", ns_infos[i].name);
	return json_fail(&c->json, "%s: unknown namespace type \"%s\" (known: %s)", at, name, known.data);
}

/* --- values --------------------------------------------------------------- */

static int policy_set_runtime(struct policy_ctx *c, const struct json_value *v)
{
	if (!policy_is_abs_path(v->s, v->len))
		return json_fail(&c->json, "%s must be an absolute path, not \"%s\"", policy_here(c),
				 policy_show(c, v));
	c->p->runtime = nsg_strndup(v->s, v->len);
	return 0;
}

static const struct {
	const char *name;
	enum policy_mode mode;
} policy_mode_names[] = { { "enforce", POLICY_ENFORCE }, { "warn", POLICY_WARN }, { "off", POLICY_OFF } };

/* The top-level mode takes the first two names, a per-type mode all three. */
static int policy_parse_mode(struct policy_ctx *c, const struct json_value *v, bool allow_off, enum policy_mode *ret)
{
	size_t n = allow_off ? 3 : 2;

	for (size_t i = 0; i < n; i++)
		if (policy_str_is(policy_mode_names[i].name, v->s, v->len)) {
			*ret = policy_mode_names[i].mode;
			return 0;
		}
	return json_fail(&c->json, "%s: mode must be %s, not \"%s\"", policy_here(c),
			 allow_off ? "\"enforce\", \"warn\" or \"off\"" : "\"enforce\" or \"warn\"", policy_show(c, v));
}

static int policy_set_mode(struct policy_ctx *c, const struct json_value *v)
{
	return policy_parse_mode(c, v, false, &c->p->mode);
}

static int policy_ns_key(struct policy_ctx *c, const char *k, size_t len)
{
	struct policy_frame *f = policy_top(c);
	int t = ns_type_from_name(k, len);

	if (t < 0)
		return policy_unknown_type(c, policy_where(c), f->key);
	if (f->seen & NS_BIT(t))
		return json_fail(&c->json, "duplicate key \"%s\" in %s", f->key, policy_where(c));
	f->seen |= NS_BIT(t);
	f->field = t;
	return 0;
}

static int policy_set_ns_mode(struct policy_ctx *c, const struct json_value *v)
{
	int t = policy_top(c)->field;

	c->explicit_ns |= NS_BIT(t);
	return policy_parse_mode(c, v, true, &c->explicit_mode[t]);
}

static int policy_set_annotation_key(struct policy_ctx *c, const struct json_value *v)
{
	if (v->len == 0)
		return json_fail(&c->json, "%s must not be empty", policy_here(c));
	free(c->p->annotation_key);
	c->p->annotation_key = nsg_strndup(v->s, v->len);
	return 0;
}

static int policy_begin_may_allow(struct policy_ctx *c, nsg_unused const struct json_value *v)
{
	policy_top(c)->types = &c->p->may_allow;
	c->p->may_allow = 0;
	return 0;
}

static int policy_add_type(struct policy_ctx *c, const struct json_value *v)
{
	struct policy_frame *f = policy_top(c);
	const char *name = policy_show(c, v);
	int t = ns_type_from_name(v->s, v->len);

	if (t < 0)
		return policy_unknown_type(c, policy_here(c), name);
	if (f->seen & NS_BIT(t))
		return json_fail(&c->json, "%s: \"%s\" is listed twice", policy_here(c), name);
	f->seen |= NS_BIT(t);
	*f->types |= NS_BIT(t);
	return 0;
}

/* A file's "exemptions" replaces the built-in list: [] means none. */
static int policy_begin_exemptions(struct policy_ctx *c, nsg_unused const struct json_value *v)
{
	policy_clear_exemptions(c->p);
	return 0;
}

static int policy_begin_exemption(struct policy_ctx *c, nsg_unused const struct json_value *v)
{
	struct policy *p = c->p;

	p->exemptions = nsg_realloc(p->exemptions, (p->n_exemptions + 1) * sizeof(*p->exemptions));
	p->exemptions[p->n_exemptions++] = (struct policy_exemption){ 0 };
	return 0;
}

/* The name is written to syslog and the audit file as the decision
 * ("allowed-by-exemption:NAME"): it must be printable and say which rule fired. */
static int policy_set_exemption_name(struct policy_ctx *c, const struct json_value *v)
{
	struct policy *p = c->p;

	if (v->len == 0)
		return json_fail(&c->json, "%s must not be empty", policy_here(c));
	for (size_t i = 0; i < v->len; i++)
		if ((unsigned char)v->s[i] < 0x20 || v->s[i] == 0x7f)
			return json_fail(&c->json, "%s must not contain control characters", policy_here(c));
	for (size_t i = 0; i + 1 < p->n_exemptions; i++)
		if (policy_str_is(p->exemptions[i].name, v->s, v->len))
			return json_fail(&c->json, "%s: another exemption is already named \"%s\"", policy_here(c),
					 policy_show(c, v));
	policy_cur_exemption(c)->name = nsg_strndup(v->s, v->len);
	return 0;
}

/* The allow array sits inside the exemption, so no exemption is added (and
 * the array moved) while this pointer is in use. */
static int policy_begin_exemption_allow(struct policy_ctx *c, nsg_unused const struct json_value *v)
{
	policy_top(c)->types = &policy_cur_exemption(c)->allow;
	return 0;
}

static int policy_match_key(struct policy_ctx *c, const char *k, size_t len)
{
	struct policy_exemption *e = policy_cur_exemption(c);

	if (len == 0)
		return json_fail(&c->json, "%s: an annotation key must not be empty", policy_where(c));
	for (size_t i = 0; i < e->n_match; i++)
		if (policy_str_is(e->match[i].key, k, len))
			return json_fail(&c->json, "duplicate key \"%s\" in %s", policy_top(c)->key, policy_where(c));
	e->match = nsg_realloc(e->match, (e->n_match + 1) * sizeof(*e->match));
	e->match[e->n_match++] = (struct policy_match){ nsg_strndup(k, len), NULL };
	return 0;
}

static int policy_set_match_glob(struct policy_ctx *c, const struct json_value *v)
{
	struct policy_exemption *e = policy_cur_exemption(c);

	e->match[e->n_match - 1].glob = nsg_strndup(v->s, v->len);
	return 0;
}

/* An exemption without rules would match every container: the policy off. */
static int policy_end_match(struct policy_ctx *c)
{
	if (policy_cur_exemption(c)->n_match == 0)
		return json_fail(&c->json,
				 "%s must have at least one entry: an exemption without one would match every "
				 "container",
				 policy_where(c));
	return 0;
}

static int policy_set_audit_syslog(struct policy_ctx *c, const struct json_value *v)
{
	c->p->audit_syslog = v->b;
	return 0;
}

static int policy_set_audit_file(struct policy_ctx *c, const struct json_value *v)
{
	free(c->p->audit_file);
	c->p->audit_file = NULL;
	if (v->len == 0)
		return 0;
	if (!policy_is_abs_path(v->s, v->len))
		return json_fail(&c->json, "%s must be an absolute path, or \"\" for no audit file, not \"%s\"",
				 policy_here(c), policy_show(c, v));
	c->p->audit_file = nsg_strndup(v->s, v->len);
	return 0;
}

/* A file's "namespace_dirs" replaces the built-in list: [] means /proc/<pid>/ns/ only. */
static int policy_begin_namespace_dirs(struct policy_ctx *c, nsg_unused const struct json_value *v)
{
	policy_clear_namespace_dirs(c->p);
	return 0;
}

static int policy_set_namespace_dir(struct policy_ctx *c, const struct json_value *v)
{
	if (!policy_is_abs_path(v->s, v->len))
		return json_fail(&c->json, "%s must be an absolute path, not \"%s\"", policy_here(c),
				 policy_show(c, v));
	policy_add_namespace_dir(c->p, v->s, v->len);
	return 0;
}

static int policy_set_restore(struct policy_ctx *c, const struct json_value *v)
{
	static const char *const names[] = { [POLICY_RESTORE_REFUSE] = "refuse", [POLICY_RESTORE_CHECK] = "check" };

	for (size_t i = 0; i < NSG_ARRAY_SIZE(names); i++)
		if (policy_str_is(names[i], v->s, v->len)) {
			c->p->restore = (enum policy_restore)i;
			return 0;
		}
	return json_fail(&c->json, "%s must be \"refuse\" or \"check\", not \"%s\"", policy_here(c), policy_show(c, v));
}

/* --- the schema ------------------------------------------------------------ */

static const struct policy_field policy_root_fields[] = {
	{ "runtime", JSON_STRING, false, 0, NULL, policy_set_runtime },
	{ "mode", JSON_STRING, false, 0, NULL, policy_set_mode },
	{ "namespaces", JSON_OBJECT, false, POLICY_FRAME_NAMESPACES, NULL, NULL },
	{ "annotation", JSON_OBJECT, false, POLICY_FRAME_ANNOTATION, NULL, NULL },
	{ "exemptions", JSON_ARRAY, false, POLICY_FRAME_EXEMPTIONS, NULL, policy_begin_exemptions },
	{ "audit", JSON_OBJECT, false, POLICY_FRAME_AUDIT, NULL, NULL },
	{ "namespace_dirs", JSON_ARRAY, false, POLICY_FRAME_DIRS, NULL, policy_begin_namespace_dirs },
	{ "restore", JSON_STRING, false, 0, NULL, policy_set_restore },
};

static const struct policy_field policy_annotation_fields[] = {
	{ "key", JSON_STRING, false, 0, NULL, policy_set_annotation_key },
	{ "may_allow", JSON_ARRAY, false, POLICY_FRAME_TYPES, NULL, policy_begin_may_allow },
};

static const struct policy_field policy_exemption_fields[] = {
	{ "name", JSON_STRING, true, 0, NULL, policy_set_exemption_name },
	{ "allow", JSON_ARRAY, true, POLICY_FRAME_TYPES, NULL, policy_begin_exemption_allow },
	{ "match", JSON_OBJECT, true, POLICY_FRAME_MATCH, NULL, NULL },
};

static const struct policy_field policy_audit_fields[] = {
	{ "syslog", JSON_BOOL, false, 0, NULL, policy_set_audit_syslog },
	{ "file", JSON_STRING, false, 0, NULL, policy_set_audit_file },
};

static const struct policy_field policy_ns_mode_value = { NULL, JSON_STRING, false, 0, NULL, policy_set_ns_mode };
static const struct policy_field policy_type_name_elem = {
	NULL, JSON_STRING, false, 0, "a namespace type name", policy_add_type
};
static const struct policy_field policy_exemption_elem = { NULL, JSON_OBJECT,		false, POLICY_FRAME_EXEMPTION,
							   NULL, policy_begin_exemption };
static const struct policy_field policy_dir_elem = { NULL, JSON_STRING,	       false,
						     0,	   "an absolute path", policy_set_namespace_dir };
static const struct policy_field policy_match_value = {
	NULL, JSON_STRING, false, 0, "a string (an fnmatch(3) glob)", policy_set_match_glob
};

#define POLICY_FIELDS(a) .fields = (a), .n_fields = NSG_ARRAY_SIZE(a)

static const struct policy_frame_def policy_frame_defs[] = {
	[POLICY_FRAME_ROOT] = { POLICY_FIELDS(policy_root_fields) },
	[POLICY_FRAME_NAMESPACES] = { .key = policy_ns_key, .elem = &policy_ns_mode_value },
	[POLICY_FRAME_ANNOTATION] = { POLICY_FIELDS(policy_annotation_fields) },
	[POLICY_FRAME_TYPES] = { .is_array = true, .elem = &policy_type_name_elem },
	[POLICY_FRAME_EXEMPTIONS] = { .is_array = true, .elem = &policy_exemption_elem },
	[POLICY_FRAME_EXEMPTION] = { POLICY_FIELDS(policy_exemption_fields) },
	[POLICY_FRAME_MATCH] = { .key = policy_match_key, .elem = &policy_match_value, .end = policy_end_match },
	[POLICY_FRAME_AUDIT] = { POLICY_FIELDS(policy_audit_fields) },
	[POLICY_FRAME_DIRS] = { .is_array = true, .elem = &policy_dir_elem },
};

/* --- events --------------------------------------------------------------- */

/* json.h refuses a container past POLICY_MAX_DEPTH before it gets here. */
static void policy_push(struct policy_ctx *c, enum policy_frame_kind kind)
{
	c->stack[c->depth++] =
		(struct policy_frame){ .kind = kind, .is_array = policy_frame_defs[kind].is_array, .field = -1 };
}

static int policy_unknown_key(struct policy_ctx *c, const struct policy_frame_def *d)
{
	cleanup_buf struct nsg_buf known = { 0 };

	for (size_t i = 0; i < d->n_fields; i++)
		buf_join(&known, ", ", "%s", d->fields[i].name);
	return json_fail(&c->json, "unknown key \"%s\" in %s (known: %s)", policy_top(c)->key, policy_where(c),
			 known.data);
}

static int policy_on_key(struct json_reader *r, const char *k, size_t len)
{
	struct policy_ctx *c = r->data;
	struct policy_frame *f = policy_top(c);
	const struct policy_frame_def *d = &policy_frame_defs[f->kind];
	cleanup_free char *shown = json_cut(k, len);

	snprintf(f->key, sizeof(f->key), "%s", shown);
	if (memchr(k, '\0', len))
		return json_fail(r, "key \"%s\" in %s contains a NUL character", f->key, policy_where(c));
	if (d->key)
		return d->key(c, k, len);
	for (size_t i = 0; i < d->n_fields; i++) {
		if (!policy_str_is(d->fields[i].name, k, len))
			continue;
		if (f->seen & (1u << i))
			return json_fail(r, "duplicate key \"%s\" in %s", f->key, policy_where(c));
		f->seen |= 1u << i;
		f->field = (int)i;
		return 0;
	}
	return policy_unknown_key(c, d);
}

static const struct policy_field *policy_current_field(struct policy_ctx *c)
{
	const struct policy_frame *f = policy_top(c);
	const struct policy_frame_def *d = &policy_frame_defs[f->kind];

	return d->fields ? &d->fields[f->field] : d->elem;
}

static int policy_on_value(struct json_reader *r, const struct json_value *v)
{
	struct policy_ctx *c = r->data;
	const struct policy_field *fd;
	bool container = v->type == JSON_OBJECT || v->type == JSON_ARRAY;

	if (c->depth == 0) {
		if (v->type != JSON_OBJECT)
			return json_fail_type(r, "the policy", "a JSON object", v->type);
		policy_push(c, POLICY_FRAME_ROOT);
		return 0;
	}
	fd = policy_current_field(c);
	if (policy_top(c)->is_array)
		policy_top(c)->count++;
	if (v->type != fd->type)
		return json_fail_type(r, policy_here(c), fd->what ? fd->what : json_type_wanted(fd->type), v->type);
	if (v->type == JSON_STRING && memchr(v->s, '\0', v->len))
		return json_fail(r, "%s contains a NUL character (\\u0000)", policy_here(c));
	if (container)
		policy_push(c, fd->child);
	return fd->set ? fd->set(c, v) : 0;
}

static int policy_on_end(struct json_reader *r)
{
	struct policy_ctx *c = r->data;
	const struct policy_frame *f = policy_top(c);
	const struct policy_frame_def *d = &policy_frame_defs[f->kind];

	for (size_t i = 0; i < d->n_fields; i++)
		if (d->fields[i].required && !(f->seen & (1u << i)))
			return json_fail(r, "%s: missing required key \"%s\"", policy_where(c), d->fields[i].name);
	if (d->end && d->end(c) < 0)
		return -1;
	c->depth--;
	return 0;
}

/* Deliberately the same shape in every reader: this is how a schema plugs
 * into the one JSON layer (json.h), not a copy of its plumbing. */
static const struct json_events policy_events = {
	.value = policy_on_value,
	.key = policy_on_key,
	.end = policy_on_end,
	.max_depth = POLICY_MAX_DEPTH,
};

static bool policy_is_blank(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
			return false;
	return true;
}

int policy_parse(const char *buf, size_t len, struct policy *ret, struct nsg_err *err)
{
	cleanup_policy struct policy p = { 0 };
	struct policy_ctx c = { .p = &p };
	int r;

	*ret = (struct policy){ 0 };
	if (policy_is_blank(buf, len))
		return json_fail_line(err, buf, len, len,
				      "the policy file is empty (write {} for the built-in defaults)");
	policy_defaults(&p);
	r = json_parse(&c.json, buf, len, &policy_events, &c, err);
	free(c.path);
	free(c.shown);
	if (r < 0)
		return -1;
	policy_apply_modes(&p, c.explicit_ns, c.explicit_mode);
	*ret = p;
	p = (struct policy){ 0 };
	return 0;
}

/* --- the lenient runtime peek ----------------------------------------------- */

/* For an invalid policy: the top-level "runtime", when the file is valid JSON
 * whose top level is an object with exactly one "runtime", a string absolute
 * path. Anything less certain and the caller falls back to the built-in
 * runtime resolution. Below the top level nothing matters: skipped. */
struct policy_peek {
	bool top_object;
	bool at_runtime; /* the next value belongs to the top-level "runtime" */
	unsigned n_runtime;
	char *runtime;
};

static int policy_peek_value(struct json_reader *r, const struct json_value *v)
{
	struct policy_peek *k = r->data;
	bool at_runtime = k->at_runtime;

	k->at_runtime = false;
	if (v->type == JSON_OBJECT || v->type == JSON_ARRAY) {
		if (json_depth(r) == 1)
			k->top_object = v->type == JSON_OBJECT;
		else
			json_skip(r);
		return 0;
	}
	if (at_runtime && v->type == JSON_STRING && policy_is_abs_path(v->s, v->len)) {
		free(k->runtime);
		k->runtime = nsg_strndup(v->s, v->len);
	}
	return 0;
}

static int policy_peek_key(struct json_reader *r, const char *k, size_t len)
{
	struct policy_peek *pk = r->data;

	pk->at_runtime = json_depth(r) == 1 && policy_str_is("runtime", k, len);
	pk->n_runtime += pk->at_runtime;
	return 0;
}

static int policy_peek_end(struct json_reader *r)
{
	struct policy_peek *k = r->data;

	k->at_runtime = false;
	return 0;
}

/* Deliberately the same shape in every reader: this is how a schema plugs
 * into the one JSON layer (json.h), not a copy of its plumbing. */
static const struct json_events policy_peek_events = {
	.value = policy_peek_value,
	.key = policy_peek_key,
	.end = policy_peek_end,
	.max_depth = POLICY_MAX_DEPTH,
};

char *policy_peek_runtime(const char *buf, size_t len)
{
	struct policy_peek k = { 0 };
	struct json_reader r;
	struct nsg_err err;
	cleanup_free char *runtime = NULL;
	int ret = json_parse(&r, buf, len, &policy_peek_events, &k, &err);

	runtime = k.runtime;
	if (ret < 0 || !k.top_object || k.n_runtime != 1)
		return NULL;
	return steal_pointer(&runtime);
}
