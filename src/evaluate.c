/* evaluate.c - see evaluate.h */
#include "evaluate.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "nsid.h"
#include "pathtrust.h"
#include "sandbox.h"

/* runc reads a relative bundle from its real current directory, which is not
 * always what getcwd()'s name leads to (a mount over it, a rename). Is the
 * file nsguard opened the one relative names from the current directory?
 * fstatat() neither opens nor blocks. */
static bool evaluate_same_file_at_cwd(int fd, const char *relative)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && fstatat(AT_FDCWD, relative, &b, 0) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* config.json as runc will read it (after chdir(bundle), open("config.json")),
 * through the one path-trust function: as root, the bundle, config.json and
 * every directory and symlink on the way must be root's and writable by
 * nobody else, so nobody but root can swap the file between nsguard's read
 * and runc's. Opened without blocking: a FIFO is refused, never waited on. */
static int evaluate_read_config(const struct evaluation *e, const char *relative, char **ret_buf, size_t *ret_len,
				struct nsg_err *err)
{
	struct pathtrust_result r;
	cleanup_close int fd = -1;

	if (pathtrust_open(e->config_path, geteuid() == 0 ? PATHTRUST_OWNERS : 0, NULL, &r, err) < 0)
		return err->errnum ? nsg_prefix(err, "cannot read %s: ", e->config_path) : -1;
	fd = r.fd;
	if (relative && !evaluate_same_file_at_cwd(fd, relative))
		return nsg_fail(err,
				"%s is not the file %s names from the current directory (something is mounted over "
				"it?): runc would read another config.json",
				e->config_path, relative);
	return nsg_read_fd(fd, e->config_path, SPEC_MAX_SIZE, ret_buf, ret_len, err);
}

/* Which joined namespaces are the host's. Types the policy does not look at
 * are not examined; any other joined path that cannot be judged with
 * certainty - no reference identity (no /proc), not a namespace of its type,
 * a path runc init would resolve differently - is a refusal. */
static int evaluate_find_host_namespaces(const struct policy *p, struct spec *s, bool host[NS_TYPE_COUNT],
					 struct nsg_err *err)
{
	cleanup_zone struct pathtrust_zone zone = { 0 };
	bool as_root = geteuid() == 0;
	struct nsid_host ref;
	bool have_ref = false;

	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		struct nsid id;

		host[t] = false;
		if (s->ns[t].state != SPEC_NS_JOINED || p->ns_mode[t] == POLICY_OFF)
			continue;
		if (!have_ref) { /* most specs join nothing: look only when needed */
			nsid_host_read("/proc", &ref);
			pathtrust_zone_of(p->namespace_dirs, p->n_namespace_dirs, &zone);
			have_ref = true;
		}
		if (!nsid_have_reference(&ref, (enum ns_type)t))
			return nsg_fail(err,
					"namespace path %s cannot be compared with the host's %s namespace: "
					"/proc/self/ns/%s cannot be read (is /proc mounted?)",
					s->ns[t].path, ns_infos[t].name, ns_infos[t].proc);
		if (nsid_of_joined(s->ns[t].path, (enum ns_type)t, as_root ? &zone : NULL, &id, err) < 0)
			return -1;
		host[t] = nsid_is_host(&ref, (enum ns_type)t, &id);
		s->ns[t].joined_maps_host_root = id.maps_host_root;
	}
	return 0;
}

/* The only annotations the decision reads: the allow key and the exemptions' keys. */
static const char **evaluate_annotation_keys(const struct policy *p, size_t *ret_n)
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
	cleanup_free char *relative = NULL;
	cleanup_free const char **keys = NULL;
	size_t n_keys = 0;
	bool host[NS_TYPE_COUNT];
	size_t len = 0;

	memset(ret, 0, sizeof(*ret));
	if (!path || path[0] != '/')
		relative = config_given	     ? nsg_strdup(path)
			   : !path || !*path ? nsg_strdup("config.json")
					     : nsg_asprintf("%s/config.json", path);
	if (config_given) {
		if (nsg_absolute(path, &ret->config_path, err) < 0)
			return -1;
		ret->bundle = nsg_strdup(ret->config_path);
		*strrchr(ret->bundle, '/') = '\0';
	} else {
		if (nsg_absolute(path, &ret->bundle, err) < 0)
			return nsg_prefix(err, "bundle: ");
		ret->config_path = nsg_asprintf("%s/config.json", ret->bundle);
	}
	if (evaluate_read_config(ret, relative, &buf, &len, err) < 0)
		return -1;
	keys = evaluate_annotation_keys(p, &n_keys);
	if (sandbox_parse_spec_keep(buf, len, keys, n_keys, &ret->spec, err) < 0)
		return nsg_prefix(err, "%s: ", ret->config_path);
	if (evaluate_find_host_namespaces(p, &ret->spec, host, err) < 0)
		return -1;
	decide(p, &ret->spec, host, &ret->decision);
	return 0;
}

void evaluation_free(struct evaluation *e)
{
	free(e->bundle);
	free(e->config_path);
	e->bundle = e->config_path = NULL;
	spec_free(&e->spec);
	decision_free(&e->decision);
}
