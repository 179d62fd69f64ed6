/*
 * ioapic.h - the I/O APICs: where device interrupt lines reach the CPUs
 * once the 8259s are put aside.
 *
 * The MADT (ACPI's "APIC" table) lists each I/O APIC with the first
 * global system interrupt (GSI) its pins carry, and the interrupt source
 * overrides: ISA IRQ 0 arriving on GSI 2, the PCI-routed ISA lines being
 * level-triggered, and so on. Machina keeps the ISA numbering its drivers
 * and the PCI family already use: interrupt line n below 16 is ISA IRQ n,
 * wherever an override puts it; lines 16 and up are GSIs of the same
 * number. Each line is delivered, fixed and in physical destination mode,
 * to the boot CPU on vector T_IRQ_BASE + line, with the trigger and
 * polarity the override gives (ISA's edge, active high, when none does;
 * the ELCR's level for lines the firmware routed PCI to without an
 * override).
 *
 * The table is untrusted like every firmware table: an I/O APIC entry
 * whose registers do not answer, a GSI base that overlaps another, or an
 * override naming a GSI no I/O APIC has, is logged and skipped; with no
 * usable I/O APIC, ioapic_init returns false and the 8259s stay.
 *
 * Masking is counted like the 8259's (pic.h): a line is unmasked while it
 * has a handler and no outstanding disable.
 *
 * Locks: [a] ioapic.lock, a leaf hw_lock taken with interrupts off (the
 * index/data register pair of each I/O APIC is one critical section; the
 * mask state changes from any CPU). It is taken inside a line's lock in
 * ml_interrupt.c, like the 8259's.
 */

#ifndef KERNEL_X86_64_IOAPIC_H
#define KERNEL_X86_64_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/x86_64/trap.h"

/* Lines Machina hands out with I/O APICs: vectors T_IRQ_BASE .. T_IRQ_BASE + 47. */
#define IOAPIC_MAX_LINES	48

/*
 * ioapic_init: read the MADT, mask every pin and program each line's
 * trigger, polarity, vector and destination (the calling CPU, which must
 * be the boot CPU). true if at least one I/O APIC is usable, and then
 * the interrupt path is theirs: the caller masks the 8259s' output.
 */
bool	ioapic_init(void);

/* ioapic_active: whether ioapic_init took over. */
bool	ioapic_active(void);

/* ioapic_line_count: the lines there are (highest routable line + 1). */
unsigned ioapic_line_count(void);

/* ioapic_line_usable: whether line has a pin (an override can take a line's GSI). */
bool	ioapic_line_usable(unsigned line);

/* ioapic_is_level: whether line is level-triggered. */
bool	ioapic_is_level(unsigned line);

/* ioapic_set_handler: route line to handler and unmask it (NULL masks it). */
void	ioapic_set_handler(unsigned line, interrupt_handler_t handler);

/* ioapic_disable_line, ioapic_enable_line: counted masking, any context. */
void	ioapic_disable_line(unsigned line);
void	ioapic_enable_line(unsigned line);

/* ioapic_dispatch: the interrupt on line's vector: its handler, then the EOI. */
void	ioapic_dispatch(unsigned line, struct x86_saved_state *ss);

/*
 * ioapic_describe: one line of text for line ("GSI 2, edge, active high,
 * ioapic 0 pin 2"), for the log and the tests. Returns buf.
 */
const char *ioapic_describe(unsigned line, char *buf, unsigned size);

#endif /* KERNEL_X86_64_IOAPIC_H */
