/*
 * proc_internal.h - the process structure and its relations, for the BSD
 * layer itself (XNU's name and split: bsd/sys/proc.h is the opaque KPI).
 *
 * struct proc is the BSD state of one Mach task: identity (pid, parent,
 * process group and session, credentials), open files, limits, signal
 * state, and what becomes of it at exit (p_stat, p_xstat). Its threads'
 * BSD state is in their uthreads (bsd/sys/user.h).
 *
 * Relations: every process but kernproc has a parent (p_pptr, its
 * p_children list); a process whose parent exits is given to initproc. A
 * process is on allproc while it runs and on zombproc between its exit
 * and its parent's wait. Processes are in process groups, groups in
 * sessions (job control); a session may have a controlling terminal.
 *
 * Locks for struct proc fields:
 *   [L] proc_list_lock(): allproc, zombproc, the pid hash, p_pptr and the
 *       children lists, p_pgrp and the process-group lists, p_stat
 *   [P] proc_lock(p): p's own mutable fields (p_flag, limits, p_comm)
 *   [F] proc_fdlock(p): the descriptor table p_fd
 *   [S] proc_signal_lock(p): signal state (sigacts, pending signals)
 *   [C] credential swaps (proc_ucred_lock): p_ucred
 *   [I] set at creation
 *   [E] set at creation and by exec once the process is down to one
 *       thread; read by the process's own threads without a lock
 *   [a] atomic
 * Lock order: proc_list_lock, then a process's proc_lock, then its
 * fd lock, then its signal lock; each of these before any Mach lock
 * (task, scheduler). Two processes' locks of one kind are taken parent
 * before child.
 */

#ifndef BSD_SYS_PROC_INTERNAL_H
#define BSD_SYS_PROC_INTERNAL_H

#include <stdint.h>

#include "bsd/sys/proc.h"
#include "bsd/sys/resource.h"
#include "bsd/sys/signal.h"
#include "bsd/sys/time.h"
#include "bsd/sys/types.h"
#include "bsd/sys/ucred.h"
#include "libkern/queue.h"
#include "mach/kern/locks.h"

#define MAXCOMLEN	16
#define PID_MAX		99999		/* pids wrap below this */
#define NO_PID		100000

/* p_stat */
#define SIDL		1		/* being created by fork */
#define SRUN		2		/* running (its threads may sleep) */
#define SSTOP		4		/* stopped by a signal */
#define SZOMB		5		/* exited; waiting for its parent's wait */

/*
 * p_lflag. Changed with atomic bit operations (proc_lflag_set/clear), so
 * that the signals area, exit and wait can each flip their own bits;
 * P_LSTOPPED_REPORT and P_LCONT_REPORT are also only read and cleared
 * with proc_list_lock held, so that wait4 sees them and p_stat together.
 */
#define P_LEXIT		0x0001		/* exiting: p_xstat is final, no new threads */
#define P_LTRACED	0x0002		/* (reserved for ptrace) */
#define P_LPPWAIT	0x0004		/* its vfork parent waits until it execs or exits */
#define P_LEXEC		0x0008		/* has called execve since fork */
#define P_LSTOPPED_REPORT 0x0010	/* stopped, not yet reported to wait (WUNTRACED) */
#define P_LCONT_REPORT	0x0020		/* continued, not yet reported (WCONTINUED) */
#define P_LKWAIT	0x0040		/* the kernel waits for it (console `run`, init):
					   a child of kernproc not reaped by exit */

/* wait(2)'s status encoding (XNU's W_EXITCODE and kin). */
#define W_EXITCODE(ret, sig)	(((ret) & 0xff) << 8 | (sig))
#define W_STOPCODE(sig)		((sig) << 8 | 0x7f)
#define W_CONTINUED		0xffff
#define WCOREFLAG		0x80

struct session {
	int			s_count;	/* [L] process groups in it */
	struct proc		*s_leader;	/* [L] the session leader, or NULL once gone */
	pid_t			s_sid;		/* [I] */
	struct tty		*s_ttyp;	/* [L] the controlling terminal, or NULL */
	struct vnode		*s_ttyvp;	/* [L] its vnode, if opened as one */
};

struct pgrp {
	LIST_ENTRY(pgrp)	pg_hash;	/* [L] the process-group hash */
	LIST_HEAD(, proc)	pg_members;	/* [L] */
	struct session		*pg_session;	/* [I] */
	pid_t			pg_id;		/* [I] */
	int			pg_jobc;	/* [L] members with a parent in another
						   group of the same session (job control) */
};

struct filedesc;
struct sigacts;

struct proc {
	LIST_ENTRY(proc)	p_list;		/* [L] allproc or zombproc */
	LIST_ENTRY(proc)	p_hash;		/* [L] the pid hash */
	pid_t			p_pid;		/* [I] */
	pid_t			p_ppid;		/* [L] the parent's pid, kept after it goes */
	struct proc		*p_pptr;	/* [L] parent */
	LIST_HEAD(, proc)	p_children;	/* [L] */
	LIST_ENTRY(proc)	p_sibling;	/* [L] in the parent's p_children */
	struct pgrp		*p_pgrp;	/* [L] */
	LIST_ENTRY(proc)	p_pglist;	/* [L] in p_pgrp->pg_members */

	task_t			task;		/* [I] the Mach task (a reference) */
	kauth_cred_t		p_ucred;	/* [C] credentials (a reference) */
	struct filedesc		*p_fd;		/* [F] open files, cwd, root */
	struct sigacts		*p_sigacts;	/* [S] signal actions */
	sigset_t		p_siglist;	/* [S] signals pending for the process */
	struct rlimit		p_rlimit[RLIM_NLIMITS];	/* [P] */

	int			p_stat;		/* [L] SIDL, SRUN, SSTOP, SZOMB */
	int			p_lflag;	/* [a] P_L* (see above) */
	int			p_xstat;	/* [L] exit status, wait(2)'s encoding */
	int			p_stopsig;	/* [L] the signal that last stopped it */
	int			p_exitsig;	/* [I] sent to the parent at exit (SIGCHLD;
						   clone's low byte; 0: none) */
	uint32_t		p_refcount;	/* [a] proc_find references, plus one */
	struct timeval		p_start;	/* [I] when it was forked */
	char			p_comm[MAXCOMLEN + 1];	/* [P] the program's name */
	uint64_t		p_brk_start;	/* [P] where the heap starts (after the image) */
	uint64_t		p_brk;		/* [P] the break (brk) */
	uint64_t		p_mmap_base;	/* [E] where mmap starts looking (kern_aslr.h) */

	lck_mtx_t		p_mlock;	/* proc_lock */
	lck_mtx_t		p_fdmlock;	/* proc_fdlock */
	lck_spin_t		p_slock;	/* proc_signal_lock: also from the tty */
	lck_mtx_t		p_ucred_mlock;	/* proc_ucred_lock */
};

extern LIST_HEAD(proclist, proc) allproc, zombproc;	/* [L] */
extern proc_t initproc;		/* pid 1, once it exists */

void		proc_list_lock(void);
void		proc_list_unlock(void);
void		proc_lock(proc_t p);
void		proc_unlock(proc_t p);
void		proc_fdlock(proc_t p);
void		proc_fdunlock(proc_t p);
void		proc_signal_lock(proc_t p);
void		proc_signal_unlock(proc_t p);

/*
 * procinit: kernproc (pid 0, kernel_task's, with the kernel's
 * credential), the pid hash, the process zone. Once, from bsd_init.
 */
void		procinit(void);

/*
 * proc_create: a new process for task (which must have no process yet),
 * child of parent, in parent's process group, with a reference on
 * parent's credential, and a pid of its own. Its descriptor table is
 * empty (fork copies the parent's with fdcopy; a new program gets
 * fdinit's). p_stat is SIDL until proc_ready. NULL if memory or pids ran
 * out.
 */
proc_t		proc_create(task_t task, proc_t parent);

/* proc_ready: p is fully made: SRUN, on allproc, findable by pid. */
void		proc_ready(proc_t p);

/*
 * proc_free: the last of a reaped zombie (wait) or of a process that
 * never became ready: its pid, credential, task reference and memory.
 */
void		proc_free(proc_t p);

/* pfind_locked: the live process with that pid, no reference. Locks: [L] held. */
proc_t		pfind_locked(pid_t pid);

/* The process of a task, or PROC_NULL (task->bsd_info). */
proc_t		proc_from_task(task_t task);

/* proc_ucred_swap: install newcred (the caller's reference moves in), drop the old. */
void		proc_ucred_swap(proc_t p, kauth_cred_t newcred);

/* proc_brk_init: p's heap starts (empty) at the page after image_end (exec). */
void		proc_brk_init(proc_t p, uint64_t image_end);

/* Counts for tests and sysctl. */
unsigned	proc_count(void);

/* p_lflag bits, atomically. */
static inline void
proc_lflag_set(proc_t p, int bits)
{
	__atomic_fetch_or(&p->p_lflag, bits, __ATOMIC_ACQ_REL);
}

static inline void
proc_lflag_clear(proc_t p, int bits)
{
	__atomic_fetch_and(&p->p_lflag, ~bits, __ATOMIC_ACQ_REL);
}

static inline int
proc_lflag(proc_t p)
{
	return __atomic_load_n(&p->p_lflag, __ATOMIC_ACQUIRE);
}

/*
 * proc_list_msleep: sleep on chan with proc_list_lock held (dropped while
 * asleep, held again on return); pri as msleep's (PCATCH: interruptible).
 * Returns 0, or EINTR if interrupted.
 */
int		proc_list_msleep(void *chan, int pri, const char *wmesg);

/* --- process groups and sessions (kern_proc.c) --- */

/* pgfind_locked: the process group with that id, or NULL. Locks: [L] held. */
struct pgrp	*pgfind_locked(pid_t pgid);

/*
 * enterpgrp: move p into process group pgid, making it (and, with
 * mksess, a new session led by p) if it does not exist. ENOMEM. Locks:
 * [L] held.
 */
int		enterpgrp_locked(proc_t p, pid_t pgid, int mksess);

/* pgrp_leave_locked: take p out of its group; an empty group (and session) goes. Locks: [L]. */
void		pgrp_leave_locked(proc_t p);

/* --- exit and wait (kern_exit.c) --- */

/*
 * exit1: end p with status xstat (wait(2)'s encoding: W_EXITCODE(code, 0),
 * or a signal number, | WCOREFLAG for a core). Only the first call's
 * status counts. Every thread is terminated; the last one to end makes p
 * a zombie (proc_exit). The caller, if one of p's threads, ends on its
 * way back to user mode.
 */
void		exit1(proc_t p, int xstat);

/*
 * proc_exit_by_signal: p dies of sig (the default action of a fatal
 * signal); core adds WCOREFLAG. For the signals area.
 */
void		proc_exit_by_signal(proc_t p, int sig, int core);

/*
 * proc_stop_notify, proc_cont_notify: p was stopped by sig (p_stat is
 * SSTOP) or continued (p_stat back to SRUN): record it for the parent's
 * wait4 and waitid (WUNTRACED, WCONTINUED) and wake the parent if it
 * waits. SIGCHLD (and SA_NOCLDSTOP) is the signals area's, which calls
 * these (sig_notify_parent). Locks: none held; they take proc_list_lock.
 */
void		proc_stop_notify(proc_t p, int sig);
void		proc_cont_notify(proc_t p);

/*
 * proc_reap: free zombie p, a child the caller (the kernel: console `run`,
 * init) waited for; its exit status is returned. p must be a zombie.
 */
int		proc_reap(proc_t p);

/* exit_init: the exit hook (thread_set_bsd_exit_hook); once, at BSD start-up. */
void		exit_init(void);

#endif /* BSD_SYS_PROC_INTERNAL_H */
