/* cmd_audit.c - `nsguard audit`: what already runs, and which host namespaces it shares.
 *
 * Every container under runc's (and crun's) state roots, compared by
 * /proc/<pid>/ns/ identities with the host's: CIS Docker 5.9 (network),
 * 5.15 (pid), 5.16 (ipc), 5.30 (user), plus uts and cgroup.
 */
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "jsonutil.h"

#include "commands.h"
#include "escape.h"
#include "exitstatus.h"
#include "nsid.h"
#include "policy.h"
#include "report.h"

/* The types `nsguard audit` reports, with their CIS Docker controls. */
static const enum ns_type audited[] = { NS_NETWORK, NS_PID, NS_IPC, NS_USER, NS_UTS, NS_CGROUP };

static const char *const default_roots[] = {
	"/run/runc",
	"/run/docker/runtime-runc/*",
	"/run/containerd/runc/*",
	"/run/crun",
};

#define AUDIT_MAX_ROOTS 64

struct audit_opts {
	int json;
	const char *roots[AUDIT_MAX_ROOTS];
	size_t n_roots;
};

/* The init pid in a state file: runc's state.json "init_process_pid", crun's status "pid". */
struct pid_ctx {
	int depth;
	int want;
	long long pid;
};

static int pid_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct pid_ctx *c = ctx;

	c->want = c->depth == 1 &&
		  ((len == 16 && memcmp(key, "init_process_pid", 16) == 0) || (len == 3 && memcmp(key, "pid", 3) == 0));
	return 1;
}

static int pid_integer(void *ctx, long long v)
{
	struct pid_ctx *c = ctx;

	if (c->want && c->depth == 1)
		c->pid = v;
	c->want = 0;
	return 1;
}

static int pid_start(void *ctx)
{
	((struct pid_ctx *)ctx)->depth++;
	return 1;
}

static int pid_end(void *ctx)
{
	((struct pid_ctx *)ctx)->depth--;
	return 1;
}

static int pid_other(void *ctx)
{
	((struct pid_ctx *)ctx)->want = 0;
	return 1;
}

static int pid_string(void *ctx, const unsigned char *s, size_t len)
{
	return pid_other(ctx);
}

static int pid_double(void *ctx, double d)
{
	return pid_other(ctx);
}

static int pid_bool(void *ctx, int b)
{
	return pid_other(ctx);
}

static const yajl_callbacks pid_callbacks = {
	.yajl_null = pid_other,
	.yajl_boolean = pid_bool,
	.yajl_integer = pid_integer,
	.yajl_double = pid_double,
	.yajl_string = pid_string,
	.yajl_start_map = pid_start,
	.yajl_map_key = pid_map_key,
	.yajl_end_map = pid_end,
	.yajl_start_array = pid_start,
	.yajl_end_array = pid_end,
};

static long long pid_in(const char *path)
{
	cleanup_free char *buf = NULL;
	cleanup_yajl yajl_handle h = NULL;
	struct pid_ctx c = { 0 };
	struct nsg_err err;
	size_t len;

	if (nsg_read_file(path, 16 * 1024 * 1024, &buf, &len, NULL, &err) < 0)
		return -1;
	h = yajl_alloc(&pid_callbacks, NULL, &c);
	if (!h || yajl_parse(h, (unsigned char *)buf, len) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok)
		return -1;
	return c.pid > 0 ? c.pid : -1;
}

static long long state_pid(const char *dir)
{
	static const char *const files[] = { "state.json", "status" };

	for (size_t i = 0; i < NSG_ARRAY_SIZE(files); i++) {
		cleanup_free char *path = nsg_asprintf("%s/%s", dir, files[i]);
		long long pid = pid_in(path);

		if (pid > 0)
			return pid;
	}
	return -1;
}

/* Which audited types container process pid shares with the host. */
static ns_set shared_of(const struct nsid_host *host, long long pid)
{
	ns_set shared = 0;

	for (size_t i = 0; i < NSG_ARRAY_SIZE(audited); i++) {
		cleanup_free char *path = nsg_asprintf("/proc/%lld/ns/%s", pid, ns_infos[audited[i]].proc);
		struct nsg_err err;
		struct nsid id;

		if (nsid_of_path(path, &id, &err) == 0 && nsid_is_host(host, audited[i], &id))
			shared |= NS_BIT(audited[i]);
	}
	return shared;
}

/* The id is a directory name and the root an argument: both escaped before
 * they are printed (report_json_escape escapes too). */
static void print_human(const char *root, const char *id, long long pid, ns_set shared)
{
	cleanup_free char *eroot = nsg_escape(root);
	cleanup_free char *eid = nsg_escape(id);

	printf("%-24s %-8lld %-40s", eid, pid, eroot);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(audited); i++) {
		const struct ns_info *n = &ns_infos[audited[i]];

		if (shared & NS_BIT(audited[i]))
			printf(" %s%s%s%s", n->name, n->cis ? "(CIS " : "", n->cis ? n->cis : "", n->cis ? ")" : "");
	}
	printf("%s\n", shared ? "" : " -");
}

static void print_json(const char *root, const char *id, long long pid, ns_set shared)
{
	cleanup_free char *eroot = report_json_escape(root);
	cleanup_free char *eid = report_json_escape(id);
	int first = 1;

	printf("{\"id\":\"%s\",\"root\":\"%s\",\"pid\":%lld,\"shared\":[", eid, eroot, pid);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(audited); i++) {
		const struct ns_info *n = &ns_infos[audited[i]];

		if (!(shared & NS_BIT(audited[i])))
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
		long long pid = names[i]->d_name[0] == '.' ? -1 : state_pid(dir);
		ns_set shared = pid > 0 ? shared_of(host, pid) : 0;

		if (pid > 0)
			(o->json ? print_json : print_human)(root, names[i]->d_name, pid, shared);
		for (size_t t = 0; t < NS_TYPE_COUNT; t++)
			if ((shared & NS_BIT(t)) && p->ns_mode[t] != POLICY_OFF)
				enforced_shared |= NS_BIT(t);
		free(names[i]);
	}
	free(names);
	return enforced_shared;
}

static int usage(void)
{
	fprintf(stderr, "usage: nsguard audit [--json] [--root DIR...]...\n");
	return -1;
}

/* --root takes one or more directories (globs allowed), up to the next flag. */
static int parse_opts(int argc, char *argv[], struct audit_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			o->json = 1;
			continue;
		}
		if (strcmp(argv[i], "--root") != 0 || i + 1 >= argc || argv[i + 1][0] == '-')
			return usage();
		while (i + 1 < argc && argv[i + 1][0] != '-') {
			if (o->n_roots == AUDIT_MAX_ROOTS)
				return usage();
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

	if (parse_opts(argc, argv, &o) < 0)
		return NSG_EXIT_UNUSABLE;
	if (policy_load(policy_path(), &policy, NULL, &err) < 0) {
		cleanup_free char *msg = nsg_escape(err.msg);

		fprintf(stderr, "nsguard: %s\n", msg);
		return NSG_EXIT_UNUSABLE;
	}
	nsid_host_read("/proc", &host);
	if (!o.json)
		printf("%-24s %-8s %-40s %s\n", "CONTAINER", "PID", "STATE ROOT", "SHARES THE HOST'S");
	for (size_t i = 0; i < (o.n_roots ? o.n_roots : NSG_ARRAY_SIZE(default_roots)); i++)
		shared |= audit_pattern(&o, &policy, &host, o.n_roots ? o.roots[i] : default_roots[i]);
	return shared ? NSG_EXIT_SHARED : NSG_EXIT_OK;
}
