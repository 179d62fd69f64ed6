/*
 * locks.c - lck_spin, lck_mtx and lck_rw, and their groups.
 *
 * A mutex is one word: the owning thread's address, with its low bit
 * (LCK_MTX_WAITERS) set while threads may be asleep on it. Taking a free
 * mutex is one compare-and-swap; releasing one with no waiters is one
 * exchange. A contended taker spins while the owner is running on another
 * CPU (it will let go soon), then, under the scheduler lock, sets the
 * waiters bit and sleeps on the mutex's address. The releaser that sees
 * the bit wakes one sleeper, which competes again (Mesa semantics). No
 * wakeup is lost: the bit and the wait are set in one scheduler-lock
 * critical section, and the releaser's exchange either happens before it
 * (the taker's compare-and-swap then fails and it retries) or after it
 * (and it sees the bit).
 *
 * A read-write lock keeps its state under a small interlock and sleeps on
 * its address; every release that may let someone in wakes all sleepers,
 * which re-check.
 */

#include "mach/kern/locks.h"

#include "kernel/kheap.h"
#include "kernel/machine_routines.h"
#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/lock_order.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/kern/wait_queue.h"

#define LCK_MTX_WAITERS		((uintptr_t)1)
#define LCK_MTX_SPIN_NS		(20ULL * 1000)	/* spin this long before sleeping */

/* The global list of groups: [G] its hw_lock. */
static struct {
	hw_lock_data_t		lock;
	TAILQ_HEAD(, lck_grp)	groups;		/* [G] */
	boolean_t		ready;
} lckgrps = { .lock = HW_LOCK_INITIALIZER };

void
locks_init(void)
{
	TAILQ_INIT(&lckgrps.groups);
	lckgrps.ready = TRUE;
	lockorder_init();
}

#define STAT_INC(grp, field)						\
	__atomic_add_fetch(&(grp)->lck_grp_stats.field, 1, __ATOMIC_RELAXED)

static void
stat_held(lck_grp_t *grp, uint64_t since)
{
	uint64_t held, max;

	if (!(grp->lck_grp_attr & LCK_GRP_ATTR_STAT) || since == 0)
		return;
	held = mach_absolute_time() - since;
	__atomic_add_fetch(&grp->lck_grp_stats.held_ns, held, __ATOMIC_RELAXED);
	max = __atomic_load_n(&grp->lck_grp_stats.held_ns_max, __ATOMIC_RELAXED);
	while (held > max && !__atomic_compare_exchange_n(&grp->lck_grp_stats.held_ns_max,
	    &max, held, TRUE, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
}

static uint64_t
stat_stamp(lck_grp_t *grp)
{
	return (grp->lck_grp_attr & LCK_GRP_ATTR_STAT) ? mach_absolute_time() : 0;
}

/* --- groups and attributes ------------------------------------------------- */

lck_grp_attr_t *
lck_grp_attr_alloc_init(void)
{
	lck_grp_attr_t *attr = kheap_alloc(&kernel_heap, sizeof(*attr));

	if (attr != NULL)
		attr->grp_attr_val = 0;
	return attr;
}

void
lck_grp_attr_setstat(lck_grp_attr_t *attr)
{
	attr->grp_attr_val |= LCK_GRP_ATTR_STAT;
}

void
lck_grp_attr_free(lck_grp_attr_t *attr)
{
	kheap_free(&kernel_heap, attr);
}

void
lck_grp_init(lck_grp_t *grp, const char *name, lck_grp_attr_t *attr)
{
	boolean_t s;

	memset(grp, 0, sizeof(*grp));
	strlcpy(grp->lck_grp_name, name, sizeof(grp->lck_grp_name));
	grp->lck_grp_attr = attr != LCK_GRP_ATTR_NULL ? attr->grp_attr_val : 0;
	grp->lck_grp_refcnt = 1;
	grp->lck_grp_order_slot = lockorder_grp_slot(grp->lck_grp_name);
	if (!lckgrps.ready)
		locks_init();
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&lckgrps.lock);
	TAILQ_INSERT_TAIL(&lckgrps.groups, grp, lck_grp_link);
	hw_lock_unlock(&lckgrps.lock);
	ml_set_interrupts_enabled(s);
}

lck_grp_t *
lck_grp_alloc_init(const char *name, lck_grp_attr_t *attr)
{
	lck_grp_t *grp = kheap_alloc(&kernel_heap, sizeof(*grp));

	if (grp != NULL)
		lck_grp_init(grp, name, attr);
	return grp;
}

static void
lck_grp_reference(lck_grp_t *grp)
{
	__atomic_add_fetch(&grp->lck_grp_refcnt, 1, __ATOMIC_RELAXED);
}

static void
lck_grp_deallocate(lck_grp_t *grp)
{
	boolean_t s;

	if (__atomic_sub_fetch(&grp->lck_grp_refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&lckgrps.lock);
	TAILQ_REMOVE(&lckgrps.groups, grp, lck_grp_link);
	hw_lock_unlock(&lckgrps.lock);
	ml_set_interrupts_enabled(s);
	kheap_free(&kernel_heap, grp);
}

/* lck_grp_free: the group goes once its last lock is destroyed (XNU's rule). */
void
lck_grp_free(lck_grp_t *grp)
{
	lck_grp_deallocate(grp);
}

void
lck_grp_foreach(void (*fn)(const lck_grp_t *grp, void *ctx), void *ctx)
{
	lck_grp_t *grp, copy;
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&lckgrps.lock);
	TAILQ_FOREACH(grp, &lckgrps.groups, lck_grp_link) {
		copy = *grp;
		fn(&copy, ctx);
	}
	hw_lock_unlock(&lckgrps.lock);
	ml_set_interrupts_enabled(s);
}

lck_attr_t *
lck_attr_alloc_init(void)
{
	lck_attr_t *attr = kheap_alloc(&kernel_heap, sizeof(*attr));

	if (attr != NULL)
		attr->lck_attr_val = 0;
	return attr;
}

void
lck_attr_setdebug(lck_attr_t *attr)
{
	attr->lck_attr_val |= LCK_ATTR_DEBUG;
}

void
lck_attr_setdefault(lck_attr_t *attr)
{
	attr->lck_attr_val = 0;
}

void
lck_attr_free(lck_attr_t *attr)
{
	kheap_free(&kernel_heap, attr);
}

/* --- spin locks ------------------------------------------------------------ */

void
lck_spin_init(lck_spin_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	(void)attr;
	hw_lock_init(&lck->lck_spin_data);
	lck->lck_spin_grp = grp;
	lck_grp_reference(grp);
}

lck_spin_t *
lck_spin_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	lck_spin_t *lck = kheap_alloc(&kernel_heap, sizeof(*lck));

	if (lck != NULL)
		lck_spin_init(lck, grp, attr);
	return lck;
}

void
lck_spin_lock(lck_spin_t *lck)
{
	disable_preemption();
	lockorder_will_lock(lck->lck_spin_grp->lck_grp_order_slot);
	if (!hw_lock_try(&lck->lck_spin_data)) {
		STAT_INC(lck->lck_spin_grp, spin_contended);
		hw_lock_lock(&lck->lck_spin_data);
	}
	STAT_INC(lck->lck_spin_grp, spin_acquires);
	lockorder_locked(lck, lck->lck_spin_grp->lck_grp_order_slot, LOCKORDER_SPIN);
}

boolean_t
lck_spin_try_lock(lck_spin_t *lck)
{
	disable_preemption();
	if (hw_lock_try(&lck->lck_spin_data)) {
		STAT_INC(lck->lck_spin_grp, spin_acquires);
		lockorder_locked(lck, lck->lck_spin_grp->lck_grp_order_slot, LOCKORDER_SPIN);
		return TRUE;
	}
	enable_preemption();
	return FALSE;
}

void
lck_spin_unlock(lck_spin_t *lck)
{
	lockorder_unlocked(lck);
	hw_lock_unlock(&lck->lck_spin_data);
	enable_preemption();
}

void
lck_spin_destroy(lck_spin_t *lck, lck_grp_t *grp)
{
	if (hw_lock_held(&lck->lck_spin_data))
		panic("lck_spin_destroy: %p is held", lck);
	lck->lck_spin_grp = NULL;
	lck_grp_deallocate(grp);
}

void
lck_spin_free(lck_spin_t *lck, lck_grp_t *grp)
{
	lck_spin_destroy(lck, grp);
	kheap_free(&kernel_heap, lck);
}

wait_result_t
lck_spin_sleep_deadline(lck_spin_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible, uint64_t deadline)
{
	wait_result_t r;

	if (action & ~LCK_SLEEP_UNLOCK)
		panic("lck_spin_sleep: action 0x%x is not for spin locks", action);
	(void)assert_wait_deadline(event, interruptible, deadline);
	lck_spin_unlock(lck);
	r = thread_block(THREAD_CONTINUE_NULL);
	if (!(action & LCK_SLEEP_UNLOCK))
		lck_spin_lock(lck);
	return r;
}

wait_result_t
lck_spin_sleep(lck_spin_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible)
{
	return lck_spin_sleep_deadline(lck, action, event, interruptible, TIMEOUT_WAIT_FOREVER);
}

/* --- mutexes --------------------------------------------------------------- */

void
lck_mtx_init(lck_mtx_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	(void)attr;
	lck->lck_mtx_owner = 0;
	lck->lck_mtx_grp = grp;
	lck->lck_mtx_acquired = 0;
	lck_grp_reference(grp);
}

lck_mtx_t *
lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	lck_mtx_t *lck = kheap_alloc(&kernel_heap, sizeof(*lck));

	if (lck != NULL)
		lck_mtx_init(lck, grp, attr);
	return lck;
}

static thread_t
mtx_owner(uintptr_t word)
{
	return (thread_t)(word & ~LCK_MTX_WAITERS);
}

static boolean_t
mtx_try(lck_mtx_t *lck, uintptr_t want)
{
	uintptr_t free = 0;

	return __atomic_compare_exchange_n(&lck->lck_mtx_owner, &free, want, FALSE,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Spin while the owner runs elsewhere; TRUE if the mutex was taken. */
static boolean_t
mtx_spin(lck_mtx_t *lck, thread_t self)
{
	uint64_t deadline = mach_absolute_time() + LCK_MTX_SPIN_NS;

	for (;;) {
		uintptr_t word = __atomic_load_n(&lck->lck_mtx_owner, __ATOMIC_RELAXED);
		thread_t owner = mtx_owner(word);

		if (word == 0 && mtx_try(lck, (uintptr_t)self))
			return TRUE;
		if (owner != THREAD_NULL && !owner->th_running)
			return FALSE;		/* asleep: spinning will not help */
		if (mach_absolute_time() > deadline)
			return FALSE;
		ml_cpu_pause();
	}
}

/*
 * The event a contended mutex's waiters sleep on. Not the mutex's own
 * address: a mutex is often the first member of what it protects, and
 * that object's address is a natural channel for msleep (a pipe sleeps
 * on its pipe, under the pipe's lock). Sharing the event, the one wakeup
 * an unlock sends could go to such a sleeper instead of to a thread
 * waiting for the mutex, which would then wait for ever. Nothing sleeps
 * on the inside of a lock but the lock's own waiters.
 */
static event_t
mtx_event(lck_mtx_t *lck)
{
	return (event_t)&lck->lck_mtx_grp;
}

/* Sleep until the mutex can be taken, and take it. */
static void
mtx_block(lck_mtx_t *lck, thread_t self)
{
	STAT_INC(lck->lck_mtx_grp, mtx_blocked);
	for (;;) {
		boolean_t s = sched_lock();
		uintptr_t word = __atomic_load_n(&lck->lck_mtx_owner, __ATOMIC_RELAXED);

		if (word == 0) {
			/* Others may still sleep on it: keep the bit, to be safe. */
			if (mtx_try(lck, (uintptr_t)self | LCK_MTX_WAITERS)) {
				sched_unlock(s);
				return;
			}
		} else if ((word & LCK_MTX_WAITERS) ||
		    __atomic_compare_exchange_n(&lck->lck_mtx_owner, &word,
		    word | LCK_MTX_WAITERS, FALSE, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			(void)wait_queue_assert_wait_locked(wait_queue_for_event(mtx_event(lck)),
			    mtx_event(lck), THREAD_UNINT, TIMEOUT_WAIT_FOREVER);
			self->wait_message = "lck_mtx";
			sched_unlock(s);
			(void)thread_block(THREAD_CONTINUE_NULL);
			continue;
		}
		sched_unlock(s);
	}
}

void
lck_mtx_lock(lck_mtx_t *lck)
{
	thread_t self = current_thread();

	if (self == THREAD_NULL)
		panic("lck_mtx_lock: %p taken before the scheduler runs", lck);
	if (mtx_owner(lck->lck_mtx_owner) == self)
		panic("lck_mtx_lock: %p is already held by this thread (%s)", lck,
		    self->th_name);
	if (!ml_get_interrupts_enabled() || get_preemption_level() != 0)
		panic("lck_mtx_lock: %p taken with interrupts or preemption off", lck);
	lockorder_will_lock(lck->lck_mtx_grp->lck_grp_order_slot);
	if (!mtx_try(lck, (uintptr_t)self)) {
		STAT_INC(lck->lck_mtx_grp, mtx_contended);
		if (!mtx_spin(lck, self))
			mtx_block(lck, self);
	}
	STAT_INC(lck->lck_mtx_grp, mtx_acquires);
	lck->lck_mtx_acquired = stat_stamp(lck->lck_mtx_grp);
	lockorder_locked(lck, lck->lck_mtx_grp->lck_grp_order_slot, LOCKORDER_SLEEP);
}

boolean_t
lck_mtx_try_lock(lck_mtx_t *lck)
{
	if (!mtx_try(lck, (uintptr_t)current_thread()))
		return FALSE;
	STAT_INC(lck->lck_mtx_grp, mtx_acquires);
	lck->lck_mtx_acquired = stat_stamp(lck->lck_mtx_grp);
	lockorder_locked(lck, lck->lck_mtx_grp->lck_grp_order_slot, LOCKORDER_SLEEP);
	return TRUE;
}

void
lck_mtx_unlock(lck_mtx_t *lck)
{
	thread_t self = current_thread();
	uintptr_t word;

	if (mtx_owner(lck->lck_mtx_owner) != self)
		panic("lck_mtx_unlock: %p is not held by this thread (owner %p)", lck,
		    mtx_owner(lck->lck_mtx_owner));
	stat_held(lck->lck_mtx_grp, lck->lck_mtx_acquired);
	lockorder_unlocked(lck);
	word = __atomic_exchange_n(&lck->lck_mtx_owner, 0, __ATOMIC_RELEASE);
	if (word & LCK_MTX_WAITERS)
		(void)thread_wakeup_one(mtx_event(lck));
}

void
lck_mtx_assert(lck_mtx_t *lck, unsigned int type)
{
	thread_t owner = mtx_owner(lck->lck_mtx_owner);

	if (type == LCK_MTX_ASSERT_OWNED && owner != current_thread())
		panic("lck_mtx_assert: %p is not owned by this thread", lck);
	if (type == LCK_MTX_ASSERT_NOTOWNED && owner == current_thread())
		panic("lck_mtx_assert: %p is owned by this thread", lck);
}

void
lck_mtx_destroy(lck_mtx_t *lck, lck_grp_t *grp)
{
	if (lck->lck_mtx_owner != 0)
		panic("lck_mtx_destroy: %p is held", lck);
	lck->lck_mtx_grp = NULL;
	lck_grp_deallocate(grp);
}

void
lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp)
{
	lck_mtx_destroy(lck, grp);
	kheap_free(&kernel_heap, lck);
}

wait_result_t
lck_mtx_sleep_deadline(lck_mtx_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible, uint64_t deadline)
{
	wait_result_t r;

	if (action & ~LCK_SLEEP_UNLOCK)
		panic("lck_mtx_sleep: action 0x%x is not for mutexes", action);
	(void)assert_wait_deadline(event, interruptible, deadline);
	lck_mtx_unlock(lck);
	r = thread_block(THREAD_CONTINUE_NULL);
	if (!(action & LCK_SLEEP_UNLOCK))
		lck_mtx_lock(lck);
	return r;
}

wait_result_t
lck_mtx_sleep(lck_mtx_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible)
{
	return lck_mtx_sleep_deadline(lck, action, event, interruptible, TIMEOUT_WAIT_FOREVER);
}

/* --- read-write locks ------------------------------------------------------ */

void
lck_rw_init(lck_rw_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	(void)attr;
	memset(lck, 0, sizeof(*lck));
	hw_lock_init(&lck->lck_rw_interlock);
	lck->lck_rw_grp = grp;
	lck_grp_reference(grp);
}

lck_rw_t *
lck_rw_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	lck_rw_t *lck = kheap_alloc(&kernel_heap, sizeof(*lck));

	if (lck != NULL)
		lck_rw_init(lck, grp, attr);
	return lck;
}

static boolean_t
rw_ilock(lck_rw_t *lck)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&lck->lck_rw_interlock);
	return s;
}

static void
rw_iunlock(lck_rw_t *lck, boolean_t s)
{
	hw_lock_unlock(&lck->lck_rw_interlock);
	ml_set_interrupts_enabled(s);
}

/*
 * Sleep until woken, with the interlock held on entry and on return (the
 * caller re-checks). Locks: interlock held; taken again before returning.
 */
static boolean_t
rw_wait(lck_rw_t *lck, boolean_t s)
{
	boolean_t ss;

	lck->lck_rw_waiters++;
	STAT_INC(lck->lck_rw_grp, rw_blocked);
	ss = sched_lock();
	(void)wait_queue_assert_wait_locked(wait_queue_for_event(lck), lck, THREAD_UNINT,
	    TIMEOUT_WAIT_FOREVER);
	current_thread()->wait_message = "lck_rw";
	hw_lock_unlock(&lck->lck_rw_interlock);
	sched_unlock(ss);
	ml_set_interrupts_enabled(s);
	(void)thread_block(THREAD_CONTINUE_NULL);
	s = rw_ilock(lck);
	lck->lck_rw_waiters--;
	return s;
}

/* Wake every sleeper to re-check. Locks: interlock held. */
static void
rw_wakeup(lck_rw_t *lck)
{
	if (lck->lck_rw_waiters != 0)
		(void)thread_wakeup(lck);
}

void
lck_rw_lock_shared(lck_rw_t *lck)
{
	boolean_t s;

	lockorder_will_lock(lck->lck_rw_grp->lck_grp_order_slot);
	s = rw_ilock(lck);

	while (lck->lck_rw_writer != THREAD_NULL || lck->lck_rw_want_write ||
	    lck->lck_rw_want_upgrade)
		s = rw_wait(lck, s);
	lck->lck_rw_readers++;
	rw_iunlock(lck, s);
	STAT_INC(lck->lck_rw_grp, rw_shared_acquires);
	lockorder_locked(lck, lck->lck_rw_grp->lck_grp_order_slot, LOCKORDER_SLEEP);
}

boolean_t
lck_rw_try_lock_shared(lck_rw_t *lck)
{
	boolean_t s = rw_ilock(lck), ok;

	ok = lck->lck_rw_writer == THREAD_NULL && !lck->lck_rw_want_write &&
	    !lck->lck_rw_want_upgrade;
	if (ok)
		lck->lck_rw_readers++;
	rw_iunlock(lck, s);
	if (ok) {
		STAT_INC(lck->lck_rw_grp, rw_shared_acquires);
		lockorder_locked(lck, lck->lck_rw_grp->lck_grp_order_slot, LOCKORDER_SLEEP);
	}
	return ok;
}

void
lck_rw_lock_exclusive(lck_rw_t *lck)
{
	boolean_t s;

	lockorder_will_lock(lck->lck_rw_grp->lck_grp_order_slot);
	s = rw_ilock(lck);

	if (lck->lck_rw_writer == current_thread())
		panic("lck_rw_lock_exclusive: %p is already held exclusive by this thread", lck);
	/* First claim it (new readers then wait), then let the readers drain. */
	while (lck->lck_rw_writer != THREAD_NULL || lck->lck_rw_want_write)
		s = rw_wait(lck, s);
	lck->lck_rw_want_write = TRUE;
	/* An upgrading reader goes first, and then holds it: wait for that too. */
	while (lck->lck_rw_readers != 0 || lck->lck_rw_want_upgrade ||
	    lck->lck_rw_writer != THREAD_NULL)
		s = rw_wait(lck, s);
	lck->lck_rw_want_write = FALSE;
	lck->lck_rw_writer = current_thread();
	lck->lck_rw_acquired = stat_stamp(lck->lck_rw_grp);
	rw_iunlock(lck, s);
	STAT_INC(lck->lck_rw_grp, rw_exclusive_acquires);
	lockorder_locked(lck, lck->lck_rw_grp->lck_grp_order_slot, LOCKORDER_SLEEP);
}

boolean_t
lck_rw_try_lock_exclusive(lck_rw_t *lck)
{
	boolean_t s = rw_ilock(lck), ok;

	ok = lck->lck_rw_writer == THREAD_NULL && !lck->lck_rw_want_write &&
	    !lck->lck_rw_want_upgrade && lck->lck_rw_readers == 0;
	if (ok) {
		lck->lck_rw_writer = current_thread();
		lck->lck_rw_acquired = stat_stamp(lck->lck_rw_grp);
	}
	rw_iunlock(lck, s);
	if (ok) {
		STAT_INC(lck->lck_rw_grp, rw_exclusive_acquires);
		lockorder_locked(lck, lck->lck_rw_grp->lck_grp_order_slot, LOCKORDER_SLEEP);
	}
	return ok;
}

void
lck_rw_unlock_shared(lck_rw_t *lck)
{
	boolean_t s;

	lockorder_unlocked(lck);
	s = rw_ilock(lck);

	if (lck->lck_rw_readers == 0)
		panic("lck_rw_unlock_shared: %p is not held shared", lck);
	if (--lck->lck_rw_readers == 0)
		rw_wakeup(lck);
	rw_iunlock(lck, s);
}

void
lck_rw_unlock_exclusive(lck_rw_t *lck)
{
	boolean_t s;

	lockorder_unlocked(lck);
	s = rw_ilock(lck);

	if (lck->lck_rw_writer != current_thread())
		panic("lck_rw_unlock_exclusive: %p is not held exclusive by this thread", lck);
	stat_held(lck->lck_rw_grp, lck->lck_rw_acquired);
	lck->lck_rw_writer = THREAD_NULL;
	rw_wakeup(lck);
	rw_iunlock(lck, s);
}

boolean_t
lck_rw_lock_shared_to_exclusive(lck_rw_t *lck)
{
	boolean_t s = rw_ilock(lck);

	if (lck->lck_rw_readers == 0)
		panic("lck_rw_lock_shared_to_exclusive: %p is not held shared", lck);
	if (lck->lck_rw_want_upgrade) {
		/* Someone else is upgrading: we lose, and let go of our read hold. */
		if (--lck->lck_rw_readers == 0)
			rw_wakeup(lck);
		rw_iunlock(lck, s);
		lockorder_unlocked(lck);
		return FALSE;
	}
	lck->lck_rw_want_upgrade = TRUE;
	lck->lck_rw_readers--;
	/* Ahead of any waiting writer: they wait for want_upgrade to clear. */
	while (lck->lck_rw_readers != 0)
		s = rw_wait(lck, s);
	lck->lck_rw_want_upgrade = FALSE;
	lck->lck_rw_writer = current_thread();
	lck->lck_rw_acquired = stat_stamp(lck->lck_rw_grp);
	rw_iunlock(lck, s);
	STAT_INC(lck->lck_rw_grp, rw_exclusive_acquires);
	return TRUE;
}

void
lck_rw_lock_exclusive_to_shared(lck_rw_t *lck)
{
	boolean_t s = rw_ilock(lck);

	if (lck->lck_rw_writer != current_thread())
		panic("lck_rw_lock_exclusive_to_shared: %p is not held exclusive", lck);
	lck->lck_rw_writer = THREAD_NULL;
	lck->lck_rw_readers = 1;
	rw_wakeup(lck);		/* other readers may come in now */
	rw_iunlock(lck, s);
}

void
lck_rw_lock(lck_rw_t *lck, lck_rw_type_t type)
{
	if (type == LCK_RW_TYPE_SHARED)
		lck_rw_lock_shared(lck);
	else if (type == LCK_RW_TYPE_EXCLUSIVE)
		lck_rw_lock_exclusive(lck);
	else
		panic("lck_rw_lock: type 0x%x is neither shared nor exclusive", type);
}

void
lck_rw_unlock(lck_rw_t *lck, lck_rw_type_t type)
{
	if (type == LCK_RW_TYPE_SHARED)
		lck_rw_unlock_shared(lck);
	else if (type == LCK_RW_TYPE_EXCLUSIVE)
		lck_rw_unlock_exclusive(lck);
	else
		panic("lck_rw_unlock: type 0x%x is neither shared nor exclusive", type);
}

lck_rw_type_t
lck_rw_done(lck_rw_t *lck)
{
	if (lck->lck_rw_writer == current_thread()) {
		lck_rw_unlock_exclusive(lck);
		return LCK_RW_TYPE_EXCLUSIVE;
	}
	lck_rw_unlock_shared(lck);
	return LCK_RW_TYPE_SHARED;
}

void
lck_rw_assert(lck_rw_t *lck, unsigned int type)
{
	boolean_t excl = lck->lck_rw_writer == current_thread();
	boolean_t shared = lck->lck_rw_readers != 0;

	switch (type) {
	case LCK_RW_ASSERT_SHARED:
		if (!shared)
			panic("lck_rw_assert: %p is not held shared", lck);
		break;
	case LCK_RW_ASSERT_EXCLUSIVE:
		if (!excl)
			panic("lck_rw_assert: %p is not held exclusive by this thread", lck);
		break;
	case LCK_RW_ASSERT_HELD:
		if (!excl && !shared)
			panic("lck_rw_assert: %p is not held", lck);
		break;
	case LCK_RW_ASSERT_NOTHELD:
		if (excl)
			panic("lck_rw_assert: %p is held exclusive by this thread", lck);
		break;
	default:
		panic("lck_rw_assert: unknown assertion 0x%x", type);
	}
}

void
lck_rw_destroy(lck_rw_t *lck, lck_grp_t *grp)
{
	if (lck->lck_rw_writer != THREAD_NULL || lck->lck_rw_readers != 0)
		panic("lck_rw_destroy: %p is held", lck);
	lck->lck_rw_grp = NULL;
	lck_grp_deallocate(grp);
}

void
lck_rw_free(lck_rw_t *lck, lck_grp_t *grp)
{
	lck_rw_destroy(lck, grp);
	kheap_free(&kernel_heap, lck);
}

wait_result_t
lck_rw_sleep_deadline(lck_rw_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible, uint64_t deadline)
{
	lck_rw_type_t held;
	wait_result_t r;

	(void)assert_wait_deadline(event, interruptible, deadline);
	held = lck_rw_done(lck);
	r = thread_block(THREAD_CONTINUE_NULL);
	if (action & LCK_SLEEP_UNLOCK)
		return r;
	if (action & LCK_SLEEP_SHARED)
		held = LCK_RW_TYPE_SHARED;
	else if (action & LCK_SLEEP_EXCLUSIVE)
		held = LCK_RW_TYPE_EXCLUSIVE;
	lck_rw_lock(lck, held);
	return r;
}

wait_result_t
lck_rw_sleep(lck_rw_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible)
{
	return lck_rw_sleep_deadline(lck, action, event, interruptible, TIMEOUT_WAIT_FOREVER);
}
