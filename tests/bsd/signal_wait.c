/*
 * signal_wait.c - rt_sigtimedwait (sigtimedwait, sigwaitinfo, sigwait):
 * a pending blocked signal is taken without its handler, with its
 * siginfo; a zero timeout only looks (EAGAIN); a timeout passes (EAGAIN);
 * a signal that comes while waiting (an alarm) is taken; another signal
 * with a handler interrupts the wait (EINTR); the mask is as it was after.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile int handled;

static void
on_sig(int sig)
{
	(void)sig;
	handled++;
}

static void
arm(long usec)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = usec;
	setitimer(ITIMER_REAL, &it, NULL);
}

int
main(void)
{
	struct timespec zero = { 0, 0 }, short_ts = { 0, 30 * 1000 * 1000 }, long_ts = { 20, 0 };
	struct timespec bad = { 0, -1 };
	sigset_t set, cur;
	siginfo_t si;
	int sig;

	signal(SIGUSR1, on_sig);
	signal(SIGALRM, on_sig);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	raise(SIGUSR1);
	memset(&si, 0, sizeof(si));
	TAP_EQ(sigtimedwait(&set, &si, &zero), SIGUSR1, "a pending signal is taken");
	TAP_EQ(si.si_signo, SIGUSR1, "si_signo");
	TAP_EQ(si.si_code, SI_TKILL, "si_code SI_TKILL");
	TAP_EQ(handled, 0, "its handler did not run");
	TAP_ERRNO(sigtimedwait(&set, &si, &zero), EAGAIN, "nothing pending, zero timeout: EAGAIN");
	TAP_ERRNO(sigtimedwait(&set, &si, &short_ts), EAGAIN, "a timeout passes: EAGAIN");

	arm(50000);
	TAP_EQ(sigtimedwait(&set, &si, &long_ts), SIGALRM, "an alarm that comes while waiting is taken");
	TAP_EQ(handled, 0, "its handler did not run");
	raise(SIGUSR1);
	TAP_EQ(sigwaitinfo(&set, &si), SIGUSR1, "sigwaitinfo");
	raise(SIGUSR1);
	sig = 0;
	TAP_EQ(sigwait(&set, &sig), 0, "sigwait");
	TAP_EQ(sig, SIGUSR1, "sigwait's signal");

	/* Another signal, with a handler and not waited for, interrupts. */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	arm(50000);
	/* (musl's sigtimedwait waits again after EINTR: the call itself.) */
	TAP_ERRNO(syscall(SYS_rt_sigtimedwait, &set, &si, &long_ts, 8), EINTR,
	    "another signal interrupts: EINTR");
	TAP_EQ(handled, 1, "and its handler ran");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	TAP_OK(sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGALRM), "the mask is as it was");

	TAP_ERRNO(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4), EINVAL, "sigsetsize 4 is EINVAL");
	TAP_ERRNO(syscall(SYS_rt_sigtimedwait, (void *)8, NULL, &zero, 8), EFAULT, "a bad set is EFAULT");
	TAP_ERRNO(syscall(SYS_rt_sigtimedwait, &set, NULL, (void *)8, 8), EFAULT, "a bad timeout is EFAULT");
	TAP_ERRNO(syscall(SYS_rt_sigtimedwait, &set, NULL, &bad, 8), EINVAL, "a negative timeout is EINVAL");
	raise(SIGUSR1);
	TAP_ERRNO(syscall(SYS_rt_sigtimedwait, &set, (void *)8, &zero, 8), EFAULT,
	    "a bad info pointer is EFAULT");
	{
		struct sigaction sa;
		sigset_t none;
		int before;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sig;
		sigaction(SIGALRM, &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		before = handled;
		arm(20000);
		TAP_ERRNO(pause(), EINTR, "pause returns EINTR once a handler ran");
		TAP_EQ(handled, before + 1, "the handler ran once");
	}
	return tap_done();
}
