/*
 * IOPCIDevice.h - the nub the PCI family publishes for each PCI function,
 * and what a driver of a PCI device calls on it. Part of the IOPCIFamily
 * kext (org.machina.iokit.IOPCIFamily): a driver names that identifier in
 * its OSBundleLibraries and includes <IOKit/pci/IOPCIDevice.h> from the SDK.
 *
 * One IOPCIDevice per function the bus scan finds, attached in the
 * IOService plane below its bridge (IOPCIBridge, itself below the machine's
 * root: IOResources until a platform expert publishes one; a function
 * behind a PCI-to-PCI bridge is below that bridge's nub) and in
 * IODeviceTree below the same, named "pci<vendor>,<device>"
 * as macOS names them, at location "<device>,<function>" (hex, function
 * dropped when 0), so IOService:/.../pci@0/pci1af4,1001@3 is a path.
 *
 * Properties every nub has (all OSNumbers unless said):
 *   vendor-id, device-id, subsystem-vendor-id, subsystem-id (32-bit values,
 *     as the IOPCIMatch keys compare them), revision-id, class-code (the
 *     24-bit class, subclass and programming interface), IOPCIBusNumber,
 *     IOPCIDeviceNumber, IOPCIFunctionNumber;
 *   compatible: an OSArray of OSStrings "pci<ven>,<dev>",
 *     "pci<subven>,<subdev>", "pciclass,<class>" (lower-case hex, no
 *     leading zeros), so IONameMatch on either works;
 *   assigned-addresses: an OSArray with one OSDictionary per implemented
 *     BAR: { IOPCIBARIndex, IOPCIBARAddress, IOPCIBARLength (bytes),
 *     IOPCIBARType ("memory32", "memory64", "io"), IOPCIBARPrefetchable
 *     (OSBoolean) }. A BAR that reads back a size of zero is not listed;
 *   IOInterruptSpecifiers (IOService.h) when the function has an INTx pin
 *     wired to a line: index 0 is that interrupt;
 *   IOPCIExpressCapable (OSBoolean) when configuration space is reached
 *     through ECAM (the MCFG table), so offsets up to 4095 work.
 *
 * Matching: the family's matchPropertyTable on an IOPCIDevice checks
 *   IOPCIMatch, IOPCIPrimaryMatch, IOPCISecondaryMatch: a string of
 *     space-separated "0xDDDDVVVV" device/vendor words, each optionally with
 *     a mask ("0x10001af4&0xfff0ffff"); IOPCIMatch tries the primary pair
 *     (device-id, vendor-id) and the subsystem pair, the others one each;
 *   IOPCIClassMatch: "0xCCSSPP00" words, with optional masks, against
 *     class-code << 8.
 * and adds nothing to the score, as on macOS.
 *
 * BARs: the family keeps what the firmware assigned and assigns the BARs
 * it left at zero (docs/iokit-pci.md); it never turns on a function's
 * decoding or bus mastering: a driver calls setMemoryEnable/setIOEnable
 * (and setBusMasterEnable for DMA) in its start.
 *
 * Configuration space: every access is checked against the space the nub
 * has (256 bytes, or 4096 with ECAM) and its natural alignment; a bad
 * offset reads as all-ones and writes nothing, logged once per nub.
 *
 * Locks: configuration accesses of all nubs serialise on the family's
 * configuration lock (a spin lock: the legacy 0xcf8/0xcfc pair is one
 * global register); nothing is called with it held.
 */

#ifndef IOKIT_FAMILIES_IOPCIFAMILY_IOPCIDEVICE_H
#define IOKIT_FAMILIES_IOPCIFAMILY_IOPCIDEVICE_H

#include <stdint.h>

#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "iokit/Kernel/IOService.h"

/* Configuration-space offsets, Apple's names. */
#define kIOPCIConfigVendorID		0x00
#define kIOPCIConfigDeviceID		0x02
#define kIOPCIConfigCommand		0x04
#define kIOPCIConfigStatus		0x06
#define kIOPCIConfigRevisionID		0x08
#define kIOPCIConfigClassCode		0x09
#define kIOPCIConfigCacheLineSize	0x0c
#define kIOPCIConfigLatencyTimer	0x0d
#define kIOPCIConfigHeaderType		0x0e
#define kIOPCIConfigBaseAddress0	0x10
#define kIOPCIConfigBaseAddress1	0x14
#define kIOPCIConfigBaseAddress2	0x18
#define kIOPCIConfigBaseAddress3	0x1c
#define kIOPCIConfigBaseAddress4	0x20
#define kIOPCIConfigBaseAddress5	0x24
#define kIOPCIConfigSubSystemVendorID	0x2c
#define kIOPCIConfigSubSystemID		0x2e
#define kIOPCIConfigCapabilitiesPtr	0x34
#define kIOPCIConfigInterruptLine	0x3c
#define kIOPCIConfigInterruptPin	0x3d

/* The nub's property keys (above) and the personality keys matching reads. */
#define kIOPCIVendorIDKey		"vendor-id"
#define kIOPCIDeviceIDKey		"device-id"
#define kIOPCISubSystemVendorIDKey	"subsystem-vendor-id"
#define kIOPCISubSystemIDKey		"subsystem-id"
#define kIOPCIRevisionIDKey		"revision-id"
#define kIOPCIClassCodeKey		"class-code"
#define kIOPCIBusNumberKey		"IOPCIBusNumber"
#define kIOPCIDeviceNumberKey		"IOPCIDeviceNumber"
#define kIOPCIFunctionNumberKey		"IOPCIFunctionNumber"
#define kIOPCIAssignedAddressesKey	"assigned-addresses"
#define kIOPCIBARIndexKey		"IOPCIBARIndex"
#define kIOPCIBARAddressKey		"IOPCIBARAddress"
#define kIOPCIBARLengthKey		"IOPCIBARLength"
#define kIOPCIBARTypeKey		"IOPCIBARType"
#define kIOPCIBARPrefetchableKey	"IOPCIBARPrefetchable"
#define kIOPCIExpressCapableKey		"IOPCIExpressCapable"
#define kIOPCIMatchKey			"IOPCIMatch"
#define kIOPCIPrimaryMatchKey		"IOPCIPrimaryMatch"
#define kIOPCISecondaryMatchKey		"IOPCISecondaryMatch"
#define kIOPCIClassMatchKey		"IOPCIClassMatch"

/* Command register bits. */
#define kIOPCICommandIOSpace		0x0001
#define kIOPCICommandMemorySpace	0x0002
#define kIOPCICommandBusMaster		0x0004
#define kIOPCICommandInterruptDisable	0x0400

/* Capability ids for findPCICapability. */
#define kIOPCIPowerManagementCapability	0x01
#define kIOPCIMSICapability		0x05
#define kIOPCIVendorSpecificCapability	0x09
#define kIOPCIPCIExpressCapability	0x10
#define kIOPCIMSIXCapability		0x11

typedef struct IOPCIDevice IOPCIDevice;

struct IOPCIDevice {
	IOService	pd_service;	/* the superclass, first */
	uint8_t		pd_bus;		/* [I] */
	uint8_t		pd_device;	/* [I] */
	uint8_t		pd_function;	/* [I] */
	uint16_t	pd_configSize;	/* [I] 256, or 4096 through ECAM */
	volatile uint8_t *pd_ecam;	/* [I] this function's ECAM window, or NULL */
	bool		pd_warned;	/* a bad access was logged */
	struct IOPCIFamilyPrivate *pd_private;	/* the family's; drivers keep out */
};
OSDeclareDefaultStructors(IOPCIDevice);

/* Configuration space (offset in bytes; see above for bad offsets). */
uint32_t	IOPCIDevice_configRead32(IOPCIDevice *dev, uint32_t offset);
uint16_t	IOPCIDevice_configRead16(IOPCIDevice *dev, uint32_t offset);
uint8_t		IOPCIDevice_configRead8(IOPCIDevice *dev, uint32_t offset);
void		IOPCIDevice_configWrite32(IOPCIDevice *dev, uint32_t offset, uint32_t data);
void		IOPCIDevice_configWrite16(IOPCIDevice *dev, uint32_t offset, uint16_t data);
void		IOPCIDevice_configWrite8(IOPCIDevice *dev, uint32_t offset, uint8_t data);

/*
 * The command register's enables; each returns the bit's previous state,
 * as on macOS. A driver that does DMA sets bus mastering in start and
 * clears it in stop.
 */
bool		IOPCIDevice_setMemoryEnable(IOPCIDevice *dev, bool enable);
bool		IOPCIDevice_setIOEnable(IOPCIDevice *dev, bool enable);
bool		IOPCIDevice_setBusMasterEnable(IOPCIDevice *dev, bool enable);

/*
 * findPCICapability: the offset of the first capability with this id
 * (0 if none, or the list is malformed: a loop, or a pointer out of
 * range, logged). *offset, if not NULL, gets the same.
 */
uint32_t	IOPCIDevice_findPCICapability(IOPCIDevice *dev, uint8_t capabilityID,
		    uint8_t *offset);

/*
 * A memory BAR mapped into the kernel, uncached unless options ask
 * otherwise (kIOMapInhibitCache is the default here; kIOMapWriteCombineCache
 * for a framebuffer): a new IOMemoryMap, released by the driver in stop.
 * NULL, logged, for an I/O-space BAR, an unimplemented or zero-length BAR,
 * or a register that is not a BAR. mapDeviceMemoryWithRegister takes the
 * BAR's configuration offset (kIOPCIConfigBaseAddress0 + 4 * n);
 * mapDeviceMemoryWithIndex the index into assigned-addresses.
 * getDeviceMemoryWithRegister: an IOMemoryDescriptor over the BAR's
 * physical range (retained by the caller), for mapping later.
 */
IOMemoryMap	*IOPCIDevice_mapDeviceMemoryWithRegister(IOPCIDevice *dev, uint8_t reg,
		    IOOptionBits options);
IOMemoryMap	*IOPCIDevice_mapDeviceMemoryWithIndex(IOPCIDevice *dev, unsigned index,
		    IOOptionBits options);
IOMemoryDescriptor *IOPCIDevice_getDeviceMemoryWithRegister(IOPCIDevice *dev, uint8_t reg);

/*
 * I/O-space BARs: the port base and length of the BAR at reg (false if it
 * is not an implemented I/O BAR), and port access relative to that base.
 * ioRead/ioWrite check offset + width against the BAR's length: outside it
 * a read is all-ones and a write is dropped (logged once).
 */
bool		IOPCIDevice_getIORange(IOPCIDevice *dev, uint8_t reg, uint16_t *base,
		    uint16_t *length);
uint32_t	IOPCIDevice_ioRead32(IOPCIDevice *dev, uint8_t reg, uint16_t offset);
uint16_t	IOPCIDevice_ioRead16(IOPCIDevice *dev, uint8_t reg, uint16_t offset);
uint8_t		IOPCIDevice_ioRead8(IOPCIDevice *dev, uint8_t reg, uint16_t offset);
void		IOPCIDevice_ioWrite32(IOPCIDevice *dev, uint8_t reg, uint16_t offset, uint32_t v);
void		IOPCIDevice_ioWrite16(IOPCIDevice *dev, uint8_t reg, uint16_t offset, uint16_t v);
void		IOPCIDevice_ioWrite8(IOPCIDevice *dev, uint8_t reg, uint16_t offset, uint8_t v);

/* The function's address. */
uint8_t		IOPCIDevice_getBusNumber(IOPCIDevice *dev);
uint8_t		IOPCIDevice_getDeviceNumber(IOPCIDevice *dev);
uint8_t		IOPCIDevice_getFunctionNumber(IOPCIDevice *dev);

#endif /* IOKIT_FAMILIES_IOPCIFAMILY_IOPCIDEVICE_H */
