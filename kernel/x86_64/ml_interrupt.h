/*
 * ml_interrupt.h - the x86-64 side of the interrupt lines of
 * kernel/machine_routines.h: which controller carries them, the path from
 * an interrupt vector to a line's handlers, and the storm check.
 *
 * Lines are ISA IRQ numbers below 16 and GSIs above, on vectors
 * T_IRQ_BASE + line (ioapic.h). With I/O APICs (the default whenever the
 * MADT lists a usable one) there are as many lines as their pins reach;
 * without (none, or boot-arg ioapic=0) the 8259s' sixteen.
 *
 * A line that interrupts more than ML_STORM_LIMIT times within
 * ML_STORM_WINDOW_NS is disabled for ML_STORM_PAUSE_NS and logged; only
 * interrupts that came from the controller count (ml_simulate_interrupt's
 * do not, so benchmarks may simulate at any rate).
 */

#ifndef KERNEL_X86_64_ML_INTERRUPT_H
#define KERNEL_X86_64_ML_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/x86_64/trap.h"

#define ML_STORM_WINDOW_NS	100000000ULL	/* 100 ms */
#define ML_STORM_LIMIT		5000u		/* interrupts in one window: 50,000 a second */
#define ML_STORM_PAUSE_NS	1000000000ULL	/* 1 s */

/*
 * ml_interrupt_controller_init: pick the controller (after acpi_init and
 * the boot CPU's lapic_init; before drivers install handlers, though
 * lines that have handlers move over).
 */
void	ml_interrupt_controller_init(void);

/* ml_interrupt_controller_name: "ioapic" or "8259". */
const char *ml_interrupt_controller_name(void);

/* ml_interrupt_vector: trap.c's entry for vectors T_IRQ_BASE .. + IOAPIC_MAX_LINES. */
void	ml_interrupt_vector(unsigned irq, struct x86_saved_state *ss);

/*
 * ml_interrupt_deliver: line irq's handlers and the storm check, as for an
 * interrupt from the controller (which is not touched); interrupts must be
 * off. For the tests.
 */
void	ml_interrupt_deliver(unsigned irq);

/* ml_interrupt_storm_paused: whether the storm check has irq disabled now. */
bool	ml_interrupt_storm_paused(unsigned irq);

/* ml_interrupt_storms: how many times irq was disabled for storming. */
uint32_t ml_interrupt_storms(unsigned irq);

#endif /* KERNEL_X86_64_ML_INTERRUPT_H */
