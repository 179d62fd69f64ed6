/*
 * kern_futex.h - Linux's futex: user-space locks that sleep in the
 * kernel only when contended (FUTEX_WAIT, FUTEX_WAKE), and the wake a
 * thread's end owes to its clear_child_tid (CLONE_CHILD_CLEARTID,
 * set_tid_address).
 *
 * A waiter is keyed by its address space and the futex's user address:
 * FUTEX_PRIVATE_FLAG and shared futexes meet on the same address within
 * one process. (A shared futex in memory mapped by two processes is keyed
 * per process, so a waiter in one is not woken from the other: not yet.)
 *
 * Waiters hang on one of a fixed number of buckets by that key; each
 * bucket has a mutex covering its list and its waiters' woken flags.
 * Lock order: a bucket's mutex, then (msleep) the scheduler's. The user
 * word is read with copyin while the bucket is held, so a FUTEX_WAKE
 * after the word changed cannot come between the check and the sleep.
 */

#ifndef BSD_KERN_KERN_FUTEX_H
#define BSD_KERN_KERN_FUTEX_H

#include <stdint.h>

#include "mach/kern/kern_types.h"
#include "mach/vm_types.h"

struct uthread;

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* futex_init: the buckets. Once, from bsd_init. */
void	futex_init(void);

/* futex_wake_map: wake up to n waiters on uaddr in map; how many were woken. */
int	futex_wake_map(vm_map_t map, uint64_t uaddr, int n);

/*
 * futex_thread_exit: the current thread ends: its clear_child_tid word
 * (if any) is set to 0 and one waiter on it woken. Faults are ignored.
 */
void	futex_thread_exit(struct uthread *ut);

#endif /* BSD_KERN_KERN_FUTEX_H */
