/*
 * IOLocks_test.c - the IOLock calls do what lck_* do under Apple's names;
 * a recursive lock counts its depth, knows its holder, and sleeps giving
 * up every level.
 */

#include "iokit/Kernel/IOLocks.h"

#include "kernel/machine_routines.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched.h"
#include "tests/ktest.h"

KTEST(iokit_locks, iolock_try_and_sleep)
{
	IOLock *lock = IOLockAlloc();

	KT_ASSERT_TRUE(lock != NULL);
	KT_EXPECT_TRUE(IOLockGetMachLock(lock) == lock);
	IOLockLock(lock);
	/* Nobody wakes us: the deadline does. */
	KT_EXPECT_EQ(IOLockSleepDeadline(lock, &lock, mach_absolute_time() + 1000000,
	    THREAD_UNINT), THREAD_TIMED_OUT);
	IOLockUnlock(lock);
	KT_EXPECT_TRUE(IOLockTryLock(lock));
	IOLockUnlock(lock);
	IOLockFree(lock);
}

struct rsleep {
	IORecursiveLock	*lock;
	volatile bool	asleep;
	volatile bool	condition;
	volatile bool	had_it_back;
	volatile uint32_t depth_after;
};

static void
rsleep_thread(void *arg, int result)
{
	struct rsleep *rs = arg;

	(void)result;
	IORecursiveLockLock(rs->lock);
	IORecursiveLockLock(rs->lock);
	rs->asleep = true;
	while (!rs->condition)
		(void)IORecursiveLockSleep(rs->lock, (void *)&rs->condition, THREAD_UNINT);
	rs->had_it_back = IORecursiveLockHaveLock(rs->lock);
	IORecursiveLockUnlock(rs->lock);
	rs->depth_after = IORecursiveLockHaveLock(rs->lock) ? 1 : 0;
	IORecursiveLockUnlock(rs->lock);
}

KTEST(iokit_locks, recursive_lock_depth_holder_and_sleep)
{
	struct rsleep rs = { .lock = IORecursiveLockAlloc() };
	struct thread *t;

	KT_ASSERT_TRUE(rs.lock != NULL);
	KT_EXPECT_FALSE(IORecursiveLockHaveLock(rs.lock));
	IORecursiveLockLock(rs.lock);
	KT_EXPECT_TRUE(IORecursiveLockTryLock(rs.lock));
	KT_EXPECT_TRUE(IORecursiveLockHaveLock(rs.lock));
	IORecursiveLockUnlock(rs.lock);
	KT_EXPECT_TRUE(IORecursiveLockHaveLock(rs.lock));
	IORecursiveLockUnlock(rs.lock);
	KT_EXPECT_FALSE(IORecursiveLockHaveLock(rs.lock));

	t = ktest_thread_start(rsleep_thread, &rs, BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(rs.asleep, 2000));
	/* It sleeps holding it twice; both levels are given up. */
	IORecursiveLockLock(rs.lock);
	KT_EXPECT_TRUE(IORecursiveLockHaveLock(rs.lock));
	rs.condition = true;
	IORecursiveLockWakeup(rs.lock, (void *)&rs.condition, false);
	IORecursiveLockUnlock(rs.lock);
	ktest_thread_join(t);
	KT_EXPECT_TRUE(rs.had_it_back);
	KT_EXPECT_EQ(rs.depth_after, 1);
	IORecursiveLockFree(rs.lock);
}

KTEST(iokit_locks, simple_and_rw_locks)
{
	IOSimpleLock *sl = IOSimpleLockAlloc();
	IORWLock *rw = IORWLockAlloc();
	IOInterruptState s;

	KT_ASSERT_TRUE(sl != NULL && rw != NULL);
	s = IOSimpleLockLockDisableInterrupt(sl);
	KT_EXPECT_FALSE(ml_get_interrupts_enabled());
	KT_EXPECT_FALSE(IOSimpleLockTryLock(sl));
	IOSimpleLockUnlockEnableInterrupt(sl, s);
	KT_EXPECT_TRUE(ml_get_interrupts_enabled());
	KT_EXPECT_TRUE(IOSimpleLockTryLock(sl));
	IOSimpleLockUnlock(sl);
	IOSimpleLockLock(sl);
	IOSimpleLockUnlock(sl);

	IORWLockRead(rw);
	IORWLockRead(rw);
	KT_EXPECT_FALSE(lck_rw_try_lock_exclusive(IORWLockGetMachLock(rw)));
	IORWLockUnlock(rw);
	IORWLockUnlock(rw);
	IORWLockWrite(rw);
	KT_EXPECT_FALSE(lck_rw_try_lock_shared(rw));
	IORWLockUnlock(rw);
	IOSimpleLockFree(sl);
	IORWLockFree(rw);
}
