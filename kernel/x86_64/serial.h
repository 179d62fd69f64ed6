/*
 * serial.h - COM1, the 16550 UART every PC and QEMU has: the console that
 * tests, `make run` and panics rely on.
 */

#ifndef KERNEL_X86_64_SERIAL_H
#define KERNEL_X86_64_SERIAL_H

/*
 * serial_init: 115200 8N1 with FIFOs; registers COM1 as a console device
 * if a loopback test finds a UART there.
 */
void	serial_init(void);

/* serial_enable_input_interrupt: deliver received bytes by IRQ 4. */
void	serial_enable_input_interrupt(void);

#endif /* KERNEL_X86_64_SERIAL_H */
