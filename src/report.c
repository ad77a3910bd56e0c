/* report.c - see report.h */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "buf.h"
#include "escape.h"

/* s escaped for output (nsg_escape: no control byte, no invalid UTF-8 is
 * left), then backslashed for the inside of a double-quoted string: '"' and
 * the backslashes of the escapes. For JSON also '<', '>' and '&' as \u00XX,
 * as Go's encoding/json writes them for logrus. */
static char *report_quoted(const char *s, bool json)
{
	cleanup_free char *esc = nsg_escape(s);
	struct nsg_buf b = { 0 };

	for (const char *p = esc; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_putc(&b, '\\');
			buf_putc(&b, *p);
		} else if (json && (*p == '<' || *p == '>' || *p == '&')) {
			buf_printf(&b, "\\u%04x", (unsigned char)*p);
		} else {
			buf_putc(&b, *p);
		}
	}
	return buf_steal(&b);
}

char *report_json_escape(const char *s)
{
	return report_quoted(s, true);
}

/* logrus' TextFormatter quotes a value with Go's %q; escaped, only '"' and '\\' need it. */
static char *report_text_quote(const char *s)
{
	cleanup_free char *inner = report_quoted(s, false);

	return nsg_asprintf("\"%s\"", inner);
}

/* RFC 3339 local time with offset, as Go's time.RFC3339 prints it. */
static void report_rfc3339(time_t t, char *buf, size_t size)
{
	struct tm tm;
	char zone[24];
	long off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	if (off == 0)
		snprintf(zone, sizeof(zone), "Z");
	else
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	strncat(buf, zone, size - strlen(buf) - 1);
}

static const char *report_level_name(enum report_level level)
{
	return level == REPORT_ERROR ? "error" : "warning";
}

char *report_format_record(const char *format, enum report_level level, const char *msg, time_t t)
{
	char when[40];
	cleanup_free char *body = NULL;

	report_rfc3339(t, when, sizeof(when));
	if (format && strcmp(format, "json") == 0) {
		body = report_json_escape(msg);
		return nsg_asprintf("{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", report_level_name(level),
				    body, when);
	}
	body = report_text_quote(msg);
	return nsg_asprintf("time=\"%s\" level=%s msg=%s\n", when, report_level_name(level), body);
}

int report_log(const struct report_target *to, enum report_level level, const char *msg, struct nsg_err *err)
{
	cleanup_free char *record = report_format_record(to->log_format, level, msg, time(NULL));
	cleanup_close int fd = -1;
	size_t len = strlen(record);
	ssize_t n;

	/* O_NONBLOCK: a FIFO without a reader in place of the log fails at once
	 * instead of hanging nsguard (and the engine waiting on it). */
	fd = open(to->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
	if (fd < 0)
		return nsg_fail(err, "cannot open log file %s: %s", to->log, strerror(errno));
	n = write(fd, record, len);
	if (n < 0 || (size_t)n != len)
		return nsg_fail(err, "cannot write log file %s: %s", to->log, n < 0 ? strerror(errno) : "short write");
	return 0;
}

/* One line on stderr; msg is escaped here, at the edge. */
static void report_to_stderr(const char *msg)
{
	cleanup_free char *esc = nsg_escape(msg);

	fprintf(stderr, "%s\n", esc);
}

void report_refusal(const struct report_target *to, const char *msg)
{
	struct nsg_err err;

	report_to_stderr(msg);
	if (to->log && report_log(to, REPORT_ERROR, msg, &err) < 0) {
		cleanup_free char *why = nsg_asprintf("nsguard: %s", err.msg);

		report_to_stderr(why);
	}
}

/* Never stderr: during `create` containerd wires runc's stderr into the
 * container's own output, so an allowed call must print nothing there
 * (SPEC.md sections 2 and 8). Without a usable --log, the audit trail is
 * where the warning stays. */
void report_warning(const struct report_target *to, const char *msg)
{
	struct nsg_err err;

	if (to->log)
		(void)report_log(to, REPORT_WARNING, msg, &err);
}

static void report_json_field(struct nsg_buf *b, const char *key, const char *value, int first)
{
	cleanup_free char *esc = value ? report_json_escape(value) : NULL;

	buf_printf(b, "%s\"%s\":", first ? "" : ",", key);
	if (esc)
		buf_printf(b, "\"%s\"", esc);
	else
		buf_puts(b, "null");
}

static void report_json_shared(struct nsg_buf *b, const struct audit_entry *e)
{
	buf_puts(b, ",\"shared\":[");
	for (size_t i = 0; i < e->n_shared; i++) {
		buf_puts(b, i ? ",{" : "{");
		report_json_field(b, "type", e->shared[i].type, 1);
		report_json_field(b, "how", e->shared[i].how, 0);
		report_json_field(b, "verdict", e->shared[i].verdict, 0);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

void report_entry_of_decision(const struct decision *d, const char *decision, struct audit_entry *e)
{
	e->decision = decision;
	e->annotation = d->annotation;
	for (size_t t = 0; t < NS_TYPE_COUNT && e->n_shared < NSG_ARRAY_SIZE(e->shared); t++) {
		if (!d->how[t])
			continue;
		e->shared[e->n_shared].type = ns_infos[t].name;
		e->shared[e->n_shared].how = d->how[t];
		e->shared[e->n_shared].verdict = decide_verdict_name(d->verdict[t]);
		e->n_shared++;
	}
}

char *report_audit_json(const struct audit_entry *e, time_t t, long caller_pid, long uid)
{
	struct nsg_buf b = { 0 };
	char when[40];

	report_rfc3339(t, when, sizeof(when));
	buf_putc(&b, '{');
	report_json_field(&b, "time", when, 1);
	report_json_field(&b, "id", e->container_id, 0);
	report_json_field(&b, "bundle", e->bundle, 0);
	report_json_field(&b, "command", e->command, 0);
	report_json_field(&b, "decision", e->decision, 0);
	report_json_shared(&b, e);
	report_json_field(&b, "annotation", e->annotation, 0);
	report_json_field(&b, "reason", e->reason, 0);
	buf_printf(&b, ",\"caller_pid\":%ld,\"uid\":%ld}\n", caller_pid, uid);
	return buf_steal(&b);
}

/* Open the audit file for appending; create its directory (one level, like
 * /var/log/nsguard) on first use, so that installing needs no extra step. */
static int report_open_audit(const char *file)
{
	/* O_NONBLOCK: never wait on a FIFO standing where the audit file should be. */
	const int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK;
	cleanup_free char *dir = NULL;
	int fd = open(file, flags, 0600);
	char *slash;

	if (fd >= 0 || errno != ENOENT)
		return fd;
	dir = nsg_strdup(file);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return -1;
	*slash = '\0';
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return -1;
	return open(file, flags, 0600);
}

static int report_append_line(const char *file, const char *line, struct nsg_err *err)
{
	cleanup_close int fd = -1;
	size_t len = strlen(line);
	ssize_t n;

	fd = report_open_audit(file);
	if (fd < 0)
		return nsg_fail(err, "audit file %s: %s", file, strerror(errno));
	n = write(fd, line, len);
	if (n < 0 || (size_t)n != len)
		return nsg_fail(err, "audit file %s: %s", file, n < 0 ? strerror(errno) : "short write");
	return 0;
}

int report_audit(const struct audit_entry *e, int use_syslog, const char *file, struct nsg_err *err)
{
	bool to_file = file && *file;
	cleanup_free char *line = NULL;

	/* No sink, no record: building one reads the time zone (/etc/localtime). */
	if (!use_syslog && !to_file)
		return 0;
	line = report_audit_json(e, time(NULL), (long)getppid(), (long)getuid());
	if (use_syslog) {
		openlog("nsguard", LOG_PID, LOG_AUTHPRIV);
		syslog(strcmp(e->decision, "refused") == 0 ? LOG_WARNING : LOG_NOTICE, "%.*s", (int)strlen(line) - 1,
		       line);
		closelog();
	}
	return to_file ? report_append_line(file, line, err) : 0;
}
