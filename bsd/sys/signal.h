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

/* The sa_flags rt_sigaction accepts (others are EINVAL). */
#define SA_ALLFLAGS	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTORER | \
			 SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND)

/* si_code values (Linux's). */
#define SI_USER		0		/* kill */
#define SI_KERNEL	0x80		/* the kernel itself */
#define SI_QUEUE	(-1)
#define SI_TKILL	(-6)		/* tkill, tgkill */
#define ILL_ILLOPC	1
#define ILL_ILLOPN	2
#define ILL_PRVOPC	5
#define ILL_BADSTK	8
#define FPE_INTDIV	1
#define FPE_INTOVF	2
#define FPE_FLTINV	7
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRALN	1
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/*
 * siginfo_t as the kernel writes it (128 bytes). The union's members used
 * here: kill's sender, a fault's address, a child's status.
 */
struct user_siginfo {
	int32_t		si_signo;
	int32_t		si_errno;
	int32_t		si_code;
	int32_t		si_pad0;
	union {
		struct {
			int32_t		pid;
			uint32_t	uid;
			int32_t		status;		/* SIGCHLD */
		} kill;
		uint64_t	addr;			/* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
		uint8_t		pad[112];
	} si_u;
};
_Static_assert(sizeof(struct user_siginfo) == 128, "siginfo_t is 128 bytes");

/* stack_t (sigaltstack). */
struct user_sigaltstack {
	uint64_t	ss_sp;
	int32_t		ss_flags;
	int32_t		ss_pad;
	uint64_t	ss_size;
};

#define SS_ONSTACK	1		/* running on it now (out only) */
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048

#endif /* BSD_SYS_SIGNAL_H */
