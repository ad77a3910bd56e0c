/* guard.c - the runtime-facing commands: pass through, refuse, or check and exec. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exec.h"
#include "policy.h"
#include "report.h"

static struct report_target target_of(const struct cli *cli)
{
	return (struct report_target){ .log = cli->log, .log_format = cli->log_format };
}

/* Exec the runtime; on failure report it and return EXEC_FAILED. */
static int hand_over(char *argv[], const struct cli *cli, const char *configured)
{
	struct report_target to = target_of(cli);
	cleanup_free char *runtime = NULL;
	cleanup_free char *msg = NULL;
	struct nsg_err err;

	if (exec_resolve(configured, &runtime, &err) == 0)
		exec_runtime(runtime, argv, &err);
	msg = nsg_asprintf("nsguard: %s", err.msg);
	report_refusal(&to, msg);
	return EXEC_FAILED;
}

/* A broken policy must never wedge a node: lifecycle commands go through to the
 * runtime the policy names if that can be read with certainty, else the default. */
int guard_pass(int argc, char *argv[], const struct cli *cli)
{
	cleanup_policy struct policy policy = { 0 };
	cleanup_free char *runtime = NULL;
	struct nsg_err err;

	policy_load(policy_path(), &policy, &runtime, &err);
	return hand_over(argv, cli, runtime);
}

static int refuse(const struct cli *cli, const char *detail)
{
	struct report_target to = target_of(cli);
	cleanup_free char *msg = NULL;

	if (cli->container_id)
		msg = nsg_asprintf("nsguard: refused to %s container \"%s\": %s", cli->command, cli->container_id,
				   detail);
	else
		msg = nsg_asprintf("nsguard: refused runc %s: %s", cli->command, detail);
	report_refusal(&to, msg);
	return EXIT_REFUSED;
}

int guard_refuse_argv(const struct cli *cli, const char *why)
{
	return refuse(cli, why);
}

int guard_checked(int argc, char *argv[], const struct cli *cli)
{
	cleanup_policy struct policy policy = { 0 };
	cleanup_free char *runtime = NULL;
	struct nsg_err err;

	if (policy_load(policy_path(), &policy, &runtime, &err) < 0)
		return refuse(cli, err.msg);
	return hand_over(argv, cli, policy.runtime);
}
