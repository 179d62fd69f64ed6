/*
 * zalloc_bench.c - what a zone element costs: one zalloc and one zfree of
 * a 64-byte element, in a zone of its own that already holds a free chunk
 * (the warm-up round grows it), so neither call reaches the page layer.
 *
 *	bench=zalloc.64
 *	    zalloc.64.alloc_free	zalloc + zfree: the median of
 *					KBENCH_ROUNDS rounds' mean per pair
 *					(kbench.h), in ns and TSC cycles
 *
 * In debug builds (DEBUG=1, the default) the pair also writes and checks
 * the element's poison (zalloc.h); build with DEBUG=0 to leave that out.
 */

#include "mach/kern/zalloc.h"

#include "kernel/console.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define ZALLOC_ITERATIONS	50000
#define ZALLOC_ELEM_SIZE	64

static void
zalloc_body(void *arg, uint64_t iterations)
{
	zone_t zone = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		void *elem = zalloc(zone);

		if (elem == NULL)
			return;		/* caught by the caller's count */
		zfree(zone, elem);
	}
}

KBENCH(zalloc_64, "zalloc.64")
{
	zone_t zone = zinit(ZALLOC_ELEM_SIZE, 0, 0, "bench.64");
	struct zone_info info;
	struct kbench_cost cost;

	if (zone == ZONE_NULL) {
		printf("# zalloc.64: no memory for a zone\n");
		return;
	}
	kbench_rounds(zalloc_body, zone, ZALLOC_ITERATIONS, &cost);
	zone_get_info(zone, &info);
	if (info.zi_failures == 0)
		kbench_report_cost("zalloc.64.alloc_free", &cost);
	else
		printf("# zalloc.64: %llu allocations failed; no figure\n",
		    (unsigned long long)info.zi_failures);
	zdestroy(zone);
}
