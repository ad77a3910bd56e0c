/* fuzz-spec.c - config.json reader: must never crash, leak or read out of bounds. */
#include "fuzz.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec s = { 0 };
	struct nsg_err err;

	if (spec_parse((const char *)data, size, &s, &err) == 0)
		spec_free(&s);
	return 0;
}
