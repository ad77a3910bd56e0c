/* nsid.c - see nsid.h */
#include "nsid.h"

#include <errno.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>

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

bool nsid_have_reference(const struct nsid_host *host, enum ns_type t)
{
	return host->have_self[t] || host->have_init[t];
}

static bool same(const struct nsid *a, const struct nsid *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

bool nsid_is_host(const struct nsid_host *host, enum ns_type t, const struct nsid *id)
{
	return (host->have_self[t] && same(&host->self[t], id)) || (host->have_init[t] && same(&host->init[t], id));
}

/* The namespace type of fd, by name for messages; NULL if it is none. */
static const char *type_of(int fd, int *ret_flag)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0 || (unsigned long)sfs.f_type != NSFS_MAGIC)
		return NULL;
	*ret_flag = ioctl(fd, NS_GET_NSTYPE);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		if (ns_infos[t].clone_flag == *ret_flag)
			return ns_infos[t].name;
	return NULL;
}

/* "a network", "an ipc": messages read as sentences. */
static const char *with_article(enum ns_type t)
{
	static char buf[NS_TYPE_COUNT][16];
	const char *name = ns_infos[t].name;

	snprintf(buf[t], sizeof(buf[t]), "%s %s", strchr("aeiou", name[0]) ? "an" : "a", name);
	return buf[t];
}

int nsid_of_joined(const char *path, enum ns_type t, const struct pathtrust_zone *zone, struct nsid *ret,
		   struct nsg_err *err)
{
	struct pathtrust_result r;
	cleanup_close int fd = -1;
	const char *is = NULL;
	int flag = 0;
	struct stat st;

	if (pathtrust_open(path, zone ? PATHTRUST_OWNERS : 0, zone, &r, err) < 0) {
		if (err->errnum == EINVAL || err->errnum == ENOTDIR)
			return nsg_fail(err, "path %s is not %s namespace (%s)", path, with_article(t), err->msg);
		return nsg_prefix(err,
				  err->errnum ? "namespace path %s cannot be examined: " : "namespace path %s: ", path);
	}
	fd = r.fd;
	is = type_of(fd, &flag);
	if (!is || flag != ns_infos[t].clone_flag)
		return nsg_fail(err, "path %s is not %s namespace%s%s%s", path, with_article(t), is ? " (it is a " : "",
				is ? is : "", is ? " namespace)" : "");
	if (fstat(fd, &st) < 0)
		return nsg_fail_errno(err, errno, "namespace path %s cannot be examined: %s", path, strerror(errno));
	ret->dev = st.st_dev;
	ret->ino = st.st_ino;
	return 0;
}

int nsid_of_path(const char *path, struct nsid *ret, struct nsg_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nsg_fail_errno(err, errno, "namespace path %s cannot be examined: %s", path, strerror(errno));
	ret->dev = st.st_dev;
	ret->ino = st.st_ino;
	return 0;
}
