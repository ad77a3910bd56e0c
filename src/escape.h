/* escape.h - the one escaping function at the output edge (SPEC.md section 8).
 *
 * Every byte nsguard prints that came from outside - config.json, the argv,
 * the filesystem, the policy file, the environment - passes through
 * nsg_escape() right before it is written: stderr, runc's --log records, the
 * audit file and syslog, and what `nsguard check` and `nsguard audit` print.
 * A namespace path such as "/x\x1b[32mallowed\ny" would otherwise paint a
 * forged green "allowed" line into a container's log or a terminal, or split
 * one record into two for whoever parses the log.
 *
 * The result never holds a control byte or invalid UTF-8, so a message is
 * always one line, and every backslash in it starts an escape this function
 * wrote (a literal backslash is escaped too): text from outside cannot forge
 * an escape either. Callers below the output edge pass the raw bytes along
 * and never escape them themselves: escaping twice shows "\x5cx0a".
 */
#ifndef NSGUARD_ESCAPE_H
#define NSGUARD_ESCAPE_H

#include <stddef.h>

/* A newly allocated copy of s[0..len) in which every byte that is not part of
 * printable, valid UTF-8 becomes "\xNN" (two lowercase hex digits):
 *   - the C0 controls 0x00-0x1f and DEL 0x7f;
 *   - the backslash 0x5c;
 *   - bytes that are not valid UTF-8: stray continuation bytes, 0xc0, 0xc1,
 *     0xf5-0xff, overlong forms, UTF-16 surrogates, code points above
 *     U+10FFFF, sequences cut short (each byte of them on its own);
 *   - the C1 controls U+0080-U+009F (terminals obey them: 0xc2 0x9b is CSI)
 *     and the line and paragraph separators U+2028, U+2029 (line breaks to
 *     JavaScript and many log viewers), each of their bytes.
 * Everything else - printable ASCII and valid UTF-8 of 2, 3 and 4 bytes -
 * is copied unchanged. Never fails (allocation failure aborts). */
char *nsg_escape_len(const char *s, size_t len);

/* nsg_escape_len() of the NUL-terminated s; NULL for NULL. */
char *nsg_escape(const char *s);

/* The length (1 to 4) of the well-formed UTF-8 sequence at p[0..n), n > 0, or
 * 0 if none starts there (RFC 3629: no overlong forms, no UTF-16 surrogates,
 * nothing above U+10FFFF). The one UTF-8 rule of nsguard: the escaper and
 * the Go-compatibility prescan (gojson.h) both use it. */
size_t nsg_utf8_len(const unsigned char *p, size_t n);

/* The one way a message shortens text it quotes: a new copy of s[0..len)
 * that keeps at most max bytes, never splits a UTF-8 sequence, and ends in
 * "..." when something was cut. The bytes are not escaped: that happens once,
 * at the output edge. */
char *nsg_cut(const char *s, size_t len, size_t max);

/* How many bytes of outside text (a key, a value, an annotation item) any
 * message repeats: one bound for every reader and the decision. */
#define NSG_QUOTE_MAX 64

#endif
