/* cmd_check.c - `nsguard check`: the decision nsguard would make, executing nothing. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "escape.h"
#include "evaluate.h"
#include "exitstatus.h"
#include "policy.h"
#include "report.h"

struct check_opts {
	const char *policy; /* --policy FILE, or NULL */
	int json;
	const char *path; /* BUNDLE or CONFIG.json, or NULL */
};

/* Parsed by hand like audit's options (see cmd_audit.c): alike, not shared. */
static int check_usage(void)
{
	fprintf(stderr, "usage: nsguard check [--policy FILE] [--json] [BUNDLE|CONFIG.json]\n");
	return -1;
}

static int check_parse_opts(int argc, char *argv[], struct check_opts *o)
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
			return check_usage();
	}
	return 0;
}

/* Every string printed below may hold bytes from outside (the path, the
 * policy, config.json): escaped right before it is written. */
static int check_unusable(const char *msg)
{
	cleanup_free char *esc = nsg_escape(msg);

	fprintf(stderr, "nsguard: %s\n", esc);
	return NSG_EXIT_UNUSABLE;
}

/* An explicitly named policy file must exist; the default one may be absent. */
static int check_load_policy(const struct check_opts *o, struct policy *p, struct nsg_err *err)
{
	if (o->policy)
		return policy_load_existing(o->policy, p, err);
	return policy_load(policy_path(), p, NULL, err);
}

static void check_print_human(const struct evaluation *ev, const char *decision)
{
	cleanup_free char *path = nsg_escape(ev->config_path);
	cleanup_free char *what = nsg_escape(decision);
	cleanup_free char *message = nsg_escape(ev->decision.message);

	printf("%s: %s\n", path, what);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		cleanup_free char *how = nsg_escape(ev->decision.how[t]);

		if (how)
			printf("  %s: %s\n", ns_infos[t].name, how);
	}
	if (message)
		printf("  %s\n", message);
}

static int check_bundle(const struct check_opts *o, const struct policy *p)
{
	cleanup_evaluation struct evaluation ev = { 0 };
	cleanup_free char *decision = NULL;
	struct nsg_err err;
	struct stat st;
	int is_file = stat(o->path, &st) == 0 && S_ISREG(st.st_mode);

	if (evaluate(p, o->path, is_file, &ev, &err) < 0)
		return check_unusable(err.msg);
	decision = decide_outcome_name(&ev.decision);
	if (o->json) {
		struct audit_entry e = { .command = "check" };
		cleanup_free char *line = NULL;

		e.bundle = ev.bundle;
		report_entry_of_decision(&ev.decision, decision, &e);
		e.reason = ev.decision.message;
		line = report_audit_json(&e, time(NULL), (long)getppid(), (long)getuid());
		fputs(line, stdout);
	} else {
		check_print_human(&ev, decision);
	}
	return ev.decision.outcome == DECIDE_REFUSED ? NSG_EXIT_REFUSED : NSG_EXIT_OK;
}

int cmd_check(int argc, char *argv[])
{
	cleanup_policy struct policy policy = { 0 };
	cleanup_free char *path = NULL;
	struct check_opts o;
	struct nsg_err err;

	if (check_parse_opts(argc, argv, &o) < 0)
		return NSG_EXIT_UNUSABLE;
	if (check_load_policy(&o, &policy, &err) < 0)
		return check_unusable(err.msg);
	if (o.path)
		return check_bundle(&o, &policy);
	path = nsg_escape(policy.path ? policy.path : "(built-in defaults)");
	printf("policy %s: valid\n", path);
	return NSG_EXIT_OK;
}
