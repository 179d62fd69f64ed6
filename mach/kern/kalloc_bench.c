/*
 * kalloc_bench.c - what kalloc costs for a small and a page-sized request:
 * one kalloc and one kfree, in the size class's shared zone (kalloc.64,
 * kalloc.4096), with whatever else the kernel holds in it.
 *
 *	bench=kalloc.*
 *	    kalloc.64.alloc_free	kalloc(64) + kfree
 *	    kalloc.4096.alloc_free	kalloc(4096) + kfree
 *
 * Each figure, in ns and TSC cycles, is the median of KBENCH_ROUNDS rounds'
 * mean per pair (kbench.h). In debug builds (DEBUG=1, the default) each
 * pair also writes and checks the element's poison, which for 4096 bytes
 * is most of the cost; build with DEBUG=0 to leave that out.
 */

#include "mach/kern/kalloc.h"

#include "kernel/console.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define KALLOC_ITERATIONS	20000

struct kalloc_run {
	vm_size_t	size;
	uint64_t	failures;
};

static void
kalloc_body(void *arg, uint64_t iterations)
{
	struct kalloc_run *run = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		void *p = kalloc(run->size);

		if (p == NULL) {
			run->failures++;
			continue;
		}
		kfree(p, run->size);
	}
}

static void
kalloc_bench(vm_size_t size, const char *figure)
{
	struct kalloc_run run = { .size = size };
	struct kbench_cost cost;

	kbench_rounds(kalloc_body, &run, KALLOC_ITERATIONS, &cost);
	if (run.failures == 0)
		kbench_report_cost(figure, &cost);
	else
		printf("# %s: %llu allocations failed; no figure\n", figure,
		    (unsigned long long)run.failures);
}

KBENCH(kalloc_64, "kalloc.64")
{
	kalloc_bench(64, "kalloc.64.alloc_free");
}

KBENCH(kalloc_4096, "kalloc.4096")
{
	kalloc_bench(4096, "kalloc.4096.alloc_free");
}
