/* cmd_version.c - `nsguard version`: nsguard's version and the runtime it would exec. */
#include <stdio.h>

#include "commands.h"
#include "exec.h"
#include "policy.h"

int cmd_version(int argc, char *argv[])
{
	cleanup_policy struct policy policy = { 0 };
	cleanup_free char *configured = NULL;
	cleanup_free char *runtime = NULL;
	struct nsg_err err;
	const char *path = policy_path();

	printf("nsguard version %s\n", PACKAGE_VERSION);
	if (policy_load(path, &policy, &configured, &err) < 0)
		printf("policy: %s (invalid: %s)\n", path, err.msg);
	else
		printf("policy: %s\n", policy.path ? policy.path : "built-in defaults (no policy file)");
	if (exec_resolve(configured, &runtime, &err) < 0) {
		printf("runtime: none (%s)\n", err.msg);
		return EXEC_FAILED;
	}
	printf("runtime: %s\n", runtime);
	return 0;
}
