/* gojson.h - the bytes and keys on which Go's encoding/json and yajl disagree
 * (SPEC.md section 3).
 *
 * spec.c reads config.json with yajl, runc with Go. These are the two places
 * where the same bytes could mean different things to them: the raw input
 * (UTF-8, escapes, whitespace) and the matching of an object key to a struct
 * field. Both are pure functions so that they can be tested and reused.
 */
#ifndef NSGUARD_GOJSON_H
#define NSGUARD_GOJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Refuse input that Go and yajl would decode differently, before yajl sees
 * it: a BOM, invalid UTF-8, \u0000, unpaired UTF-16 surrogate escapes, and
 * \v or \f between tokens. err: "line N: problem". */
int gojson_prescan(const char *buf, size_t len, struct nsg_err *err);

enum gojson_match {
	GOJSON_NO_MATCH,
	GOJSON_FIELD,	 /* Go's decoder reads key as the field */
	GOJSON_AMBIGUOUS /* only a fold Go does not make (U+0130, U+0131) matches */
};

/* A non-ASCII rune that some case mapping turns into an ASCII letter. */
struct gojson_fold {
	uint32_t rune;
	char letter;
	bool go_folds;
	const char *name;
};

/* Does key[0..len) (valid UTF-8, escapes decoded) name the struct field name
 * (lowercase ASCII letters) the way Go matches keys? For GOJSON_AMBIGUOUS,
 * *ret_fold is the rune that made it so. */
enum gojson_match gojson_match_key(const unsigned char *key, size_t len, const char *name,
				   const struct gojson_fold **ret_fold);

/* A string of a document that gojson_prescan() and the parse accepted, read
 * straight from its raw bytes and decoded as Go decodes it: the bytes json.h
 * delivers for it. For checks that keep where a string is rather than a copy
 * of it (spec_keys.h). */
struct gojson_string {
	const unsigned char *p, *end; /* the next raw byte; the end of the document */
	unsigned char pending[4];     /* decoded bytes of an escape not handed out yet */
	unsigned n_pending, i_pending;
};

/* Start reading the string whose opening quote is buf[off]. */
void gojson_string_open(struct gojson_string *s, const char *buf, size_t len, size_t off);

/* Up to cap decoded bytes of s into out. Fewer only at the end of the string
 * (the closing quote, or the end of the document): 0 once it is read. */
size_t gojson_string_read(struct gojson_string *s, unsigned char *out, size_t cap);

#endif
