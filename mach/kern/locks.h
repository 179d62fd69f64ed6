/*
 * locks.h - XNU's lock family: groups, attributes, spin locks, mutexes
 * and read-write locks, with the sleep forms of the Kernel Programming
 * Guide.
 *
 *	lck_grp_t *grp = lck_grp_alloc_init("mydriver", LCK_GRP_ATTR_NULL);
 *	lck_mtx_t *mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL);
 *	lck_mtx_lock(mtx);
 *	while (!ready)
 *		(void)lck_mtx_sleep(mtx, LCK_SLEEP_DEFAULT, &ready, THREAD_UNINT);
 *	lck_mtx_unlock(mtx);
 *	lck_mtx_free(mtx, grp);
 *	lck_grp_free(grp);
 *
 * lck_spin_t	spins; preemption is off while it is held (interrupts are
 *		not: a spin lock shared with an interrupt handler must be
 *		taken with interrupts disabled by the caller).
 * lck_mtx_t	spins briefly while its owner runs on another CPU, then
 *		sleeps. Not recursive (a recursive lock panics), only its
 *		owner may unlock it, and it may not be taken with preemption
 *		or interrupts off.
 * lck_rw_t	many readers or one writer. The guide's rules: a waiting
 *		writer stops new readers (writers are not starved); a reader
 *		upgrading to writer goes before waiting writers; if two
 *		readers try to upgrade at once, the second one fails, drops
 *		its read lock, and gets FALSE.
 *
 * Every lock belongs to a group, which counts acquisitions, contention
 * and, with LCK_GRP_ATTR_STAT, the time locks were held: the guide's lock
 * profiling (lck_grp_stats; readable from sysctl and gdb). All groups are
 * on one list (lck_grp_foreach).
 *
 * Lock order: object locks before the scheduler lock; a lck_rw's interlock
 * (a hw_lock inside it) before the scheduler lock. Debug builds booted with
 * lockorder=1 check the order between groups as locks are taken
 * (lock_order.h; the checker's own table lock is a leaf).
 */

#ifndef MACH_KERN_LOCKS_H
#define MACH_KERN_LOCKS_H

#include <stdint.h>

#include "libkern/queue.h"
#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/simple_lock.h"

#define LCK_GRP_MAX_NAME	64

typedef struct lck_grp_attr {
	uint32_t	grp_attr_val;
} lck_grp_attr_t;
#define LCK_GRP_ATTR_STAT	0x1	/* also time how long locks are held */
#define LCK_GRP_ATTR_NULL	((lck_grp_attr_t *)0)

typedef struct lck_attr {
	uint32_t	lck_attr_val;
} lck_attr_t;
#define LCK_ATTR_DEBUG		0x1	/* extra checks (owner tracking is always on) */
#define LCK_ATTR_NULL		((lck_attr_t *)0)

struct lck_grp_stats {
	uint64_t	spin_acquires;	/* lck_spin acquisitions */
	uint64_t	spin_contended;	/* ... that had to spin */
	uint64_t	mtx_acquires;
	uint64_t	mtx_contended;	/* found the mutex held */
	uint64_t	mtx_blocked;	/* ... and slept for it */
	uint64_t	rw_shared_acquires;
	uint64_t	rw_exclusive_acquires;
	uint64_t	rw_blocked;
	uint64_t	held_ns;	/* total time held (LCK_GRP_ATTR_STAT) */
	uint64_t	held_ns_max;
};

typedef struct lck_grp {
	TAILQ_ENTRY(lck_grp)	lck_grp_link;	/* the global list */
	char			lck_grp_name[LCK_GRP_MAX_NAME];
	uint32_t		lck_grp_refcnt;	/* [a] locks in it, plus one */
	uint32_t		lck_grp_attr;	/* LCK_GRP_ATTR_* */
	struct lck_grp_stats	lck_grp_stats;	/* [a] */
	uint16_t		lck_grp_order_slot; /* [I] its lock-order checker slot
						   (lock_order.h), 0 if none */
} lck_grp_t;

typedef struct {
	hw_lock_data_t	lck_spin_data;
	lck_grp_t	*lck_spin_grp;
} lck_spin_t;

typedef struct {
	volatile uintptr_t lck_mtx_owner;	/* thread_t | LCK_MTX_WAITERS, 0 if free */
	lck_grp_t	*lck_mtx_grp;
	uint64_t	lck_mtx_acquired;	/* when, for held-time statistics */
} lck_mtx_t;

typedef struct {
	hw_lock_data_t	lck_rw_interlock;
	uint32_t	lck_rw_readers;		/* [i] shared holders */
	thread_t	lck_rw_writer;		/* [i] exclusive holder */
	boolean_t	lck_rw_want_write;	/* [i] a writer claimed it; readers wait */
	boolean_t	lck_rw_want_upgrade;	/* [i] a reader is upgrading */
	uint32_t	lck_rw_waiters;		/* [i] threads asleep on it */
	lck_grp_t	*lck_rw_grp;
	uint64_t	lck_rw_acquired;
} lck_rw_t;

typedef unsigned int lck_sleep_action_t;
#define LCK_SLEEP_DEFAULT	0x00	/* release while asleep, retake the same way */
#define LCK_SLEEP_UNLOCK	0x01	/* return with it released */
#define LCK_SLEEP_SHARED	0x02	/* retake shared (rw only) */
#define LCK_SLEEP_EXCLUSIVE	0x04	/* retake exclusive (rw only) */

typedef unsigned int lck_rw_type_t;
#define LCK_RW_TYPE_SHARED	0x01
#define LCK_RW_TYPE_EXCLUSIVE	0x02

#define LCK_MTX_ASSERT_OWNED	0x01
#define LCK_MTX_ASSERT_NOTOWNED	0x02
#define LCK_RW_ASSERT_SHARED	0x01
#define LCK_RW_ASSERT_EXCLUSIVE	0x02
#define LCK_RW_ASSERT_HELD	0x03
#define LCK_RW_ASSERT_NOTHELD	0x04

/* Groups and attributes. */
lck_grp_attr_t	*lck_grp_attr_alloc_init(void);
void		lck_grp_attr_setstat(lck_grp_attr_t *attr);
void		lck_grp_attr_free(lck_grp_attr_t *attr);
lck_grp_t	*lck_grp_alloc_init(const char *name, lck_grp_attr_t *attr);
void		lck_grp_init(lck_grp_t *grp, const char *name, lck_grp_attr_t *attr);
void		lck_grp_free(lck_grp_t *grp);
lck_attr_t	*lck_attr_alloc_init(void);
void		lck_attr_setdebug(lck_attr_t *attr);
void		lck_attr_setdefault(lck_attr_t *attr);
void		lck_attr_free(lck_attr_t *attr);

/* lck_grp_foreach: call fn for every group, with a copy of its statistics. */
void		lck_grp_foreach(void (*fn)(const lck_grp_t *grp, void *ctx), void *ctx);

/* Spin locks. */
lck_spin_t	*lck_spin_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void		lck_spin_init(lck_spin_t *lck, lck_grp_t *grp, lck_attr_t *attr);
void		lck_spin_lock(lck_spin_t *lck);
boolean_t	lck_spin_try_lock(lck_spin_t *lck);
void		lck_spin_unlock(lck_spin_t *lck);
void		lck_spin_destroy(lck_spin_t *lck, lck_grp_t *grp);
void		lck_spin_free(lck_spin_t *lck, lck_grp_t *grp);
wait_result_t	lck_spin_sleep(lck_spin_t *lck, lck_sleep_action_t action, event_t event,
		    wait_interrupt_t interruptible);
wait_result_t	lck_spin_sleep_deadline(lck_spin_t *lck, lck_sleep_action_t action,
		    event_t event, wait_interrupt_t interruptible, uint64_t deadline);

/* Mutexes. */
lck_mtx_t	*lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void		lck_mtx_init(lck_mtx_t *lck, lck_grp_t *grp, lck_attr_t *attr);
void		lck_mtx_lock(lck_mtx_t *lck);
boolean_t	lck_mtx_try_lock(lck_mtx_t *lck);
void		lck_mtx_unlock(lck_mtx_t *lck);
void		lck_mtx_destroy(lck_mtx_t *lck, lck_grp_t *grp);
void		lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp);
void		lck_mtx_assert(lck_mtx_t *lck, unsigned int type);
wait_result_t	lck_mtx_sleep(lck_mtx_t *lck, lck_sleep_action_t action, event_t event,
		    wait_interrupt_t interruptible);
wait_result_t	lck_mtx_sleep_deadline(lck_mtx_t *lck, lck_sleep_action_t action,
		    event_t event, wait_interrupt_t interruptible, uint64_t deadline);

/* Read-write locks. */
lck_rw_t	*lck_rw_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void		lck_rw_init(lck_rw_t *lck, lck_grp_t *grp, lck_attr_t *attr);
void		lck_rw_lock(lck_rw_t *lck, lck_rw_type_t type);
void		lck_rw_unlock(lck_rw_t *lck, lck_rw_type_t type);
void		lck_rw_lock_shared(lck_rw_t *lck);
void		lck_rw_unlock_shared(lck_rw_t *lck);
void		lck_rw_lock_exclusive(lck_rw_t *lck);
void		lck_rw_unlock_exclusive(lck_rw_t *lck);
boolean_t	lck_rw_try_lock_shared(lck_rw_t *lck);
boolean_t	lck_rw_try_lock_exclusive(lck_rw_t *lck);
/* Upgrade: TRUE and held exclusive, or FALSE and not held at all. */
boolean_t	lck_rw_lock_shared_to_exclusive(lck_rw_t *lck);
void		lck_rw_lock_exclusive_to_shared(lck_rw_t *lck);
/* lck_rw_done: release however it is held; returns how it was. */
lck_rw_type_t	lck_rw_done(lck_rw_t *lck);
void		lck_rw_assert(lck_rw_t *lck, unsigned int type);
void		lck_rw_destroy(lck_rw_t *lck, lck_grp_t *grp);
void		lck_rw_free(lck_rw_t *lck, lck_grp_t *grp);
wait_result_t	lck_rw_sleep(lck_rw_t *lck, lck_sleep_action_t action, event_t event,
		    wait_interrupt_t interruptible);
wait_result_t	lck_rw_sleep_deadline(lck_rw_t *lck, lck_sleep_action_t action,
		    event_t event, wait_interrupt_t interruptible, uint64_t deadline);

/* locks_init: the global group list; before any group is made. */
void		locks_init(void);

#endif /* MACH_KERN_LOCKS_H */
