/*
 * simple_lock.h - hw_lock, the lowest-level spin lock (XNU's name).
 *
 * A hw_lock is one word: 0 when free, 1 when held. It spins, never sleeps,
 * and does nothing about interrupts or preemption: a caller that may race
 * with an interrupt handler disables interrupts first
 * (ml_set_interrupts_enabled) and keeps them off while it holds the lock.
 * The richer locks (lck_spin_t, lck_mtx_t, lck_rw_t) are built on the
 * scheduler and come with it.
 *
 * Lock order: docs/locking.md ranks every spin lock; a hw_lock holder
 * takes only spin locks ranked below it, and never blocks.
 */

#ifndef MACH_KERN_SIMPLE_LOCK_H
#define MACH_KERN_SIMPLE_LOCK_H

#include <stdint.h>

#include "kernel/machine_routines.h"
#include "mach/boolean.h"

typedef struct {
	volatile uint32_t	lock_data;
} hw_lock_data_t, *hw_lock_t;

#define HW_LOCK_INITIALIZER	{ 0 }

static inline void
hw_lock_init(hw_lock_t lock)
{
	__atomic_store_n(&lock->lock_data, 0, __ATOMIC_RELAXED);
}

static inline boolean_t
hw_lock_try(hw_lock_t lock)
{
	return __atomic_exchange_n(&lock->lock_data, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void
hw_lock_lock(hw_lock_t lock)
{
	while (!hw_lock_try(lock)) {
		while (__atomic_load_n(&lock->lock_data, __ATOMIC_RELAXED) != 0)
			ml_cpu_pause();
	}
}

static inline void
hw_lock_unlock(hw_lock_t lock)
{
	__atomic_store_n(&lock->lock_data, 0, __ATOMIC_RELEASE);
}

static inline boolean_t
hw_lock_held(hw_lock_t lock)
{
	return __atomic_load_n(&lock->lock_data, __ATOMIC_RELAXED) != 0;
}

#endif /* MACH_KERN_SIMPLE_LOCK_H */
