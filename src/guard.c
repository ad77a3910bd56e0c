/* guard.c - the runtime-facing commands: pass through, refuse, or check and exec. */
#include <stdio.h>
#include <string.h>

#include "evaluate.h"
#include "exec.h"
#include "exitstatus.h"
#include "guard.h"
#include "policy.h"
#include "report.h"

static struct report_target guard_target_of(const struct cli *cli)
{
	return (struct report_target){ .log = cli->log, .log_format = cli->log_format };
}

/* Exec the runtime; on failure report it and return NSG_EXIT_EXEC_FAILED. */
static int guard_hand_over(char *argv[], const struct cli *cli, const char *configured)
{
	struct report_target to = guard_target_of(cli);
	cleanup_free char *runtime = NULL;
	cleanup_free char *msg = NULL;
	struct nsg_err err;

	if (exec_resolve(configured, &runtime, &err) == 0)
		exec_runtime(runtime, argv, &err);
	msg = nsg_asprintf("nsguard: %s", err.msg);
	report_refusal(&to, msg);
	return NSG_EXIT_EXEC_FAILED;
}

/* A broken policy must never wedge a node: lifecycle commands go through to the
 * runtime the policy names if that can be read with certainty, else the default. */
int guard_pass(char *argv[], const struct cli *cli)
{
	cleanup_free char *runtime = policy_load_runtime(policy_path());

	return guard_hand_over(argv, cli, runtime);
}

/* The audit trail; a failing sink never changes the decision, it only warns.
 * policy is NULL when it could not be loaded: then syslog is the only sink. */
static void guard_audit(const struct cli *cli, const struct policy *policy, struct audit_entry *e)
{
	struct report_target to = guard_target_of(cli);
	struct nsg_err err;

	e->command = cli->command;
	e->container_id = cli->container_id;
	if (report_audit(e, policy ? policy->audit_syslog : 1, policy ? policy->audit_file : NULL, &err) < 0) {
		cleanup_free char *msg = nsg_asprintf("nsguard: warning: %s", err.msg);
		report_warning(&to, msg);
	}
}

static int guard_refuse(const struct cli *cli, const char *detail)
{
	struct report_target to = guard_target_of(cli);
	cleanup_free char *msg = NULL;

	if (cli->container_id)
		msg = nsg_asprintf("nsguard: refused to %s container \"%s\": %s", cli->command, cli->container_id,
				   detail);
	else
		msg = nsg_asprintf("nsguard: refused runc %s: %s", cli->command ? cli->command : "command", detail);
	report_refusal(&to, msg);
	return NSG_EXIT_REFUSED;
}

/* A refusal before any decision: audit it with the reason, then refuse. */
static int guard_refuse_early(const struct cli *cli, const struct policy *policy, const char *bundle, const char *why)
{
	struct audit_entry e = { .decision = "refused", .bundle = bundle, .reason = why };

	guard_audit(cli, policy, &e);
	return guard_refuse(cli, why);
}

int guard_refuse_argv(const struct cli *cli, const char *why)
{
	cleanup_policy struct policy policy = { 0 };
	struct nsg_err err;
	int ok = policy_load(policy_path(), &policy, NULL, &err) == 0;

	return guard_refuse_early(cli, ok ? &policy : NULL, NULL, why);
}

/* CRIU recreates every namespace without a path from the checkpoint image,
 * not from config.json: an image of a host-namespace process restores into
 * the host's, whatever config.json says. */
static const char guard_restore_refused[] =
	"restore is refused by the policy: CRIU recreates the checkpointed processes' namespaces from the image, "
	"not from config.json, so an image of a process in the host's namespaces restores into them; set "
	"\"restore\": \"check\" in the policy where tenants cannot supply checkpoint images";

int guard_checked(char *argv[], const struct cli *cli)
{
	cleanup_policy struct policy policy = { 0 };
	cleanup_evaluation struct evaluation ev = { 0 };
	cleanup_free char *runtime = NULL;
	cleanup_free char *decision = NULL;
	struct audit_entry e = { 0 };
	struct nsg_err err;

	if (policy_load(policy_path(), &policy, &runtime, &err) < 0)
		return guard_refuse_early(cli, NULL, NULL, err.msg);
	if (strcmp(cli->command, "restore") == 0 && policy.restore == POLICY_RESTORE_REFUSE)
		return guard_refuse_early(cli, &policy, cli->bundle, guard_restore_refused);
	if (evaluate(&policy, cli->bundle, false, &ev, &err) < 0)
		return guard_refuse_early(cli, &policy, ev.bundle, err.msg);
	decision = decide_outcome_name(&ev.decision);
	e.bundle = ev.bundle;
	report_entry_of_decision(&ev.decision, decision, &e);
	guard_audit(cli, &policy, &e);
	if (ev.decision.outcome == DECIDE_REFUSED)
		return guard_refuse(cli, ev.decision.message);
	if (ev.decision.outcome == DECIDE_WARNED) {
		struct report_target to = guard_target_of(cli);
		cleanup_free char *msg =
			nsg_asprintf("nsguard: warning: container \"%s\": %s", cli->container_id, ev.decision.message);
		report_warning(&to, msg);
	}
	return guard_hand_over(argv, cli, policy.runtime);
}
