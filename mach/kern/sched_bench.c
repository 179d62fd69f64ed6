/*
 * sched_bench.c - what switching threads costs, and how late a timed wait
 * wakes.
 *
 *	bench=sched.thread_switch.same_cpu
 *	    sched.thread_switch.same_cpu	one switch from one thread to
 *						another on the same CPU
 *	bench=sched.thread_switch.cross_cpu
 *	    sched.thread_switch.cross_cpu	one handoff from a thread on one
 *						CPU to a thread waiting on
 *						another (needs two CPUs)
 *	bench=sched.timed_wait
 *	    sched.timed_wait.lateness.median	ns from an assert_wait_deadline
 *	    sched.timed_wait.lateness.max	deadline to the thread running
 *						again after thread_block
 *
 * Switches: two kernel threads ping-pong through two semaphores, each
 * bound to its CPU (thread_bind). A round trip is semaphore_signal(ping),
 * semaphore_wait(pong) on one side and semaphore_wait(ping),
 * semaphore_signal(pong) on the other: two one-way switches (or handoffs),
 * each including a semaphore signal and wait, as a user-space ping-pong
 * through futexes or pipes includes them. On one CPU each wait blocks and
 * the scheduler switches straight to the thread just woken; across CPUs
 * each signal wakes a thread on the other CPU, which is usually idle
 * (halted) by then, so a handoff includes the interprocessor interrupt and
 * the wake-up from halt. The figure, in ns and TSC cycles, is the median of
 * KBENCH_ROUNDS rounds' mean per one-way switch (kbench.h), after an
 * untimed warm-up in which both threads reach their CPUs.
 *
 * The runner (the kernel_bootstrap thread) sleeps on a semaphore while the
 * pair runs, so it never competes with them for a CPU.
 */

#include "mach/kern/sched_prim.h"

#include "kernel/console.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sync_sema.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define SWITCH_WARMUP		200	/* round trips before timing */
#define SWITCH_ITERATIONS	1000	/* round trips per timed round */
#define SWITCH_PRI		BASEPRI_KERNEL

#define WAIT_SAMPLES		100
#define WAIT_WARMUP		5
#define WAIT_MIN_NS		(200 * NSEC_PER_USEC)
#define WAIT_STEP_NS		(97 * NSEC_PER_USEC)	/* at varied phases */

/* The pair and their results; [o] each field is written by one side. */
struct pingpong {
	semaphore_t		ping;	/* [I] pinger signals, ponger waits */
	semaphore_t		pong;	/* [I] ponger signals, pinger waits */
	semaphore_t		done;	/* [I] the pinger has finished */
	processor_t		cpu[2];	/* [I] pinger's and ponger's CPU */
	volatile int		misplaced; /* [a] a side ran on another CPU */
	volatile int		failed;	/* [a] a semaphore call failed */
	struct kbench_cost	costs[KBENCH_ROUNDS]; /* [o] the pinger's rounds */
};

/* Bind the current thread to p and go there. */
static void
run_on(processor_t p)
{
	(void)thread_bind(p);
	while (current_processor() != p)
		(void)thread_block(THREAD_CONTINUE_NULL);
}

/* One round trip from the pinger's side; FALSE if a call on either side failed. */
static boolean_t
ping_once(struct pingpong *pp)
{
	return semaphore_signal(pp->ping) == KERN_SUCCESS &&
	    semaphore_wait(pp->pong) == KERN_SUCCESS &&
	    !__atomic_load_n(&pp->failed, __ATOMIC_RELAXED);
}

static void
pinger_main(void *arg, int result)
{
	struct pingpong *pp = arg;
	struct kbench_clock start;

	(void)result;
	run_on(pp->cpu[0]);
	for (int i = 0; i < SWITCH_WARMUP; i++) {
		if (!ping_once(pp))
			goto fail;
	}
	for (int r = 0; r < KBENCH_ROUNDS; r++) {
		kbench_clock_read(&start);
		for (int i = 0; i < SWITCH_ITERATIONS; i++) {
			if (!ping_once(pp))
				goto fail;
		}
		kbench_cost_since(&start, 2 * SWITCH_ITERATIONS, &pp->costs[r]);
	}
	if (current_processor() != pp->cpu[0])
		__atomic_store_n(&pp->misplaced, 1, __ATOMIC_RELAXED);
	(void)semaphore_signal(pp->done);
	return;
fail:
	__atomic_store_n(&pp->failed, 1, __ATOMIC_RELAXED);
	/* A unit the ponger's next wait takes, so that it sees the failure. */
	(void)semaphore_signal(pp->ping);
	(void)semaphore_signal(pp->done);
}

static void
ponger_main(void *arg, int result)
{
	struct pingpong *pp = arg;
	int total = SWITCH_WARMUP + KBENCH_ROUNDS * SWITCH_ITERATIONS;

	(void)result;
	run_on(pp->cpu[1]);
	for (int i = 0; i < total; i++) {
		if (__atomic_load_n(&pp->failed, __ATOMIC_RELAXED))
			break;
		if (semaphore_wait(pp->ping) != KERN_SUCCESS ||
		    semaphore_signal(pp->pong) != KERN_SUCCESS) {
			__atomic_store_n(&pp->failed, 1, __ATOMIC_RELAXED);
			(void)semaphore_signal(pp->pong);	/* likewise */
			break;
		}
	}
	if (current_processor() != pp->cpu[1])
		__atomic_store_n(&pp->misplaced, 1, __ATOMIC_RELAXED);
}

static kern_return_t
pingpong_create(struct pingpong *pp)
{
	kern_return_t kr;

	kr = semaphore_create(kernel_task, &pp->ping, SYNC_POLICY_FIFO, 0);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = semaphore_create(kernel_task, &pp->pong, SYNC_POLICY_FIFO, 0);
	if (kr != KERN_SUCCESS)
		goto no_pong;
	kr = semaphore_create(kernel_task, &pp->done, SYNC_POLICY_FIFO, 0);
	if (kr != KERN_SUCCESS)
		goto no_done;
	return KERN_SUCCESS;
no_done:
	(void)semaphore_destroy(kernel_task, pp->pong);
no_pong:
	(void)semaphore_destroy(kernel_task, pp->ping);
	return kr;
}

static void
pingpong_destroy(struct pingpong *pp)
{
	(void)semaphore_destroy(kernel_task, pp->done);
	(void)semaphore_destroy(kernel_task, pp->pong);
	(void)semaphore_destroy(kernel_task, pp->ping);
}

/* Run the pair on CPUs a and b; report figure unless something went wrong. */
static void
switch_bench(const char *figure, processor_t a, processor_t b)
{
	struct pingpong pp = { .cpu = { a, b } };
	struct kbench_cost cost;
	thread_t pinger, ponger;

	if (pingpong_create(&pp) != KERN_SUCCESS) {
		printf("# %s: no memory for the semaphores\n", figure);
		return;
	}
	ponger = ktest_thread_start(ponger_main, &pp, SWITCH_PRI);
	pinger = ktest_thread_start(pinger_main, &pp, SWITCH_PRI);
	(void)semaphore_wait(pp.done);
	ktest_thread_join(pinger);
	ktest_thread_join(ponger);
	pingpong_destroy(&pp);
	if (pp.failed) {
		printf("# %s: a semaphore call failed; no figure\n", figure);
		return;
	}
	if (pp.misplaced) {
		printf("# %s: a thread left the CPU it was bound to; no figure\n",
		    figure);
		return;
	}
	kbench_cost_median(pp.costs, KBENCH_ROUNDS, &cost);
	kbench_report_cost(figure, &cost);
}

KBENCH(sched_switch_same_cpu, "sched.thread_switch.same_cpu")
{
	processor_t p = &processor_array[0];

	switch_bench("sched.thread_switch.same_cpu", p, p);
}

KBENCH(sched_switch_cross_cpu, "sched.thread_switch.cross_cpu")
{
	if (processor_count < 2) {
		printf("# sched.thread_switch.cross_cpu: skipped, it needs two CPUs "
		    "and there is %u\n", processor_count);
		return;
	}
	switch_bench("sched.thread_switch.cross_cpu", &processor_array[0],
	    &processor_array[1]);
}

/*
 * The runner waits with a deadline WAIT_SAMPLES times, deadlines from
 * WAIT_MIN_NS ahead upwards in steps that fall at varied points of the
 * scheduler's and the timer's cycles; the lateness is its own reading of
 * the clock once thread_block returns: the timer callout's lateness, plus
 * making the thread runnable and switching to it from the idle thread.
 */
KBENCH(sched_timed_wait, "sched.timed_wait")
{
	uint64_t late[WAIT_SAMPLES];
	int event, timeouts = 0;

	for (int i = -WAIT_WARMUP; i < WAIT_SAMPLES; i++) {
		uint64_t deadline = mach_absolute_time() + WAIT_MIN_NS +
		    WAIT_STEP_NS * (uint64_t)((i + WAIT_WARMUP) % 10);
		wait_result_t wr;
		uint64_t now;

		(void)assert_wait_deadline(&event, THREAD_UNINT, deadline);
		wr = thread_block(THREAD_CONTINUE_NULL);
		now = mach_absolute_time();
		if (i < 0)
			continue;
		timeouts += wr == THREAD_TIMED_OUT;
		late[i] = now > deadline ? now - deadline : 0;
	}
	if (timeouts != WAIT_SAMPLES) {
		printf("# sched.timed_wait: %d of %d waits ended otherwise than by "
		    "their deadline; no figure\n", WAIT_SAMPLES - timeouts, WAIT_SAMPLES);
		return;
	}
	kbench_report("sched.timed_wait.lateness.median",
	    kbench_median(late, WAIT_SAMPLES), "ns");
	/* kbench_median sorted them: the last is the largest. */
	kbench_report("sched.timed_wait.lateness.max", late[WAIT_SAMPLES - 1], "ns");
}
