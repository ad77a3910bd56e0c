/* evaluate.c - see evaluate.h */
#include "evaluate.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "nsid.h"
#include "sandbox.h"

static char *absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return nsg_strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return nsg_strdup(path);
	if (path[0] == '\0' || strcmp(path, ".") == 0)
		return nsg_strdup(cwd);
	return nsg_asprintf("%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
}

/* Owned by root (or us) and writable by nobody else. */
static int check_owner(const char *what, const struct stat *st, struct nsg_err *err)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return nsg_fail(err, "%s is owned by uid %u, not root: it could change after nsguard reads it", what,
				(unsigned)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return nsg_fail(err, "%s is writable by group or others: it could change after nsguard reads it", what);
	return 0;
}

static int read_config(struct evaluation *e, bool config_given, char **ret_buf, size_t *ret_len, struct nsg_err *err)
{
	bool as_root = geteuid() == 0;
	cleanup_free char *buf = NULL;
	struct stat st;

	if (as_root && !config_given) {
		if (stat(e->bundle, &st) < 0)
			return nsg_fail(err, "bundle %s: %s", e->bundle, strerror(errno));
		if (check_owner(e->bundle, &st, err) < 0)
			return -1;
	}
	if (nsg_read_file(e->config_path, SPEC_MAX_SIZE, &buf, ret_len, &st, err) < 0)
		return -1;
	if (as_root && check_owner(e->config_path, &st, err) < 0)
		return -1;
	*ret_buf = steal_pointer(&buf);
	return 0;
}

/* Which joined namespaces are the host's; a path that cannot be stat'ed is a refusal. */
static int find_host_namespaces(const struct spec *s, bool host[NS_TYPE_COUNT], struct nsg_err *err)
{
	struct nsid_host ref;
	bool have_ref = false;

	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		struct nsid id;

		host[t] = false;
		if (s->ns[t].state != SPEC_NS_JOINED)
			continue;
		if (!have_ref) /* most specs join nothing: read the host's identities only when needed */
			nsid_host_read("/proc", &ref);
		have_ref = true;
		/* As root, a path someone else could swap between nsguard's stat()
		 * and runc's open() cannot be read with certainty. */
		if (geteuid() == 0 && nsid_check_path_trusted(s->ns[t].path, err) < 0)
			return -1;
		if (nsid_of_path(s->ns[t].path, &id, err) < 0)
			return -1;
		host[t] = nsid_is_host(&ref, (enum ns_type)t, &id);
	}
	return 0;
}

/* The only annotations the decision reads: the allow key and the exemptions' keys. */
static const char **annotation_keys(const struct policy *p, size_t *ret_n)
{
	size_t n = 1;
	const char **keys;

	for (size_t i = 0; i < p->n_exemptions; i++)
		n += p->exemptions[i].n_match;
	keys = nsg_calloc(n, sizeof(*keys));
	n = 0;
	if (p->annotation_key)
		keys[n++] = p->annotation_key;
	for (size_t i = 0; i < p->n_exemptions; i++)
		for (size_t j = 0; j < p->exemptions[i].n_match; j++)
			keys[n++] = p->exemptions[i].match[j].key;
	*ret_n = n;
	return keys;
}

int evaluate(const struct policy *p, const char *path, bool config_given, struct evaluation *ret, struct nsg_err *err)
{
	cleanup_free char *buf = NULL;
	cleanup_free const char **keys = NULL;
	size_t n_keys = 0;
	bool host[NS_TYPE_COUNT];
	size_t len = 0;

	memset(ret, 0, sizeof(*ret));
	if (config_given) {
		ret->config_path = absolute(path);
		ret->bundle = absolute(path);
		*strrchr(ret->bundle, '/') = '\0';
	} else {
		ret->bundle = absolute(path ? path : "");
		ret->config_path = nsg_asprintf("%s/config.json", ret->bundle);
	}
	if (read_config(ret, config_given, &buf, &len, err) < 0)
		return -1;
	keys = annotation_keys(p, &n_keys);
	if (sandbox_parse_spec_keep(buf, len, keys, n_keys, &ret->spec, err) < 0)
		return nsg_prefix(err, "%s: ", ret->config_path);
	if (find_host_namespaces(&ret->spec, host, err) < 0)
		return -1;
	decide(p, &ret->spec, host, &ret->decision);
	return 0;
}

void evaluation_audit_entry(const struct evaluation *ev, const char *decision, struct audit_entry *e)
{
	static const char *const verdicts[] = {
		[VERDICT_NOT_SHARED] = "private",  [VERDICT_OFF] = "off",	[VERDICT_EXEMPTED] = "exempted",
		[VERDICT_ANNOTATED] = "annotated", [VERDICT_WARNED] = "warned", [VERDICT_REFUSED] = "refused",
	};

	e->bundle = ev->bundle;
	e->decision = decision;
	e->annotation = ev->decision.annotation;
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		if (!ev->decision.how[t])
			continue;
		e->shared[e->n_shared].type = ns_infos[t].name;
		e->shared[e->n_shared].how = ev->decision.how[t];
		e->shared[e->n_shared].verdict = verdicts[ev->decision.verdict[t]];
		e->n_shared++;
	}
}

void evaluation_free(struct evaluation *e)
{
	free(e->bundle);
	free(e->config_path);
	e->bundle = e->config_path = NULL;
	spec_free(&e->spec);
	decision_free(&e->decision);
}
