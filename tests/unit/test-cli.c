/* test-cli.c - the argv model against a table of runc command lines.
 *
 * Every row pins SPEC.md section 2: the command line read exactly as every
 * runc >= 1.1 reads it, and refused where any of them would read it
 * differently. The SPEC 8/9 rows: a refusal still knows --log and the
 * command, so the refusal reaches the engine and the audit trail. */
#include "cli.h"
#include "tap.h"

#define MAXA 16

struct argv_case {
	const char *args[MAXA]; /* after argv[0]; NULL-terminated */
	enum cli_action action;
	const char *bundle; /* expected --bundle value (CLI_CHECK) */
	const char *id;	    /* expected container id (CLI_CHECK) */
	const char *err;    /* expected substring of the refusal (CLI_REFUSE) */
};

static const char *action_name(enum cli_action a)
{
	static const char *const names[] = { "pass", "check", "refuse", "own" };
	return names[a];
}

static const struct argv_case cases[] = {
	/* pass-through: not a checked command, read no further */
	{ { NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "state", "ctr", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "kill", "ctr", "KILL", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "delete", "--force", "ctr", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "exec", "-t", "ctr", "sh", "--", "-c", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "frobnicate", "--foo", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "--root", "/r", "features", NULL }, CLI_PASS, NULL, NULL, NULL },
	/* a value flag consumes the next argument, even a command name */
	{ { "--log", "create", "state", "x", NULL }, CLI_PASS, NULL, NULL, NULL },
	/* a bool takes a value only as --x=v: "true" is the command here */
	{ { "--debug", "true", "run", "ctr", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "--version", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "-v", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "--help", "create", "ctr", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "create", "--help", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "run", "-h", NULL }, CLI_PASS, NULL, NULL, NULL },
	/* unknown global flag: refuse only if a checked command is named anywhere */
	{ { "--bogus", "state", "ctr", NULL }, CLI_PASS, NULL, NULL, NULL },
	{ { "--bogus", "create", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"--bogus\": unknown flag" },
	{ { "-b", "/x", "run", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"-b\": unknown flag" },
	/* nsguard's own commands */
	{ { "check", "/b", NULL }, CLI_OWN, NULL, NULL, NULL },
	{ { "version", NULL }, CLI_OWN, NULL, NULL, NULL },
	/* checked commands: the bundle in every Go flag form */
	{ { "create", "ctr", NULL }, CLI_CHECK, NULL, "ctr", NULL },
	{ { "create", "--bundle", "/b", "ctr", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "-b", "/b", "ctr", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "--b", "/b", "ctr", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "-bundle", "/b", "ctr", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "--bundle=/b", "ctr", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "-b=", "ctr", NULL }, CLI_CHECK, "", "ctr", NULL },
	{ { "create", "ctr", "--bundle", "/b", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "ctr", "-b", "/b", "--pid-file", "/p", NULL }, CLI_CHECK, "/b", "ctr", NULL },
	{ { "create", "--bundle", "--", "ctr", NULL }, CLI_CHECK, "--", "ctr", NULL },
	{ { "create", "--bundle", "--pid-file", "ctr", NULL }, CLI_CHECK, "--pid-file", "ctr", NULL },
	{ { "create", "-pid-file", "/p", "--no-pivot=true", "ctr", NULL }, CLI_CHECK, NULL, "ctr", NULL },
	{ { "create", "--no-pivot", "ctr", NULL }, CLI_CHECK, NULL, "ctr", NULL },
	{ { "create", "--console-socket", "/s", "--pidfd-socket", "/f", "--preserve-fds", "2", "ctr", NULL },
	  CLI_CHECK,
	  NULL,
	  "ctr",
	  NULL },
	{ { "create", "-", NULL }, CLI_CHECK, NULL, "-", NULL },
	{ { "--root", "/r", "--log", "/l", "--log-format", "json", "--systemd-cgroup", "create", "--bundle", "/b",
	    "ctr", NULL },
	  CLI_CHECK,
	  "/b",
	  "ctr",
	  NULL },
	{ { "--debug=true", "run", "ctr", NULL }, CLI_CHECK, NULL, "ctr", NULL },
	{ { "run", "-d", "--keep", "--no-subreaper", "--pidfd-socket=/f", "ctr", NULL }, CLI_CHECK, NULL, "ctr", NULL },
	{ { "run", "ctr", "-d", NULL }, CLI_CHECK, NULL, "ctr", NULL },
	{ { "restore", "--empty-ns", "network", "--empty-ns", "pid", "-b", "/b", "ctr", NULL },
	  CLI_CHECK,
	  "/b",
	  "ctr",
	  NULL },
	{ { "restore", "--image-path", "/i", "--work-path", "/w", "--tcp-established", "--lsm-profile", "x", "ctr",
	    NULL },
	  CLI_CHECK,
	  NULL,
	  "ctr",
	  NULL },
	/* fail closed */
	{ { "create", "--", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"--\": a standalone" },
	{ { "create", "ctr", "--", NULL }, CLI_REFUSE, NULL, NULL, "\"--\": a standalone" },
	{ { "--", "create", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "a standalone \"--\"" },
	{ { "create", "--bundle", "/a", "--bundle", "/b", "ctr", NULL },
	  CLI_REFUSE,
	  NULL,
	  NULL,
	  "\"--bundle\" is given more than once" },
	{ { "create", "-b", "/a", "--bundle", "/b", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "both -b and --bundle" },
	{ { "run", "-d", "--detach", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "both -d and --detach" },
	{ { "--root", "/r", "--root", "/s", "create", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"--root\" is given" },
	{ { "create", "--foo", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"--foo\": unknown flag" },
	{ { "create", "--root", "/r", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"--root\": unknown flag" },
	{ { "restore", "--pidfd-socket", "/f", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "unknown flag" },
	{ { "create", NULL }, CLI_REFUSE, NULL, NULL, "exactly one container id, got 0" },
	{ { "create", "a", "b", NULL }, CLI_REFUSE, NULL, NULL, "exactly one container id, got 2" },
	{ { "create", "--no-pivot=maybe", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "not a valid boolean" },
	{ { "create", "ctr", "--bundle", NULL }, CLI_REFUSE, NULL, NULL, "\"--bundle\": flag needs a value" },
	{ { "create", "---bundle", "/b", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "bad flag syntax" },
	{ { "create", "-=x", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "bad flag syntax" },
	{ { "create", "-bd", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "\"-bd\": unknown flag" },
	/* argvs that runc versions read differently */
	{ { "create", "ctr", "--bundle", "-x", NULL }, CLI_REFUSE, NULL, NULL, "v1.22.2-5" },
	{ { "create", "ctr", "--bundle", "-", NULL }, CLI_REFUSE, NULL, NULL, "read differently" },
	{ { "create", "--no-pivot", "ctr", "--bundle", "/b", NULL },
	  CLI_REFUSE,
	  NULL,
	  NULL,
	  "argument \"--bundle\" is read differently" },
	{ { "run", "ctr", "-d", "x", NULL }, CLI_REFUSE, NULL, NULL, "read differently" },
	/* v1.22.2-5 alone keeps waiting for a value past an argument it leaves behind */
	{ { "create", "--bundle", "-", "ctr", NULL }, CLI_REFUSE, NULL, NULL, "v1.22.2-5" },
	{ { "create", "--bundle", "-", "--pid-file", "/p", "ctr", NULL },
	  CLI_REFUSE,
	  NULL,
	  NULL,
	  "v1.22.1 (runc 1.1)" },
};

static void run_case(const struct argv_case *c)
{
	char *argv[MAXA + 1] = { "runc" };
	char desc[256] = "SPEC 2: runc";
	struct nsg_err err = { .msg = "" };
	struct cli cli;
	enum cli_action got;
	int argc = 1;

	for (int i = 0; c->args[i]; i++) {
		argv[argc++] = (char *)c->args[i];
		snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), " %s", c->args[i]);
	}
	argv[argc] = NULL;
	got = cli_parse(argc, argv, &cli, &err);
	is_str(action_name(got), action_name(c->action), "%s: action", desc);
	if (c->action == CLI_CHECK && got == CLI_CHECK) {
		is_str(cli.bundle, c->bundle, "%s: bundle", desc);
		is_str(cli.container_id, c->id, "%s: container id", desc);
	}
	if (c->action == CLI_REFUSE)
		like_str(err.msg, c->err, "%s: refusal names the problem", desc);
}

static void test_globals_survive_refusal(void)
{
	char *argv[] = { "runc", "--log", "/l.json", "--log-format", "json", "create", "--bad", "ctr", NULL };
	struct nsg_err err;
	struct cli cli;

	is_int(cli_parse(8, argv, &cli, &err), CLI_REFUSE, "SPEC 8: a refused argv still yields --log");
	is_str(cli.log, "/l.json", "SPEC 8: --log value kept for the refusal record");
	is_str(cli.log_format, "json", "SPEC 8: --log-format value kept");
	is_str(cli.command, "create", "SPEC 9: the command is named for the audit record");
}

static void test_unknown_global_names_the_command(void)
{
	char *argv[] = { "runc", "--bogus", "run", "ctr", NULL };
	struct nsg_err err;
	struct cli cli;

	is_int(cli_parse(4, argv, &cli, &err), CLI_REFUSE, "SPEC 2: unknown global flag before run: refused");
	is_str(cli.command, "run", "SPEC 8: the refusal can name the command that may be meant");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_globals_survive_refusal();
	test_unknown_global_names_the_command();
	return tap_done();
}
