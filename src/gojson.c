/* gojson.c - see gojson.h.
 *
 *  - Go replaces invalid UTF-8 and unpaired UTF-16 surrogate escapes with
 *    U+FFFD; yajl passes raw bytes through, turns a lone high surrogate into
 *    '?', and decodes a high surrogate followed by any escape as a pair. So a
 *    path could differ: all of these are refused.
 *  - yajl accepts \v and \f between tokens and decodes \u0000 into a NUL
 *    byte that would truncate a C string; Go does neither. Refused.
 *  - Go matches object keys to struct fields exactly, else case-insensitively
 *    with two extra folds: U+017F (long s) = s and U+212A (Kelvin sign) = k.
 *    Go <= 1.20 (fold.go: simpleLetterEqualFold/equalFoldRight) and Go >= 1.21
 *    (fold.go: foldName, the smallest rune of each unicode.SimpleFold orbit)
 *    agree on this for every key. Other case mappings also turn U+0130 and
 *    U+0131 into "i"/"I"; Go does not, and a key that relies on the difference
 *    is reported as ambiguous so that the caller refuses it.
 */
#include "gojson.h"

#include <stdint.h>
#include <string.h>

#include "escape.h"
#include "json.h"

/* Non-ASCII runes that a case mapping turns into an ASCII letter. Go folds
 * the first two (unicode.SimpleFold orbits of 's' and 'k'); unicode.ToLower
 * and ToUpper also map the last two to 'i'/'I', Go's key matching does not. */
static const struct gojson_fold gojson_extra_folds[] = {
	{ 0x017F, 's', true, "LATIN SMALL LETTER LONG S" },
	{ 0x212A, 'k', true, "KELVIN SIGN" },
	{ 0x0130, 'i', false, "LATIN CAPITAL LETTER I WITH DOT ABOVE" },
	{ 0x0131, 'i', false, "LATIN SMALL LETTER DOTLESS I" },
};

static uint32_t gojson_utf8_decode(const unsigned char *p, size_t n)
{
	static const unsigned char lead_mask[] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	uint32_t r = p[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		r = (r << 6) | (p[i] & 0x3F);
	return r;
}

static int gojson_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 4 hex digits at p as a number, or -1. */
static long gojson_hex4(const unsigned char *p, size_t avail)
{
	long v = 0;

	if (avail < 4)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		int d = gojson_hex_digit(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A backslash only occurs inside strings in valid JSON; *i is at one.
 * Malformed escapes are skipped here and reported by yajl. */
static int gojson_prescan_escape(const unsigned char *b, size_t len, size_t *i, struct nsg_err *err)
{
	size_t at = *i;
	long u, low;

	if (at + 1 >= len || b[at + 1] != 'u' || (u = gojson_hex4(b + at + 2, len - at - 2)) < 0) {
		/* Step over the escaped byte, unless it starts a UTF-8 sequence
		 * that the caller must still validate. */
		*i += at + 1 < len && b[at + 1] >= 0x80 ? 1 : 2;
		return 0;
	}
	if (u == 0)
		return json_fail_line(
			err, (const char *)b, len, at,
			"\\u0000 in a string: a NUL would cut the string short for nsguard but not for runc");
	if (u >= 0xD800 && u <= 0xDBFF) {
		low = at + 7 < len && b[at + 6] == '\\' && b[at + 7] == 'u' ? gojson_hex4(b + at + 8, len - at - 8)
									    : -1;
		if (low >= 0xDC00 && low <= 0xDFFF) {
			*i += 12;
			return 0;
		}
	}
	if (u >= 0xD800 && u <= 0xDFFF)
		return json_fail_line(
			err, (const char *)b, len, at,
			"unpaired UTF-16 surrogate \\u%04lX in a string (Go and nsguard would decode it differently)",
			u);
	*i += 6;
	return 0;
}

/* Bytes the prescan has nothing to check in: ASCII but the backslash and the
 * two control characters yajl accepts between tokens and Go does not. Most of
 * a config.json is these; skipping them in a tight loop keeps the prescan
 * from costing more than the parse (SPEC.md section 12). */
static bool gojson_plain_byte(unsigned char c)
{
	return c < 0x80 && c != '\\' && c != '\v' && c != '\f';
}

/* Eight plain bytes at once: none with the high bit set, none equal to '\\',
 * '\v' or '\f' (a byte of x ^ c is zero exactly where x has c; the classic
 * test (v - 0x01..) & ~v & 0x80.. finds whether any byte of v is zero). The
 * prescan reads every byte of the file, in the sandboxed child, on every
 * create: a byte at a time it cost as much as a third of the parse. */
static bool gojson_plain_word(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t x, bs, vt, ff;

	memcpy(&x, p, sizeof(x));
	bs = x ^ (ones * '\\');
	vt = x ^ (ones * '\v');
	ff = x ^ (ones * '\f');
	return ((x | ((bs - ones) & ~bs) | ((vt - ones) & ~vt) | ((ff - ones) & ~ff)) & highs) == 0;
}

int gojson_prescan(const char *buf, size_t len, struct nsg_err *err)
{
	const unsigned char *b = (const unsigned char *)buf;

	if (len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
		return json_fail_line(
			err, buf, len, 0,
			"the file starts with a UTF-8 byte order mark, which runc's JSON decoder rejects");
	for (size_t i = 0; i < len;) {
		size_t n;

		while (len - i >= 8 && gojson_plain_word(b + i))
			i += 8;
		while (i < len && gojson_plain_byte(b[i]))
			i++;
		if (i == len)
			break;
		n = nsg_utf8_len(b + i, len - i);

		if (n == 0)
			return json_fail_line(err, (const char *)b, len, i, "invalid UTF-8 (byte 0x%02X)", b[i]);
		if (b[i] == '\\') {
			if (gojson_prescan_escape(b, len, &i, err) < 0)
				return -1;
			continue;
		}
		if (b[i] == '\v' || b[i] == '\f')
			return json_fail_line(
				err, (const char *)b, len, i,
				"control character 0x%02X: JSON allows only space, tab, CR and LF between tokens",
				b[i]);
		i += n;
	}
	return 0;
}

static const struct gojson_fold *gojson_extra_fold_of(uint32_t r)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(gojson_extra_folds); i++)
		if (gojson_extra_folds[i].rune == r)
			return &gojson_extra_folds[i];
	return NULL;
}

/* See gojson.h. GOJSON_AMBIGUOUS:
 * only through a fold Go does not make (*ret_fold says which). */
enum gojson_match gojson_match_key(const unsigned char *key, size_t len, const char *name,
				   const struct gojson_fold **ret_fold)
{
	bool ambiguous = false;
	size_t i = 0;

	for (const char *n = name; *n; n++) {
		const struct gojson_fold *f;
		size_t sz;

		if (i >= len)
			return GOJSON_NO_MATCH;
		if (key[i] < 0x80) {
			unsigned char c = key[i] >= 'A' && key[i] <= 'Z' ? key[i] + ('a' - 'A') : key[i];

			if (c != (unsigned char)*n)
				return GOJSON_NO_MATCH;
			i++;
			continue;
		}
		sz = nsg_utf8_len(key + i, len - i);
		f = sz ? gojson_extra_fold_of(gojson_utf8_decode(key + i, sz)) : NULL;
		if (!f || f->letter != *n)
			return GOJSON_NO_MATCH;
		if (!f->go_folds) {
			ambiguous = true;
			*ret_fold = f;
		}
		i += sz;
	}
	if (i != len)
		return GOJSON_NO_MATCH;
	return ambiguous ? GOJSON_AMBIGUOUS : GOJSON_FIELD;
}

/* --- strings read from their raw bytes ------------------------------------ */

void gojson_string_open(struct gojson_string *s, const char *buf, size_t len, size_t off)
{
	const unsigned char *b = (const unsigned char *)buf;

	*s = (struct gojson_string){ .p = b + (off < len ? off + 1 : len), .end = b + len };
}

static unsigned gojson_utf8_encode(uint32_t r, unsigned char *out)
{
	if (r < 0x80) {
		out[0] = (unsigned char)r;
		return 1;
	}
	if (r < 0x800) {
		out[0] = (unsigned char)(0xC0 | r >> 6);
		out[1] = (unsigned char)(0x80 | (r & 0x3F));
		return 2;
	}
	if (r < 0x10000) {
		out[0] = (unsigned char)(0xE0 | r >> 12);
		out[1] = (unsigned char)(0x80 | (r >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (r & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | r >> 18);
	out[1] = (unsigned char)(0x80 | (r >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (r >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (r & 0x3F));
	return 4;
}

/* The rune of the escape at s->p (a backslash), moving s->p past it. The
 * prescan and yajl let only well-formed escapes through, and no lone
 * surrogate; anything else reads as U+FFFD, Go's replacement. */
static uint32_t gojson_string_escape(struct gojson_string *s)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t avail = (size_t)(s->end - s->p);
	const char *simple;
	long u, low = -1;

	if (avail < 2) {
		s->p = s->end;
		return 0xFFFD;
	}
	if (s->p[1] != 'u') {
		simple = memchr(from, s->p[1], sizeof(from) - 1);
		s->p += 2;
		return simple ? (unsigned char)to[simple - from] : 0xFFFD;
	}
	if ((u = gojson_hex4(s->p + 2, avail - 2)) < 0) {
		s->p += 2;
		return 0xFFFD;
	}
	s->p += 6;
	if (u < 0xD800 || u > 0xDFFF)
		return (uint32_t)u;
	if (u <= 0xDBFF && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u')
		low = gojson_hex4(s->p + 2, 4);
	if (low < 0xDC00 || low > 0xDFFF)
		return 0xFFFD;
	s->p += 6;
	return 0x10000 + ((uint32_t)(u - 0xD800) << 10) + (uint32_t)(low - 0xDC00);
}

size_t gojson_string_read(struct gojson_string *s, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (n < cap) {
		if (s->i_pending < s->n_pending) {
			out[n++] = s->pending[s->i_pending++];
			continue;
		}
		if (s->p >= s->end || *s->p == '"')
			break;
		if (*s->p != '\\') {
			out[n++] = *s->p++;
			continue;
		}
		s->n_pending = gojson_utf8_encode(gojson_string_escape(s), s->pending);
		s->i_pending = 0;
	}
	return n;
}
