/*
 * IOInterruptEventSource_bench.c - how long from an interrupt to its
 * action on the work loop's thread.
 *
 *	bench=iokit.*
 *	    iokit.interrupt_to_workloop		median and maximum, ns
 *
 * Each sample simulates one interrupt on line 3 (ml_simulate_interrupt:
 * the registered primary handlers, with interrupts off, as the interrupt
 * path calls them) and times from just before it to the action's first
 * instruction, on the loop's thread: the primary handler, the wake-up,
 * the switch to the loop's thread (which may be on the other CPU) and the
 * pass over the loop's sources. The median of the samples is the figure;
 * the maximum shows the tail. The 8259 and the CPU's own interrupt entry
 * are not in it (the simulation starts after them).
 */

#include "iokit/Kernel/IOInterruptEventSource.h"

#include "iokit/Kernel/IOWorkLoop.h"
#include "kernel/console.h"
#include "kernel/machine_routines.h"
#include "mach/kern/clock.h"
#include "mach/kern/thread.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define BENCH_IRQ	3
#define BENCH_SAMPLES	401

struct latency {
	volatile uint64_t	start;
	volatile uint64_t	at;	/* when the action ran; 0 until it has */
};

static void
latency_action(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct latency *l = (struct latency *)owner;

	(void)sender;
	(void)count;
	__atomic_store_n(&l->at, mach_absolute_time(), __ATOMIC_RELEASE);
}

KBENCH(iokit_interrupt_to_workloop, "iokit.interrupt_to_workloop")
{
	static uint64_t samples[BENCH_SAMPLES];
	struct latency l = { 0, 0 };
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	IOInterruptEventSource *ies;
	thread_t t;
	unsigned n = 0;
	uint64_t max = 0;

	if (wl == NULL) {
		printf("# iokit.interrupt_to_workloop: no memory for a work loop\n");
		return;
	}
	t = IOWorkLoop_getThread(wl);
	thread_reference(t);
	ies = IOInterruptEventSource_interruptEventSource((OSObject *)&l, latency_action,
	    BENCH_IRQ);
	if (ies == NULL || IOWorkLoop_addEventSource(wl, &ies->ies_es) != kIOReturnSuccess) {
		printf("# iokit.interrupt_to_workloop: cannot set up the source\n");
		goto out;
	}
	IOEventSource_enable(&ies->ies_es);
	for (unsigned i = 0; i < BENCH_SAMPLES + 1; i++) {
		__atomic_store_n(&l.at, 0, __ATOMIC_RELAXED);
		l.start = mach_absolute_time();
		(void)ml_simulate_interrupt(BENCH_IRQ);
		if (!ktest_wait_until(__atomic_load_n(&l.at, __ATOMIC_ACQUIRE) != 0, 1000)) {
			printf("# iokit.interrupt_to_workloop: the action never ran\n");
			break;
		}
		if (i == 0)
			continue;	/* warm-up */
		samples[n] = l.at - l.start;
		if (samples[n] > max)
			max = samples[n];
		n++;
	}
	if (n > 0) {
		kbench_report("iokit.interrupt_to_workloop", kbench_median(samples, n), "ns");
		kbench_report("iokit.interrupt_to_workloop.max", max, "ns");
	}
	(void)IOWorkLoop_removeEventSource(wl, &ies->ies_es);
out:
	OSSafeReleaseNULL(ies);
	OSSafeReleaseNULL(wl);
	ktest_thread_join(t);
}
