/*
 * IOPlatformDevice.c - nubs for the machine's own devices, and their port
 * accessors, which keep a driver to its device's ports.
 */

#include "iokit/Kernel/IOPlatformDevice.h"

#include <stddef.h>

#include "iokit/Kernel/IOLib.h"
#include "kernel/machine_routines.h"
#include "libkern/OSArray.h"
#include "libkern/OSAtomic.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/printf.h"

OSDefineMetaClass(IOPlatformDevice, IOService, OS_NO_METHODS);

/* The IOPortRanges property: one {address, length} dictionary per range. */
static OSArray *
pd_ranges_property(const struct IOPlatformDevicePortRange *ranges, unsigned nranges)
{
	OSArray *a = OSArray_withCapacity(nranges);
	bool ok = a != NULL;

	for (unsigned i = 0; ok && i < nranges; i++) {
		OSDictionary *d = OSDictionary_withCapacity(2);
		OSNumber *base = OSNumber_withNumber(ranges[i].pr_base, 16);
		OSNumber *len = OSNumber_withNumber(ranges[i].pr_length, 16);

		ok = d != NULL && base != NULL && len != NULL &&
		    OSDictionary_setObject(d, kIOPlatformDevicePortAddressKey, OSOBJ(base)) &&
		    OSDictionary_setObject(d, kIOPlatformDevicePortLengthKey, OSOBJ(len)) &&
		    OSArray_setObject(a, OSOBJ(d));
		OSSafeReleaseNULL(d);
		OSSafeReleaseNULL(base);
		OSSafeReleaseNULL(len);
	}
	if (!ok)
		OSSafeReleaseNULL(a);
	return a;
}

static bool
pd_ranges_valid(const struct IOPlatformDevicePortRange *ranges, unsigned nranges)
{
	if (ranges == NULL || nranges == 0 || nranges > IOPLATFORMDEVICE_MAX_RANGES)
		return false;
	for (unsigned i = 0; i < nranges; i++) {
		if (ranges[i].pr_length == 0 ||
		    (uint32_t)ranges[i].pr_base + ranges[i].pr_length > 0x10000)
			return false;
	}
	return true;
}

IOPlatformDevice *
IOPlatformDevice_withHID(const char *hid, const struct IOPlatformDevicePortRange *ranges,
    unsigned nranges, const unsigned *lines, unsigned nlines)
{
	IOPlatformDevice *dev;
	OSString *compatible = NULL;
	OSArray *prop = NULL;
	char location[8];
	bool ok;

	if (hid == NULL || !pd_ranges_valid(ranges, nranges) || (nlines > 0 && lines == NULL))
		return NULL;
	dev = OSTypeAlloc(IOPlatformDevice);
	if (dev == NULL)
		return NULL;
	dev->pd_nranges = nranges;
	for (unsigned i = 0; i < nranges; i++)
		dev->pd_ranges[i] = ranges[i];
	(void)snprintf(location, sizeof location, "%x", ranges[0].pr_base);
	ok = IOService_init(&dev->pd_service, NULL) &&
	    IORegistryEntry_setName(&dev->pd_service.sv_entry, hid, NULL) &&
	    IORegistryEntry_setLocation(&dev->pd_service.sv_entry, location, NULL) &&
	    (compatible = OSString_withCString(hid)) != NULL &&
	    IORegistryEntry_setProperty(&dev->pd_service.sv_entry, kIOCompatibleKey,
	    OSOBJ(compatible)) &&
	    (prop = pd_ranges_property(ranges, nranges)) != NULL &&
	    IORegistryEntry_setProperty(&dev->pd_service.sv_entry,
	    kIOPlatformDevicePortRangesKey, OSOBJ(prop)) &&
	    (nlines == 0 || IOService_setInterruptLines(&dev->pd_service, lines, nlines));
	OSSafeReleaseNULL(compatible);
	OSSafeReleaseNULL(prop);
	if (!ok)
		OSSafeReleaseNULL(dev);
	return dev;
}

bool
IOPlatformDevice_inRange(const IOPlatformDevice *dev, uint16_t port, unsigned width)
{
	if (dev == NULL)
		return false;
	for (unsigned i = 0; i < dev->pd_nranges; i++) {
		uint32_t base = dev->pd_ranges[i].pr_base;

		if (port >= base && (uint32_t)port + width <= base + dev->pd_ranges[i].pr_length)
			return true;
	}
	return false;
}

/*
 * Whether the access may go ahead; if not, count it and, the first time
 * interrupts allow a log line (a caller with interrupts off may hold the
 * console lock), say so.
 */
static bool
pd_check(IOPlatformDevice *dev, uint16_t port, unsigned width, bool write)
{
	char name[64];

	if (IOPlatformDevice_inRange(dev, port, width))
		return true;
	if (dev == NULL)
		return false;
	(void)OSAddAtomic(1, &dev->pd_refused);
	if (ml_get_interrupts_enabled() && OSCompareAndSwap(0, 1, &dev->pd_logged)) {
		IOLog("IOPlatformDevice: %s: %u-byte %s of port 0x%x refused: not the device's"
		    " (%d refused so far; later ones are not logged)\n",
		    IORegistryEntry_getName(&dev->pd_service.sv_entry, NULL, name, sizeof name),
		    width, write ? "write" : "read", port, dev->pd_refused);
	}
	return false;
}

uint8_t
IOPlatformDevice_ioRead8(IOPlatformDevice *dev, uint16_t port)
{
	return pd_check(dev, port, 1, false) ? ml_io_read8(port) : 0xff;
}

uint16_t
IOPlatformDevice_ioRead16(IOPlatformDevice *dev, uint16_t port)
{
	return pd_check(dev, port, 2, false) ? ml_io_read16(port) : 0xffff;
}

uint32_t
IOPlatformDevice_ioRead32(IOPlatformDevice *dev, uint16_t port)
{
	return pd_check(dev, port, 4, false) ? ml_io_read32(port) : 0xffffffffU;
}

void
IOPlatformDevice_ioWrite8(IOPlatformDevice *dev, uint16_t port, uint8_t value)
{
	if (pd_check(dev, port, 1, true))
		ml_io_write8(port, value);
}

void
IOPlatformDevice_ioWrite16(IOPlatformDevice *dev, uint16_t port, uint16_t value)
{
	if (pd_check(dev, port, 2, true))
		ml_io_write16(port, value);
}

void
IOPlatformDevice_ioWrite32(IOPlatformDevice *dev, uint16_t port, uint32_t value)
{
	if (pd_check(dev, port, 4, true))
		ml_io_write32(port, value);
}

uint32_t
IOPlatformDevice_getRefusedCount(const IOPlatformDevice *dev)
{
	return dev != NULL ? (uint32_t)dev->pd_refused : 0;
}
