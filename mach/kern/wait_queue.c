/*
 * wait_queue.c - wait queues, and the global ones assert_wait hashes onto.
 *
 * Everything here runs under the scheduler lock; the thread-state changes
 * (TH_WAIT, and making a woken thread runnable) are sched_prim.c's, called
 * through thread_wait_locked and thread_unwait_locked.
 */

#include "mach/kern/wait_queue.h"

#include "kernel/kheap.h"
#include "libkern/assert.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/sched_prim_internal.h"

#define GLOBAL_WAIT_QUEUES	128	/* a power of two */

/* Page-aligned: the whole table in one page (it is smaller), not two. */
static struct wait_queue global_wait_queues[GLOBAL_WAIT_QUEUES] __aligned(PAGE_SIZE);

void
wait_queue_bootstrap(void)
{
	for (int i = 0; i < GLOBAL_WAIT_QUEUES; i++)
		wait_queue_init(&global_wait_queues[i], SYNC_POLICY_FIFO);
}

wait_queue_t
wait_queue_for_event(event_t event)
{
	uintptr_t h = (uintptr_t)event;

	/* Events are addresses: mix the bits above the alignment in. */
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return &global_wait_queues[(h >> 32) & (GLOBAL_WAIT_QUEUES - 1)];
}

void
wait_queue_init(wait_queue_t wq, int policy)
{
	TAILQ_INIT(&wq->wq_threads);
	wq->wq_policy = policy;
	wq->wq_count = 0;
}

wait_queue_t
wait_queue_alloc(int policy)
{
	wait_queue_t wq = kheap_alloc(&kernel_heap, sizeof(*wq));

	if (wq != NULL)
		wait_queue_init(wq, policy);
	return wq;
}

void
wait_queue_free(wait_queue_t wq)
{
	if (wq->wq_count != 0)
		panic("wait_queue_free: %p still has %u waiters", wq, wq->wq_count);
	kheap_free(&kernel_heap, wq);
}

/* Put thread on wq by its policy. Locks: scheduler lock held. */
static void
enqueue_locked(wait_queue_t wq, thread_t thread)
{
	thread_t t;

	if ((wq->wq_policy & SYNC_POLICY_ORDER_MASK) == SYNC_POLICY_FIXED_PRIORITY) {
		TAILQ_FOREACH(t, &wq->wq_threads, th_link) {
			if (t->sched_pri < thread->sched_pri)
				break;
		}
		if (t != NULL) {
			TAILQ_INSERT_BEFORE(t, thread, th_link);
			goto queued;
		}
	}
	TAILQ_INSERT_TAIL(&wq->wq_threads, thread, th_link);
queued:
	wq->wq_count++;
	thread->wait_queue = wq;
}

void
wait_queue_remove_locked(thread_t thread)
{
	wait_queue_t wq = thread->wait_queue;

	assert(wq != NULL);
	TAILQ_REMOVE(&wq->wq_threads, thread, th_link);
	wq->wq_count--;
	thread->wait_queue = NULL;
}

wait_result_t
wait_queue_assert_wait_locked(wait_queue_t wq, event_t event,
    wait_interrupt_t interruptible, uint64_t deadline)
{
	thread_t self = current_thread();

	assert(sched_lock_held());
	thread_wait_locked(self, CAST_EVENT64_T(event), interruptible, deadline);
	enqueue_locked(wq, self);
	return THREAD_WAITING;
}

wait_result_t
wait_queue_assert_wait(wait_queue_t wq, event_t event, wait_interrupt_t interruptible,
    uint64_t deadline)
{
	boolean_t s = sched_lock();
	wait_result_t r = wait_queue_assert_wait_locked(wq, event, interruptible, deadline);

	sched_unlock(s);
	return r;
}

thread_t
wait_queue_wakeup_one_locked(wait_queue_t wq, event_t event, wait_result_t result)
{
	event64_t e = CAST_EVENT64_T(event);
	thread_t t;

	TAILQ_FOREACH(t, &wq->wq_threads, th_link) {
		if (t->wait_event == e) {
			thread_unwait_locked(t, result);
			return t;
		}
	}
	return THREAD_NULL;
}

kern_return_t
wait_queue_wakeup_one(wait_queue_t wq, event_t event, wait_result_t result)
{
	boolean_t s = sched_lock();
	thread_t t = wait_queue_wakeup_one_locked(wq, event, result);

	sched_unlock(s);
	return t != THREAD_NULL ? KERN_SUCCESS : KERN_NOT_WAITING;
}

kern_return_t
wait_queue_wakeup_all_locked(wait_queue_t wq, event_t event, wait_result_t result)
{
	event64_t e = CAST_EVENT64_T(event);
	thread_t t, next;
	kern_return_t kr = KERN_NOT_WAITING;

	for (t = TAILQ_FIRST(&wq->wq_threads); t != NULL; t = next) {
		next = TAILQ_NEXT(t, th_link);
		if (t->wait_event == e) {
			thread_unwait_locked(t, result);
			kr = KERN_SUCCESS;
		}
	}
	return kr;
}

kern_return_t
wait_queue_wakeup_all(wait_queue_t wq, event_t event, wait_result_t result)
{
	boolean_t s = sched_lock();
	kern_return_t kr = wait_queue_wakeup_all_locked(wq, event, result);

	sched_unlock(s);
	return kr;
}

kern_return_t
wait_queue_wakeup_thread(wait_queue_t wq, event_t event, thread_t thread,
    wait_result_t result)
{
	boolean_t s = sched_lock();
	kern_return_t kr = KERN_NOT_WAITING;

	if (thread->wait_queue == wq && thread->wait_event == CAST_EVENT64_T(event)) {
		thread_unwait_locked(thread, result);
		kr = KERN_SUCCESS;
	}
	sched_unlock(s);
	return kr;
}

unsigned
wait_queue_waiters_locked(wait_queue_t wq)
{
	return wq->wq_count;
}
