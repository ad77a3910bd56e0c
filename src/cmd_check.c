/* cmd_check.c - `nsguard check`: the decision nsguard would make, executing nothing. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "policy.h"

enum {
	CHECK_ALLOWED = 0,
	CHECK_REFUSED = 1,
	CHECK_UNUSABLE = 2
};

static int usage(void)
{
	fprintf(stderr, "usage: nsguard check [--policy FILE]\n");
	return CHECK_UNUSABLE;
}

int cmd_check(int argc, char *argv[])
{
	cleanup_policy struct policy policy = { 0 };
	const char *path = policy_path();
	struct nsg_err err;
	int i = 1;

	if (i + 1 < argc && strcmp(argv[i], "--policy") == 0) {
		path = argv[i + 1];
		i += 2;
	}
	if (i != argc)
		return usage();
	if (policy_load(path, &policy, NULL, &err) < 0) {
		fprintf(stderr, "nsguard: %s\n", err.msg);
		return CHECK_UNUSABLE;
	}
	printf("policy %s: valid\n", policy.path ? policy.path : "(built-in defaults)");
	return CHECK_ALLOWED;
}
