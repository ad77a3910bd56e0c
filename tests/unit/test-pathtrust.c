/* test-pathtrust.c - joined namespace paths judged as runc init will open them
 * (SPEC.md section 4), and the one path-trust walk (section 11). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsid.h"
#include "pathtrust.h"
#include "tap.h"

static char root[] = "/tmp/nsguard-pathtrust.XXXXXX";
static pid_t child = -1; /* a process in a network namespace of its own, or -1 */

/* %R is the temporary root, %P our pid, %C the child's pid. */
static char *expand(const char *t)
{
	char *out = nsg_strdup("");

	for (; *t; t++) {
		char *next;

		if (t[0] == '%' && (t[1] == 'R' || t[1] == 'P' || t[1] == 'C')) {
			next = t[1] == 'R'   ? nsg_asprintf("%s%s", out, root)
			       : t[1] == 'P' ? nsg_asprintf("%s%ld", out, (long)getpid())
					     : nsg_asprintf("%s%ld", out, (long)child);
			t++;
		} else {
			next = nsg_asprintf("%s%c", out, *t);
		}
		free(out);
		out = next;
	}
	return out;
}

static void make_tree(void)
{
	cleanup_free char *file = expand("%R/file");
	cleanup_free char *dir = expand("%R/dir");
	cleanup_free char *fifo = expand("%R/fifo");
	cleanup_free char *netns = expand("%R/netns");
	cleanup_free char *link = expand("%R/link");
	cleanup_free char *target = expand("/proc/%P/ns/net");
	cleanup_free char *zoned = expand("%R/netns/link");
	cleanup_free char *ctarget = expand("/proc/%C/ns/net");
	cleanup_free char *open_dir = expand("%R/open");
	cleanup_free char *open_link = expand("%R/open/link");
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
	mkdir(dir, 0755);
	mkfifo(fifo, 0644);
	mkdir(netns, 0755);
	mkdir(open_dir, 0755);
	chmod(open_dir, 0777);
	chmod(root, 0755);
	if (symlink(target, link) < 0 || symlink(child > 0 ? ctarget : target, zoned) < 0 ||
	    symlink(target, open_link) < 0)
		ok(0, "symlinks made");
}

/* A child in a network namespace of its own: joining it is legitimate. */
static void start_child(void)
{
	int p[2];
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	child = fork();
	if (child == 0) {
		if (unshare(CLONE_NEWNET) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (child < 0 || read(p[0], &c, 1) != 1) {
		if (child > 0)
			kill(child, SIGKILL);
		child = -1;
	}
	close(p[0]);
}

#define NEED_ROOT  1u
#define NEED_CHILD 2u

enum zone_kind {
	NO_ZONE,   /* as a non-root caller: no owners, no zone */
	ZONE_NONE, /* as root, namespace_dirs [] */
	ZONE_NETNS /* as root, namespace_dirs [%R/netns] */
};

static const struct {
	const char *path;
	enum ns_type type;
	enum zone_kind zone;
	int want;	  /* 0 allowed, -1 refused */
	int host;	  /* when allowed: 1 the host's, 0 not */
	const char *msg;  /* when refused: a fragment of the message */
	const char *rule; /* the SPEC rule pinned */
	unsigned needs;	  /* NEED_ROOT: zones check owners, only meaningful as root;
			   * NEED_CHILD: a private network namespace */
} cases[] = {
	{ "/proc/%P/ns/net", NS_NETWORK, NO_ZONE, 0, 1, NULL, "4: /proc/<pid>/ns/<name> is allowed", 0 },
	{ "/proc/%P/task/%P/ns/net", NS_NETWORK, NO_ZONE, 0, 1, NULL, "4: /proc/<pid>/task/<tid>/ns/<name>", 0 },
	{ "/proc/%C/ns/net", NS_NETWORK, NO_ZONE, 0, 0, NULL, "4: a private namespace is not the host's", NEED_CHILD },
	{ "/proc/self/ns/net", NS_NETWORK, NO_ZONE, -1, 0, "/proc/self is not allowed: under /proc only",
	  "4: /proc/self names runc init, not nsguard", 0 },
	{ "/proc/thread-self/ns/net", NS_NETWORK, NO_ZONE, -1, 0, "/proc/thread-self is not allowed", "4: thread-self",
	  0 },
	{ "/proc/%P/cwd/config.json", NS_NETWORK, NO_ZONE, -1, 0, "/cwd is not allowed", "4: cwd", 0 },
	{ "/proc/%P/root/proc/%P/ns/net", NS_NETWORK, NO_ZONE, -1, 0, "/root is not allowed", "4: root", 0 },
	{ "/proc/%P/fd/0", NS_NETWORK, NO_ZONE, -1, 0, "/fd is not allowed", "4: fd", 0 },
	{ "/dev/fd/0", NS_NETWORK, NO_ZONE, -1, 0, "/proc/self is not allowed", "4: /dev/fd/N leads to /proc/self", 0 },
	{ "/dev/stdin", NS_NETWORK, NO_ZONE, -1, 0, "/proc/self is not allowed", "4: /dev/stdin", 0 },
	{ "/proc/%P/ns/../ns/net", NS_NETWORK, NO_ZONE, -1, 0, "/.. is not allowed", "4: no .. under /proc", 0 },
	{ "/proc/%P/ns/net/x", NS_NETWORK, NO_ZONE, -1, 0, "is not allowed", "4: nothing after <name>", 0 },
	{ "/proc/%P/ns/pid", NS_NETWORK, NO_ZONE, -1, 0, "is not a network namespace (it is a pid namespace)",
	  "4: the declared type", 0 },
	{ "%R/file", NS_NETWORK, NO_ZONE, -1, 0, "is not a network namespace", "4: a regular file is no namespace", 0 },
	{ "%R/dir", NS_NETWORK, NO_ZONE, -1, 0, "is not a network namespace", "4: a directory is no namespace", 0 },
	{ "%R/fifo", NS_NETWORK, NO_ZONE, -1, 0, "is not a network namespace", "10: a FIFO, never waited on", 0 },
	{ "%R/missing", NS_IPC, NO_ZONE, -1, 0, "cannot be examined", "10: a missing path", 0 },
	{ "%R/file/x", NS_IPC, NO_ZONE, -1, 0, "is not an ipc namespace", "4: a file as a directory", 0 },
	{ "%R/link", NS_NETWORK, NO_ZONE, 0, 1, NULL, "4: symlinks are followed", 0 },
	{ "%R/dir/../link", NS_NETWORK, NO_ZONE, 0, 1, NULL, "4: .. taken as the kernel does", 0 },
	{ "%R/link", NS_NETWORK, ZONE_NONE, -1, 0, "lies neither in /proc/<pid>/ns/ nor on the way",
	  "4: as root, only /proc/<pid>/ns or namespace_dirs", NEED_ROOT },
	{ "/proc/%P/ns/net", NS_NETWORK, ZONE_NONE, 0, 1, NULL, "4: as root, /proc/<pid>/ns/ is trusted", NEED_ROOT },
	{ "%R/netns/link", NS_NETWORK, ZONE_NETNS, 0, 0, NULL, "4: a link inside namespace_dirs",
	  NEED_ROOT | NEED_CHILD },
	{ "%R/file", NS_NETWORK, ZONE_NETNS, -1, 0, "nor in one of the policy's namespace_dirs",
	  "4: on the way to namespace_dirs is not in them", NEED_ROOT },
	{ "%R/open/link", NS_NETWORK, NO_ZONE, 0, 1, NULL, "4: owners not checked when not root", 0 },
	{ "%R/open/link", NS_NETWORK, ZONE_NETNS, -1, 0, "is writable by group or others",
	  "4: as root, no directory others may write", NEED_ROOT },
};

static void test_joined(void)
{
	struct pathtrust_zone none, netns;
	cleanup_free char *netns_dir = expand("%R/netns");
	char *dirs[] = { netns_dir };
	struct nsid_host host;

	nsid_host_read("/proc", &host);
	pathtrust_zone_of(NULL, 0, &none); /* namespace_dirs [] */
	pathtrust_zone_of(dirs, 1, &netns);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		cleanup_free char *path = expand(cases[i].path);
		const struct pathtrust_zone *zone = cases[i].zone == NO_ZONE	 ? NULL
						    : cases[i].zone == ZONE_NONE ? &none
										 : &netns;
		struct nsg_err err = { .msg = "" };
		struct nsid id;
		int r;

		if (((cases[i].needs & NEED_ROOT) && geteuid() != 0) || ((cases[i].needs & NEED_CHILD) && child < 0)) {
			ok(1, "# SKIP %s: %s (needs %s)", cases[i].rule, path,
			   (cases[i].needs & NEED_ROOT) && geteuid() != 0 ? "root" : "unshare");
			continue;
		}
		r = nsid_of_joined(path, cases[i].type, zone, &id, &err);
		is_int(r, cases[i].want, "SPEC %s: %s (%s)", cases[i].rule, path, err.msg);
		if (r == 0 && cases[i].want == 0)
			is_int(nsid_is_host(&host, cases[i].type, &id), cases[i].host, "%s: the host's?", path);
		if (cases[i].msg)
			like_str(err.msg, cases[i].msg, "%s: message", path);
	}
	pathtrust_zone_free(&none);
	pathtrust_zone_free(&netns);
}

/* The same walk for files (config.json, the policy): errno as the cause. */
static void test_files(void)
{
	cleanup_free char *file = expand("%R/file");
	cleanup_free char *fifo = expand("%R/fifo");
	cleanup_free char *missing = expand("%R/none/file");
	cleanup_free char *through = expand("%R/file/x");
	struct pathtrust_result r;
	struct nsg_err err = { .msg = "" };

	is_int(pathtrust_open(file, 0, NULL, &r, &err), 0, "SPEC 11: a regular file opens (%s)", err.msg);
	if (r.fd >= 0)
		close(r.fd);
	is_int(pathtrust_open(fifo, 0, NULL, &r, &err), -1, "SPEC 10: a FIFO is refused, never waited on");
	is_int(err.errnum, EINVAL, "a FIFO: EINVAL");
	is_int(pathtrust_open(missing, 0, NULL, &r, &err), -1, "a missing directory fails");
	is_int(err.errnum, ENOENT, "missing: ENOENT, so the policy falls back to its defaults");
	is_int(pathtrust_open(through, 0, NULL, &r, &err), -1, "a file used as a directory fails");
	is_int(err.errnum, ENOTDIR, "through a file: ENOTDIR");
	is_int(pathtrust_open("relative/x", 0, NULL, &r, &err), -1, "a relative path is refused");
	is_int(pathtrust_open("/proc/self/cwd/x", 0, NULL, &r, &err), -1,
	       "SPEC 11: no per-process /proc entry for files either");
}

/* A child in a user namespace of its own whose uid_map the parent writes. */
static pid_t userns_child(const char *uid_map)
{
	int p[2];
	char c;
	pid_t pid;
	cleanup_free char *path = NULL;
	FILE *f;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER) < 0 || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	if (!uid_map)
		return pid;		 /* maps left unwritten */
	for (size_t i = 0; i < 2; i++) { /* the same map for uids and gids */
		free(path);
		path = nsg_asprintf("/proc/%ld/%s", (long)pid, i ? "gid_map" : "uid_map");
		f = fopen(path, "we");
		if (!f || fputs(uid_map, f) < 0 || fclose(f) != 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
	}
	return pid;
}

/* SPEC 4's user rule for a joined user namespace: read from the namespace. */
static void test_joined_userns(void)
{
	static const struct {
		const char *uid_map, *want, *what;
	} ucases[] = {
		{ "0 0 1\n", "uid", "a joined user namespace that maps host uid 0" },
		{ "0 100000 65536\n", NULL, "a joined user namespace mapped from 100000" },
		{ NULL, NULL, "a joined user namespace whose maps are not written yet (refused)" },
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(ucases); i++) {
		pid_t pid = geteuid() == 0 ? userns_child(ucases[i].uid_map) : -1;
		struct nsg_err err = { .msg = "" };
		cleanup_free char *path = NULL;
		struct nsid id;

		if (pid < 0) {
			ok(1, "# SKIP %s (needs root)", ucases[i].what);
			continue;
		}
		path = nsg_asprintf("/proc/%ld/ns/user", (long)pid);
		is_int(nsid_of_joined(path, NS_USER, NULL, &id, &err), ucases[i].uid_map ? 0 : -1,
		       "SPEC 4: %s is examined (%s)", ucases[i].what, err.msg);
		if (ucases[i].uid_map)
			is_str(id.maps_host_root, ucases[i].want, "SPEC 4: %s", ucases[i].what);
		else
			like_str(err.msg, "not written yet", "%s: says why", ucases[i].what);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

int main(void)
{
	if (!mkdtemp(root))
		return 1;
	start_child();
	make_tree();
	test_joined();
	test_files();
	test_joined_userns();
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	{
		cleanup_free char *cmd = nsg_asprintf("rm -rf '%s'", root);
		if (system(cmd) != 0)
			ok(0, "cleanup");
	}
	return tap_done();
}
