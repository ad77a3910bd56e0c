/* buf.h - the one growable byte buffer.
 *
 * Messages, JSON records, the sandbox's result and every other text nsguard
 * builds piece by piece grow through these functions, so the growth rule
 * (doubling, overflow aborts) and the NUL terminator exist once. The data is
 * always NUL-terminated after the first put, also when it holds NUL bytes.
 */
#ifndef NSGUARD_BUF_H
#define NSGUARD_BUF_H

#include <stddef.h>

struct nsg_buf {
	char *data; /* NULL until the first put */
	size_t len;
	size_t cap;
};

void buf_put(struct nsg_buf *b, const void *p, size_t n);
void buf_putc(struct nsg_buf *b, char c);
void buf_puts(struct nsg_buf *b, const char *s);
/* Room for at least n more bytes, to be filled by the caller (read() into
 * it), who then calls buf_grew() with how many it wrote there. */
char *buf_room(struct nsg_buf *b, size_t n);
void buf_grew(struct nsg_buf *b, size_t n);
void buf_printf(struct nsg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* buf_printf(), preceded by sep when b already holds something: "a; b; c". */
void buf_join(struct nsg_buf *b, const char *sep, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The data, handed to the caller ("" for a buffer nothing was put into); b is empty again. */
char *buf_steal(struct nsg_buf *b);

void buf_free(struct nsg_buf *b);

#define cleanup_buf __attribute__((cleanup(buf_free)))

#endif
