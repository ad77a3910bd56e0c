/* fake-runtime.c - a stand-in for runc that records how it was executed.
 *
 * Into the directory $FAKE_RUNTIME_RECORD it writes: argv (NUL-separated),
 * env (NUL-separated), cwd, and fds (one "N -> target" line per open
 * descriptor). It prints one line to stdout and one to stderr, and exits with
 * $FAKE_RUNTIME_EXIT (default 0), so tests can compare everything nsguard
 * could have changed.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static FILE *record(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "we");
}

static void write_list(const char *dir, const char *name, char **list, int n)
{
	FILE *f = record(dir, name);

	if (!f)
		exit(99);
	for (int i = 0; n < 0 ? list[i] != NULL : i < n; i++)
		fwrite(list[i], 1, strlen(list[i]) + 1, f);
	fclose(f);
}

static void write_fds(const char *dir)
{
	char target[PATH_MAX], link[64];
	int skip;
	FILE *f = record(dir, "fds");
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!f || !d)
		exit(99);
	skip = dirfd(d);
	while ((e = readdir(d))) {
		ssize_t n;
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == skip || fd == fileno(f))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(f, "%d -> %s\n", fd, target);
	}
	closedir(d);
	fclose(f);
}

int main(int argc, char *argv[])
{
	const char *dir = getenv("FAKE_RUNTIME_RECORD");
	const char *code = getenv("FAKE_RUNTIME_EXIT");
	char cwd[PATH_MAX];
	FILE *f;

	if (dir && *dir) {
		write_fds(dir);
		write_list(dir, "argv", argv, argc);
		write_list(dir, "env", environ, -1);
		f = record(dir, "cwd");
		if (!f || !getcwd(cwd, sizeof(cwd)))
			exit(99);
		fprintf(f, "%s\n", cwd);
		fclose(f);
	}
	/* Unbuffered, so that tests merging stdout and stderr see a fixed order. */
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("fake-runtime stdout\n");
	fprintf(stderr, "fake-runtime stderr\n");
	return code ? atoi(code) : 0;
}
