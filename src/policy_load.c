/* policy_load.c - finding and reading the policy file: the I/O edge of policy.h.
 *
 * policy_parse.c parses bytes; this file decides which bytes to trust: the path
 * (NSGUARD_POLICY or the default), what a missing file means, and who may own
 * the file that decides who may share the host's namespaces.
 */
#include "policy.h"

#include <errno.h>
#include <string.h>

#include "pathtrust.h"

const char *policy_path(void)
{
	const char *env = getenv("NSGUARD_POLICY");

	return env && *env ? env : NSGUARD_POLICY_PATH;
}

/* Root reads this file to decide who may share the host's namespaces: anyone
 * who can write it, or swap it or a directory on the way to it, can switch
 * nsguard off. So it is opened through the one path-trust function (owners
 * checked as root), and without blocking: a FIFO or device is invalid, never
 * waited on - a lifecycle command must never hang on the policy. */
static int policy_read(const char *path, char **ret_buf, size_t *ret_len, struct nsg_err *err)
{
	cleanup_free char *abs = NULL;
	cleanup_close int fd = -1;
	struct pathtrust_result r;

	if (nsg_absolute(path, &abs, err) < 0)
		return -1;
	if (pathtrust_open(abs, geteuid() == 0 ? PATHTRUST_OWNERS : 0, NULL, &r, err) < 0)
		return -1;
	fd = r.fd;
	return nsg_read_fd(fd, path, POLICY_MAX_SIZE, ret_buf, ret_len, err);
}

/* missing_ok: whether a file that is not there means the built-in defaults. */
static int policy_load_from(const char *path, bool missing_ok, struct policy *ret, char **ret_runtime,
			    struct nsg_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;

	*ret = (struct policy){ 0 };
	if (ret_runtime)
		*ret_runtime = NULL;
	if (policy_read(path, &buf, &len, err) < 0) {
		/* Only a file that is not there means defaults; any other failure
		 * (permissions, owners, not a regular file, too large) is an error,
		 * and an insecure file is not trusted even for its runtime. */
		if (err->errnum == ENOENT && missing_ok) {
			policy_defaults(ret);
			return 0;
		}
		return nsg_prefix(err, "policy %s: ", path);
	}
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

int policy_load(const char *path, struct policy *ret, char **ret_runtime, struct nsg_err *err)
{
	return policy_load_from(path, true, ret, ret_runtime, err);
}

int policy_load_existing(const char *path, struct policy *ret, struct nsg_err *err)
{
	return policy_load_from(path, false, ret, NULL, err);
}

/* The same file, read the same way (owners checked), for its "runtime"
 * alone: a valid policy's runtime is the one the peek finds, and an invalid
 * one's is what policy_load() would hand out anyway. */
char *policy_load_runtime(const char *path)
{
	cleanup_free char *buf = NULL;
	struct nsg_err err;
	size_t len = 0;

	if (policy_read(path, &buf, &len, &err) < 0)
		return NULL;
	return policy_peek_runtime(buf, len);
}
