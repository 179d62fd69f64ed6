/*
 * pic.h - the two 8259 interrupt controllers of the PC.
 *
 * At reset they deliver IRQs on vectors 8-15, on top of the CPU's exception
 * vectors, so they must be moved (to T_IRQ_BASE) and masked before anything
 * enables interrupts. Machina then unmasks only the lines it has a handler
 * for. The local APIC and I/O APIC replace them with SMP.
 */

#ifndef KERNEL_X86_64_PIC_H
#define KERNEL_X86_64_PIC_H

#include <stdbool.h>

#include "kernel/x86_64/trap.h"

#define PIC_IRQS	16

/* pic_init: remap to T_IRQ_BASE and mask every line. */
void	pic_init(void);

/* pic_set_handler: route irq to handler and unmask it (NULL masks it). */
void	pic_set_handler(unsigned irq, interrupt_handler_t handler);

/*
 * pic_is_level: whether irq is level-triggered: the chipset's edge/level
 * control registers (ELCR, ports 0x4d0 and 0x4d1, on PIIX and ICH), read
 * once by pic_init; the firmware sets the lines it routed PCI interrupts
 * to. IRQs 0, 1, 2, 8 and 13 are always edge.
 */
bool	pic_is_level(unsigned irq);

/*
 * pic_disable_line, pic_enable_line: mask irq, counted, whatever its
 * handler: the line stays masked until every disable has had its enable.
 * Any context; they take the PIC's lock with interrupts off (a leaf).
 */
void	pic_disable_line(unsigned irq);
void	pic_enable_line(unsigned irq);

/* pic_dispatch: called by trap_dispatch for vectors T_IRQ_BASE..+15. */
void	pic_dispatch(unsigned irq, struct x86_saved_state *ss);

#endif /* KERNEL_X86_64_PIC_H */
