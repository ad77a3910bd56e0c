/* policy.c - see policy.h.
 *
 * The parser is yajl's streaming API driven by a schema: every object or
 * array the policy may contain is a frame kind, every known key a row saying
 * which JSON type it takes and what to do with the value. Anything the schema
 * does not describe (an unknown key, a wrong type, null, a repeated key) makes
 * the policy invalid, reported at its line: a typo in the file that guards the
 * host's namespaces must never silently weaken it.
 */
#include "policy.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <yajl/yajl_parse.h>

#include "jsonutil.h"

/* The schema is four levels deep ("exemptions"[i]."match"); the parser refuses
 * any container the schema does not expect as soon as it opens, so this bound
 * only keeps the frame stack a fixed array. */
#define POLICY_MAX_DEPTH 16
#define SHOWN_MAX	 64 /* bytes of a key or value quoted in a message */

enum jtype {
	J_NULL,
	J_BOOL,
	J_NUMBER,
	J_STRING,
	J_OBJECT,
	J_ARRAY
};

/* How a message names each type: as wanted, and as found. */
static const struct {
	const char *want, *got;
} jtype_names[] = {
	[J_NULL] = { "null", "null" },
	[J_BOOL] = { "true or false", "a boolean" },
	[J_NUMBER] = { "a number", "a number" },
	[J_STRING] = { "a string", "a string" },
	[J_OBJECT] = { "an object", "an object" },
	[J_ARRAY] = { "an array", "an array" },
};

struct jval {
	enum jtype type;
	const char *s; /* J_STRING */
	size_t len;
	bool b; /* J_BOOL */
};

enum frame_kind {
	FRAME_ROOT,
	FRAME_NAMESPACES,
	FRAME_ANNOTATION,
	FRAME_TYPES, /* array of namespace type names: may_allow, an exemption's allow */
	FRAME_EXEMPTIONS,
	FRAME_EXEMPTION,
	FRAME_MATCH,
	FRAME_AUDIT,
	FRAME_DIRS, /* namespace_dirs: array of absolute paths */
};

struct frame {
	enum frame_kind kind;
	bool is_array;
	int field;		 /* objects: row of the current key, or its namespace type */
	unsigned seen;		 /* objects: rows (or types) already given; FRAME_TYPES: types listed */
	size_t count;		 /* arrays: elements started so far */
	ns_set *types;		 /* FRAME_TYPES: the set the names go to */
	char key[SHOWN_MAX + 8]; /* objects: the current key, quoted for messages */
};

struct ctx {
	struct policy *p;
	struct frame stack[POLICY_MAX_DEPTH];
	size_t depth;
	ns_set explicit_ns; /* types given in "namespaces" */
	enum policy_mode explicit_mode[NS_TYPE_COUNT];
	struct nsg_err err;
	char path[512];
	char shown[SHOWN_MAX + 8];
};

/* One key of an object, or the element of an array or of a map keyed by data. */
struct field {
	const char *name;
	enum jtype type;
	bool required;
	enum frame_kind child; /* J_OBJECT, J_ARRAY: the frame it opens */
	const char *what;      /* for type errors; NULL: from type */
	/* Scalars: the value. Containers: called once the child frame is open. */
	int (*set)(struct ctx *c, const struct jval *v);
};

struct frame_def {
	bool is_array;
	const struct field *fields; /* objects with fixed keys */
	size_t n_fields;
	int (*key)(struct ctx *c, const char *k, size_t len); /* objects keyed by data */
	const struct field *elem;			      /* arrays, and the values of objects keyed by data */
	int (*end)(struct ctx *c);
};

/* Built-in per-type modes: POLICY_ENFORCE here means "follows the top-level
 * mode". user is warn: without userns-remap, hostUsers: false or rootless
 * podman every container shares the host's user namespace. */
static const enum policy_mode default_ns_mode[NS_TYPE_COUNT] = {
	[NS_NETWORK] = POLICY_ENFORCE, [NS_PID] = POLICY_ENFORCE, [NS_IPC] = POLICY_ENFORCE, [NS_USER] = POLICY_WARN,
	[NS_MOUNT] = POLICY_ENFORCE,   [NS_UTS] = POLICY_OFF,	  [NS_CGROUP] = POLICY_OFF,  [NS_TIME] = POLICY_OFF,
};

#define DEFAULT_ANNOTATION_KEY "io.nsguard.allow"
#define DEFAULT_MAY_ALLOW      (NS_BIT(NS_NETWORK) | NS_BIT(NS_PID) | NS_BIT(NS_IPC) | NS_BIT(NS_USER))
#define DEFAULT_AUDIT_FILE     "/var/log/nsguard/audit.jsonl"

/* Where ip netns, Docker, containerd's CNI setup (also with
 * netns_mounts_under_state_dir), podman and CRI-O's pinns keep namespace files. */
static const char *const default_namespace_dirs[] = {
	"/run/netns", "/run/docker/netns", "/run/ipcns",
	"/run/utsns", "/run/userns",	   "/run/containerd/io.containerd.grpc.v1.cri/netns",
};

/* Copy s[0..len) into dst for a message, long text cut (without cutting a
 * UTF-8 sequence in half). The bytes are kept: they are escaped once, at the
 * output edge (escape.h). */
static const char *show(char *dst, size_t size, const char *s, size_t len)
{
	size_t o = 0, i;

	for (i = 0; i < len && o + 5 < size && i < SHOWN_MAX; i++)
		dst[o++] = s[i];
	if (i < len) {
		while (o > 0 && ((unsigned char)dst[o - 1] & 0xc0) == 0x80)
			o--; /* do not cut a UTF-8 sequence in half */
		if (o > 0 && (unsigned char)dst[o - 1] >= 0xc0)
			o--;
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

static const char *show_value(struct ctx *c, const struct jval *v)
{
	return show(c->shown, sizeof(c->shown), v->s, v->len);
}

static void append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* The JSON path of frames [0, n): "exemptions"[0]."match". */
static const char *path_of(struct ctx *c, size_t n)
{
	c->path[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct frame *f = &c->stack[i];

		if (f->is_array)
			append(c->path, sizeof(c->path), "[%zu]", f->count - 1);
		else
			append(c->path, sizeof(c->path), "%s\"%s\"", i ? "." : "", f->key);
	}
	return c->path;
}

/* The path of the value being read. */
static const char *here(struct ctx *c)
{
	return path_of(c, c->depth);
}

/* The object (or array) being read, for "in ..." and "X: missing ...". */
static const char *where(struct ctx *c)
{
	return c->depth > 1 ? path_of(c, c->depth - 1) : "the policy";
}

static struct frame *top(struct ctx *c)
{
	return &c->stack[c->depth - 1];
}

static struct policy_exemption *cur_exemption(struct ctx *c)
{
	return &c->p->exemptions[c->p->n_exemptions - 1];
}

static bool is_abs_path(const char *s, size_t len)
{
	return len > 0 && s[0] == '/' && !memchr(s, '\0', len);
}

static int unknown_type(struct ctx *c, const char *at, const char *name)
{
	char known[128] = "";

	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		append(known, sizeof(known), "%s%s", i ? ", " : "", ns_infos[i].name);
	return nsg_fail(&c->err, "%s: unknown namespace type \"%s\" (known: %s)", at, name, known);
}

static int set_runtime(struct ctx *c, const struct jval *v)
{
	if (!is_abs_path(v->s, v->len))
		return nsg_fail(&c->err, "%s must be an absolute path, not \"%s\"", here(c), show_value(c, v));
	c->p->runtime = nsg_strndup(v->s, v->len);
	return 0;
}

static const struct {
	const char *name;
	enum policy_mode mode;
} mode_names[] = { { "enforce", POLICY_ENFORCE }, { "warn", POLICY_WARN }, { "off", POLICY_OFF } };

/* The top-level mode takes the first two names, a per-type mode all three. */
static int parse_mode(struct ctx *c, const struct jval *v, bool allow_off, enum policy_mode *ret)
{
	size_t n = allow_off ? 3 : 2;

	for (size_t i = 0; i < n; i++)
		if (strlen(mode_names[i].name) == v->len && memcmp(mode_names[i].name, v->s, v->len) == 0) {
			*ret = mode_names[i].mode;
			return 0;
		}
	return nsg_fail(&c->err, "%s: mode must be %s, not \"%s\"", here(c),
			allow_off ? "\"enforce\", \"warn\" or \"off\"" : "\"enforce\" or \"warn\"", show_value(c, v));
}

static int set_mode(struct ctx *c, const struct jval *v)
{
	return parse_mode(c, v, false, &c->p->mode);
}

static int ns_key(struct ctx *c, const char *k, size_t len)
{
	struct frame *f = top(c);
	int t = ns_type_from_name(k, len);

	if (t < 0)
		return unknown_type(c, where(c), f->key);
	if (f->seen & NS_BIT(t))
		return nsg_fail(&c->err, "duplicate key \"%s\" in %s", f->key, where(c));
	f->seen |= NS_BIT(t);
	f->field = t;
	return 0;
}

static int set_ns_mode(struct ctx *c, const struct jval *v)
{
	int t = top(c)->field;

	c->explicit_ns |= NS_BIT(t);
	return parse_mode(c, v, true, &c->explicit_mode[t]);
}

static int set_annotation_key(struct ctx *c, const struct jval *v)
{
	if (v->len == 0)
		return nsg_fail(&c->err, "%s must not be empty", here(c));
	free(c->p->annotation_key);
	c->p->annotation_key = nsg_strndup(v->s, v->len);
	return 0;
}

static int begin_may_allow(struct ctx *c, const struct jval *v)
{
	(void)v;
	top(c)->types = &c->p->may_allow;
	c->p->may_allow = 0;
	return 0;
}

static int add_type(struct ctx *c, const struct jval *v)
{
	struct frame *f = top(c);
	const char *name = show_value(c, v);
	int t = ns_type_from_name(v->s, v->len);

	if (t < 0)
		return unknown_type(c, here(c), name);
	if (f->seen & NS_BIT(t))
		return nsg_fail(&c->err, "%s: \"%s\" is listed twice", here(c), name);
	f->seen |= NS_BIT(t);
	*f->types |= NS_BIT(t);
	return 0;
}

static void free_exemptions(struct policy *p)
{
	for (size_t i = 0; i < p->n_exemptions; i++) {
		struct policy_exemption *e = &p->exemptions[i];

		for (size_t j = 0; j < e->n_match; j++) {
			free(e->match[j].key);
			free(e->match[j].glob);
		}
		free(e->match);
		free(e->name);
	}
	free(p->exemptions);
	p->exemptions = NULL;
	p->n_exemptions = 0;
}

/* A file's "exemptions" replaces the built-in list: [] means none. */
static int begin_exemptions(struct ctx *c, const struct jval *v)
{
	(void)v;
	free_exemptions(c->p);
	return 0;
}

static struct policy_exemption *add_exemption(struct policy *p)
{
	p->exemptions = nsg_realloc(p->exemptions, (p->n_exemptions + 1) * sizeof(*p->exemptions));
	p->exemptions[p->n_exemptions] = (struct policy_exemption){ 0 };
	return &p->exemptions[p->n_exemptions++];
}

static int begin_exemption(struct ctx *c, const struct jval *v)
{
	(void)v;
	add_exemption(c->p);
	return 0;
}

/* The name is written to syslog and the audit file as the decision
 * ("allowed-by-exemption:NAME"): it must be printable and say which rule fired. */
static int set_exemption_name(struct ctx *c, const struct jval *v)
{
	struct policy *p = c->p;

	if (v->len == 0)
		return nsg_fail(&c->err, "%s must not be empty", here(c));
	for (size_t i = 0; i < v->len; i++)
		if ((unsigned char)v->s[i] < 0x20 || v->s[i] == 0x7f)
			return nsg_fail(&c->err, "%s must not contain control characters", here(c));
	for (size_t i = 0; i + 1 < p->n_exemptions; i++)
		if (strlen(p->exemptions[i].name) == v->len && memcmp(p->exemptions[i].name, v->s, v->len) == 0)
			return nsg_fail(&c->err, "%s: another exemption is already named \"%s\"", here(c),
					show_value(c, v));
	cur_exemption(c)->name = nsg_strndup(v->s, v->len);
	return 0;
}

/* The allow array sits inside the exemption, so no exemption is added (and
 * the array moved) while this pointer is in use. */
static int begin_exemption_allow(struct ctx *c, const struct jval *v)
{
	(void)v;
	top(c)->types = &cur_exemption(c)->allow;
	return 0;
}

static int match_key(struct ctx *c, const char *k, size_t len)
{
	struct policy_exemption *e = cur_exemption(c);

	if (len == 0)
		return nsg_fail(&c->err, "%s: an annotation key must not be empty", where(c));
	for (size_t i = 0; i < e->n_match; i++)
		if (strlen(e->match[i].key) == len && memcmp(e->match[i].key, k, len) == 0)
			return nsg_fail(&c->err, "duplicate key \"%s\" in %s", top(c)->key, where(c));
	e->match = nsg_realloc(e->match, (e->n_match + 1) * sizeof(*e->match));
	e->match[e->n_match++] = (struct policy_match){ nsg_strndup(k, len), NULL };
	return 0;
}

static int set_match_glob(struct ctx *c, const struct jval *v)
{
	struct policy_exemption *e = cur_exemption(c);

	e->match[e->n_match - 1].glob = nsg_strndup(v->s, v->len);
	return 0;
}

/* An exemption without rules would match every container: the policy off. */
static int end_match(struct ctx *c)
{
	if (cur_exemption(c)->n_match == 0)
		return nsg_fail(&c->err,
				"%s must have at least one entry: an exemption without one would match every container",
				where(c));
	return 0;
}

static int set_audit_syslog(struct ctx *c, const struct jval *v)
{
	c->p->audit_syslog = v->b;
	return 0;
}

static int set_audit_file(struct ctx *c, const struct jval *v)
{
	free(c->p->audit_file);
	c->p->audit_file = NULL;
	if (v->len == 0)
		return 0;
	if (!is_abs_path(v->s, v->len))
		return nsg_fail(&c->err, "%s must be an absolute path, or \"\" for no audit file, not \"%s\"", here(c),
				show_value(c, v));
	c->p->audit_file = nsg_strndup(v->s, v->len);
	return 0;
}

static void free_namespace_dirs(struct policy *p)
{
	for (size_t i = 0; i < p->n_namespace_dirs; i++)
		free(p->namespace_dirs[i]);
	free(p->namespace_dirs);
	p->namespace_dirs = NULL;
	p->n_namespace_dirs = 0;
}

static void add_namespace_dir(struct policy *p, const char *s, size_t len)
{
	p->namespace_dirs = nsg_realloc(p->namespace_dirs, (p->n_namespace_dirs + 1) * sizeof(*p->namespace_dirs));
	p->namespace_dirs[p->n_namespace_dirs++] = nsg_strndup(s, len);
}

/* A file's "namespace_dirs" replaces the built-in list: [] means /proc/<pid>/ns/ only. */
static int begin_namespace_dirs(struct ctx *c, const struct jval *v)
{
	(void)v;
	free_namespace_dirs(c->p);
	return 0;
}

static int set_namespace_dir(struct ctx *c, const struct jval *v)
{
	if (!is_abs_path(v->s, v->len))
		return nsg_fail(&c->err, "%s must be an absolute path, not \"%s\"", here(c), show_value(c, v));
	add_namespace_dir(c->p, v->s, v->len);
	return 0;
}

static int set_restore(struct ctx *c, const struct jval *v)
{
	static const char *const names[] = { [POLICY_RESTORE_REFUSE] = "refuse", [POLICY_RESTORE_CHECK] = "check" };

	for (size_t i = 0; i < NSG_ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == v->len && memcmp(names[i], v->s, v->len) == 0) {
			c->p->restore = (enum policy_restore)i;
			return 0;
		}
	return nsg_fail(&c->err, "%s must be \"refuse\" or \"check\", not \"%s\"", here(c), show_value(c, v));
}

static const struct field root_fields[] = {
	{ "runtime", J_STRING, false, 0, NULL, set_runtime },
	{ "mode", J_STRING, false, 0, NULL, set_mode },
	{ "namespaces", J_OBJECT, false, FRAME_NAMESPACES, NULL, NULL },
	{ "annotation", J_OBJECT, false, FRAME_ANNOTATION, NULL, NULL },
	{ "exemptions", J_ARRAY, false, FRAME_EXEMPTIONS, NULL, begin_exemptions },
	{ "audit", J_OBJECT, false, FRAME_AUDIT, NULL, NULL },
	{ "namespace_dirs", J_ARRAY, false, FRAME_DIRS, NULL, begin_namespace_dirs },
	{ "restore", J_STRING, false, 0, NULL, set_restore },
};

static const struct field annotation_fields[] = {
	{ "key", J_STRING, false, 0, NULL, set_annotation_key },
	{ "may_allow", J_ARRAY, false, FRAME_TYPES, NULL, begin_may_allow },
};

static const struct field exemption_fields[] = {
	{ "name", J_STRING, true, 0, NULL, set_exemption_name },
	{ "allow", J_ARRAY, true, FRAME_TYPES, NULL, begin_exemption_allow },
	{ "match", J_OBJECT, true, FRAME_MATCH, NULL, NULL },
};

static const struct field audit_fields[] = {
	{ "syslog", J_BOOL, false, 0, NULL, set_audit_syslog },
	{ "file", J_STRING, false, 0, NULL, set_audit_file },
};

static const struct field ns_mode_value = { NULL, J_STRING, false, 0, NULL, set_ns_mode };
static const struct field type_name_elem = { NULL, J_STRING, false, 0, "a namespace type name", add_type };
static const struct field exemption_elem = { NULL, J_OBJECT, false, FRAME_EXEMPTION, NULL, begin_exemption };
static const struct field dir_elem = { NULL, J_STRING, false, 0, "an absolute path", set_namespace_dir };
static const struct field match_value = { NULL, J_STRING, false, 0, "a string (an fnmatch(3) glob)", set_match_glob };

#define FIELDS(a) .fields = (a), .n_fields = NSG_ARRAY_SIZE(a)

static const struct frame_def frame_defs[] = {
	[FRAME_ROOT] = { FIELDS(root_fields) },
	[FRAME_NAMESPACES] = { .key = ns_key, .elem = &ns_mode_value },
	[FRAME_ANNOTATION] = { FIELDS(annotation_fields) },
	[FRAME_TYPES] = { .is_array = true, .elem = &type_name_elem },
	[FRAME_EXEMPTIONS] = { .is_array = true, .elem = &exemption_elem },
	[FRAME_EXEMPTION] = { FIELDS(exemption_fields) },
	[FRAME_MATCH] = { .key = match_key, .elem = &match_value, .end = end_match },
	[FRAME_AUDIT] = { FIELDS(audit_fields) },
	[FRAME_DIRS] = { .is_array = true, .elem = &dir_elem },
};

static int push(struct ctx *c, enum frame_kind kind)
{
	if (c->depth == POLICY_MAX_DEPTH)
		return nsg_fail(&c->err, "%s nests deeper than %d levels", here(c), POLICY_MAX_DEPTH);
	c->stack[c->depth++] = (struct frame){ .kind = kind, .is_array = frame_defs[kind].is_array, .field = -1 };
	return 0;
}

static int unknown_key(struct ctx *c, const struct frame_def *d)
{
	char known[256] = "";

	for (size_t i = 0; i < d->n_fields; i++)
		append(known, sizeof(known), "%s%s", i ? ", " : "", d->fields[i].name);
	return nsg_fail(&c->err, "unknown key \"%s\" in %s (known: %s)", top(c)->key, where(c), known);
}

static int on_key(struct ctx *c, const char *k, size_t len)
{
	struct frame *f = top(c);
	const struct frame_def *d = &frame_defs[f->kind];

	show(f->key, sizeof(f->key), k, len);
	if (memchr(k, '\0', len))
		return nsg_fail(&c->err, "key \"%s\" in %s contains a NUL character", f->key, where(c));
	if (d->key)
		return d->key(c, k, len);
	for (size_t i = 0; i < d->n_fields; i++) {
		if (strlen(d->fields[i].name) != len || memcmp(d->fields[i].name, k, len) != 0)
			continue;
		if (f->seen & (1u << i))
			return nsg_fail(&c->err, "duplicate key \"%s\" in %s", f->key, where(c));
		f->seen |= 1u << i;
		f->field = (int)i;
		return 0;
	}
	return unknown_key(c, d);
}

static const struct field *current_field(struct ctx *c)
{
	const struct frame *f = top(c);
	const struct frame_def *d = &frame_defs[f->kind];

	return d->fields ? &d->fields[f->field] : d->elem;
}

static int on_value(struct ctx *c, const struct jval *v)
{
	const struct field *fd;

	if (c->depth == 0) {
		if (v->type != J_OBJECT)
			return nsg_fail(&c->err, "the policy must be a JSON object, not %s", jtype_names[v->type].got);
		return push(c, FRAME_ROOT);
	}
	fd = current_field(c);
	if (top(c)->is_array)
		top(c)->count++;
	if (v->type != fd->type)
		return nsg_fail(&c->err, "%s must be %s, not %s", here(c),
				fd->what ? fd->what : jtype_names[fd->type].want, jtype_names[v->type].got);
	if (v->type == J_STRING && memchr(v->s, '\0', v->len))
		return nsg_fail(&c->err, "%s contains a NUL character (\\u0000)", here(c));
	if ((v->type == J_OBJECT || v->type == J_ARRAY) && push(c, fd->child) < 0)
		return -1;
	return fd->set ? fd->set(c, v) : 0;
}

static int on_end(struct ctx *c)
{
	const struct frame *f = top(c);
	const struct frame_def *d = &frame_defs[f->kind];

	for (size_t i = 0; i < d->n_fields; i++)
		if (d->fields[i].required && !(f->seen & (1u << i)))
			return nsg_fail(&c->err, "%s: missing required key \"%s\"", where(c), d->fields[i].name);
	if (d->end && d->end(c) < 0)
		return -1;
	c->depth--;
	return 0;
}

/* yajl callbacks: non-zero continues, zero cancels with the error in the ctx. */
static int cb_null(void *ctx)
{
	return on_value(ctx, &(struct jval){ .type = J_NULL }) == 0;
}

static int cb_boolean(void *ctx, int b)
{
	return on_value(ctx, &(struct jval){ .type = J_BOOL, .b = b }) == 0;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	(void)s;
	(void)len;
	return on_value(ctx, &(struct jval){ .type = J_NUMBER }) == 0;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return on_value(ctx, &(struct jval){ .type = J_STRING, .s = (const char *)s, .len = len }) == 0;
}

static int cb_start_map(void *ctx)
{
	return on_value(ctx, &(struct jval){ .type = J_OBJECT }) == 0;
}

static int cb_start_array(void *ctx)
{
	return on_value(ctx, &(struct jval){ .type = J_ARRAY }) == 0;
}

static int cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	return on_key(ctx, (const char *)k, len) == 0;
}

static int cb_end(void *ctx)
{
	return on_end(ctx) == 0;
}

static const yajl_callbacks policy_callbacks = {
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

static bool is_json_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int syntax_error(yajl_handle h, const char *buf, size_t len, size_t off, struct nsg_err *err)
{
	unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)buf, len);
	size_t n = msg ? strlen((char *)msg) : 0;

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '.'))
		n--;
	nsg_fail(err, "line %u: not valid JSON (%.*s)", nsg_line_of(buf, len, off), (int)n, msg ? (char *)msg : "");
	if (msg)
		yajl_free_error(h, msg);
	return -1;
}

/* Run one strict yajl pass (no comments, UTF-8 validated, nothing after the
 * value: yajl's defaults). A cancelling callback leaves its message in cb_err. */
static int run_yajl(const yajl_callbacks *cbs, void *ctx, const char *buf, size_t len, const struct nsg_err *cb_err,
		    struct nsg_err *err)
{
	cleanup_yajl yajl_handle h = yajl_alloc(cbs, NULL, ctx);
	yajl_status st;
	size_t off;

	if (!h)
		abort();
	st = yajl_parse(h, (const unsigned char *)buf, len);
	off = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		/* A problem found at the end of input is on the last non-blank line. */
		for (off = len; off > 0 && is_json_space(buf[off - 1]); off--)
			;
	}
	if (st == yajl_status_ok)
		return 0;
	if (st == yajl_status_client_canceled)
		return nsg_fail(err, "line %u: %s", nsg_line_of(buf, len, off), cb_err ? cb_err->msg : "invalid");
	return syntax_error(h, buf, len, off, err);
}

/* The effective mode of each type. A "namespaces" entry in the file wins.
 * Otherwise a type that is off or warn by default (uts, cgroup, time: sharing
 * them is routine and mostly harmless; user: every container without userns
 * remapping shares it) keeps that mode, so that "mode": "warn" never starts
 * reporting types nobody asked about and "mode": "enforce" never refuses
 * every plain container; every other type follows the top-level "mode", so
 * "mode": "warn" alone is a dry run of the default policy. */
static void apply_modes(struct policy *p, ns_set explicit_ns, const enum policy_mode *explicit_mode)
{
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		if (explicit_ns & NS_BIT(t))
			p->ns_mode[t] = explicit_mode[t];
		else if (default_ns_mode[t] != POLICY_ENFORCE)
			p->ns_mode[t] = default_ns_mode[t];
		else
			p->ns_mode[t] = p->mode;
	}
}

void policy_defaults(struct policy *p)
{
	*p = (struct policy){ 0 };
	p->mode = POLICY_ENFORCE;
	apply_modes(p, 0, NULL);
	p->annotation_key = nsg_strdup(DEFAULT_ANNOTATION_KEY);
	p->may_allow = DEFAULT_MAY_ALLOW;
	/* No exemptions: they match annotations, and podman, ctr and Docker >= 24
	 * let anyone set any annotation. contrib's Kubernetes policy has the
	 * kube-system rules for nodes where only the kubelet sets them. */
	for (size_t i = 0; i < NSG_ARRAY_SIZE(default_namespace_dirs); i++)
		add_namespace_dir(p, default_namespace_dirs[i], strlen(default_namespace_dirs[i]));
	p->restore = POLICY_RESTORE_REFUSE;
	p->audit_syslog = true;
	p->audit_file = nsg_strdup(DEFAULT_AUDIT_FILE);
}

static bool is_blank(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_json_space(buf[i]))
			return false;
	return true;
}

int policy_parse(const char *buf, size_t len, struct policy *ret, struct nsg_err *err)
{
	cleanup_policy struct policy p = { 0 };
	struct ctx c = { .p = &p };

	*ret = (struct policy){ 0 };
	if (is_blank(buf, len))
		return nsg_fail(err, "line %u: the policy file is empty (write {} for the built-in defaults)",
				nsg_line_of(buf, len, len));
	policy_defaults(&p);
	if (run_yajl(&policy_callbacks, &c, buf, len, &c.err, err) < 0)
		return -1;
	apply_modes(&p, c.explicit_ns, c.explicit_mode);
	*ret = p;
	p = (struct policy){ 0 };
	return 0;
}

/* A lenient pass for an invalid policy: the top-level "runtime", when the
 * file is valid JSON whose top level is an object with exactly one "runtime",
 * a string absolute path. Anything less certain and the caller falls back to
 * the built-in runtime resolution. Scalars other than strings need no
 * callback: the next key, container or end resets at_runtime anyway. */
struct peek {
	unsigned depth;
	bool top_object;
	bool at_runtime; /* the next value belongs to the top-level "runtime" */
	unsigned n_runtime;
	char *runtime;
};

static int peek_string(void *ctx, const unsigned char *s, size_t len)
{
	struct peek *k = ctx;

	if (k->at_runtime && is_abs_path((const char *)s, len)) {
		free(k->runtime);
		k->runtime = nsg_strndup((const char *)s, len);
	}
	k->at_runtime = false;
	return 1;
}

static int peek_start(struct peek *k, bool object)
{
	if (k->depth == 0)
		k->top_object = object;
	k->at_runtime = false;
	return ++k->depth <= POLICY_MAX_DEPTH;
}

static int peek_start_map(void *ctx)
{
	return peek_start(ctx, true);
}

static int peek_start_array(void *ctx)
{
	return peek_start(ctx, false);
}

static int peek_key(void *ctx, const unsigned char *s, size_t len)
{
	struct peek *k = ctx;

	k->at_runtime = k->depth == 1 && len == strlen("runtime") && memcmp(s, "runtime", len) == 0;
	k->n_runtime += k->at_runtime;
	return 1;
}

static int peek_end(void *ctx)
{
	struct peek *k = ctx;

	k->at_runtime = false;
	k->depth--;
	return 1;
}

static const yajl_callbacks peek_callbacks = {
	.yajl_string = peek_string,
	.yajl_start_map = peek_start_map,
	.yajl_map_key = peek_key,
	.yajl_end_map = peek_end,
	.yajl_start_array = peek_start_array,
	.yajl_end_array = peek_end,
};

char *policy_peek_runtime(const char *buf, size_t len)
{
	struct peek k = { 0 };
	cleanup_free char *runtime = NULL;
	int r = run_yajl(&peek_callbacks, &k, buf, len, NULL, NULL);

	runtime = k.runtime;
	if (r < 0 || !k.top_object || k.n_runtime != 1)
		return NULL;
	return steal_pointer(&runtime);
}

void policy_free(struct policy *p)
{
	free(p->path);
	free(p->runtime);
	free(p->annotation_key);
	free_exemptions(p);
	free_namespace_dirs(p);
	free(p->audit_file);
	*p = (struct policy){ 0 };
}

static const char *annotation_value(const char *key, char *const *keys, char *const *values, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return values[i];
	return NULL;
}

static bool exemption_matches(const struct policy_exemption *e, char *const *keys, char *const *values, size_t n)
{
	for (size_t i = 0; i < e->n_match; i++) {
		const char *value = annotation_value(e->match[i].key, keys, values, n);

		if (!value || fnmatch(e->match[i].glob, value, 0) != 0)
			return false;
	}
	return e->n_match > 0;
}

const struct policy_exemption *policy_match_exemption(const struct policy *p, const struct policy_exemption *from,
						      char *const *keys, char *const *values, size_t n)
{
	const struct policy_exemption *end;

	if (!p->exemptions)
		return NULL;
	end = p->exemptions + p->n_exemptions;
	for (const struct policy_exemption *e = from ? from : p->exemptions; e < end; e++)
		if (exemption_matches(e, keys, values, n))
			return e;
	return NULL;
}
