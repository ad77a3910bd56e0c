/* pathtrust.c - see pathtrust.h */
#include "pathtrust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "buf.h"

#define PT_MAX_DEPTH  256
#define PT_MAX_LINKS  40 /* the kernel's own limit */
#define PROC_ROOT_INO 1

/* Where the walk stands inside procfs: the grammar of /proc/<pid>/[task/<tid>/]ns/<name>. */
enum pathtrust_proc_pos {
	PROC_OUTSIDE,
	PROC_ROOT,
	PROC_PID,
	PROC_TASK,
	PROC_TID,
	PROC_NS,
};

/* One directory on the walk's stack. */
struct pathtrust_level {
	int fd;
	struct pathtrust_dir id;
	size_t len; /* length of where at this level */
};

/* A few words on the caller's stack; the levels and the two paths are on the
 * heap, as long as they are. A page of stack the walk never touches is one a
 * fresh nsguard never faults in, and one its sandboxed child does not copy
 * on write (bench/run's create cost). The limits are the kernel's:
 * PT_MAX_DEPTH levels, PATH_MAX for where, twice that for todo. From
 * pathtrust_walk_start() on, where.data is a string ("" for "/"). */
struct pathtrust_walk {
	unsigned flags;
	const struct pathtrust_zone *zone;
	enum pathtrust_proc_pos proc;
	unsigned links;
	size_t depth; /* directories on the stack; [0] is "/" */
	size_t cap;   /* of level */
	struct pathtrust_level *level;
	struct nsg_buf where; /* the physical path so far ("" for "/") */
	char *todo;	      /* what is left to walk */
};

static void pathtrust_walk_free(struct pathtrust_walk *w)
{
	for (size_t i = 0; i < w->depth; i++)
		close(w->level[i].fd);
	w->depth = 0;
	free(w->level);
	w->level = NULL;
	buf_free(&w->where);
	free(w->todo);
	w->todo = NULL;
}

#define cleanup_walk __attribute__((cleanup(pathtrust_walk_free)))

static const char *pathtrust_shown_where(const struct pathtrust_walk *w)
{
	return w->where.len ? w->where.data : "/";
}

static bool pathtrust_dir_in(const struct pathtrust_dir *set, size_t n, const struct pathtrust_dir *d)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].dev == d->dev && set[i].ino == d->ino)
			return true;
	return false;
}

/* Is the walk below one of the zone's namespace_dirs? */
static bool pathtrust_below_dirs(const struct pathtrust_walk *w)
{
	for (size_t i = 0; i < w->depth; i++)
		if (pathtrust_dir_in(w->zone->dirs, w->zone->n_dirs, &w->level[i].id))
			return true;
	return false;
}

/* May the next entry of the current directory be trusted not to be swapped by
 * a container? See struct pathtrust_zone. */
static int pathtrust_check_zone(const struct pathtrust_walk *w, const char *what, struct nsg_err *err)
{
	if (!w->zone || w->proc != PROC_OUTSIDE || pathtrust_below_dirs(w) ||
	    pathtrust_dir_in(w->zone->ways, w->zone->n_ways, &w->level[w->depth - 1].id))
		return 0;
	return nsg_fail(err,
			"%s lies neither in /proc/<pid>/ns/ nor on the way to or in one of the policy's "
			"namespace_dirs: a container running as the host's root could replace it before runc opens it",
			what);
}

/* Owned by root, and nobody else can replace it or, for a directory, its
 * entries. A container without a user namespace runs as the host's root, so
 * this alone does not make a path safe from containers: that is what
 * /proc/<pid>/ns and namespace_dirs are for (nsid.c). */
static int pathtrust_judge(const struct pathtrust_walk *w, const char *what, const struct stat *st, struct nsg_err *err)
{
	bool open_dir = S_ISDIR(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX);
	bool open_file = S_ISREG(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH));

	if (!(w->flags & PATHTRUST_OWNERS) || w->proc != PROC_OUTSIDE)
		return 0;
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return nsg_fail(err, "%s is owned by uid %u, not root, so it could be replaced after nsguard checks it",
				what, (unsigned)st->st_uid);
	if (open_dir)
		return nsg_fail(err,
				"%s is writable by group or others, so its entries could be replaced after nsguard "
				"checks them",
				what);
	if (open_file)
		return nsg_fail(err, "%s is writable by group or others, so it could change after nsguard checks it",
				what);
	return 0;
}

static bool pathtrust_is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The next position inside procfs after entry name, or PROC_OUTSIDE if the
 * grammar does not allow it. */
static enum pathtrust_proc_pos pathtrust_proc_next(enum pathtrust_proc_pos at, const char *name)
{
	switch (at) {
	case PROC_ROOT:
	case PROC_TASK:
		return pathtrust_is_number(name) ? (at == PROC_ROOT ? PROC_PID : PROC_TID) : PROC_OUTSIDE;
	case PROC_PID:
		return strcmp(name, "ns") == 0 ? PROC_NS : strcmp(name, "task") == 0 ? PROC_TASK : PROC_OUTSIDE;
	case PROC_TID:
		return strcmp(name, "ns") == 0 ? PROC_NS : PROC_OUTSIDE;
	case PROC_OUTSIDE:
	case PROC_NS:
	default:
		return PROC_OUTSIDE;
	}
}

static int pathtrust_not_in_proc(const struct pathtrust_walk *w, const char *name, struct nsg_err *err)
{
	return nsg_fail(err,
			"%s/%s is not allowed: under /proc only /proc/<pid>/ns/<name> and "
			"/proc/<pid>/task/<tid>/ns/<name> name the same object for runc init as for nsguard",
			w->where.data, name);
}

static int pathtrust_push(struct pathtrust_walk *w, int fd, const struct stat *st, const char *name,
			  struct nsg_err *err)
{
	if (w->depth == PT_MAX_DEPTH || w->where.len + 1 + strlen(name) >= PATH_MAX) {
		close(fd);
		return nsg_fail(err, "%s/%s: the path is too deep", w->where.data, name);
	}
	buf_putc(&w->where, '/');
	buf_puts(&w->where, name);
	if (w->depth == w->cap) {
		w->cap *= 2;
		w->level = nsg_realloc(w->level, w->cap * sizeof(*w->level));
	}
	w->level[w->depth].fd = fd;
	w->level[w->depth].id = (struct pathtrust_dir){ st->st_dev, st->st_ino };
	w->level[w->depth].len = w->where.len;
	w->depth++;
	return 0;
}

static void pathtrust_pop_to(struct pathtrust_walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->level[--w->depth].fd);
	w->where.len = w->level[w->depth - 1].len;
	w->where.data[w->where.len] = '\0';
}

/* Entering procfs: only at /proc, and only at the root of the mount. */
static int pathtrust_enter_proc(struct pathtrust_walk *w, int fd, const struct stat *st, const char *name,
				struct nsg_err *err)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return nsg_fail_errno(err, errno, "%s/%s: %s", w->where.data, name, strerror(errno));
	if ((unsigned long)sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	if (!S_ISDIR(st->st_mode) || st->st_ino != PROC_ROOT_INO || w->depth != 1 || strcmp(name, "proc") != 0)
		return nsg_fail(err, "%s/%s is part of a procfs that is not mounted at /proc", w->where.data, name);
	w->proc = PROC_ROOT;
	return 0;
}

/* Replace the component just read by the target of the symlink fd. */
static int pathtrust_follow(struct pathtrust_walk *w, int fd, const char *name, const char *rest, struct nsg_err *err)
{
	char target[PATH_MAX];
	size_t rest_len = strlen(rest);
	char *todo;
	ssize_t n;

	if (++w->links > PT_MAX_LINKS)
		return nsg_fail_errno(err, ELOOP, "%s/%s: too many levels of symbolic links", w->where.data, name);
	n = readlinkat(fd, "", target, sizeof(target));
	if (n < 0)
		return nsg_fail_errno(err, errno, "cannot read the link %s/%s: %s", w->where.data, name,
				      strerror(errno));
	if (n == 0 || (size_t)n >= sizeof(target))
		return nsg_fail_errno(err, ENOENT, "the link %s/%s has an empty or overlong target", w->where.data,
				      name);
	target[n] = '\0';
	if ((size_t)n + 1 + rest_len >= 2 * PATH_MAX)
		return nsg_fail(err, "the link %s/%s leads to an overlong path", w->where.data, name);
	if (target[0] == '/')
		pathtrust_pop_to(w, 1);
	/* rest points into the old todo: the target, then rest, in a new one. */
	todo = nsg_malloc((size_t)n + 1 + rest_len + 1);
	memcpy(todo, target, (size_t)n);
	todo[n] = '/';
	memcpy(todo + n + 1, rest, rest_len + 1);
	free(w->todo);
	w->todo = todo;
	return 0;
}

/* Open the final object for reading, making sure it is the one O_PATH saw. */
static int pathtrust_open_final(struct pathtrust_walk *w, const struct stat *st, const char *name, struct nsg_err *err)
{
	int dir = w->level[w->depth - 1].fd;
	int fd;
	struct stat again;

	if (w->proc == PROC_NS) /* the magic link itself: nsfs, which cannot block */
		fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	else if (!S_ISREG(st->st_mode))
		return nsg_fail_errno(err, EINVAL, "%s/%s is not a regular file", w->where.data, name);
	else
		fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return nsg_fail_errno(err, errno, "%s/%s: %s", w->where.data, name, strerror(errno));
	if (fstat(fd, &again) < 0 ||
	    (w->proc != PROC_NS && (again.st_dev != st->st_dev || again.st_ino != st->st_ino))) {
		close(fd);
		return nsg_fail(err, "%s/%s changed while nsguard was checking it", w->where.data, name);
	}
	return fd;
}

/* Split the next component off todo; NULL when none is left. */
static char *pathtrust_next_component(char **cursor)
{
	char *p = *cursor, *end;

	while (*p == '/')
		p++;
	if (!*p)
		return NULL;
	end = strchr(p, '/');
	if (end) {
		*end = '\0';
		*cursor = end + 1;
	} else {
		*cursor = p + strlen(p);
	}
	return p;
}

static bool pathtrust_nothing_left(const char *rest)
{
	while (*rest == '/')
		rest++;
	return *rest == '\0';
}

/* The object name (O_PATH descriptor *fd, stat st) met at w's position: judge
 * it, then descend, follow or open it; 1 when it is the final object, open
 * in *ret_fd. next: where it leads in the /proc grammar. */
static int pathtrust_object(struct pathtrust_walk *w, int *fd, const struct stat *st, const char *name,
			    const char *what, char **cursor, enum pathtrust_proc_pos next, int *ret_fd,
			    struct nsg_err *err)
{
	if (w->proc == PROC_OUTSIDE && pathtrust_enter_proc(w, *fd, st, name, err) < 0)
		return -1;
	if (pathtrust_judge(w, what, st, err) < 0)
		return -1;
	if (w->proc != PROC_OUTSIDE && next != PROC_OUTSIDE) {
		if (!S_ISDIR(st->st_mode))
			return pathtrust_not_in_proc(w, name, err);
		w->proc = next;
	}
	if (S_ISLNK(st->st_mode))
		return pathtrust_follow(w, *fd, name, *cursor, err) < 0 ? -1 : (*cursor = w->todo, 0);
	if (S_ISDIR(st->st_mode))
		return pathtrust_push(w, take_fd(fd), st, name, err);
	if (!pathtrust_nothing_left(*cursor))
		return nsg_fail_errno(err, ENOTDIR, "%s is not a directory", what);
	if (w->zone && !pathtrust_below_dirs(w))
		return nsg_fail(err,
				"%s is neither /proc/<pid>/ns/<name> nor in one of the policy's namespace_dirs: a "
				"container running as the host's root could replace it before runc opens it",
				what);
	*ret_fd = pathtrust_open_final(w, st, name, err);
	return *ret_fd < 0 ? -1 : 1;
}

/* One step; returns 1 when the final object is open in *ret_fd. */
static int pathtrust_step(struct pathtrust_walk *w, const char *name, char **cursor, int *ret_fd, struct nsg_err *err)
{
	cleanup_close int fd = -1;
	enum pathtrust_proc_pos next = PROC_OUTSIDE;
	cleanup_buf struct nsg_buf what = { 0 };
	struct stat st;

	if (strcmp(name, ".") == 0)
		return 0;
	if (w->proc == PROC_NS) { /* /proc/<pid>/ns/<name>: the end of the path */
		if (strcmp(name, "..") == 0 || !pathtrust_nothing_left(*cursor))
			return pathtrust_not_in_proc(w, name, err);
		*ret_fd = pathtrust_open_final(w, NULL, name, err);
		return *ret_fd < 0 ? -1 : 1;
	}
	if (w->proc != PROC_OUTSIDE && (next = pathtrust_proc_next(w->proc, name)) == PROC_OUTSIDE)
		return pathtrust_not_in_proc(w, name, err);
	if (strcmp(name, "..") == 0) {
		if (w->depth > 1)
			pathtrust_pop_to(w, w->depth - 1);
		return 0;
	}
	buf_puts(&what, w->where.data);
	buf_putc(&what, '/');
	buf_puts(&what, name);
	if (pathtrust_check_zone(w, what.data, err) < 0)
		return -1;
	fd = openat(w->level[w->depth - 1].fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return nsg_fail_errno(err, errno, "%s: %s", what.data, strerror(errno));
	return pathtrust_object(w, &fd, &st, name, what.data, cursor, next, ret_fd, err);
}

static int pathtrust_walk_start(struct pathtrust_walk *w, const char *path, unsigned flags,
				const struct pathtrust_zone *zone, struct nsg_err *err)
{
	struct stat st;
	int fd;

	w->flags = flags;
	w->zone = zone;
	buf_puts(&w->where, "");
	if (path[0] != '/')
		return nsg_fail_errno(err, EINVAL, "%s is not an absolute path", path);
	if (strlen(path) >= PATH_MAX)
		return nsg_fail_errno(err, ENAMETOOLONG, "the path is longer than PATH_MAX");
	w->todo = nsg_strdup(path);
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return nsg_fail_errno(err, errno, "/: %s", strerror(errno));
	}
	w->cap = 8;
	w->level = nsg_calloc(w->cap, sizeof(*w->level));
	w->level[0].fd = fd;
	w->level[0].id = (struct pathtrust_dir){ st.st_dev, st.st_ino };
	w->level[0].len = 0;
	w->depth = 1;
	return pathtrust_judge(w, "/", &st, err);
}

int pathtrust_open(const char *path, unsigned flags, const struct pathtrust_zone *zone, struct pathtrust_result *ret,
		   struct nsg_err *err)
{
	cleanup_walk struct pathtrust_walk w = { 0 };
	char *cursor;
	int fd = -1;
	char *name;

	ret->fd = -1;
	ret->proc_ns = false;
	if (pathtrust_walk_start(&w, path, flags, zone, err) < 0)
		return -1;
	cursor = w.todo;
	while ((name = pathtrust_next_component(&cursor))) {
		int r = pathtrust_step(&w, name, &cursor, &fd, err);

		if (r < 0)
			return -1;
		if (r == 1)
			break;
	}
	if (fd < 0)
		return nsg_fail_errno(err, EINVAL, "%s is not a regular file but a directory",
				      pathtrust_shown_where(&w));
	ret->fd = fd;
	ret->proc_ns = w.proc == PROC_NS;
	return 0;
}

static void pathtrust_add_dir(struct pathtrust_dir **set, size_t *n, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	*set = nsg_realloc(*set, (*n + 1) * sizeof(**set));
	(*set)[(*n)++] = (struct pathtrust_dir){ st.st_dev, st.st_ino };
}

/* "/", "/a", "/a/b" of "/a/b/c" into ways. */
static void pathtrust_add_ways(struct pathtrust_zone *z, const char *path)
{
	cleanup_free char *copy = nsg_strdup(path);

	pathtrust_add_dir(&z->ways, &z->n_ways, "/");
	for (char *c = copy + 1; (c = strchr(c, '/')); c++) {
		*c = '\0';
		pathtrust_add_dir(&z->ways, &z->n_ways, copy);
		*c = '/';
	}
}

void pathtrust_zone_of(char *const *paths, size_t n, struct pathtrust_zone *ret)
{
	*ret = (struct pathtrust_zone){ 0 };
	for (size_t i = 0; i < n; i++) {
		pathtrust_add_dir(&ret->dirs, &ret->n_dirs, paths[i]);
		pathtrust_add_ways(ret, paths[i]);
	}
	pathtrust_add_ways(ret, "/var/run");
}

void pathtrust_zone_free(struct pathtrust_zone *z)
{
	free(z->dirs);
	free(z->ways);
	*z = (struct pathtrust_zone){ 0 };
}
