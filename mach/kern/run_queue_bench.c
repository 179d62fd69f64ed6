/*
 * run_queue_bench.c - what choosing the next thread costs, with one
 * runnable thread and with a thousand.
 *
 *	bench=sched.run_queue_pick
 *	    sched.run_queue_pick.threads_1	run_queue_dequeue of the best
 *	    sched.run_queue_pick.threads_1000	thread and its run_queue_enqueue
 *						back at the tail, with 1 or 1,000
 *						threads queued at 64 priorities
 *
 * The queue is the benchmark's own (not a processor's), of placeholder
 * threads that never run, so the figure is the pick alone: the bitmap scan
 * and the FIFO's head, which must not grow with the number of threads.
 * Each pick is checked to come from the highest priority queued.
 */

#include "mach/kern/run_queue.h"

#include "kernel/console.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define PICK_ITERATIONS	10000
#define PICK_PRIORITIES	64

static struct run_queue bench_rq;	/* [o] the benchmark's alone */

static void
pick_bench(const char *figure, unsigned nthreads)
{
	struct kbench_cost costs[KBENCH_ROUNDS], cost;
	vm_size_t size = (vm_size_t)nthreads * sizeof(struct thread);
	struct thread *threads = kalloc(size);

	if (threads == NULL) {
		printf("# %s: no memory for %u threads; no figure\n", figure, nthreads);
		return;
	}
	memset(threads, 0, size);
	run_queue_init(&bench_rq);
	for (unsigned i = 0; i < nthreads; i++) {
		threads[i].sched_pri = (int)(i % PICK_PRIORITIES);
		run_queue_enqueue(&bench_rq, &threads[i], FALSE);
	}
	for (unsigned r = 0; r < KBENCH_ROUNDS; r++) {
		struct kbench_clock start;

		kbench_clock_read(&start);
		for (unsigned i = 0; i < PICK_ITERATIONS; i++) {
			int best = run_queue_highest(&bench_rq);
			thread_t t = run_queue_dequeue(&bench_rq);

			if (t == NULL || t->sched_pri != best) {
				printf("# %s: the pick was not from the highest priority; no figure\n",
				    figure);
				goto out;
			}
			run_queue_enqueue(&bench_rq, t, FALSE);
		}
		kbench_cost_since(&start, PICK_ITERATIONS, &costs[r]);
	}
	if (bench_rq.rq_count != (int)nthreads) {
		printf("# %s: %d threads queued at the end, not %u; no figure\n", figure,
		    bench_rq.rq_count, nthreads);
		goto out;
	}
	kbench_cost_median(costs, KBENCH_ROUNDS, &cost);
	kbench_report_cost(figure, &cost);
out:
	while (run_queue_dequeue(&bench_rq) != NULL)
		;
	kfree(threads, size);
}

KBENCH(sched_run_queue_pick, "sched.run_queue_pick")
{
	pick_bench("sched.run_queue_pick.threads_1", 1);
	pick_bench("sched.run_queue_pick.threads_1000", 1000);
}
