/* exec.c - see exec.h */
#include "exec.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* The running nsguard binary. Without /proc/self/exe it cannot be told from
 * a runtime, and executing a runtime that may be nsguard itself (hard mode)
 * would loop forever: an error, never a guess. */
static int exec_read_self(const char *runtime, struct stat *ret, struct nsg_err *err)
{
	if (stat("/proc/self/exe", ret) == 0)
		return 0;
	return nsg_fail_errno(err, errno,
			      "runtime %s: /proc/self/exe cannot be read (%s), so nsguard cannot tell whether it is "
			      "nsguard itself",
			      runtime, strerror(errno));
}

static int exec_check_candidate(const char *path, const struct stat *self, struct nsg_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nsg_fail_errno(err, errno, "runtime %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return nsg_fail(err, "runtime %s is not an executable file", path);
	if (st.st_dev == self->st_dev && st.st_ino == self->st_ino)
		return nsg_fail(err, "runtime %s is nsguard itself; set \"runtime\" in the policy to the real runc",
				path);
	return 0;
}

/* Search $PATH for a "runc" that is not us. Relative entries are skipped: they
 * depend on the caller's directory, which a tenant may control. */
static int exec_search_path(const struct stat *self, char **ret_path, struct nsg_err *err)
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
		if (exec_check_candidate(candidate, self, &ignored) == 0) {
			*ret_path = steal_pointer(&candidate);
			return 0;
		}
	}
	return nsg_fail(err, "no runc on PATH other than nsguard itself; set \"runtime\" in the policy");
}

int exec_resolve(const char *configured, char **ret_path, struct nsg_err *err)
{
	struct stat self;

	if (exec_read_self(configured ? configured : "runc", &self, err) < 0)
		return -1;
	if (!configured)
		return exec_search_path(&self, ret_path, err);
	if (exec_check_candidate(configured, &self, err) < 0)
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
