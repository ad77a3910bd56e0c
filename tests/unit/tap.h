/* tap.h - a tiny TAP producer for the unit tests.
 *
 * Each assertion prints one "ok"/"not ok" line; failures print both values as
 * TAP diagnostics. tap_done() prints the plan at the end, so nobody counts.
 */
#ifndef NSGUARD_TAP_H
#define NSGUARD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 2, 3))) static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

#define is_int(got, want, ...)                                                                                         \
	do {                                                                                                           \
		long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);                                       \
		if (!tap_ok(tap_g_ == tap_w_, __VA_ARGS__))                                                            \
			printf("#   got: %lld\n#   expected: %lld\n", tap_g_, tap_w_);                                 \
	} while (0)

__attribute__((format(printf, 3, 4), noinline, unused)) static int tap_is_str(const char *got, const char *want,
									      const char *fmt, ...)
{
	int eq = (got == NULL && want == NULL) || (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_list ap;

	tap_count++;
	printf("%sok %d - ", eq ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!eq) {
		tap_failed++;
		printf("#   got: \"%s\"\n#   expected: \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
	}
	fflush(stdout);
	return eq;
}

#define is_str(got, want, ...) tap_is_str((got), (want), __VA_ARGS__)

/* got contains the substring want */
#define like_str(got, want, ...)                                                                                       \
	do {                                                                                                           \
		const char *tap_g_ = (got), *tap_w_ = (want);                                                          \
		if (!tap_ok(tap_g_ != NULL && strstr(tap_g_, tap_w_) != NULL, __VA_ARGS__))                            \
			printf("#   got: \"%s\"\n#   expected to contain: \"%s\"\n", tap_g_ ? tap_g_ : "(null)",       \
			       tap_w_);                                                                                \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
