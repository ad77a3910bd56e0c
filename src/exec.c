/* exec.c - see exec.h */
#include "exec.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Is st the same file as the running nsguard binary? */
static int is_self(const struct stat *st)
{
	struct stat self;

	if (stat("/proc/self/exe", &self) < 0)
		return 0;
	return st->st_dev == self.st_dev && st->st_ino == self.st_ino;
}

static int check_candidate(const char *path, struct nsg_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nsg_fail(err, "runtime %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return nsg_fail(err, "runtime %s is not an executable file", path);
	if (is_self(&st))
		return nsg_fail(err, "runtime %s is nsguard itself; set \"runtime\" in the policy to the real runc",
				path);
	return 0;
}

/* Search $PATH for a "runc" that is not us. Relative entries are skipped: they
 * depend on the caller's directory, which a tenant may control. */
static int search_path(char **ret_path, struct nsg_err *err)
{
	const char *path = getenv("PATH");
	cleanup_free char *copy =
		nsg_strdup(path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL;

	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		cleanup_free char *candidate = NULL;
		struct nsg_err ignored;

		if (dir[0] != '/')
			continue;
		candidate = nsg_asprintf("%s/runc", dir);
		if (check_candidate(candidate, &ignored) == 0) {
			*ret_path = steal_pointer(&candidate);
			return 0;
		}
	}
	return nsg_fail(err, "no runc on PATH other than nsguard itself; set \"runtime\" in the policy");
}

int exec_resolve(const char *configured, char **ret_path, struct nsg_err *err)
{
	if (!configured)
		return search_path(ret_path, err);
	if (check_candidate(configured, err) < 0)
		return -1;
	*ret_path = nsg_strdup(configured);
	return 0;
}

int exec_runtime(const char *path, char *const argv[], struct nsg_err *err)
{
	/* argv is main()'s own array: overwrite argv[0] in place rather than copy,
	 * so the runtime sees byte-identical arguments after it. */
	((char **)argv)[0] = (char *)path;
	execv(path, argv);
	return nsg_fail(err, "cannot execute runtime %s: %s", path, strerror(errno));
}
