/*
 * kern_resource.c - limits and resource use (bsd/sys/resource.h,
 * bsd/sys/resourcevar.h): getrlimit, setrlimit, prlimit64, getrusage,
 * times, sysinfo, the load average; and the scheduling calls a C runtime makes,
 * sched_yield, sched_getaffinity and getcpu.
 *
 * Limits are Linux's (RLIMIT_* numbering, struct rlimit of two 64-bit
 * values, RLIM_INFINITY all ones). Anyone may lower a limit or move the
 * soft one up to the hard one; raising a hard limit needs root. Only
 * RLIMIT_NOFILE is enforced today (by the descriptor table); the others
 * are kept and reported.
 */

#include "bsd/sys/resourcevar.h"

#include <stdbool.h>

#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/resource.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/ucred.h"
#include "kernel/copyio.h"
#include "kernel/machine_routines.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_page.h"

/* --- CPU time ------------------------------------------------------------- */

uint64_t
thread_cpu_time_ns(thread_t thread)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	uint64_t ns = __atomic_load_n(&thread->run_time, __ATOMIC_RELAXED);

	if (thread == current_thread()) {
		uint64_t now = mach_absolute_time();

		if (now > thread->computation_epoch)
			ns += now - thread->computation_epoch;
	}
	ml_set_interrupts_enabled(s);
	return ns;
}

uint64_t
task_cpu_time_ns(task_t task, int *nthreads)
{
	thread_t self = current_thread(), t;
	boolean_t s = task_lock(task);
	uint64_t ns = task->total_run_time;

	TAILQ_FOREACH(t, &task->threads, task_threads) {
		if (t != self)
			ns += __atomic_load_n(&t->run_time, __ATOMIC_RELAXED);
	}
	if (nthreads != NULL)
		*nthreads = (int)task->thread_count;
	task_unlock(task, s);
	if (self->task == task)
		ns += thread_cpu_time_ns(self);
	return ns;
}

/* --- the load average ---------------------------------------------------- */

/*
 * exp(-5 s / 1 min), exp(-5 s / 5 min), exp(-5 s / 15 min), in FSCALE
 * fixed point: each sample keeps that much of the old average.
 */
static const uint32_t loadav_decay[3] = { 1884, 2014, 2037 };

static uint32_t loadav[3];	/* [a] written only by the BSD clock thread */

/*
 * The threads running (not idle) or waiting in a run queue, less the
 * caller. Read without the scheduler lock: an estimate, as BSD's is.
 */
static uint32_t
loadav_runnable(void)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < processor_count && i < MAX_PROCESSORS; i++) {
		struct processor *pr = &processor_array[i];
		thread_t active = __atomic_load_n(&pr->active_thread, __ATOMIC_RELAXED);

		n += (uint32_t)MAX(__atomic_load_n(&pr->runq.rq_count, __ATOMIC_RELAXED), 0);
		if (active != THREAD_NULL && active != pr->idle_thread)
			n++;
	}
	return n > 0 ? n - 1 : 0;
}

void
loadav_sample(void)
{
	uint64_t nrun = loadav_runnable();

	for (int i = 0; i < 3; i++) {
		uint64_t v = __atomic_load_n(&loadav[i], __ATOMIC_RELAXED);

		v = (v * loadav_decay[i] + nrun * FSCALE * (FSCALE - loadav_decay[i])) >> FSHIFT;
		__atomic_store_n(&loadav[i], (uint32_t)v, __ATOMIC_RELAXED);
	}
}

void
loadav_get(uint32_t ldavg[3])
{
	for (int i = 0; i < 3; i++)
		ldavg[i] = __atomic_load_n(&loadav[i], __ATOMIC_RELAXED);
}

static struct timeval
ns_to_timeval(uint64_t ns)
{
	return (struct timeval){ (int64_t)(ns / NSEC_PER_SEC),
	    (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

/* --- limits --------------------------------------------------------------- */

/*
 * rlimit_check: may the caller set p's limit resource to *new?
 * EINVAL for cur > max, EPERM for raising the hard limit without being
 * root, or RLIMIT_NOFILE past what the descriptor table can hold.
 * Locks: proc_lock(p) held.
 */
static int
rlimit_check(proc_t p, unsigned resource, const struct rlimit *new, bool root)
{
	if (new->rlim_cur > new->rlim_max)
		return EINVAL;
	if (new->rlim_max > p->p_rlimit[resource].rlim_max && !root)
		return EPERM;
	if (resource == RLIMIT_NOFILE && new->rlim_max > FD_MAX_HARD)
		return EPERM;
	return 0;
}

/*
 * do_prlimit: p's limit resource: the old value into *old (if not NULL),
 * then *new (if not NULL) set, atomically.
 */
static int
do_prlimit(proc_t p, unsigned resource, const struct rlimit *new, struct rlimit *old)
{
	bool root = kauth_cred_issuser(kauth_cred_get());
	int error = 0;

	if (resource >= RLIM_NLIMITS)
		return EINVAL;
	proc_lock(p);
	if (new != NULL)
		error = rlimit_check(p, resource, new, root);
	if (error == 0) {
		if (old != NULL)
			*old = p->p_rlimit[resource];
		if (new != NULL)
			p->p_rlimit[resource] = *new;
	}
	proc_unlock(p);
	return error;
}

int
getrlimit(struct proc *p, struct getrlimit_args *uap, int64_t *retval)
{
	struct rlimit old;
	int error;

	*retval = 0;
	error = do_prlimit(p, (unsigned)uap->resource, NULL, &old);
	if (error != 0)
		return error;
	return copyout(&old, uap->rlp, sizeof(old));
}

int
setrlimit(struct proc *p, struct setrlimit_args *uap, int64_t *retval)
{
	struct rlimit new;

	*retval = 0;
	if (copyin(uap->rlp, &new, sizeof(new)) != 0)
		return EFAULT;
	return do_prlimit(p, (unsigned)uap->resource, &new, NULL);
}

/*
 * prlimit64: get and/or set a limit of pid (0: the caller). Another
 * process's limits need root or the same real, effective and saved uid
 * as the caller's (EPERM); ESRCH if there is no such process.
 */
int
prlimit64(struct proc *p, struct prlimit64_args *uap, int64_t *retval)
{
	struct rlimit new, old;
	pid_t pid = (pid_t)uap->pid;
	proc_t target = p;
	int error;

	*retval = 0;
	if (uap->new_rlim != USER_ADDR_NULL && copyin(uap->new_rlim, &new, sizeof(new)) != 0)
		return EFAULT;
	if (pid != 0 && pid != p->p_pid) {
		kauth_cred_t mine = kauth_cred_get(), theirs;

		target = proc_find(pid);
		if (target == PROC_NULL)
			return ESRCH;
		theirs = kauth_cred_proc_ref(target);
		if (!kauth_cred_issuser(mine) && (mine->cr_uid != theirs->cr_uid ||
		    mine->cr_uid != theirs->cr_ruid || mine->cr_uid != theirs->cr_svuid)) {
			kauth_cred_unref(&theirs);
			proc_rele(target);
			return EPERM;
		}
		kauth_cred_unref(&theirs);
	}
	error = do_prlimit(target, (unsigned)uap->resource,
	    uap->new_rlim != USER_ADDR_NULL ? &new : NULL, &old);
	if (target != p)
		proc_rele(target);
	if (error == 0 && uap->old_rlim != USER_ADDR_NULL)
		error = copyout(&old, uap->old_rlim, sizeof(old));
	return error;
}

/* --- use ------------------------------------------------------------------ */

/*
 * getrusage: RUSAGE_SELF (CPU time, resident size, context switches of
 * the calling thread only), RUSAGE_THREAD, and RUSAGE_CHILDREN (all zero:
 * the reaped children's use is not kept yet). EINVAL for another who.
 */
int
getrusage(struct proc *p, struct getrusage_args *uap, int64_t *retval)
{
	thread_t self = current_thread();
	struct rusage ru;

	*retval = 0;
	memset(&ru, 0, sizeof(ru));
	switch ((int)uap->who) {
	case RUSAGE_SELF:
		ru.ru_utime = ns_to_timeval(task_cpu_time_ns(p->task, NULL));
		break;
	case RUSAGE_THREAD:
		ru.ru_utime = ns_to_timeval(thread_cpu_time_ns(self));
		break;
	case RUSAGE_CHILDREN:
		return copyout(&ru, uap->rusage, sizeof(ru));
	default:
		return EINVAL;
	}
	if (p->task->map != VM_MAP_NULL)
		ru.ru_maxrss = (int64_t)(pmap_resident_count(p->task->map->pmap) * PAGE_SIZE / 1024);
	ru.ru_nivcsw = (int64_t)self->preemptions;
	ru.ru_nvcsw = (int64_t)(self->context_switches - self->preemptions);
	return copyout(&ru, uap->rusage, sizeof(ru));
}

/* times: the process's CPU time in USER_HZ ticks; returns ticks since boot. */
int
times(struct proc *p, struct times_args *uap, int64_t *retval)
{
	struct tms t = { 0 };

	t.tms_utime = (int64_t)(task_cpu_time_ns(p->task, NULL) / (NSEC_PER_SEC / USER_HZ));
	if (uap->tbuf != USER_ADDR_NULL && copyout(&t, uap->tbuf, sizeof(t)) != 0)
		return EFAULT;
	*retval = (int64_t)(mach_absolute_time() / (NSEC_PER_SEC / USER_HZ));
	return 0;
}

/* sysinfo: uptime, the load averages, memory (in pages: mem_unit is the page size), processes. */
int
sysinfo(struct proc *p, struct sysinfo_args *uap, int64_t *retval)
{
	struct vm_page_stats ps;
	struct sysinfo si;
	uint32_t ldavg[3];

	(void)p;
	*retval = 0;
	memset(&si, 0, sizeof(si));
	vm_page_get_stats(&ps);
	si.uptime = (int64_t)(mach_absolute_time() / NSEC_PER_SEC);
	loadav_get(ldavg);
	for (int i = 0; i < 3; i++)
		si.loads[i] = (uint64_t)ldavg[i] << (16 - FSHIFT);	/* Linux's SI_LOAD_SHIFT */
	si.totalram = ps.vps_total;
	si.freeram = ps.vps_free;
	si.procs = (uint16_t)MIN(proc_count(), 0xffffu);
	si.mem_unit = PAGE_SIZE;
	return copyout(&si, uap->info, sizeof(si));
}

/* --- scheduling ------------------------------------------------------------ */

int
sched_yield(struct proc *p, struct sched_yield_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = 0;
	thread_yield();
	return 0;
}

/*
 * sched_getaffinity: every CPU (threads are not bound). len must hold a
 * 64-bit mask and be a multiple of 8 (EINVAL); ESRCH for an unknown pid.
 * Returns the bytes written (8).
 */
int
sched_getaffinity(struct proc *p, struct sched_getaffinity_args *uap, int64_t *retval)
{
	pid_t pid = (pid_t)uap->pid;
	uint64_t mask;

	if (uap->len < sizeof(mask) || (uap->len & (sizeof(mask) - 1)) != 0)
		return EINVAL;
	if (pid != 0 && pid != p->p_pid) {
		proc_t t = proc_find(pid);

		if (t == PROC_NULL)
			return ESRCH;
		proc_rele(t);
	}
	mask = processor_count >= 64 ? ~0ULL : (1ULL << processor_count) - 1;
	if (copyout(&mask, uap->mask, sizeof(mask)) != 0)
		return EFAULT;
	*retval = sizeof(mask);
	return 0;
}

/* getcpu: the CPU the caller runs on (it may move at once), NUMA node 0. */
int
getcpu(struct proc *p, struct getcpu_args *uap, int64_t *retval)
{
	uint32_t cpu = cpu_number(), node = 0;

	(void)p;
	*retval = 0;
	if (uap->cpu != USER_ADDR_NULL && copyout(&cpu, uap->cpu, sizeof(cpu)) != 0)
		return EFAULT;
	if (uap->node != USER_ADDR_NULL && copyout(&node, uap->node, sizeof(node)) != 0)
		return EFAULT;
	return 0;
}
