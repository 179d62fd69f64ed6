/*
 * lapic.h - the local APIC of the boot CPU, so far only as the path the
 * 8259's interrupts take to the CPU.
 *
 * After reset the local APIC is enabled with every local interrupt masked,
 * and QEMU then delivers nothing from the 8259 (a BIOS usually programs
 * "virtual wire" mode; qboot does not). lapic_init() programs it: LINT0 as
 * ExtINT (the 8259's output), LINT1 as NMI, software-enabled with a
 * spurious vector. Its timer, one-shot, is the scheduler's clock (quantum
 * ends and timer calls), and its EOI ends the I/O APICs' interrupts too
 * (ioapic.h), once they replace the 8259.
 */

#ifndef KERNEL_X86_64_LAPIC_H
#define KERNEL_X86_64_LAPIC_H

#include <stdint.h>

#include "mach/boolean.h"

#define LAPIC_SPURIOUS_VECTOR	0xff
#define LAPIC_TIMER_VECTOR	0xf0
#define IPI_RESCHEDULE_VECTOR	0xf1	/* look at your ASTs */
#define IPI_TLB_VECTOR		0xf2	/* a TLB shootdown is pending */
#define IPI_HALT_VECTOR		0xf3	/* stop: another CPU panicked */

/*
 * lapic_init: this CPU's local APIC, enabled. The boot CPU takes the
 * 8259's interrupts through LINT0 (virtual wire); the others mask it.
 * No-op without an APIC.
 */
void	lapic_init(boolean_t boot_cpu);

/* lapic_mask_extint: stop taking the 8259's output on LINT0 (the I/O APIC took over). */
void	lapic_mask_extint(void);

/* lapic_id: this CPU's local APIC id. */
uint32_t lapic_id(void);

/* lapic_send_ipi: a fixed interrupt on vector to the CPU with apic_id. */
void	lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/*
 * lapic_start_ap: INIT, then two STARTUP IPIs pointing at the page at
 * physical address start_page (below 1 MiB, page aligned).
 */
void	lapic_start_ap(uint32_t apic_id, uint32_t start_page);

/* lapic_eoi: end of interrupt for a local APIC vector. */
void	lapic_eoi(void);

/*
 * lapic_timer_init: measure the APIC timer against the TSC (boot CPU, once)
 * and point this CPU's timer at LAPIC_TIMER_VECTOR, one-shot.
 */
void	lapic_timer_init(void);

/* lapic_timer_set_deadline: interrupt at mach absolute time deadline (UINT64_MAX: never). */
void	lapic_timer_set_deadline(uint64_t deadline);

/* lapic_timer_fired: this CPU's timer interrupt came; the timer is no longer armed. */
void	lapic_timer_fired(void);

#endif /* KERNEL_X86_64_LAPIC_H */
