/*
 * tap.h - the Test Anything Protocol for the BSD layer's user tests
 * (tests/bsd): each check prints "ok N - name" or "not ok N - name" with
 * "# " lines saying why, and the plan comes last ("1..N"). tap_done()
 * returns the exit status: 0 when every check passed.
 *
 *	int main(void)
 *	{
 *		int fd = open("/nonexistent", O_RDONLY);
 *		TAP_ERRNO(fd, ENOENT, "open of a missing file");
 *		TAP_OK(getpid() > 0, "getpid");
 *		return tap_done();
 *	}
 *
 * Output goes straight to descriptor 1 with write(2), unbuffered, so that a
 * test that dies midway still shows every check it made, and a child made
 * by fork cannot print a parent's buffered lines twice.
 */

#ifndef TESTS_BSD_TAP_H
#define TESTS_BSD_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tap_count, tap_failed;

static void __attribute__((format(printf, 1, 2), unused))
tap_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, (size_t)(n - off));
		if (w <= 0)
			break;
		off += (int)w;
	}
}

/* tap_ok: one check; returns passed. why (printf-style) says more on failure. */
static int __attribute__((format(printf, 3, 4), unused))
tap_ok(int passed, const char *name, const char *why, ...)
{
	tap_count++;
	tap_printf("%s %d - %s\n", passed ? "ok" : "not ok", tap_count, name);
	if (!passed) {
		char buf[400];
		va_list ap;

		tap_failed++;
		va_start(ap, why);
		vsnprintf(buf, sizeof(buf), why, ap);
		va_end(ap);
		tap_printf("#   %s\n", buf);
	}
	return passed;
}

#define TAP_OK(cond, name) \
	tap_ok(!!(cond), (name), "%s:%d: %s is false", __FILE__, __LINE__, #cond)

/* TAP_EQ: two integers, equal. */
#define TAP_EQ(a, b, name) do { \
	long long tap_a_ = (long long)(a), tap_b_ = (long long)(b); \
	tap_ok(tap_a_ == tap_b_, (name), "%s:%d: %s == %s: %lld vs %lld", \
	    __FILE__, __LINE__, #a, #b, tap_a_, tap_b_); \
} while (0)

/* TAP_SUCCEEDS: a call returning -1 on failure did not fail. */
#define TAP_SUCCEEDS(expr, name) do { \
	errno = 0; \
	long long tap_r_ = (long long)(expr); \
	tap_ok(tap_r_ != -1, (name), "%s:%d: %s failed: %s", \
	    __FILE__, __LINE__, #expr, strerror(errno)); \
} while (0)

/* TAP_ERRNO: a call returning -1 on failure failed, with errno e. */
#define TAP_ERRNO(expr, e, name) do { \
	errno = 0; \
	long long tap_r_ = (long long)(expr); \
	int tap_e_ = errno; \
	tap_ok(tap_r_ == -1 && tap_e_ == (e), (name), \
	    "%s:%d: %s: want -1 and %s, got %lld and %s", __FILE__, __LINE__, #expr, \
	    strerror(e), tap_r_, tap_r_ == -1 ? strerror(tap_e_) : "no error"); \
} while (0)

#define tap_diag(...)	tap_printf("# " __VA_ARGS__)

/* tap_done: the plan; the exit status (0: every check passed). */
static int __attribute__((unused))
tap_done(void)
{
	tap_printf("1..%d\n", tap_count);
	return tap_failed == 0 ? 0 : 1;
}

#endif /* TESTS_BSD_TAP_H */
