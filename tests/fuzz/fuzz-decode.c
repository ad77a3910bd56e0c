/* fuzz-decode.c - the parent's decoding of what the sandboxed parser wrote. */
#include "fuzz.h"
#include "sandbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec s = { 0 };
	struct nsg_err err;

	if (sandbox_decode((const char *)data, size, &s, &err) == 0)
		spec_free(&s);
	return 0;
}
