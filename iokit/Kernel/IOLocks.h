/*
 * IOLocks.h - the I/O Kit's locks: Apple's IOLock, IORecursiveLock,
 * IOSimpleLock and IORWLock calls over Mach's lck_* family
 * (mach/kern/locks.h).
 *
 *	IOLock *lock = IOLockAlloc();
 *	IOLockLock(lock);
 *	while (!ready)
 *		(void)IOLockSleep(lock, &ready, THREAD_UNINT);
 *	IOLockUnlock(lock);
 *	...			another thread: ready = true; IOLockWakeup(lock, &ready, false);
 *	IOLockFree(lock);
 *
 * IOLock		a lck_mtx_t: sleeps when contended; not recursive; only its
 *			owner unlocks it; not from interrupt context.
 * IORecursiveLock	an IOLock with an owner and a depth: its owner may take
 *			it again, and must unlock it as many times. The work
 *			loop's gate is one. IORecursiveLockSleep gives up every
 *			level while asleep and takes them all back.
 * IOSimpleLock	a lck_spin_t: spins; preemption off while held. Shared
 *			with an interrupt handler, it must be taken with
 *			IOSimpleLockLockDisableInterrupt.
 * IORWLock		a lck_rw_t: many readers or one writer.
 *
 * Every lock is in the "IOKit" lock group (its statistics show with the
 * others'); IOLocksInit makes the group, from IOKitInitialize, before any
 * lock is allocated. The Alloc calls return NULL when memory runs out.
 * Freeing a lock that is held, or unlocking one the caller does not hold,
 * is a bug in the caller that lck_* catches (a panic), as in XNU.
 *
 * Lock order: these are leaves of whatever their user's order is; an
 * IOSimpleLock is below every sleeping lock.
 */

#ifndef IOKIT_KERNEL_IOLOCKS_H
#define IOKIT_KERNEL_IOLOCKS_H

#include <stdbool.h>
#include <stdint.h>

#include "mach/kern/kern_types.h"
#include "mach/kern/locks.h"

typedef lck_mtx_t	IOLock;
typedef lck_spin_t	IOSimpleLock;
typedef lck_rw_t	IORWLock;
typedef struct IORecursiveLock	IORecursiveLock;
typedef boolean_t	IOInterruptState;	/* the interrupt state to restore */

/* IOLocksInit: the IOKit lock group. Once, at start-up (IOKitInitialize). */
void		IOLocksInit(void);

/* IOLock. */
IOLock		*IOLockAlloc(void);
void		IOLockFree(IOLock *lock);
lck_mtx_t	*IOLockGetMachLock(IOLock *lock);
void		IOLockLock(IOLock *lock);
bool		IOLockTryLock(IOLock *lock);
void		IOLockUnlock(IOLock *lock);
/*
 * IOLockSleep: with lock held, release it, sleep on event until an
 * IOLockWakeup (or the deadline, in mach absolute time), take it back.
 * interType is THREAD_UNINT or THREAD_INTERRUPTIBLE. Returns the wait's
 * result: THREAD_AWAKENED, THREAD_TIMED_OUT, THREAD_INTERRUPTED.
 */
int		IOLockSleep(IOLock *lock, void *event, uint32_t interType);
int		IOLockSleepDeadline(IOLock *lock, void *event, uint64_t deadline,
		    uint32_t interType);
/* IOLockWakeup: wake one or all threads asleep on event. */
void		IOLockWakeup(IOLock *lock, void *event, bool oneThread);

/* IORecursiveLock. */
IORecursiveLock	*IORecursiveLockAlloc(void);
void		IORecursiveLockFree(IORecursiveLock *lock);
lck_mtx_t	*IORecursiveLockGetMachLock(IORecursiveLock *lock);
void		IORecursiveLockLock(IORecursiveLock *lock);
bool		IORecursiveLockTryLock(IORecursiveLock *lock);
void		IORecursiveLockUnlock(IORecursiveLock *lock);
/* IORecursiveLockHaveLock: whether the current thread holds it. */
bool		IORecursiveLockHaveLock(const IORecursiveLock *lock);
/* The same as IOLockSleep, for a lock held at any depth; the depth comes back too. */
int		IORecursiveLockSleep(IORecursiveLock *lock, void *event, uint32_t interType);
int		IORecursiveLockSleepDeadline(IORecursiveLock *lock, void *event,
		    uint64_t deadline, uint32_t interType);
void		IORecursiveLockWakeup(IORecursiveLock *lock, void *event, bool oneThread);

/* IOSimpleLock. */
IOSimpleLock	*IOSimpleLockAlloc(void);
void		IOSimpleLockFree(IOSimpleLock *lock);
void		IOSimpleLockInit(IOSimpleLock *lock);
lck_spin_t	*IOSimpleLockGetMachLock(IOSimpleLock *lock);
void		IOSimpleLockLock(IOSimpleLock *lock);
bool		IOSimpleLockTryLock(IOSimpleLock *lock);
void		IOSimpleLockUnlock(IOSimpleLock *lock);
/* Interrupts off, then the lock; the unlock puts interrupts back as they were. */
IOInterruptState IOSimpleLockLockDisableInterrupt(IOSimpleLock *lock);
void		IOSimpleLockUnlockEnableInterrupt(IOSimpleLock *lock, IOInterruptState state);

/* IORWLock. */
IORWLock	*IORWLockAlloc(void);
void		IORWLockFree(IORWLock *lock);
lck_rw_t	*IORWLockGetMachLock(IORWLock *lock);
void		IORWLockRead(IORWLock *lock);
void		IORWLockWrite(IORWLock *lock);
void		IORWLockUnlock(IORWLock *lock);

#endif /* IOKIT_KERNEL_IOLOCKS_H */
