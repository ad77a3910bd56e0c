/* fuzz-policy.c - the policy file parser and its lenient runtime peek. */
#include "fuzz.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p = { 0 };
	struct nsg_err err;

	if (policy_parse((const char *)data, size, &p, &err) == 0)
		policy_free(&p);
	/* The lenient pass reads the same untrusted bytes when the policy is invalid. */
	free(policy_peek_runtime((const char *)data, size));
	return 0;
}
