/* util.c - see util.h */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

/* Where to cut s so that s[0..ret) plus "..." fits in max bytes: never
 * inside a UTF-8 sequence. */
static size_t util_cut_point(const char *s, size_t max)
{
	size_t n = max >= 3 ? max - 3 : 0;

	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* dst (NSG_ERR_MAX bytes) = head + tail. tail is kept whole when it fits,
 * head shortened to make room; the cut is marked "..." (see util.h). */
static void util_compose(char *dst, const char *head, size_t head_len, const char *tail, size_t tail_len)
{
	const size_t max = NSG_ERR_MAX - 1;
	char out[NSG_ERR_MAX];
	size_t o = 0, n;

	if (head_len + tail_len <= max) {
		memcpy(out, head, head_len);
		memcpy(out + head_len, tail, tail_len);
		o = head_len + tail_len;
	} else if (tail_len + 3 <= max) {
		n = util_cut_point(head, max - tail_len);
		memcpy(out, head, n);
		memcpy(out + n, "...", 3);
		memcpy(out + n + 3, tail, tail_len);
		o = n + 3 + tail_len;
	} else {
		n = util_cut_point(tail, max);
		memcpy(out, tail, n);
		memcpy(out + n, "...", 3);
		o = n + 3;
	}
	out[o] = '\0';
	memcpy(dst, out, o + 1);
}

__attribute__((format(printf, 3, 0))) static int util_vfail(struct nsg_err *err, int errnum, const char *fmt,
							    va_list ap)
{
	cleanup_free char *msg = NULL;

	if (!err)
		return -1;
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	util_compose(err->msg, "", 0, msg, strlen(msg));
	err->errnum = errnum;
	return -1;
}

int nsg_fail(struct nsg_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(err, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int nsg_fail_errno(struct nsg_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int nsg_prefix(struct nsg_err *err, const char *fmt, ...)
{
	cleanup_free char *context = NULL;
	char old[NSG_ERR_MAX];
	va_list ap;
	int r;

	if (!err)
		return -1;
	memcpy(old, err->msg, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	va_start(ap, fmt);
	r = vasprintf(&context, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	util_compose(err->msg, context, strlen(context), old, strlen(old));
	return -1;
}

void *nsg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *nsg_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *nsg_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		abort();
	return q;
}

char *nsg_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

char *nsg_strndup(const char *s, size_t n)
{
	char *p = nsg_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *nsg_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	return p;
}

int nsg_parse_long(const char *s, long min, long max, long *ret_value)
{
	char *end = NULL;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*ret_value = v;
	return 0;
}

int nsg_parse_u32(const char *s, uint32_t *ret_value)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*ret_value = (uint32_t)v;
	return 0;
}

int nsg_read_fd(int fd, const char *path, size_t max_size, char **ret_buf, size_t *ret_len, struct nsg_err *err)
{
	cleanup_free char *buf = NULL;
	struct stat st;
	size_t len = 0;

	if (fstat(fd, &st) < 0)
		return nsg_fail_errno(err, errno, "cannot stat %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return nsg_fail_errno(err, EINVAL, "%s is not a regular file", path);
	if ((unsigned long long)st.st_size > max_size)
		return nsg_fail_errno(err, EFBIG, "%s is larger than the limit of %zu bytes", path, max_size);
	buf = nsg_malloc((size_t)st.st_size + 1);
	/* Read until EOF, never past the limit: the file may grow after fstat(). */
	for (;;) {
		size_t room = (size_t)st.st_size + 1 - len;
		ssize_t n = read(fd, buf + len, room);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nsg_fail_errno(err, errno, "cannot read %s: %s", path, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > (size_t)st.st_size)
			return nsg_fail(err, "%s changed while it was being read", path);
	}
	buf[len] = '\0';
	*ret_len = len;
	*ret_buf = steal_pointer(&buf);
	return 0;
}

int nsg_read_file(const char *path, size_t max_size, char **ret_buf, size_t *ret_len, struct stat *ret_st,
		  struct nsg_err *err)
{
	/* O_NONBLOCK: a FIFO in place of the file must not hang nsguard; it is
	 * refused by nsg_read_fd() as not a regular file. */
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return nsg_fail_errno(err, errno, "cannot open %s: %s", path, strerror(errno));
	if (ret_st && fstat(fd, ret_st) < 0)
		return nsg_fail_errno(err, errno, "cannot stat %s: %s", path, strerror(errno));
	return nsg_read_fd(fd, path, max_size, ret_buf, ret_len, err);
}

int nsg_absolute(const char *path, char **ret, struct nsg_err *err)
{
	char cwd[PATH_MAX];

	if (path && path[0] == '/') {
		*ret = nsg_strdup(path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return nsg_fail_errno(err, errno,
				      "the current directory cannot be named (%s), so the relative path \"%s\" is not "
				      "certain",
				      errno == ERANGE ? "longer than PATH_MAX" : strerror(errno), path ? path : "");
	if (!path || path[0] == '\0' || strcmp(path, ".") == 0)
		*ret = nsg_strdup(cwd);
	else
		*ret = nsg_asprintf("%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
	return 0;
}

unsigned nsg_line_of(const char *buf, size_t len, size_t off)
{
	unsigned line = 1;

	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}
