/* test-gojson.c - gojson_prescan() (SPEC.md section 3: bytes Go and yajl
 * would read differently are refused before yajl sees them) at every
 * position relative to the eight-byte words its fast path skips.
 *
 * The fast path may only skip bytes the prescan has nothing to check in. For
 * each byte that needs a look (a UTF-8 lead byte, a backslash, \v, \f) and
 * each offset of it in a run of plain bytes longer than two words, the
 * verdict must be the one the byte alone deserves: refused where it is
 * invalid, accepted where it is valid. A word test that passed a special
 * byte would skip it and accept what must be refused.
 */
#include "gojson.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN 40 /* plain bytes around the one under test: five words */

struct probe {
	const char *what;
	const char *bytes;   /* inserted at each offset */
	const char *refusal; /* NULL: accepted */
};

static const struct probe probes[] = {
	{ "a two-byte UTF-8 sequence", "\xC3\xA9", NULL },
	{ "a four-byte UTF-8 sequence", "\xF0\x9F\x98\x80", NULL },
	{ "a stray continuation byte", "\x80", "invalid UTF-8 (byte 0x80)" },
	{ "a byte that is never UTF-8", "\xFF", "invalid UTF-8 (byte 0xFF)" },
	{ "a truncated sequence", "\xE2\x82", "invalid UTF-8 (byte 0xE2)" },
	{ "an escaped newline", "\\n", NULL },
	{ "an escaped letter", "\\u00e9", NULL },
	{ "an escaped NUL", "\\u0000", "\\u0000 in a string" },
	{ "an unpaired surrogate escape", "\\ud800", "unpaired UTF-16 surrogate" },
	{ "a vertical tab", "\v", "control character 0x0B" },
	{ "a form feed", "\f", "control character 0x0C" },
};

/* "{"x":"<RUN plain bytes, with bytes inserted at off>"}" */
static size_t probe_doc(char *doc, size_t size, const char *bytes, size_t off)
{
	size_t n = strlen(bytes), len = 0;

	if (6 + RUN + n + 2 > size)
		abort(); /* a probe longer than this test's buffer: the test is wrong */
	memcpy(doc + len, "{\"x\":\"", 6);
	len += 6;
	memset(doc + len, 'a', RUN + n);
	memcpy(doc + len + off, bytes, n);
	len += RUN + n;
	memcpy(doc + len, "\"}", 2);
	len += 2;
	return len;
}

static void test_every_offset(void)
{
	for (size_t p = 0; p < NSG_ARRAY_SIZE(probes); p++) {
		const struct probe *t = &probes[p];
		size_t wrong = 0;

		for (size_t off = 0; off <= RUN; off++) {
			char doc[RUN + 64];
			struct nsg_err err = { .msg = "" };
			size_t len = probe_doc(doc, sizeof(doc), t->bytes, off);
			int r = gojson_prescan(doc, len, &err);

			if (t->refusal ? r == 0 || !strstr(err.msg, t->refusal) : r != 0) {
				printf("# %s at offset %zu: r=%d, %s\n", t->what, off, r, err.msg);
				wrong++;
			}
		}
		is_int(wrong, 0, "SPEC 3: %s is %s at each of %d offsets in plain text", t->what,
		       t->refusal ? "refused" : "accepted", RUN + 1);
	}
}

/* The tail after the last whole word is read a byte at a time. */
static void test_short_inputs(void)
{
	struct nsg_err err = { .msg = "" };

	ok(gojson_prescan("", 0, &err) == 0, "SPEC 3: an empty input has nothing to refuse");
	ok(gojson_prescan("\v", 1, &err) < 0, "SPEC 3: a one-byte \\v is refused");
	ok(gojson_prescan("1234567\f", 8, &err) < 0, "SPEC 3: \\f as the last byte of one word is refused");
	ok(gojson_prescan("12345678\f", 9, &err) < 0, "SPEC 3: \\f just after a whole word is refused");
	ok(gojson_prescan("{\"a\":\"bcdefghij\"}", 17, &err) == 0, "SPEC 3: plain words and a tail are accepted");
}

int main(void)
{
	test_every_offset();
	test_short_inputs();
	return tap_done();
}
