/*
 * IOPCIDevice.c - the PCI function's nub: its properties, its matching on
 * IOPCIMatch and friends, and the calls its driver makes (IOPCIDevice.h).
 *
 * Everything a driver passes in is checked: configuration offsets against
 * the function's space and the access's alignment, BAR registers against
 * the BARs the scan found, port offsets against the BAR's length. A bad
 * access does nothing (reads give all-ones) and is logged once per nub.
 */

#include "iokit/Families/IOPCIFamily/IOPCIDevice.h"

#include <stddef.h>

#include "iokit/Families/IOPCIFamily/IOPCIConfigSpace.h"
#include "iokit/Families/IOPCIFamily/IOPCIFamilyPrivate.h"
#include "iokit/Families/IOPCIFamily/IOPCIMatch.h"
#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOLocks.h"
#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/libkern.h"

#define PCI_STATUS_CAPABILITIES	0x0010
#define PCI_CAPABILITY_MIN	0x40
#define PCI_CAPABILITY_MAX_WALK	48	/* 192 bytes of capabilities at 4 bytes each */

static const char *const bar_type_names[] = {
	[kIOPCIBARMemory32] = "memory32",
	[kIOPCIBARMemory64] = "memory64",
	[kIOPCIBARIO] = "io",
};

static const char *
nub_name(IOPCIDevice *dev, char *buf, size_t len)
{
	return IORegistryEntry_getName(&dev->pd_service.sv_entry, NULL, buf, len);
}

/* --- configuration space ----------------------------------------------------------- */

/* Whether a width-byte access at offset is inside the space and aligned; logs once if not. */
static bool
config_check(IOPCIDevice *dev, uint32_t offset, unsigned width, const char *what)
{
	char name[64];

	if (offset < dev->pd_configSize && width <= dev->pd_configSize - offset &&
	    (offset & (width - 1)) == 0)
		return true;
	if (!dev->pd_warned) {
		dev->pd_warned = true;
		IOLog("IOPCIDevice: %s: %s of %u bytes at configuration offset 0x%x is outside "
		    "its %u bytes or misaligned; %s\n", nub_name(dev, name, sizeof name), what,
		    width, offset, dev->pd_configSize,
		    what[0] == 'r' ? "reads as all-ones" : "dropped");
	}
	return false;
}

static uint32_t
config_read(IOPCIDevice *dev, uint32_t offset, unsigned width)
{
	if (dev == NULL)
		return 0xffffffffu >> (32 - 8 * width);
	if (!config_check(dev, offset, width, "read"))
		return 0xffffffffu >> (32 - 8 * width);
	return IOPCIConfigSpace_read(dev->pd_bus, dev->pd_device, dev->pd_function,
	    dev->pd_ecam, offset, width);
}

static void
config_write(IOPCIDevice *dev, uint32_t offset, unsigned width, uint32_t data)
{
	if (dev == NULL || !config_check(dev, offset, width, "write"))
		return;
	IOPCIConfigSpace_write(dev->pd_bus, dev->pd_device, dev->pd_function, dev->pd_ecam,
	    offset, width, data);
}

uint32_t
IOPCIDevice_configRead32(IOPCIDevice *dev, uint32_t offset)
{
	return config_read(dev, offset, 4);
}

uint16_t
IOPCIDevice_configRead16(IOPCIDevice *dev, uint32_t offset)
{
	return (uint16_t)config_read(dev, offset, 2);
}

uint8_t
IOPCIDevice_configRead8(IOPCIDevice *dev, uint32_t offset)
{
	return (uint8_t)config_read(dev, offset, 1);
}

void
IOPCIDevice_configWrite32(IOPCIDevice *dev, uint32_t offset, uint32_t data)
{
	config_write(dev, offset, 4, data);
}

void
IOPCIDevice_configWrite16(IOPCIDevice *dev, uint32_t offset, uint16_t data)
{
	config_write(dev, offset, 2, data);
}

void
IOPCIDevice_configWrite8(IOPCIDevice *dev, uint32_t offset, uint8_t data)
{
	config_write(dev, offset, 1, data);
}

/* Set or clear bits of the command register; whether they were all set before. */
static bool
command_set(IOPCIDevice *dev, uint16_t bits, bool enable)
{
	uint16_t cmd;

	if (dev == NULL)
		return false;
	cmd = IOPCIDevice_configRead16(dev, kIOPCIConfigCommand);
	IOPCIDevice_configWrite16(dev, kIOPCIConfigCommand,
	    enable ? (uint16_t)(cmd | bits) : (uint16_t)(cmd & ~bits));
	return (cmd & bits) == bits;
}

bool
IOPCIDevice_setMemoryEnable(IOPCIDevice *dev, bool enable)
{
	return command_set(dev, kIOPCICommandMemorySpace, enable);
}

bool
IOPCIDevice_setIOEnable(IOPCIDevice *dev, bool enable)
{
	return command_set(dev, kIOPCICommandIOSpace, enable);
}

bool
IOPCIDevice_setBusMasterEnable(IOPCIDevice *dev, bool enable)
{
	return command_set(dev, kIOPCICommandBusMaster, enable);
}

uint32_t
IOPCIDevice_findPCICapability(IOPCIDevice *dev, uint8_t capabilityID, uint8_t *offset)
{
	char name[64];
	uint32_t found = 0;
	uint8_t ptr;

	if (offset != NULL)
		*offset = 0;
	if (dev == NULL || dev->pd_private == NULL || dev->pd_private->pp_headerType > 1 ||
	    (IOPCIDevice_configRead16(dev, kIOPCIConfigStatus) & PCI_STATUS_CAPABILITIES) == 0)
		return 0;
	ptr = IOPCIDevice_configRead8(dev, kIOPCIConfigCapabilitiesPtr) & 0xfc;
	for (unsigned walked = 0; ptr != 0; walked++) {
		if (ptr < PCI_CAPABILITY_MIN || walked == PCI_CAPABILITY_MAX_WALK) {
			IOLog("IOPCIDevice: %s: the capability list is malformed (%s at 0x%x)\n",
			    nub_name(dev, name, sizeof name),
			    ptr < PCI_CAPABILITY_MIN ? "a pointer into the header" : "a loop", ptr);
			return 0;
		}
		if (IOPCIDevice_configRead8(dev, ptr) == capabilityID) {
			found = ptr;
			break;
		}
		ptr = IOPCIDevice_configRead8(dev, ptr + 1u) & 0xfc;
	}
	if (offset != NULL)
		*offset = (uint8_t)found;
	return found;
}

/* --- BARs ------------------------------------------------------------------------ */

static const struct IOPCIBAR *
bar_with_register(IOPCIDevice *dev, uint8_t reg)
{
	if (dev == NULL || dev->pd_private == NULL)
		return NULL;
	for (unsigned i = 0; i < dev->pd_private->pp_nbars; i++) {
		if (dev->pd_private->pp_bars[i].bar_reg == reg)
			return &dev->pd_private->pp_bars[i];
	}
	return NULL;
}

/* The memory BAR at reg, or NULL with the reason logged. */
static const struct IOPCIBAR *
memory_bar(IOPCIDevice *dev, uint8_t reg, const char *caller)
{
	const struct IOPCIBAR *bar = bar_with_register(dev, reg);
	char name[64];

	if (dev == NULL)
		return NULL;
	if (bar == NULL || bar->bar_type == kIOPCIBARIO || bar->bar_address == 0) {
		IOLog("IOPCIDevice: %s: %s: register 0x%x is not %s\n",
		    nub_name(dev, name, sizeof name), caller, reg,
		    bar == NULL ? "an implemented BAR" :
		    bar->bar_type == kIOPCIBARIO ? "a memory BAR (it is I/O space)" :
		    "an assigned memory BAR");
		return NULL;
	}
	return bar;
}

IOMemoryDescriptor *
IOPCIDevice_getDeviceMemoryWithRegister(IOPCIDevice *dev, uint8_t reg)
{
	const struct IOPCIBAR *bar = memory_bar(dev, reg, "getDeviceMemoryWithRegister");

	if (bar == NULL)
		return NULL;
	return IOMemoryDescriptor_withPhysicalAddress(bar->bar_address, bar->bar_length,
	    kIODirectionInOut);
}

IOMemoryMap *
IOPCIDevice_mapDeviceMemoryWithRegister(IOPCIDevice *dev, uint8_t reg, IOOptionBits options)
{
	IOMemoryDescriptor *md;
	IOMemoryMap *map;

	if ((md = IOPCIDevice_getDeviceMemoryWithRegister(dev, reg)) == NULL)
		return NULL;
	if ((options & kIOMapCacheMask) == kIOMapDefaultCache)
		options |= kIOMapInhibitCache;
	map = IOMemoryDescriptor_map(md, options | kIOMapAnywhere);
	OSSafeReleaseNULL(md);
	return map;
}

IOMemoryMap *
IOPCIDevice_mapDeviceMemoryWithIndex(IOPCIDevice *dev, unsigned index, IOOptionBits options)
{
	char name[64];

	if (dev == NULL || dev->pd_private == NULL)
		return NULL;
	if (index >= dev->pd_private->pp_nbars) {
		IOLog("IOPCIDevice: %s: mapDeviceMemoryWithIndex: no BAR at index %u (it has %u)\n",
		    nub_name(dev, name, sizeof name), index, dev->pd_private->pp_nbars);
		return NULL;
	}
	return IOPCIDevice_mapDeviceMemoryWithRegister(dev,
	    dev->pd_private->pp_bars[index].bar_reg, options);
}

bool
IOPCIDevice_getIORange(IOPCIDevice *dev, uint8_t reg, uint16_t *base, uint16_t *length)
{
	const struct IOPCIBAR *bar = bar_with_register(dev, reg);

	if (bar == NULL || bar->bar_type != kIOPCIBARIO || bar->bar_address == 0)
		return false;
	if (base != NULL)
		*base = (uint16_t)bar->bar_address;
	if (length != NULL)
		*length = (uint16_t)bar->bar_length;
	return true;
}

/* The port for a width-byte access at offset into the I/O BAR at reg, or 0 (logged once). */
static uint16_t
io_port(IOPCIDevice *dev, uint8_t reg, uint16_t offset, unsigned width)
{
	uint16_t base, length;
	char name[64];

	if (IOPCIDevice_getIORange(dev, reg, &base, &length) && offset < length &&
	    width <= (unsigned)(length - offset))
		return (uint16_t)(base + offset);
	if (dev != NULL && dev->pd_private != NULL && !dev->pd_private->pp_ioWarned) {
		dev->pd_private->pp_ioWarned = true;
		IOLog("IOPCIDevice: %s: I/O access of %u bytes at 0x%x of register 0x%x is "
		    "outside its I/O BAR; ignored\n", nub_name(dev, name, sizeof name), width,
		    offset, reg);
	}
	return 0;
}

uint32_t
IOPCIDevice_ioRead32(IOPCIDevice *dev, uint8_t reg, uint16_t offset)
{
	uint16_t port = io_port(dev, reg, offset, 4);

	return port != 0 ? iopci_inl(port) : 0xffffffffu;
}

uint16_t
IOPCIDevice_ioRead16(IOPCIDevice *dev, uint8_t reg, uint16_t offset)
{
	uint16_t port = io_port(dev, reg, offset, 2);

	return port != 0 ? iopci_inw(port) : 0xffff;
}

uint8_t
IOPCIDevice_ioRead8(IOPCIDevice *dev, uint8_t reg, uint16_t offset)
{
	uint16_t port = io_port(dev, reg, offset, 1);

	return port != 0 ? iopci_inb(port) : 0xff;
}

void
IOPCIDevice_ioWrite32(IOPCIDevice *dev, uint8_t reg, uint16_t offset, uint32_t v)
{
	uint16_t port = io_port(dev, reg, offset, 4);

	if (port != 0)
		iopci_outl(port, v);
}

void
IOPCIDevice_ioWrite16(IOPCIDevice *dev, uint8_t reg, uint16_t offset, uint16_t v)
{
	uint16_t port = io_port(dev, reg, offset, 2);

	if (port != 0)
		iopci_outw(port, v);
}

void
IOPCIDevice_ioWrite8(IOPCIDevice *dev, uint8_t reg, uint16_t offset, uint8_t v)
{
	uint16_t port = io_port(dev, reg, offset, 1);

	if (port != 0)
		iopci_outb(port, v);
}

uint8_t
IOPCIDevice_getBusNumber(IOPCIDevice *dev)
{
	return dev != NULL ? dev->pd_bus : 0;
}

uint8_t
IOPCIDevice_getDeviceNumber(IOPCIDevice *dev)
{
	return dev != NULL ? dev->pd_device : 0;
}

uint8_t
IOPCIDevice_getFunctionNumber(IOPCIDevice *dev)
{
	return dev != NULL ? dev->pd_function : 0;
}

/* --- matching ----------------------------------------------------------------------- */

/*
 * Malformed match values already reported: each is logged once, not once
 * per nub. They are retained, so an address is never reused for another
 * value while it is here. [m] reported.lock.
 */
#define REPORTED_MAX	16
static struct {
	IOLock		*lock;
	OSObject	*values[REPORTED_MAX];
	unsigned	count;
} reported;

/* Whether value is new to the list (and now on it). */
static bool
report_first_time(OSObject *value)
{
	bool first = true;

	if (reported.lock == NULL)
		return true;
	IOLockLock(reported.lock);
	for (unsigned i = 0; i < reported.count; i++) {
		if (reported.values[i] == value)
			first = false;
	}
	if (first && reported.count < REPORTED_MAX) {
		OSObject_retain(value);
		reported.values[reported.count++] = value;
	}
	IOLockUnlock(reported.lock);
	return first;
}

void
IOPCIDevice_initReports(void)
{
	reported.lock = IOLockAlloc();
}

void
IOPCIDevice_freeReports(void)
{
	for (unsigned i = 0; i < reported.count; i++)
		OSSafeReleaseNULL(reported.values[i]);
	reported.count = 0;
	if (reported.lock != NULL)
		IOLockFree(reported.lock);
	reported.lock = NULL;
}

/*
 * One family key of table against values[0..count): true if absent or
 * matching; a malformed or non-string value matches nothing, logged with
 * the personality's name (once per value).
 */
static bool
match_key(IOPCIDevice *dev, OSDictionary *table, const char *key, const uint32_t *values,
    unsigned count)
{
	OSObject *obj = OSDictionary_getObject(table, key);
	OSString *str = OSDynamicCast(OSString, obj), *pname;
	const char *why = NULL, *text;
	unsigned at = 0;
	char name[64];
	int r;

	if (obj == NULL)
		return true;
	text = str != NULL ? OSString_getCStringNoCopy(str) : NULL;
	r = str != NULL ? IOPCIMatchString(text, values, count, &why, &at) : kIOPCIMatchMalformed;
	if (r != kIOPCIMatchMalformed)
		return r == kIOPCIMatchYes;
	if (!report_first_time(obj))
		return false;
	pname = OSDynamicCast(OSString, OSDictionary_getObject(table, kIOPersonalityNameKey));
	if (str == NULL)
		IOLog("IOPCIDevice: personality %s: %s is not a string; refused (first on %s)\n",
		    pname != NULL ? OSString_getCStringNoCopy(pname) : "(unnamed)", key,
		    nub_name(dev, name, sizeof name));
	else
		IOLog("IOPCIDevice: personality %s: %s \"%s\" is malformed at %u: %s; refused (first on %s)\n",
		    pname != NULL ? OSString_getCStringNoCopy(pname) : "(unnamed)", key, text, at,
		    why, nub_name(dev, name, sizeof name));
	return false;
}

static bool
IOPCIDevice_matchPropertyTableMethod(IOService *self, OSDictionary *table, int32_t *score)
{
	IOPCIDevice *dev = (IOPCIDevice *)self;
	const struct IOPCIFamilyPrivate *p = dev->pd_private;
	uint32_t primary, secondary, both[2], classValue;
	bool ok;

	if (p == NULL || table == NULL)
		return false;
	primary = (uint32_t)p->pp_device << 16 | p->pp_vendor;
	secondary = (uint32_t)p->pp_subDevice << 16 | p->pp_subVendor;
	both[0] = primary;
	both[1] = secondary;
	classValue = p->pp_classCode << 8;
	/* Every key is checked, so that a malformed one is reported even after a mismatch. */
	ok = match_key(dev, table, kIOPCIMatchKey, both, 2);
	ok = match_key(dev, table, kIOPCIPrimaryMatchKey, &primary, 1) && ok;
	ok = match_key(dev, table, kIOPCISecondaryMatchKey, &secondary, 1) && ok;
	ok = match_key(dev, table, kIOPCIClassMatchKey, &classValue, 1) && ok;
	return ok;
}

/* --- the nub ------------------------------------------------------------------------- */

static bool
set_number(IOPCIDevice *dev, const char *key, uint64_t value, unsigned bits)
{
	OSNumber *n = OSNumber_withNumber(value, bits);
	bool ok = n != NULL && IORegistryEntry_setProperty(&dev->pd_service.sv_entry, key,
	    OSOBJ(n));

	OSSafeReleaseNULL(n);
	return ok;
}

static bool
dict_number(OSDictionary *d, const char *key, uint64_t value, unsigned bits)
{
	OSNumber *n = OSNumber_withNumber(value, bits);
	bool ok = n != NULL && OSDictionary_setObject(d, key, OSOBJ(n));

	OSSafeReleaseNULL(n);
	return ok;
}

static bool
array_string(OSArray *a, const char *text)
{
	OSString *s = OSString_withCString(text);
	bool ok = s != NULL && OSArray_setObject(a, OSOBJ(s));

	OSSafeReleaseNULL(s);
	return ok;
}

static bool
set_compatible(IOPCIDevice *dev, const struct IOPCIFamilyPrivate *p)
{
	OSArray *a = OSArray_withCapacity(3);
	char buf[32];
	bool ok = a != NULL;

	(void)snprintf(buf, sizeof buf, "pci%x,%x", p->pp_vendor, p->pp_device);
	ok = ok && array_string(a, buf);
	(void)snprintf(buf, sizeof buf, "pci%x,%x", p->pp_subVendor, p->pp_subDevice);
	ok = ok && array_string(a, buf);
	(void)snprintf(buf, sizeof buf, "pciclass,%x", p->pp_classCode);
	ok = ok && array_string(a, buf);
	ok = ok && IORegistryEntry_setProperty(&dev->pd_service.sv_entry, kIOCompatibleKey, OSOBJ(a));
	OSSafeReleaseNULL(a);
	return ok;
}

static bool
set_assigned_addresses(IOPCIDevice *dev, const struct IOPCIFamilyPrivate *p)
{
	OSArray *a = OSArray_withCapacity(p->pp_nbars > 0 ? p->pp_nbars : 1);
	bool ok = a != NULL;

	for (unsigned i = 0; ok && i < p->pp_nbars; i++) {
		const struct IOPCIBAR *bar = &p->pp_bars[i];
		OSDictionary *d = OSDictionary_withCapacity(5);
		OSString *type = OSString_withCString(bar_type_names[bar->bar_type]);

		ok = d != NULL && type != NULL &&
		    dict_number(d, kIOPCIBARIndexKey, (bar->bar_reg - kIOPCIConfigBaseAddress0) / 4, 32) &&
		    dict_number(d, kIOPCIBARAddressKey, bar->bar_address, 64) &&
		    dict_number(d, kIOPCIBARLengthKey, bar->bar_length, 64) &&
		    OSDictionary_setObject(d, kIOPCIBARTypeKey, OSOBJ(type)) &&
		    OSDictionary_setObject(d, kIOPCIBARPrefetchableKey,
		    OSOBJ(bar->bar_prefetchable ? kOSBooleanTrue : kOSBooleanFalse)) &&
		    OSArray_setObject(a, OSOBJ(d));
		OSSafeReleaseNULL(type);
		OSSafeReleaseNULL(d);
	}
	ok = ok && IORegistryEntry_setProperty(&dev->pd_service.sv_entry,
	    kIOPCIAssignedAddressesKey, OSOBJ(a));
	OSSafeReleaseNULL(a);
	return ok;
}

static bool
set_properties(IOPCIDevice *dev, const struct IOPCIFamilyPrivate *p)
{
	IORegistryEntry *e = &dev->pd_service.sv_entry;
	char buf[32];
	bool ok;

	(void)snprintf(buf, sizeof buf, "pci%x,%x", p->pp_vendor, p->pp_device);
	ok = IORegistryEntry_setName(e, buf, NULL);
	if (dev->pd_function == 0)
		(void)snprintf(buf, sizeof buf, "%x", dev->pd_device);
	else
		(void)snprintf(buf, sizeof buf, "%x,%x", dev->pd_device, dev->pd_function);
	ok = ok && IORegistryEntry_setLocation(e, buf, NULL) &&
	    set_number(dev, kIOPCIVendorIDKey, p->pp_vendor, 32) &&
	    set_number(dev, kIOPCIDeviceIDKey, p->pp_device, 32) &&
	    set_number(dev, kIOPCISubSystemVendorIDKey, p->pp_subVendor, 32) &&
	    set_number(dev, kIOPCISubSystemIDKey, p->pp_subDevice, 32) &&
	    set_number(dev, kIOPCIRevisionIDKey, p->pp_revision, 32) &&
	    set_number(dev, kIOPCIClassCodeKey, p->pp_classCode, 32) &&
	    set_number(dev, kIOPCIBusNumberKey, dev->pd_bus, 8) &&
	    set_number(dev, kIOPCIDeviceNumberKey, dev->pd_device, 8) &&
	    set_number(dev, kIOPCIFunctionNumberKey, dev->pd_function, 8) &&
	    set_compatible(dev, p) && set_assigned_addresses(dev, p);
	if (ok && p->pp_interruptLine != kIOPCINoInterrupt)
		ok = IOService_setInterruptLines(&dev->pd_service, &p->pp_interruptLine, 1);
	if (ok && dev->pd_ecam != NULL)
		ok = IORegistryEntry_setProperty(e, kIOPCIExpressCapableKey, OSOBJ(kOSBooleanTrue));
	return ok;
}

IOPCIDevice *
IOPCIDevice_withFunction(uint8_t bus, uint8_t device, uint8_t function, volatile uint8_t *ecam,
    const struct IOPCIFamilyPrivate *info)
{
	IOPCIDevice *dev = OSTypeAlloc(IOPCIDevice);

	if (dev == NULL || !IOService_init(&dev->pd_service, NULL))
		goto fail;
	dev->pd_bus = bus;
	dev->pd_device = device;
	dev->pd_function = function;
	dev->pd_ecam = ecam;
	dev->pd_configSize = ecam != NULL ? 4096 : 256;
	dev->pd_private = OSMalloc(sizeof(*dev->pd_private), gIOPCIFamilyTag);
	if (dev->pd_private == NULL)
		goto fail;
	*dev->pd_private = *info;
	dev->pd_private->pp_ioWarned = false;
	if (!set_properties(dev, info))
		goto fail;
	return dev;
fail:
	IOLog("IOPCIFamily: out of memory for the nub of %02x:%02x.%x\n", bus, device, function);
	OSSafeReleaseNULL(dev);
	return NULL;
}

static void
IOPCIDevice_free(OSObject *obj)
{
	IOPCIDevice *dev = (IOPCIDevice *)obj;

	if (dev->pd_private != NULL)
		OSFree(dev->pd_private, sizeof(*dev->pd_private), gIOPCIFamilyTag);
	dev->pd_private = NULL;
}

static const struct IOService_methods IOPCIDevice_methods = {
	.re.os.free = IOPCIDevice_free,
	.matchPropertyTable = IOPCIDevice_matchPropertyTableMethod,
};
OSDefineMetaClassAndStructorsWithMethods(IOPCIDevice, IOService, &IOPCIDevice_methods);
