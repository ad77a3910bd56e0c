/* nsid.c - see nsid.h */
#include "nsid.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>

static bool nsid_read_ns(const char *proc_root, const char *pid, const char *name, struct nsid *ret)
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
		ret->have_self[t] = nsid_read_ns(proc_root, "self", ns_infos[t].proc, &ret->self[t]);
		/* Unreadable on some hosts even for root (sandboxed VMs, CI runners):
		 * then nsguard's own namespaces are the only reference. */
		ret->have_init[t] = nsid_read_ns(proc_root, "1", ns_infos[t].proc, &ret->init[t]);
	}
}

bool nsid_have_reference(const struct nsid_host *host, enum ns_type t)
{
	return host->have_self[t] || host->have_init[t];
}

static bool nsid_same(const struct nsid *a, const struct nsid *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

bool nsid_is_host(const struct nsid_host *host, enum ns_type t, const struct nsid *id)
{
	return (host->have_self[t] && nsid_same(&host->self[t], id)) ||
	       (host->have_init[t] && nsid_same(&host->init[t], id));
}

/* The namespace type of fd, or -1 if it is none. */
static int nsid_type_of(int fd)
{
	struct statfs sfs;
	int flag;

	if (fstatfs(fd, &sfs) < 0 || (unsigned long)sfs.f_type != NSFS_MAGIC)
		return -1;
	flag = ioctl(fd, NS_GET_NSTYPE);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		if (ns_infos[t].clone_flag == flag)
			return (int)t;
	return -1;
}

/* "a network", "an ipc": messages read as sentences. */
static const char *nsid_with_article(enum ns_type t)
{
	static char buf[NS_TYPE_COUNT][16];
	const char *name = ns_infos[t].name;

	snprintf(buf[t], sizeof(buf[t]), "%s %s", strchr("aeiou", name[0]) ? "an" : "a", name);
	return buf[t];
}

/* One line of a /proc/<pid>/[ug]id_map: three decimal fields, blank-separated. */
static int nsid_parse_idmap_line(char *line, struct spec_idmap *ret)
{
	uint32_t *fields[] = { &ret->container_id, &ret->host_id, &ret->size };
	char *save = NULL, *tok = strtok_r(line, " \t", &save);

	for (size_t i = 0; i < NSG_ARRAY_SIZE(fields); i++, tok = strtok_r(NULL, " \t", &save))
		if (!tok || nsg_parse_u32(tok, fields[i]) < 0)
			return -1;
	return tok ? -1 : 0;
}

/* Read a /proc/<pid>/[ug]id_map (st_size 0: read to EOF) into m. */
static int nsid_read_idmap(pid_t pid, const char *name, struct spec_idmaps *m, struct nsg_err *err)
{
	cleanup_free char *path = nsg_asprintf("/proc/%ld/%s", (long)pid, name);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char buf[16384];
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return nsg_fail_errno(err, errno, "%s: %s", path, strerror(errno));
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0)
		return nsg_fail_errno(err, errno, "%s: %s", path, strerror(errno));
	if (len == sizeof(buf) - 1) /* the kernel allows 340 lines: this cannot be all of it */
		return nsg_fail(err, "%s is longer than %zu bytes", path, sizeof(buf) - 1);
	buf[len] = '\0';
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct spec_idmap e;

		if (nsid_parse_idmap_line(line, &e) < 0)
			return nsg_fail(err, "%s: cannot read the line \"%s\"", path, line);
		m->maps = nsg_realloc(m->maps, (m->n + 1) * sizeof(*m->maps));
		m->maps[m->n++] = e;
	}
	return 0;
}

/* nsguard's own user namespace cannot be joined (EINVAL), and needs no
 * maps: it is the host's, which the identity comparison finds. */
static bool nsid_is_own_userns(int fd)
{
	struct stat st, self;

	return fstat(fd, &st) == 0 && stat("/proc/self/ns/user", &self) == 0 && st.st_dev == self.st_dev &&
	       st.st_ino == self.st_ino;
}

/* Fork a child that joins the user namespace fd and then waits to be
 * killed; *ret_fd reads one byte once it has joined. */
static int nsid_spawn_joiner(int fd, pid_t *ret_pid, int *ret_fd, struct nsg_err *err)
{
	pid_t parent = getpid();
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return nsg_fail_errno(err, errno, "cannot create a pipe: %s", strerror(errno));
	*ret_pid = fork();
	if (*ret_pid == 0) {
		close(p[0]);
		/* Never outlive nsguard, paused in someone's user namespace. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent || setns(fd, CLONE_NEWUSER) < 0 ||
		    write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	*ret_fd = p[0];
	if (*ret_pid < 0)
		return nsg_fail_errno(err, errno, "cannot fork: %s", strerror(errno));
	return 0;
}

/* The maps of the joined child pid, once it says it has joined. */
static int nsid_read_joiner_maps(pid_t pid, int fd, struct spec *maps, struct nsg_err *err)
{
	char c;

	if (read(fd, &c, 1) != 1)
		return nsg_fail(err, "cannot join it to read its id mappings");
	if (nsid_read_idmap(pid, "uid_map", &maps->idmaps[SPEC_IDMAP_UID], err) < 0 ||
	    nsid_read_idmap(pid, "gid_map", &maps->idmaps[SPEC_IDMAP_GID], err) < 0)
		return -1;
	/* A map is written once: an empty one could still be written to map
	 * host id 0 between nsguard's check and runc's join. */
	if (maps->idmaps[SPEC_IDMAP_UID].n == 0 || maps->idmaps[SPEC_IDMAP_GID].n == 0)
		return nsg_fail(err, "its id maps are not written yet, and could still be made to map host id 0");
	return 0;
}

/* Which ids ("uid", "gid") the user namespace fd maps nsguard's id 0 into, or
 * NULL. A child joins it; the parent reads the child's maps, whose second
 * column is then in nsguard's own user namespace - the host's ids. Failing to
 * tell is an error: the caller refuses. */
static int nsid_userns_root_mapping(int fd, const char **ret, struct nsg_err *err)
{
	cleanup_spec struct spec maps = { 0 };
	cleanup_close int rfd = -1;
	pid_t pid = -1;
	int r;

	*ret = NULL;
	if (nsid_is_own_userns(fd))
		return 0;
	r = nsid_spawn_joiner(fd, &pid, &rfd, err);
	if (r == 0)
		r = nsid_read_joiner_maps(pid, rfd, &maps, err);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0); /* ECHILD if the caller ignores SIGCHLD: reaped already */
	}
	if (r == 0)
		*ret = spec_host_root_mapping(&maps);
	return r;
}

int nsid_of_joined(const char *path, enum ns_type t, const struct pathtrust_zone *zone, struct nsid *ret,
		   struct nsg_err *err)
{
	struct pathtrust_result r;
	cleanup_close int fd = -1;
	struct stat st;
	int is;

	ret->maps_host_root = NULL;
	if (pathtrust_open(path, zone ? PATHTRUST_OWNERS : 0, zone, &r, err) < 0) {
		char why[NSG_ERR_MAX];

		if (err->errnum != EINVAL && err->errnum != ENOTDIR)
			return nsg_prefix(
				err,
				err->errnum ? "namespace path %s cannot be examined: " : "namespace path %s: ", path);
		snprintf(why, sizeof(why), "%s", err->msg);
		return nsg_fail(err, "path %s is not %s namespace (%s)", path, nsid_with_article(t), why);
	}
	fd = r.fd;
	is = nsid_type_of(fd);
	if (is < 0)
		return nsg_fail(err, "path %s is not %s namespace", path, nsid_with_article(t));
	if (is != (int)t)
		return nsg_fail(err, "path %s is not %s namespace (it is %s namespace)", path, nsid_with_article(t),
				nsid_with_article((enum ns_type)is));
	if (fstat(fd, &st) < 0)
		return nsg_fail_errno(err, errno, "namespace path %s cannot be examined: %s", path, strerror(errno));
	ret->dev = st.st_dev;
	ret->ino = st.st_ino;
	if (t == NS_USER && nsid_userns_root_mapping(fd, &ret->maps_host_root, err) < 0)
		return nsg_prefix(err, "user namespace path %s: cannot tell whether it maps host id 0: ", path);
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
