/*
 * kern_sysctl_proc.c - kern.proc: the processes, as arrays of struct
 * kinfo_proc (bsd/sys/sysctl.h), for ps and friends.
 *
 *	kern.proc.all		every process, live and zombie ({1, 14, 0})
 *	kern.proc.pid.<pid>	that one, or nothing ({1, 14, 1, pid})
 *	kern.proc.pgrp.<pgid>	the members of that group ({1, 14, 2, pgid})
 *
 * A size query answers the room for every matching process and a few
 * more (processes come and go between the two calls). The records are
 * made under proc_list_lock into a kernel buffer and given out after.
 */

#include "bsd/sys/sysctl.h"

#include <stdbool.h>

#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/resourcevar.h"
#include "bsd/sys/ucred.h"
#include "kernel/kheap.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"

#define KINFO_PROC_SLOP	4

/* Does p match what kern.proc.<what>.<key> asks for? Locks: proc_list_lock. */
static bool
kinfo_proc_match(proc_t p, int what, int key)
{
	switch (what) {
	case KERN_PROC_PID:
		return p->p_pid == key;
	case KERN_PROC_PGRP:
		return p->p_pgrp != NULL && p->p_pgrp->pg_id == key;
	default:
		return true;
	}
}

/* Fill one record. Locks: proc_list_lock held. */
static void
kinfo_proc_fill(proc_t p, struct kinfo_proc *kp)
{
	kauth_cred_t cred = kauth_cred_proc_ref(p);

	memset(kp, 0, sizeof(*kp));
	kp->kp_pid = p->p_pid;
	kp->kp_ppid = p->p_ppid;
	if (p->p_pgrp != NULL) {
		kp->kp_pgid = p->p_pgrp->pg_id;
		kp->kp_sid = p->p_pgrp->pg_session->s_sid;
		if (p->p_pgrp->pg_session->s_ttyp != NULL)
			kp->kp_flag |= KP_CONTROLT;
	}
	kp->kp_uid = kauth_cred_getuid(cred);
	kp->kp_ruid = kauth_cred_getruid(cred);
	kp->kp_gid = kauth_cred_getgid(cred);
	kp->kp_rgid = kauth_cred_getrgid(cred);
	kauth_cred_unref(&cred);
	kp->kp_stat = p->p_stat;
	kp->kp_xstat = p->p_xstat;
	kp->kp_start.tv_sec = p->p_start.tv_sec;
	kp->kp_start.tv_usec = p->p_start.tv_usec;
	if (p == kernproc)
		kp->kp_flag |= KP_SYSTEM;
	if (p->task != TASK_NULL) {
		vm_map_t map = p->task->map;

		kp->kp_runtime_ns = task_cpu_time_ns(p->task, &kp->kp_nthreads);
		if (map != VM_MAP_NULL) {
			kp->kp_vsize = __atomic_load_n(&map->size, __ATOMIC_RELAXED);
			kp->kp_rssize = pmap_resident_count(map->pmap) * PAGE_SIZE;
		}
	}
	proc_lock(p);
	if (p->p_lflag & P_LEXIT)
		kp->kp_flag |= KP_EXITING;
	strlcpy(kp->kp_comm, p->p_comm, sizeof(kp->kp_comm));
	proc_unlock(p);
}

/* Visit every process, live then zombie, that matches. Locks: proc_list_lock. */
static unsigned
kinfo_proc_collect(int what, int key, struct kinfo_proc *out, unsigned cap)
{
	struct proclist *lists[2] = { &allproc, &zombproc };
	unsigned n = 0;
	proc_t p;

	for (int l = 0; l < 2; l++) {
		LIST_FOREACH(p, lists[l], p_list) {
			if (!kinfo_proc_match(p, what, key))
				continue;
			if (out != NULL && n < cap)
				kinfo_proc_fill(p, &out[n]);
			n++;
		}
	}
	return n;
}

static int
sysctl_kern_proc SYSCTL_HANDLER_ARGS
{
	const int *name = arg1;
	int what = oidp->oid_number, key = 0;
	struct kinfo_proc *buf;
	unsigned n, cap;
	int error;

	if (what == KERN_PROC_ALL ? arg2 != 0 : arg2 != 1)
		return EINVAL;
	if (what != KERN_PROC_ALL)
		key = name[0];
	proc_list_lock();
	n = kinfo_proc_collect(what, key, NULL, 0);
	proc_list_unlock();
	cap = n + KINFO_PROC_SLOP;
	if (req->oldptr == USER_ADDR_NULL)
		return SYSCTL_OUT(req, NULL, cap * sizeof(*buf));
	buf = kheap_alloc(&kernel_heap, cap * sizeof(*buf));
	if (buf == NULL)
		return ENOMEM;
	proc_list_lock();
	n = MIN(kinfo_proc_collect(what, key, buf, cap), cap);
	proc_list_unlock();
	error = SYSCTL_OUT(req, buf, n * sizeof(*buf));
	kheap_free(&kernel_heap, buf);
	return error;
}

SYSCTL_NODE(_kern, KERN_PROC, proc, CTLFLAG_RD | CTLFLAG_LOCKED, NULL, "processes");
SYSCTL_OID(_kern_proc, KERN_PROC_ALL, all, CTLTYPE_NODE | CTLFLAG_RD | CTLFLAG_LOCKED, NULL,
    0, sysctl_kern_proc, "S,kinfo_proc", "every process");
SYSCTL_OID(_kern_proc, KERN_PROC_PID, pid, CTLTYPE_NODE | CTLFLAG_RD | CTLFLAG_LOCKED, NULL,
    0, sysctl_kern_proc, "S,kinfo_proc", "a process by pid");
SYSCTL_OID(_kern_proc, KERN_PROC_PGRP, pgrp, CTLTYPE_NODE | CTLFLAG_RD | CTLFLAG_LOCKED, NULL,
    0, sysctl_kern_proc, "S,kinfo_proc", "a process group's members");
