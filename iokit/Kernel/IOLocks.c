/*
 * IOLocks.c - IOLock, IORecursiveLock, IOSimpleLock and IORWLock over lck_*.
 *
 * A recursive lock is a mutex plus the thread that holds it and how many
 * times: the owner and depth are written only by the holder, so a thread
 * asking whether it holds the lock reads its own writes (or a value that
 * is not itself). A sleep hands the mutex back with the depth saved on the
 * sleeper's stack.
 */

#include "iokit/Kernel/IOLocks.h"

#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"

struct IORecursiveLock {
	lck_mtx_t	rl_mutex;
	thread_t	rl_thread;	/* [m] the holder, or NULL */
	uint32_t	rl_count;	/* [m] its depth */
};

static lck_grp_t IOLockGroup;

void
IOLocksInit(void)
{
	lck_grp_init(&IOLockGroup, "IOKit", LCK_GRP_ATTR_NULL);
}

/* --- IOLock -------------------------------------------------------------- */

IOLock *
IOLockAlloc(void)
{
	return lck_mtx_alloc_init(&IOLockGroup, LCK_ATTR_NULL);
}

void
IOLockFree(IOLock *lock)
{
	if (lock != NULL)
		lck_mtx_free(lock, &IOLockGroup);
}

lck_mtx_t *
IOLockGetMachLock(IOLock *lock)
{
	return lock;
}

void
IOLockLock(IOLock *lock)
{
	lck_mtx_lock(lock);
}

bool
IOLockTryLock(IOLock *lock)
{
	return lck_mtx_try_lock(lock);
}

void
IOLockUnlock(IOLock *lock)
{
	lck_mtx_unlock(lock);
}

int
IOLockSleep(IOLock *lock, void *event, uint32_t interType)
{
	return lck_mtx_sleep(lock, LCK_SLEEP_DEFAULT, event, (wait_interrupt_t)interType);
}

int
IOLockSleepDeadline(IOLock *lock, void *event, uint64_t deadline, uint32_t interType)
{
	return lck_mtx_sleep_deadline(lock, LCK_SLEEP_DEFAULT, event,
	    (wait_interrupt_t)interType, deadline);
}

void
IOLockWakeup(IOLock *lock, void *event, bool oneThread)
{
	(void)lock;
	(void)thread_wakeup_prim(event, oneThread, THREAD_AWAKENED);
}

/* --- IORecursiveLock ----------------------------------------------------- */

IORecursiveLock *
IORecursiveLockAlloc(void)
{
	IORecursiveLock *lock = kalloc(sizeof(*lock));

	if (lock == NULL)
		return NULL;
	lck_mtx_init(&lock->rl_mutex, &IOLockGroup, LCK_ATTR_NULL);
	lock->rl_thread = NULL;
	lock->rl_count = 0;
	return lock;
}

void
IORecursiveLockFree(IORecursiveLock *lock)
{
	if (lock == NULL)
		return;
	if (lock->rl_count != 0)
		panic("IORecursiveLockFree: lock %p is held %u times", (void *)lock,
		    lock->rl_count);
	lck_mtx_destroy(&lock->rl_mutex, &IOLockGroup);
	kfree(lock, sizeof(*lock));
}

lck_mtx_t *
IORecursiveLockGetMachLock(IORecursiveLock *lock)
{
	return &lock->rl_mutex;
}

void
IORecursiveLockLock(IORecursiveLock *lock)
{
	if (lock->rl_thread == current_thread()) {
		lock->rl_count++;
		return;
	}
	lck_mtx_lock(&lock->rl_mutex);
	lock->rl_thread = current_thread();
	lock->rl_count = 1;
}

bool
IORecursiveLockTryLock(IORecursiveLock *lock)
{
	if (lock->rl_thread == current_thread()) {
		lock->rl_count++;
		return true;
	}
	if (!lck_mtx_try_lock(&lock->rl_mutex))
		return false;
	lock->rl_thread = current_thread();
	lock->rl_count = 1;
	return true;
}

void
IORecursiveLockUnlock(IORecursiveLock *lock)
{
	if (lock->rl_thread != current_thread())
		panic("IORecursiveLockUnlock: lock %p is not held by this thread",
		    (void *)lock);
	if (--lock->rl_count == 0) {
		lock->rl_thread = NULL;
		lck_mtx_unlock(&lock->rl_mutex);
	}
}

bool
IORecursiveLockHaveLock(const IORecursiveLock *lock)
{
	return __atomic_load_n(&lock->rl_thread, __ATOMIC_RELAXED) == current_thread();
}

static int
recursive_sleep(IORecursiveLock *lock, void *event, uint64_t deadline, uint32_t interType)
{
	uint32_t count = lock->rl_count;
	int res;

	if (lock->rl_thread != current_thread())
		panic("IORecursiveLockSleep: lock %p is not held by this thread",
		    (void *)lock);
	lock->rl_thread = NULL;
	lock->rl_count = 0;
	res = lck_mtx_sleep_deadline(&lock->rl_mutex, LCK_SLEEP_DEFAULT, event,
	    (wait_interrupt_t)interType, deadline);
	/* The mutex is ours again. */
	lock->rl_thread = current_thread();
	lock->rl_count = count;
	return res;
}

int
IORecursiveLockSleep(IORecursiveLock *lock, void *event, uint32_t interType)
{
	return recursive_sleep(lock, event, TIMEOUT_WAIT_FOREVER, interType);
}

int
IORecursiveLockSleepDeadline(IORecursiveLock *lock, void *event, uint64_t deadline,
    uint32_t interType)
{
	return recursive_sleep(lock, event, deadline, interType);
}

void
IORecursiveLockWakeup(IORecursiveLock *lock, void *event, bool oneThread)
{
	(void)lock;
	(void)thread_wakeup_prim(event, oneThread, THREAD_AWAKENED);
}

/* --- IOSimpleLock -------------------------------------------------------- */

IOSimpleLock *
IOSimpleLockAlloc(void)
{
	return lck_spin_alloc_init(&IOLockGroup, LCK_ATTR_NULL);
}

void
IOSimpleLockFree(IOSimpleLock *lock)
{
	if (lock != NULL)
		lck_spin_free(lock, &IOLockGroup);
}

void
IOSimpleLockInit(IOSimpleLock *lock)
{
	lck_spin_init(lock, &IOLockGroup, LCK_ATTR_NULL);
}

lck_spin_t *
IOSimpleLockGetMachLock(IOSimpleLock *lock)
{
	return lock;
}

void
IOSimpleLockLock(IOSimpleLock *lock)
{
	lck_spin_lock(lock);
}

bool
IOSimpleLockTryLock(IOSimpleLock *lock)
{
	return lck_spin_try_lock(lock);
}

void
IOSimpleLockUnlock(IOSimpleLock *lock)
{
	lck_spin_unlock(lock);
}

IOInterruptState
IOSimpleLockLockDisableInterrupt(IOSimpleLock *lock)
{
	IOInterruptState state = ml_set_interrupts_enabled(FALSE);

	lck_spin_lock(lock);
	return state;
}

void
IOSimpleLockUnlockEnableInterrupt(IOSimpleLock *lock, IOInterruptState state)
{
	lck_spin_unlock(lock);
	(void)ml_set_interrupts_enabled(state);
}

/* --- IORWLock ------------------------------------------------------------ */

IORWLock *
IORWLockAlloc(void)
{
	return lck_rw_alloc_init(&IOLockGroup, LCK_ATTR_NULL);
}

void
IORWLockFree(IORWLock *lock)
{
	if (lock != NULL)
		lck_rw_free(lock, &IOLockGroup);
}

lck_rw_t *
IORWLockGetMachLock(IORWLock *lock)
{
	return lock;
}

void
IORWLockRead(IORWLock *lock)
{
	lck_rw_lock_shared(lock);
}

void
IORWLockWrite(IORWLock *lock)
{
	lck_rw_lock_exclusive(lock);
}

void
IORWLockUnlock(IORWLock *lock)
{
	(void)lck_rw_done(lock);
}
