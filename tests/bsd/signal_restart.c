/*
 * signal_restart.c - a system call asleep when a signal comes: with
 * SA_RESTART it is made again (a read of an empty pipe, which the
 * handler then fills, returns that byte), without it it fails with EINTR;
 * a signal whose default action is to ignore it does not interrupt it at
 * all. The signal is SIGALRM from setitimer.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "tap.h"

static int fds[2];
static volatile int alarms, feed;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
	if (feed)
		(void)write(fds[1], "x", 1);
}

static void
arm(long usec)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = usec;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
catch(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
}

int
main(void)
{
	char c = 0;
	ssize_t n;
	int e;

	TAP_SUCCEEDS(pipe(fds), "pipe");

	/* SA_RESTART: the read goes on, and gets what the handler wrote. */
	catch(SA_RESTART);
	alarms = 0, feed = 1;
	arm(100000);
	errno = 0;
	n = read(fds[0], &c, 1);
	TAP_EQ(n, 1, "SA_RESTART: the interrupted read is made again and reads");
	TAP_EQ(c, 'x', "what the handler wrote");
	TAP_EQ(alarms, 1, "the handler ran once");

	/* No SA_RESTART: EINTR. */
	catch(0);
	alarms = 0, feed = 0;
	arm(100000);
	errno = 0;
	n = read(fds[0], &c, 1);
	e = errno;
	TAP_OK(n == -1 && e == EINTR, "without SA_RESTART the read fails with EINTR");
	TAP_EQ(alarms, 1, "the handler ran once");

	/* SIGCHLD (ignored by default) does not interrupt; SIGALRM then does. */
	catch(0);
	alarms = 0, feed = 0;
	arm(200000);
	raise(SIGCHLD);
	n = read(fds[0], &c, 1);
	e = errno;
	TAP_OK(n == -1 && e == EINTR && alarms == 1,
	    "a default-ignored signal does not interrupt the read; the alarm does");

	/* A blocked signal does not interrupt; sigsuspend then takes it. */
	{
		sigset_t set, none;

		sigemptyset(&set);
		sigaddset(&set, SIGALRM);
		sigprocmask(SIG_BLOCK, &set, NULL);
		alarms = 0;
		arm(50000);
		sigemptyset(&none);
		TAP_ERRNO(sigsuspend(&none), EINTR, "sigsuspend waits for the blocked alarm");
		TAP_EQ(alarms, 1, "and its handler ran");
		sigprocmask(SIG_UNBLOCK, &set, NULL);
	}
	return tap_done();
}
