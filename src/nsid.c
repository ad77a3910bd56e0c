/* nsid.c - see nsid.h */
#include "nsid.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
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

static int check_component(const char *path, const char *component, struct nsg_err *err)
{
	struct stat st;

	if (lstat(component, &st) < 0)
		return nsg_fail(err, "namespace path %s cannot be examined: %s: %s", path, component, strerror(errno));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return nsg_fail(
			err,
			"namespace path %s: %s is owned by uid %u, so it could be replaced after nsguard checks it",
			path, component, (unsigned)st.st_uid);
	if (S_ISDIR(st.st_mode) && (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return nsg_fail(
			err,
			"namespace path %s: %s is writable by group or others, so its entries could be replaced "
			"after nsguard checks them",
			path, component);
	return 0;
}

static const char *skip_pid(const char *p)
{
	static const char *const names[] = { "self/", "thread-self/" };
	const char *q = p;

	for (size_t i = 0; i < NSG_ARRAY_SIZE(names); i++)
		if (strncmp(p, names[i], strlen(names[i])) == 0)
			return p + strlen(names[i]);
	while (*q >= '0' && *q <= '9')
		q++;
	return q > p && *q == '/' ? q + 1 : NULL;
}

/* /proc/PID/ns/NAME or /proc/PID/task/TID/ns/NAME, nothing else: procfs
 * entries cannot be replaced, but other /proc paths (PID/root, PID/cwd) lead
 * into filesystems that someone else may control. */
static bool is_proc_ns_path(const char *p)
{
	if (strncmp(p, "/proc/", 6) != 0 || !(p = skip_pid(p + 6)))
		return false;
	if (strncmp(p, "task/", 5) == 0 && !(p = skip_pid(p + 5)))
		return false;
	if (strncmp(p, "ns/", 3) != 0)
		return false;
	for (p += 3; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return false;
	return true;
}

/* Every prefix of the absolute path p: "/", "/a", "/a/b", ... */
static int check_components(const char *path, const char *p, struct nsg_err *err)
{
	cleanup_free char *copy = nsg_strdup(p);

	if (is_proc_ns_path(p))
		return 0;
	if (check_component(path, "/", err) < 0)
		return -1;
	for (char *c = copy + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (copy[1] && check_component(path, copy, err) < 0)
			return -1;
		*c = '/';
	}
	return check_component(path, copy, err);
}

/* Follow p the way the kernel will: its directory resolved, then its last
 * component checked and, if it is a symlink, its target in turn. Stops at
 * /proc/PID/ns/NAME, where realpath() cannot go (namespace links are magic). */
static int check_resolved(const char *path, const char *p, int depth, struct nsg_err *err)
{
	cleanup_free char *dir = nsg_strdup(p);
	cleanup_free char *real_dir = NULL;
	cleanup_free char *full = NULL;
	char target[PATH_MAX];
	char *slash = strrchr(dir, '/');
	ssize_t n;

	if (is_proc_ns_path(p))
		return 0;
	if (depth > 40)
		return nsg_fail(err, "namespace path %s: too many levels of symbolic links", path);
	*slash = '\0';
	real_dir = realpath(*dir ? dir : "/", NULL);
	if (!real_dir)
		return nsg_fail(err, "namespace path %s cannot be resolved: %s", path, strerror(errno));
	full = nsg_asprintf("%s/%s", strcmp(real_dir, "/") == 0 ? "" : real_dir, slash + 1);
	if (check_components(path, full, err) < 0)
		return -1;
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0)
		return 0; /* not a symlink: resolved */
	target[n] = '\0';
	if (target[0] == '/')
		return check_resolved(path, target, depth + 1, err);
	{
		cleanup_free char *abs = nsg_asprintf("%s/%s", real_dir, target);
		return check_resolved(path, abs, depth + 1, err);
	}
}

int nsid_check_path_trusted(const char *path, struct nsg_err *err)
{
	if (check_components(path, path, err) < 0)
		return -1;
	return check_resolved(path, path, 0, err);
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
