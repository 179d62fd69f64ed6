/*
 * IOPlatformDevice.h - a nub for a device on the machine's own buses (the
 * legacy ISA devices of a PC: COM1's 16550, the 8042 PS/2 controller, the
 * CMOS RTC), as macOS's AppleACPIPlatform publishes IOACPIPlatformDevice
 * nubs below its platform expert.
 *
 * The platform expert (IOPlatformExpert.h) makes one per device it finds,
 * below itself in the IOService plane and below the platform expert device
 * in the IODeviceTree plane, with:
 *
 *	IOName, compatible	the device's ACPI hardware id ("PNP0501" for a
 *				16550, "PNP0303" for a PS/2 keyboard, "PNP0B00"
 *				for an AT RTC): drivers match it with IONameMatch
 *	IOLocation		its first port, in hex ("3f8")
 *	IOInterruptSpecifiers	its interrupt lines, in the device's order
 *				(IOService.h); a driver asks for them by index with
 *				IOInterruptEventSource_interruptEventSourceWithProvider
 *	IOPortRanges		its I/O port ranges: an array of dictionaries
 *				{"address" = first port, "length" = ports}
 *
 * A driver reaches its device's ports only through the nub's accessors,
 * which check the port: an access that is not wholly inside one of the
 * nub's ranges is refused (a read gives all ones, a write is dropped) and
 * the first such access on each nub is logged, naming the nub and the
 * port. So a driver cannot touch another device's ports through its nub.
 *
 *	uint8_t lsr = IOPlatformDevice_ioRead8(nub, 0x3fd);
 *	IOPlatformDevice_ioWrite8(nub, 0x3f8, 'A');
 *
 * Ports are absolute, as IOACPIPlatformDevice's ioRead8 takes them.
 * The accessors are callable from any context (interrupt filters, a
 * console device's putc with the console lock held): they take no lock
 * and print nothing while interrupts are off; the log line of a refused
 * access made with interrupts off waits for the next refused access made
 * with them on.
 *
 * Invariants: the ranges are set before the nub is registered and never
 * change ([I]); each range lies in 0..0xffff and has a length of 1 or more.
 *
 * Locks: none of its own; pd_refused is set atomically.
 */

#ifndef IOKIT_KERNEL_IOPLATFORMDEVICE_H
#define IOKIT_KERNEL_IOPLATFORMDEVICE_H

#include <stdint.h>

#include "iokit/Kernel/IOService.h"

#define kIOPlatformDevicePortRangesKey	"IOPortRanges"
#define kIOPlatformDevicePortAddressKey	"address"
#define kIOPlatformDevicePortLengthKey	"length"

#define IOPLATFORMDEVICE_MAX_RANGES	4

struct IOPlatformDevicePortRange {
	uint16_t	pr_base;	/* first port */
	uint16_t	pr_length;	/* ports, at least 1 */
};

struct IOPlatformDevice {
	IOService	pd_service;		/* the superclass, first */
	unsigned	pd_nranges;		/* [I] */
	struct IOPlatformDevicePortRange pd_ranges[IOPLATFORMDEVICE_MAX_RANGES]; /* [I] */
	volatile int32_t pd_refused;		/* [a] accesses refused */
	volatile uint32_t pd_logged;		/* [a] 1 once a refusal was logged */
};
OSDeclareDefaultStructors(IOPlatformDevice);

/*
 * IOPlatformDevice_withHID: a new nub (not attached, not registered) named
 * hid (also its "compatible"), with the port ranges ranges[0..nranges) and
 * the interrupt lines lines[0..nlines). NULL if an argument is bad (no
 * ranges, too many, a range that is empty or runs past port 0xffff) or
 * memory ran out. The caller holds the only reference.
 */
IOPlatformDevice *IOPlatformDevice_withHID(const char *hid,
		    const struct IOPlatformDevicePortRange *ranges, unsigned nranges,
		    const unsigned *lines, unsigned nlines);

/* IOPlatformDevice_inRange: whether ports [port, port + width) lie in one of dev's ranges. */
bool		IOPlatformDevice_inRange(const IOPlatformDevice *dev, uint16_t port,
		    unsigned width);

/* The port accessors; the header above says what a refused access does. */
uint8_t		IOPlatformDevice_ioRead8(IOPlatformDevice *dev, uint16_t port);
uint16_t	IOPlatformDevice_ioRead16(IOPlatformDevice *dev, uint16_t port);
uint32_t	IOPlatformDevice_ioRead32(IOPlatformDevice *dev, uint16_t port);
void		IOPlatformDevice_ioWrite8(IOPlatformDevice *dev, uint16_t port, uint8_t value);
void		IOPlatformDevice_ioWrite16(IOPlatformDevice *dev, uint16_t port, uint16_t value);
void		IOPlatformDevice_ioWrite32(IOPlatformDevice *dev, uint16_t port, uint32_t value);

/* IOPlatformDevice_getRefusedCount: accesses refused on dev so far. */
uint32_t	IOPlatformDevice_getRefusedCount(const IOPlatformDevice *dev);

#endif /* IOKIT_KERNEL_IOPLATFORMDEVICE_H */
