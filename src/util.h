/* util.h - errors, cleanup attributes, checked conversions, bounded file reading.
 *
 * Library code never prints and never exits: a function that can fail returns
 * < 0 (or NULL) and fills a struct nsg_err that the caller may prefix with
 * context before the command layer turns it into a message.
 */
#ifndef NSGUARD_UTIL_H
#define NSGUARD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NSG_ERR_MAX 1024

/* The cause travels beside the text: callers decide on errnum (ENOENT: the
 * file is not there; EINVAL: not a regular file, ...), never on the message.
 *
 * At the limit nothing is cut silently: a message longer than NSG_ERR_MAX - 1
 * bytes ends in "..." where it was cut, and nsg_prefix() keeps the nested
 * message whole, shortening only the context it adds (cut marked "..."); a
 * nested message that alone fills the buffer keeps its beginning and ends in
 * "...". Cuts never split a UTF-8 sequence. */
struct nsg_err {
	char msg[NSG_ERR_MAX];
	int errnum; /* the errno behind the failure, 0 if none */
};

/* Parameters a callback signature imposes but the function does not need. */
#define nsg_unused __attribute__((unused))

/* Fill err with a message; always returns -1 so callers can `return nsg_fail(...)`. */
int nsg_fail(struct nsg_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same, recording errnum as the cause: callers decide on err->errnum, not on text. */
int nsg_fail_errno(struct nsg_err *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix the message already in err with more context ("reading X: " + old),
 * keeping err->errnum. Returns -1. */
int nsg_prefix(struct nsg_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void nsg_freep(void *p)
{
	free(*(void **)p);
}

static inline void nsg_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void nsg_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define cleanup_free  __attribute__((cleanup(nsg_freep)))
#define cleanup_close __attribute__((cleanup(nsg_closep)))
#define cleanup_file  __attribute__((cleanup(nsg_fclosep)))

/* Hand ownership out of a cleanup variable. */
static inline void *nsg_steal_pointer(void *pp)
{
	void **p = pp;
	void *ret = *p;
	*p = NULL;
	return ret;
}
#define steal_pointer(pp) nsg_steal_pointer(pp)

static inline int take_fd(int *fd)
{
	int ret = *fd;
	*fd = -1;
	return ret;
}

#define NSG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failures are not recoverable in a short-lived wrapper: abort. */
void *nsg_malloc(size_t n);
void *nsg_calloc(size_t n, size_t size);
void *nsg_realloc(void *p, size_t n);
char *nsg_strdup(const char *s);
char *nsg_strndup(const char *s, size_t n);
char *nsg_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Checked base-10 parse of a whole string into [min, max]. */
int nsg_parse_long(const char *s, long min, long max, long *ret_value);

/* The whole of s as an unsigned decimal number of at most UINT32_MAX: digits
 * only (no sign, no blanks, leading zeros allowed). */
int nsg_parse_u32(const char *s, uint32_t *ret_value);

/* Read all of the open regular file fd (named path in messages), at most max_size bytes. */
int nsg_read_fd(int fd, const char *path, size_t max_size, char **ret_buf, size_t *ret_len, struct nsg_err *err);

/* Read a whole regular file (O_CLOEXEC, O_NONBLOCK: a FIFO is refused, never
 * waited on) of at most max_size bytes, NUL-terminated.
 * If ret_st is non-NULL it receives the fstat() of the descriptor that was read. */
struct stat;
int nsg_read_file(const char *path, size_t max_size, char **ret_buf, size_t *ret_len, struct stat *ret_st,
		  struct nsg_err *err);

/* path made absolute against the current directory ("" and NULL: the
 * directory itself). Fails, saying why, when the directory cannot be named
 * (removed, unreachable, longer than PATH_MAX): a relative path is then not
 * certain. */
int nsg_absolute(const char *path, char **ret, struct nsg_err *err);

/* 1-based line number of byte offset off in buf. */
unsigned nsg_line_of(const char *buf, size_t len, size_t off);

#endif
