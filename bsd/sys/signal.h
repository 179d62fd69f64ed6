/*
 * signal.h - signal numbers, sets and actions (Linux's numbers and the
 * kernel ABI's layouts: rt_sigaction passes struct k_sigaction, and
 * sigset_t is 64 bits).
 */

#ifndef BSD_SYS_SIGNAL_H
#define BSD_SYS_SIGNAL_H

#include <stdint.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define SIGRTMAX	64
#define NSIG		65	/* signals are 1 to NSIG - 1 */

typedef uint64_t sigset_t;

#define sigmask(sig)		(1ULL << ((sig) - 1))
#define sigaddset(set, sig)	(*(set) |= sigmask(sig))
#define sigdelset(set, sig)	(*(set) &= ~sigmask(sig))
#define sigismember(set, sig)	((*(set) & sigmask(sig)) != 0)

/* Signals that cannot be caught, blocked or ignored. */
#define sigcantmask		(sigmask(SIGKILL) | sigmask(SIGSTOP))

#define SIG_DFL		((uint64_t)0)
#define SIG_IGN		((uint64_t)1)

/* sa_flags */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* What rt_sigaction passes (the kernel's layout, not libc's struct sigaction). */
struct k_sigaction {
	uint64_t	sa_handler;	/* user address, SIG_DFL or SIG_IGN */
	uint64_t	sa_flags;
	uint64_t	sa_restorer;	/* user address of the sigreturn trampoline */
	sigset_t	sa_mask;
};

/* rt_sigprocmask's how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#endif /* BSD_SYS_SIGNAL_H */
