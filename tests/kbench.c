/*
 * kbench.c - clocks, medians and rounds for the in-kernel benchmarks.
 */

#include "tests/kbench.h"

#include "libkern/printf.h"
#include "mach/kern/clock.h"
#include "tests/ktest.h"

void
kbench_clock_read(struct kbench_clock *now)
{
	now->kk_tsc = rtclock_read_tsc();
	now->kk_ns = mach_absolute_time();
}

void
kbench_cost_since(const struct kbench_clock *start, uint64_t n, struct kbench_cost *out)
{
	struct kbench_clock end;

	kbench_clock_read(&end);
	out->kc_ns = (end.kk_ns - start->kk_ns + n / 2) / n;
	out->kc_cycles = (end.kk_tsc - start->kk_tsc + n / 2) / n;
}

uint64_t
kbench_median(uint64_t *values, unsigned n)
{
	/* Insertion sort: a benchmark sorts a few hundred values at most. */
	for (unsigned i = 1; i < n; i++) {
		uint64_t v = values[i];
		unsigned j;

		for (j = i; j > 0 && values[j - 1] > v; j--)
			values[j] = values[j - 1];
		values[j] = v;
	}
	return values[n / 2];
}

void
kbench_cost_median(const struct kbench_cost *costs, unsigned n, struct kbench_cost *out)
{
	uint64_t ns[KBENCH_ROUNDS], cycles[KBENCH_ROUNDS];

	if (n > KBENCH_ROUNDS)
		n = KBENCH_ROUNDS;
	for (unsigned i = 0; i < n; i++) {
		ns[i] = costs[i].kc_ns;
		cycles[i] = costs[i].kc_cycles;
	}
	out->kc_ns = kbench_median(ns, n);
	out->kc_cycles = kbench_median(cycles, n);
}

void
kbench_rounds(void (*body)(void *arg, uint64_t iterations), void *arg,
    uint64_t iterations, struct kbench_cost *out)
{
	struct kbench_cost costs[KBENCH_ROUNDS];
	struct kbench_clock start;

	body(arg, iterations);		/* warm-up: caches, TCG's translations */
	for (unsigned r = 0; r < KBENCH_ROUNDS; r++) {
		kbench_clock_read(&start);
		body(arg, iterations);
		kbench_cost_since(&start, iterations, &costs[r]);
	}
	kbench_cost_median(costs, KBENCH_ROUNDS, out);
}

void
kbench_report_cost(const char *name, const struct kbench_cost *cost)
{
	char cycles_name[96];

	kbench_report(name, cost->kc_ns, "ns");
	snprintf(cycles_name, sizeof(cycles_name), "%s.cycles", name);
	kbench_report(cycles_name, cost->kc_cycles, "cycles");
}
