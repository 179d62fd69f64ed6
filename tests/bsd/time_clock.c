/*
 * time_clock.c - the clocks: clock_gettime on each clock id,
 * clock_getres, gettimeofday, time, settimeofday and clock_settime (as
 * root, setting the time it already is), and their refusals.
 * No check on how long anything took: the machine is shared.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define BAD	((void *)8)

static long
sys_clock_gettime(int id, struct timespec *ts)
{
	return syscall(SYS_clock_gettime, id, ts);
}

static int64_t
ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int
main(void)
{
	struct timespec a, b, res;
	struct timeval tv, tv2;
	struct timezone tz = { 99, 99 };
	volatile uint64_t spin = 0;
	long t, r;
	int moved = 0;

	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_MONOTONIC, &a), "CLOCK_MONOTONIC");
	for (int i = 0; i < 1000000 && !moved; i++) {
		sys_clock_gettime(CLOCK_MONOTONIC, &b);
		moved = ns_of(&b) > ns_of(&a);
	}
	TAP_OK(moved, "CLOCK_MONOTONIC advances");
	TAP_OK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000, "tv_nsec is within a second");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_REALTIME, &a), "CLOCK_REALTIME");
	TAP_OK(a.tv_sec > 1500000000, "the calendar is past 2017");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_MONOTONIC_RAW, &b), "CLOCK_MONOTONIC_RAW");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_BOOTTIME, &b), "CLOCK_BOOTTIME");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_REALTIME_COARSE, &b), "CLOCK_REALTIME_COARSE");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_MONOTONIC_COARSE, &b), "CLOCK_MONOTONIC_COARSE");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a), "CLOCK_THREAD_CPUTIME_ID");
	for (int i = 0; i < 20000000; i++)
		spin += (uint64_t)i;
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b), "CLOCK_THREAD_CPUTIME_ID again");
	TAP_OK(ns_of(&b) > ns_of(&a), "thread CPU time grows while spinning");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b), "CLOCK_PROCESS_CPUTIME_ID");
	TAP_OK(ns_of(&b) > 0, "the process has used CPU time");
	TAP_ERRNO(sys_clock_gettime(42, &a), EINVAL, "an unknown clock is EINVAL");
	TAP_ERRNO(sys_clock_gettime(-1, &a), EINVAL, "a negative clock id is EINVAL");
	TAP_ERRNO(sys_clock_gettime(CLOCK_MONOTONIC, BAD), EFAULT, "a bad pointer is EFAULT");

	TAP_SUCCEEDS(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res), "clock_getres");
	TAP_OK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000, "a fine resolution");
	TAP_SUCCEEDS(syscall(SYS_clock_getres, CLOCK_REALTIME, NULL), "clock_getres with NULL");
	TAP_ERRNO(syscall(SYS_clock_getres, 42, &res), EINVAL, "clock_getres of an unknown clock");
	TAP_ERRNO(syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD), EFAULT,
	    "clock_getres to a bad pointer");

	sys_clock_gettime(CLOCK_REALTIME, &a);
	TAP_SUCCEEDS(syscall(SYS_gettimeofday, &tv, &tz), "gettimeofday");
	TAP_OK(tv.tv_sec >= a.tv_sec && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	    "gettimeofday agrees with CLOCK_REALTIME");
	TAP_OK(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0, "the time zone is UTC");
	TAP_SUCCEEDS(syscall(SYS_gettimeofday, NULL, NULL), "gettimeofday(NULL, NULL)");
	TAP_ERRNO(syscall(SYS_gettimeofday, BAD, NULL), EFAULT, "gettimeofday to a bad pointer");
	t = 0;
	r = syscall(SYS_time, &t);
	TAP_OK(r >= a.tv_sec && r == t, "time() returns and stores the seconds");
	TAP_ERRNO(syscall(SYS_time, BAD), EFAULT, "time() to a bad pointer");

	/* Setting: the time it already is, as root. */
	TAP_SUCCEEDS(syscall(SYS_gettimeofday, &tv, NULL), "read the time to set");
	TAP_SUCCEEDS(syscall(SYS_settimeofday, &tv, NULL), "settimeofday as root");
	TAP_SUCCEEDS(syscall(SYS_gettimeofday, &tv2, NULL), "read it back");
	TAP_OK(tv2.tv_sec >= tv.tv_sec, "the time did not go backwards");
	tv.tv_usec = 2000000;
	TAP_ERRNO(syscall(SYS_settimeofday, &tv, NULL), EINVAL, "tv_usec of 2 s is EINVAL");
	TAP_ERRNO(syscall(SYS_settimeofday, BAD, NULL), EFAULT, "settimeofday from a bad pointer");
	sys_clock_gettime(CLOCK_REALTIME, &a);
	TAP_SUCCEEDS(syscall(SYS_clock_settime, CLOCK_REALTIME, &a), "clock_settime(CLOCK_REALTIME)");
	TAP_ERRNO(syscall(SYS_clock_settime, CLOCK_MONOTONIC, &a), EINVAL,
	    "clock_settime(CLOCK_MONOTONIC) is EINVAL");
	a.tv_nsec = -1;
	TAP_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &a), EINVAL, "a negative tv_nsec is EINVAL");
	a.tv_sec = INT64_MAX / 2, a.tv_nsec = 0;
	TAP_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &a), EINVAL,
	    "a time past 2262 is EINVAL");
	TAP_SUCCEEDS(sys_clock_gettime(CLOCK_REALTIME, &b), "the calendar after the refusals");
	TAP_OK(b.tv_sec > 1500000000 && b.tv_sec < 4000000000LL, "it was left alone");
	(void)spin;
	return tap_done();
}
