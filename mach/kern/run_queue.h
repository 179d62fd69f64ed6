/*
 * run_queue.h - a processor's runnable threads, by priority.
 *
 * 128 FIFO queues, one per priority, and a bitmap of the non-empty ones:
 * the highest runnable priority is a bit scan of two words, whatever the
 * number of threads. Threads at one priority run in the order they were
 * queued (round robin, with the quantum), except that a preempted thread
 * goes back to the head of its queue so that it resumes first.
 *
 * Locks: the caller holds the scheduler lock (or owns the queue outright,
 * as the host unit tests do).
 */

#ifndef MACH_KERN_RUN_QUEUE_H
#define MACH_KERN_RUN_QUEUE_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/sched.h"
#include "mach/kern/thread.h"

struct run_queue {
	uint64_t		rq_bitmap[NRQS / 64];	/* bit p: queue p non-empty */
	struct thread_queue	rq_queues[NRQS];	/* FIFO at each priority */
	int			rq_count;
};

void		run_queue_init(struct run_queue *rq);

/* run_queue_enqueue: add thread at its sched_pri, at the head or the tail. */
void		run_queue_enqueue(struct run_queue *rq, thread_t thread, boolean_t head);

/* run_queue_dequeue: take the first thread of the highest priority, or NULL. */
thread_t	run_queue_dequeue(struct run_queue *rq);

/* run_queue_remove: take a queued thread out, wherever it is. */
void		run_queue_remove(struct run_queue *rq, thread_t thread);

/* run_queue_highest: the highest priority with a thread, or -1. */
int		run_queue_highest(const struct run_queue *rq);

#endif /* MACH_KERN_RUN_QUEUE_H */
