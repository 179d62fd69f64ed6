/*
 * time_alarm.c - the real-time interval timer delivers SIGALRM, and a
 * signal interrupts nanosleep with EINTR and the time left. Needs signal
 * delivery: where sigaction is not there (ENOSYS) the checks are left out
 * and the program says so.
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

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
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } }, off = { { 0, 0 }, { 0, 0 } };
	struct timespec req = { 30, 0 }, rem = { 0, 0 };
	int64_t t0;
	long r;
	int err;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) == -1) {
		tap_diag("sigaction: %s: no signal delivery, nothing to check\n", strerror(errno));
		return tap_done();
	}
	t0 = now_ns();
	TAP_SUCCEEDS(syscall(SYS_setitimer, ITIMER_REAL, &it, NULL), "setitimer 50 ms");
	r = syscall(SYS_nanosleep, &req, &rem);
	err = errno;
	TAP_OK(r == -1 && err == EINTR, "SIGALRM interrupts a 30 s nanosleep with EINTR");
	TAP_EQ(alarms, 1, "the handler ran once");
	TAP_OK(rem.tv_sec > 0 && rem.tv_sec <= 30, "the time left is reported");
	TAP_OK(now_ns() - t0 >= 50000000, "not before the timer was due");

	/* A periodic timer fires again and again. */
	it.it_interval.tv_usec = 20000;
	alarms = 0;
	TAP_SUCCEEDS(syscall(SYS_setitimer, ITIMER_REAL, &it, NULL), "a periodic 20 ms timer");
	for (int i = 0; i < 3000 && alarms < 3; i++) {
		req.tv_sec = 0, req.tv_nsec = 10000000;
		syscall(SYS_nanosleep, &req, NULL);
	}
	TAP_OK(alarms >= 3, "it fired three times");
	TAP_SUCCEEDS(syscall(SYS_setitimer, ITIMER_REAL, &off, NULL), "disarm it");

	alarms = 0;
	TAP_EQ(syscall(SYS_alarm, 1), 0, "alarm(1)");
	req.tv_sec = 30, req.tv_nsec = 0;
	r = syscall(SYS_nanosleep, &req, &rem);
	TAP_OK(r == -1 && alarms == 1, "alarm's SIGALRM arrives");
	return tap_done();
}
