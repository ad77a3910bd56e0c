/* cmd_version.c - `nsguard version`: nsguard's version and the runtime it would exec. */
#include <stdio.h>

#include "commands.h"
#include "escape.h"
#include "exec.h"
#include "exitstatus.h"
#include "policy.h"

/* One line, every byte from outside (paths, messages) escaped (SPEC 8). */
static void version_print_line(const char *label, const char *value, const char *detail)
{
	cleanup_free char *v = nsg_escape(value);
	cleanup_free char *d = detail ? nsg_escape(detail) : NULL;

	if (d)
		printf("%s: %s (%s)\n", label, v, d);
	else
		printf("%s: %s\n", label, v);
}

int cmd_version(nsg_unused int argc, nsg_unused char *argv[])
{
	cleanup_policy struct policy policy = { 0 };
	cleanup_free char *configured = NULL;
	cleanup_free char *runtime = NULL;
	cleanup_free char *invalid = NULL;
	struct nsg_err err;
	const char *path = policy_path();

	printf("nsguard version %s\n", PACKAGE_VERSION);
	if (policy_load(path, &policy, &configured, &err) < 0) {
		invalid = nsg_asprintf("invalid: %s", err.msg);
		version_print_line("policy", path, invalid);
	} else {
		version_print_line("policy", policy.path ? policy.path : "built-in defaults (no policy file)", NULL);
	}
	if (exec_resolve(configured, &runtime, &err) < 0) {
		version_print_line("runtime", "none", err.msg);
		return NSG_EXIT_EXEC_FAILED;
	}
	version_print_line("runtime", runtime, NULL);
	return NSG_EXIT_OK;
}
