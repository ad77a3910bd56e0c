/* decide.c - see decide.h.
 *
 * Everything a message quotes from the spec (an annotation item, a namespace
 * path) is written by whoever starts the container. What is quoted from the
 * annotation is bounded here (no 16 MiB refusal); the bytes are kept as they
 * are and escaped once, at the output edge (escape.h), like every other byte
 * from outside.
 */

#include "decide.h"

#include <string.h>

#include "buf.h"
#include "escape.h"
#include "util.h"

#define DECIDE_UNKNOWN_SHOWN_MAX 4 /* unknown annotation items named one by one */

/* The parts of a message are joined by this. */
#define DECIDE_SEP "; "

static char *decide_copy(const char *s)
{
	return nsg_strdup(s ? s : "");
}

static bool decide_is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

static bool decide_is_blank(const char *s)
{
	while (decide_is_blank_char(*s))
		s++;
	return *s == '\0';
}

/* "network, pid, ..." in table order. */
static char *decide_known_types(void)
{
	struct nsg_buf b = { 0 };

	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		buf_join(&b, ", ", "%s", ns_infos[t].name);
	return buf_steal(&b);
}

static void decide_add_unknown(struct nsg_buf *problems, const char *key, const char *item, size_t len)
{
	cleanup_free char *what = nsg_cut(item, len, NSG_QUOTE_MAX);
	cleanup_free char *known = decide_known_types();

	buf_join(problems, DECIDE_SEP, "annotation %s: \"%s\" is not a namespace type (known: %s)", key, what, known);
}

/* The next comma-separated item of *cursor, without the blanks around it; NULL at the end. */
static const char *decide_next_item(const char **cursor, size_t *ret_len)
{
	const char *start = *cursor, *end;

	if (!start)
		return NULL;
	end = strchr(start, ',');
	*cursor = end ? end + 1 : NULL;
	if (!end)
		end = start + strlen(start);
	while (start < end && decide_is_blank_char(*start))
		start++;
	while (end > start && decide_is_blank_char(end[-1]))
		end--;
	*ret_len = (size_t)(end - start);
	return start;
}

/* The types the annotation value asks for; what is wrong with it goes to problems.
 * A typo must refuse the container rather than silently unlock nothing (SPEC.md §6). */
static ns_set decide_read_annotation(const struct policy *p, const char *value, const char *key,
				     struct nsg_buf *problems)
{
	const char *cursor = decide_is_blank(value) ? NULL : value, *item;
	size_t len, n_unknown = 0;
	ns_set asked = 0;

	while ((item = decide_next_item(&cursor, &len))) {
		int t = ns_type_from_name(item, len);

		if (t >= 0)
			asked |= NS_BIT(t);
		else if (n_unknown++ < DECIDE_UNKNOWN_SHOWN_MAX)
			decide_add_unknown(problems, key, item, len);
	}
	if (n_unknown > DECIDE_UNKNOWN_SHOWN_MAX)
		buf_join(problems, DECIDE_SEP, "annotation %s: %zu more items are not namespace types", key,
			 n_unknown - DECIDE_UNKNOWN_SHOWN_MAX);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		if (asked & ~p->may_allow & NS_BIT(t))
			buf_join(problems, DECIDE_SEP,
				 "annotation %s asks for \"%s\", but the policy does not let annotations allow \"%s\"",
				 key, ns_infos[t].name, ns_infos[t].name);
	return asked;
}

/* ret[t]: the first exemption that matches the spec's annotations and allows t, or NULL. */
static void decide_find_exemptions(const struct policy *p, const struct spec *s,
				   const struct policy_exemption *ret[NS_TYPE_COUNT])
{
	cleanup_free char **keys = nsg_calloc(s->n_annotations, sizeof(*keys));
	cleanup_free char **values = nsg_calloc(s->n_annotations, sizeof(*values));
	const struct policy_exemption *e = NULL;

	for (size_t i = 0; i < s->n_annotations; i++) {
		keys[i] = s->annotations[i].key;
		values[i] = s->annotations[i].value;
	}
	while ((e = policy_match_exemption(p, e ? e + 1 : NULL, keys, values, s->n_annotations)))
		for (size_t t = 0; t < NS_TYPE_COUNT; t++)
			if (!ret[t] && (e->allow & NS_BIT(t)))
				ret[t] = e;
}

/* SPEC 4's user rule: a private user namespace whose mappings map host id 0
 * gives the container's root the host root's identity on every file it can
 * reach - it counts as sharing the host's user namespace. */
static const char *decide_maps_host_root(const struct spec *s, size_t t)
{
	if (t != NS_USER)
		return NULL;
	if (s->ns[t].state == SPEC_NS_JOINED)
		return s->ns[t].joined_maps_host_root;
	return s->ns[t].state == SPEC_NS_PRIVATE ? spec_host_root_mapping(s) : NULL;
}

static bool decide_is_shared(const struct spec *s, const bool host[NS_TYPE_COUNT], size_t t)
{
	return s->ns[t].state == SPEC_NS_INHERITED || (s->ns[t].state == SPEC_NS_JOINED && host[t]) ||
	       decide_maps_host_root(s, t);
}

static char *decide_how_shared(const struct spec *s, size_t t)
{
	const char *id = decide_maps_host_root(s, t);

	if (s->ns[t].state == SPEC_NS_INHERITED)
		return nsg_asprintf("no \"%s\" entry in linux.namespaces", ns_infos[t].name);
	if (id && s->ns[t].state == SPEC_NS_JOINED)
		return nsg_asprintf("path %s is a user namespace that maps host %s 0", s->ns[t].path, id);
	if (id)
		return nsg_asprintf("linux.%sMappings maps host %s 0 into the container", id, id);
	return nsg_asprintf("path %s is the host's %s namespace", s->ns[t].path, ns_infos[t].name);
}

static enum decide_verdict decide_verdict_of(const struct policy *p, size_t t, bool exempted, ns_set asked)
{
	if (p->ns_mode[t] == POLICY_OFF)
		return VERDICT_OFF;
	if (exempted)
		return VERDICT_EXEMPTED;
	if (asked & p->may_allow & NS_BIT(t))
		return VERDICT_ANNOTATED;
	return p->ns_mode[t] == POLICY_WARN ? VERDICT_WARNED : VERDICT_REFUSED;
}

/* The first row any type has decides: one refusal refuses the container. */
static enum decide_outcome decide_outcome_of(const struct decision *d, bool annotation_refused)
{
	static const struct {
		enum decide_verdict verdict;
		enum decide_outcome outcome;
	} precedence[] = {
		{ VERDICT_REFUSED, DECIDE_REFUSED },
		{ VERDICT_WARNED, DECIDE_WARNED },
		{ VERDICT_ANNOTATED, DECIDE_ALLOWED_BY_ANNOTATION },
		{ VERDICT_EXEMPTED, DECIDE_ALLOWED_BY_EXEMPTION },
	};

	if (annotation_refused)
		return DECIDE_REFUSED;
	for (size_t i = 0; i < NSG_ARRAY_SIZE(precedence); i++)
		for (size_t t = 0; t < NS_TYPE_COUNT; t++)
			if (d->verdict[t] == precedence[i].verdict)
				return precedence[i].outcome;
	return DECIDE_ALLOWED;
}

static char *decide_way_out(const struct policy *p, const struct decision *d, size_t t, const char *key)
{
	const char *name = ns_infos[t].name;

	if (!(p->may_allow & NS_BIT(t)))
		return nsg_asprintf("the policy does not let annotations allow \"%s\"", name);
	if (!d->annotation)
		return nsg_asprintf("add annotation %s=%s", key, name);
	return nsg_asprintf("add \"%s\" to annotation %s", name, key);
}

/* One part per type with verdict `which` (refused or warned), in table order. */
static void decide_add_type_parts(const struct policy *p, const struct decision *d, enum decide_verdict which,
				  const char *key, struct nsg_buf *l)
{
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		cleanup_free char *why = NULL;

		if (d->verdict[t] != which)
			continue;
		if (which == VERDICT_WARNED)
			why = nsg_asprintf("allowed only because the policy's mode for \"%s\" is warn",
					   ns_infos[t].name);
		else
			why = decide_way_out(p, d, t, key);
		buf_join(l, DECIDE_SEP, "shares the host's %s namespace (%s): %s", ns_infos[t].name, d->how[t], why);
	}
}

void decide(const struct policy *p, const struct spec *s, const bool host[NS_TYPE_COUNT], struct decision *ret)
{
	const struct policy_exemption *exempt[NS_TYPE_COUNT] = { 0 };
	cleanup_free char *key = decide_copy(p->annotation_key);
	cleanup_buf struct nsg_buf msg = { 0 }; /* annotation problems first, then the types */
	ns_set asked = 0;

	*ret = (struct decision){ 0 };
	ret->annotation = p->annotation_key ? spec_annotation(s, p->annotation_key) : NULL;
	if (ret->annotation)
		asked = decide_read_annotation(p, ret->annotation, key, &msg);
	decide_find_exemptions(p, s, exempt);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		if (!decide_is_shared(s, host, t))
			continue;
		/* Off types are still described: the audit trail shows what shares the host's namespaces. */
		ret->verdict[t] = decide_verdict_of(p, t, exempt[t] != NULL, asked);
		ret->how[t] = decide_how_shared(s, t);
		if (ret->verdict[t] == VERDICT_EXEMPTED && !ret->exemption)
			ret->exemption = exempt[t]->name;
	}
	ret->outcome = decide_outcome_of(ret, msg.len > 0);
	if (ret->outcome == DECIDE_REFUSED || ret->outcome == DECIDE_WARNED) {
		decide_add_type_parts(p, ret, ret->outcome == DECIDE_REFUSED ? VERDICT_REFUSED : VERDICT_WARNED, key,
				      &msg);
		ret->message = buf_steal(&msg);
	}
}

const char *decide_verdict_name(enum decide_verdict v)
{
	static const char *const names[] = {
		[VERDICT_NOT_SHARED] = "private",  [VERDICT_OFF] = "off",	[VERDICT_EXEMPTED] = "exempted",
		[VERDICT_ANNOTATED] = "annotated", [VERDICT_WARNED] = "warned", [VERDICT_REFUSED] = "refused",
	};

	return (size_t)v < NSG_ARRAY_SIZE(names) ? names[v] : "refused";
}

char *decide_outcome_name(const struct decision *d)
{
	static const char *const names[] = {
		[DECIDE_ALLOWED] = "allowed",
		[DECIDE_ALLOWED_BY_EXEMPTION] = "allowed-by-exemption",
		[DECIDE_ALLOWED_BY_ANNOTATION] = "allowed-by-annotation",
		[DECIDE_WARNED] = "warned",
		[DECIDE_REFUSED] = "refused",
	};

	if ((size_t)d->outcome >= NSG_ARRAY_SIZE(names))
		return nsg_strdup("refused");
	if (d->outcome == DECIDE_ALLOWED_BY_EXEMPTION)
		return nsg_asprintf("%s:%s", names[d->outcome], d->exemption ? d->exemption : "");
	return nsg_strdup(names[d->outcome]);
}

void decision_free(struct decision *d)
{
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		free(d->how[t]);
		d->how[t] = NULL;
	}
	free(d->message);
	d->message = NULL;
}
