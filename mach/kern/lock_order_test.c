/*
 * lock_order_test.c - the lock-order checker: two groups taken in both
 * orders make exactly one report, with both backtraces kept; the same
 * order twice, and two locks of one group nested, make none; a try-lock
 * teaches no order; its fixed tables overflow into counters, not panics.
 *
 * Each test turns the checker on for its own duration (it is off unless
 * the lockorder=1 boot-arg asks for it) and uses groups of its own.
 */

#include "mach/kern/lock_order.h"

#include "libkern/string.h"
#include "kernel/machine_routines.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/kern/timer_call.h"
#include "tests/ktest.h"

#if MACHINA_DEBUG

static uint64_t
inversions(void)
{
	struct lockorder_stats st;

	lockorder_get_stats(&st);
	return st.ls_inversions;
}

KTEST(lock_order, both_orders_report_one_inversion_with_both_stacks)
{
	boolean_t was = lockorder_set_enabled(TRUE);
	lck_grp_t *ga = lck_grp_alloc_init("ktest.lo.inv_a", LCK_GRP_ATTR_NULL);
	lck_grp_t *gb = lck_grp_alloc_init("ktest.lo.inv_b", LCK_GRP_ATTR_NULL);
	lck_mtx_t *a = lck_mtx_alloc_init(ga, LCK_ATTR_NULL);
	lck_rw_t *b = lck_rw_alloc_init(gb, LCK_ATTR_NULL);
	uint64_t before = inversions();

	lck_mtx_lock(a);
	lck_rw_lock_exclusive(b);
	lck_rw_unlock_exclusive(b);
	lck_mtx_unlock(a);
	KT_EXPECT_EQ(inversions(), before);
	KT_EXPECT_GT(lockorder_pair_frames("ktest.lo.inv_a", "ktest.lo.inv_b"), 0);
	KT_EXPECT_FALSE(lockorder_pair_reported("ktest.lo.inv_a", "ktest.lo.inv_b"));

	lck_rw_lock_shared(b);
	lck_mtx_lock(a);		/* the inversion */
	lck_mtx_unlock(a);
	lck_rw_unlock_shared(b);
	KT_EXPECT_EQ(inversions(), before + 1);
	KT_EXPECT_GT(lockorder_pair_frames("ktest.lo.inv_b", "ktest.lo.inv_a"), 0);
	KT_EXPECT_TRUE(lockorder_pair_reported("ktest.lo.inv_a", "ktest.lo.inv_b"));

	/* Once per pair: both orders again report nothing more. */
	lck_rw_lock_shared(b);
	lck_mtx_lock(a);
	lck_mtx_unlock(a);
	lck_rw_unlock_shared(b);
	lck_mtx_lock(a);
	lck_rw_lock_shared(b);
	lck_rw_unlock_shared(b);
	lck_mtx_unlock(a);
	KT_EXPECT_EQ(inversions(), before + 1);

	lck_rw_free(b, gb);
	lck_mtx_free(a, ga);
	lck_grp_free(gb);
	lck_grp_free(ga);
	(void)lockorder_set_enabled(was);
}

KTEST(lock_order, one_order_twice_and_same_group_nesting_report_none)
{
	boolean_t was = lockorder_set_enabled(TRUE);
	lck_grp_t *gc = lck_grp_alloc_init("ktest.lo.ord_c", LCK_GRP_ATTR_NULL);
	lck_grp_t *gd = lck_grp_alloc_init("ktest.lo.ord_d", LCK_GRP_ATTR_NULL);
	lck_mtx_t *c1 = lck_mtx_alloc_init(gc, LCK_ATTR_NULL);
	lck_mtx_t *c2 = lck_mtx_alloc_init(gc, LCK_ATTR_NULL);
	lck_spin_t *d = lck_spin_alloc_init(gd, LCK_ATTR_NULL);
	uint64_t before = inversions();

	for (int i = 0; i < 2; i++) {
		lck_mtx_lock(c1);
		lck_mtx_lock(c2);
		lck_spin_lock(d);
		lck_spin_unlock(d);
		lck_mtx_unlock(c2);
		lck_mtx_unlock(c1);
	}
	/* Two of one group, the other way round: still no order inside a group. */
	lck_mtx_lock(c2);
	lck_mtx_lock(c1);
	lck_mtx_unlock(c1);
	lck_mtx_unlock(c2);
	KT_EXPECT_EQ(inversions(), before);
	KT_EXPECT_GT(lockorder_pair_frames("ktest.lo.ord_c", "ktest.lo.ord_d"), 0);
	KT_EXPECT_EQ(lockorder_pair_frames("ktest.lo.ord_d", "ktest.lo.ord_c"), 0);
	KT_EXPECT_EQ(lockorder_pair_frames("ktest.lo.ord_c", "ktest.lo.ord_c"), 0);

	/* A try-lock cannot wait, so it teaches no order. */
	lck_grp_t *gt = lck_grp_alloc_init("ktest.lo.ord_t", LCK_GRP_ATTR_NULL);
	lck_spin_t *t = lck_spin_alloc_init(gt, LCK_ATTR_NULL);

	lck_spin_lock(d);
	if (KT_EXPECT_TRUE(lck_spin_try_lock(t)))
		lck_spin_unlock(t);
	lck_spin_unlock(d);
	KT_EXPECT_EQ(lockorder_pair_frames("ktest.lo.ord_d", "ktest.lo.ord_t"), 0);
	KT_EXPECT_EQ(inversions(), before);
	KT_EXPECT_EQ(current_thread()->th_lockorder.lt_depth, 0);
	lck_spin_free(t, gt);
	lck_grp_free(gt);

	lck_spin_free(d, gd);
	lck_mtx_free(c2, gc);
	lck_mtx_free(c1, gc);
	lck_grp_free(gd);
	lck_grp_free(gc);
	(void)lockorder_set_enabled(was);
}

#define NEST	(LOCKORDER_HELD_MAX + 2)

KTEST(lock_order, full_tables_are_counted_not_fatal)
{
	boolean_t was = lockorder_set_enabled(TRUE);
	lck_grp_t *ge = lck_grp_alloc_init("ktest.lo.lim_e", LCK_GRP_ATTR_NULL);
	lck_grp_t *gf = lck_grp_alloc_init("ktest.lo.lim_f", LCK_GRP_ATTR_NULL);
	lck_mtx_t *m[NEST], *f = lck_mtx_alloc_init(gf, LCK_ATTR_NULL);
	struct lockorder_stats st0, st1;
	lck_grp_t *gfull;
	lck_mtx_t *mfull;

	/* The held stack: deeper nesting is counted, and unwinds cleanly. */
	lockorder_get_stats(&st0);
	for (int i = 0; i < NEST; i++) {
		m[i] = lck_mtx_alloc_init(ge, LCK_ATTR_NULL);
		lck_mtx_lock(m[i]);
	}
	KT_EXPECT_EQ(current_thread()->th_lockorder.lt_depth, LOCKORDER_HELD_MAX);
	for (int i = NEST - 1; i >= 0; i--)
		lck_mtx_unlock(m[i]);
	lockorder_get_stats(&st1);
	KT_EXPECT_EQ(st1.ls_stack_overflow - st0.ls_stack_overflow, NEST - LOCKORDER_HELD_MAX);
	KT_EXPECT_EQ(current_thread()->th_lockorder.lt_depth, 0);

	/* The pair table, full: the pair is not learnt, and that is counted. */
	lockorder_set_limits(0, (uint32_t)st1.ls_pairs);
	lck_mtx_lock(f);
	lck_mtx_lock(m[0]);
	lck_mtx_unlock(m[0]);
	lck_mtx_unlock(f);
	lockorder_set_limits(0, 0);
	lockorder_get_stats(&st0);
	KT_EXPECT_GE(st0.ls_pairs_full, st1.ls_pairs_full + 1);
	KT_EXPECT_EQ(lockorder_pair_frames("ktest.lo.lim_f", "ktest.lo.lim_e"), 0);

	/* The group table, full: the new group is not tracked, and that is counted. */
	lockorder_set_limits((uint32_t)st0.ls_groups, 0);
	gfull = lck_grp_alloc_init("ktest.lo.lim_full", LCK_GRP_ATTR_NULL);
	lockorder_set_limits(0, 0);
	lockorder_get_stats(&st1);
	KT_EXPECT_EQ(gfull->lck_grp_order_slot, 0);
	KT_EXPECT_EQ(st1.ls_groups_full, st0.ls_groups_full + 1);
	mfull = lck_mtx_alloc_init(gfull, LCK_ATTR_NULL);
	lck_mtx_lock(f);
	lck_mtx_lock(mfull);		/* untracked: nothing learnt, no harm */
	lck_mtx_unlock(mfull);
	lck_mtx_unlock(f);
	KT_EXPECT_EQ(current_thread()->th_lockorder.lt_depth, 0);

	lck_mtx_free(mfull, gfull);
	lck_grp_free(gfull);
	for (int i = 0; i < NEST; i++)
		lck_mtx_free(m[i], ge);
	lck_mtx_free(f, gf);
	lck_grp_free(gf);
	lck_grp_free(ge);
	(void)lockorder_set_enabled(was);
}

struct hold_find {
	uint64_t	max;
	int		found;
};

static void
hold_find(const struct lockorder_group_info *gi, void *ctx)
{
	struct hold_find *h = ctx;

	if (strcmp(gi->lg_name, "ktest.lo.hold") == 0) {
		h->max = gi->lg_max_hold_ns;
		h->found = 1;
	}
}

KTEST(lock_order, the_longest_hold_is_kept_per_group)
{
	boolean_t was = lockorder_set_enabled(TRUE);
	lck_grp_t *g = lck_grp_alloc_init("ktest.lo.hold", LCK_GRP_ATTR_NULL);
	lck_mtx_t *m = lck_mtx_alloc_init(g, LCK_ATTR_NULL);
	struct hold_find hf = { 0, 0 };

	lck_mtx_lock(m);
	thread_yield();
	lck_mtx_unlock(m);
	lockorder_foreach_group(hold_find, &hf);
	KT_EXPECT_TRUE(hf.found);
	KT_EXPECT_GT(hf.max, 0);
	lck_mtx_free(m, g);
	lck_grp_free(g);
	(void)lockorder_set_enabled(was);
}

static uint64_t
long_sleep_holds(void)
{
	struct lockorder_stats st;

	lockorder_get_stats(&st);
	return st.ls_long_sleep;
}

/* Pretend the lock on top of this thread's stack was taken back ago. */
static void
taken_earlier(uint64_t back, boolean_t queued)
{
	struct lockorder_thread *lt = &current_thread()->th_lockorder;

	lt->lt_held[lt->lt_depth - 1].lh_since -= back;
	if (queued)
		lt->lt_held[lt->lt_depth - 1].lh_runq -= back;
}

/*
 * A regression: the soak saw vm_map and vm_object locks "held" for
 * seconds by vm_fault, which never waits with them held. The holder had
 * been preempted and was queued for a CPU all that time; the hold is now
 * measured without the time its holder spent on a run queue. The long
 * waits are faked on the held stack (no timing in the test): taken back
 * ns ago, of which back ns queued, is no long hold; not queued, it is.
 */
KTEST(lock_order, time_queued_for_a_cpu_is_not_counted_as_held)
{
	boolean_t was = lockorder_set_enabled(TRUE);
	lck_grp_t *g = lck_grp_alloc_init("ktest.lo.queued", LCK_GRP_ATTR_NULL);
	lck_mtx_t *m = lck_mtx_alloc_init(g, LCK_ATTR_NULL);
	lck_rw_t *rw = lck_rw_alloc_init(g, LCK_ATTR_NULL);
	uint64_t back = mach_absolute_time() / 2;	/* taken after boot */
	uint64_t thr = lockorder_set_hold_threshold(back / 4), before;

	KT_EXPECT_EQ(lockorder_hold_ns(100, 1100, 0), 1000);
	KT_EXPECT_EQ(lockorder_hold_ns(100, 1100, 600), 400);
	KT_EXPECT_EQ(lockorder_hold_ns(100, 1100, 5000), 0);
	KT_EXPECT_EQ(lockorder_hold_ns(1100, 100, 0), 0);

	before = long_sleep_holds();
	lck_mtx_lock(m);
	taken_earlier(back, TRUE);
	lck_mtx_unlock(m);
	lck_rw_lock_shared(rw);
	taken_earlier(back, TRUE);
	lck_rw_unlock_shared(rw);
	KT_EXPECT_EQ(long_sleep_holds(), before);

	lck_mtx_lock(m);
	taken_earlier(back, FALSE);
	lck_mtx_unlock(m);
	KT_EXPECT_EQ(long_sleep_holds(), before + 1);

	(void)lockorder_set_hold_threshold(thr);
	lck_rw_free(rw, g);
	lck_mtx_free(m, g);
	lck_grp_free(g);
	(void)lockorder_set_enabled(was);
}

struct in_callout {
	lck_spin_t	*spin;
	volatile int	level;		/* 0: not yet run; 1: ran as a thread; 2: in an interrupt */
};

static void
callout_takes_a_spin_lock(void *p0, void *p1)
{
	struct in_callout *c = p0;

	(void)p1;
	lck_spin_lock(c->spin);
	lck_spin_unlock(c->spin);
	__atomic_store_n(&c->level, (ml_at_interrupt_context() ? 2 : 1),
	    __ATOMIC_RELEASE);
}

/*
 * A regression: interrupt handlers (a timer callout here) did not raise
 * cpu_interrupt_level, so the checker pushed their locks onto the stack of
 * whichever thread they interrupted, and learnt false orders from it.
 */
KTEST(lock_order, an_interrupt_handler_is_not_nested_in_the_thread_it_interrupts)
{
	boolean_t was = lockorder_set_enabled(TRUE);
	lck_grp_t *gh = lck_grp_alloc_init("ktest.lo.intr_held", LCK_GRP_ATTR_NULL);
	lck_grp_t *gs = lck_grp_alloc_init("ktest.lo.intr_spin", LCK_GRP_ATTR_NULL);
	lck_mtx_t *held = lck_mtx_alloc_init(gh, LCK_ATTR_NULL);
	struct in_callout c = { lck_spin_alloc_init(gs, LCK_ATTR_NULL), 0 };
	timer_call_data_t call;
	uint64_t give_up;

	timer_call_setup(&call, callout_takes_a_spin_lock, &c);
	lck_mtx_lock(held);
	(void)timer_call_enter1(&call, NULL, mach_absolute_time() + 2 * NSEC_PER_MSEC, 0);
	/* Spin (not sleep) with the mutex held, so the callout interrupts us. */
	give_up = mach_absolute_time() + 5000 * NSEC_PER_MSEC;
	while (__atomic_load_n(&c.level, __ATOMIC_ACQUIRE) == 0 && mach_absolute_time() < give_up)
		ml_cpu_pause();
	KT_EXPECT_EQ(current_thread()->th_lockorder.lt_depth, 1);
	lck_mtx_unlock(held);
	KT_EXPECT_EQ(c.level, 2);		/* it ran, in interrupt context */
	KT_EXPECT_EQ(lockorder_pair_frames("ktest.lo.intr_held", "ktest.lo.intr_spin"), 0);
	(void)timer_call_cancel(&call);
	lck_spin_free(c.spin, gs);
	lck_mtx_free(held, gh);
	lck_grp_free(gs);
	lck_grp_free(gh);
	(void)lockorder_set_enabled(was);
}

#endif /* MACHINA_DEBUG */
