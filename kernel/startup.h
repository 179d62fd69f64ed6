/*
 * startup.h - kernel_bootstrap(), the machine-independent start-up, and the
 * boot milestones it records.
 *
 * docs/startup.md walks through the order and why it is that order.
 */

#ifndef KERNEL_STARTUP_H
#define KERNEL_STARTUP_H

#include <stdint.h>

#include "kernel/boot_args.h"
#include "libkern/cdefs.h"

enum startup_milestone {
	MILESTONE_ENTRY,	/* the 32-bit entry (boot32.asm's TSC reading) */
	MILESTONE_CONSOLE,	/* every console device registered */
	MILESTONE_MEMORY,	/* kernel page tables, vm_phys and the heap up */
	MILESTONE_READY,	/* start-up done: tests, benchmarks or the console next */
	MILESTONE_COUNT
};

void	kernel_bootstrap(struct boot_args *args) __dead2;

/* startup_milestone_ns: nanoseconds from kernel entry to m; 0 if not reached. */
uint64_t startup_milestone_ns(enum startup_milestone m);
const char *startup_milestone_name(enum startup_milestone m);

/*
 * machine_init: the machine's part after memory (ACPI, CPU features, the
 * interrupt controllers, console input). Interrupts stay off: the
 * scheduler turns them on once it can take them.
 */
void	machine_init(void);

#endif /* KERNEL_STARTUP_H */
