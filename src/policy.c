/* policy.c - see policy.h: the built-in defaults, the effective modes,
 * exemption matching and freeing. The file's schema is policy_parse.c, the
 * I/O edge policy_load.c.
 */
#include "policy.h"

#include <fnmatch.h>
#include <string.h>

/* Built-in per-type modes: POLICY_ENFORCE here means "follows the top-level
 * mode". user is warn: without userns-remap, hostUsers: false or rootless
 * podman every container shares the host's user namespace. */
static const enum policy_mode policy_default_ns_mode[NS_TYPE_COUNT] = {
	[NS_NETWORK] = POLICY_ENFORCE, [NS_PID] = POLICY_ENFORCE, [NS_IPC] = POLICY_ENFORCE, [NS_USER] = POLICY_WARN,
	[NS_MOUNT] = POLICY_ENFORCE,   [NS_UTS] = POLICY_OFF,	  [NS_CGROUP] = POLICY_OFF,  [NS_TIME] = POLICY_OFF,
};

#define POLICY_DEFAULT_ANNOTATION_KEY "io.nsguard.allow"
#define POLICY_DEFAULT_MAY_ALLOW      (NS_BIT(NS_NETWORK) | NS_BIT(NS_PID) | NS_BIT(NS_IPC) | NS_BIT(NS_USER))
#define POLICY_DEFAULT_AUDIT_FILE     "/var/log/nsguard/audit.jsonl"

/* Where ip netns, Docker, containerd's CNI setup (also with
 * netns_mounts_under_state_dir), podman and CRI-O's pinns keep namespace files. */
static const char *const policy_default_namespace_dirs[] = {
	"/run/netns", "/run/docker/netns", "/run/ipcns",
	"/run/utsns", "/run/userns",	   "/run/containerd/io.containerd.grpc.v1.cri/netns",
};

void policy_clear_exemptions(struct policy *p)
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

void policy_clear_namespace_dirs(struct policy *p)
{
	for (size_t i = 0; i < p->n_namespace_dirs; i++)
		free(p->namespace_dirs[i]);
	free(p->namespace_dirs);
	p->namespace_dirs = NULL;
	p->n_namespace_dirs = 0;
}

void policy_add_namespace_dir(struct policy *p, const char *s, size_t len)
{
	p->namespace_dirs = nsg_realloc(p->namespace_dirs, (p->n_namespace_dirs + 1) * sizeof(*p->namespace_dirs));
	p->namespace_dirs[p->n_namespace_dirs++] = nsg_strndup(s, len);
}

/* The effective mode of each type. A "namespaces" entry in the file wins.
 * Otherwise a type that is off or warn by default (uts, cgroup, time: sharing
 * them is routine and mostly harmless; user: every container without userns
 * remapping shares it) keeps that mode, so that "mode": "warn" never starts
 * reporting types nobody asked about and "mode": "enforce" never refuses
 * every plain container; every other type follows the top-level "mode", so
 * "mode": "warn" alone is a dry run of the default policy. */
void policy_apply_modes(struct policy *p, ns_set explicit_ns, const enum policy_mode *explicit_mode)
{
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		if (explicit_ns & NS_BIT(t))
			p->ns_mode[t] = explicit_mode[t];
		else if (policy_default_ns_mode[t] != POLICY_ENFORCE)
			p->ns_mode[t] = policy_default_ns_mode[t];
		else
			p->ns_mode[t] = p->mode;
	}
}

void policy_defaults(struct policy *p)
{
	*p = (struct policy){ 0 };
	p->mode = POLICY_ENFORCE;
	policy_apply_modes(p, 0, NULL);
	p->annotation_key = nsg_strdup(POLICY_DEFAULT_ANNOTATION_KEY);
	p->may_allow = POLICY_DEFAULT_MAY_ALLOW;
	/* No exemptions: they match annotations, and podman, ctr and Docker >= 24
	 * let anyone set any annotation. contrib's Kubernetes policy has the
	 * kube-system rules for nodes where only the kubelet sets them. */
	for (size_t i = 0; i < NSG_ARRAY_SIZE(policy_default_namespace_dirs); i++)
		policy_add_namespace_dir(p, policy_default_namespace_dirs[i], strlen(policy_default_namespace_dirs[i]));
	p->restore = POLICY_RESTORE_REFUSE;
	p->audit_syslog = true;
	p->audit_file = nsg_strdup(POLICY_DEFAULT_AUDIT_FILE);
}

void policy_free(struct policy *p)
{
	free(p->path);
	free(p->runtime);
	free(p->annotation_key);
	policy_clear_exemptions(p);
	policy_clear_namespace_dirs(p);
	free(p->audit_file);
	*p = (struct policy){ 0 };
}

static const char *policy_annotation_value(const char *key, char *const *keys, char *const *values, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return values[i];
	return NULL;
}

static bool policy_exemption_matches(const struct policy_exemption *e, char *const *keys, char *const *values, size_t n)
{
	for (size_t i = 0; i < e->n_match; i++) {
		const char *value = policy_annotation_value(e->match[i].key, keys, values, n);

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
		if (policy_exemption_matches(e, keys, values, n))
			return e;
	return NULL;
}
