/* json.c - see json.h.
 *
 * yajl calls back for every token; the trampolines below turn those calls
 * into the three events of json.h, count depth, and drop the events of
 * containers a reader skips. A callback returning 0 cancels the parse: the
 * event then has already put its message in the error (json_fail()), so a
 * cancelled parse is never reported as a syntax error.
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "escape.h"

static void json_yajl_freep(yajl_handle *h)
{
	if (*h)
		yajl_free(*h);
}

#define cleanup_yajl __attribute__((cleanup(json_yajl_freep)))

/* How a message names each type: as wanted, and as found. */
static const struct {
	const char *wanted, *found;
} json_type_names[] = {
	[JSON_NULL] = { "null", "null" },
	[JSON_BOOL] = { "true or false", "a boolean" },
	[JSON_NUMBER] = { "a number", "a number" },
	[JSON_STRING] = { "a string", "a string" },
	[JSON_OBJECT] = { "an object", "an object" },
	[JSON_ARRAY] = { "an array", "an array" },
};

const char *json_type_wanted(enum json_type t)
{
	return json_type_names[t].wanted;
}

const char *json_type_found(enum json_type t)
{
	return json_type_names[t].found;
}

static bool json_is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

size_t json_offset(const struct json_reader *r)
{
	size_t off = r->len;

	if (!r->completing)
		return yajl_get_bytes_consumed(r->handle);
	while (off > 0 && json_is_space(r->buf[off - 1]))
		off--;
	return off > 0 ? off : r->len;
}

unsigned json_line(const struct json_reader *r, size_t off)
{
	return nsg_line_of(r->buf, r->len, off);
}

__attribute__((format(printf, 5, 0))) static int json_vfail_line(struct nsg_err *err, const char *buf, size_t len,
								 size_t off, const char *fmt, va_list ap)
{
	char msg[NSG_ERR_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return nsg_fail(err, "line %u: %s", nsg_line_of(buf, len, off), msg);
}

int json_fail_line(struct nsg_err *err, const char *buf, size_t len, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_vfail_line(err, buf, len, off, fmt, ap);
	va_end(ap);
	return -1;
}

int json_fail_at(struct json_reader *r, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_vfail_line(r->err, r->buf, r->len, off, fmt, ap);
	va_end(ap);
	r->failed = true;
	return -1;
}

int json_fail(struct json_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_vfail_line(r->err, r->buf, r->len, json_offset(r), fmt, ap);
	va_end(ap);
	r->failed = true;
	return -1;
}

/* null for a key can be dropped with the key; a null entry of an array or a
 * null document is simply the wrong type. */
int json_fail_type(struct json_reader *r, const char *what, const char *want, enum json_type got)
{
	if (got == JSON_NULL && r->value_after_key)
		return json_fail(r, "%s is null; give %s or remove the key", what, want);
	return json_fail(r, "%s must be %s, not %s", what, want, json_type_found(got));
}

char *json_cut(const char *s, size_t len)
{
	return nsg_cut(s, len, NSG_QUOTE_MAX);
}

int json_number_long(const struct json_value *v, long min, long max, long *ret)
{
	char text[32];

	/* Longer text is no long: 19 digits and a sign at most. */
	if (v->type != JSON_NUMBER || v->len == 0 || v->len >= sizeof(text) || memchr(v->s, '\0', v->len))
		return -1;
	memcpy(text, v->s, v->len);
	text[v->len] = '\0';
	return nsg_parse_long(text, min, max, ret);
}

void json_skip(struct json_reader *r)
{
	if (r->opening && !r->skip_from)
		r->skip_from = r->depth;
}

unsigned json_depth(const struct json_reader *r)
{
	return r->depth;
}

/* --- yajl callbacks: 1 continues, 0 cancels -------------------------------- */

static int json_deliver(struct json_reader *r, const struct json_value *v)
{
	r->opening = v->type == JSON_OBJECT || v->type == JSON_ARRAY;
	r->value_after_key = r->after_key;
	r->after_key = false;
	if (r->skip_from)
		return 1;
	return r->ev->value(r, v) == 0;
}

static int json_cb_null(void *ctx)
{
	return json_deliver(ctx, &(struct json_value){ .type = JSON_NULL });
}

static int json_cb_boolean(void *ctx, int b)
{
	return json_deliver(ctx, &(struct json_value){ .type = JSON_BOOL, .b = b });
}

static int json_cb_number(void *ctx, const char *s, size_t len)
{
	return json_deliver(ctx, &(struct json_value){ .type = JSON_NUMBER, .s = s, .len = len });
}

static int json_cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return json_deliver(ctx, &(struct json_value){ .type = JSON_STRING, .s = (const char *)s, .len = len });
}

static int json_start(struct json_reader *r, enum json_type type)
{
	if (++r->depth > r->ev->max_depth) {
		json_fail(r, "JSON nesting is deeper than %u levels", r->ev->max_depth);
		return 0;
	}
	return json_deliver(r, &(struct json_value){ .type = type });
}

static int json_cb_start_map(void *ctx)
{
	return json_start(ctx, JSON_OBJECT);
}

static int json_cb_start_array(void *ctx)
{
	return json_start(ctx, JSON_ARRAY);
}

static int json_cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct json_reader *r = ctx;

	r->after_key = true;
	if (r->skip_from)
		return 1;
	return r->ev->key(r, (const char *)key, len) == 0;
}

static int json_cb_end(void *ctx)
{
	struct json_reader *r = ctx;
	int ok = 1;

	if (r->skip_from) {
		if (r->depth == r->skip_from)
			r->skip_from = 0;
	} else {
		ok = r->ev->end(r) == 0;
	}
	r->depth--;
	return ok;
}

static const yajl_callbacks json_callbacks = {
	.yajl_null = json_cb_null,
	.yajl_boolean = json_cb_boolean,
	.yajl_number = json_cb_number, /* as text: no integer or double callbacks */
	.yajl_string = json_cb_string,
	.yajl_start_map = json_cb_start_map,
	.yajl_map_key = json_cb_map_key,
	.yajl_end_map = json_cb_end,
	.yajl_start_array = json_cb_start_array,
	.yajl_end_array = json_cb_end,
};

/* --- the parse --------------------------------------------------------------- */

static int json_syntax_error(struct json_reader *r, yajl_status st)
{
	unsigned char *msg;
	size_t n;

	if (st == yajl_status_client_canceled) {
		if (!r->failed) /* an event returned < 0 without saying why */
			json_fail(r, "the document was refused");
		return -1;
	}
	msg = yajl_get_error(r->handle, 0, (const unsigned char *)r->buf, r->len);
	if (!msg)
		return json_fail(r, "malformed JSON");
	n = strlen((char *)msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.'))
		n--;
	json_fail(r, "malformed JSON: %.*s", (int)n, (char *)msg);
	yajl_free_error(r->handle, msg);
	return -1;
}

int json_parse(struct json_reader *r, const char *buf, size_t len, const struct json_events *ev, void *data,
	       struct nsg_err *err)
{
	cleanup_yajl yajl_handle h = NULL;
	yajl_status st;

	*r = (struct json_reader){ .data = data, .ev = ev, .buf = buf, .len = len, .err = err };
	h = yajl_alloc(&json_callbacks, NULL, r);
	if (!h)
		abort();
	r->handle = h;
	/* yajl's defaults, made explicit: Go's decoder makes the same checks. */
	yajl_config(h, yajl_allow_comments, 0);
	yajl_config(h, yajl_dont_validate_strings, 0);
	yajl_config(h, yajl_allow_trailing_garbage, 0);
	yajl_config(h, yajl_allow_multiple_values, 0);
	yajl_config(h, yajl_allow_partial_values, 0);
	st = yajl_parse(h, (const unsigned char *)buf, len);
	if (st == yajl_status_ok) {
		r->completing = true;
		st = yajl_complete_parse(h);
	}
	if (st != yajl_status_ok)
		json_syntax_error(r, st);
	r->handle = NULL;
	return st == yajl_status_ok ? 0 : -1;
}
