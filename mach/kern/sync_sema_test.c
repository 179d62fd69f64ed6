/*
 * sync_sema_test.c - semaphores count, time out, order their waiters by
 * policy, and release them when destroyed.
 */

#include "mach/kern/sync_sema.h"

#include "iokit/Kernel/IOLib.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

static const mach_timespec_t no_wait = { 0, 0 };

KTEST(semaphore, counts_units)
{
	semaphore_t sem;

	KT_ASSERT_EQ(semaphore_create(current_task(), &sem, SYNC_POLICY_FIFO, 2), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_wait(sem), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_wait(sem), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_timedwait(sem, no_wait), KERN_OPERATION_TIMED_OUT);
	KT_EXPECT_EQ(semaphore_signal(sem), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_timedwait(sem, no_wait), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_destroy(current_task(), sem), KERN_SUCCESS);
}

KTEST(semaphore, a_timed_wait_ends_no_earlier_than_asked)
{
	mach_timespec_t ts = { 0, 25 * 1000 * 1000 };
	uint64_t start = mach_absolute_time();
	semaphore_t sem;

	KT_ASSERT_EQ(semaphore_create(current_task(), &sem, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_timedwait(sem, ts), KERN_OPERATION_TIMED_OUT);
	KT_EXPECT_GE(mach_absolute_time() - start, 25ULL * 1000 * 1000);
	KT_EXPECT_EQ(semaphore_destroy(current_task(), sem), KERN_SUCCESS);
}

KTEST(semaphore, bad_arguments_are_refused)
{
	mach_timespec_t bad = { 0, 2000000000 };
	semaphore_t sem;

	KT_EXPECT_EQ(semaphore_create(current_task(), &sem, SYNC_POLICY_FIFO, -1),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(semaphore_create(current_task(), &sem, 0x40, 0), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(semaphore_create(TASK_NULL, &sem, SYNC_POLICY_FIFO, 0),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(semaphore_signal(SEMAPHORE_NULL), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(semaphore_wait(SEMAPHORE_NULL), KERN_INVALID_ARGUMENT);
	KT_ASSERT_EQ(semaphore_create(current_task(), &sem, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(semaphore_timedwait(sem, bad), KERN_INVALID_VALUE);
	KT_EXPECT_EQ(semaphore_destroy(TASK_NULL, sem), KERN_INVALID_RIGHT);
	KT_EXPECT_EQ(semaphore_destroy(current_task(), sem), KERN_SUCCESS);
}

/* Waiters of three priorities, queued in a known order, woken one by one. */
struct order {
	semaphore_t	sem;
	volatile int	woken[3];
	volatile int	nwoken;
	volatile kern_return_t result[3];
};

struct waiter {
	struct order	*o;
	int		id;
};

static void
waiter_main(void *arg, int unused)
{
	struct waiter *w = arg;
	kern_return_t kr;

	(void)unused;
	kr = semaphore_wait(w->o->sem);
	w->o->result[w->id] = kr;
	w->o->woken[__atomic_fetch_add(&w->o->nwoken, 1, __ATOMIC_ACQ_REL)] = w->id;
}

static void
wake_order(struct order *o, int policy)
{
	static const int pri[3] = { 40, 60, 50 };	/* queued low, high, middle */
	struct waiter w[3];
	thread_t t[3];

	*o = (struct order){ .nwoken = 0 };
	(void)semaphore_create(current_task(), &o->sem, policy, 0);
	for (int i = 0; i < 3; i++) {
		w[i] = (struct waiter){ .o = o, .id = i };
		t[i] = ktest_thread_start(waiter_main, &w[i], pri[i]);
		/* Queue them one at a time, in this order. */
		(void)ktest_wait_until(o->sem->wait_queue.wq_count == (unsigned)i + 1, 1000);
	}
	for (int i = 0; i < 3; i++) {
		(void)semaphore_signal(o->sem);
		(void)ktest_wait_until(o->nwoken == i + 1, 1000);
	}
	for (int i = 0; i < 3; i++)
		ktest_thread_join(t[i]);
	(void)semaphore_destroy(current_task(), o->sem);
}

KTEST(semaphore, fifo_wakes_in_arrival_order)
{
	struct order o;

	wake_order(&o, SYNC_POLICY_FIFO);
	KT_EXPECT_EQ(o.nwoken, 3);
	KT_EXPECT_EQ(o.woken[0], 0);
	KT_EXPECT_EQ(o.woken[1], 1);
	KT_EXPECT_EQ(o.woken[2], 2);
}

KTEST(semaphore, fixed_priority_wakes_the_highest_first)
{
	struct order o;

	wake_order(&o, SYNC_POLICY_FIXED_PRIORITY);
	KT_EXPECT_EQ(o.nwoken, 3);
	KT_EXPECT_EQ(o.woken[0], 1);	/* priority 60 */
	KT_EXPECT_EQ(o.woken[1], 2);	/* 50 */
	KT_EXPECT_EQ(o.woken[2], 0);	/* 40 */
}

KTEST(semaphore, destroy_releases_waiters)
{
	struct order o = { .nwoken = 0 };
	struct waiter w[2];
	thread_t t[2];

	KT_ASSERT_EQ(semaphore_create(current_task(), &o.sem, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct waiter){ .o = &o, .id = i };
		t[i] = ktest_thread_start(waiter_main, &w[i], BASEPRI_DEFAULT);
	}
	KT_ASSERT_TRUE(ktest_wait_until(o.sem->wait_queue.wq_count == 2, 1000));
	KT_EXPECT_EQ(semaphore_destroy(current_task(), o.sem), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_wait_until(o.nwoken == 2, 1000));
	KT_EXPECT_EQ(o.result[0], KERN_TERMINATED);
	KT_EXPECT_EQ(o.result[1], KERN_TERMINATED);
	for (int i = 0; i < 2; i++)
		ktest_thread_join(t[i]);
}

KTEST(semaphore, signal_all_wakes_every_waiter)
{
	struct order o = { .nwoken = 0 };
	struct waiter w[3];
	thread_t t[3];

	KT_ASSERT_EQ(semaphore_create(current_task(), &o.sem, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	for (int i = 0; i < 3; i++) {
		w[i] = (struct waiter){ .o = &o, .id = i };
		t[i] = ktest_thread_start(waiter_main, &w[i], BASEPRI_DEFAULT);
	}
	KT_ASSERT_TRUE(ktest_wait_until(o.sem->wait_queue.wq_count == 3, 1000));
	KT_EXPECT_EQ(semaphore_signal_all(o.sem), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_wait_until(o.nwoken == 3, 1000));
	KT_EXPECT_EQ(semaphore_timedwait(o.sem, no_wait), KERN_OPERATION_TIMED_OUT);
	for (int i = 0; i < 3; i++)
		ktest_thread_join(t[i]);
	KT_EXPECT_EQ(semaphore_destroy(current_task(), o.sem), KERN_SUCCESS);
}
