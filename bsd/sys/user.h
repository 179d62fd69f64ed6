/*
 * user.h - the BSD state of one thread of a process (XNU's struct
 * uthread): its VFS context, its signal mask and pending signals, and
 * what a system call in progress keeps between its parts.
 *
 * Every thread of a user task with a process has one, made when the BSD
 * layer makes the thread (exec, fork, clone: uthread_alloc) and freed with
 * the thread (the Mach layer calls back: thread_set_bsd_hooks). Kernel
 * threads have none (get_bsdthread_info returns NULL).
 *
 * Locks: [T] only the thread itself; [S] its process's signal lock.
 */

#ifndef BSD_SYS_USER_H
#define BSD_SYS_USER_H

#include <stdint.h>

#include "bsd/sys/signal.h"
#include "bsd/sys/vnode.h"
#include "mach/kern/kern_types.h"

struct uthread {
	struct vfs_context	uu_context;	/* [T] thread and credential (a reference) */
	thread_t		uu_thread;	/* [I] */
	struct proc		*uu_proc;	/* [I] */
	sigset_t		uu_sigmask;	/* [S] blocked signals */
	sigset_t		uu_siglist;	/* [S] signals pending for this thread */
	sigset_t		uu_oldmask;	/* [T] the mask sigsuspend replaced */
	int			uu_flag;	/* [T] UT_* */
	uint64_t		uu_tid_address;	/* [T] set_tid_address's clear_child_tid */
	struct user_sigaltstack	uu_sigstk;	/* [T] sigaltstack's stack, ss_flags
						   SS_DISABLE if none */
	int			uu_exc_sig;	/* [S] the signal a Mach exception
						   became, until it is taken */
};

#define UT_SAS_OLDMASK	0x0001		/* uu_oldmask to be restored after a handler */
#define UT_RESTART	0x0002		/* the system call returned ERESTART: it is
					   made again unless a handler without
					   SA_RESTART is taken first */

typedef struct uthread *uthread_t;

/* get_bsdthread_info: thread's uthread, or NULL (a kernel thread). */
struct uthread	*get_bsdthread_info(thread_t thread);

/*
 * uthread_alloc: give thread (of p) its uthread, with a reference on
 * p's credential. ENOMEM if memory ran out.
 */
int		uthread_alloc(proc_t p, thread_t thread);

/* uthread_cred_update: the thread's context takes p's current credential. */
void		uthread_cred_update(struct uthread *ut, proc_t p);

#endif /* BSD_SYS_USER_H */
