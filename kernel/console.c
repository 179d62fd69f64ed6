/*
 * console.c - one printf for the log and every console device.
 */

#include "kernel/console.h"

#include "kernel/debug.h"
#include "kernel/msgbuf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"

/*
 * The console's state: [L] cons_lock. A slot's device may be taken over by
 * a driver's (takenby[i]): output then goes to the driver's device, and
 * input is read from the kernel's device (what it had already read) and
 * then from the driver's. A panicking kernel uses its own devices only,
 * but for a taker that says it is safe then (CONSOLE_PANIC_SAFE).
 */
static struct {
	hw_lock_data_t			lock;
	unsigned			ndevices;	/* [L] */
	const struct console_device	*devices[CONSOLE_MAX_DEVICES]; /* [L] */
	const struct console_device	*takenby[CONSOLE_MAX_DEVICES]; /* [L] */
	int				input_owner;	/* [L] CONS_INPUT_* */
	volatile int			panicking;	/* set once, never cleared */
} cons = { .lock = HW_LOCK_INITIALIZER };

static boolean_t
cons_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	if (!cons.panicking)
		hw_lock_lock(&cons.lock);
	return s;
}

static void
cons_unlock(boolean_t s)
{
	if (!cons.panicking)
		hw_lock_unlock(&cons.lock);
	ml_set_interrupts_enabled(s);
}

void
console_register(const struct console_device *dev)
{
	boolean_t s = cons_lock();

	if (cons.ndevices < CONSOLE_MAX_DEVICES)
		cons.devices[cons.ndevices++] = dev;
	cons_unlock(s);
}

void
console_unregister(const struct console_device *dev)
{
	boolean_t s = cons_lock();

	for (unsigned i = 0; i < cons.ndevices; i++) {
		if (cons.devices[i] != dev)
			continue;
		for (unsigned j = i; j + 1 < cons.ndevices; j++) {
			cons.devices[j] = cons.devices[j + 1];
			cons.takenby[j] = cons.takenby[j + 1];
		}
		cons.ndevices--;
		cons.devices[cons.ndevices] = NULL;
		cons.takenby[cons.ndevices] = NULL;
		break;
	}
	cons_unlock(s);
}

kern_return_t
console_takeover(const char *name, const struct console_device *dev)
{
	const struct console_device *old = NULL;
	kern_return_t kr = KERN_INVALID_ARGUMENT;
	boolean_t s;

	if (name == NULL || dev == NULL || dev->cd_putc == NULL)
		return KERN_INVALID_ARGUMENT;
	s = cons_lock();
	for (unsigned i = 0; i < cons.ndevices; i++) {
		if (strcmp(cons.devices[i]->cd_name, name) != 0 ||
		    cons.devices[i]->cd_handoff == NULL)
			continue;
		if (cons.takenby[i] != NULL) {
			kr = KERN_NAME_EXISTS;
			break;
		}
		cons.takenby[i] = dev;
		old = cons.devices[i];
		kr = KERN_SUCCESS;
		break;
	}
	cons_unlock(s);
	/* Output already goes to dev; now the kernel's device lets the hardware go. */
	if (old != NULL)
		old->cd_handoff(1);
	return kr;
}

void
console_giveback(const struct console_device *dev)
{
	const struct console_device *old = NULL;
	boolean_t s = cons_lock();

	for (unsigned i = 0; i < cons.ndevices; i++) {
		if (cons.takenby[i] == dev) {
			cons.takenby[i] = NULL;
			old = cons.devices[i];
			break;
		}
	}
	cons_unlock(s);
	if (old != NULL)
		old->cd_handoff(0);
}

void
console_panic_mode(void)
{
	cons.panicking = 1;
}

/* The device that does slot i's output. Locks: console lock held (or panicking). */
static const struct console_device *
cons_output_device(unsigned i)
{
	const struct console_device *taker = cons.takenby[i];

	if (taker != NULL && (!cons.panicking || (taker->cd_flags & CONSOLE_PANIC_SAFE)))
		return taker;
	return cons.devices[i];
}

/* Slot i's next input character: the kernel device's, then its taker's. */
static int
cons_slot_getc(unsigned i)
{
	int c = -1;

	if (cons.devices[i]->cd_getc != NULL)
		c = cons.devices[i]->cd_getc();
	if (c < 0 && cons.takenby[i] != NULL && !cons.panicking &&
	    cons.takenby[i]->cd_getc != NULL)
		c = cons.takenby[i]->cd_getc();
	return c;
}

/* One character to the log and the devices. Locks: console lock held. */
static void
cons_putc_locked(int c, unsigned only_flags)
{
	msgbuf_putc(c);
	for (unsigned i = 0; i < cons.ndevices; i++) {
		const struct console_device *d = cons_output_device(i);

		if (d->cd_putc == NULL)
			continue;
		if (only_flags != 0 && (d->cd_flags & only_flags) == 0)
			continue;
		if (c == '\n' && (d->cd_flags & CONSOLE_SERIAL))
			d->cd_putc('\r');
		d->cd_putc(c);
	}
}

static void
printf_putc(int c, void *arg)
{
	cons_putc_locked(c, (unsigned)(uintptr_t)arg);
}

int
vprintf(const char *fmt, va_list ap)
{
	boolean_t s = cons_lock();
	int n = doprnt(fmt, ap, printf_putc, (void *)0);

	cons_unlock(s);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
kprintf(const char *fmt, ...)
{
	unsigned target;
	va_list ap;
	boolean_t s;
	int n;

	if (debug_boot_arg & DB_PRT)
		target = 0;			/* everywhere */
	else if (debug_boot_arg & DB_KPRT)
		target = CONSOLE_SERIAL;
	else
		return 0;
	va_start(ap, fmt);
	s = cons_lock();
	n = doprnt(fmt, ap, printf_putc, (void *)(uintptr_t)target);
	cons_unlock(s);
	va_end(ap);
	return n;
}

void
console_write(const char *str, size_t n)
{
	boolean_t s = cons_lock();

	while (n-- > 0)
		cons_putc_locked(*str++, 0);
	cons_unlock(s);
}

int
cons_getc(void)
{
	boolean_t s = cons_lock();
	int c = -1;

	for (unsigned i = 0; i < cons.ndevices && c < 0; i++)
		c = cons_slot_getc(i);
	cons_unlock(s);
	return c;
}

void
console_write_raw(const char *str, size_t n)
{
	boolean_t s = cons_lock();

	while (n-- > 0) {
		int c = (unsigned char)*str++;

		if (c != '\r')
			msgbuf_putc(c);
		for (unsigned i = 0; i < cons.ndevices; i++) {
			const struct console_device *d = cons_output_device(i);

			if (d->cd_putc != NULL)
				d->cd_putc(c);
		}
	}
	cons_unlock(s);
}

/* Threads waiting for input sleep on this. */
static int cons_input_event;

/* The next character, if owner owns the input. */
static int
cons_getc_owner(int owner)
{
	boolean_t s = cons_lock();
	int c = -1;

	for (unsigned i = 0; i < cons.ndevices && c < 0 && cons.input_owner == owner; i++)
		c = cons_slot_getc(i);
	cons_unlock(s);
	return c;
}

void
cons_input_set_owner(int owner)
{
	boolean_t s = cons_lock();

	cons.input_owner = owner;
	cons_unlock(s);
	thread_wakeup(&cons_input_event);
}

int
cons_input_owner(void)
{
	return __atomic_load_n(&cons.input_owner, __ATOMIC_RELAXED);
}

int
cons_getc_wait_owner(int owner)
{
	for (;;) {
		int c = cons_getc_owner(owner);

		if (c >= 0)
			return c;
		assert_wait(&cons_input_event, THREAD_UNINT);
		/* Input or a change of owner between the look and the wait is not lost. */
		if ((c = cons_getc_owner(owner)) >= 0) {
			(void)clear_wait(current_thread(), THREAD_AWAKENED);
			return c;
		}
		(void)thread_block(THREAD_CONTINUE_NULL);
	}
}

void
console_input_arrived(void)
{
	thread_wakeup(&cons_input_event);
}

int
cons_getc_wait(void)
{
	for (;;) {
		int c = cons_getc();

		if (c >= 0)
			return c;
		if (current_thread() == THREAD_NULL) {
			/* No scheduler yet: halt until an interrupt, then look again. */
			boolean_t s = ml_set_interrupts_enabled(FALSE);

			ml_wait_for_interrupt();
			ml_set_interrupts_enabled(s);
			continue;
		}
		assert_wait(&cons_input_event, THREAD_UNINT);
		/* Input that came between the look and the wait is not lost. */
		if ((c = cons_getc()) >= 0) {
			(void)clear_wait(current_thread(), THREAD_AWAKENED);
			return c;
		}
		(void)thread_block(THREAD_CONTINUE_NULL);
	}
}
