/* replay.c - run a fuzz target over its corpus without libFuzzer, so that
 * `make check` builds and exercises every target and they never rot.
 *
 * With file arguments it replays those files; without, every file in
 * $NSGUARD_SRCDIR/tests/fuzz/corpus/FUZZ_TARGET/. Prints TAP.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util.h"

static int count;

static void replay(const char *path)
{
	cleanup_free char *buf = NULL;
	struct nsg_err err;
	size_t len = 0;

	if (nsg_read_file(path, 64 * 1024 * 1024, &buf, &len, NULL, &err) < 0) {
		printf("not ok %d - %s\n", ++count, err.msg);
		return;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	printf("ok %d - %s\n", ++count, path);
}

int main(int argc, char *argv[])
{
	const char *src = getenv("NSGUARD_SRCDIR");
	cleanup_free char *dir = NULL;
	struct dirent **names = NULL;
	int n;

	for (int i = 1; i < argc; i++)
		replay(argv[i]);
	if (argc == 1) {
		dir = nsg_asprintf("%s/tests/fuzz/corpus/%s", src ? src : ".", FUZZ_TARGET);
		n = scandir(dir, &names, NULL, alphasort);
		for (int i = 0; i < n; i++) {
			if (names[i]->d_name[0] != '.') {
				cleanup_free char *path = nsg_asprintf("%s/%s", dir, names[i]->d_name);
				replay(path);
			}
			free(names[i]);
		}
		free(names);
	}
	printf("1..%d\n", count);
	return count > 0 ? 0 : 1;
}
