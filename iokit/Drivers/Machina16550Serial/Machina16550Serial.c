/*
 * Machina16550Serial.c - org.machina.driver.16550: the driver of a 16550
 * UART (PNP0501), in the spirit of macOS's Apple16X50Serial, that takes
 * the console over from the kernel's early COM1 code.
 *
 * Matched on the platform expert's PNP0501 nub (IONameMatch), it checks a
 * UART answers at the nub's ports, takes the nub's interrupt (index 0,
 * IRQ 4) on a work loop of its own, and then, through console_takeover,
 * becomes the console's COM1:
 *   - receive is interrupt-driven: the primary handler only wakes the work
 *     loop; the loop's action, in the gate, moves every byte the UART
 *     holds into a ring and wakes the console's readers
 *     (console_input_arrived), and the console reads the ring (getc);
 *   - transmit is polled (putc waits, bounded, for the holding register
 *     to empty), since the console writes with its lock held and
 *     interrupts off.
 * Every port access goes through the nub's accessors, so the driver
 * touches only the nub's eight ports. The kernel's own polled output
 * stays underneath: after a panic the kernel writes to COM1 itself.
 *
 * One UART: the console device's routines take no argument, so the state
 * is this file's (uart), and a second nub's start is refused.
 *
 * Locks: the ring is single-producer (the work loop's action, in the
 * gate) and single-consumer (getc, under the console lock), with
 * acquire/release indices; [g] the work loop's gate; [I] set in start.
 */

#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOPlatformDevice.h>
#include <IOKit/IOService.h>
#include <IOKit/IOWorkLoop.h>
#include <kernel/console.h>
#include <libkern/OSBoolean.h>
#include <libkern/OSNumber.h>
#include <mach/kmod.h>

#define UART_DATA	0	/* RBR / THR; DLL with DLAB */
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCRATCH	7
#define UART_PORTS	8

#define IER_RX		0x01
#define FCR_ENABLE_1	0x01	/* FIFOs on, interrupt at every byte, nothing cleared */
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

#define RX_RING		1024	/* a power of two */

struct Machina16550Serial {
	IOService		ser_service;	/* the superclass, first */
	IOPlatformDevice	*ser_nub;	/* [I] the provider (the link holds it) */
	uint16_t		ser_base;	/* [I] its first port */
	IOWorkLoop		*ser_workloop;	/* [I] */
	IOInterruptEventSource	*ser_ies;	/* [I] */
	bool			ser_console;	/* [g] the console is ours */
	uint32_t		ser_interrupts;	/* [g] times the action ran for an interrupt */
	OSNumber		*ser_count;	/* [g] the InterruptCount property, set in place */
};
OSDeclareDefaultStructors(Machina16550Serial);

static struct {
	struct Machina16550Serial *owner;	/* the started driver, or NULL */
	uint8_t			ring[RX_RING];
	uint32_t		head;		/* next to read: the consumer's */
	uint32_t		tail;		/* next to fill: the producer's */
	uint64_t		dropped;	/* [g] bytes lost to a full ring */
} uart;

static uint8_t
ser_in(struct Machina16550Serial *ser, unsigned reg)
{
	return IOPlatformDevice_ioRead8(ser->ser_nub, (uint16_t)(ser->ser_base + reg));
}

static void
ser_out(struct Machina16550Serial *ser, unsigned reg, uint8_t value)
{
	IOPlatformDevice_ioWrite8(ser->ser_nub, (uint16_t)(ser->ser_base + reg), value);
}

/* --- the console device -------------------------------------------------------------- */

/* Console lock held, interrupts off. Bounded: a UART that never drains cannot hang us. */
static void
ser_putc(int c)
{
	struct Machina16550Serial *ser = uart.owner;

	if (ser == NULL)
		return;
	for (int spins = 0; spins < 100000; spins++) {
		if (ser_in(ser, UART_LSR) & LSR_THR_EMPTY)
			break;
	}
	ser_out(ser, UART_DATA, (uint8_t)c);
}

/* Console lock held, interrupts off: the ring's only consumer. */
static int
ser_getc(void)
{
	uint32_t head = uart.head;
	int c;

	if (head == __atomic_load_n(&uart.tail, __ATOMIC_ACQUIRE))
		return -1;
	c = uart.ring[head % RX_RING];
	__atomic_store_n(&uart.head, head + 1, __ATOMIC_RELEASE);
	return c;
}

static const struct console_device ser_console_device = {
	.cd_name = "Machina16550Serial",
	.cd_putc = ser_putc,
	.cd_getc = ser_getc,
	.cd_flags = CONSOLE_SERIAL,
};

/* --- receive, on the work loop ---------------------------------------------------------- */

/* Move what the UART holds into the ring. In the gate: the ring's only producer. */
static unsigned
ser_drain(struct Machina16550Serial *ser)
{
	unsigned n = 0;

	for (int i = 0; i < 4096 && (ser_in(ser, UART_LSR) & LSR_DATA_READY); i++) {
		uint8_t c = ser_in(ser, UART_DATA);
		uint32_t tail = uart.tail;

		if (tail - __atomic_load_n(&uart.head, __ATOMIC_ACQUIRE) == RX_RING) {
			uart.dropped++;
			continue;
		}
		uart.ring[tail % RX_RING] = c;
		__atomic_store_n(&uart.tail, tail + 1, __ATOMIC_RELEASE);
		n++;
	}
	if (n > 0)
		console_input_arrived();
	return n;
}

static void
ser_interrupt(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct Machina16550Serial *ser = (struct Machina16550Serial *)owner;

	(void)sender;
	(void)count;
	ser->ser_interrupts++;
	(void)ser_drain(ser);
	/* For ioreg and the tests: input came by interrupt, on the loop. */
	OSNumber_setValue(ser->ser_count, ser->ser_interrupts);
}

static IOReturn
ser_drain_action(OSObject *target, void *a0, void *a1, void *a2, void *a3)
{
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)ser_drain((struct Machina16550Serial *)target);
	return kIOReturnSuccess;
}

/* --- the driver ---------------------------------------------------------------------------- */

/* A 16550 keeps what is written to its scratch register. */
static bool
ser_present(struct Machina16550Serial *ser)
{
	uint8_t saved = ser_in(ser, UART_SCRATCH), a, b;

	ser_out(ser, UART_SCRATCH, 0x3c);
	a = ser_in(ser, UART_SCRATCH);
	ser_out(ser, UART_SCRATCH, 0xc3);
	b = ser_in(ser, UART_SCRATCH);
	ser_out(ser, UART_SCRATCH, saved);
	return a == 0x3c && b == 0xc3;
}

static void
ser_take_down(struct Machina16550Serial *ser)
{
	if (ser->ser_nub != NULL && ser->ser_ies != NULL)
		ser_out(ser, UART_IER, 0);
	if (ser->ser_console) {
		console_giveback(&ser_console_device);	/* no CPU is in our routines now */
		ser->ser_console = false;
	}
	if (ser->ser_workloop != NULL && ser->ser_ies != NULL)
		(void)IOWorkLoop_removeEventSource(ser->ser_workloop, &ser->ser_ies->ies_es);
	OSSafeReleaseNULL(ser->ser_ies);
	OSSafeReleaseNULL(ser->ser_workloop);
	OSSafeReleaseNULL(ser->ser_count);
	if (uart.owner == ser)
		uart.owner = NULL;
}

static bool
ser_fail(struct Machina16550Serial *ser, const char *why)
{
	IOLog("Machina16550Serial: %s; not starting\n", why);
	ser_take_down(ser);
	return false;
}

static bool
ser_start(IOService *self, IOService *provider)
{
	struct Machina16550Serial *ser = (struct Machina16550Serial *)self;
	kern_return_t kr;

	ser->ser_nub = OSDynamicCast(IOPlatformDevice, provider);
	if (ser->ser_nub == NULL || ser->ser_nub->pd_nranges < 1 ||
	    ser->ser_nub->pd_ranges[0].pr_length < UART_PORTS)
		return ser_fail(ser, "the provider is not a platform nub with eight ports");
	if (uart.owner != NULL)
		return ser_fail(ser, "another UART has the console already");
	ser->ser_base = ser->ser_nub->pd_ranges[0].pr_base;
	if (!ser_present(ser))
		return ser_fail(ser, "no UART answers at the nub's ports");
	ser->ser_count = OSNumber_withNumber(0, 32);
	if (ser->ser_count == NULL ||
	    !IORegistryEntry_setProperty(&self->sv_entry, "InterruptCount", OSOBJ(ser->ser_count)))
		return ser_fail(ser, "no memory for its properties");
	ser->ser_workloop = IOWorkLoop_workLoop();
	ser->ser_ies = IOInterruptEventSource_interruptEventSourceWithProvider(OSOBJ(ser),
	    ser_interrupt, provider, 0);
	if (ser->ser_workloop == NULL || ser->ser_ies == NULL ||
	    IOWorkLoop_addEventSource(ser->ser_workloop, &ser->ser_ies->ies_es) !=
	    kIOReturnSuccess)
		return ser_fail(ser, "no work loop or interrupt source");
	IOEventSource_enable(&ser->ser_ies->ies_es);
	uart.owner = ser;

	/* 115200 8N1 as the kernel left it; a byte's arrival interrupts. */
	ser_out(ser, UART_FCR, FCR_ENABLE_1);
	ser_out(ser, UART_MCR, MCR_DTR_RTS_OUT2);
	ser_out(ser, UART_IER, IER_RX);
	kr = console_takeover("com1", &ser_console_device);
	if (kr != KERN_SUCCESS)
		return ser_fail(ser, "the console's COM1 cannot be taken over");
	ser->ser_console = true;
	/* What came in while the kernel let go of the UART. */
	(void)IOWorkLoop_runAction(ser->ser_workloop, ser_drain_action, OSOBJ(ser),
	    NULL, NULL, NULL, NULL);

	(void)IORegistryEntry_setProperty(&self->sv_entry, "IOConsole", OSOBJ(kOSBooleanTrue));
	IOLog("Machina16550Serial: the console is on the 16550 at 0x%x, IRQ %u, receiving by"
	    " interrupt\n", ser->ser_base, ser->ser_ies->ies_irq);
	IOService_registerService(self, 0);
	return true;
}

static void
ser_stop(IOService *self, IOService *provider)
{
	(void)provider;
	ser_take_down((struct Machina16550Serial *)self);
	IOLog("Machina16550Serial: stopped; the kernel has COM1 back\n");
}

/* The last release: whatever start made and stop did not undo. */
static void
ser_free(OSObject *obj)
{
	ser_take_down((struct Machina16550Serial *)obj);
}

static const struct IOService_methods ser_methods = {
	.re.os.free = ser_free,
	.start = ser_start,
	.stop = ser_stop,
};
OSDefineMetaClassAndStructorsWithMethods(Machina16550Serial, IOService, &ser_methods);

kern_return_t Machina16550Serial_start(kmod_info_t *ki, void *data);
kern_return_t Machina16550Serial_stop(kmod_info_t *ki, void *data);

kern_return_t
Machina16550Serial_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return KERN_SUCCESS;
}

kern_return_t
Machina16550Serial_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return KERN_SUCCESS;
}
