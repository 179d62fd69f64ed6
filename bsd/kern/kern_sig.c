/*
 * kern_sig.c - signals: posting them (bsd/sys/signalvar.h).
 *
 * A signal sent to a process is added to its pending set (p_siglist); one
 * sent to a thread, to its uthread's. Delivery (the AST on the way back to
 * user mode, handlers, default actions) builds on these.
 */

#include "bsd/sys/signalvar.h"

#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"
#include "mach/kern/thread.h"

void
psignal(proc_t p, int sig)
{
	if (p == PROC_NULL || p == kernproc || sig <= 0 || sig >= NSIG)
		return;
	proc_signal_lock(p);
	sigaddset(&p->p_siglist, sig);
	proc_signal_unlock(p);
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

	if (ut == NULL || sig <= 0 || sig >= NSIG)
		return;
	proc_signal_lock(ut->uu_proc);
	sigaddset(&ut->uu_siglist, sig);
	proc_signal_unlock(ut->uu_proc);
}
