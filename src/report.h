/* report.h - telling users what nsguard decided (SPEC.md section 8).
 *
 * A refusal is one line on stderr and, when runc's --log was given, one record
 * appended to that file in runc's own format: containerd reads the last error
 * record there, which is how `docker run` comes to print nsguard's message.
 * A warning goes to the --log file only, never to stderr: during `create`,
 * containerd wires stderr into the container's own output, so an allowed call
 * prints nothing; without a usable --log the audit trail records it.
 *
 * Every string handed to these functions may hold bytes from outside
 * (config.json, argv, filesystem, policy, environment): they are escaped here,
 * with nsg_escape() (escape.h), right before they are written. Callers pass
 * them raw.
 */
#ifndef NSGUARD_REPORT_H
#define NSGUARD_REPORT_H

#include <stddef.h>
#include <time.h>

#include "decide.h"
#include "util.h"

enum report_level {
	REPORT_ERROR,
	REPORT_WARNING,
};

struct report_target {
	const char *log;	/* runc's --log path, or NULL */
	const char *log_format; /* "json" or anything else (text) */
};

/* Format one runc log record (with trailing newline) for msg at level and time t,
 * msg escaped. Pure; the caller frees the result. */
char *report_format_record(const char *format, enum report_level level, const char *msg, time_t t);

/* Append one record to the --log file with one write(). */
int report_log(const struct report_target *to, enum report_level level, const char *msg, struct nsg_err *err);

/* A refusal: one line on stderr, and the --log file if any (if that cannot be
 * written, a second line on stderr says why: the refusal still stands). */
void report_refusal(const struct report_target *to, const char *msg);

/* A warning: the --log file at level warning if there is one; nothing else,
 * also when it cannot be written (SPEC.md sections 8 and 10). */
void report_warning(const struct report_target *to, const char *msg);

/* One audit record (SPEC.md section 9). Strings may be NULL (written as null). */
struct audit_entry {
	const char *command;
	const char *container_id;
	const char *bundle;
	const char *decision; /* allowed, refused, allowed-by-annotation, allowed-by-exemption:<name>, warned */
	const char *annotation;
	const char *reason; /* why, for refusals that are not about namespaces */
	size_t n_shared;
	struct {
		const char *type, *how, *verdict;
	} shared[16];
};

/* Fill e's decision fields from d: outcome name (decision, owned by the
 * caller), annotation and one entry per shared type (pointers into d). */
void report_entry_of_decision(const struct decision *d, const char *decision, struct audit_entry *e);

/* The record as one JSON line (with newline), every string escaped; pure. */
char *report_audit_json(const struct audit_entry *e, time_t t, long caller_pid, long uid);

/* Write the record to syslog (ident nsguard, facility authpriv) if use_syslog, and
 * to file (if non-NULL and non-empty) with one write() on an O_APPEND descriptor.
 * Fails only for the file; the caller turns that into a warning. */
int report_audit(const struct audit_entry *e, int use_syslog, const char *file, struct nsg_err *err);

/* s escaped for output (nsg_escape) and then quoted for the inside of a JSON
 * string: '"' and '\\' backslashed, '<', '>' and '&' as \u00XX as Go's
 * encoding/json writes them. The caller frees the result. */
char *report_json_escape(const char *s);

#endif
