/* nsid.c - see nsid.h */
#include "nsid.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static bool read_ns(const char *proc_root, const char *pid, const char *name, struct nsid *ret)
{
	cleanup_free char *path = nsg_asprintf("%s/%s/ns/%s", proc_root, pid, name);
	struct stat st;

	if (stat(path, &st) < 0)
		return false;
	ret->dev = st.st_dev;
	ret->ino = st.st_ino;
	return true;
}

void nsid_host_read(const char *proc_root, struct nsid_host *ret)
{
	memset(ret, 0, sizeof(*ret));
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		ret->have_self[t] = read_ns(proc_root, "self", ns_infos[t].proc, &ret->self[t]);
		/* Unreadable on some hosts even for root (sandboxed VMs, CI runners):
		 * then nsguard's own namespaces are the only reference. */
		ret->have_init[t] = read_ns(proc_root, "1", ns_infos[t].proc, &ret->init[t]);
	}
}

static bool same(const struct nsid *a, const struct nsid *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

bool nsid_is_host(const struct nsid_host *host, enum ns_type t, const struct nsid *id)
{
	return (host->have_self[t] && same(&host->self[t], id)) || (host->have_init[t] && same(&host->init[t], id));
}

int nsid_of_path(const char *path, struct nsid *ret, struct nsg_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nsg_fail(err, "namespace path %s cannot be examined: %s", path, strerror(errno));
	ret->dev = st.st_dev;
	ret->ino = st.st_ino;
	return 0;
}
