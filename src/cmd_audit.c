/* cmd_audit.c - `nsguard audit`: what already runs, and which host namespaces it shares.
 *
 * Every container under runc's (and crun's) state roots, compared by
 * /proc/<pid>/ns/ identities with the host's: CIS Docker 5.9 (network),
 * 5.15 (pid), 5.16 (ipc), 5.30 (user), plus uts and cgroup.
 */
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "escape.h"
#include "exitstatus.h"
#include "json.h"
#include "nsid.h"
#include "policy.h"
#include "report.h"

/* The types `nsguard audit` reports, with their CIS Docker controls. */
static const enum ns_type audit_types[] = { NS_NETWORK, NS_PID, NS_IPC, NS_USER, NS_UTS, NS_CGROUP };

static const char *const audit_default_roots[] = {
	"/run/runc",
	"/run/docker/runtime-runc/*",
	"/run/containerd/runc/*",
	"/run/crun",
};

#define AUDIT_MAX_ROOTS 64
/* State files: runc's state.json holds the container's config, which is read with these limits too. */
#define AUDIT_MAX_STATE_SIZE (16 * 1024 * 1024)
#define AUDIT_MAX_DEPTH	     1000

struct audit_opts {
	int json;
	const char *roots[AUDIT_MAX_ROOTS];
	size_t n_roots;
};

/* The init pid in a state file: runc's state.json "init_process_pid", crun's
 * status "pid", a key of the top-level object. runc's state.json holds the
 * whole container config too: everything below the top level is skipped. */
struct audit_pid_reader {
	bool want; /* the next value is the top-level "init_process_pid" or "pid" */
	long pid;
};

static int audit_pid_value(struct json_reader *r, const struct json_value *v)
{
	struct audit_pid_reader *k = r->data;
	bool want = k->want;
	long pid;

	k->want = false;
	if ((v->type == JSON_OBJECT || v->type == JSON_ARRAY) && json_depth(r) > 1)
		json_skip(r);
	else if (want && json_number_long(v, LONG_MIN, LONG_MAX, &pid) == 0)
		k->pid = pid;
	return 0;
}

static int audit_pid_key(struct json_reader *r, const char *key, size_t len)
{
	struct audit_pid_reader *k = r->data;

	k->want = (len == 16 && memcmp(key, "init_process_pid", 16) == 0) || (len == 3 && memcmp(key, "pid", 3) == 0);
	return 0;
}

static int audit_pid_end(struct json_reader *r)
{
	struct audit_pid_reader *k = r->data;

	k->want = false;
	return 0;
}

/* Deliberately the same shape in every reader: this is how a schema plugs
 * into the one JSON layer (json.h), not a copy of its plumbing. */
static const struct json_events audit_pid_events = {
	.value = audit_pid_value,
	.key = audit_pid_key,
	.end = audit_pid_end,
	.max_depth = AUDIT_MAX_DEPTH,
};

static long long audit_pid_in(const char *path)
{
	cleanup_free char *buf = NULL;
	struct audit_pid_reader k = { 0 };
	struct json_reader r;
	struct nsg_err err;
	size_t len;

	if (nsg_read_file(path, AUDIT_MAX_STATE_SIZE, &buf, &len, NULL, &err) < 0)
		return -1;
	if (json_parse(&r, buf, len, &audit_pid_events, &k, &err) < 0)
		return -1;
	return k.pid > 0 ? k.pid : -1;
}

static long long audit_state_pid(const char *dir)
{
	static const char *const files[] = { "state.json", "status" };

	for (size_t i = 0; i < NSG_ARRAY_SIZE(files); i++) {
		cleanup_free char *path = nsg_asprintf("%s/%s", dir, files[i]);
		long long pid = audit_pid_in(path);

		if (pid > 0)
			return pid;
	}
	return -1;
}

/* Which audited types container process pid shares with the host. */
static ns_set audit_shared_of(const struct nsid_host *host, long long pid)
{
	ns_set shared = 0;

	for (size_t i = 0; i < NSG_ARRAY_SIZE(audit_types); i++) {
		cleanup_free char *path = nsg_asprintf("/proc/%lld/ns/%s", pid, ns_infos[audit_types[i]].proc);
		struct nsg_err err;
		struct nsid id;

		if (nsid_of_path(path, &id, &err) == 0 && nsid_is_host(host, audit_types[i], &id))
			shared |= NS_BIT(audit_types[i]);
	}
	return shared;
}

/* The id is a directory name and the root an argument: both escaped before
 * they are printed (report_json_escape escapes too). */
static void audit_print_human(const char *root, const char *id, long long pid, ns_set shared)
{
	cleanup_free char *eroot = nsg_escape(root);
	cleanup_free char *eid = nsg_escape(id);

	printf("%-24s %-8lld %-40s", eid, pid, eroot);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(audit_types); i++) {
		const struct ns_info *n = &ns_infos[audit_types[i]];

		if (shared & NS_BIT(audit_types[i]))
			printf(" %s%s%s%s", n->name, n->cis ? "(CIS " : "", n->cis ? n->cis : "", n->cis ? ")" : "");
	}
	printf("%s\n", shared ? "" : " -");
}

static void audit_print_json(const char *root, const char *id, long long pid, ns_set shared)
{
	cleanup_free char *eroot = report_json_escape(root);
	cleanup_free char *eid = report_json_escape(id);
	int first = 1;

	printf("{\"id\":\"%s\",\"root\":\"%s\",\"pid\":%lld,\"shared\":[", eid, eroot, pid);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(audit_types); i++) {
		const struct ns_info *n = &ns_infos[audit_types[i]];

		if (!(shared & NS_BIT(audit_types[i])))
			continue;
		printf("%s{\"type\":\"%s\",\"cis\":%s%s%s}", first ? "" : ",", n->name, n->cis ? "\"" : "",
		       n->cis ? n->cis : "null", n->cis ? "\"" : "");
		first = 0;
	}
	printf("]}\n");
}

/* Every container of one state root; returns the enforced types any of them shares. */
static ns_set audit_root(const struct audit_opts *o, const struct policy *p, const struct nsid_host *host,
			 const char *root)
{
	struct dirent **names = NULL;
	ns_set enforced_shared = 0;
	int n = scandir(root, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		cleanup_free char *dir = nsg_asprintf("%s/%s", root, names[i]->d_name);
		long long pid = names[i]->d_name[0] == '.' ? -1 : audit_state_pid(dir);
		ns_set shared = pid > 0 ? audit_shared_of(host, pid) : 0;

		if (pid > 0)
			(o->json ? audit_print_json : audit_print_human)(root, names[i]->d_name, pid, shared);
		for (size_t t = 0; t < NS_TYPE_COUNT; t++)
			if ((shared & NS_BIT(t)) && p->ns_mode[t] != POLICY_OFF)
				enforced_shared |= NS_BIT(t);
		free(names[i]);
	}
	free(names);
	return enforced_shared;
}

/* nsguard's own commands parse their few options by hand, each its own
 * grammar (audit's --root takes a list): the loops look alike, a shared
 * option table would be larger than both. */
static int audit_usage(void)
{
	fprintf(stderr, "usage: nsguard audit [--json] [--root DIR...]...\n");
	return -1;
}

/* --root takes one or more directories (globs allowed), up to the next flag. */
static int audit_parse_opts(int argc, char *argv[], struct audit_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			o->json = 1;
			continue;
		}
		if (strcmp(argv[i], "--root") != 0 || i + 1 >= argc || argv[i + 1][0] == '-')
			return audit_usage();
		while (i + 1 < argc && argv[i + 1][0] != '-') {
			if (o->n_roots == AUDIT_MAX_ROOTS)
				return audit_usage();
			o->roots[o->n_roots++] = argv[++i];
		}
	}
	return 0;
}

static ns_set audit_pattern(const struct audit_opts *o, const struct policy *p, const struct nsid_host *host,
			    const char *pattern)
{
	ns_set shared = 0;
	glob_t g;

	if (glob(pattern, GLOB_ONLYDIR | GLOB_NOSORT, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc; i++)
		shared |= audit_root(o, p, host, g.gl_pathv[i]);
	globfree(&g);
	return shared;
}

int cmd_audit(int argc, char *argv[])
{
	cleanup_policy struct policy policy = { 0 };
	struct audit_opts o;
	struct nsid_host host;
	struct nsg_err err;
	ns_set shared = 0;

	if (audit_parse_opts(argc, argv, &o) < 0)
		return NSG_EXIT_UNUSABLE;
	if (policy_load(policy_path(), &policy, NULL, &err) < 0) {
		cleanup_free char *msg = nsg_escape(err.msg);

		fprintf(stderr, "nsguard: %s\n", msg);
		return NSG_EXIT_UNUSABLE;
	}
	nsid_host_read("/proc", &host);
	if (!o.json)
		printf("%-24s %-8s %-40s %s\n", "CONTAINER", "PID", "STATE ROOT", "SHARES THE HOST'S");
	for (size_t i = 0; i < (o.n_roots ? o.n_roots : NSG_ARRAY_SIZE(audit_default_roots)); i++)
		shared |= audit_pattern(&o, &policy, &host, o.n_roots ? o.roots[i] : audit_default_roots[i]);
	return shared ? NSG_EXIT_SHARED : NSG_EXIT_OK;
}
