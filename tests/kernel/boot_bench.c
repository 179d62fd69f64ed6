/*
 * boot_bench.c - benchmarks of start-up itself, and the CPU-speed probe
 * tools/machina_qemu.py uses to tell real KVM from a slow one.
 *
 *	bench=boot	boot.entry_to_console, boot.entry_to_memory, ... (us)
 *	bench=cpu.loop	cpu.loop_ps_per_iteration
 */

#include "kernel/startup.h"
#include "mach/kern/clock.h"
#include "tests/ktest.h"

KBENCH(boot, "boot")
{
	char name[48];

	for (int m = MILESTONE_CONSOLE; m < MILESTONE_COUNT; m++) {
		snprintf(name, sizeof(name), "boot.entry_to_%s", startup_milestone_name(m));
		kbench_report(name, startup_milestone_ns(m) / NSEC_PER_USEC, "us");
	}
	kbench_report("boot.tsc_frequency", rtclock_tsc_hz() / 1000000, "MHz");
}

#define LOOP_ITERATIONS	20000000ULL

KBENCH(cpu_loop, "cpu.loop")
{
	volatile uint64_t sink = 0;
	uint64_t t0, t1;

	t0 = mach_absolute_time();
	for (uint64_t i = 0; i < LOOP_ITERATIONS; i++)
		sink += i;
	t1 = mach_absolute_time();
	kbench_report("cpu.loop_ps_per_iteration", (t1 - t0) * 1000 / LOOP_ITERATIONS, "ps");
}
