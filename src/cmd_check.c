/* cmd_check.c - `nsguard check`: the decision nsguard would make, executing nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "evaluate.h"
#include "policy.h"
#include "report.h"

enum {
	CHECK_ALLOWED = 0,
	CHECK_REFUSED = 1,
	CHECK_UNUSABLE = 2
};

struct check_opts {
	const char *policy; /* --policy FILE, or NULL */
	int json;
	const char *path; /* BUNDLE or CONFIG.json, or NULL */
};

static int usage(void)
{
	fprintf(stderr, "usage: nsguard check [--policy FILE] [--json] [BUNDLE|CONFIG.json]\n");
	return -1;
}

static int parse_opts(int argc, char *argv[], struct check_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc && !o->policy)
			o->policy = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			o->json = 1;
		else if (argv[i][0] != '-' && !o->path)
			o->path = argv[i];
		else
			return usage();
	}
	return 0;
}

static int unusable(const char *msg)
{
	fprintf(stderr, "nsguard: %s\n", msg);
	return CHECK_UNUSABLE;
}

/* An explicitly named policy file must exist; the default one may be absent. */
static int load_policy(const struct check_opts *o, struct policy *p, struct nsg_err *err)
{
	struct stat st;

	if (o->policy && stat(o->policy, &st) < 0)
		return nsg_fail(err, "%s: %s", o->policy, strerror(errno));
	return policy_load(o->policy ? o->policy : policy_path(), p, NULL, err);
}

static void print_human(const struct evaluation *ev, const char *decision)
{
	printf("%s: %s\n", ev->config_path, decision);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		if (ev->decision.how[t])
			printf("  %s: %s\n", ns_infos[t].name, ev->decision.how[t]);
	if (ev->decision.message)
		printf("  %s\n", ev->decision.message);
}

static int check_bundle(const struct check_opts *o, const struct policy *p)
{
	cleanup_evaluation struct evaluation ev = { 0 };
	cleanup_free char *decision = NULL;
	struct nsg_err err;
	struct stat st;
	int is_file = stat(o->path, &st) == 0 && S_ISREG(st.st_mode);

	if (evaluate(p, o->path, is_file, &ev, &err) < 0)
		return unusable(err.msg);
	decision = decide_outcome_name(&ev.decision);
	if (o->json) {
		struct audit_entry e = { .command = "check" };
		cleanup_free char *line = NULL;

		evaluation_audit_entry(&ev, decision, &e);
		e.reason = ev.decision.message;
		line = report_audit_json(&e, time(NULL), (long)getppid(), (long)getuid());
		fputs(line, stdout);
	} else {
		print_human(&ev, decision);
	}
	return ev.decision.outcome == DECIDE_REFUSED ? CHECK_REFUSED : CHECK_ALLOWED;
}

int cmd_check(int argc, char *argv[])
{
	cleanup_policy struct policy policy = { 0 };
	struct check_opts o;
	struct nsg_err err;

	if (parse_opts(argc, argv, &o) < 0)
		return CHECK_UNUSABLE;
	if (load_policy(&o, &policy, &err) < 0)
		return unusable(err.msg);
	if (o.path)
		return check_bundle(&o, &policy);
	printf("policy %s: valid\n", policy.path ? policy.path : "(built-in defaults)");
	return CHECK_ALLOWED;
}
