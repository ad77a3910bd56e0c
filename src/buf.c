/* buf.c - see buf.h */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Room for n more bytes and the terminator. */
static void buf_reserve(struct nsg_buf *b, size_t n)
{
	size_t need;

	if (n > SIZE_MAX - b->len - 1)
		abort();
	need = b->len + n + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 128;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : 2 * b->cap;
	b->data = nsg_realloc(b->data, b->cap);
}

void buf_put(struct nsg_buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

char *buf_room(struct nsg_buf *b, size_t n)
{
	buf_reserve(b, n);
	return b->data + b->len;
}

void buf_grew(struct nsg_buf *b, size_t n)
{
	if (n > b->cap - b->len - 1)
		abort();
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_putc(struct nsg_buf *b, char c)
{
	buf_put(b, &c, 1);
}

void buf_puts(struct nsg_buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 0))) static void buf_vprintf(struct nsg_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		abort();
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct nsg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_join(struct nsg_buf *b, const char *sep, const char *fmt, ...)
{
	va_list ap;

	if (b->len > 0)
		buf_puts(b, sep);
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_steal(struct nsg_buf *b)
{
	char *ret = b->data ? b->data : nsg_strdup("");

	*b = (struct nsg_buf){ 0 };
	return ret;
}

void buf_free(struct nsg_buf *b)
{
	free(b->data);
	*b = (struct nsg_buf){ 0 };
}
