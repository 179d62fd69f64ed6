/*
 * timer_call_bench.c - how late timer callouts run.
 *
 *	bench=timer_call.lateness
 *	    timer_call.lateness.median	ns from a callout's deadline to the
 *	    timer_call.lateness.max	moment it ran (its own reading of
 *					mach_absolute_time), over every sample
 *
 * Each round arms TIMER_CALLS callouts on this CPU at deadlines spread
 * evenly over TIMER_SPREAD_NS, starting TIMER_LEAD_NS ahead, and sleeps
 * while they fire, so most find the CPU idle (halted) as a real timeout
 * would; TIMER_ROUNDS rounds after an untimed warm-up round. The lateness
 * is the local APIC timer's programming and the interrupt's delivery and
 * dispatch, plus the callouts queued ahead of it at the same instant.
 */

#include "mach/kern/timer_call.h"

#include "kernel/console.h"
#include "iokit/Kernel/IOLib.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define TIMER_CALLS	50
#define TIMER_ROUNDS	4
#define TIMER_SPREAD_NS	(20 * NSEC_PER_MSEC)
#define TIMER_LEAD_NS	(2 * NSEC_PER_MSEC)
#define TIMER_GRACE_MS	1000		/* past the last deadline: lost */

struct timer_sample {
	timer_call_data_t	ts_call;
	uint64_t		ts_deadline;
	volatile uint64_t	ts_fired;	/* 0 until the callout runs */
};

/* In interrupt context: note the time, and nothing else. */
static void
timer_sample_fire(void *param0, void *param1)
{
	struct timer_sample *ts = param0;

	(void)param1;
	__atomic_store_n(&ts->ts_fired, mach_absolute_time(), __ATOMIC_RELEASE);
}

static boolean_t
all_fired(struct timer_sample *samples)
{
	for (int i = 0; i < TIMER_CALLS; i++) {
		if (__atomic_load_n(&samples[i].ts_fired, __ATOMIC_ACQUIRE) == 0)
			return FALSE;
	}
	return TRUE;
}

/*
 * One round: arm, sleep through it, collect lateness into late[] (which
 * has room for TIMER_CALLS more). Returns how many callouts never ran
 * (they are cancelled).
 */
static int
timer_round(struct timer_sample *samples, uint64_t *late)
{
	uint64_t start = mach_absolute_time() + TIMER_LEAD_NS;
	int lost = 0;
	unsigned waited = 0;

	for (int i = 0; i < TIMER_CALLS; i++) {
		struct timer_sample *ts = &samples[i];

		ts->ts_fired = 0;
		ts->ts_deadline = start + TIMER_SPREAD_NS * (uint64_t)i / TIMER_CALLS;
		timer_call_setup(&ts->ts_call, timer_sample_fire, ts);
		(void)timer_call_enter(&ts->ts_call, ts->ts_deadline, 0);
	}
	IOSleep((TIMER_LEAD_NS + TIMER_SPREAD_NS) / NSEC_PER_MSEC + 1);
	while (!all_fired(samples) && waited++ < TIMER_GRACE_MS)
		IOSleep(1);
	for (int i = 0; i < TIMER_CALLS; i++) {
		struct timer_sample *ts = &samples[i];

		if (timer_call_cancel(&ts->ts_call)) {
			lost++;
			continue;
		}
		/* Off its queue: it ran, or is running on another CPU right now. */
		if (!ktest_wait_until(ts->ts_fired != 0, TIMER_GRACE_MS)) {
			lost++;
			continue;
		}
		late[i] = ts->ts_fired > ts->ts_deadline ?
		    ts->ts_fired - ts->ts_deadline : 0;
	}
	return lost;
}

KBENCH(timer_call_lateness, "timer_call.lateness")
{
	struct timer_sample *samples = kalloc(TIMER_CALLS * sizeof(*samples));
	uint64_t *late = kalloc(TIMER_ROUNDS * TIMER_CALLS * sizeof(*late));
	int lost = 0;

	if (samples == NULL || late == NULL) {
		printf("# timer_call.lateness: no memory for the samples\n");
		goto out;
	}
	(void)timer_round(samples, late);		/* warm-up */
	for (int r = 0; r < TIMER_ROUNDS; r++)
		lost += timer_round(samples, late + r * TIMER_CALLS);
	if (lost != 0) {
		printf("# timer_call.lateness: %d callouts never ran; no figure\n", lost);
		goto out;
	}
	kbench_report("timer_call.lateness.median",
	    kbench_median(late, TIMER_ROUNDS * TIMER_CALLS), "ns");
	/* kbench_median sorted them: the last is the largest. */
	kbench_report("timer_call.lateness.max", late[TIMER_ROUNDS * TIMER_CALLS - 1],
	    "ns");
out:
	if (samples != NULL)
		kfree(samples, TIMER_CALLS * sizeof(*samples));
	if (late != NULL)
		kfree(late, TIMER_ROUNDS * TIMER_CALLS * sizeof(*late));
}
