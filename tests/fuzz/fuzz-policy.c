/* fuzz-policy.c - the policy file parser. */
#include "fuzz.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p = { 0 };
	struct nsg_err err;

	if (policy_parse((const char *)data, size, &p, &err) == 0)
		policy_free(&p);
	return 0;
}
