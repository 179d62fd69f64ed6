/*
 * IOVirtioDevice.h - the nub the virtio family publishes for each virtio
 * PCI function, and what a driver of a virtio device calls on it. Part of
 * the IOVirtioFamily kext (org.machina.iokit.IOVirtioFamily): a driver names
 * that identifier in its OSBundleLibraries and includes
 * <IOKit/virtio/IOVirtioDevice.h> and <IOKit/virtio/IOVirtioQueue.h>.
 *
 * The family's personality matches IOPCIDevice with IOPCIMatch
 * "0x10001af4&0xff80ffff" (Red Hat's vendor 0x1af4, devices 0x1000-0x107f);
 * the matched IOVirtioDevice is the PCI function's driver and, once it has
 * reset the device and acknowledged it, registers itself as the nub that
 * virtio drivers match:
 *
 *	IOProviderClass	IOVirtioDevice
 *	IOPropertyMatch	{ virtio-device-type = 4 }	(an <integer>: 64-bit)
 *
 * Properties (OSNumbers, 64-bit so that a personality's <integer> equals
 * them): "virtio-device-type" (1 network, 2 block, 3 console, 4 entropy,
 * 5 balloon, 8 SCSI, 9 9P, ...: the spec's device ids), "virtio-device-features"
 * (the feature bits the device offers); OSString "virtio-transport":
 * "legacy" (the only transport supported: virtio 0.9.5's registers in
 * I/O BAR 0, which QEMU's transitional devices 0x1000-0x103f offer; a
 * modern-only device, 0x1040 and up, is refused with a log line).
 *
 * A driver's life on the nub (the spec's initialisation sequence, 3.1):
 *	start:	IOVirtioDevice_negotiateFeatures(dev, wanted, &got)	DRIVER, features
 *		q = IOVirtioQueue_withDevice(dev, 0)		each queue it uses
 *		ies = IOVirtioDevice_interruptEventSource(dev, owner, action)
 *		add ies to the driver's work loop, enable it
 *		IOVirtioDevice_driverOK(dev)			DRIVER_OK: the device runs
 *	stop:	IOVirtioDevice_reset(dev)			no more DMA, no more interrupts
 *		remove ies from the work loop; release it and the queues
 *
 * Status register: the family resets the device (writes 0 and waits for it
 * to read back 0) and sets ACKNOWLEDGE when it starts; negotiateFeatures
 * sets DRIVER; driverOK sets DRIVER_OK; FEATURES_OK does not exist in the
 * legacy interface and is never written. A device that breaks a rule (a
 * queue size of 0 or not a power of two, a bad used ring entry, see
 * IOVirtioRing.h) is marked FAILED with one log line naming the device and
 * the rule; every later queue operation on it fails. The family resets
 * the device again in its own stop.
 *
 * Interrupts: INTx only (no MSI-X). The event source the family makes is
 * an IOInterruptEventSource on the PCI nub's interrupt 0, owned by the
 * nub; its action, on the driver's work loop, reads the ISR status
 * register (which acknowledges the interrupt and lowers the line), returns
 * if it is 0 (the line is shared), and otherwise calls the driver's action
 * with the ISR bits (kIOVirtioISRQueue, kIOVirtioISRConfig).
 *
 * Locks: none of its own. Register accesses go through the PCI nub's I/O
 * BAR calls; a driver serialises its calls on the nub with its work loop
 * (start and stop run before the event source is enabled and after it is
 * disabled). One driver per nub (one match category).
 */

#ifndef IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIODEVICE_H
#define IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIODEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Families/IOPCIFamily/IOPCIDevice.h"
#include "iokit/Kernel/IOInterruptEventSource.h"
#include "iokit/Kernel/IOService.h"

/* Device types (the spec's section 5). */
#define kIOVirtioDeviceTypeNetwork	1
#define kIOVirtioDeviceTypeBlock	2
#define kIOVirtioDeviceTypeConsole	3
#define kIOVirtioDeviceTypeEntropy	4
#define kIOVirtioDeviceTypeBalloon	5
#define kIOVirtioDeviceTypeSCSI		8
#define kIOVirtioDeviceType9P		9

/* Property keys. */
#define kIOVirtioDeviceTypeKey		"virtio-device-type"
#define kIOVirtioDeviceFeaturesKey	"virtio-device-features"
#define kIOVirtioTransportKey		"virtio-transport"

/* Device status bits. */
#define kIOVirtioStatusAcknowledge	0x01
#define kIOVirtioStatusDriver		0x02
#define kIOVirtioStatusDriverOK		0x04
#define kIOVirtioStatusFeaturesOK	0x08
#define kIOVirtioStatusNeedsReset	0x40
#define kIOVirtioStatusFailed		0x80

/* ISR status bits. */
#define kIOVirtioISRQueue		0x01
#define kIOVirtioISRConfig		0x02

/* Feature bits common to every device type (the legacy interface has bits 0-31). */
#define kIOVirtioFeatureNotifyOnEmpty	(1ULL << 24)
#define kIOVirtioFeatureAnyLayout	(1ULL << 27)
#define kIOVirtioFeatureIndirectDesc	(1ULL << 28)
#define kIOVirtioFeatureEventIdx	(1ULL << 29)

typedef struct IOVirtioDevice IOVirtioDevice;

/* The driver's interrupt action: on its work loop, with the ISR bits read. */
typedef void (*IOVirtioInterruptAction)(OSObject *owner, IOVirtioDevice *dev, uint8_t isr);

struct IOVirtioDevice {
	IOService	vd_service;		/* the superclass, first */
	IOPCIDevice	*vd_pci;		/* [I] the provider, from start */
	uint16_t	vd_ioLength;		/* [I] I/O BAR 0's ports */
	uint32_t	vd_type;		/* [I] the device type */
	uint64_t	vd_deviceFeatures;	/* [I] offered by the device */
	uint64_t	vd_driverFeatures;	/* [w] accepted by the driver */
	uint8_t		vd_status;		/* [w] what was last written */
	bool		vd_failed;		/* [w] FAILED was set: nothing more is done */
	OSObject	*vd_owner;		/* [w] the driver's interrupt action's owner */
	IOVirtioInterruptAction vd_action;	/* [w] ... and the action */
};
OSDeclareDefaultStructors(IOVirtioDevice);

/* The device type; the feature bits the device offers. */
uint32_t	IOVirtioDevice_getDeviceType(IOVirtioDevice *dev);
uint64_t	IOVirtioDevice_getDeviceFeatures(IOVirtioDevice *dev);

/*
 * negotiateFeatures: set DRIVER, accept wanted & offered (bits the legacy
 * interface cannot carry, 32 and up, are dropped), tell the device, and
 * give the result in *accepted (may be NULL). kIOReturnNotReady if the
 * device has failed.
 */
IOReturn	IOVirtioDevice_negotiateFeatures(IOVirtioDevice *dev, uint64_t wanted,
		    uint64_t *accepted);
/* driverOK: set DRIVER_OK (queues and interrupts are set up). */
IOReturn	IOVirtioDevice_driverOK(IOVirtioDevice *dev);
/*
 * reset: write 0 to the status register and wait (up to 100 ms) until it
 * reads back 0; the device forgets its queues and features and stops
 * using memory. A driver calls it first in its stop.
 */
void		IOVirtioDevice_reset(IOVirtioDevice *dev);
/* failed: set FAILED, logging why (once); every later operation fails. */
void		IOVirtioDevice_failed(IOVirtioDevice *dev, const char *why);
bool		IOVirtioDevice_isFailed(IOVirtioDevice *dev);

/*
 * Device-specific configuration (offset from its start; the legacy
 * interface without MSI-X puts it at 0x14 of the I/O BAR). A read beyond
 * the BAR reads all-ones (logged once by the PCI family).
 * read64 reads the two halves until the high one is stable.
 */
uint8_t		IOVirtioDevice_readConfig8(IOVirtioDevice *dev, uint16_t offset);
uint16_t	IOVirtioDevice_readConfig16(IOVirtioDevice *dev, uint16_t offset);
uint32_t	IOVirtioDevice_readConfig32(IOVirtioDevice *dev, uint16_t offset);
uint64_t	IOVirtioDevice_readConfig64(IOVirtioDevice *dev, uint16_t offset);
/* configLength: bytes of device-specific configuration the BAR has. */
uint16_t	IOVirtioDevice_configLength(IOVirtioDevice *dev);

/*
 * interruptEventSource: a new, disabled interrupt event source on the PCI
 * function's INTx whose action reads and acknowledges the ISR and calls
 * action(owner, dev, isr) when the device interrupted. The caller adds it
 * to its work loop, enables it, and removes and releases it in stop. NULL
 * (logged) if the function has no interrupt, action is NULL or memory ran
 * out.
 */
IOInterruptEventSource *IOVirtioDevice_interruptEventSource(IOVirtioDevice *dev,
		    OSObject *owner, IOVirtioInterruptAction action);

/* The family's own, for IOVirtioQueue: queue registers. */
uint16_t	IOVirtioDevice_queueSize(IOVirtioDevice *dev, uint16_t index);
void		IOVirtioDevice_setQueueAddress(IOVirtioDevice *dev, uint16_t index,
		    uint32_t pfn);
void		IOVirtioDevice_notifyQueue(IOVirtioDevice *dev, uint16_t index);

#endif /* IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIODEVICE_H */
