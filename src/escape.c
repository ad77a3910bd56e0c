/* escape.c - see escape.h */
#include "escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* RFC 3629, table 3-7 of the Unicode standard: the narrowed second-byte
 * ranges after 0xe0, 0xed, 0xf0 and 0xf4 exclude overlong forms, surrogates
 * and code points above U+10FFFF. */
size_t nsg_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Is the valid sequence p[0..len) safe to print as it is? */
static int escape_printable(const unsigned char *p, size_t len)
{
	if (len == 1)
		return p[0] >= 0x20 && p[0] != 0x7f && p[0] != '\\';
	if (len == 2)
		return !(p[0] == 0xc2 && p[1] <= 0x9f); /* C1 controls */
	if (len == 3)
		return !(p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)); /* U+2028, U+2029 */
	return 1;
}

char *nsg_escape_len(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char *ret, *o;

	if (len > (SIZE_MAX - 1) / 4)
		abort();
	ret = o = nsg_malloc(len * 4 + 1);
	for (size_t i = 0; i < len;) {
		size_t n = nsg_utf8_len(p + i, len - i);

		if (n > 0 && escape_printable(p + i, n)) {
			memcpy(o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		/* A valid but unprintable sequence is escaped whole; an
		 * invalid one only its first byte: the next byte may start a
		 * valid sequence of its own. */
		for (size_t end = i + (n ? n : 1); i < end; i++) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[p[i] >> 4];
			*o++ = hex[p[i] & 0xf];
		}
	}
	*o = '\0';
	return ret;
}

char *nsg_escape(const char *s)
{
	return s ? nsg_escape_len(s, strlen(s)) : NULL;
}

char *nsg_cut(const char *s, size_t len, size_t max)
{
	bool cut = len > max;
	char *ret;

	if (cut) {
		len = max;
		/* Back to the start of the sequence the cut falls into. */
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	ret = nsg_malloc(len + (cut ? 3 : 0) + 1);
	memcpy(ret, s, len);
	memcpy(ret + len, cut ? "..." : "", cut ? 4 : 1);
	return ret;
}
