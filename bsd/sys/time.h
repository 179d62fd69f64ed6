/*
 * time.h - the BSD layer's time structures and clock ids (Linux's layout
 * and numbers, the ABI's). The calls are bsd/kern/kern_time.c's.
 */

#ifndef BSD_SYS_TIME_H
#define BSD_SYS_TIME_H

#include <stdint.h>

struct timespec {
	int64_t		tv_sec;
	int64_t		tv_nsec;
};

struct timeval {
	int64_t		tv_sec;
	int64_t		tv_usec;
};

struct timezone {
	int32_t		tz_minuteswest;
	int32_t		tz_dsttime;
};

struct itimerval {
	struct timeval	it_interval;	/* reload value; 0: one shot */
	struct timeval	it_value;	/* time left; 0: disarmed */
};

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

/* Linux's clock ids. */
#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7

#define TIMER_ABSTIME	1		/* clock_nanosleep: an absolute time */

#endif /* BSD_SYS_TIME_H */
