/*
 * kern_time.c - time for user space: the clocks (clock_gettime,
 * clock_getres, clock_settime, gettimeofday, settimeofday, time),
 * sleeping (nanosleep, clock_nanosleep) and the real-time interval timer
 * (setitimer, getitimer, alarm), Linux's numbers and layouts.
 *
 * The clocks: CLOCK_MONOTONIC (and _RAW, _COARSE, and CLOCK_BOOTTIME:
 * nothing suspends) is Mach absolute time, nanoseconds since the TSC was
 * calibrated. CLOCK_REALTIME is the calendar: the RTC read at boot plus
 * absolute time, moved by settimeofday/clock_settime. The CPU-time clocks
 * are the Mach threads' run time (bsd/sys/resourcevar.h).
 *
 * Sleeps are interruptible msleeps (PCATCH) on a channel nobody wakes:
 * only the deadline, or something interrupting the thread (a signal,
 * once signals wake sleepers; termination), ends them; an interrupted
 * sleep answers EINTR and the time that was left.
 *
 * ITIMER_REAL: each process may have one, in a fixed table of slots
 * (ITIMER_SLOTS, keyed by pid). A slot's timer call fires in interrupt
 * context, where psignal's locks may not be taken, so it only marks the
 * slot expired and wakes the itimer thread, which posts SIGALRM with
 * psignal and re-arms a periodic timer (the same thread samples the load
 * average every five seconds). A slot whose process is gone is
 * freed when its timer next fires. A slot's generation, bumped whenever
 * it is re-armed or freed, tells a stale callout (already running when
 * the slot changed) to do nothing.
 *
 * Locks, in order: itimers.lock (a mutex: the slots' pid, deadline and
 * interval), then itimers.xlock (a spin lock, interrupts off: generation,
 * expired flags, pending; shared with the callouts), then the scheduler
 * lock (the itimer thread asserts its wait with xlock held).
 */

#include "bsd/kern/kern_time.h"

#include <stdbool.h>

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/resourcevar.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/time.h"
#include "bsd/sys/ucred.h"
#include "kernel/copyio.h"
#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/kern/timer_call.h"

#define ITIMER_SLOTS	64
#define NS_MAX		UINT64_MAX

struct itimer_slot {
	pid_t			its_pid;	/* [M] owner; 0: free */
	uint64_t		its_deadline;	/* [M] absolute time; 0: disarmed */
	uint64_t		its_interval;	/* [M] ns; 0: one shot */
	uint64_t		its_gen;	/* [X] */
	bool			its_expired;	/* [X] the callout ran */
	timer_call_data_t	its_call;
};

static struct {
	lck_grp_t		grp;
	lck_mtx_t		lock;		/* [M] */
	hw_lock_data_t		xlock;		/* [X] */
	bool			pending;	/* [X] some slot expired */
	struct itimer_slot	slots[ITIMER_SLOTS];
} itimers;

static char nanosleep_chan;	/* slept on, never woken */

/* --- clocks --------------------------------------------------------------- */

static int
clock_read_ns(int clock_id, uint64_t *ns)
{
	switch (clock_id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = clock_get_calendar_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = mach_absolute_time();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = task_cpu_time_ns(current_task(), NULL);
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = thread_cpu_time_ns(current_thread());
		return 0;
	default:
		return EINVAL;
	}
}

static struct timespec
ns_to_timespec(uint64_t ns)
{
	return (struct timespec){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

/* A timespec from user space as nanoseconds (saturating); EINVAL if malformed. */
static int
timespec_in(user_addr_t uaddr, uint64_t *ns)
{
	struct timespec ts;

	if (copyin(uaddr, &ts, sizeof(ts)) != 0)
		return EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return EINVAL;
	if ((uint64_t)ts.tv_sec >= NS_MAX / NSEC_PER_SEC - 1)
		*ns = NS_MAX;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

static int
timeval_check(const struct timeval *tv)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC))
		return EINVAL;
	return 0;
}

static uint64_t
timeval_to_ns(const struct timeval *tv)
{
	if ((uint64_t)tv->tv_sec >= NS_MAX / NSEC_PER_SEC - 1)
		return NS_MAX;
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * NSEC_PER_USEC;
}

static struct timeval
ns_to_timeval_up(uint64_t ns)
{
	/* Round up, so that time left is never reported as none. */
	uint64_t us = ns / NSEC_PER_USEC + (ns % NSEC_PER_USEC != 0);

	return (struct timeval){ (int64_t)(us / 1000000), (int64_t)(us % 1000000) };
}

int
clock_gettime(struct proc *p, struct clock_gettime_args *uap, int64_t *retval)
{
	struct timespec ts;
	uint64_t ns;
	int error;

	(void)p;
	*retval = 0;
	error = clock_read_ns((int)uap->clock_id, &ns);
	if (error != 0)
		return error;
	ts = ns_to_timespec(ns);
	return copyout(&ts, uap->tp, sizeof(ts));
}

/* clock_getres: 1 ns for every clock (its unit); 10 ms for the coarse ones. */
int
clock_getres(struct proc *p, struct clock_getres_args *uap, int64_t *retval)
{
	struct timespec ts = { 0, 1 };
	int clock_id = (int)uap->clock_id;
	uint64_t ns;

	(void)p;
	*retval = 0;
	if (clock_read_ns(clock_id, &ns) != 0)
		return EINVAL;
	if (clock_id == CLOCK_REALTIME_COARSE || clock_id == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = 10 * NSEC_PER_MSEC;
	if (uap->tp == USER_ADDR_NULL)
		return 0;
	return copyout(&ts, uap->tp, sizeof(ts));
}

/*
 * Set the calendar: root only (EPERM). EINVAL for a time before the boot
 * or past what 64 bits of nanoseconds hold (the year 2262).
 */
static int
settime_ns(uint64_t ns)
{
	if (!kauth_cred_issuser(kauth_cred_get()))
		return EPERM;
	if (ns > (uint64_t)INT64_MAX)
		return EINVAL;
	return clock_set_calendar_ns(ns) == KERN_SUCCESS ? 0 : EINVAL;
}

int
clock_settime(struct proc *p, struct clock_settime_args *uap, int64_t *retval)
{
	uint64_t ns;
	int error;

	(void)p;
	*retval = 0;
	if ((int)uap->clock_id != CLOCK_REALTIME)
		return EINVAL;
	error = timespec_in(uap->tp, &ns);
	if (error != 0)
		return error;
	return settime_ns(ns);
}

int
gettimeofday(struct proc *p, struct gettimeofday_args *uap, int64_t *retval)
{
	uint64_t ns = clock_get_calendar_ns();
	struct timeval tv = { (int64_t)(ns / NSEC_PER_SEC),
	    (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
	struct timezone tz = { 0, 0 };

	(void)p;
	*retval = 0;
	if (uap->tp != USER_ADDR_NULL && copyout(&tv, uap->tp, sizeof(tv)) != 0)
		return EFAULT;
	if (uap->tzp != USER_ADDR_NULL && copyout(&tz, uap->tzp, sizeof(tz)) != 0)
		return EFAULT;
	return 0;
}

/* settimeofday: the time zone is accepted and ignored (the kernel keeps UTC). */
int
settimeofday(struct proc *p, struct settimeofday_args *uap, int64_t *retval)
{
	struct timeval tv;
	struct timezone tz;

	(void)p;
	*retval = 0;
	if (uap->tp != USER_ADDR_NULL) {
		if (copyin(uap->tp, &tv, sizeof(tv)) != 0)
			return EFAULT;
		if (timeval_check(&tv) != 0)
			return EINVAL;
	}
	if (uap->tzp != USER_ADDR_NULL && copyin(uap->tzp, &tz, sizeof(tz)) != 0)
		return EFAULT;
	if (uap->tp == USER_ADDR_NULL) {
		if (!kauth_cred_issuser(kauth_cred_get()))
			return EPERM;
		return 0;
	}
	return settime_ns(timeval_to_ns(&tv));
}

int
time(struct proc *p, struct time_args *uap, int64_t *retval)
{
	int64_t t = (int64_t)(clock_get_calendar_ns() / NSEC_PER_SEC);

	(void)p;
	if (uap->tloc != USER_ADDR_NULL && copyout(&t, uap->tloc, sizeof(t)) != 0)
		return EFAULT;
	*retval = t;
	return 0;
}

/* --- sleeping ------------------------------------------------------------- */

/*
 * bsd_sleep_until: sleep, interruptibly, until absolute time deadline.
 * Returns 0, or EINTR with the time that was left in *left.
 */
int
bsd_sleep_until(uint64_t deadline, uint64_t *left)
{
	for (;;) {
		uint64_t now = mach_absolute_time();
		int error;

		if (now >= deadline)
			return 0;
		error = msleep0(&nanosleep_chan, NULL, PCATCH, "nanosleep", deadline);
		if (error == EWOULDBLOCK)
			return 0;
		if (error != 0) {
			/*
			 * A signal (EINTR, or a restart asked for: a sleep is
			 * never restarted whole, as on Linux): the time left.
			 */
			now = mach_absolute_time();
			*left = deadline > now ? deadline - now : 0;
			return EINTR;
		}
		/* Woken for nothing (or by a signal already gone): sleep on. */
	}
}

static uint64_t
deadline_after(uint64_t ns)
{
	uint64_t now = mach_absolute_time();

	return ns >= NS_MAX - now ? NS_MAX - 1 : now + ns;
}

static int
sleep_out(int error, uint64_t left, user_addr_t rmtp)
{
	struct timespec ts = ns_to_timespec(left);

	if (error == EINTR && rmtp != USER_ADDR_NULL && copyout(&ts, rmtp, sizeof(ts)) != 0)
		return EFAULT;
	return error;
}

int
nanosleep(struct proc *p, struct nanosleep_args *uap, int64_t *retval)
{
	uint64_t ns, left = 0;
	int error;

	(void)p;
	*retval = 0;
	error = timespec_in(uap->rqtp, &ns);
	if (error != 0)
		return error;
	error = bsd_sleep_until(deadline_after(ns), &left);
	return sleep_out(error, left, uap->rmtp);
}

/*
 * clock_nanosleep: on CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME
 * (EINVAL for the others); TIMER_ABSTIME for a time on that clock. An
 * absolute sleep interrupted reports nothing in rmtp.
 */
int
clock_nanosleep(struct proc *p, struct clock_nanosleep_args *uap, int64_t *retval)
{
	int clock_id = (int)uap->clock_id, flags = (int)uap->flags;
	uint64_t ns, left = 0, deadline, boot;
	int error;

	(void)p;
	*retval = 0;
	if (clock_id != CLOCK_REALTIME && clock_id != CLOCK_MONOTONIC &&
	    clock_id != CLOCK_BOOTTIME)
		return EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return EINVAL;
	error = timespec_in(uap->rqtp, &ns);
	if (error != 0)
		return error;
	if (!(flags & TIMER_ABSTIME)) {
		error = bsd_sleep_until(deadline_after(ns), &left);
		return sleep_out(error, left, uap->rmtp);
	}
	if (clock_id == CLOCK_REALTIME) {
		boot = clock_get_boottime_ns();
		if (ns <= boot)
			return 0;
		deadline = ns - boot;
	} else {
		deadline = ns;
	}
	return bsd_sleep_until(deadline, &left);
}

/* --- ITIMER_REAL ---------------------------------------------------------- */

static void
itimer_callout(void *param0, void *param1)
{
	struct itimer_slot *slot = param0;
	bool fired = false;

	/* Interrupt context, interrupts off. */
	hw_lock_lock(&itimers.xlock);
	if (slot->its_gen == (uint64_t)(uintptr_t)param1) {
		slot->its_expired = true;
		itimers.pending = true;
		fired = true;
	}
	hw_lock_unlock(&itimers.xlock);
	if (fired)
		thread_wakeup(&itimers.pending);
}

/* A new generation for slot (stale callouts then do nothing); returns it. */
static uint64_t
itimer_new_gen(struct itimer_slot *slot)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	uint64_t gen;

	hw_lock_lock(&itimers.xlock);
	gen = ++slot->its_gen;
	slot->its_expired = false;
	hw_lock_unlock(&itimers.xlock);
	ml_set_interrupts_enabled(s);
	return gen;
}

/*
 * itimer_set_locked: arm slot for pid to fire in value ns, then every
 * interval ns (0: once); value 0 disarms and frees it. Locks: itimers.lock.
 */
static void
itimer_set_locked(struct itimer_slot *slot, pid_t pid, uint64_t value, uint64_t interval)
{
	uint64_t gen = itimer_new_gen(slot);

	(void)timer_call_cancel(&slot->its_call);
	if (value == 0) {
		slot->its_pid = 0;
		slot->its_deadline = 0;
		slot->its_interval = 0;
		return;
	}
	slot->its_pid = pid;
	slot->its_deadline = deadline_after(value);
	slot->its_interval = interval;
	(void)timer_call_enter1(&slot->its_call, (void *)(uintptr_t)gen, slot->its_deadline, 0);
}

/* pid's slot; with allocate, a free one if it has none. Locks: itimers.lock. */
static struct itimer_slot *
itimer_find_locked(pid_t pid, bool allocate)
{
	struct itimer_slot *free_slot = NULL;

	for (int i = 0; i < ITIMER_SLOTS; i++) {
		if (itimers.slots[i].its_pid == pid)
			return &itimers.slots[i];
		if (itimers.slots[i].its_pid == 0 && free_slot == NULL)
			free_slot = &itimers.slots[i];
	}
	return allocate ? free_slot : NULL;
}

/* One expired slot: SIGALRM to its process, and re-arm or free. Locks: itimers.lock. */
static void
itimer_expire_locked(struct itimer_slot *slot)
{
	proc_t p;

	if (slot->its_pid == 0 || slot->its_deadline == 0)
		return;
	p = proc_find(slot->its_pid);
	if (p == PROC_NULL) {
		itimer_set_locked(slot, 0, 0, 0);
		return;
	}
	psignal(p, SIGALRM);
	proc_rele(p);
	if (slot->its_interval == 0) {
		itimer_set_locked(slot, 0, 0, 0);
		return;
	}
	itimer_set_locked(slot, slot->its_pid, slot->its_interval, slot->its_interval);
}

/*
 * The BSD clock thread: posts the expired interval timers' SIGALRMs, and
 * samples the load average every LOADAV_INTERVAL_NS.
 */
static void __attribute__((noreturn))
itimer_thread(void *param, wait_result_t wr)
{
	uint64_t next_sample = mach_absolute_time() + LOADAV_INTERVAL_NS;

	(void)param;
	(void)wr;
	for (;;) {
		boolean_t s;

		if (mach_absolute_time() >= next_sample) {
			loadav_sample();
			next_sample += LOADAV_INTERVAL_NS;
			if (next_sample <= mach_absolute_time())
				next_sample = mach_absolute_time() + LOADAV_INTERVAL_NS;
		}

		lck_mtx_lock(&itimers.lock);
		for (int i = 0; i < ITIMER_SLOTS; i++) {
			struct itimer_slot *slot = &itimers.slots[i];
			bool expired;

			s = ml_set_interrupts_enabled(FALSE);
			hw_lock_lock(&itimers.xlock);
			expired = slot->its_expired;
			slot->its_expired = false;
			hw_lock_unlock(&itimers.xlock);
			ml_set_interrupts_enabled(s);
			if (expired)
				itimer_expire_locked(slot);
		}
		lck_mtx_unlock(&itimers.lock);

		s = ml_set_interrupts_enabled(FALSE);
		hw_lock_lock(&itimers.xlock);
		if (!itimers.pending)
			(void)assert_wait_deadline(&itimers.pending, THREAD_UNINT, next_sample);
		itimers.pending = false;
		hw_lock_unlock(&itimers.xlock);
		ml_set_interrupts_enabled(s);
		(void)thread_block(THREAD_CONTINUE_NULL);
	}
}

void
kern_time_init(void)
{
	thread_t t;

	lck_grp_init(&itimers.grp, "itimer", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&itimers.lock, &itimers.grp, LCK_ATTR_NULL);
	hw_lock_init(&itimers.xlock);
	for (int i = 0; i < ITIMER_SLOTS; i++)
		timer_call_setup(&itimers.slots[i].its_call, itimer_callout, &itimers.slots[i]);
	if (kernel_thread_start(itimer_thread, NULL, &t) != KERN_SUCCESS)
		panic("kern_time_init: no memory for the itimer thread");
	thread_deallocate(t);
}

/* The time left and interval of pid's ITIMER_REAL. Locks: itimers.lock. */
static struct itimerval
itimer_get_locked(pid_t pid)
{
	struct itimer_slot *slot = itimer_find_locked(pid, false);
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	uint64_t now = mach_absolute_time();

	if (slot == NULL || slot->its_deadline == 0)
		return it;
	it.it_value = ns_to_timeval_up(slot->its_deadline > now ? slot->its_deadline - now : 1);
	it.it_interval = ns_to_timeval_up(slot->its_interval);
	return it;
}

/* Set pid's ITIMER_REAL (old value into *old). EAGAIN if every slot is taken. */
static int
itimer_set(pid_t pid, const struct itimerval *it, struct itimerval *old)
{
	uint64_t value = timeval_to_ns(&it->it_value);
	struct itimer_slot *slot;

	lck_mtx_lock(&itimers.lock);
	*old = itimer_get_locked(pid);
	slot = itimer_find_locked(pid, value != 0);
	if (slot == NULL && value != 0) {
		lck_mtx_unlock(&itimers.lock);
		return EAGAIN;
	}
	if (slot != NULL)
		itimer_set_locked(slot, pid, value, timeval_to_ns(&it->it_interval));
	lck_mtx_unlock(&itimers.lock);
	return 0;
}

/* getitimer: ITIMER_REAL only (EINVAL for the others: not kept). */
int
getitimer(struct proc *p, struct getitimer_args *uap, int64_t *retval)
{
	struct itimerval it;

	*retval = 0;
	if ((int)uap->which != ITIMER_REAL)
		return EINVAL;
	lck_mtx_lock(&itimers.lock);
	it = itimer_get_locked(p->p_pid);
	lck_mtx_unlock(&itimers.lock);
	return copyout(&it, uap->value, sizeof(it));
}

/* setitimer: ITIMER_REAL only; a NULL new value disarms (as Linux takes it). */
int
setitimer(struct proc *p, struct setitimer_args *uap, int64_t *retval)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } }, old;
	int error;

	*retval = 0;
	if ((int)uap->which != ITIMER_REAL)
		return EINVAL;
	if (uap->value != USER_ADDR_NULL && copyin(uap->value, &it, sizeof(it)) != 0)
		return EFAULT;
	if (timeval_check(&it.it_value) != 0 || timeval_check(&it.it_interval) != 0)
		return EINVAL;
	error = itimer_set(p->p_pid, &it, &old);
	if (error == 0 && uap->ovalue != USER_ADDR_NULL &&
	    copyout(&old, uap->ovalue, sizeof(old)) != 0)
		return EFAULT;
	return error;
}

/* alarm: ITIMER_REAL in whole seconds; returns the seconds that were left (rounded). */
int
alarm(struct proc *p, struct alarm_args *uap, int64_t *retval)
{
	struct itimerval it = { { 0, 0 }, { (int64_t)(uint32_t)uap->seconds, 0 } }, old;
	int64_t left;

	if (itimer_set(p->p_pid, &it, &old) != 0)
		return EAGAIN;
	left = old.it_value.tv_sec;
	if (old.it_value.tv_usec >= 500000 || (left == 0 && old.it_value.tv_usec != 0))
		left++;
	*retval = left;
	return 0;
}
