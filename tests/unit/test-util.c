/* test-util.c - the error type and the growable buffer every module shares.
 *
 * SPEC 8 asks that every refusal say what was found, where and what would
 * allow it: the context that callers add on the way out must never silently
 * swallow the cause, also when the message reaches the size limit.
 */
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "tap.h"
#include "util.h"

static void fill(char *s, char c, size_t n)
{
	memset(s, c, n);
	s[n] = '\0';
}

/* SPEC 8: wrapping adds context and keeps the nested message and its cause. */
static void test_prefix(void)
{
	struct nsg_err err = { .msg = "" };

	nsg_fail_errno(&err, ENOENT, "line 3: duplicate key \"%s\"", "linux");
	nsg_prefix(&err, "reading %s: ", "config.json");
	is_str(err.msg, "reading config.json: line 3: duplicate key \"linux\"", "SPEC 8: context prefixed");
	is_int(err.errnum, ENOENT, "SPEC 8: the cause survives wrapping");
	nsg_fail(&err, "plain");
	is_int(err.errnum, 0, "nsg_fail records no cause");
	is_int(nsg_prefix(NULL, "x"), -1, "wrapping a NULL error is a no-op returning -1");
}

/* SPEC 8: at the limit the nested message is kept whole; the context is cut, marked "...". */
static void test_prefix_at_limit(void)
{
	struct nsg_err err = { .msg = "" };
	char nested[700], context[700];

	fill(nested, 'n', sizeof(nested) - 1);
	fill(context, 'c', sizeof(context) - 1);
	nsg_fail(&err, "%s", nested);
	nsg_prefix(&err, "%s: ", context);
	is_int(strlen(err.msg), NSG_ERR_MAX - 1, "SPEC 8: a wrapped message fills the buffer exactly");
	ok(strcmp(err.msg + strlen(err.msg) - strlen(nested), nested) == 0, "SPEC 8: the nested message is whole");
	ok(strstr(err.msg, "c...n") != NULL, "SPEC 8: the cut in the context is marked");
	ok(strncmp(err.msg, "ccc", 3) == 0, "SPEC 8: the context's beginning is kept");
}

/* A nested message that alone fills the buffer keeps its beginning and ends in "...". */
static void test_fail_at_limit(void)
{
	struct nsg_err err = { .msg = "" };
	char big[NSG_ERR_MAX + 100];

	fill(big, 'b', sizeof(big) - 1);
	nsg_fail_errno(&err, EINVAL, "%s", big);
	is_int(strlen(err.msg), NSG_ERR_MAX - 1, "a long message fills the buffer");
	ok(strcmp(err.msg + NSG_ERR_MAX - 4, "...") == 0, "a cut message ends in \"...\"");
	nsg_prefix(&err, "context: ");
	ok(strcmp(err.msg + NSG_ERR_MAX - 4, "...") == 0 && strncmp(err.msg, "bbb", 3) == 0,
	   "a full nested message: its beginning kept, the end marked");
	is_int(err.errnum, EINVAL, "and its cause");
}

/* A cut never splits a UTF-8 sequence. */
static void test_cut_utf8(void)
{
	struct nsg_err err = { .msg = "" };
	char big[NSG_ERR_MAX * 2 + 1];
	size_t n;

	for (size_t i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[sizeof(big) - 1] = '\0';
	nsg_fail(&err, "%s", big);
	n = strlen(err.msg);
	ok(n >= 4 && strcmp(err.msg + n - 3, "...") == 0 && (unsigned char)err.msg[n - 4] == 0xa9,
	   "the cut falls between two-byte sequences");
}

static void test_buf(void)
{
	cleanup_buf struct nsg_buf b = { 0 };
	cleanup_free char *empty = NULL;
	cleanup_free char *joined = NULL;
	char big[5000];

	empty = buf_steal(&b);
	is_str(empty, "", "an untouched buffer steals as \"\"");
	buf_join(&b, "; ", "%s", "a");
	buf_join(&b, "; ", "%d", 2);
	buf_putc(&b, '!');
	buf_puts(&b, "?");
	is_str(b.data, "a; 2!?", "join, putc and puts");
	is_int(b.len, 6, "length tracked");
	joined = buf_steal(&b);
	ok(b.data == NULL && b.len == 0 && b.cap == 0, "steal empties the buffer");
	fill(big, 'x', sizeof(big) - 1);
	buf_printf(&b, "%s%s", big, big);
	is_int(b.len, 2 * (sizeof(big) - 1), "growth past several doublings");
	buf_put(&b, "\0z", 2);
	is_int(b.len, 2 * (sizeof(big) - 1) + 2, "bytes with a NUL among them");
	ok(b.data[b.len] == '\0', "always NUL-terminated");
}

/* buf_room() and buf_grew(): the sandbox's result is read straight into the buffer. */
static void test_buf_room(void)
{
	cleanup_buf struct nsg_buf b = { 0 };
	char *room;

	buf_puts(&b, "ab");
	room = buf_room(&b, 10000);
	ok(room == b.data + 2 && b.cap >= 2 + 10000 + 1, "room for the bytes asked for, after the data");
	memcpy(room, "cd", 2);
	is_int(b.len, 2, "room alone adds nothing");
	buf_grew(&b, 2);
	is_str(b.data, "abcd", "grew by what was written there");
	buf_grew(&b, 0);
	is_str(b.data, "abcd", "growing by nothing keeps the data and the terminator");
}

/* STYLE: no conversion without a checked wrapper; the kernel's id maps are read with it (SPEC 4). */
static void test_parse_u32(void)
{
	static const struct {
		const char *in;
		int ret;
		uint32_t want;
	} rows[] = {
		{ "0", 0, 0 },
		{ "4294967295", 0, 4294967295u },
		{ "007", 0, 7 },
		{ "4294967296", -1, 0 },
		{ "", -1, 0 },
		{ "-1", -1, 0 },
		{ "+1", -1, 0 },
		{ " 1", -1, 0 },
		{ "1 ", -1, 0 },
		{ "0x10", -1, 0 },
		{ "99999999999999999999", -1, 0 },
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(rows); i++) {
		uint32_t v = 0;
		int r = nsg_parse_u32(rows[i].in, &v);

		is_int(r, rows[i].ret, "nsg_parse_u32(\"%s\")", rows[i].in);
		if (r == 0)
			is_int(v, rows[i].want, "nsg_parse_u32(\"%s\") value", rows[i].in);
	}
}

int main(void)
{
	test_parse_u32();
	test_prefix();
	test_prefix_at_limit();
	test_fail_at_limit();
	test_cut_utf8();
	test_buf();
	test_buf_room();
	return tap_done();
}
