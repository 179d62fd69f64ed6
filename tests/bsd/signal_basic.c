/*
 * signal_basic.c - handlers, actions and masks: a handler runs with its
 * signal number and siginfo; a blocked signal stays pending and runs when
 * unblocked; the handler's mask; SA_NODEFER, SA_RESETHAND, SIG_IGN;
 * sigsuspend; sigaltstack; and the calls' errors.
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

static volatile int hits, last_sig, last_code, blocked_in_handler;
static volatile uintptr_t handler_sp;

static void
on_info(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_in_handler = sigismember(&cur, sig);
	handler_sp = (uintptr_t)__builtin_frame_address(0);
}

static void
on_plain(int sig)
{
	hits++;
	last_sig = sig;
}

static int
set_action(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static long
raw_sigaction(long sig, const void *act, void *oact, long size)
{
	return syscall(SYS_rt_sigaction, sig, act, oact, size);
}

int
main(void)
{
	struct sigaction old;
	sigset_t set, pend;
	static char altstack[16384];
	stack_t ss, oss;

	/* A handler with siginfo. */
	TAP_SUCCEEDS(set_action(SIGUSR1, on_info, 0), "sigaction(SIGUSR1)");
	hits = 0;
	TAP_SUCCEEDS(raise(SIGUSR1), "raise(SIGUSR1)");
	TAP_EQ(hits, 1, "the handler ran once");
	TAP_EQ(last_sig, SIGUSR1, "it was given SIGUSR1");
	TAP_EQ(last_code, SI_TKILL, "si_code is SI_TKILL (raise uses tkill)");
	TAP_OK(blocked_in_handler, "the signal is blocked in its own handler");
	sigprocmask(SIG_BLOCK, NULL, &set);
	TAP_OK(!sigismember(&set, SIGUSR1), "and unblocked again after it");

	/* Blocked: pending, then delivered when unblocked. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	TAP_SUCCEEDS(sigprocmask(SIG_BLOCK, &set, NULL), "block SIGUSR1");
	hits = 0;
	raise(SIGUSR1);
	TAP_EQ(hits, 0, "a blocked signal does not run");
	sigemptyset(&pend);
	TAP_SUCCEEDS(sigpending(&pend), "sigpending");
	TAP_OK(sigismember(&pend, SIGUSR1), "it is pending");
	TAP_SUCCEEDS(sigprocmask(SIG_UNBLOCK, &set, NULL), "unblock SIGUSR1");
	TAP_EQ(hits, 1, "it ran when unblocked");
	sigpending(&pend);
	TAP_OK(!sigismember(&pend, SIGUSR1), "and is no longer pending");

	/* Two pending standard signals are one. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	hits = 0;
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	TAP_EQ(hits, 1, "a standard signal posted twice while blocked runs once");

	/* SA_NODEFER. */
	set_action(SIGUSR2, on_info, SA_NODEFER);
	raise(SIGUSR2);
	TAP_OK(last_sig == SIGUSR2 && !blocked_in_handler, "SA_NODEFER: not blocked in its handler");

	/* SA_RESETHAND. */
	set_action(SIGUSR2, on_info, SA_RESETHAND);
	hits = 0;
	raise(SIGUSR2);
	TAP_EQ(hits, 1, "SA_RESETHAND: the handler runs");
	sigaction(SIGUSR2, NULL, &old);
	TAP_OK(old.sa_handler == SIG_DFL, "SA_RESETHAND: then the action is SIG_DFL");

	/* Ignored signals: kept pending while blocked (as Linux), then dropped. */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	sigpending(&pend);
	TAP_OK(!sigismember(&pend, SIGUSR2), "an ignored signal is not left pending");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	sigpending(&pend);
	TAP_OK(sigismember(&pend, SIGUSR2), "an ignored but blocked signal is pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigpending(&pend);
	TAP_OK(!sigismember(&pend, SIGUSR2), "and is dropped once unblocked");
	set_action(SIGUSR2, on_info, 0);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	sigpending(&pend);
	TAP_OK(!sigismember(&pend, SIGUSR2), "ignoring a pending signal drops it");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* SIGCHLD, SIGURG and SIGWINCH are ignored by default. */
	signal(SIGWINCH, SIG_DFL);
	raise(SIGWINCH);
	raise(SIGURG);
	TAP_OK(1, "SIGWINCH and SIGURG are ignored by default");

	/* A plain handler (sa_handler) through signal(). */
	signal(SIGUSR2, on_plain);
	hits = 0;
	raise(SIGUSR2);
	TAP_OK(hits == 1 && last_sig == SIGUSR2, "signal() installs a plain handler");

	/* An rt signal. */
	set_action(SIGRTMIN + 3, on_info, 0);
	hits = 0;
	raise(SIGRTMIN + 3);
	TAP_OK(hits == 1 && last_sig == SIGRTMIN + 3, "a real-time signal runs its handler");

	/* sigsuspend: a pending signal ends it; the mask comes back. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	hits = 0;
	sigemptyset(&pend);
	TAP_ERRNO(sigsuspend(&pend), EINTR, "sigsuspend returns EINTR");
	TAP_EQ(hits, 1, "the handler ran inside sigsuspend");
	sigprocmask(SIG_BLOCK, NULL, &set);
	TAP_OK(sigismember(&set, SIGUSR1), "sigsuspend put the old mask back");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &set);
	TAP_OK(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP),
	    "SIGKILL and SIGSTOP stay unblocked");
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	/* The alternate stack. */
	ss.ss_sp = altstack;
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0;
	TAP_SUCCEEDS(sigaltstack(&ss, NULL), "sigaltstack");
	set_action(SIGUSR1, on_info, SA_ONSTACK);
	raise(SIGUSR1);
	TAP_OK(handler_sp >= (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof(altstack),
	    "SA_ONSTACK: the handler runs on the alternate stack");
	set_action(SIGUSR1, on_info, 0);
	raise(SIGUSR1);
	TAP_OK(!(handler_sp >= (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof(altstack)),
	    "without SA_ONSTACK it does not");
	TAP_SUCCEEDS(sigaltstack(NULL, &oss), "sigaltstack: query");
	TAP_OK(oss.ss_sp == altstack && oss.ss_size == sizeof(altstack) && oss.ss_flags == 0,
	    "sigaltstack reports the stack");
	ss.ss_size = 100;
	TAP_ERRNO(sigaltstack(&ss, NULL), ENOMEM, "sigaltstack: too small is ENOMEM");
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0x1234;
	TAP_ERRNO(sigaltstack(&ss, NULL), EINVAL, "sigaltstack: bad flags are EINVAL");
	ss.ss_flags = SS_DISABLE;
	TAP_SUCCEEDS(sigaltstack(&ss, NULL), "sigaltstack: disable");
	sigaltstack(NULL, &oss);
	TAP_OK(oss.ss_flags == SS_DISABLE, "sigaltstack reports it disabled");
	TAP_ERRNO(syscall(SYS_sigaltstack, (void *)8, NULL), EFAULT, "sigaltstack: bad pointer");

	/* Errors. */
	TAP_ERRNO(sigaction(SIGKILL, &old, NULL), EINVAL, "sigaction(SIGKILL) is EINVAL");
	TAP_ERRNO(sigaction(SIGSTOP, &old, NULL), EINVAL, "sigaction(SIGSTOP) is EINVAL");
	TAP_SUCCEEDS(sigaction(SIGKILL, NULL, &old), "sigaction(SIGKILL) may be queried");
	TAP_ERRNO(raw_sigaction(0, NULL, NULL, 8), EINVAL, "rt_sigaction(0) is EINVAL");
	TAP_ERRNO(raw_sigaction(65, NULL, NULL, 8), EINVAL, "rt_sigaction(65) is EINVAL");
	TAP_ERRNO(raw_sigaction(SIGUSR1, NULL, NULL, 4), EINVAL, "rt_sigaction: sigsetsize 4 is EINVAL");
	TAP_ERRNO(raw_sigaction(SIGUSR1, (void *)8, NULL, 8), EFAULT, "rt_sigaction: bad act is EFAULT");
	TAP_ERRNO(raw_sigaction(SIGUSR1, NULL, (void *)8, 8), EFAULT, "rt_sigaction: bad oact is EFAULT");
	TAP_ERRNO(syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL, "rt_sigprocmask: bad how");
	TAP_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8), EFAULT,
	    "rt_sigprocmask: bad set");
	TAP_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (void *)8, 8), EFAULT,
	    "rt_sigprocmask: bad oldset");
	TAP_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16), EINVAL,
	    "rt_sigprocmask: sigsetsize 16");
	TAP_ERRNO(syscall(SYS_rt_sigpending, (void *)8, 8), EFAULT, "rt_sigpending: bad pointer");
	TAP_ERRNO(syscall(SYS_rt_sigsuspend, (void *)8, 8), EFAULT, "rt_sigsuspend: bad pointer");
	TAP_ERRNO(syscall(SYS_rt_sigsuspend, &set, 4), EINVAL, "rt_sigsuspend: sigsetsize 4");
	return tap_done();
}
