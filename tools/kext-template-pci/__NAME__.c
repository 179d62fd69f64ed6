/*
 * __NAME__.c - __IDENT__: a PCI driver (docs/iokit.md, docs/iokit-pci.md).
 *
 * The class __CLASS__ is a subclass of IOService. Info.plist's personality
 * names its nub: an IOPCIDevice whose device and vendor ids fit IOPCIMatch
 * (__MATCH__). Matching loads this kext when the PCI family publishes
 * such a function, and start:
 *   - turns on the function's memory decoding (the family leaves it as
 *     the firmware did) and maps BAR 0 into the kernel, uncached;
 *   - makes a work loop and an interrupt event source on the nub's
 *     interrupt 0 (its INTx), whose action runs on the loop's thread.
 * stop takes both down before the kernel may unload the code.
 *
 * The lines marked EXAMPLE drive QEMU's teaching device, edu (1234:11e8,
 * `-device edu`), the default match: they read its identification
 * register, raise an interrupt and acknowledge it on the work loop. Put
 * your own device's registers in their place.
 */

#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <IOKit/IOWorkLoop.h>
#include <IOKit/pci/IOPCIDevice.h>
#include <mach/kmod.h>

/* EXAMPLE: edu's registers, in BAR 0 (QEMU's docs/specs/edu.rst). */
#define EDU_DEVICE_VENDOR	0x11e81234
#define EDU_ID			0x00	/* reads 0x010000ed */
#define EDU_STATUS		0x24	/* interrupt status */
#define EDU_RAISE		0x60	/* status |= value, and INTx goes up */
#define EDU_ACK			0x64	/* status &= ~value; INTx drops at 0 */

struct __CLASS__ {
	IOService		drv_service;	/* the superclass, first */
	IOPCIDevice		*drv_pci;	/* the provider (not retained: it outlives us) */
	IOMemoryMap		*drv_bar0;
	volatile uint8_t	*drv_regs;	/* BAR 0, mapped */
	IOWorkLoop		*drv_workloop;
	IOInterruptEventSource	*drv_interrupt;
	unsigned		drv_interrupts;
};
OSDeclareDefaultStructors(__CLASS__);

static uint32_t
drv_read32(struct __CLASS__ *drv, unsigned offset)
{
	return *(volatile uint32_t *)(drv->drv_regs + offset);
}

static void
drv_write32(struct __CLASS__ *drv, unsigned offset, uint32_t value)
{
	*(volatile uint32_t *)(drv->drv_regs + offset) = value;
}

static bool
drv_is_edu(struct __CLASS__ *drv)
{
	return IOPCIDevice_configRead32(drv->drv_pci, kIOPCIConfigVendorID) == EDU_DEVICE_VENDOR;
}

/*
 * On the work loop, in its gate, after the line's primary handler counted
 * `count` interrupts. Lines are shared: first ask the device whether it
 * interrupted, and acknowledge what it says.
 */
static void
drv_handle_interrupt(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)owner;
	uint32_t status;

	(void)sender;
	if (drv->drv_regs == NULL || !drv_is_edu(drv))
		return;
	status = drv_read32(drv, EDU_STATUS);		/* EXAMPLE */
	if (status == 0)
		return;					/* another device's */
	drv_write32(drv, EDU_ACK, status);		/* EXAMPLE */
	if (++drv->drv_interrupts == 1)
		IOLog("__NAME__: interrupt on the work loop (status 0x%x, %d counted)\n",
		    status, count);
}

static bool
drv_start(IOService *self, IOService *provider)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)self;

	drv->drv_pci = OSDynamicCast(IOPCIDevice, provider);
	if (drv->drv_pci == NULL)
		return false;
	IOLog("__NAME__: started on %02x:%02x.%x (%08x)\n",
	    IOPCIDevice_getBusNumber(drv->drv_pci), IOPCIDevice_getDeviceNumber(drv->drv_pci),
	    IOPCIDevice_getFunctionNumber(drv->drv_pci),
	    IOPCIDevice_configRead32(drv->drv_pci, kIOPCIConfigVendorID));

	(void)IOPCIDevice_setMemoryEnable(drv->drv_pci, true);
	drv->drv_bar0 = IOPCIDevice_mapDeviceMemoryWithIndex(drv->drv_pci, 0, 0);
	if (drv->drv_bar0 == NULL) {
		IOLog("__NAME__: BAR 0 did not map\n");	/* the family said why */
		return false;	/* stop is not called: free releases what was made */
	}
	drv->drv_regs = (volatile uint8_t *)IOMemoryMap_getVirtualAddress(drv->drv_bar0);

	drv->drv_workloop = IOWorkLoop_workLoop();
	drv->drv_interrupt = IOInterruptEventSource_interruptEventSourceWithProvider(OSOBJ(drv),
	    drv_handle_interrupt, provider, 0);
	if (drv->drv_workloop == NULL || drv->drv_interrupt == NULL ||
	    IOWorkLoop_addEventSource(drv->drv_workloop, &drv->drv_interrupt->ies_es) !=
	    kIOReturnSuccess)
		return false;
	IOEventSource_enable(&drv->drv_interrupt->ies_es);

	if (drv_is_edu(drv)) {
		IOLog("__NAME__: BAR 0 register 0 is 0x%08x\n", drv_read32(drv, EDU_ID));
		drv_write32(drv, EDU_RAISE, 0x1);	/* EXAMPLE: ask for an interrupt */
	}
	IOService_registerService(self, 0);
	return true;
}

static void
drv_stop(IOService *self, IOService *provider)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)self;

	(void)provider;
	if (drv->drv_interrupt != NULL) {
		IOEventSource_disable(&drv->drv_interrupt->ies_es);
		(void)IOWorkLoop_removeEventSource(drv->drv_workloop, &drv->drv_interrupt->ies_es);
	}
	OSSafeReleaseNULL(drv->drv_bar0);
	drv->drv_regs = NULL;
	IOLog("__NAME__: stopped after %u interrupts\n", drv->drv_interrupts);
}

/* The last release: the loop's thread has ended when its release returns. */
static void
drv_free(OSObject *obj)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)obj;

	OSSafeReleaseNULL(drv->drv_interrupt);
	OSSafeReleaseNULL(drv->drv_workloop);
	OSSafeReleaseNULL(drv->drv_bar0);
}

static const struct IOService_methods drv_methods = {
	.re.os.free = drv_free,
	.start = drv_start,
	.stop = drv_stop,
};
OSDefineMetaClassAndStructorsWithMethods(__CLASS__, IOService, &drv_methods);

/* The kext itself: its classes register before start; nothing else to do. */
kern_return_t __NAME___start(kmod_info_t *ki, void *data);
kern_return_t __NAME___stop(kmod_info_t *ki, void *data);

kern_return_t
__NAME___start(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}

kern_return_t
__NAME___stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
