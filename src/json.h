/* json.h - the one JSON reading layer (SPEC.md sections 3 and 5).
 *
 * Every JSON document nsguard reads - config.json (spec.c), the policy file
 * (policy_parse.c), a runtime's state files (cmd_audit.c) - goes through
 * yajl's streaming parser here: one strict configuration, one depth rule, one
 * way of saying where a problem is ("line N: "), one wording for syntax errors
 * and for values of the wrong type. A reader sees three events - a value
 * starts (a scalar, or a container that opens), an object key, a container
 * ends - and keeps only its schema.
 *
 * Nothing here escapes: the bytes of a document travel raw in messages and
 * are escaped once, at the output edge (escape.h).
 */
#ifndef NSGUARD_JSON_H
#define NSGUARD_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "escape.h"
#include "util.h"

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_OBJECT,
	JSON_ARRAY,
};

struct json_value {
	enum json_type type;
	/* JSON_STRING: the decoded bytes (valid UTF-8; a \u0000 escape gives a
	 * NUL byte). JSON_NUMBER: the number's text as written, so that each
	 * reader converts it exactly as it must (spec.c as Go reads a uint32,
	 * json_number_long()). Not NUL-terminated. */
	const char *s;
	size_t len;
	bool b; /* JSON_BOOL */
};

struct json_reader;

struct json_events {
	/* Each returns 0 to go on, or < 0 after json_fail*() said why. */
	int (*value)(struct json_reader *r, const struct json_value *v);
	int (*key)(struct json_reader *r, const char *key, size_t len);
	int (*end)(struct json_reader *r); /* the innermost open container closes */
	/* Containers open at once (the top-level one counts); one more fails
	 * the parse with "JSON nesting is deeper than N levels", also inside
	 * containers the reader skips. */
	unsigned max_depth;
};

/* The reader embeds this in its own state and passes it to json_parse();
 * events get it back. Only data is the reader's; read the rest through the
 * functions below. */
struct json_reader {
	void *data;
	const struct json_events *ev;
	const char *buf;
	size_t len;
	struct nsg_err *err;
	struct yajl_handle_t *handle;
	unsigned depth;
	unsigned skip_from;   /* depth of the container being skipped, or 0 */
	bool completing;      /* inside yajl_complete_parse(): the offset is the end */
	bool opening;	      /* the current value is a container that opens */
	bool after_key;	      /* the last event was a key */
	bool value_after_key; /* the current value belongs to a key */
	bool failed;	      /* json_fail*() filled err */
};

/* Parse buf[0..len) strictly - no comments, strings validated as UTF-8,
 * nothing but whitespace after the one top-level value - delivering events to
 * ev with r->data = data. On error, err says "line N: problem": the reader's
 * message, or the syntax error. */
int json_parse(struct json_reader *r, const char *buf, size_t len, const struct json_events *ev, void *data,
	       struct nsg_err *err);

/* From the value event of a container: deliver no events for it (its
 * contents and its end). Depth is still counted against max_depth. From the
 * value event of a scalar, nothing to skip: no effect. */
void json_skip(struct json_reader *r);

/* Containers open now; in a container's value event, it counts already. */
unsigned json_depth(const struct json_reader *r);

/* The byte offset the parse has reached: just past the current token. While
 * yajl completes the parse (a top-level number, a premature end), the end of
 * input: the last non-blank byte, so that the problem is reported on the last
 * line that holds anything (for blank input, at its end). */
size_t json_offset(const struct json_reader *r);

/* The 1-based line of byte offset off of the document. */
unsigned json_line(const struct json_reader *r, size_t off);

/* Fail the parse with "line N: <message>", N the line of json_offset() or of
 * off. Return -1, for `return json_fail(...)` from an event. */
int json_fail(struct json_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int json_fail_at(struct json_reader *r, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same "line N: " rule for checks of buf[0..len) outside a parse (the
 * Go-compatibility prescan, gojson.h). */
int json_fail_line(struct nsg_err *err, const char *buf, size_t len, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* How messages name a type: as wanted ("true or false") and as found ("a boolean"). */
const char *json_type_wanted(enum json_type t);
const char *json_type_found(enum json_type t);

/* Fail because the current value (what, e.g. "\"linux\"") is of type got, not
 * want (e.g. json_type_wanted(JSON_OBJECT) or "an absolute path"):
 *   "<what> must be <want>, not <found>"
 * and for null as the value of a key:
 *   "<what> is null; give <want> or remove the key" */
int json_fail_type(struct json_reader *r, const char *what, const char *want, enum json_type got);

/* s[0..len) for a message: nsg_cut() at NSG_QUOTE_MAX bytes. The caller frees it. */
char *json_cut(const char *s, size_t len);

/* The JSON_NUMBER v as a long in [min, max]: 0, or -1 if it is not an
 * integer literal in range (a fraction or exponent, too long, out of range). */
int json_number_long(const struct json_value *v, long min, long max, long *ret);

#endif
