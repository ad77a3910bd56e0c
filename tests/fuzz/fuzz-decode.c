/* fuzz-decode.c - the parent's decoding of what the sandboxed parser wrote.
 *
 * Beyond not crashing: the format is canonical, so whatever decodes re-encodes
 * to exactly the input, and an error message the child sent comes back byte
 * for byte (control characters included: they are escaped at the output edge). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sandbox.h"

#define MALFORMED "config.json parser returned a malformed result: "

static void same_bytes(const char *again, size_t again_len, const uint8_t *data, size_t size)
{
	if (!again || again_len != size || memcmp(again, data, size) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_free char *again = NULL;
	struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };
	size_t again_len = 0;

	if (sandbox_decode((const char *)data, size, &s, &err) == 0) {
		again = sandbox_encode(&s, NULL, 1, &again_len);
		spec_free(&s);
		same_bytes(again, again_len, data, size);
		return 0;
	}
	if (err.msg[0] == '\0' || strnlen(err.msg, sizeof(err.msg)) == sizeof(err.msg))
		abort();
	/* Not a complaint about the buffer: the child's own message, taken whole. */
	if (strncmp(err.msg, MALFORMED, strlen(MALFORMED)) != 0) {
		again = sandbox_encode(NULL, &err, 0, &again_len);
		same_bytes(again, again_len, data, size);
	}
	return 0;
}
