/*
 * serial.c - COM1 output by polling, input by polling or IRQ 4.
 *
 * Received bytes go into a small ring, from the interrupt handler or from a
 * poll in serial_getc(), so input works before interrupts are on and no
 * byte is lost to the handler racing a poll. If the ring is full, the byte
 * is dropped (counted) rather than blocking anything. The handler and a
 * poll may run on two CPUs at once: the ring and the UART's receive side
 * are under com1.lock (a hw_lock, interrupts off), so neither takes a byte
 * out of order or loses one.
 *
 * A driver (the I/O Kit's 16550 driver) may take the UART over through
 * console_takeover: serial_handoff then takes the interrupt handler off
 * IRQ 4 and stops reading the UART (what the ring holds is still read
 * out), while output stays possible, polled, for a panic.
 */

#include "kernel/x86_64/serial.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "mach/kern/simple_lock.h"

#define COM1		0x3f8
#define COM1_IRQ	4

#define UART_DATA	0	/* RBR / THR; DLL with DLAB */
#define UART_IER	1	/* DLM with DLAB */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE	0xc7	/* enable, clear both, 14-byte threshold */
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */
#define MCR_LOOPBACK	0x1e
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define IER_RX		0x01

#define RX_RING		256

/*
 * [L] lock, with interrupts off: the interrupt handler (on whichever CPU
 * takes IRQ 4) and a poll on another CPU must not drain into the ring at
 * once, or both write the same slot and a byte is lost. A leaf lock.
 */
static struct {
	hw_lock_data_t	lock;
	bool		present;
	bool		taken;		/* [L] a driver owns the UART's receive side */
	bool		irq_on;		/* serial_interrupt is on IRQ 4 */
	uint8_t		ring[RX_RING];
	unsigned	head, tail;	/* head: next to read; tail: next to fill */
	uint64_t	dropped;
} com1;

static void
serial_putc(int c)
{
	/* Bounded: a UART that never drains must not hang the kernel. */
	for (int spins = 0; spins < 100000; spins++) {
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Move what the UART holds into the ring. Interrupts off, lock held. */
static void
serial_drain(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY) {
		uint8_t c = inb(COM1 + UART_DATA);

		if ((com1.tail + 1) % RX_RING == com1.head) {
			com1.dropped++;
			continue;
		}
		com1.ring[com1.tail] = c;
		com1.tail = (com1.tail + 1) % RX_RING;
	}
}

static int
serial_getc(void)
{
	uint64_t rflags = get_rflags();
	int c = -1;

	__asm__ volatile("cli");
	hw_lock_lock(&com1.lock);
	if (!com1.taken)
		serial_drain();
	if (com1.head != com1.tail) {
		c = com1.ring[com1.head];
		com1.head = (com1.head + 1) % RX_RING;
	}
	hw_lock_unlock(&com1.lock);
	if (rflags & RFLAGS_IF)
		__asm__ volatile("sti");
	return c;
}

static void
serial_interrupt(void *refcon, unsigned irq)
{
	bool more;

	(void)refcon;
	(void)irq;
	hw_lock_lock(&com1.lock);
	if (!com1.taken)
		serial_drain();
	more = com1.head != com1.tail;
	hw_lock_unlock(&com1.lock);
	if (more)
		console_input_arrived();
}

static void serial_handoff(int taken);

static const struct console_device serial_console = {
	.cd_name = "com1",
	.cd_putc = serial_putc,
	.cd_getc = serial_getc,
	.cd_flags = CONSOLE_SERIAL,
	.cd_handoff = serial_handoff,
};

static void
serial_set_taken(bool taken)
{
	uint64_t rflags = get_rflags();

	__asm__ volatile("cli");
	hw_lock_lock(&com1.lock);
	com1.taken = taken;
	hw_lock_unlock(&com1.lock);
	if (rflags & RFLAGS_IF)
		__asm__ volatile("sti");
}

/* console_takeover's call: let a driver have the UART, or take it back. */
static void
serial_handoff(int taken)
{
	if (taken) {
		serial_set_taken(true);
		if (com1.irq_on &&
		    ml_remove_interrupt_handler(COM1_IRQ, serial_interrupt, NULL) == KERN_SUCCESS)
			com1.irq_on = false;
		return;
	}
	serial_set_taken(false);
	serial_enable_input_interrupt();
}

void
serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1);		/* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE);

	/* Is anything there? A UART in loopback echoes what it is sent. */
	outb(COM1 + UART_MCR, MCR_LOOPBACK);
	outb(COM1 + UART_DATA, 0xae);
	com1.present = inb(COM1 + UART_DATA) == 0xae;
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	if (com1.present)
		console_register(&serial_console);
}

void
serial_enable_input_interrupt(void)
{
	if (!com1.present || com1.irq_on)
		return;
	if (ml_install_interrupt_handler(COM1_IRQ, serial_interrupt, NULL) != KERN_SUCCESS)
		return;		/* cannot happen: the line has room at boot; input is polled */
	com1.irq_on = true;
	outb(COM1 + UART_IER, IER_RX);
}
