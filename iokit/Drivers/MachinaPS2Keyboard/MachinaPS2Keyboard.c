/*
 * MachinaPS2Keyboard.c - org.machina.driver.PS2Keyboard: the keyboard on
 * the PC's 8042 PS/2 controller (PNP0303), in the spirit of macOS's
 * ApplePS2Keyboard, typing into the console.
 *
 * Matched on the platform expert's PNP0303 nub (IONameMatch). Its start
 * sets the controller up, polled, with both ports' interrupts off:
 * disable both ports, empty the output buffer, run the controller's self
 * test (0xaa answers 0x55), then write the configuration byte: the
 * keyboard port's interrupt on (IRQ 1, the nub's interrupt 0), the mouse
 * port's off, translation on, so that whatever set the keyboard uses
 * arrives as scan code set 1; enable the keyboard port and tell the
 * keyboard to scan (0xf4).
 *
 * Each interrupt wakes the driver's work loop; its action, in the gate,
 * reads every byte the controller holds (mouse bytes, flagged in the
 * status register, are dropped) and turns set-1 scan codes into ASCII
 * on a US layout: shift, control (a-z and [\]^_ to 0x01-0x1f) and caps
 * lock (letters only); E0-prefixed keys but the keypad's Enter and / are
 * ignored; key releases only update the modifiers. The characters go to
 * a ring that the driver's console device (input only: the VGA screen
 * shows the output) gives to the console, as a serial line's would.
 *
 * One keyboard: the console device's routines take no argument, so the
 * ring is this file's (kbd).
 *
 * Locks: the ring is single-producer (the action, in the gate) and
 * single-consumer (getc, under the console lock); [g] the gate.
 */

#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOPlatformDevice.h>
#include <IOKit/IOService.h>
#include <IOKit/IOWorkLoop.h>
#include <kernel/console.h>
#include <libkern/OSNumber.h>
#include <mach/kmod.h>

#define KBC_DATA		0x60
#define KBC_STATUS		0x64	/* read: status; write: command */
#define STATUS_OUTPUT_FULL	0x01
#define STATUS_INPUT_FULL	0x02
#define STATUS_AUX_DATA		0x20

#define CMD_READ_CONFIG		0x20
#define CMD_WRITE_CONFIG	0x60
#define CMD_DISABLE_AUX		0xa7
#define CMD_SELF_TEST		0xaa
#define CMD_DISABLE_KBD		0xad
#define CMD_ENABLE_KBD		0xae
#define SELF_TEST_PASSED	0x55

#define CONFIG_KBD_IRQ		0x01
#define CONFIG_AUX_IRQ		0x02
#define CONFIG_KBD_CLOCK_OFF	0x10
#define CONFIG_AUX_CLOCK_OFF	0x20
#define CONFIG_TRANSLATE	0x40

#define KBD_ENABLE_SCANNING	0xf4
#define KBD_ACK			0xfa

#define SC_EXTENDED		0xe0
#define SC_RELEASE		0x80
#define SC_LCTRL		0x1d
#define SC_LSHIFT		0x2a
#define SC_RSHIFT		0x36
#define SC_CAPSLOCK		0x3a
#define SC_ENTER		0x1c
#define SC_SLASH		0x35

#define KEY_RING		256	/* a power of two */

struct MachinaPS2Keyboard {
	IOService		kbd_service;	/* the superclass, first */
	IOPlatformDevice	*kbd_nub;	/* [I] the provider (the link holds it) */
	IOWorkLoop		*kbd_workloop;	/* [I] */
	IOInterruptEventSource	*kbd_ies;	/* [I] */
	bool			kbd_console;	/* [g] our device is on the console */
	bool			kbd_extended;	/* [g] the last byte was E0 */
	bool			kbd_shift[2];	/* [g] left, right */
	bool			kbd_ctrl;	/* [g] either control key */
	bool			kbd_capslock;	/* [g] */
	uint32_t		kbd_interrupts;	/* [g] */
	uint32_t		kbd_chars;	/* [g] characters typed */
	OSNumber		*kbd_icount;	/* [g] the InterruptCount property, set in place */
	OSNumber		*kbd_ccount;	/* [g] the CharactersTyped property, likewise */
};
OSDeclareDefaultStructors(MachinaPS2Keyboard);

static struct {
	bool		taken;			/* a keyboard driver is started */
	uint8_t		ring[KEY_RING];
	uint32_t	head;			/* the consumer's */
	uint32_t	tail;			/* the producer's */
} kbd;

/* Set 1, US layout: without shift, with shift; 0 for keys that type nothing. */
static const char keymap[0x3a][2] = {
	[0x01] = { 0x1b, 0x1b },
	[0x02] = { '1', '!' }, [0x03] = { '2', '@' }, [0x04] = { '3', '#' },
	[0x05] = { '4', '$' }, [0x06] = { '5', '%' }, [0x07] = { '6', '^' },
	[0x08] = { '7', '&' }, [0x09] = { '8', '*' }, [0x0a] = { '9', '(' },
	[0x0b] = { '0', ')' }, [0x0c] = { '-', '_' }, [0x0d] = { '=', '+' },
	[0x0e] = { 0x7f, 0x7f }, [0x0f] = { '\t', '\t' },
	[0x10] = { 'q', 'Q' }, [0x11] = { 'w', 'W' }, [0x12] = { 'e', 'E' },
	[0x13] = { 'r', 'R' }, [0x14] = { 't', 'T' }, [0x15] = { 'y', 'Y' },
	[0x16] = { 'u', 'U' }, [0x17] = { 'i', 'I' }, [0x18] = { 'o', 'O' },
	[0x19] = { 'p', 'P' }, [0x1a] = { '[', '{' }, [0x1b] = { ']', '}' },
	[0x1c] = { '\r', '\r' },
	[0x1e] = { 'a', 'A' }, [0x1f] = { 's', 'S' }, [0x20] = { 'd', 'D' },
	[0x21] = { 'f', 'F' }, [0x22] = { 'g', 'G' }, [0x23] = { 'h', 'H' },
	[0x24] = { 'j', 'J' }, [0x25] = { 'k', 'K' }, [0x26] = { 'l', 'L' },
	[0x27] = { ';', ':' }, [0x28] = { '\'', '"' }, [0x29] = { '`', '~' },
	[0x2b] = { '\\', '|' },
	[0x2c] = { 'z', 'Z' }, [0x2d] = { 'x', 'X' }, [0x2e] = { 'c', 'C' },
	[0x2f] = { 'v', 'V' }, [0x30] = { 'b', 'B' }, [0x31] = { 'n', 'N' },
	[0x32] = { 'm', 'M' }, [0x33] = { ',', '<' }, [0x34] = { '.', '>' },
	[0x35] = { '/', '?' }, [0x37] = { '*', '*' }, [0x39] = { ' ', ' ' },
};

/* --- the controller, polled ------------------------------------------------------------ */

static uint8_t
kbc_status(struct MachinaPS2Keyboard *k)
{
	return IOPlatformDevice_ioRead8(k->kbd_nub, KBC_STATUS);
}

/* Wait, bounded, until the controller takes a byte; false if it never does. */
static bool
kbc_wait_input(struct MachinaPS2Keyboard *k)
{
	for (int i = 0; i < 100000; i++) {
		if (!(kbc_status(k) & STATUS_INPUT_FULL))
			return true;
		IODelay(10);
	}
	return false;
}

/* The next byte the controller gives, or -1 if none comes in about 100 ms. */
static int
kbc_read(struct MachinaPS2Keyboard *k)
{
	for (int i = 0; i < 10000; i++) {
		if (kbc_status(k) & STATUS_OUTPUT_FULL)
			return IOPlatformDevice_ioRead8(k->kbd_nub, KBC_DATA);
		IODelay(10);
	}
	return -1;
}

static bool
kbc_command(struct MachinaPS2Keyboard *k, uint8_t cmd)
{
	if (!kbc_wait_input(k))
		return false;
	IOPlatformDevice_ioWrite8(k->kbd_nub, KBC_STATUS, cmd);
	return true;
}

static bool
kbc_write_data(struct MachinaPS2Keyboard *k, uint8_t value)
{
	if (!kbc_wait_input(k))
		return false;
	IOPlatformDevice_ioWrite8(k->kbd_nub, KBC_DATA, value);
	return true;
}

static void
kbc_flush(struct MachinaPS2Keyboard *k)
{
	for (int i = 0; i < 64 && (kbc_status(k) & STATUS_OUTPUT_FULL); i++)
		(void)IOPlatformDevice_ioRead8(k->kbd_nub, KBC_DATA);
}

/* The set-up the header describes; NULL on success, else what failed. */
static const char *
kbc_init(struct MachinaPS2Keyboard *k)
{
	int config, answer;

	if (!kbc_command(k, CMD_DISABLE_KBD) || !kbc_command(k, CMD_DISABLE_AUX))
		return "the controller takes no commands";
	kbc_flush(k);
	if (!kbc_command(k, CMD_READ_CONFIG) || (config = kbc_read(k)) < 0)
		return "the controller does not give its configuration";
	config &= ~(CONFIG_KBD_IRQ | CONFIG_AUX_IRQ | CONFIG_KBD_CLOCK_OFF);
	config |= CONFIG_TRANSLATE | CONFIG_AUX_CLOCK_OFF;
	if (!kbc_command(k, CMD_WRITE_CONFIG) || !kbc_write_data(k, (uint8_t)config))
		return "the controller does not take its configuration";
	if (!kbc_command(k, CMD_SELF_TEST) || (answer = kbc_read(k)) != SELF_TEST_PASSED)
		return "the controller fails its self test";
	/* A self test may reset the configuration: write it again, interrupts on. */
	config |= CONFIG_KBD_IRQ;
	if (!kbc_command(k, CMD_WRITE_CONFIG) || !kbc_write_data(k, (uint8_t)config) ||
	    !kbc_command(k, CMD_ENABLE_KBD))
		return "the controller does not take its configuration";
	return NULL;
}

/* --- the console device -------------------------------------------------------------- */

static int
kbd_getc(void)
{
	uint32_t head = kbd.head;
	int c;

	if (head == __atomic_load_n(&kbd.tail, __ATOMIC_ACQUIRE))
		return -1;
	c = kbd.ring[head % KEY_RING];
	__atomic_store_n(&kbd.head, head + 1, __ATOMIC_RELEASE);
	return c;
}

static const struct console_device kbd_console_device = {
	.cd_name = "MachinaPS2Keyboard",
	.cd_putc = NULL,		/* input only */
	.cd_getc = kbd_getc,
	.cd_flags = 0,
};

/* --- scan codes, on the work loop ---------------------------------------------------------- */

static void
kbd_put(struct MachinaPS2Keyboard *k, char c)
{
	uint32_t tail = kbd.tail;

	if (tail - __atomic_load_n(&kbd.head, __ATOMIC_ACQUIRE) == KEY_RING)
		return;		/* nobody reads: drop */
	kbd.ring[tail % KEY_RING] = (uint8_t)c;
	__atomic_store_n(&kbd.tail, tail + 1, __ATOMIC_RELEASE);
	k->kbd_chars++;
}

/* One set-1 byte: the character it types, or 0. In the gate. */
static char
kbd_translate(struct MachinaPS2Keyboard *k, uint8_t sc)
{
	bool release = (sc & SC_RELEASE) != 0, extended = k->kbd_extended, shift;
	uint8_t code = sc & (uint8_t)~SC_RELEASE;
	char c;

	if (sc == SC_EXTENDED) {
		k->kbd_extended = true;
		return 0;
	}
	k->kbd_extended = false;
	if (code == SC_LSHIFT || code == SC_RSHIFT) {
		if (!extended)	/* E0 2A is the fake shift of a print-screen */
			k->kbd_shift[code == SC_RSHIFT] = !release;
		return 0;
	}
	if (code == SC_LCTRL) {
		k->kbd_ctrl = !release;
		return 0;
	}
	if (release)
		return 0;
	if (code == SC_CAPSLOCK) {
		k->kbd_capslock = !k->kbd_capslock;
		return 0;
	}
	if (extended && code != SC_ENTER && code != SC_SLASH)
		return 0;	/* arrows, the editing block, ... */
	if (code >= sizeof keymap / sizeof keymap[0])
		return 0;
	shift = k->kbd_shift[0] || k->kbd_shift[1];
	c = keymap[code][0];
	if (c >= 'a' && c <= 'z' && k->kbd_capslock)
		shift = !shift;
	if (shift)
		c = keymap[code][1];
	if (k->kbd_ctrl && c != 0) {
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 1);
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 1);
		else if (c >= '[' && c <= '_')
			c = (char)(c - '[' + 0x1b);
	}
	return c;
}

/* A number property changed in place from then on; NULL if memory ran out. */
static OSNumber *
kbd_number_property(struct MachinaPS2Keyboard *k, const char *key)
{
	OSNumber *n = OSNumber_withNumber(0, 32);

	if (n != NULL && !IORegistryEntry_setProperty(&k->kbd_service.sv_entry, key, OSOBJ(n)))
		OSSafeReleaseNULL(n);
	return n;
}

static void
kbd_interrupt(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct MachinaPS2Keyboard *k = (struct MachinaPS2Keyboard *)owner;
	uint32_t before = k->kbd_chars;
	uint8_t status;

	(void)sender;
	(void)count;
	k->kbd_interrupts++;
	for (int i = 0; i < 64 && ((status = kbc_status(k)) & STATUS_OUTPUT_FULL); i++) {
		uint8_t b = IOPlatformDevice_ioRead8(k->kbd_nub, KBC_DATA);
		char c;

		if (status & STATUS_AUX_DATA)
			continue;	/* the mouse's: nobody drives it */
		if ((c = kbd_translate(k, b)) != 0)
			kbd_put(k, c);
	}
	OSNumber_setValue(k->kbd_icount, k->kbd_interrupts);
	if (k->kbd_chars != before) {
		OSNumber_setValue(k->kbd_ccount, k->kbd_chars);
		console_input_arrived();
	}
}

/* --- the driver ---------------------------------------------------------------------------- */

static void
kbd_take_down(struct MachinaPS2Keyboard *k)
{
	if (k->kbd_console) {
		console_unregister(&kbd_console_device);
		k->kbd_console = false;
	}
	if (k->kbd_workloop != NULL && k->kbd_ies != NULL)
		(void)IOWorkLoop_removeEventSource(k->kbd_workloop, &k->kbd_ies->ies_es);
	if (k->kbd_ies != NULL)
		kbd.taken = false;
	OSSafeReleaseNULL(k->kbd_ies);
	OSSafeReleaseNULL(k->kbd_workloop);
	OSSafeReleaseNULL(k->kbd_icount);
	OSSafeReleaseNULL(k->kbd_ccount);
}

static bool
kbd_fail(struct MachinaPS2Keyboard *k, const char *why)
{
	IOLog("MachinaPS2Keyboard: %s; not starting\n", why);
	kbd_take_down(k);
	return false;
}

static bool
kbd_start(IOService *self, IOService *provider)
{
	struct MachinaPS2Keyboard *k = (struct MachinaPS2Keyboard *)self;
	const char *why;
	int ack;

	k->kbd_nub = OSDynamicCast(IOPlatformDevice, provider);
	if (k->kbd_nub == NULL || !IOPlatformDevice_inRange(k->kbd_nub, KBC_DATA, 1) ||
	    !IOPlatformDevice_inRange(k->kbd_nub, KBC_STATUS, 1))
		return kbd_fail(k, "the provider is not a platform nub with ports 0x60 and 0x64");
	if (kbd.taken)
		return kbd_fail(k, "another keyboard is started already");
	if (kbc_status(k) == 0xff)
		return kbd_fail(k, "no controller answers at port 0x64");
	if ((why = kbc_init(k)) != NULL)
		return kbd_fail(k, why);
	if (!kbc_write_data(k, KBD_ENABLE_SCANNING) || (ack = kbc_read(k)) != KBD_ACK)
		IOLog("MachinaPS2Keyboard: the keyboard did not acknowledge scanning;"
		    " going on (it may be absent)\n");

	k->kbd_icount = kbd_number_property(k, "InterruptCount");
	k->kbd_ccount = kbd_number_property(k, "CharactersTyped");
	if (k->kbd_icount == NULL || k->kbd_ccount == NULL)
		return kbd_fail(k, "no memory for its properties");
	k->kbd_workloop = IOWorkLoop_workLoop();
	k->kbd_ies = IOInterruptEventSource_interruptEventSourceWithProvider(OSOBJ(k),
	    kbd_interrupt, provider, 0);
	if (k->kbd_workloop == NULL || k->kbd_ies == NULL ||
	    IOWorkLoop_addEventSource(k->kbd_workloop, &k->kbd_ies->ies_es) != kIOReturnSuccess)
		return kbd_fail(k, "no work loop or interrupt source");
	kbd.taken = true;
	IOEventSource_enable(&k->kbd_ies->ies_es);
	console_register(&kbd_console_device);
	k->kbd_console = true;
	kbc_flush(k);
	IOLog("MachinaPS2Keyboard: the keyboard types into the console (IRQ %u)\n",
	    k->kbd_ies->ies_irq);
	IOService_registerService(self, 0);
	return true;
}

static void
kbd_stop(IOService *self, IOService *provider)
{
	(void)provider;
	kbd_take_down((struct MachinaPS2Keyboard *)self);
}

static void
kbd_free(OSObject *obj)
{
	kbd_take_down((struct MachinaPS2Keyboard *)obj);
}

static const struct IOService_methods kbd_methods = {
	.re.os.free = kbd_free,
	.start = kbd_start,
	.stop = kbd_stop,
};
OSDefineMetaClassAndStructorsWithMethods(MachinaPS2Keyboard, IOService, &kbd_methods);

kern_return_t MachinaPS2Keyboard_start(kmod_info_t *ki, void *data);
kern_return_t MachinaPS2Keyboard_stop(kmod_info_t *ki, void *data);

kern_return_t
MachinaPS2Keyboard_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return KERN_SUCCESS;
}

kern_return_t
MachinaPS2Keyboard_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return KERN_SUCCESS;
}
