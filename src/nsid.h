/* nsid.h - is a namespace path the host's? (SPEC.md section 4)
 *
 * A joined namespace is the host's when stat() of its path (following links)
 * gives the same (st_dev, st_ino) as /proc/self/ns/<name> - the runtime's own
 * namespace, since nsguard runs where runc would - or, where it can be read,
 * /proc/1/ns/<name>.
 */
#ifndef NSGUARD_NSID_H
#define NSGUARD_NSID_H

#include <stdbool.h>
#include <sys/types.h>

#include "nstype.h"
#include "util.h"

struct nsid {
	dev_t dev;
	ino_t ino;
};

/* The reference identities: nsguard's own namespaces and PID 1's where readable. */
struct nsid_host {
	struct nsid self[NS_TYPE_COUNT];
	bool have_self[NS_TYPE_COUNT];
	struct nsid init[NS_TYPE_COUNT];
	bool have_init[NS_TYPE_COUNT];
};

/* Read the reference identities (from proc_root, normally "/proc"). Never fails:
 * what cannot be read is simply absent. */
void nsid_host_read(const char *proc_root, struct nsid_host *ret);

/* Pure: is id one of the host's identities of type t? */
bool nsid_is_host(const struct nsid_host *host, enum ns_type t, const struct nsid *id);

/* Can path be trusted to still name the same namespace when runc opens it, a
 * moment after nsguard looked? Every component of the path, and of what it
 * resolves to, must be owned by root (or the euid), and no directory on the
 * way writable by group or others unless sticky. /proc/PID/ns/NAME (and
 * /proc/PID/task/TID/ns/NAME) is trusted: procfs entries cannot be replaced.
 * Only meaningful as root. */
int nsid_check_path_trusted(const char *path, struct nsg_err *err);

/* stat() path (following links) into ret; fails with a message naming the path. */
int nsid_of_path(const char *path, struct nsid *ret, struct nsg_err *err);

#endif
