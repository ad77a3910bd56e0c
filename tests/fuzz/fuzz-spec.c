/* fuzz-spec.c - config.json reader: must never crash, leak or read out of bounds. */
#include "fuzz.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec s = { 0 };
	struct nsg_err err;

	static const char *const keep[] = { "io.nsguard.allow" };

	if (spec_parse((const char *)data, size, &s, &err) == 0)
		spec_free(&s);
	/* The keep list drops values after the duplicate check: a second path. */
	if (spec_parse_keep((const char *)data, size, keep, NSG_ARRAY_SIZE(keep), &s, &err) == 0)
		spec_free(&s);
	return 0;
}
