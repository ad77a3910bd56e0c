/* report.h - telling users what nsguard decided (SPEC.md section 8).
 *
 * A refusal is one line on stderr and, when runc's --log was given, one record
 * appended to that file in runc's own format: containerd reads the last error
 * record there, which is how `docker run` comes to print nsguard's message.
 * A warning goes to the --log file when there is one, else to stderr: during
 * `create`, containerd wires stderr into the container's own log.
 */
#ifndef NSGUARD_REPORT_H
#define NSGUARD_REPORT_H

#include <stddef.h>
#include <time.h>

#include "util.h"

enum report_level {
	REPORT_ERROR,
	REPORT_WARNING,
};

struct report_target {
	const char *log;	/* runc's --log path, or NULL */
	const char *log_format; /* "json" or anything else (text) */
};

/* Format one runc log record (with trailing newline) for msg at level and time t.
 * Pure; the caller frees the result. */
char *report_format_record(const char *format, enum report_level level, const char *msg, time_t t);

/* Append one record to the --log file with one write(). */
int report_log(const struct report_target *to, enum report_level level, const char *msg, struct nsg_err *err);

/* A refusal: stderr, and the --log file if any. */
void report_refusal(const struct report_target *to, const char *msg);

/* A warning: the --log file if any (stderr if it cannot be written), else stderr. */
void report_warning(const struct report_target *to, const char *msg);

/* Escape s for the inside of a JSON string, as Go's encoding/json does. */
char *report_json_escape(const char *s);

#endif
