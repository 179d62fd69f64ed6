/*
 * console.h - the kernel console: printf, the devices behind it, and input.
 *
 * printf() formats once (libkern's doprnt) and sends each character to the
 * kernel log (msgbuf) and to every registered console device: the serial
 * port and the screen. Input comes from the devices that can read (the
 * serial port), one character at a time.
 *
 * kprintf() is XNU's debugging printf: silent unless the debug boot-arg has
 * DB_KPRT (to the serial port only) or DB_PRT (to the whole console).
 *
 * Locks: the console lock, a hw_lock taken with interrupts off, serializes
 * output so lines from different contexts do not interleave by character.
 * Once the kernel panics, the lock is no longer taken (console_panic_mode):
 * the panicking CPU must be able to print even if it died holding it.
 * Lock order: the console lock is a leaf.
 */

#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#include "libkern/cdefs.h"

#define CONSOLE_MAX_DEVICES	4

struct console_device {
	const char	*cd_name;
	void		(*cd_putc)(int c);
	int		(*cd_getc)(void);	/* -1 when nothing waits; NULL if write-only */
	unsigned	cd_flags;
};

#define CONSOLE_SERIAL	0x1	/* wants \r\n line ends; the kprintf target */

/* console_register: add a device; output reaches it from now on. */
void	console_register(const struct console_device *dev);

int	printf(const char *fmt, ...) __printflike(1, 2);
int	vprintf(const char *fmt, va_list ap);
int	kprintf(const char *fmt, ...) __printflike(1, 2);

/* console_write: n characters, as printf would send them. */
void	console_write(const char *s, size_t n);

/* cons_getc: the next input character from any device, or -1. Never blocks. */
int	cons_getc(void);

/*
 * cons_getc_wait: the next input character, sleeping until there is one
 * (the thread blocks; before the scheduler runs, the CPU halts instead).
 */
int	cons_getc_wait(void);

/*
 * Who takes console input: the kernel console's own line editor
 * (kconsole, at its prompt) or the console tty (bsd/dev/cons.c: a `run`
 * program, or init and its shell when the kernel console is not running).
 * Only the owner's reads get characters, so the two never both eat
 * input. Nobody owns it during boot: what is typed ahead waits in the
 * device (up to its ring's size) for the kernel console, or for init's
 * tty once load_init_program hands input to it.
 */
#define CONS_INPUT_NONE		0
#define CONS_INPUT_TTY		1
#define CONS_INPUT_KCONSOLE	2

/* cons_input_set_owner: hand input over; wakes every reader to look again. */
void	cons_input_set_owner(int owner);
int	cons_input_owner(void);

/*
 * cons_getc_wait_owner: as cons_getc_wait, for owner: sleeps while there
 * is no input or owner does not own it.
 */
int	cons_getc_wait_owner(int owner);

/*
 * console_write_raw: n bytes to every device exactly as given (no \r
 * added before \n: the tty's output processing has done that), and to
 * the log without the \r.
 */
void	console_write_raw(const char *s, size_t n);

/* console_input_arrived: a device has input; wakes cons_getc_wait. From interrupts. */
void	console_input_arrived(void);

/* console_panic_mode: stop taking the console lock; used by panic(). */
void	console_panic_mode(void);

#endif /* KERNEL_CONSOLE_H */
