/*
 * pic.c - 8259 set-up, masking, dispatch and end-of-interrupt.
 *
 * A spurious IRQ 7 or 15 (a line that dropped before the CPU acknowledged
 * it) is told apart by reading the in-service register: the bit is clear,
 * and the master gets no EOI for a spurious 7 (the slave's spurious 15 still
 * needs one on the master for the cascade).
 */

#include "kernel/x86_64/pic.h"

#include <stddef.h>

#include "kernel/x86_64/cpu.h"
#include "mach/kern/simple_lock.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20
#define PIC_READ_ISR	0x0b
#define ICW1_INIT	0x11	/* init, ICW4 needed */
#define ICW4_8086	0x01
#define PIC_CASCADE_IRQ	2
#define PIC_ELCR1	0x4d0
#define PIC_ELCR2	0x4d1
#define PIC_ELCR_VALID	0xdef8	/* 0, 1, 2, 8, 13 are edge whatever the register says */

/*
 * Locks: [p] pic.lock, a leaf hw_lock taken with interrupts off (the mask
 * registers are written from any CPU: handlers come and go on one, lines
 * are disabled by interrupt handlers and enabled by work-loop threads).
 */
static struct {
	hw_lock_data_t		lock;
	interrupt_handler_t	handlers[PIC_IRQS];	/* [p] */
	uint16_t		mask;			/* [p] 1 = masked: no handler */
	uint16_t		disabled;		/* [p] 1 = disabled (pic_disable_line) */
	uint8_t			disables[PIC_IRQS];	/* [p] disables outstanding */
	uint16_t		elcr;			/* [I] level-triggered lines */
	uint64_t		spurious;
} pic = { .mask = 0xffff };

static void
pic_write_mask(void)
{
	uint16_t m = pic.mask | pic.disabled;

	/* The cascade line stays open whenever a slave line is. */
	if ((m & 0xff00) != 0xff00)
		m &= (uint16_t)~(1u << PIC_CASCADE_IRQ);
	outb(PIC1_DATA, m & 0xff);
	outb(PIC2_DATA, m >> 8);
}

void
pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT);
	outb(PIC2_CMD, ICW1_INIT);
	outb(PIC1_DATA, T_IRQ_BASE);		/* ICW2: vector base */
	outb(PIC2_DATA, T_IRQ_BASE + 8);
	outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);	/* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, PIC_CASCADE_IRQ);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	hw_lock_init(&pic.lock);
	pic.mask = 0xffff;
	pic_write_mask();
	/* An absent ELCR reads 0xff: every line then counts as level, which costs a mask each. */
	pic.elcr = (uint16_t)((inb(PIC_ELCR1) | inb(PIC_ELCR2) << 8) & PIC_ELCR_VALID);
}

bool
pic_is_level(unsigned irq)
{
	return irq < PIC_IRQS && ((pic.elcr >> irq) & 1) != 0;
}

void
pic_disable_line(unsigned irq)
{
	uint64_t rflags = get_rflags();

	if (irq >= PIC_IRQS)
		return;
	__asm__ volatile("cli");
	hw_lock_lock(&pic.lock);
	if (pic.disables[irq]++ == 0) {
		pic.disabled |= (uint16_t)(1u << irq);
		pic_write_mask();
	}
	hw_lock_unlock(&pic.lock);
	if (rflags & RFLAGS_IF)
		__asm__ volatile("sti");
}

void
pic_enable_line(unsigned irq)
{
	uint64_t rflags = get_rflags();

	if (irq >= PIC_IRQS)
		return;
	__asm__ volatile("cli");
	hw_lock_lock(&pic.lock);
	if (pic.disables[irq] > 0 && --pic.disables[irq] == 0) {
		pic.disabled &= (uint16_t)~(1u << irq);
		pic_write_mask();
	}
	hw_lock_unlock(&pic.lock);
	if (rflags & RFLAGS_IF)
		__asm__ volatile("sti");
}

void
pic_set_handler(unsigned irq, interrupt_handler_t handler)
{
	uint64_t rflags = get_rflags();

	if (irq >= PIC_IRQS)
		return;
	__asm__ volatile("cli");
	hw_lock_lock(&pic.lock);
	pic.handlers[irq] = handler;
	if (handler != NULL)
		pic.mask &= (uint16_t)~(1u << irq);
	else
		pic.mask |= (uint16_t)(1u << irq);
	pic_write_mask();
	hw_lock_unlock(&pic.lock);
	if (rflags & RFLAGS_IF)
		__asm__ volatile("sti");
}

static int
pic_in_service(unsigned irq)
{
	uint16_t port = irq < 8 ? PIC1_CMD : PIC2_CMD;

	outb(port, PIC_READ_ISR);
	return (inb(port) >> (irq & 7)) & 1;
}

void
pic_dispatch(unsigned irq, struct x86_saved_state *ss)
{
	if ((irq == 7 || irq == 15) && !pic_in_service(irq)) {
		pic.spurious++;
		if (irq == 15)
			outb(PIC1_CMD, PIC_EOI);
		return;
	}
	if (pic.handlers[irq] != NULL)
		pic.handlers[irq](irq, ss);
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}
