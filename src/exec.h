/* exec.h - finding the real runtime and handing over to it. */
#ifndef NSGUARD_EXEC_H
#define NSGUARD_EXEC_H

#include "util.h"

/* The runtime to exec: configured (an absolute path from the policy) if non-NULL,
 * else the first "runc" on $PATH that is not nsguard itself. Fails when the
 * path does not exist, is not an executable regular file, or is nsguard itself
 * (same inode as /proc/self/exe), or when /proc/self/exe cannot be read to tell:
 * exec'ing ourselves would loop forever. */
int exec_resolve(const char *configured, char **ret_path, struct nsg_err *err);

/* execv(path, argv) with argv[0] replaced by path and everything else - the
 * other arguments, environment, cwd, descriptors - exactly as nsguard got it.
 * Returns only on failure, with err set. */
int exec_runtime(const char *path, char *const argv[], struct nsg_err *err);

#endif
