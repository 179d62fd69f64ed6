/*
 * signal_kill.c - sending signals: kill (to the process group, errors),
 * tkill and tgkill (to a thread, errors), with the sender in siginfo.
 *
 * With an argument it is a subject for the kernel's own tests
 * (bsd/kern/kern_sig_test.c), which send it signals from outside:
 *   term		raise(SIGTERM): dies of it (exit 3 if it does not)
 *   ignore		SIGTERM ignored, raised: exits 7
 *   blocked-segv	a fault with SIGSEGV blocked: dies of SIGSEGV
 *   altstack-overflow	a handler on a small alternate stack raises its
 *			signal again and again: dies of SIGSEGV when the
 *			next frame would not fit (exit 3 if it does not)
 *   exec-check		(exec'd by signal_fork) exits 0 if SIGUSR1's action
 *			is SIG_DFL, SIGUSR2's SIG_IGN and SIGTERM is blocked
 *   wait N		waits on a futex for a minute; SIGUSR1 (SA_RESTART)
 *			restarts the wait, SIGUSR2 (no SA_RESTART) ends it
 *			with EINTR: exits 0 if that happened, with N SIGUSR1s
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile int usr1, usr2, last_code;
static volatile pid_t last_pid;

static void
on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGUSR1)
		usr1++;
	else
		usr2++;
	last_code = si->si_code;
	last_pid = si->si_pid;
}

static void
catch(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

static volatile int depth;

static void
recurse(int sig)
{
	if (++depth < 64)
		raise(sig);
}

static int
subject(int argc, char **argv)
{
	if (strcmp(argv[1], "exec-check") == 0) {
		struct sigaction a1, a2;
		sigset_t m;

		sigaction(SIGUSR1, NULL, &a1);
		sigaction(SIGUSR2, NULL, &a2);
		sigprocmask(SIG_BLOCK, NULL, &m);
		return a1.sa_handler == SIG_DFL && a2.sa_handler == SIG_IGN &&
		    sigismember(&m, SIGTERM) ? 0 : 1;
	}
	if (strcmp(argv[1], "altstack-overflow") == 0) {
		static char stack[8192];
		struct sigaction sa;
		stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) };

		sigaltstack(&ss, NULL);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = recurse;
		sa.sa_flags = SA_ONSTACK | SA_NODEFER;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		return 3;
	}
	if (strcmp(argv[1], "term") == 0) {
		raise(SIGTERM);
		return 3;
	}
	if (strcmp(argv[1], "ignore") == 0) {
		signal(SIGTERM, SIG_IGN);
		raise(SIGTERM);
		return 7;
	}
	if (strcmp(argv[1], "blocked-segv") == 0) {
		sigset_t set;

		catch(SIGSEGV, 0);
		sigemptyset(&set);
		sigaddset(&set, SIGSEGV);
		sigprocmask(SIG_BLOCK, &set, NULL);
		*(volatile int *)(uintptr_t)(argc * 8) = 1;
		return 3;
	}
	if (strcmp(argv[1], "wait") == 0 && argc > 2) {
		static int word;
		struct timespec ts = { 60, 0 };
		long r;
		int e;

		catch(SIGUSR1, SA_RESTART);
		catch(SIGUSR2, 0);
		r = syscall(SYS_futex, &word, 0 /* FUTEX_WAIT */, 0, &ts, NULL, 0);
		e = errno;
		tap_printf("signal_kill: wait returned %ld (%s), %d SIGUSR1, %d SIGUSR2\n", r,
		    strerror(e), usr1, usr2);
		return (r == -1 && e == EINTR && usr1 == atoi(argv[2]) && usr2 == 1) ? 0 : 1;
	}
	return 2;
}

int
main(int argc, char **argv)
{
	long tid = syscall(SYS_gettid);
	long pid = syscall(SYS_getpid);

	if (argc > 1)
		return subject(argc, argv);

	catch(SIGUSR1, 0);
	catch(SIGUSR2, 0);
	/* A group of its own first: kill(0) must not reach whoever started it. */
	TAP_OK(setpgid(0, 0) == 0 || (errno == EPERM && getsid(0) == getpid()),
	    "a process group of its own (or a session leader already)");
	TAP_SUCCEEDS(kill(0, SIGUSR1), "kill(0, SIGUSR1): the process group");
	TAP_EQ(usr1, 1, "the handler ran");
	TAP_EQ(last_code, SI_USER, "si_code SI_USER");
	if (pid > 0)
		TAP_EQ(last_pid, pid, "si_pid is the sender");
	TAP_SUCCEEDS(kill(0, 0), "kill(0, 0) checks only");
	TAP_ERRNO(kill(99998, 0), ESRCH, "kill of no such process is ESRCH");
	TAP_ERRNO(kill(-99998, SIGUSR1), ESRCH, "kill of no such group is ESRCH");
	TAP_ERRNO(kill(-2147483647 - 1, 0), ESRCH, "kill of group INT_MIN is ESRCH");
	TAP_ERRNO(kill(0, 65), EINVAL, "kill with signal 65 is EINVAL");
	TAP_ERRNO(kill(0, -1), EINVAL, "kill with signal -1 is EINVAL");

	TAP_SUCCEEDS(syscall(SYS_tkill, tid, SIGUSR2), "tkill(self, SIGUSR2)");
	TAP_EQ(usr2, 1, "the handler ran");
	TAP_EQ(last_code, SI_TKILL, "si_code SI_TKILL");
	TAP_SUCCEEDS(syscall(SYS_tkill, tid, 0), "tkill(self, 0)");
	TAP_ERRNO(syscall(SYS_tkill, 0, SIGUSR2), EINVAL, "tkill of thread 0 is EINVAL");
	TAP_ERRNO(syscall(SYS_tkill, -5, SIGUSR2), EINVAL, "tkill of thread -5 is EINVAL");
	TAP_ERRNO(syscall(SYS_tkill, tid, 65), EINVAL, "tkill with signal 65 is EINVAL");
	TAP_ERRNO(syscall(SYS_tkill, 0x7fffff00, 0), ESRCH, "tkill of no such thread is ESRCH");
	TAP_ERRNO(syscall(SYS_tgkill, 0, tid, SIGUSR2), EINVAL, "tgkill of group 0 is EINVAL");
	TAP_ERRNO(syscall(SYS_tgkill, 99998, tid, 0), ESRCH, "tgkill of no such group is ESRCH");
	TAP_ERRNO(syscall(SYS_tgkill, 1, 0, 0), EINVAL, "tgkill of thread 0 is EINVAL");
	if (pid > 0) {
		TAP_SUCCEEDS(syscall(SYS_tgkill, pid, tid, SIGUSR2), "tgkill(self, self, SIGUSR2)");
		TAP_EQ(usr2, 2, "the handler ran");
		TAP_ERRNO(syscall(SYS_tgkill, pid, 0x7fffff00, 0), ESRCH,
		    "tgkill of no such thread in the group is ESRCH");
	}
	return tap_done();
}
