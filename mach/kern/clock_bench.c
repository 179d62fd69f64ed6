/*
 * clock_bench.c - what reading the clock costs.
 *
 *	bench=clock.mach_absolute_time
 *	    clock.mach_absolute_time	one call, ns and TSC cycles: the
 *					median of KBENCH_ROUNDS rounds' mean
 *					(kbench.h)
 *
 * Every benchmark reads the clock around its rounds; this is the cost that
 * the others' figures carry once per round, and what a caller of
 * mach_absolute_time pays (under TCG, an emulated rdtsc and a multiply).
 */

#include "mach/kern/clock.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define CLOCK_ITERATIONS	200000

static void
clock_body(void *arg, uint64_t iterations)
{
	volatile uint64_t *sink = arg;
	uint64_t sum = 0;

	for (uint64_t i = 0; i < iterations; i++)
		sum += mach_absolute_time();
	*sink = sum;
}

KBENCH(clock_mach_absolute_time, "clock.mach_absolute_time")
{
	volatile uint64_t sink;
	struct kbench_cost cost;

	kbench_rounds(clock_body, (void *)&sink, CLOCK_ITERATIONS, &cost);
	kbench_report_cost("clock.mach_absolute_time", &cost);
}
