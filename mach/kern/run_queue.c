/*
 * run_queue.c - priority queues with a bitmap.
 */

#include "mach/kern/run_queue.h"

#include "libkern/assert.h"
#include "libkern/bits.h"

void
run_queue_init(struct run_queue *rq)
{
	for (int i = 0; i < NRQS; i++)
		TAILQ_INIT(&rq->rq_queues[i]);
	for (int i = 0; i < NRQS / 64; i++)
		rq->rq_bitmap[i] = 0;
	rq->rq_count = 0;
}

void
run_queue_enqueue(struct run_queue *rq, thread_t thread, boolean_t head)
{
	int pri = thread->sched_pri;

	release_assert(!invalid_pri(pri));
	if (head)
		TAILQ_INSERT_HEAD(&rq->rq_queues[pri], thread, th_link);
	else
		TAILQ_INSERT_TAIL(&rq->rq_queues[pri], thread, th_link);
	rq->rq_bitmap[pri / 64] |= 1ULL << (pri % 64);
	rq->rq_count++;
}

int
run_queue_highest(const struct run_queue *rq)
{
	for (int w = NRQS / 64 - 1; w >= 0; w--) {
		if (rq->rq_bitmap[w] != 0)
			return w * 64 + (int)bit_first(rq->rq_bitmap[w]);
	}
	return -1;
}

void
run_queue_remove(struct run_queue *rq, thread_t thread)
{
	int pri = thread->sched_pri;

	TAILQ_REMOVE(&rq->rq_queues[pri], thread, th_link);
	if (TAILQ_EMPTY(&rq->rq_queues[pri]))
		rq->rq_bitmap[pri / 64] &= ~(1ULL << (pri % 64));
	rq->rq_count--;
	/* Invariant: the count and the bitmap agree on emptiness. */
	assert((rq->rq_count == 0) == (run_queue_highest(rq) < 0));
}

thread_t
run_queue_dequeue(struct run_queue *rq)
{
	int pri = run_queue_highest(rq);
	thread_t thread;

	if (pri < 0)
		return THREAD_NULL;
	thread = TAILQ_FIRST(&rq->rq_queues[pri]);
	run_queue_remove(rq, thread);
	return thread;
}
