/*
 * machine_routines_md.h - the ml_* calls every lock, trap and switch makes,
 * inline, for code built into the kernel image (XNU_KERNEL_PRIVATE).
 *
 * kernel/machine_routines.h includes this (through kernel/machine/) after
 * declaring the functions, and it turns their calls into these bodies
 * with function-like macros:
 *   ml_set_interrupts_enabled(e)	ml_set_interrupts_enabled_fast(e)
 *   ml_get_interrupts_enabled()	ml_get_interrupts_enabled_fast()
 *   cpu_number()			get_cpu_number()	(XNU's name)
 *
 * Why: under QEMU's TCG a call ends a translated block and its return is
 * an indirect jump, looked up in a cache the next CR3 load empties; a Mach
 * message's trap made ten calls to ml_set_interrupts_enabled alone, each
 * costing more than the few instructions inside. On hardware it saves the
 * call too. docs/performance.md has the measurements.
 *
 * The out-of-line functions in machine_routines.c stay, with the same
 * behaviour: kexts call them (their binaries must not depend on the layout
 * of struct cpu_data), and so can gdb. They are defined as
 * `(name)(args)`, which the macros do not touch.
 */

#ifndef KERNEL_X86_64_MACHINE_ROUTINES_MD_H
#define KERNEL_X86_64_MACHINE_ROUTINES_MD_H

#include <stddef.h>

#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "mach/boolean.h"

/* Set IF to enable; the state before. A compiler barrier either way. */
static inline boolean_t
ml_set_interrupts_enabled_fast(boolean_t enable)
{
	boolean_t was = (get_rflags() & RFLAGS_IF) != 0;

	if (enable)
		__asm__ volatile("sti" ::: "memory");
	else
		__asm__ volatile("cli" ::: "memory");
	return was;
}

static inline boolean_t
ml_get_interrupts_enabled_fast(void)
{
	return (get_rflags() & RFLAGS_IF) != 0;
}

/* This CPU's number, one load from its block (volatile: not moved across a switch). */
static inline unsigned int
get_cpu_number(void)
{
	unsigned int n;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(n)
	    : "i"(offsetof(struct cpu_data, cpu_number)));
	return n;
}

#define ml_set_interrupts_enabled(enable)	ml_set_interrupts_enabled_fast(enable)
#define ml_get_interrupts_enabled()		ml_get_interrupts_enabled_fast()
#define cpu_number()				get_cpu_number()

#endif /* KERNEL_X86_64_MACHINE_ROUTINES_MD_H */
