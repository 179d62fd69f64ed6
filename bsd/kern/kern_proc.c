/*
 * kern_proc.c - processes: creating and finding them, pids, the process
 * lists and their locks, kernproc, uthreads (bsd/sys/proc_internal.h).
 *
 * Pids are handed out in increasing order from 1, wrapping below PID_MAX
 * and skipping any still in use by a process, a process group or a
 * session (as BSD does), so a pid is not reused while anything might
 * still mean the old one.
 */

#include "bsd/sys/proc_internal.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/user.h"
#include "bsd/vm/vm_unix.h"
#include "kernel/kheap.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"

#define PIDHASH_SIZE	64		/* buckets; a power of two */
#define PIDHASH(pid)	(&pidhash[(pid) & (PIDHASH_SIZE - 1)])

struct proclist allproc = LIST_HEAD_INITIALIZER(allproc);
struct proclist zombproc = LIST_HEAD_INITIALIZER(zombproc);
static LIST_HEAD(, proc) pidhash[PIDHASH_SIZE];		/* [L] */
static LIST_HEAD(, pgrp) pgrphash[PIDHASH_SIZE];	/* [L] */

static lck_grp_t proc_lck_grp;
static lck_mtx_t proc_list_mlock;
static zone_t proc_zone, uthread_zone;
static pid_t nextpid = 1;				/* [L] */
static unsigned nprocs;					/* [L] */

static struct proc kernproc_store;
static struct pgrp pgrp0;
static struct session session0;
proc_t kernproc;
proc_t initproc;

void proc_list_lock(void) { lck_mtx_lock(&proc_list_mlock); }
void proc_list_unlock(void) { lck_mtx_unlock(&proc_list_mlock); }

int
proc_list_msleep(void *chan, int pri, const char *wmesg)
{
	return msleep(chan, &proc_list_mlock, pri, wmesg, NULL);
}
void proc_lock(proc_t p) { lck_mtx_lock(&p->p_mlock); }
void proc_unlock(proc_t p) { lck_mtx_unlock(&p->p_mlock); }
void proc_fdlock(proc_t p) { lck_mtx_lock(&p->p_fdmlock); }
void proc_fdunlock(proc_t p) { lck_mtx_unlock(&p->p_fdmlock); }
void proc_signal_lock(proc_t p) { lck_spin_lock(&p->p_slock); }
void proc_signal_unlock(proc_t p) { lck_spin_unlock(&p->p_slock); }

static void
proc_init_locks(proc_t p)
{
	lck_mtx_init(&p->p_mlock, &proc_lck_grp, LCK_ATTR_NULL);
	lck_mtx_init(&p->p_fdmlock, &proc_lck_grp, LCK_ATTR_NULL);
	lck_spin_init(&p->p_slock, &proc_lck_grp, LCK_ATTR_NULL);
	lck_mtx_init(&p->p_ucred_mlock, &proc_lck_grp, LCK_ATTR_NULL);
}

static void
proc_destroy_locks(proc_t p)
{
	lck_mtx_destroy(&p->p_mlock, &proc_lck_grp);
	lck_mtx_destroy(&p->p_fdmlock, &proc_lck_grp);
	lck_spin_destroy(&p->p_slock, &proc_lck_grp);
	lck_mtx_destroy(&p->p_ucred_mlock, &proc_lck_grp);
}

static void
uthread_free(thread_t thread)
{
	struct uthread *ut = thread->uthread;

	thread->uthread = NULL;
	kauth_cred_unref(&ut->uu_context.vc_ucred);
	zfree(uthread_zone, ut);
}

void
procinit(void)
{
	lck_grp_init(&proc_lck_grp, "proc", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&proc_list_mlock, &proc_lck_grp, LCK_ATTR_NULL);
	proc_zone = zinit(sizeof(struct proc), 0, 0, "proc");
	uthread_zone = zinit(sizeof(struct uthread), 0, 0, "uthreads");
	if (proc_zone == ZONE_NULL || uthread_zone == ZONE_NULL)
		panic("procinit: no memory for the process zones");
	for (int i = 0; i < PIDHASH_SIZE; i++) {
		LIST_INIT(&pidhash[i]);
		LIST_INIT(&pgrphash[i]);
	}
	thread_set_bsd_hooks(uthread_free);

	/* kernproc: pid 0, kernel_task's, in session 0 and process group 0. */
	kernproc = &kernproc_store;
	memset(kernproc, 0, sizeof(*kernproc));
	proc_init_locks(kernproc);
	kernproc->task = kernel_task;
	kernproc->p_ucred = kauth_cred_kernel();
	kauth_cred_ref(kernproc->p_ucred);
	kernproc->p_stat = SRUN;
	kernproc->p_refcount = 1;
	strlcpy(kernproc->p_comm, "kernel_task", sizeof(kernproc->p_comm));
	LIST_INIT(&kernproc->p_children);
	for (int i = 0; i < RLIM_NLIMITS; i++)
		kernproc->p_rlimit[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	kernproc->p_rlimit[RLIMIT_NOFILE] = (struct rlimit){ FD_MAX_DEFAULT, FD_MAX_HARD };
	session0.s_count = 1;
	session0.s_leader = kernproc;
	pgrp0.pg_session = &session0;
	LIST_INIT(&pgrp0.pg_members);
	kernproc->p_pgrp = &pgrp0;
	LIST_INSERT_HEAD(&pgrp0.pg_members, kernproc, p_pglist);
	LIST_INSERT_HEAD(&pgrphash[0], &pgrp0, pg_hash);
	if (fdinit(kernproc) != 0)
		panic("procinit: no memory for kernproc's descriptor table");
	LIST_INSERT_HEAD(&allproc, kernproc, p_list);
	LIST_INSERT_HEAD(PIDHASH(0), kernproc, p_hash);
	kernel_task->bsd_info = kernproc;
	nprocs = 1;
}

proc_t
pfind_locked(pid_t pid)
{
	proc_t p;

	LIST_FOREACH(p, PIDHASH(pid), p_hash) {
		if (p->p_pid == pid && p->p_stat != SZOMB && p->p_stat != SIDL)
			return p;
	}
	return PROC_NULL;
}

/* pid is taken by a process (live or zombie), a group or a session. Locks: [L]. */
static bool
pid_in_use_locked(pid_t pid)
{
	proc_t p;
	struct pgrp *pg;

	LIST_FOREACH(p, PIDHASH(pid), p_hash) {
		if (p->p_pid == pid)
			return true;
	}
	LIST_FOREACH(pg, &pgrphash[pid & (PIDHASH_SIZE - 1)], pg_hash) {
		if (pg->pg_id == pid || pg->pg_session->s_sid == pid)
			return true;
	}
	return false;
}

/* The next free pid, or NO_PID if every one is taken. Locks: [L]. */
static pid_t
pid_alloc_locked(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		pid_t pid = nextpid++;

		if (nextpid >= PID_MAX)
			nextpid = 2;		/* 1 is init's, forever */
		if (!pid_in_use_locked(pid))
			return pid;
	}
	return NO_PID;
}

proc_t
proc_create(task_t task, proc_t parent)
{
	proc_t p;
	uint32_t secs, nsecs;

	if (task->bsd_info != NULL)
		panic("proc_create: task %p already has process %p", task, task->bsd_info);
	p = zalloc(proc_zone);
	if (p == PROC_NULL)
		return PROC_NULL;
	memset(p, 0, sizeof(*p));
	proc_init_locks(p);
	LIST_INIT(&p->p_children);
	p->p_stat = SIDL;
	p->p_refcount = 1;
	p->p_exitsig = SIGCHLD;
	p->task = task;
	task_reference(task);
	p->p_ucred = kauth_cred_proc_ref(parent);
	proc_lock(parent);
	memcpy(p->p_rlimit, parent->p_rlimit, sizeof(p->p_rlimit));
	strlcpy(p->p_comm, parent->p_comm, sizeof(p->p_comm));
	proc_unlock(parent);
	clock_get_calendar_nanotime(&secs, &nsecs);
	p->p_start.tv_sec = secs;
	p->p_start.tv_usec = nsecs / NSEC_PER_USEC;
	if (fdinit(p) != 0)
		goto fail;

	proc_list_lock();
	p->p_pid = pid_alloc_locked();
	if (p->p_pid == NO_PID) {
		proc_list_unlock();
		fdfree(p);
		goto fail;
	}
	p->p_pptr = parent;
	p->p_ppid = parent->p_pid;
	LIST_INSERT_HEAD(&parent->p_children, p, p_sibling);
	p->p_pgrp = parent->p_pgrp;
	LIST_INSERT_HEAD(&p->p_pgrp->pg_members, p, p_pglist);
	LIST_INSERT_HEAD(PIDHASH(p->p_pid), p, p_hash);	/* reserved, not yet findable */
	nprocs++;
	proc_list_unlock();
	task->bsd_info = p;
	lck_mtx_lock(&p->p_ucred_mlock);
	set_security_token(p);
	lck_mtx_unlock(&p->p_ucred_mlock);
	return p;
fail:
	kauth_cred_unref(&p->p_ucred);
	task_deallocate(task);
	proc_destroy_locks(p);
	zfree(proc_zone, p);
	return PROC_NULL;
}

void
proc_ready(proc_t p)
{
	proc_list_lock();
	p->p_stat = SRUN;
	LIST_INSERT_HEAD(&allproc, p, p_list);
	proc_list_unlock();
}

void
proc_free(proc_t p)
{
	if (p == kernproc)
		panic("proc_free: kernproc");
	proc_list_lock();
	if (p->p_stat != SIDL)
		LIST_REMOVE(p, p_list);			/* allproc or zombproc */
	LIST_REMOVE(p, p_hash);
	if (p->p_pptr != PROC_NULL)
		LIST_REMOVE(p, p_sibling);
	if (p->p_pgrp != NULL)
		pgrp_leave_locked(p);
	if (!LIST_EMPTY(&p->p_children))
		panic("proc_free: process %d still has children", p->p_pid);
	nprocs--;
	proc_list_unlock();
	/* Wait for proc_find's holders to let go. */
	while (__atomic_load_n(&p->p_refcount, __ATOMIC_ACQUIRE) > 1)
		thread_block(THREAD_CONTINUE_NULL);
	if (p->p_fd != NULL)
		fdfree(p);
	sigacts_free(p);
	if (p->task != TASK_NULL) {
		p->task->bsd_info = NULL;
		task_deallocate(p->task);
	}
	kauth_cred_unref(&p->p_ucred);
	proc_destroy_locks(p);
	zfree(proc_zone, p);
}

proc_t
proc_from_task(task_t task)
{
	return task != TASK_NULL ? task->bsd_info : PROC_NULL;
}

proc_t
current_proc(void)
{
	thread_t self = current_thread();
	proc_t p = self != THREAD_NULL ? proc_from_task(self->task) : PROC_NULL;

	return p != PROC_NULL ? p : kernproc;
}

proc_t
proc_find(pid_t pid)
{
	proc_t p;

	proc_list_lock();
	p = pfind_locked(pid);
	if (p != PROC_NULL)
		__atomic_add_fetch(&p->p_refcount, 1, __ATOMIC_ACQ_REL);
	proc_list_unlock();
	return p;
}

void
proc_rele(proc_t p)
{
	if (p != PROC_NULL)
		__atomic_sub_fetch(&p->p_refcount, 1, __ATOMIC_ACQ_REL);
}

pid_t proc_pid(proc_t p) { return p->p_pid; }
pid_t proc_ppid(proc_t p) { return p->p_ppid; }
pid_t proc_selfpid(void) { return current_proc()->p_pid; }
task_t proc_task(proc_t p) { return p->task; }
const char *proc_best_name(proc_t p) { return p->p_comm; }

void
proc_name(pid_t pid, char *buf, int size)
{
	proc_t p = proc_find(pid);

	if (size <= 0)
		return;
	buf[0] = '\0';
	if (p != PROC_NULL) {
		proc_lock(p);
		strlcpy(buf, p->p_comm, (size_t)size);
		proc_unlock(p);
		proc_rele(p);
	}
}

int
proc_suser(proc_t p)
{
	kauth_cred_t cred = kauth_cred_proc_ref(p);
	int issuser = kauth_cred_issuser(cred);

	kauth_cred_unref(&cred);
	return issuser;
}

void
proc_ucred_swap(proc_t p, kauth_cred_t newcred)
{
	kauth_cred_t old;

	lck_mtx_lock(&p->p_ucred_mlock);
	old = p->p_ucred;
	p->p_ucred = newcred;
	set_security_token(p);
	lck_mtx_unlock(&p->p_ucred_mlock);
	kauth_cred_unref(&old);
}

unsigned
proc_count(void)
{
	return __atomic_load_n(&nprocs, __ATOMIC_RELAXED);
}

/* --- process groups and sessions ------------------------------------------------ */

struct pgrp *
pgfind_locked(pid_t pgid)
{
	struct pgrp *pg;

	LIST_FOREACH(pg, &pgrphash[pgid & (PIDHASH_SIZE - 1)], pg_hash) {
		if (pg->pg_id == pgid)
			return pg;
	}
	return NULL;
}

void
pgrp_leave_locked(proc_t p)
{
	struct pgrp *pg = p->p_pgrp;
	struct session *sess;

	LIST_REMOVE(p, p_pglist);
	p->p_pgrp = NULL;
	if (pg == &pgrp0 || !LIST_EMPTY(&pg->pg_members))
		return;
	/* The last member gone: the group goes, and the session with its last group. */
	sess = pg->pg_session;
	LIST_REMOVE(pg, pg_hash);
	kheap_free(&kernel_heap, pg);
	if (sess->s_leader == p)
		sess->s_leader = PROC_NULL;
	if (--sess->s_count == 0 && sess != &session0)
		kheap_free(&kernel_heap, sess);
}

int
enterpgrp_locked(proc_t p, pid_t pgid, int mksess)
{
	struct pgrp *pg = pgfind_locked(pgid);
	struct session *sess = NULL;

	if (pg == p->p_pgrp && pg != NULL)
		return 0;
	if (pg == NULL) {
		pg = kheap_alloc(&kernel_heap, sizeof(*pg));
		if (pg == NULL)
			return ENOMEM;
		memset(pg, 0, sizeof(*pg));
		if (mksess) {
			sess = kheap_alloc(&kernel_heap, sizeof(*sess));
			if (sess == NULL) {
				kheap_free(&kernel_heap, pg);
				return ENOMEM;
			}
			memset(sess, 0, sizeof(*sess));
			sess->s_leader = p;
			sess->s_sid = p->p_pid;
			sess->s_count = 1;
		} else {
			sess = p->p_pgrp->pg_session;
			sess->s_count++;
		}
		pg->pg_id = pgid;
		pg->pg_session = sess;
		LIST_INIT(&pg->pg_members);
		LIST_INSERT_HEAD(&pgrphash[pgid & (PIDHASH_SIZE - 1)], pg, pg_hash);
	}
	pgrp_leave_locked(p);
	p->p_pgrp = pg;
	LIST_INSERT_HEAD(&pg->pg_members, p, p_pglist);
	return 0;
}

/* --- uthreads ------------------------------------------------------------------ */

struct uthread *
get_bsdthread_info(thread_t thread)
{
	return thread != THREAD_NULL ? thread->uthread : NULL;
}

int
uthread_alloc(proc_t p, thread_t thread)
{
	struct uthread *ut = zalloc(uthread_zone);

	if (ut == NULL)
		return ENOMEM;
	memset(ut, 0, sizeof(*ut));
	ut->uu_thread = thread;
	ut->uu_proc = p;
	ut->uu_context.vc_thread = thread;
	ut->uu_context.vc_ucred = kauth_cred_proc_ref(p);
	thread->uthread = ut;
	return 0;
}

void
uthread_cred_update(struct uthread *ut, proc_t p)
{
	kauth_cred_t old = ut->uu_context.vc_ucred;

	ut->uu_context.vc_ucred = kauth_cred_proc_ref(p);
	kauth_cred_unref(&old);
}
