/* nsid.h - is a joined namespace the host's? (SPEC.md section 4)
 *
 * runc opens a joined namespace path inside runc init, whose cwd is the
 * container's rootfs and whose /proc/self and descriptors are its own. So the
 * path is resolved by pathtrust_open() (component by component, no
 * per-process /proc entry but /proc/<pid>/ns/<name>), the object it reaches
 * must be a namespace of the declared type (NS_GET_NSTYPE on the descriptor
 * nsguard opened), and its identity is the fstat() of that same descriptor.
 * It is the host's when that identity equals /proc/self/ns/<name> - the
 * runtime's own namespace, since nsguard runs where runc would - or, where
 * readable, /proc/1/ns/<name>.
 */
#ifndef NSGUARD_NSID_H
#define NSGUARD_NSID_H

#include <stdbool.h>
#include <sys/types.h>

#include "nstype.h"
#include "pathtrust.h"
#include "spec.h"
#include "util.h"

struct nsid {
	dev_t dev;
	ino_t ino;
	/* nsid_of_joined() of a user namespace: "uid" or "gid" when it maps
	 * nsguard's (the host's) id 0, else NULL (SPEC 4's user rule). */
	const char *maps_host_root;
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

/* Pure: is there any reference for type t? Without one (no /proc) a joined
 * path cannot be judged and is refused. */
bool nsid_have_reference(const struct nsid_host *host, enum ns_type t);

/* Pure: is id one of the host's identities of type t? */
bool nsid_is_host(const struct nsid_host *host, enum ns_type t, const struct nsid *id);

/* The identity of the namespace of type t that runc will join at path. zone
 * is non-NULL when nsguard runs as root: then owners and modes on the way are
 * checked too, and the path may only go where the zone allows (the policy's
 * namespace_dirs, see pathtrust.h). Fails with a message naming the path for
 * anything else. For a user namespace it also tells whether it maps host id
 * 0 (a child joins it to read its maps): a joined user namespace that does is
 * no less the host root's identity than a private one that does. */
int nsid_of_joined(const char *path, enum ns_type t, const struct pathtrust_zone *zone, struct nsid *ret,
		   struct nsg_err *err);

/* stat() path (following links) into ret: for /proc/<pid>/ns/<name> of
 * processes nsguard audits, never for a path from a spec. */
int nsid_of_path(const char *path, struct nsid *ret, struct nsg_err *err);

#endif
