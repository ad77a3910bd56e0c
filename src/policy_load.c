/* policy_load.c - finding and reading the policy file: the I/O edge of policy.h.
 *
 * policy.c parses bytes; this file decides which bytes to trust: the path
 * (NSGUARD_POLICY or the default), what a missing file means, and who may own
 * the file that decides who may share the host's namespaces.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "policy.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

const char *policy_path(void)
{
	const char *env = getenv("NSGUARD_POLICY");

	return env && *env ? env : NSGUARD_POLICY_PATH;
}

/* Root reads this file to decide who may share the host's namespaces: anyone
 * who can write it can switch nsguard off, so it must be root's alone. */
static int check_owner(const char *path, const struct stat *st, struct nsg_err *err)
{
	if (geteuid() != 0)
		return 0;
	if (st->st_uid != 0)
		return nsg_fail(
			err, "%s is owned by uid %u, not by root: its owner could rewrite the policy (chown root %s)",
			path, (unsigned)st->st_uid, path);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return nsg_fail(
			err,
			"%s is writable by group or others (mode %04o): they could rewrite the policy (chmod go-w %s)",
			path, (unsigned)(st->st_mode & 07777), path);
	return 0;
}

int policy_load(const char *path, struct policy *ret, char **ret_runtime, struct nsg_err *err)
{
	cleanup_free char *buf = NULL;
	struct stat st;
	size_t len = 0;

	*ret = (struct policy){ 0 };
	if (ret_runtime)
		*ret_runtime = NULL;
	if (nsg_read_file(path, POLICY_MAX_SIZE, &buf, &len, &st, err) < 0) {
		/* Only a file that is not there means defaults; any other failure
		 * (permissions, not a regular file, too large) is an error. */
		if (stat(path, &st) < 0 && errno == ENOENT) {
			policy_defaults(ret);
			return 0;
		}
		return -1;
	}
	/* An insecure file is not trusted even for its runtime. */
	if (check_owner(path, &st, err) < 0)
		return -1;
	if (policy_parse(buf, len, ret, err) < 0) {
		if (ret_runtime)
			*ret_runtime = policy_peek_runtime(buf, len);
		return nsg_prefix(err, "%s: ", path);
	}
	ret->path = nsg_strdup(path);
	if (ret_runtime && ret->runtime)
		*ret_runtime = nsg_strdup(ret->runtime);
	return 0;
}
