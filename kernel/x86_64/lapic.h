/*
 * lapic.h - the local APIC of the boot CPU, so far only as the path the
 * 8259's interrupts take to the CPU.
 *
 * After reset the local APIC is enabled with every local interrupt masked,
 * and QEMU then delivers nothing from the 8259 (a BIOS usually programs
 * "virtual wire" mode; qboot does not). lapic_init() programs it: LINT0 as
 * ExtINT (the 8259's output), LINT1 as NMI, software-enabled with a
 * spurious vector. APIC timers, IPIs and the I/O APIC come with SMP.
 */

#ifndef KERNEL_X86_64_LAPIC_H
#define KERNEL_X86_64_LAPIC_H

#define LAPIC_SPURIOUS_VECTOR	0xff

/* lapic_init: virtual-wire mode on this CPU; no-op without an APIC. */
void	lapic_init(void);

#endif /* KERNEL_X86_64_LAPIC_H */
