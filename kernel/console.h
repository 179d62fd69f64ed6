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

#include "mach/kern_return.h"

#define CONSOLE_MAX_DEVICES	6

/*
 * A console device. cd_putc and cd_getc are called with the console lock
 * held and interrupts off: they must not block, sleep or print. A driver's
 * device (a kext's) must stay valid until console_unregister or
 * console_giveback has returned.
 */
struct console_device {
	const char	*cd_name;
	void		(*cd_putc)(int c);	/* NULL if read-only (a keyboard) */
	int		(*cd_getc)(void);	/* -1 when nothing waits; NULL if write-only */
	unsigned	cd_flags;
	/*
	 * cd_handoff: a driver takes the hardware over (true) or gives it
	 * back (false), console_takeover says how. Called without the
	 * console lock, interrupts on; NULL if the device cannot be taken
	 * over.
	 */
	void		(*cd_handoff)(int taken);
};

#define CONSOLE_SERIAL	0x1	/* wants \r\n line ends; the kprintf target */
/*
 * A taker whose cd_putc only writes memory and takes no lock of its own (a
 * framebuffer): after a panic output stays with it rather than going back
 * to the kernel's device, so the panic report reaches the screen it is on.
 */
#define CONSOLE_PANIC_SAFE	0x2

/* console_register: add a device; output reaches it from now on. */
void	console_register(const struct console_device *dev);

/*
 * console_unregister: remove dev (registered with console_register); when
 * this returns no CPU is in its cd_putc or cd_getc.
 */
void	console_unregister(const struct console_device *dev);

/*
 * console_takeover: a driver's dev takes the place of the kernel's device
 * called name (COM1's early driver is "com1"): the kernel's device is told
 * (cd_handoff(true): it stops taking the hardware's interrupts and reading
 * the hardware, though what it had read already is still read from it),
 * and output and input go through dev from then on. After a panic the
 * kernel's own device is used again (console_panic_mode), polled, whatever
 * the driver was doing, unless dev is CONSOLE_PANIC_SAFE. KERN_INVALID_ARGUMENT if no device of that name
 * can be taken over, KERN_NAME_EXISTS if it is taken already,
 * KERN_RESOURCE_SHORTAGE if the console has no room.
 * console_giveback: undo it (cd_handoff(false)); when it returns, no CPU
 * is in dev's routines.
 */
kern_return_t	console_takeover(const char *name, const struct console_device *dev);
void		console_giveback(const struct console_device *dev);

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
