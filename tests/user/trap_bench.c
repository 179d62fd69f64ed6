/*
 * trap_bench - the cost of a null Mach trap, the kernel entry and exit
 * with as little work as possible between them.
 *
 *	trap_bench [ITERATIONS]		(default 100000)
 *
 * Calls class-1 trap 0, which no trap occupies (XNU answers it with
 * kern_invalid), ITERATIONS times and prints the mean cost of one call,
 * in TSC cycles and, if clock_gettime works, in nanoseconds, as
 * "name value unit" lines for `make bench`:
 *
 *	trap.mach_null 812 cycles
 *	trap.mach_null 290 ns
 *
 * Notes (the first trap's result, a missing clock) go to fd 2 as "# ..."
 * lines. Exits 0, or 2 for a bad argument.
 */

#include "lib/ulib.h"

#define DEFAULT_ITERATIONS	100000L
#define WARMUP_ITERATIONS	1000L
#define NSEC_PER_SEC		1000000000ULL

/* rdtsc kept in program order with the trap loop around it. */
static inline uint64_t
rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Monotonic nanoseconds, or 0 (with a note, once) if there is no clock. */
static uint64_t
now_ns(void)
{
	static int noted;
	struct timespec ts;
	int err = clock_gettime(CLOCK_MONOTONIC, &ts);

	if (err != 0) {
		if (!noted++)
			dprintf(2, "# trap_bench: clock_gettime failed (%d); no ns figure\n", err);
		return 0;
	}
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int
main(int argc, char **argv, char **envp)
{
	long n = DEFAULT_ITERATIONS;
	uint64_t c0, c1, t0, t1;
	char *end;

	(void)envp;
	if (argc > 1) {
		n = strtol(argv[1], &end, 0);
		if (*end != '\0' || n <= 0) {
			dprintf(2, "usage: trap_bench [ITERATIONS > 0]\n");
			return 2;
		}
	}
	dprintf(2, "# trap_bench: trap 0 returns %d\n", mach_null_trap());
	for (long i = 0; i < WARMUP_ITERATIONS; i++)
		mach_null_trap();

	t0 = now_ns();
	c0 = rdtsc_ordered();
	for (long i = 0; i < n; i++)
		mach_null_trap();
	c1 = rdtsc_ordered();
	t1 = now_ns();

	printf("trap.mach_null %llu cycles\n", (unsigned long long)((c1 - c0) / (uint64_t)n));
	if (t0 != 0 && t1 != 0)
		printf("trap.mach_null %llu ns\n", (unsigned long long)((t1 - t0) / (uint64_t)n));
	return 0;
}
