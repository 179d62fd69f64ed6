/*
 * signalvar.h - signals inside the kernel: posting them (BSD's psignal
 * family), for the rest of the kernel (the tty: SIGINT, SIGTSTP,
 * SIGWINCH; pipes: SIGPIPE; exit: SIGCHLD; Mach exceptions: SIGSEGV and
 * kin), and the process's signal actions (struct sigacts) with what fork,
 * exec and the sleep primitives need of them.
 *
 * A signal sent to a process is made pending on it (p_siglist), one sent
 * to a thread on its uthread (uu_siglist); either way a thread that does
 * not block it is given AST_BSD (act_set_astbsd), which ends an
 * interruptible sleep at once and makes the thread call bsd_ast on its
 * way back to user mode. There the signal is taken: its default action
 * (terminate, terminate with core, stop, continue, ignore) or its handler
 * (a frame on the user stack, sendsig, undone by rt_sigreturn).
 *
 * Invariants
 *   - SIGKILL and SIGSTOP are never caught, blocked or ignored;
 *   - a signal whose action is to ignore it is dropped when posted unless
 *     it is blocked (as Linux: the action may change before it is
 *     unblocked), dropped from every pending set when an action becomes
 *     "ignore", and thrown away when taken;
 *   - p_sigacts is NULL until the process first sets an action (every
 *     action SIG_DFL), then the process's own until proc_free.
 *
 * Locks: [S] proc_signal_lock(p) covers struct sigacts, p_siglist and the
 * uthreads' masks and pending sets. It is a spin lock: nothing that
 * blocks under it. Posting is callable from any thread context with no
 * BSD lock held except proc_list_lock (pgsignal holds it).
 */

#ifndef BSD_SYS_SIGNALVAR_H
#define BSD_SYS_SIGNALVAR_H

#include <stdint.h>

#include "bsd/sys/proc.h"
#include "bsd/sys/signal.h"
#include "mach/boolean.h"
#include "mach/kern/kern_types.h"

struct pgrp;
struct uthread;

/* What a pending signal carries for its siginfo_t (the last posting's). */
struct ksiginfo {
	int32_t		ksi_code;	/* SI_USER, SEGV_MAPERR, ... */
	int32_t		ksi_pid;	/* the sender, for SI_USER and SI_TKILL */
	uint32_t	ksi_uid;
	int32_t		ksi_status;	/* SIGCHLD */
	uint64_t	ksi_addr;	/* the fault address */
};

struct sigacts {
	struct k_sigaction	ps_action[NSIG];	/* [S] handler, flags, restorer, mask */
	struct ksiginfo		ps_info[NSIG];		/* [S] the pending signals' details */
	int			ps_flags;		/* [S] SAS_* */
};

#define SAS_CONTINUED	0x0001		/* continued: a thread tells the parent */

/* psignal: send sig to process p (from the kernel: si_code SI_KERNEL). */
void	psignal(proc_t p, int sig);
/*
 * psignal_exit: tell parent that child ended (its exit signal, SIGCHLD
 * mostly), with CLD_EXITED, CLD_KILLED or CLD_DUMPED, the child's pid and
 * its status or signal in the siginfo_t. Locks: proc_list_lock held.
 */
void	psignal_exit(proc_t parent, proc_t child, int sig);
/* pgsignal: send sig to every process of pgrp (checkctty: only those with a controlling tty). */
void	pgsignal(struct pgrp *pgrp, int sig, int checkctty);
/* psignal_thread: send sig to one thread of its process (synchronous faults). */
void	psignal_thread(thread_t thread, int sig);

/*
 * psignal_info: send sig to p (thread: THREAD_NULL) or to one thread of
 * p, with the details its siginfo_t will show. Returns 0, or EINVAL for a
 * signal number out of range. A signal 0 checks nothing here (kill's
 * permission check is the caller's).
 */
int	psignal_info(proc_t p, thread_t thread, int sig, const struct ksiginfo *info);

/*
 * execsigs: at exec, caught signals go back to SIG_DFL; ignored ones stay
 * ignored, the mask and pending signals stay; the alternate stack is
 * forgotten (thread: the one that goes on into the new program).
 */
void	execsigs(proc_t p, thread_t thread);

/*
 * sigacts_fork: the child's actions are a copy of the parent's (fork).
 * Returns 0 or ENOMEM. Its pending signals start empty; the thread that
 * fork makes copies its mask from the calling thread (the process area).
 */
int	sigacts_fork(proc_t parent, proc_t child);

/* sigacts_free: release p's actions (proc_free). */
void	sigacts_free(proc_t p);

/*
 * sig_sleep_errno: an interruptible sleep (msleep with PCATCH) of the
 * current thread was interrupted: ERESTART if a signal is to be taken
 * (the call is made again afterwards, unless the signal runs a handler
 * without SA_RESTART: then it fails with EINTR, decided when the handler
 * is taken), EINTR if the thread is being terminated, 0 if no signal is
 * deliverable after all (the caller may sleep again).
 */
int	sig_sleep_errno(void);

/*
 * bsd_ast: the BSD layer's work at the current thread's return to user
 * mode (thread_set_bsd_ast): take the signals it may, and with exiting
 * the thread's end (CLONE_CHILD_CLEARTID's clearing and futex wake).
 */
void	bsd_ast(thread_t thread, boolean_t exiting);

/* signal_init: register bsd_ast and the exception handler with the Mach layer. */
void	signal_init(void);

/*
 * The machine's half (kernel/x86_64/unix_signal.c).
 * sendsig: build the handler's frame (Linux's rt_sigframe) on the current
 * thread's user stack (or its alternate stack) and point its state at
 * the handler. mask is what the frame saves as uc_sigmask. Returns 0, or
 * EFAULT if the frame could not be written (the caller kills the process
 * with SIGSEGV).
 * machine_sigreturn: restore the state saved by sendsig from the frame at
 * the user stack pointer, validated (user selectors, user-settable flags
 * only, a user rip); *mask gets the saved mask. 0 or EFAULT.
 */
int	sendsig(struct uthread *ut, int sig, const struct k_sigaction *ka,
	    const struct ksiginfo *info, sigset_t mask);
int	machine_sigreturn(struct uthread *ut, sigset_t *mask);
/* sig_user_sp: the current thread's user stack pointer (sigaltstack's SS_ONSTACK). */
uint64_t sig_user_sp(void);

#endif /* BSD_SYS_SIGNALVAR_H */
