/* test-escape.c - nsg_escape(): what reaches any output from outside (SPEC.md section 8). */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "tap.h"
#include "util.h"

/* One row: the input bytes (len of them: a NUL may be among them) and the
 * exact output. Inputs are written with C escapes, outputs literally. */
struct row {
	const char *what;
	const char *in;
	size_t len;
	const char *want;
};

#define ROW(what, in, want)                                                                                            \
	{                                                                                                              \
		what, in, sizeof(in) - 1, want                                                                         \
	}

static const struct row rows[] = {
	/* printable ASCII passes */
	ROW("empty", "", ""),
	ROW("printable ASCII", "/run/netns/x y-Z_0~", "/run/netns/x y-Z_0~"),
	ROW("quotes are not the escaper's business", "say \"hi\" 'x'", "say \"hi\" 'x'"),
	/* C0 controls and DEL */
	ROW("NUL", "a\0b", "a\\x00b"),
	ROW("newline", "x\ny", "x\\x0ay"),
	ROW("carriage return", "x\ry", "x\\x0dy"),
	ROW("tab", "x\ty", "x\\x09y"),
	ROW("ESC sequence", "\x1b[32mallowed", "\\x1b[32mallowed"),
	ROW("0x01 and 0x1f", "\x01\x1f", "\\x01\\x1f"),
	ROW("DEL", "a\x7f", "a\\x7f"),
	/* the backslash itself, so that an escape cannot be forged */
	ROW("backslash", "a\\b", "a\\x5cb"),
	ROW("a forged escape", "\\x0a", "\\x5cx0a"),
	/* valid UTF-8 of every length passes */
	ROW("2 bytes: U+00E9", "caf\xc3\xa9", "caf\xc3\xa9"),
	ROW("2 bytes: U+00A0, first after C1", "\xc2\xa0", "\xc2\xa0"),
	ROW("2 bytes: U+07FF", "\xdf\xbf", "\xdf\xbf"),
	ROW("3 bytes: U+0800", "\xe0\xa0\x80", "\xe0\xa0\x80"),
	ROW("3 bytes: U+20AC", "\xe2\x82\xac", "\xe2\x82\xac"),
	ROW("3 bytes: U+D7FF, last before surrogates", "\xed\x9f\xbf", "\xed\x9f\xbf"),
	ROW("3 bytes: U+E000, first after surrogates", "\xee\x80\x80", "\xee\x80\x80"),
	ROW("3 bytes: U+2027, next to the separators", "\xe2\x80\xa7", "\xe2\x80\xa7"),
	ROW("3 bytes: U+FFFD", "\xef\xbf\xbd", "\xef\xbf\xbd"),
	ROW("4 bytes: U+10000", "\xf0\x90\x80\x80", "\xf0\x90\x80\x80"),
	ROW("4 bytes: U+1F600", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	ROW("4 bytes: U+10FFFF", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"),
	/* C1 controls: valid UTF-8, but terminals obey them */
	ROW("C1: U+0080", "\xc2\x80", "\\xc2\\x80"),
	ROW("C1: U+009B (CSI)",
	    "\xc2\x9b"
	    "31m",
	    "\\xc2\\x9b31m"),
	ROW("C1: U+009F", "\xc2\x9f", "\\xc2\\x9f"),
	/* line and paragraph separators */
	ROW("U+2028",
	    "a\xe2\x80\xa8"
	    "b",
	    "a\\xe2\\x80\\xa8b"),
	ROW("U+2029",
	    "a\xe2\x80\xa9"
	    "b",
	    "a\\xe2\\x80\\xa9b"),
	/* invalid UTF-8: each byte that starts no valid sequence */
	ROW("lone continuation byte",
	    "a\x80"
	    "b",
	    "a\\x80b"),
	ROW("0xff and 0xfe", "\xff\xfe", "\\xff\\xfe"),
	ROW("0xc0, 0xc1: overlong 2-byte leads", "\xc0\xaf\xc1\xbf", "\\xc0\\xaf\\xc1\\xbf"),
	ROW("overlong 3 bytes (U+002F)", "\xe0\x80\xaf", "\\xe0\\x80\\xaf"),
	ROW("overlong 4 bytes (U+FFFF)", "\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf"),
	ROW("surrogate U+D800", "\xed\xa0\x80", "\\xed\\xa0\\x80"),
	ROW("surrogate U+DFFF", "\xed\xbf\xbf", "\\xed\\xbf\\xbf"),
	ROW("above U+10FFFF (U+110000)", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"),
	ROW("0xf5 lead", "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80"),
	ROW("truncated 2 bytes at the end", "a\xc3", "a\\xc3"),
	ROW("truncated 3 bytes at the end", "a\xe2\x82", "a\\xe2\\x82"),
	ROW("truncated 4 bytes at the end", "a\xf0\x9f\x98", "a\\xf0\\x9f\\x98"),
	ROW("truncated, then ASCII", "\xe2\x82x", "\\xe2\\x82x"),
	ROW("truncated, then a valid sequence", "\xe2\xc3\xa9", "\\xe2\xc3\xa9"),
	ROW("truncated by a newline", "\xc3\n", "\\xc3\\x0a"),
	/* the forged line */
	ROW("forged green line", "/run/netns/x\x1b[32mallowed\ny\xff", "/run/netns/x\\x1b[32mallowed\\x0ay\\xff"),
};

/* bytes as C-style hex, so that a failure prints both values readably */
static char *hexdump(const char *s, size_t len)
{
	char *ret = nsg_malloc(len * 4 + 1), *o = ret;

	for (size_t i = 0; i < len; i++)
		o += sprintf(o, "\\%02x", (unsigned char)s[i]);
	*o = '\0';
	return ret;
}

static void test_rows(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		cleanup_free char *got = nsg_escape_len(r->in, r->len);
		int eq = strcmp(got, r->want) == 0;

		if (!ok(eq, "SPEC 8: %s", r->what)) {
			cleanup_free char *in = hexdump(r->in, r->len);
			cleanup_free char *g = hexdump(got, strlen(got));
			cleanup_free char *w = hexdump(r->want, strlen(r->want));

			printf("#   input:    %s\n#   got:      %s\n#   expected: %s\n", in, g, w);
		}
	}
}

/* Whatever the input, the output is one printable line: no byte below 0x20,
 * no DEL, and nothing a second escape would change but its backslashes. */
static void test_every_byte(void)
{
	int clean = 1;

	for (int b = 0; b < 256; b++) {
		char in[2] = { (char)b, 'z' };
		cleanup_free char *got = nsg_escape_len(in, sizeof(in));

		for (const unsigned char *p = (const unsigned char *)got; *p; p++)
			if (*p < 0x20 || *p == 0x7f || *p >= 0x80)
				clean = 0;
	}
	ok(clean, "SPEC 8: no single byte followed by ASCII survives as a control or non-ASCII byte");
}

static void test_null_and_strlen(void)
{
	cleanup_free char *got = nsg_escape("tab\there");

	ok(nsg_escape(NULL) == NULL, "SPEC 8: NULL in, NULL out");
	is_str(got, "tab\\x09here", "SPEC 8: nsg_escape is nsg_escape_len of strlen");
}

/* SPEC 8: quoted text is shortened one way: at most max bytes, never inside
 * a UTF-8 sequence, "..." where cut. */
static void test_cut(void)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want;
	} cut_rows[] = {
		{ "short", 64, "short" },
		{ "abcdef", 6, "abcdef" },
		{ "abcdefg", 6, "abcdef..." },
		{ "ab\xc3\xa9", 3, "ab..." },				/* U+00E9 is not split */
		{ "a\xe2\x82\xac\xe2\x82\xac", 5, "a\xe2\x82\xac..." }, /* U+20AC twice */
		{ "x", 0, "..." },
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(cut_rows); i++) {
		cleanup_free char *got = nsg_cut(cut_rows[i].in, strlen(cut_rows[i].in), cut_rows[i].max);

		is_str(got, cut_rows[i].want, "SPEC 8: nsg_cut row %zu (max %zu)", i, cut_rows[i].max);
	}
}

/* One UTF-8 rule (RFC 3629) for the escaper and the Go-compatibility prescan. */
static void test_utf8_len(void)
{
	static const struct {
		const char *in;
		size_t want;
	} utf8_rows[] = {
		{ "a", 1 },	   { "\xc3\xa9", 2 },	  { "\xe2\x82\xac", 3 },     { "\xf0\x9f\x98\x80", 4 },
		{ "\xc0\x80", 0 }, { "\xed\xa0\x80", 0 }, { "\xf4\x90\x80\x80", 0 }, { "\x80", 0 },
		{ "\xe2\x82", 0 },
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(utf8_rows); i++)
		is_int(nsg_utf8_len((const unsigned char *)utf8_rows[i].in, strlen(utf8_rows[i].in)), utf8_rows[i].want,
		       "SPEC 3, 8: nsg_utf8_len row %zu", i);
}

int main(void)
{
	test_rows();
	test_cut();
	test_utf8_len();
	test_every_byte();
	test_null_and_strlen();
	return tap_done();
}
