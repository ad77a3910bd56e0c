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

#define is_str(got, want, ...)                                                                                         \
	do {                                                                                                           \
		const char *tap_g_ = (got), *tap_w_ = (want);                                                          \
		int tap_eq_ = (tap_g_ == NULL && tap_w_ == NULL) ||                                                    \
			      (tap_g_ != NULL && tap_w_ != NULL && strcmp(tap_g_, tap_w_) == 0);                       \
		if (!tap_ok(tap_eq_, __VA_ARGS__))                                                                     \
			printf("#   got: \"%s\"\n#   expected: \"%s\"\n", tap_g_ ? tap_g_ : "(null)",                  \
			       tap_w_ ? tap_w_ : "(null)");                                                            \
	} while (0)

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
