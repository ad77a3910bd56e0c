/* test-json.c - the one JSON reading layer under config.json (SPEC.md
 * section 3), the policy file (section 5) and the runtime state files `nsguard
 * audit` reads (section 9).
 *
 * A recording reader turns the events into a trace: "{" and "[" for a
 * container that opens, "}" for one that ends, "k:NAME" for a key, "n:TEXT",
 * "s:TEXT", "b:1", "null" for scalars, separated by spaces. Its behaviour is
 * steered by the document: a key "skip" skips the container that is its value,
 * a key "fail" fails the parse at the value, a string "want-string" checks the
 * values after it for type.
 */
#include "json.h"
#include "tap.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct rec {
	struct json_reader json;
	struct nsg_buf trace;
	bool skip_next; /* the value of a "skip" key */
	bool fail_next; /* the value of a "fail" key */
	bool want_string;
	size_t fail_off; /* json_fail_at() this offset on "fail"; 0: json_fail() */
	bool fail_silently;
	bool fail_first; /* fail at the first value, whatever it is */
};

/* s[0..len) into the trace, a NUL byte as "\0". */
static void rec_put(struct nsg_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i])
			buf_putc(b, s[i]);
		else
			buf_puts(b, "\\0");
}

static int rec_value(struct json_reader *r, const struct json_value *v)
{
	struct rec *c = r->data;
	bool skip = c->skip_next, fail = c->fail_next || c->fail_first;
	static const char *const names[] = { "null", "b", "n", "s", "{", "[" };

	c->skip_next = c->fail_next = false;
	if (fail && c->fail_silently)
		return -1;
	if (fail && c->fail_off)
		return json_fail_at(r, c->fail_off, "failed at offset %zu", c->fail_off);
	if (fail)
		return json_fail(r, "failed here");
	if (c->want_string && v->type != JSON_STRING)
		return json_fail_type(r, "\"value\"", json_type_wanted(JSON_STRING), v->type);
	buf_join(&c->trace, " ", "%s", names[v->type]);
	if (v->type == JSON_NUMBER || v->type == JSON_STRING) {
		buf_putc(&c->trace, ':');
		rec_put(&c->trace, v->s, v->len);
	}
	if (v->type == JSON_BOOL)
		buf_printf(&c->trace, ":%d", v->b);
	if (v->type == JSON_STRING && v->len == 11 && memcmp(v->s, "want-string", 11) == 0)
		c->want_string = true;
	if (skip)
		json_skip(r);
	return 0;
}

static int rec_key(struct json_reader *r, const char *key, size_t len)
{
	struct rec *c = r->data;

	buf_join(&c->trace, " ", "k:%.*s", (int)len, key);
	c->skip_next = len == 4 && memcmp(key, "skip", 4) == 0;
	c->fail_next = len == 4 && memcmp(key, "fail", 4) == 0;
	return 0;
}

static int rec_end(struct json_reader *r)
{
	struct rec *c = r->data;

	buf_join(&c->trace, " ", "}");
	return 0;
}

static const struct json_events rec_events = {
	.value = rec_value,
	.key = rec_key,
	.end = rec_end,
	.max_depth = 4,
};

/* Parse s with the recording reader: the trace, or "error: MESSAGE". The caller frees it. */
static char *run(const char *s, size_t len, struct rec *c)
{
	struct nsg_err err = { .msg = "" };

	if (json_parse(&c->json, s, len, &rec_events, c, &err) < 0) {
		buf_free(&c->trace);
		return nsg_asprintf("error: %s", err.msg);
	}
	return buf_steal(&c->trace);
}

#define J(s) s, sizeof(s) - 1

static const struct {
	const char *name;
	const char *json;
	size_t len;
	const char *want; /* exact trace, or the whole "error: ..." */
} cases[] = {
	/* Events. */
	{ "SPEC 3: every event, in document order", J("{\"a\": [1, -0.5e3, \"x\", true, false, null], \"b\": {}}"),
	  "{ k:a [ n:1 n:-0.5e3 s:x b:1 b:0 null } k:b { } }" },
	{ "SPEC 3: a top-level scalar", J(" \"x\" "), "s:x" },
	{ "SPEC 3: strings decoded, \\u0000 included", J("[\"a\\u00e9\\n\\u0000b\"]"), "[ s:a\xC3\xA9\n\\0b }" },
	/* Numbers reach the reader as written, for it to convert exactly. */
	{ "SPEC 3: numbers as their text", J("[0, -0, 1.50, 1E3, 18446744073709551617, 4294967296]"),
	  "[ n:0 n:-0 n:1.50 n:1E3 n:18446744073709551617 n:4294967296 }" },

	/* Skipping the container that just opened. */
	{ "SPEC 3: a skipped object: no events for its contents or its end",
	  J("{\"skip\": {\"a\": [1, {\"b\": 2}], \"c\": null}, \"d\": 3}"), "{ k:skip { k:d n:3 }" },
	{ "SPEC 3: a skipped array", J("{\"skip\": [[], [1], {}], \"d\": [4]}"), "{ k:skip [ k:d [ n:4 } }" },
	{ "SPEC 3: skipping a scalar changes nothing", J("{\"skip\": 1, \"d\": 2}"), "{ k:skip n:1 k:d n:2 }" },
	{ "SPEC 3: events resume at the same depth after a skip", J("[{\"skip\": {\"x\": {}}}, {\"e\": 5}]"),
	  "[ { k:skip { } { k:e n:5 } }" },

	/* Depth: max_depth 4 here, the top level counting; skipped containers count too. */
	{ "SPEC 3: nesting at the limit", J("[[[[]]]]"), "[ [ [ [ } } } }" },
	{ "SPEC 3: one level over the limit", J("[[[[\n[]]]]]"),
	  "error: line 2: JSON nesting is deeper than 4 levels" },
	{ "SPEC 3: the limit counts inside skipped containers", J("{\"skip\": [[\n[[]]]]}"),
	  "error: line 2: JSON nesting is deeper than 4 levels" },

	/* Syntax errors: one wording, the line where yajl stopped. */
	{ "SPEC 3, 5: a syntax error mid-file names its line", J("{\n\"a\": 1,\n\"b\" 2\n}"),
	  "error: line 3: malformed JSON: parse error: object key and value must be separated by a colon (':')" },
	{ "SPEC 3: trailing data", J("{}\n\nx"), "error: line 3: malformed JSON: parse error: trailing garbage" },
	{ "SPEC 3: two values", J("1 2"), "error: line 1: malformed JSON: parse error: trailing garbage" },
	{ "SPEC 5: comments are refused", J("{\n/* c */}"),
	  "error: line 2: malformed JSON: lexical error: probable comment found in input text, comments are not "
	  "enabled" },
	{ "SPEC 3: strings are validated as UTF-8", J("[\n\"\xFF\"]"),
	  "error: line 2: malformed JSON: lexical error: invalid bytes in UTF8 string" },
	/* At the end of input: the last line that holds anything. */
	{ "SPEC 3, 5: a premature end is on the last non-blank line", J("{\n\"a\": [1,\n\n  \n"),
	  "error: line 2: malformed JSON: parse error: premature EOF" },
	{ "SPEC 3: a premature end without trailing blanks", J("{\n\"a\""),
	  "error: line 2: malformed JSON: parse error: premature EOF" },
	{ "SPEC 3: blank input: at its end", J("\n\n"), "error: line 3: malformed JSON: parse error: premature EOF" },
	{ "SPEC 3: empty input", J(""), "error: line 1: malformed JSON: parse error: premature EOF" },

	/* Failing from an event: "line N: " of where the parse is. */
	{ "SPEC 5: json_fail() from a value names the value's line", J("{\"a\": 1,\n\"fail\":\n\n 2}"),
	  "error: line 4: failed here" },

	/* Type checks: one table of names, one wording. */
	{ "SPEC 5: wrong type: as wanted and as found", J("[\"want-string\", true]"),
	  "error: line 1: \"value\" must be a string, not a boolean" },
	{ "SPEC 5: wrong type: an object", J("[\"want-string\",\n{}]"),
	  "error: line 2: \"value\" must be a string, not an object" },
	{ "SPEC 5: wrong type: a number", J("[\"want-string\", 1]"),
	  "error: line 1: \"value\" must be a string, not a number" },
	{ "SPEC 3: null in an array is the wrong type", J("[\"want-string\", null]"),
	  "error: line 1: \"value\" must be a string, not null" },
};

static void test_cases(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		cleanup_free char *got = run(cases[i].json, cases[i].len, &(struct rec){ 0 });

		is_str(got, cases[i].want, "%s", cases[i].name);
	}
}

/* The cases a table cannot say: the "silent" key and null after a key
 * (json_fail_type() with want-string set from a nested array). */
static void test_silent_and_null(void)
{
	struct rec c = { 0 };
	cleanup_free char *a = NULL, *b = NULL;
	const char *doc = "{\"a\": [\"want-string\"],\n\"k\": null}";

	c.fail_silently = true;
	a = run(J("{\n\"fail\": 1}"), &c);
	is_str(a, "error: line 2: the document was refused", "SPEC 5: an event failing silently still names its line");
	b = run(doc, strlen(doc), &(struct rec){ 0 });
	is_str(b, "error: line 2: \"value\" is null; give a string or remove the key",
	       "SPEC 3, 5: null for a key: give the value or remove the key");
}

static void test_fail_at(void)
{
	cleanup_free char *completing = run(J("\n\n12\n\n"), &(struct rec){ .fail_first = true });
	const char *doc = "{\n\"x\": 1,\n\"fail\": 2\n}";
	struct rec c = { .fail_off = 2 }; /* the '"' of "x" */
	cleanup_free char *got = run(doc, strlen(doc), &c);
	struct nsg_err err;

	is_str(got, "error: line 2: failed at offset 2", "SPEC 3: json_fail_at() names the line of its offset");
	/* yajl delivers a top-level number only when it completes the parse. */
	is_str(completing, "error: line 3: failed here",
	       "SPEC 3: json_fail() while completing: the last non-blank line");
	is_int(json_fail_line(&err, "a\nb\nc", 5, 4, "at %s", "c"), -1, "json_fail_line() returns -1");
	is_str(err.msg, "line 3: at c", "SPEC 3: json_fail_line() outside a parse (the prescan)");
	json_fail_line(&err, "a\n", 2, 2, "end");
	is_str(err.msg, "line 2: end", "json_fail_line() at the end of input");
}

static void test_type_names(void)
{
	is_str(json_type_wanted(JSON_BOOL), "true or false", "SPEC 5: a boolean as wanted");
	is_str(json_type_found(JSON_BOOL), "a boolean", "SPEC 5: a boolean as found");
	is_str(json_type_wanted(JSON_OBJECT), "an object", "an object as wanted");
	is_str(json_type_found(JSON_ARRAY), "an array", "an array as found");
	is_str(json_type_found(JSON_NULL), "null", "null as found");
}

static void test_number_long(void)
{
	static const struct {
		const char *text;
		long min, max;
		int ret;
		long value;
	} rows[] = {
		{ "42", 1, LONG_MAX, 0, 42 },
		{ "-7", LONG_MIN, LONG_MAX, 0, -7 },
		{ "-7", 1, LONG_MAX, -1, 0 },
		{ "0", 1, LONG_MAX, -1, 0 },
		{ "9223372036854775807", LONG_MIN, LONG_MAX, 0, LONG_MAX },
		{ "9223372036854775808", LONG_MIN, LONG_MAX, -1, 0 },
		{ "123456789012345678901234567890123", LONG_MIN, LONG_MAX, -1, 0 },
		{ "1.0", LONG_MIN, LONG_MAX, -1, 0 },
		{ "1e3", LONG_MIN, LONG_MAX, -1, 0 },
		{ "", LONG_MIN, LONG_MAX, -1, 0 },
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(rows); i++) {
		struct json_value v = { .type = JSON_NUMBER, .s = rows[i].text, .len = strlen(rows[i].text) };
		long got = 0;

		is_int(json_number_long(&v, rows[i].min, rows[i].max, &got), rows[i].ret,
		       "SPEC 9: pid text \"%s\" in [%ld, %ld]: %s", rows[i].text, rows[i].min, rows[i].max,
		       rows[i].ret ? "refused" : "converted");
		is_int(got, rows[i].value, "SPEC 9: pid text \"%s\": value", rows[i].text);
	}
	is_int(json_number_long(&(struct json_value){ .type = JSON_STRING, .s = "1", .len = 1 }, 0, 9, &(long){ 0 }),
	       -1, "json_number_long() takes numbers only");
}

static void test_cut(void)
{
	char long_text[200];
	cleanup_free char *cut = NULL, *short_text = json_cut("abc", 3);

	memset(long_text, 'x', sizeof(long_text));
	memcpy(long_text + NSG_QUOTE_MAX - 1, "\xC3\xA9", 2); /* é across the limit */
	cut = json_cut(long_text, sizeof(long_text));
	is_str(short_text, "abc", "SPEC 8: short text is kept whole");
	is_int(strlen(cut), NSG_QUOTE_MAX - 1 + 3, "SPEC 8: long text cut before the sequence the limit splits");
	ok(strcmp(cut + NSG_QUOTE_MAX - 1, "...") == 0, "SPEC 8: a cut ends in \"...\"");
}

int main(void)
{
	test_cases();
	test_silent_and_null();
	test_fail_at();
	test_type_names();
	test_number_long();
	test_cut();
	return tap_done();
}
