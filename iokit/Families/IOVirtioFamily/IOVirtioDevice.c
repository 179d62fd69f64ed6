/*
 * IOVirtioDevice.c - the virtio family's nub and the PCI function's driver
 * (IOVirtioDevice.h): the legacy transport over I/O BAR 0, feature
 * negotiation, the status register, the interrupt's acknowledgement.
 */

#include "iokit/Families/IOVirtioFamily/IOVirtioDevice.h"

#include "iokit/Families/IOVirtioFamily/IOVirtioFamilyPrivate.h"
#include "iokit/Kernel/IOLib.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"

#define BAR0		kIOPCIConfigBaseAddress0
#define RESET_WAIT_MS	100

static uint8_t
rd8(IOVirtioDevice *dev, uint16_t off)
{
	return IOPCIDevice_ioRead8(dev->vd_pci, BAR0, off);
}

static void
wr8(IOVirtioDevice *dev, uint16_t off, uint8_t v)
{
	IOPCIDevice_ioWrite8(dev->vd_pci, BAR0, off, v);
}

static void
set_status(IOVirtioDevice *dev, uint8_t bits)
{
	dev->vd_status |= bits;
	wr8(dev, kVirtioLegacyStatus, dev->vd_status);
}

uint32_t
IOVirtioDevice_getDeviceType(IOVirtioDevice *dev)
{
	return dev->vd_type;
}

uint64_t
IOVirtioDevice_getDeviceFeatures(IOVirtioDevice *dev)
{
	return dev->vd_deviceFeatures;
}

bool
IOVirtioDevice_isFailed(IOVirtioDevice *dev)
{
	return dev->vd_failed;
}

void
IOVirtioDevice_failed(IOVirtioDevice *dev, const char *why)
{
	if (dev->vd_failed)
		return;
	dev->vd_failed = true;
	IOLog("IOVirtioFamily: %02x:%02x.%x (type %u): %s; the device is marked FAILED\n",
	    IOPCIDevice_getBusNumber(dev->vd_pci), IOPCIDevice_getDeviceNumber(dev->vd_pci),
	    IOPCIDevice_getFunctionNumber(dev->vd_pci), dev->vd_type, why);
	set_status(dev, kIOVirtioStatusFailed);
}

void
IOVirtioDevice_reset(IOVirtioDevice *dev)
{
	wr8(dev, kVirtioLegacyStatus, 0);
	for (int waited = 0; rd8(dev, kVirtioLegacyStatus) != 0 && waited < RESET_WAIT_MS;
	    waited++)
		IOSleep(1);
	dev->vd_status = 0;
	dev->vd_driverFeatures = 0;
	dev->vd_action = NULL;		/* the driver's interrupts end here */
	dev->vd_owner = NULL;
	(void)rd8(dev, kVirtioLegacyISR);	/* a pending interrupt goes with it */
}

IOReturn
IOVirtioDevice_negotiateFeatures(IOVirtioDevice *dev, uint64_t wanted, uint64_t *accepted)
{
	uint64_t got = wanted & dev->vd_deviceFeatures & 0xffffffffULL;

	if (dev->vd_failed)
		return kIOReturnNotReady;
	set_status(dev, kIOVirtioStatusAcknowledge | kIOVirtioStatusDriver);
	IOPCIDevice_ioWrite32(dev->vd_pci, BAR0, kVirtioLegacyDriverFeatures, (uint32_t)got);
	dev->vd_driverFeatures = got;
	if (accepted != NULL)
		*accepted = got;
	return kIOReturnSuccess;
}

IOReturn
IOVirtioDevice_driverOK(IOVirtioDevice *dev)
{
	if (dev->vd_failed)
		return kIOReturnNotReady;
	set_status(dev, kIOVirtioStatusDriverOK);
	return kIOReturnSuccess;
}

uint16_t
IOVirtioDevice_configLength(IOVirtioDevice *dev)
{
	return dev->vd_ioLength > kVirtioLegacyConfig ? dev->vd_ioLength - kVirtioLegacyConfig : 0;
}

uint8_t
IOVirtioDevice_readConfig8(IOVirtioDevice *dev, uint16_t offset)
{
	return IOPCIDevice_ioRead8(dev->vd_pci, BAR0, kVirtioLegacyConfig + offset);
}

uint16_t
IOVirtioDevice_readConfig16(IOVirtioDevice *dev, uint16_t offset)
{
	return IOPCIDevice_ioRead16(dev->vd_pci, BAR0, kVirtioLegacyConfig + offset);
}

uint32_t
IOVirtioDevice_readConfig32(IOVirtioDevice *dev, uint16_t offset)
{
	return IOPCIDevice_ioRead32(dev->vd_pci, BAR0, kVirtioLegacyConfig + offset);
}

uint64_t
IOVirtioDevice_readConfig64(IOVirtioDevice *dev, uint16_t offset)
{
	uint32_t hi, lo;

	/* The legacy interface has no generation counter: read until stable. */
	for (int tries = 0; tries < 4; tries++) {
		hi = IOVirtioDevice_readConfig32(dev, offset + 4);
		lo = IOVirtioDevice_readConfig32(dev, offset);
		if (IOVirtioDevice_readConfig32(dev, offset + 4) == hi)
			break;
	}
	return (uint64_t)hi << 32 | lo;
}

uint16_t
IOVirtioDevice_queueSize(IOVirtioDevice *dev, uint16_t index)
{
	IOPCIDevice_ioWrite16(dev->vd_pci, BAR0, kVirtioLegacyQueueSelect, index);
	return IOPCIDevice_ioRead16(dev->vd_pci, BAR0, kVirtioLegacyQueueSize);
}

void
IOVirtioDevice_setQueueAddress(IOVirtioDevice *dev, uint16_t index, uint32_t pfn)
{
	IOPCIDevice_ioWrite16(dev->vd_pci, BAR0, kVirtioLegacyQueueSelect, index);
	IOPCIDevice_ioWrite32(dev->vd_pci, BAR0, kVirtioLegacyQueueAddress, pfn);
}

void
IOVirtioDevice_notifyQueue(IOVirtioDevice *dev, uint16_t index)
{
	IOPCIDevice_ioWrite16(dev->vd_pci, BAR0, kVirtioLegacyQueueNotify, index);
}

/*
 * On the driver's work loop, the line disabled until this returns: reading
 * the ISR acknowledges the interrupt and lowers INTx. 0: another device's.
 */
static void
virtio_interrupt(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	IOVirtioDevice *dev = (IOVirtioDevice *)owner;
	uint8_t isr = rd8(dev, kVirtioLegacyISR);

	if (isr == 0 || isr == 0xff || dev->vd_action == NULL)
		return;
	dev->vd_action(dev->vd_owner, dev, isr);
}

IOInterruptEventSource *
IOVirtioDevice_interruptEventSource(IOVirtioDevice *dev, OSObject *owner,
    IOVirtioInterruptAction action)
{
	if (action == NULL) {
		IOLog("IOVirtioFamily: an interrupt source needs an action\n");
		return NULL;
	}
	dev->vd_owner = owner;
	dev->vd_action = action;
	return IOInterruptEventSource_interruptEventSourceWithProvider(OSOBJ(dev),
	    virtio_interrupt, &dev->vd_pci->pd_service, 0);
}

/* --- the PCI function's driver ----------------------------------------------------- */

/* The device type: the subsystem id (transitional) or device id - 0x1040 (modern). */
static uint32_t
device_type(IOPCIDevice *pci, uint16_t deviceID)
{
	if (deviceID >= 0x1040)
		return deviceID - 0x1040u;
	return IOPCIDevice_configRead16(pci, kIOPCIConfigSubSystemID);
}

static bool
set_number(IOVirtioDevice *dev, const char *key, uint64_t v)
{
	OSNumber *n = OSNumber_withNumber(v, 64);
	bool ok = n != NULL && IORegistryEntry_setProperty(&dev->vd_service.sv_entry, key,
	    OSOBJ(n));

	OSSafeReleaseNULL(n);
	return ok;
}

static bool
set_string(IOVirtioDevice *dev, const char *key, const char *v)
{
	OSString *s = OSString_withCString(v);
	bool ok = s != NULL && IORegistryEntry_setProperty(&dev->vd_service.sv_entry, key,
	    OSOBJ(s));

	OSSafeReleaseNULL(s);
	return ok;
}

static bool
IOVirtioDevice_start(IOService *self, IOService *provider)
{
	IOVirtioDevice *dev = (IOVirtioDevice *)self;
	uint16_t deviceID, base, length;

	dev->vd_pci = OSDynamicCast(IOPCIDevice, provider);
	if (dev->vd_pci == NULL)
		return false;
	deviceID = IOPCIDevice_configRead16(dev->vd_pci, kIOPCIConfigDeviceID);
	dev->vd_type = device_type(dev->vd_pci, deviceID);
	if (deviceID >= 0x1040 || !IOPCIDevice_getIORange(dev->vd_pci, BAR0, &base, &length) ||
	    length < kVirtioLegacyConfig) {
		IOLog("IOVirtioFamily: %02x:%02x.%x (1af4:%04x): no legacy I/O BAR 0; only the "
		    "legacy (transitional) interface is supported\n",
		    IOPCIDevice_getBusNumber(dev->vd_pci), IOPCIDevice_getDeviceNumber(dev->vd_pci),
		    IOPCIDevice_getFunctionNumber(dev->vd_pci), deviceID);
		return false;
	}
	dev->vd_ioLength = length;
	(void)IOPCIDevice_setIOEnable(dev->vd_pci, true);
	(void)IOPCIDevice_setBusMasterEnable(dev->vd_pci, true);
	IOVirtioDevice_reset(dev);
	set_status(dev, kIOVirtioStatusAcknowledge);
	dev->vd_deviceFeatures = IOPCIDevice_ioRead32(dev->vd_pci, BAR0,
	    kVirtioLegacyDeviceFeatures);
	if (!set_number(dev, kIOVirtioDeviceTypeKey, dev->vd_type) ||
	    !set_number(dev, kIOVirtioDeviceFeaturesKey, dev->vd_deviceFeatures) ||
	    !set_string(dev, kIOVirtioTransportKey, "legacy"))
		return false;
	IOLog("IOVirtioFamily: %02x:%02x.%x: virtio device type %u, features 0x%08llx, "
	    "legacy interface at ports 0x%x\n", IOPCIDevice_getBusNumber(dev->vd_pci),
	    IOPCIDevice_getDeviceNumber(dev->vd_pci), IOPCIDevice_getFunctionNumber(dev->vd_pci),
	    dev->vd_type, (unsigned long long)dev->vd_deviceFeatures, base);
	IOService_registerService(self, 0);
	return true;
}

static void
IOVirtioDevice_stop(IOService *self, IOService *provider)
{
	IOVirtioDevice *dev = (IOVirtioDevice *)self;

	IOVirtioDevice_reset(dev);
	(void)IOPCIDevice_setBusMasterEnable(dev->vd_pci, false);
}

static const struct IOService_methods IOVirtioDevice_methods = {
	.start = IOVirtioDevice_start,
	.stop = IOVirtioDevice_stop,
};
OSDefineMetaClassAndStructorsWithMethods(IOVirtioDevice, IOService, &IOVirtioDevice_methods);
