/*
 * locks_bench.c - what an uncontended lock costs: one acquire and one
 * release, on a lock nobody else wants (the common case the fast paths are
 * for).
 *
 *	bench=locks.*
 *	    locks.mtx.lock_unlock	lck_mtx_lock + lck_mtx_unlock
 *	    locks.spin.lock_unlock	lck_spin_lock + lck_spin_unlock
 *	    locks.rw_shared.lock_unlock	lck_rw_lock_shared + lck_rw_unlock_shared
 *
 * Each figure, in ns and TSC cycles, is the median of KBENCH_ROUNDS rounds'
 * mean per pair (kbench.h). The locks belong to a group without
 * LCK_GRP_ATTR_STAT, as most do: acquisitions are counted, hold times are
 * not.
 */

#include "mach/kern/locks.h"

#include "kernel/console.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define LOCK_ITERATIONS		100000

static void
mtx_body(void *arg, uint64_t iterations)
{
	lck_mtx_t *mtx = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		lck_mtx_lock(mtx);
		lck_mtx_unlock(mtx);
	}
}

static void
spin_body(void *arg, uint64_t iterations)
{
	lck_spin_t *spin = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		lck_spin_lock(spin);
		lck_spin_unlock(spin);
	}
}

static void
rw_shared_body(void *arg, uint64_t iterations)
{
	lck_rw_t *rw = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		lck_rw_lock_shared(rw);
		lck_rw_unlock_shared(rw);
	}
}

KBENCH(locks_mtx, "locks.mtx")
{
	lck_grp_t *grp = lck_grp_alloc_init("bench.locks.mtx", LCK_GRP_ATTR_NULL);
	lck_mtx_t mtx;
	struct kbench_cost cost;

	if (grp == NULL) {
		printf("# locks.mtx: no memory for a lock group\n");
		return;
	}
	lck_mtx_init(&mtx, grp, LCK_ATTR_NULL);
	kbench_rounds(mtx_body, &mtx, LOCK_ITERATIONS, &cost);
	kbench_report_cost("locks.mtx.lock_unlock", &cost);
	lck_mtx_destroy(&mtx, grp);
	lck_grp_free(grp);
}

KBENCH(locks_spin, "locks.spin")
{
	lck_grp_t *grp = lck_grp_alloc_init("bench.locks.spin", LCK_GRP_ATTR_NULL);
	lck_spin_t spin;
	struct kbench_cost cost;

	if (grp == NULL) {
		printf("# locks.spin: no memory for a lock group\n");
		return;
	}
	lck_spin_init(&spin, grp, LCK_ATTR_NULL);
	kbench_rounds(spin_body, &spin, LOCK_ITERATIONS, &cost);
	kbench_report_cost("locks.spin.lock_unlock", &cost);
	lck_spin_destroy(&spin, grp);
	lck_grp_free(grp);
}

KBENCH(locks_rw_shared, "locks.rw_shared")
{
	lck_grp_t *grp = lck_grp_alloc_init("bench.locks.rw", LCK_GRP_ATTR_NULL);
	lck_rw_t rw;
	struct kbench_cost cost;

	if (grp == NULL) {
		printf("# locks.rw_shared: no memory for a lock group\n");
		return;
	}
	lck_rw_init(&rw, grp, LCK_ATTR_NULL);
	kbench_rounds(rw_shared_body, &rw, LOCK_ITERATIONS, &cost);
	kbench_report_cost("locks.rw_shared.lock_unlock", &cost);
	lck_rw_destroy(&rw, grp);
	lck_grp_free(grp);
}
