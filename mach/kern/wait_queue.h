/*
 * wait_queue.h - queues of threads waiting for an event.
 *
 * A thread waits on a wait queue for an event (any unique address, usually
 * the object waited for); a wakeup names the same event and wakes one or
 * all of its waiters. The plain interface most code wants hides the queue:
 *
 *	assert_wait(&obj->ready, THREAD_UNINT);	(in sched_prim.h)
 *	... unlock obj ...
 *	thread_block(THREAD_CONTINUE_NULL);
 *
 *	thread_wakeup(&obj->ready);
 *
 * assert_wait hashes the event onto one of a fixed set of global wait
 * queues; objects that want their own queue (semaphores, locks) embed a
 * struct wait_queue and use the wait_queue_* calls of the Kernel
 * Programming Guide.
 *
 * A queue's policy orders its waiters: SYNC_POLICY_FIFO wakes them in the
 * order they came, SYNC_POLICY_FIXED_PRIORITY highest priority first (FIFO
 * among equals).
 *
 * Locks: every wait queue is covered by the scheduler lock ([S]); the
 * _locked variants expect it held (sched_lock()), the others take it.
 */

#ifndef MACH_KERN_WAIT_QUEUE_H
#define MACH_KERN_WAIT_QUEUE_H

#include "libkern/queue.h"
#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/thread.h"
#include "mach/kern_return.h"

/* Policies (XNU's sync_policy.h values). */
#define SYNC_POLICY_FIFO		0x0
#define SYNC_POLICY_FIXED_PRIORITY	0x1
#define SYNC_POLICY_ORDER_MASK		0x3
#define SYNC_POLICY_PREPOST		0x4

struct wait_queue {
	struct thread_queue	wq_threads;	/* [S] */
	int			wq_policy;	/* [I] */
	unsigned		wq_count;	/* [S] waiters */
};
typedef struct wait_queue *wait_queue_t;

void		wait_queue_init(wait_queue_t wq, int policy);
wait_queue_t	wait_queue_alloc(int policy);
void		wait_queue_free(wait_queue_t wq);

/*
 * wait_queue_assert_wait: make the current thread wait on wq for event, the
 * wait ending at deadline (TIMEOUT_WAIT_FOREVER for none). The thread runs
 * on until it calls thread_block. Returns THREAD_WAITING.
 */
wait_result_t	wait_queue_assert_wait(wait_queue_t wq, event_t event,
		    wait_interrupt_t interruptible, uint64_t deadline);
wait_result_t	wait_queue_assert_wait_locked(wait_queue_t wq, event_t event,
		    wait_interrupt_t interruptible, uint64_t deadline);

/* Wake every waiter for event; KERN_NOT_WAITING if there was none. */
kern_return_t	wait_queue_wakeup_all(wait_queue_t wq, event_t event, wait_result_t result);
kern_return_t	wait_queue_wakeup_all_locked(wait_queue_t wq, event_t event,
		    wait_result_t result);

/* Wake the first waiter for event (by the queue's policy). */
kern_return_t	wait_queue_wakeup_one(wait_queue_t wq, event_t event, wait_result_t result);
thread_t	wait_queue_wakeup_one_locked(wait_queue_t wq, event_t event,
		    wait_result_t result);

/* Wake thread if, and only if, it waits on wq for event. */
kern_return_t	wait_queue_wakeup_thread(wait_queue_t wq, event_t event, thread_t thread,
		    wait_result_t result);

/* wait_queue_waiters_locked: how many threads wait on wq (any event). */
unsigned	wait_queue_waiters_locked(wait_queue_t wq);

/* The global queue assert_wait uses for event. */
wait_queue_t	wait_queue_for_event(event_t event);

/* wait_queue_bootstrap: the global queues; once, before any wait. */
void		wait_queue_bootstrap(void);

#endif /* MACH_KERN_WAIT_QUEUE_H */
