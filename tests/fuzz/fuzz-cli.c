/* fuzz-cli.c - the argv model: the input is argv, NUL-separated. */
#include <string.h>

#include "cli.h"
#include "fuzz.h"

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_ARGS + 2] = { "runc" };
	cleanup_free char *copy = nsg_malloc(size + 1);
	struct nsg_err err;
	struct cli cli;
	int argc = 1;

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (char *p = copy; p <= copy + size && argc <= FUZZ_MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	cli_parse(argc, argv, &cli, &err);
	return 0;
}
