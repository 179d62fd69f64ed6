/*
 * lock_order.h - the lock-order checker: learns, per lock group, which
 * group's locks are taken while another's are held, and reports the first
 * time two groups are taken in both orders (docs/locking.md, "The
 * lock-order checker").
 *
 * It is compiled into debug builds (MACHINA_DEBUG) and runs when the
 * lockorder=1 boot-arg is given (lockorder_hold_ms=N sets the long-hold
 * threshold, lockorder_panic=1 panics on an inversion instead of logging).
 * lck_spin_t, lck_mtx_t and lck_rw_t call it; hw_locks have no group and
 * are not seen.
 *
 *	lck_mtx_lock(b)   with a of group A held:
 *	    lockorder_will_lock(grp B)	records A-before-B the first time
 *					(with this backtrace); if B-before-A
 *					was recorded, reports the inversion once
 *	    ... takes b ...
 *	    lockorder_locked(b, grp B)	pushes b on the thread's held stack
 *	lck_mtx_unlock(b)
 *	    lockorder_unlocked(b)	pops it, and records how long it was
 *					held (the group's longest hold)
 *
 * Invariants: nothing here allocates or blocks (fixed tables; a full table
 * is counted, not fatal); a group keeps one slot for its name for the life
 * of the system, so a kext's group unloaded and loaded again keeps what it
 * learned; two locks of one group nested are not an order; a try-lock
 * records no order (it cannot wait) but is pushed, so locks taken under it
 * do; locks taken in an interrupt handler are not tracked (they are not
 * nested in the interrupted thread's).
 *
 * Lock order: the checker's own table lock is a leaf hw_lock, taken with
 * interrupts off only to add a group or a pair; lookups take no lock.
 */

#ifndef MACH_KERN_LOCK_ORDER_H
#define MACH_KERN_LOCK_ORDER_H

#include <stdint.h>

#include "mach/boolean.h"

#ifndef MACHINA_DEBUG
#define MACHINA_DEBUG 0
#endif

#define LOCKORDER_HELD_MAX	16	/* a thread's held-lock stack */
#define LOCKORDER_GROUPS	512	/* distinct group names */
#define LOCKORDER_PAIRS		4096	/* distinct A-before-B pairs */
#define LOCKORDER_FRAMES	10	/* backtrace frames kept per pair */

/* A lock's kind, for the long-hold counts: a spin lock may not sleep. */
#define LOCKORDER_SPIN		0
#define LOCKORDER_SLEEP		1

struct lck_grp;

struct lockorder_held_lock {
	const void	*lh_lock;
	uint64_t	lh_since;	/* mach_absolute_time when taken */
	uint64_t	lh_runq;	/* the thread's runq_time then */
	uint16_t	lh_slot;	/* its group's slot + 1 */
	uint8_t		lh_kind;	/* LOCKORDER_SPIN, LOCKORDER_SLEEP */
};

/* A thread's held locks (struct thread's th_lockorder). [o] owner only. */
struct lockorder_thread {
	uint32_t			lt_depth;
	uint32_t			lt_busy;	/* inside the checker */
	struct lockorder_held_lock	lt_held[LOCKORDER_HELD_MAX];
};

struct lockorder_stats {
	uint64_t	ls_inversions;		/* pairs taken in both orders */
	uint64_t	ls_pairs;		/* A-before-B pairs learnt */
	uint64_t	ls_groups;		/* group slots in use */
	uint64_t	ls_pairs_full;		/* pairs not learnt: table full */
	uint64_t	ls_groups_full;		/* groups not tracked: table full */
	uint64_t	ls_stack_overflow;	/* locks not pushed: stack full */
	uint64_t	ls_long_spin;		/* spin-lock holds over the threshold */
	uint64_t	ls_long_sleep;		/* mutex and rw holds over it */
	uint64_t	ls_hold_threshold_ns;
	uint64_t	ls_max_queued_ns;	/* longest a holder waited for a CPU */
	uint32_t	ls_enabled;
};

/* One group's longest hold (lockorder_foreach_group). */
struct lockorder_group_info {
	const char	*lg_name;
	uint64_t	lg_max_hold_ns;
	uint64_t	lg_long_holds;
	uint32_t	lg_kind_seen;		/* bit LOCKORDER_SPIN, LOCKORDER_SLEEP */
};

extern volatile int lockorder_enabled;

/* lockorder_init: read the boot-args (from locks_init). */
void	lockorder_init(void);

/* lockorder_grp_slot: the slot for a group's name (lck_grp_init); 0 if full. */
uint16_t lockorder_grp_slot(const char *name);

void	lockorder_will_lock_slow(uint16_t slot);
void	lockorder_locked_slow(const void *lock, uint16_t slot, int kind);
void	lockorder_unlocked_slow(const void *lock);

extern volatile int lockorder_ever_enabled;	/* some thread may have a stack */

#if MACHINA_DEBUG
static inline void
lockorder_will_lock(uint16_t slot)
{
	if (lockorder_enabled)
		lockorder_will_lock_slow(slot);
}

static inline void
lockorder_locked(const void *lock, uint16_t slot, int kind)
{
	if (lockorder_enabled)
		lockorder_locked_slow(lock, slot, kind);
}

/* Once it ever ran: a lock pushed before it was turned off is still popped. */
static inline void
lockorder_unlocked(const void *lock)
{
	if (lockorder_ever_enabled)
		lockorder_unlocked_slow(lock);
}
#else
static inline void	lockorder_will_lock(uint16_t slot) { (void)slot; }
static inline void	lockorder_locked(const void *lock, uint16_t slot, int kind)
			{ (void)lock; (void)slot; (void)kind; }
static inline void	lockorder_unlocked(const void *lock) { (void)lock; }
#endif

/*
 * lockorder_hold_ns: how long a lock taken at since and released at now
 * was held by its holder, when the holder spent runq ns of that queued
 * for a CPU (preempted, or woken and not yet running): that time is the
 * run queue's, not the holder's, and is not counted. Clamped at 0.
 */
static inline uint64_t
lockorder_hold_ns(uint64_t since, uint64_t now, uint64_t runq)
{
	uint64_t wall = now > since ? now - since : 0;

	return wall > runq ? wall - runq : 0;
}

/* lockorder_set_enabled: turn it on or off (ktests); returns the old state. */
boolean_t lockorder_set_enabled(boolean_t on);

/* lockorder_get_stats: a copy of the counters. */
void	lockorder_get_stats(struct lockorder_stats *st);

/* lockorder_foreach_group: every group seen taken, with its longest hold. */
void	lockorder_foreach_group(void (*fn)(const struct lockorder_group_info *gi, void *ctx),
	    void *ctx);

/*
 * For ktests. lockorder_pair_frames: how many backtrace frames were kept
 * for a-before-b (by group name), 0 if it was not learnt;
 * lockorder_pair_reported: whether the two were reported as an inversion;
 * lockorder_set_limits: use only this many group slots and pairs (0: all).
 */
unsigned lockorder_pair_frames(const char *a, const char *b);
void	lockorder_set_limits(uint32_t groups, uint32_t pairs);
uint64_t lockorder_set_hold_threshold(uint64_t ns);	/* returns the old one */
boolean_t lockorder_pair_reported(const char *a, const char *b);

#endif /* MACH_KERN_LOCK_ORDER_H */
