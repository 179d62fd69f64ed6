/*
 * time_sleep.c - nanosleep and clock_nanosleep sleep at least as long as
 * asked (never checked for an upper bound: the machine is shared), and
 * refuse malformed times. Also sched_yield, sched_getaffinity, getcpu.
 */

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define BAD	((void *)8)

static int64_t
now_ns(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
main(void)
{
	struct timespec req = { 0, 20000000 }, rem = { 7, 7 };
	int64_t t0, t1;
	uint64_t mask[2] = { 0, 0 };
	unsigned cpu = 999, node = 999;
	long r;

	t0 = now_ns();
	TAP_SUCCEEDS(syscall(SYS_nanosleep, &req, &rem), "nanosleep 20 ms");
	t1 = now_ns();
	TAP_OK(t1 - t0 >= 20000000, "it slept at least 20 ms");
	req.tv_nsec = 0;
	TAP_SUCCEEDS(syscall(SYS_nanosleep, &req, NULL), "nanosleep 0");
	req.tv_nsec = 1000000000;
	TAP_ERRNO(syscall(SYS_nanosleep, &req, NULL), EINVAL, "tv_nsec of 1 s is EINVAL");
	req.tv_sec = -1, req.tv_nsec = 0;
	TAP_ERRNO(syscall(SYS_nanosleep, &req, NULL), EINVAL, "a negative time is EINVAL");
	TAP_ERRNO(syscall(SYS_nanosleep, BAD, NULL), EFAULT, "a bad pointer is EFAULT");

	req.tv_sec = 0, req.tv_nsec = 10000000;
	t0 = now_ns();
	TAP_EQ(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL), 0,
	    "clock_nanosleep 10 ms on CLOCK_MONOTONIC");
	TAP_OK(now_ns() - t0 >= 10000000, "it slept at least 10 ms");
	t0 = now_ns() + 15000000;
	req.tv_sec = t0 / 1000000000, req.tv_nsec = t0 % 1000000000;
	TAP_EQ(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL), 0,
	    "clock_nanosleep to an absolute time");
	TAP_OK(now_ns() >= t0, "it woke after that time");
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &req);
	req.tv_nsec = (req.tv_nsec + 5000000) % 1000000000;
	TAP_EQ(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &req, NULL), 0,
	    "clock_nanosleep to an absolute CLOCK_REALTIME time");
	req.tv_sec = 0, req.tv_nsec = 1000;
	TAP_ERRNO(syscall(SYS_clock_nanosleep, 42, 0, &req, NULL), EINVAL,
	    "clock_nanosleep on an unknown clock is EINVAL");
	req.tv_nsec = -5;
	TAP_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL), EINVAL,
	    "clock_nanosleep with a negative tv_nsec is EINVAL");

	TAP_EQ(syscall(SYS_sched_yield), 0, "sched_yield");
	r = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	TAP_OK(r >= 8 && mask[0] != 0, "sched_getaffinity: some CPU");
	TAP_ERRNO(syscall(SYS_sched_getaffinity, 0, 4, mask), EINVAL, "a 4-byte mask is EINVAL");
	TAP_ERRNO(syscall(SYS_sched_getaffinity, 0, sizeof(mask), BAD), EFAULT,
	    "sched_getaffinity to a bad pointer");
	TAP_ERRNO(syscall(SYS_sched_getaffinity, 99998, sizeof(mask), mask), ESRCH,
	    "sched_getaffinity of nobody is ESRCH");
	TAP_SUCCEEDS(syscall(SYS_getcpu, &cpu, &node, NULL), "getcpu");
	TAP_OK(cpu < 64 && (mask[0] & (1ULL << cpu)) && node == 0, "a CPU of the mask, node 0");
	TAP_ERRNO(syscall(SYS_getcpu, BAD, NULL, NULL), EFAULT, "getcpu to a bad pointer");
	return tap_done();
}
