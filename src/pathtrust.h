/* pathtrust.h - open a path the way the kernel resolves it, judging every step
 * (SPEC.md sections 4 and 11). The one path-trust function: the bundle and
 * config.json, joined namespace paths and the policy file all go through it.
 *
 * nsguard checks a file and runc opens it a moment later, in its own context.
 * Both must reach the same object, so the path is resolved here component by
 * component from "/" with openat(O_PATH | O_NOFOLLOW), symlinks followed by
 * reading them and resolving their targets under the same rules, ".." taken
 * physically as the kernel does - never as a string (no realpath() of text,
 * no stat() of the whole path).
 *
 * - Inside procfs only /proc/<pid>/ns/<name> and /proc/<pid>/task/<tid>/ns/<name>
 *   (numeric ids, procfs mounted at /proc) may be named. Every other per-process
 *   entry (self, thread-self, cwd, root, fd, ...) - and so /dev/fd/N or
 *   /dev/stdin, which lead there - names a different object for runc init
 *   (whose cwd is the rootfs, whose /proc/self and descriptors are its own)
 *   than for nsguard.
 * - With PATHTRUST_OWNERS (nsguard runs as root): every directory, symlink and
 *   the final object on the way must be owned by root, no directory writable
 *   by group or others unless sticky, and no final object writable by them:
 *   else someone could swap it between nsguard's check and runc's open.
 *   procfs entries are exempt: they cannot be replaced.
 * - The final object is never opened in a way that can block or act: a
 *   regular file is opened O_RDONLY | O_NONBLOCK only after O_PATH showed it
 *   is one, anything else is refused without being opened for reading.
 */
#ifndef NSGUARD_PATHTRUST_H
#define NSGUARD_PATHTRUST_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

enum pathtrust_flags {
	PATHTRUST_OWNERS = 1 << 0, /* check owners and modes (as root) */
};

/* A directory's identity. */
struct pathtrust_dir {
	dev_t dev;
	ino_t ino;
};

/* Where a path may go, for joined namespace paths as root (SPEC.md section 4).
 * A container that runs as the host's root owns whatever directory is
 * bind-mounted into it, root-owned or not: any directory, symlink or file met
 * there could be swapped between nsguard's check and runc's open. So every
 * entry the walk meets must lie in a directory of ways (the directories on
 * the way to the policy's namespace_dirs) or below one of dirs (the
 * namespace_dirs themselves), and the final object must be below one of dirs
 * - unless it is /proc/<pid>/ns/<name>, which nobody can replace. */
struct pathtrust_zone {
	struct pathtrust_dir *dirs;
	size_t n_dirs;
	struct pathtrust_dir *ways;
	size_t n_ways;
};

struct pathtrust_result {
	int fd;	      /* the final object, O_RDONLY | O_CLOEXEC; the caller closes it */
	bool proc_ns; /* it was reached as /proc/<pid>/[task/<tid>/]ns/<name> */
};

/* Resolve the absolute path under the rules above (zone NULL: no zone); the
 * final object must be a regular file (nsfs namespace files are). On failure
 * err->errnum is the errno where there is one (ENOENT: the path does not
 * exist; EINVAL: the object is not a regular file), and the message names
 * what stopped the walk. */
int pathtrust_open(const char *path, unsigned flags, const struct pathtrust_zone *zone, struct pathtrust_result *ret,
		   struct nsg_err *err);

/* The zone of the directories paths[0..n) (stat() follows links): each
 * existing one into dirs, and every existing directory on the way to it,
 * textually ("/", "/run", ...) and of "/var/run" (the FHS name of /run, which
 * Docker writes), into ways. The caller frees both arrays. */
void pathtrust_zone_of(char *const *paths, size_t n, struct pathtrust_zone *ret);

void pathtrust_zone_free(struct pathtrust_zone *z);

#define cleanup_zone __attribute__((cleanup(pathtrust_zone_free)))

#endif
