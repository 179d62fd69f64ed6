/*
 * kern_exit.c - leaving and being waited for: exit and exit_group, the
 * process's end (proc_exit: a zombie for its parent), wait4, and the
 * notices the signals area gives when a child stops or continues.
 *
 * A process ends in two steps, as in XNU:
 *
 *   exit1		records the status (the first one given is final:
 *			P_LEXIT) and terminates every thread of the task.
 *			Each thread ends at its next return to user mode.
 *   proc_exit		runs in the last thread to end (the Mach layer's
 *			exit hook, thread_terminate_self): descriptors and
 *			directories let go, children given to initproc (or,
 *			without an init, to kernproc), a vfork parent let go,
 *			p_stat SZOMB on zombproc, SIGCHLD and a wakeup for the
 *			parent.
 *
 * A process that dies without exit1 (an exception, Ctrl-C at the console)
 * gets a signal status from what ended it. A child of kernproc has nobody
 * to wait for it unless the kernel marked it P_LKWAIT (the console's `run`,
 * init): the others are reaped by proc_exit at once, so nothing is left
 * behind. The zombie's task, and with it the address space, goes with the
 * last thread's reference once the zombie is reaped.
 *
 * Locks: proc_list_lock covers p_stat, the child lists and p_xstat; wait4
 * sleeps on the parent's proc with it (proc_list_msleep), and proc_exit
 * wakes that channel.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/resource.h"
#include "bsd/sys/signal.h"
#include "bsd/sys/signalvar.h"
#include "bsd/kern/kern_synch.h"
#include "kernel/copyio.h"
#include "libkern/string.h"
#include "mach/exception_types.h"
#include "mach/kern/processor.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"

/* wait4's options (Linux's values). */
#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	0x00000002	/* waitid's name for WUNTRACED */
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define WNOTHREAD	0x20000000
#define WALL		0x40000000
#define WCLONE		0x80000000U

/* Linux's struct rusage: two timevals, then fourteen longs. */
struct linux_rusage {
	int64_t		ru_utime[2];
	int64_t		ru_stime[2];
	int64_t		ru_rest[14];
};

void
exit1(proc_t p, int xstat)
{
	boolean_t s;

	proc_list_lock();
	if (!(proc_lflag(p) & P_LEXIT)) {
		p->p_xstat = xstat;
		proc_lflag_set(p, P_LEXIT);
	}
	proc_list_unlock();
	/* The console's `run` reads the code from the task until it waits for processes. */
	if ((xstat & 0x7f) == 0) {
		s = task_lock(p->task);
		if (p->task->bsd_exit_status == -1)
			p->task->bsd_exit_status = (xstat >> 8) & 0xff;
		task_unlock(p->task, s);
	}
	(void)task_terminate_internal(p->task);
}

void
proc_exit_by_signal(proc_t p, int sig, int core)
{
	exit1(p, (sig & 0x7f) | (core ? WCOREFLAG : 0));
}

/* The signal a Mach exception stands for (XNU's ux_exception, in short). */
static int
exception_signal(exception_type_t exc)
{
	switch (exc) {
	case EXC_BAD_ACCESS:
		return SIGSEGV;
	case EXC_BAD_INSTRUCTION:
		return SIGILL;
	case EXC_ARITHMETIC:
		return SIGFPE;
	case EXC_BREAKPOINT:
		return SIGTRAP;
	default:
		return SIGKILL;
	}
}

/*
 * proc_exit: the last thread of p's task is ending (see the top of the
 * file). Runs in that thread, no lock held.
 */
static void
proc_exit(task_t task)
{
	proc_t p = proc_from_task(task), q, next, parent, heir;
	struct proclist reap = LIST_HEAD_INITIALIZER(reap);
	bool reap_self = false;
	int exitsig;

	if (p == PROC_NULL || p == kernproc)
		return;
	proc_list_lock();
	if (p->p_stat == SIDL) {
		/* A fork that failed after making the thread: fork1 frees the process. */
		proc_list_unlock();
		return;
	}
	if (!(proc_lflag(p) & P_LEXIT)) {
		/* Not through exit1: an exception, or terminated from outside. */
		p->p_xstat = exception_signal(current_thread()->exc_info.exc_type);
		proc_lflag_set(p, P_LEXIT);
	}
	proc_list_unlock();

	/* A vfork parent waiting for this child goes on. */
	if (proc_lflag(p) & P_LPPWAIT) {
		proc_list_lock();
		proc_lflag_clear(p, P_LPPWAIT);
		wakeup(p);
		proc_list_unlock();
	}

	/* Open files, the current and root directories. */
	fdfree(p);

	proc_list_lock();
	/* Children go to init, or to kernproc (and its zombies are reaped now). */
	heir = initproc != PROC_NULL && initproc != p && initproc->p_stat != SZOMB ?
	    initproc : kernproc;
	for (q = LIST_FIRST(&p->p_children); q != PROC_NULL; q = next) {
		next = LIST_NEXT(q, p_sibling);
		LIST_REMOVE(q, p_sibling);
		q->p_pptr = heir;
		q->p_ppid = heir->p_pid;
		proc_lflag_clear(q, P_LKWAIT);
		if (heir == kernproc && q->p_stat == SZOMB) {
			q->p_pptr = PROC_NULL;	/* proc_free: on no child list */
			LIST_INSERT_HEAD(&reap, q, p_sibling);
		} else {
			LIST_INSERT_HEAD(&heir->p_children, q, p_sibling);
		}
	}
	if (heir != kernproc && !LIST_EMPTY(&heir->p_children))
		wakeup(heir);
	if (p->p_pgrp != NULL && p->p_pgrp->pg_session->s_leader == p)
		p->p_pgrp->pg_session->s_leader = PROC_NULL;

	/* A zombie now. */
	p->p_stat = SZOMB;
	LIST_REMOVE(p, p_list);
	LIST_INSERT_HEAD(&zombproc, p, p_list);
	parent = p->p_pptr;
	exitsig = p->p_exitsig;
	if (parent == kernproc && !(proc_lflag(p) & P_LKWAIT)) {
		reap_self = true;
		LIST_REMOVE(p, p_sibling);
		p->p_pptr = PROC_NULL;
	} else {
		/* Under the lock: once it is let go, the parent may reap us and be gone. */
		wakeup(parent);
		if (exitsig != 0)
			psignal_exit(parent, p, exitsig);
	}
	proc_list_unlock();

	while ((q = LIST_FIRST(&reap)) != PROC_NULL) {
		LIST_REMOVE(q, p_sibling);
		proc_free(q);
	}
	if (reap_self)
		proc_free(p);
}

void
exit_init(void)
{
	thread_set_bsd_exit_hook(proc_exit);
}

int
proc_reap(proc_t p)
{
	int xstat;

	proc_list_lock();
	while (p->p_stat != SZOMB)
		(void)proc_list_msleep(p->p_pptr, 0, "reap");
	xstat = p->p_xstat;
	proc_list_unlock();
	proc_free(p);
	return xstat;
}

void
proc_stop_notify(proc_t p, int sig)
{
	proc_list_lock();
	p->p_stopsig = sig;
	proc_lflag_clear(p, P_LCONT_REPORT);
	proc_lflag_set(p, P_LSTOPPED_REPORT);
	if (p->p_pptr != PROC_NULL)
		wakeup(p->p_pptr);
	proc_list_unlock();
}

void
proc_cont_notify(proc_t p)
{
	proc_list_lock();
	proc_lflag_clear(p, P_LSTOPPED_REPORT);
	proc_lflag_set(p, P_LCONT_REPORT);
	if (p->p_pptr != PROC_NULL)
		wakeup(p->p_pptr);
	proc_list_unlock();
}

/*
 * exit_group: end every thread of the process, with status rval & 0xff.
 * Does not return to user mode.
 */
int
exit_group(struct proc *p, struct exit_group_args *uap, int64_t *retval)
{
	(void)retval;
	exit1(p, W_EXITCODE((int)uap->rval, 0));
	return 0;
}

/*
 * exit: end the calling thread; if it is the last of its process, the
 * process ends with status rval & 0xff (Linux's exit, which musl's
 * pthread_exit uses; a whole program leaves through exit_group). "Last"
 * counts the threads not already ending; deciding it under the task lock,
 * with the caller marked first, makes one of two threads exiting at once
 * the last.
 */
int
exit(struct proc *p, struct exit_args *uap, int64_t *retval)
{
	task_t task = current_task();
	boolean_t last = TRUE, s;
	thread_t t;

	s = task_lock(task);
	(void)thread_terminate_internal(current_thread());	/* task, then scheduler lock */
	TAILQ_FOREACH(t, &task->threads, task_threads) {
		if (!(__atomic_load_n(&t->th_ast, __ATOMIC_ACQUIRE) & AST_APC))
			last = FALSE;
	}
	task_unlock(task, s);
	if (last) {
		struct exit_group_args ga = { .rval = uap->rval };
		return exit_group(p, &ga, retval);
	}
	return 0;
}

/* q is one of the children a pid argument asks for (wait4's meaning). Locks: [L]. */
static bool
wait_matches(proc_t p, proc_t q, pid_t pid)
{
	if (q->p_stat == SIDL)
		return false;
	if (pid > 0)
		return q->p_pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return q->p_pgrp == p->p_pgrp;
	return q->p_pgrp != NULL && q->p_pgrp->pg_id == -pid;
}

/* What wait_common found. */
struct wait_result {
	pid_t		wr_pid;		/* 0: nothing ready (WNOHANG) */
	int		wr_status;	/* wait(2)'s encoding */
	uid_t		wr_uid;		/* the child's real uid */
	int		wr_code;	/* waitid's CLD_* */
};

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/*
 * wait_common: wait4 and waitid. options is waitid's: WEXITED, WSTOPPED,
 * WCONTINUED say what counts; WNOHANG; WNOWAIT leaves the child as it
 * is (not reaped, still to be reported). A child found exited is reaped
 * here unless WNOWAIT. ECHILD; EINTR or ERESTART (a signal: msleep says
 * which).
 */
static int
wait_common(proc_t p, pid_t pid, int options, struct wait_result *wr)
{
	bool found, nowait = (options & WNOWAIT) != 0;
	proc_t q;
	kauth_cred_t cred;
	int error;

	memset(wr, 0, sizeof(*wr));
	proc_list_lock();
	for (;;) {
		found = false;
		LIST_FOREACH(q, &p->p_children, p_sibling) {
			if (!wait_matches(p, q, pid))
				continue;
			found = true;
			if (q->p_stat == SZOMB && (options & WEXITED)) {
				wr->wr_status = q->p_xstat;
				wr->wr_code = (q->p_xstat & 0x7f) == 0 ? CLD_EXITED :
				    (q->p_xstat & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED;
				break;
			}
			if ((options & WSTOPPED) && q->p_stat == SSTOP &&
			    (proc_lflag(q) & P_LSTOPPED_REPORT)) {
				if (!nowait)
					proc_lflag_clear(q, P_LSTOPPED_REPORT);
				wr->wr_status = W_STOPCODE(q->p_stopsig);
				wr->wr_code = CLD_STOPPED;
				break;
			}
			if ((options & WCONTINUED) && (proc_lflag(q) & P_LCONT_REPORT)) {
				if (!nowait)
					proc_lflag_clear(q, P_LCONT_REPORT);
				wr->wr_status = W_CONTINUED;
				wr->wr_code = CLD_CONTINUED;
				break;
			}
		}
		if (q != PROC_NULL)
			break;
		if (!found) {
			proc_list_unlock();
			return ECHILD;
		}
		if (options & WNOHANG) {
			proc_list_unlock();
			return 0;
		}
		if ((error = proc_list_msleep(p, PCATCH, "wait")) != 0) {
			proc_list_unlock();
			return error;		/* EINTR, or ERESTART (SA_RESTART) */
		}
	}
	wr->wr_pid = q->p_pid;
	cred = kauth_cred_proc_ref(q);
	wr->wr_uid = cred->cr_ruid;
	kauth_cred_unref(&cred);
	if (wr->wr_code <= CLD_DUMPED && !nowait) {
		/* Taken off p's children under the lock: nobody else reaps it. */
		LIST_REMOVE(q, p_sibling);
		q->p_pptr = PROC_NULL;
		proc_list_unlock();
		proc_free(q);
		return 0;
	}
	proc_list_unlock();
	return 0;
}

/* A zeroed rusage to *uaddr (times are not kept per process yet). EFAULT. */
static int
rusage_copyout(user_addr_t uaddr)
{
	struct linux_rusage ru;

	if (uaddr == 0)
		return 0;
	memset(&ru, 0, sizeof(ru));
	return copyout(&ru, uaddr, sizeof(ru));
}

/*
 * wait4: wait for a child to end (or, with WUNTRACED or WCONTINUED, to
 * stop or continue): pid > 0 that child, -1 any, 0 any in the caller's
 * process group, < -1 any in group -pid. WNOHANG: 0 if none is ready.
 * The status goes to *status in wait(2)'s encoding; *rusage is zeroed
 * (times are not kept per process yet). A child that ended is reaped
 * even if the copyout fails (as Linux). ECHILD: no such child; EINTR;
 * EFAULT; EINVAL for unknown options.
 */
int
wait4(struct proc *p, struct wait4_args *uap, int64_t *retval)
{
	pid_t pid = (pid_t)uap->pid;
	int options = (int)uap->options, error;
	struct wait_result wr;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | (int)WCLONE))
		return EINVAL;
	if (pid == INT32_MIN)
		return ESRCH;
	error = wait_common(p, pid, (options & (WNOHANG | WUNTRACED | WCONTINUED)) | WEXITED,
	    &wr);
	if (error != 0)
		return error;
	*retval = wr.wr_pid;
	if (wr.wr_pid != 0 && uap->status != 0)
		error = copyout(&wr.wr_status, uap->status, sizeof(wr.wr_status));
	if (error == 0)
		error = rusage_copyout(uap->rusage);
	return error;
}

/* waitid's idtype. */
#define P_ALL		0
#define P_PID		1
#define P_PGID		2

/* The start of Linux's siginfo_t as waitid fills it; 128 bytes in all. */
struct linux_siginfo_chld {
	int32_t		si_signo;
	int32_t		si_errno;
	int32_t		si_code;
	int32_t		si_pad;
	int32_t		si_pid;
	uint32_t	si_uid;
	int32_t		si_status;
	int32_t		si_rest[25];
};

/*
 * waitid: wait4's work with POSIX's interface. idtype P_ALL, P_PID (id
 * the pid) or P_PGID (id the group; 0 the caller's); options WEXITED,
 * WSTOPPED, WCONTINUED (at least one), WNOHANG, WNOWAIT (leave the child
 * waitable). *infop gets SIGCHLD, the CLD_* code, the pid, the real uid
 * and the exit code or signal; zeroed if WNOHANG found nothing. ECHILD,
 * EINTR, EFAULT; EINVAL for a bad idtype, id or options.
 */
int
waitid(struct proc *p, struct waitid_args *uap, int64_t *retval)
{
	int options = (int)uap->options, error;
	int32_t id = (int32_t)uap->id;
	struct linux_siginfo_chld si;
	struct wait_result wr;
	pid_t pid;

	*retval = 0;
	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL |
	    (int)WCLONE))
		return EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return EINVAL;
	switch ((int)uap->idtype) {
	case P_ALL:
		pid = -1;
		break;
	case P_PID:
		if (id <= 0)
			return EINVAL;
		pid = id;
		break;
	case P_PGID:
		if (id < 0)
			return EINVAL;
		pid = id == 0 ? 0 : -id;
		break;
	default:
		return EINVAL;
	}
	error = wait_common(p, pid, options & (WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT),
	    &wr);
	if (error != 0)
		return error;
	memset(&si, 0, sizeof(si));
	if (wr.wr_pid != 0) {
		si.si_signo = SIGCHLD;
		si.si_code = wr.wr_code;
		si.si_pid = wr.wr_pid;
		si.si_uid = wr.wr_uid;
		switch (wr.wr_code) {
		case CLD_EXITED:
			si.si_status = (wr.wr_status >> 8) & 0xff;
			break;
		case CLD_KILLED:
		case CLD_DUMPED:
			si.si_status = wr.wr_status & 0x7f;
			break;
		case CLD_STOPPED:
			si.si_status = (wr.wr_status >> 8) & 0xff;
			break;
		default:
			si.si_status = SIGCONT;
			break;
		}
	}
	if (uap->infop != 0)
		error = copyout(&si, uap->infop, sizeof(si));
	if (error == 0)
		error = rusage_copyout(uap->rusage);
	return error;
}
