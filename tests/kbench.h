/*
 * kbench.h - measuring for the in-kernel benchmarks (KBENCH in ktest.h).
 *
 * Benchmarks time their work in two units at once: nanoseconds of mach
 * absolute time and cycles of the TSC (under TCG the guest's TSC follows the
 * host's, so cycles are the host's). A figure is one of:
 *
 *   - a cost per operation: the median, over KBENCH_ROUNDS timed rounds of
 *     the same number of iterations run after one untimed warm-up round, of
 *     each round's mean cost per iteration. The median throws away rounds
 *     the host or an interrupt slowed; the mean inside a round smooths the
 *     clock's granularity. kbench_rounds does all of it for a loop body;
 *     benchmarks whose loop runs on other threads time their own rounds
 *     with kbench_clock_read and kbench_cost_since.
 *   - a distribution of single events (lateness of timers): its median
 *     and maximum, with kbench_median.
 *
 * Figures are printed as "name value unit" lines (kbench_report); a cost
 * is two lines, "name N ns" and "name.cycles N cycles".
 *
 * Contexts: thread context; nothing here sleeps or allocates.
 */

#ifndef TESTS_KBENCH_H
#define TESTS_KBENCH_H

#include <stdint.h>

#define KBENCH_ROUNDS	7	/* timed rounds; odd: the median is one of them */

/* A moment, in both units. */
struct kbench_clock {
	uint64_t	kk_ns;		/* mach_absolute_time() */
	uint64_t	kk_tsc;		/* the TSC */
};

/* A cost per iteration, in both units (rounded to the nearest). */
struct kbench_cost {
	uint64_t	kc_ns;
	uint64_t	kc_cycles;
};

/* kbench_clock_read: now. */
void		kbench_clock_read(struct kbench_clock *now);

/* kbench_cost_since: the mean cost of each of n iterations (n > 0) since start. */
void		kbench_cost_since(const struct kbench_clock *start, uint64_t n,
		    struct kbench_cost *out);

/* kbench_median: the median of n values (the upper one if n is even); sorts them. */
uint64_t	kbench_median(uint64_t *values, unsigned n);

/* kbench_cost_median: the median of n costs, each unit on its own. */
void		kbench_cost_median(const struct kbench_cost *costs, unsigned n,
		    struct kbench_cost *out);

/*
 * kbench_rounds: run body(arg, iterations) once to warm up, then
 * KBENCH_ROUNDS times timed; out gets the median round's cost per iteration.
 */
void		kbench_rounds(void (*body)(void *arg, uint64_t iterations), void *arg,
		    uint64_t iterations, struct kbench_cost *out);

/* kbench_report_cost: "name N ns" and "name.cycles N cycles". */
void		kbench_report_cost(const char *name, const struct kbench_cost *cost);

#endif /* TESTS_KBENCH_H */
