/*
 * kern_sig.c - signals (bsd/sys/signalvar.h): posting, the actions, the
 * masks, delivery on the way back to user mode, and the system calls
 * (rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend,
 * sigaltstack, rt_sigreturn, kill, tkill, tgkill).
 *
 * Posting adds the signal to the process's pending set (or one thread's)
 * and gives AST_BSD to a thread that does not block it; bsd_ast, on that
 * thread's way back to user mode, takes pending signals one by one: a
 * default action, or a handler frame built by the machine layer
 * (sendsig). An interruptible sleep ends when AST_BSD is posted; msleep
 * asks sig_sleep_errno whether the call is to fail with EINTR or be
 * restarted (SA_RESTART).
 *
 * Stopping (SIGSTOP and the tty stops by default) sets p_stat to SSTOP:
 * every thread of the process parks in bsd_ast until SIGCONT (or SIGKILL)
 * sets it back to SRUN and wakes them. p_stat is [L], but SIGCONT is
 * posted by pgsignal with proc_list_lock held, so the stop and continue
 * transitions write it with atomic stores under the signal lock instead;
 * nothing else changes p_stat of a live process.
 */

#include "bsd/sys/signalvar.h"

#include <stddef.h>

#include "bsd/kern/kern_futex.h"
#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/ucred.h"
#include "bsd/sys/user.h"
#include "bsd/uxkern/ux_exception.h"
#include "kernel/copyio.h"
#include "kernel/kheap.h"
#include "kernel/machine/thread.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/exception.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"

/* Default actions (Linux's). */
#define SA_DFL_TERM	0
#define SA_DFL_CORE	1
#define SA_DFL_STOP	2
#define SA_DFL_IGNORE	3
#define SA_DFL_CONT	4

#define STOPSIGMASK	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | \
			 sigmask(SIGTTOU))

static int
sig_default(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SA_DFL_IGNORE;
	case SIGCONT:
		return SA_DFL_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SA_DFL_STOP;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SA_DFL_CORE;
	default:
		return SA_DFL_TERM;
	}
}

static struct sigacts *
sigacts_alloc(void)
{
	struct sigacts *ps = kheap_alloc(&kernel_heap, sizeof(*ps));

	if (ps != NULL)
		memset(ps, 0, sizeof(*ps));
	return ps;
}

/* p's actions, made (all SIG_DFL) if it has none yet. NULL: no memory. */
static struct sigacts *
proc_sigacts(proc_t p)
{
	struct sigacts *ps = __atomic_load_n(&p->p_sigacts, __ATOMIC_ACQUIRE), *expected = NULL;

	if (ps != NULL)
		return ps;
	ps = sigacts_alloc();
	if (ps == NULL)
		return NULL;
	if (!__atomic_compare_exchange_n(&p->p_sigacts, &expected, ps, FALSE,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		kheap_free(&kernel_heap, ps);
		return expected;
	}
	return ps;
}

/* sig's action in p. Locks: [S]. */
static struct k_sigaction
sig_action_locked(proc_t p, int sig)
{
	struct k_sigaction none = { .sa_handler = SIG_DFL };

	return p->p_sigacts != NULL ? p->p_sigacts->ps_action[sig] : none;
}

/* Would sig be thrown away when taken? Locks: [S]. */
static boolean_t
sig_ignored_locked(proc_t p, int sig)
{
	uint64_t h = sig_action_locked(p, sig).sa_handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return FALSE;
	return h == SIG_IGN || (h == SIG_DFL && sig_default(sig) == SA_DFL_IGNORE);
}

/*
 * Is sig blocked where it would go: by thread, or for the process by its
 * first thread (Linux's rule: a blocked signal is kept even if ignored,
 * since the action may change before it is unblocked). Locks: [S].
 */
static boolean_t
sig_blocked_locked(proc_t p, thread_t thread, int sig)
{
	struct uthread *ut = NULL;
	boolean_t s;

	if (thread != THREAD_NULL) {
		ut = thread->uthread;
	} else {
		s = task_lock(p->task);
		if (!TAILQ_EMPTY(&p->task->threads))
			ut = TAILQ_FIRST(&p->task->threads)->uthread;
		task_unlock(p->task, s);
	}
	return ut != NULL && sigismember(&ut->uu_sigmask, sig);
}

/* Drop sig from every pending set of p. Locks: [S]. */
static void
sig_unpend_locked(proc_t p, sigset_t which)
{
	thread_t t;
	boolean_t s;

	p->p_siglist &= ~which;
	s = task_lock(p->task);
	TAILQ_FOREACH(t, &p->task->threads, task_threads) {
		struct uthread *ut = t->uthread;

		if (ut != NULL)
			ut->uu_siglist &= ~which;
	}
	task_unlock(p->task, s);
}

/* Signals ut could take now. Locks: [S]. */
static sigset_t
sig_deliverable_locked(proc_t p, struct uthread *ut)
{
	return (p->p_siglist | ut->uu_siglist) & ~ut->uu_sigmask;
}

/*
 * Make a thread of p that does not block sig look at it (every thread for
 * SIGKILL and SIGCONT: they wake stopped threads). Locks: [S].
 */
static void
sig_notify_locked(proc_t p, thread_t target, int sig)
{
	boolean_t all = (sig == SIGKILL || sig == SIGCONT);
	thread_t t;
	boolean_t s;

	if (target != THREAD_NULL) {
		struct uthread *ut = target->uthread;

		if (ut != NULL && !sigismember(&ut->uu_sigmask, sig))
			act_set_astbsd(target);
		return;
	}
	s = task_lock(p->task);
	TAILQ_FOREACH(t, &p->task->threads, task_threads) {
		struct uthread *ut = t->uthread;

		if (ut == NULL || (!all && sigismember(&ut->uu_sigmask, sig)))
			continue;
		act_set_astbsd(t);
		if (!all)
			break;
	}
	task_unlock(p->task, s);
}

/* The continue part of SIGCONT and SIGKILL: wake a stopped p. Locks: [S]. */
static void
sig_continue_locked(proc_t p, int sig)
{
	if (__atomic_load_n(&p->p_stat, __ATOMIC_ACQUIRE) != SSTOP)
		return;
	__atomic_store_n(&p->p_stat, SRUN, __ATOMIC_RELEASE);
	/* The parent hears of it from a woken thread (no proc_list_lock here). */
	if (sig == SIGCONT && p->p_sigacts != NULL)
		p->p_sigacts->ps_flags |= SAS_CONTINUED;
	thread_wakeup(&p->p_stat);
}

/* Tell p's parent that p stopped or went on, unless it asked not to be told. */
static void
sig_notify_parent(proc_t p, int code, int sig)
{
	struct ksiginfo info = { .ksi_code = code, .ksi_pid = p->p_pid, .ksi_status = sig };
	proc_t parent;

	/* For the parent's wait4 (WUNTRACED, WCONTINUED), whatever SA_NOCLDSTOP says. */
	if (code == CLD_STOPPED)
		proc_stop_notify(p, sig);
	else
		proc_cont_notify(p);
	proc_list_lock();
	parent = p->p_pptr;
	if (parent != PROC_NULL && parent != kernproc) {
		boolean_t nocldstop;

		proc_signal_lock(parent);
		nocldstop = (sig_action_locked(parent, SIGCHLD).sa_flags & SA_NOCLDSTOP) != 0;
		proc_signal_unlock(parent);
		if (!nocldstop)
			(void)psignal_info(parent, THREAD_NULL, SIGCHLD, &info);
	}
	proc_list_unlock();
}

int
psignal_info(proc_t p, thread_t thread, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (p == PROC_NULL || p == kernproc || sig == 0 || p->task == TASK_NULL)
		return 0;
	proc_signal_lock(p);
	if (sig == SIGCONT || sig == SIGKILL) {
		sig_unpend_locked(p, STOPSIGMASK);
		sig_continue_locked(p, sig);
	} else if (sigmask(sig) & STOPSIGMASK) {
		sig_unpend_locked(p, sigmask(SIGCONT));
	}
	if (sig_ignored_locked(p, sig) && !sig_blocked_locked(p, thread, sig)) {
		proc_signal_unlock(p);
		return 0;
	}
	if (thread != THREAD_NULL && thread->uthread != NULL)
		sigaddset(&((struct uthread *)thread->uthread)->uu_siglist, sig);
	else
		sigaddset(&p->p_siglist, sig);
	if (p->p_sigacts != NULL && info != NULL)
		p->p_sigacts->ps_info[sig] = *info;
	else if (p->p_sigacts != NULL)
		memset(&p->p_sigacts->ps_info[sig], 0, sizeof(struct ksiginfo));
	sig_notify_locked(p, thread, sig);
	proc_signal_unlock(p);
	return 0;
}

void
psignal_exit(proc_t parent, proc_t child, int sig)
{
	int xstat = child->p_xstat;
	struct ksiginfo info = {
		.ksi_code = (xstat & 0x7f) == 0 ? CLD_EXITED :
		    (xstat & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED,
		.ksi_pid = child->p_pid,
		.ksi_status = (xstat & 0x7f) == 0 ? (xstat >> 8) & 0xff : xstat & 0x7f,
	};

	(void)psignal_info(parent, THREAD_NULL, sig, &info);
}

void
psignal(proc_t p, int sig)
{
	struct ksiginfo info = { .ksi_code = SI_KERNEL };

	(void)psignal_info(p, THREAD_NULL, sig, &info);
}

void
pgsignal(struct pgrp *pgrp, int sig, int checkctty)
{
	proc_t p;

	if (pgrp == NULL)
		return;
	proc_list_lock();
	LIST_FOREACH(p, &pgrp->pg_members, p_pglist) {
		if (!checkctty || pgrp->pg_session->s_ttyp != NULL)
			psignal(p, sig);
	}
	proc_list_unlock();
}

void
psignal_thread(thread_t thread, int sig)
{
	struct uthread *ut = get_bsdthread_info(thread);
	struct ksiginfo info = { .ksi_code = SI_KERNEL };

	if (ut != NULL)
		(void)psignal_info(ut->uu_proc, thread, sig, &info);
}

/* --- fork, exec, exit ------------------------------------------------------ */

void
execsigs(proc_t p, thread_t thread)
{
	struct uthread *ut = thread != THREAD_NULL ? thread->uthread : NULL;

	proc_signal_lock(p);
	if (p->p_sigacts != NULL) {
		for (int sig = 1; sig < NSIG; sig++) {
			struct k_sigaction *ka = &p->p_sigacts->ps_action[sig];

			if (ka->sa_handler != SIG_IGN && ka->sa_handler != SIG_DFL)
				memset(ka, 0, sizeof(*ka));
		}
	}
	if (ut != NULL) {
		memset(&ut->uu_sigstk, 0, sizeof(ut->uu_sigstk));
		ut->uu_flag &= ~UT_SAS_OLDMASK;
	}
	proc_signal_unlock(p);
}

int
sigacts_fork(proc_t parent, proc_t child)
{
	struct sigacts *ps;

	if (parent->p_sigacts == NULL)
		return 0;
	ps = sigacts_alloc();
	if (ps == NULL)
		return ENOMEM;
	proc_signal_lock(parent);
	memcpy(ps->ps_action, parent->p_sigacts->ps_action, sizeof(ps->ps_action));
	proc_signal_unlock(parent);
	child->p_sigacts = ps;
	return 0;
}

void
sigacts_free(proc_t p)
{
	if (p->p_sigacts != NULL)
		kheap_free(&kernel_heap, p->p_sigacts);
	p->p_sigacts = NULL;
}

/*
 * sig_exit: end the current thread's process because of sig (the core
 * bit with core): the task records the signal for the console's `run`
 * (bsd_exit_signal), and proc_exit_by_signal gives p its wait status and
 * terminates its threads. A signal a Mach exception became is reported
 * on the console as the exception was before signals.
 */
static void
sig_exit(proc_t p, struct uthread *ut, int sig, boolean_t core)
{
	thread_t self = current_thread();
	task_t task = p->task;
	boolean_t s;

	if (ut->uu_exc_sig == sig)
		exception_report(self, "task terminated");
	else
		self->exc_info.exc_type = 0;	/* it died of the signal, not of that */
	s = task_lock(task);
	if (task->bsd_exit_signal == 0 && task->bsd_exit_status == -1)
		task->bsd_exit_signal = sig | (core ? 0x80 : 0);
	task_unlock(task, s);
	proc_exit_by_signal(p, sig, core);	/* p_xstat, and every thread ends */
}

/* Stop p (a stop signal's default action) and tell its parent. */
static void
sig_stop(proc_t p, int sig)
{
	if (proc_sigacts(p) == NULL)	/* to note the continuing in */
		return;
	proc_signal_lock(p);
	if (sigismember(&p->p_siglist, SIGKILL)) {
		proc_signal_unlock(p);
		return;
	}
	__atomic_store_n(&p->p_stat, SSTOP, __ATOMIC_RELEASE);
	sig_notify_locked(p, THREAD_NULL, SIGKILL);	/* every thread: park */
	proc_signal_unlock(p);
	sig_notify_parent(p, CLD_STOPPED, sig);
}

/*
 * Park while p is stopped; SIGCONT or SIGKILL ends it. Signals posted
 * meanwhile stay pending (their AST is withdrawn, or the wait would end
 * at once): bsd_ast goes on to take them once p is continued.
 */
static void
sig_stopped_wait(proc_t p)
{
	thread_t self = current_thread();

	for (;;) {
		proc_signal_lock(p);
		if (__atomic_load_n(&p->p_stat, __ATOMIC_ACQUIRE) != SSTOP ||
		    sigismember(&p->p_siglist, SIGKILL) ||
		    (__atomic_load_n(&self->th_ast, __ATOMIC_ACQUIRE) & AST_APC)) {
			proc_signal_unlock(p);
			return;
		}
		act_clear_astbsd(self);
		(void)assert_wait(&p->p_stat, THREAD_ABORTSAFE);
		proc_signal_unlock(p);
		(void)thread_block(THREAD_CONTINUE_NULL);
	}
}

/*
 * The next signal ut takes: a Mach exception's first, then the lowest
 * numbered, thread's before process's. Removes it from its pending set
 * and returns it with its action and details; 0 if none. Locks: [S].
 */
static int
sig_next_locked(proc_t p, struct uthread *ut, struct k_sigaction *ka, struct ksiginfo *info)
{
	sigset_t ready = sig_deliverable_locked(p, ut);
	int sig;

	if (ready == 0)
		return 0;
	if (ut->uu_exc_sig != 0 && sigismember(&ready, ut->uu_exc_sig))
		sig = ut->uu_exc_sig;
	else if (ready & sigmask(SIGKILL))
		sig = SIGKILL;
	else
		sig = __builtin_ctzll(ready) + 1;
	if (sigismember(&ut->uu_siglist, sig))
		sigdelset(&ut->uu_siglist, sig);
	else
		sigdelset(&p->p_siglist, sig);
	*ka = sig_action_locked(p, sig);
	memset(info, 0, sizeof(*info));
	if (p->p_sigacts != NULL)
		*info = p->p_sigacts->ps_info[sig];
	return sig;
}

/* Run sig's handler: its frame, then the mask and one-shot rules. */
static void
sig_handle(proc_t p, struct uthread *ut, int sig, const struct k_sigaction *ka,
    const struct ksiginfo *info)
{
	sigset_t saved;

	/* A sleep this signal interrupted: restarted only with SA_RESTART. */
	if ((ut->uu_flag & UT_RESTART) && !(ka->sa_flags & SA_RESTART))
		machine_syscall_interrupted(current_thread()->machine.iss, EINTR);
	ut->uu_flag &= ~UT_RESTART;
	proc_signal_lock(p);
	saved = (ut->uu_flag & UT_SAS_OLDMASK) ? ut->uu_oldmask : ut->uu_sigmask;
	proc_signal_unlock(p);
	if (sendsig(ut, sig, ka, info, saved) != 0) {
		/* No room for the frame: the process dies of SIGSEGV. */
		ut->uu_exc_sig = 0;
		sig_exit(p, ut, SIGSEGV, TRUE);
		return;
	}
	proc_signal_lock(p);
	ut->uu_flag &= ~UT_SAS_OLDMASK;
	ut->uu_sigmask |= ka->sa_mask;
	if (!(ka->sa_flags & SA_NODEFER))
		sigaddset(&ut->uu_sigmask, sig);
	ut->uu_sigmask &= ~sigcantmask;
	if ((ka->sa_flags & SA_RESETHAND) && p->p_sigacts != NULL)
		memset(&p->p_sigacts->ps_action[sig], 0, sizeof(struct k_sigaction));
	if (ut->uu_exc_sig == sig) {
		ut->uu_exc_sig = 0;
		current_thread()->exc_info.exc_type = 0;	/* the handler has it */
	}
	proc_signal_unlock(p);
}

/* Take one signal; FALSE when none was left to take. */
static boolean_t
sig_take_one(proc_t p, struct uthread *ut)
{
	struct k_sigaction ka;
	struct ksiginfo info;
	int sig;

	if (__atomic_load_n(&p->p_stat, __ATOMIC_ACQUIRE) == SSTOP) {
		boolean_t continued;

		sig_stopped_wait(p);
		proc_signal_lock(p);
		continued = p->p_sigacts != NULL && (p->p_sigacts->ps_flags & SAS_CONTINUED);
		if (continued)
			p->p_sigacts->ps_flags &= ~SAS_CONTINUED;
		proc_signal_unlock(p);
		if (continued)
			sig_notify_parent(p, CLD_CONTINUED, SIGCONT);
	}
	if (__atomic_load_n(&current_thread()->th_ast, __ATOMIC_ACQUIRE) & AST_APC)
		return FALSE;			/* ending anyway */
	proc_signal_lock(p);
	sig = sig_next_locked(p, ut, &ka, &info);
	proc_signal_unlock(p);
	if (sig == 0)
		return FALSE;
	if (ka.sa_handler == SIG_IGN && sig != SIGKILL && sig != SIGSTOP)
		return TRUE;
	if (ka.sa_handler != SIG_DFL && sig != SIGKILL && sig != SIGSTOP) {
		sig_handle(p, ut, sig, &ka, &info);
		return TRUE;
	}
	switch (sig_default(sig)) {
	case SA_DFL_IGNORE:
	case SA_DFL_CONT:
		return TRUE;
	case SA_DFL_STOP:
		sig_stop(p, sig);
		return TRUE;
	case SA_DFL_CORE:
		sig_exit(p, ut, sig, TRUE);
		return FALSE;
	default:
		sig_exit(p, ut, sig, FALSE);
		return FALSE;
	}
}

void
bsd_ast(thread_t thread, boolean_t exiting)
{
	struct uthread *ut = thread->uthread;
	proc_t p = ut->uu_proc;

	if (exiting) {
		futex_thread_exit(ut);
		return;
	}
	if (p == PROC_NULL || p == kernproc)
		return;
	while (sig_take_one(p, ut))
		continue;
	ut->uu_flag &= ~UT_RESTART;	/* no handler: the call is made again */
	/* A sigsuspend whose signal ran no handler: its mask goes back now. */
	proc_signal_lock(p);
	if (ut->uu_flag & UT_SAS_OLDMASK) {
		ut->uu_flag &= ~UT_SAS_OLDMASK;
		ut->uu_sigmask = ut->uu_oldmask;
	}
	proc_signal_unlock(p);
}

int
sig_sleep_errno(void)
{
	thread_t self = current_thread();
	struct uthread *ut = self->uthread;
	proc_t p;
	sigset_t ready;

	if (__atomic_load_n(&self->th_ast, __ATOMIC_ACQUIRE) & AST_APC)
		return EINTR;
	if (ut == NULL || ut->uu_proc == PROC_NULL)
		return EINTR;
	p = ut->uu_proc;
	proc_signal_lock(p);
	ready = sig_deliverable_locked(p, ut);
	if (ready == 0 && __atomic_load_n(&p->p_stat, __ATOMIC_ACQUIRE) != SSTOP) {
		act_clear_astbsd(self);		/* nothing to take after all */
		proc_signal_unlock(p);
		return 0;
	}
	/*
	 * Restart; taking a handler without SA_RESTART turns that into EINTR
	 * (sig_handle), as Linux decides it: when the signal is taken, with
	 * the action it has then.
	 */
	proc_signal_unlock(p);
	return ERESTART;
}

/*
 * Send sig to the current thread of p in a way it cannot refuse: if it
 * blocks or ignores sig, that is undone first (a fault, a bad frame: to
 * block them would loop for ever). ENOMEM if p's actions could not be made.
 */
static int
sig_force(proc_t p, struct uthread *ut, int sig, const struct ksiginfo *info)
{
	if (proc_sigacts(p) == NULL)
		return ENOMEM;
	proc_signal_lock(p);
	if (sigismember(&ut->uu_sigmask, sig) ||
	    p->p_sigacts->ps_action[sig].sa_handler == SIG_IGN) {
		sigdelset(&ut->uu_sigmask, sig);
		p->p_sigacts->ps_action[sig].sa_handler = SIG_DFL;
	}
	proc_signal_unlock(p);
	return psignal_info(p, ut->uu_thread, sig, info);
}

/* A Mach exception no port took, for a thread of a process: its signal. */
static kern_return_t
sig_exception(thread_t thread, exception_type_t exception, mach_exception_data_type_t code,
    mach_exception_data_type_t subcode)
{
	struct uthread *ut = get_bsdthread_info(thread);
	struct ksiginfo info;
	proc_t p;
	int sig;

	if (ut == NULL || ut->uu_proc == PROC_NULL || ut->uu_proc == kernproc)
		return KERN_FAILURE;
	sig = ux_exception(exception, code, subcode, thread->exc_info.exc_pc, &info);
	if (sig == 0)
		return KERN_FAILURE;
	p = ut->uu_proc;
	proc_signal_lock(p);
	ut->uu_exc_sig = sig;		/* reported as the exception if it kills */
	proc_signal_unlock(p);
	if (sig_force(p, ut, sig, &info) != 0)
		return KERN_FAILURE;
	return KERN_SUCCESS;
}

void
signal_init(void)
{
	thread_set_bsd_ast(bsd_ast);
	exception_set_bsd_handler(sig_exception);
}

/* --- system calls: actions and masks ---------------------------------------- */

/* After the mask changed: take what is now unblocked on the way out. Locks: [S]. */
static void
sig_recheck_locked(proc_t p, struct uthread *ut)
{
	if (sig_deliverable_locked(p, ut) != 0)
		act_set_astbsd(ut->uu_thread);
}

int
rt_sigaction(struct proc *p, struct rt_sigaction_args *uap, int64_t *retval)
{
	struct k_sigaction act, old;
	struct sigacts *ps;
	int sig = (int)uap->sig, error;

	*retval = 0;
	if (uap->sigsetsize != sizeof(sigset_t) || sig <= 0 || sig >= NSIG)
		return EINVAL;
	if (uap->act != 0) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return EINVAL;
		error = copyin(uap->act, &act, sizeof(act));
		if (error != 0)
			return error;
		act.sa_mask &= ~sigcantmask;
	}
	ps = proc_sigacts(p);
	if (ps == NULL)
		return ENOMEM;
	proc_signal_lock(p);
	old = ps->ps_action[sig];
	if (uap->act != 0) {
		ps->ps_action[sig] = act;
		if (sig_ignored_locked(p, sig))
			sig_unpend_locked(p, sigmask(sig));
	}
	proc_signal_unlock(p);
	if (uap->oact != 0)
		return copyout(&old, uap->oact, sizeof(old));
	return 0;
}

int
rt_sigprocmask(struct proc *p, struct rt_sigprocmask_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;
	sigset_t set = 0, old;
	int error;

	*retval = 0;
	if (uap->sigsetsize != sizeof(sigset_t))
		return EINVAL;
	if (uap->set != 0) {
		if (uap->how != SIG_BLOCK && uap->how != SIG_UNBLOCK && uap->how != SIG_SETMASK)
			return EINVAL;
		error = copyin(uap->set, &set, sizeof(set));
		if (error != 0)
			return error;
	}
	proc_signal_lock(p);
	old = ut->uu_sigmask;
	if (uap->set != 0) {
		if (uap->how == SIG_BLOCK)
			ut->uu_sigmask |= set;
		else if (uap->how == SIG_UNBLOCK)
			ut->uu_sigmask &= ~set;
		else
			ut->uu_sigmask = set;
		ut->uu_sigmask &= ~sigcantmask;
		sig_recheck_locked(p, ut);
	}
	proc_signal_unlock(p);
	if (uap->oset != 0)
		return copyout(&old, uap->oset, sizeof(old));
	return 0;
}

int
rt_sigpending(struct proc *p, struct rt_sigpending_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;
	sigset_t set;

	*retval = 0;
	if (uap->sigsetsize > sizeof(sigset_t))
		return EINVAL;
	proc_signal_lock(p);
	set = (p->p_siglist | ut->uu_siglist) & ut->uu_sigmask;
	proc_signal_unlock(p);
	return copyout(&set, uap->set, (size_t)uap->sigsetsize);
}

int
rt_sigsuspend(struct proc *p, struct rt_sigsuspend_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;
	sigset_t set;
	int error;

	*retval = 0;
	if (uap->sigsetsize != sizeof(sigset_t))
		return EINVAL;
	error = copyin(uap->set, &set, sizeof(set));
	if (error != 0)
		return error;
	proc_signal_lock(p);
	ut->uu_oldmask = ut->uu_sigmask;
	ut->uu_flag |= UT_SAS_OLDMASK;
	ut->uu_sigmask = set & ~sigcantmask;
	sig_recheck_locked(p, ut);
	proc_signal_unlock(p);
	/* Until a signal comes: the handler's frame saves uu_oldmask. */
	while (tsleep(&ut->uu_oldmask, PCATCH, "sigsuspend", 0) == 0)
		continue;
	return EINTR;
}

/* pause: sleep until a signal is taken (its handler ran) or ends the process. */
int
pause(struct proc *p, struct pause_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;

	(void)p;
	(void)uap;
	*retval = 0;
	while (tsleep(&ut->uu_oldmask, PCATCH, "pause", 0) == 0)
		continue;
	return EINTR;
}

/* A taken signal's siginfo_t, as user space sees it (rt_sigtimedwait). */
static void
sig_user_siginfo(int sig, const struct ksiginfo *info, struct user_siginfo *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = info->ksi_code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		si->si_u.addr = info->ksi_addr;
	} else {
		si->si_u.kill.pid = info->ksi_pid;
		si->si_u.kill.uid = info->ksi_uid;
		si->si_u.kill.status = info->ksi_status;
	}
}

/* Take the lowest signal of set pending for ut; 0 if none. Locks: [S]. */
static int
sig_take_from_locked(proc_t p, struct uthread *ut, sigset_t set, struct ksiginfo *info)
{
	sigset_t ready = (p->p_siglist | ut->uu_siglist) & set;
	int sig;

	if (ready == 0)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	if (sigismember(&ut->uu_siglist, sig))
		sigdelset(&ut->uu_siglist, sig);
	else
		sigdelset(&p->p_siglist, sig);
	memset(info, 0, sizeof(*info));
	if (p->p_sigacts != NULL)
		*info = p->p_sigacts->ps_info[sig];
	return sig;
}

/*
 * rt_sigtimedwait: wait for a signal of set (normally blocked by the
 * caller) and take it without running its handler; returns the signal,
 * with its siginfo_t in *info. While it waits the signals of set are
 * unblocked, so that their posting wakes it; the mask is back before it
 * returns. EAGAIN after the timeout (0: just look), EINTR for another
 * signal (its handler runs), EINVAL, EFAULT.
 */
int
rt_sigtimedwait(struct proc *p, struct rt_sigtimedwait_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;
	uint64_t deadline = TIMEOUT_WAIT_FOREVER;
	struct user_siginfo usi;
	struct ksiginfo info;
	struct timespec ts;
	sigset_t set, saved;
	int sig = 0, error = 0;

	*retval = 0;
	if (uap->sigsetsize != sizeof(sigset_t))
		return EINVAL;
	if ((error = copyin(uap->set, &set, sizeof(set))) != 0)
		return error;
	set &= ~sigcantmask;
	if (uap->timeout != 0) {
		if ((error = copyin(uap->timeout, &ts, sizeof(ts))) != 0)
			return error;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
			return EINVAL;
		deadline = mach_absolute_time() + (uint64_t)ts.tv_sec * NSEC_PER_SEC +
		    (uint64_t)ts.tv_nsec;
		if (deadline == TIMEOUT_WAIT_FOREVER)
			deadline++;
	}
	proc_signal_lock(p);
	saved = ut->uu_sigmask;
	ut->uu_sigmask &= ~set;
	proc_signal_unlock(p);
	for (;;) {
		proc_signal_lock(p);
		sig = sig_take_from_locked(p, ut, set, &info);
		proc_signal_unlock(p);
		if (sig != 0 || error != 0)
			break;
		if (uap->timeout != 0 && mach_absolute_time() >= deadline) {
			error = EAGAIN;
			break;
		}
		error = msleep0(&ut->uu_siglist, NULL, PCATCH, "sigwait", deadline);
		if (error == EWOULDBLOCK)
			error = EAGAIN;
		else if (error != 0)
			error = EINTR;		/* unless one of set came: looked at above */
	}
	proc_signal_lock(p);
	ut->uu_sigmask = saved;
	sig_recheck_locked(p, ut);
	proc_signal_unlock(p);
	if (sig == 0)
		return error;
	if (uap->info != 0) {
		sig_user_siginfo(sig, &info, &usi);
		if ((error = copyout(&usi, uap->info, sizeof(usi))) != 0)
			return error;
	}
	*retval = sig;
	return 0;
}

int
sigaltstack(struct proc *p, struct sigaltstack_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;
	struct user_sigaltstack ss, old = ut->uu_sigstk;
	uint64_t sp = sig_user_sp();
	boolean_t on = old.ss_size != 0 && sp > old.ss_sp && sp <= old.ss_sp + old.ss_size;
	int error;

	(void)p;
	*retval = 0;
	if (old.ss_size == 0)
		old.ss_flags = SS_DISABLE;
	else
		old.ss_flags = (on ? SS_ONSTACK : 0) | (ut->uu_sigstk.ss_flags & SS_AUTODISARM);
	if (uap->nss != 0) {
		error = copyin(uap->nss, &ss, sizeof(ss));
		if (error != 0)
			return error;
		if (on)
			return EPERM;
		if ((ss.ss_flags & ~(int32_t)SS_AUTODISARM) != 0 &&
		    (ss.ss_flags & ~(int32_t)SS_AUTODISARM) != SS_DISABLE &&
		    (ss.ss_flags & ~(int32_t)SS_AUTODISARM) != SS_ONSTACK)
			return EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			memset(&ut->uu_sigstk, 0, sizeof(ut->uu_sigstk));
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return ENOMEM;
			if (ss.ss_sp + ss.ss_size < ss.ss_sp)
				return EINVAL;
			ut->uu_sigstk = ss;
			ut->uu_sigstk.ss_flags &= (int32_t)SS_AUTODISARM;
		}
	}
	if (uap->oss != 0)
		return copyout(&old, uap->oss, sizeof(old));
	return 0;
}

int
rt_sigreturn(struct proc *p, struct rt_sigreturn_args *uap, int64_t *retval)
{
	struct uthread *ut = current_thread()->uthread;
	sigset_t mask;

	(void)uap;
	*retval = 0;
	if (machine_sigreturn(ut, &mask) != 0) {
		/* A frame that cannot be read: as Linux, a SIGSEGV it cannot block. */
		struct ksiginfo info = { .ksi_code = SI_KERNEL };

		if (sig_force(p, ut, SIGSEGV, &info) != 0)
			sig_exit(p, ut, SIGSEGV, TRUE);
		return EJUSTRETURN;
	}
	proc_signal_lock(p);
	ut->uu_sigmask = mask & ~sigcantmask;
	sig_recheck_locked(p, ut);
	proc_signal_unlock(p);
	return EJUSTRETURN;
}

/* --- system calls: sending -------------------------------------------------- */

/*
 * May the current process signal q? Root may signal anyone; otherwise
 * the sender's real or effective uid must be the target's real or saved
 * one (Linux's rule).
 */
static boolean_t
sig_permitted(proc_t q)
{
	kauth_cred_t me = kauth_cred_get(), them;
	boolean_t ok;

	if (kauth_cred_issuser(me))
		return TRUE;
	them = kauth_cred_proc_ref(q);
	ok = me->cr_ruid == them->cr_ruid || me->cr_ruid == them->cr_svuid ||
	    me->cr_uid == them->cr_ruid || me->cr_uid == them->cr_svuid;
	kauth_cred_unref(&them);
	return ok;
}

static void
sig_user_info(struct ksiginfo *info, int code)
{
	memset(info, 0, sizeof(*info));
	info->ksi_code = code;
	info->ksi_pid = proc_selfpid();
	info->ksi_uid = kauth_cred_getruid(kauth_cred_get());
}

/* Send to one process found by pid. Locks: [L] held. */
static int
kill_one_locked(proc_t q, int sig, const struct ksiginfo *info)
{
	if (q == PROC_NULL || q == kernproc || q->p_stat == SZOMB)
		return ESRCH;
	if (!sig_permitted(q))
		return EPERM;
	return psignal_info(q, THREAD_NULL, sig, info);
}

int
kill(struct proc *p, struct kill_args *uap, int64_t *retval)
{
	int pid = (int)uap->pid, sig = (int)uap->signum, error = ESRCH, r;
	boolean_t sent = FALSE;
	pid_t pgid = 0;
	struct ksiginfo info;
	proc_t q;

	*retval = 0;
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (pid == INT32_MIN)
		return ESRCH;		/* no such group, and -pid would overflow */
	sig_user_info(&info, SI_USER);
	proc_list_lock();
	if (pid > 0) {
		error = kill_one_locked(pfind_locked(pid), sig, &info);
		proc_list_unlock();
		return error;
	}
	if (pid == 0)
		pgid = p->p_pgrp != NULL ? p->p_pgrp->pg_id : 0;
	else if (pid < -1)
		pgid = -pid;
	LIST_FOREACH(q, &allproc, p_list) {
		if (q == kernproc || q->p_stat == SZOMB)
			continue;
		if (pid == -1 ? (q->p_pid == 1 || q == p) :
		    (q->p_pgrp == NULL || q->p_pgrp->pg_id != pgid))
			continue;
		/* One success is success; else the failure (EPERM over ESRCH). */
		r = kill_one_locked(q, sig, &info);
		if (r == 0)
			sent = TRUE;
		else if (error == ESRCH)
			error = r;
	}
	proc_list_unlock();
	return sent ? 0 : error;
}

/* Send sig to thread tid of q (or of any process if q is NULL). Locks: [L]. */
static int
tkill_locked(proc_t q, int64_t tid, int sig)
{
	struct ksiginfo info;
	proc_t r;

	sig_user_info(&info, SI_TKILL);
	LIST_FOREACH(r, &allproc, p_list) {
		thread_t t, found = THREAD_NULL;
		boolean_t s;

		if ((q != PROC_NULL && r != q) || r == kernproc || r->task == TASK_NULL)
			continue;
		proc_signal_lock(r);
		s = task_lock(r->task);
		TAILQ_FOREACH(t, &r->task->threads, task_threads) {
			if ((int64_t)t->thread_id == tid && t->uthread != NULL) {
				found = t;
				thread_reference(t);
				break;
			}
		}
		task_unlock(r->task, s);
		proc_signal_unlock(r);
		if (found == THREAD_NULL)
			continue;
		if (!sig_permitted(r)) {
			thread_deallocate(found);
			return EPERM;
		}
		(void)psignal_info(r, found, sig, &info);
		thread_deallocate(found);
		return 0;
	}
	return ESRCH;
}

int
tkill(struct proc *p, struct tkill_args *uap, int64_t *retval)
{
	int error;

	(void)p;
	*retval = 0;
	if ((int)uap->tid <= 0 || (int)uap->sig < 0 || (int)uap->sig >= NSIG)
		return EINVAL;
	proc_list_lock();
	error = tkill_locked(PROC_NULL, (int)uap->tid, (int)uap->sig);
	proc_list_unlock();
	return error;
}

int
tgkill(struct proc *p, struct tgkill_args *uap, int64_t *retval)
{
	proc_t q;
	int error;

	(void)p;
	*retval = 0;
	if ((int)uap->tgid <= 0 || (int)uap->tid <= 0 || (int)uap->sig < 0 ||
	    (int)uap->sig >= NSIG)
		return EINVAL;
	proc_list_lock();
	q = pfind_locked((int)uap->tgid);
	error = q != PROC_NULL ? tkill_locked(q, (int)uap->tid, (int)uap->sig) : ESRCH;
	proc_list_unlock();
	return error;
}
