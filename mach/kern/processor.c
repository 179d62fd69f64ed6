/*
 * processor.c - the processors' table.
 */

#include "mach/kern/processor.h"

#include "libkern/string.h"

/* Page-aligned: the boot CPU's, which every switch touches, in one page. */
struct processor processor_array[MAX_PROCESSORS] __aligned(PAGE_SIZE);
unsigned processor_count __hot_data;

void
processor_init(processor_t processor, int cpu)
{
	memset(processor, 0, sizeof(*processor));
	processor->cpu_id = cpu;
	processor->state = PROCESSOR_OFF_LINE;
	processor->quantum_end = UINT64_MAX;
	run_queue_init(&processor->runq);
	timer_queue_init(&processor->timer_queue);
	if ((unsigned)cpu + 1 > processor_count)
		processor_count = (unsigned)cpu + 1;
}
