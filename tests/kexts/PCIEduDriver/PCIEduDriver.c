/*
 * PCIEduDriver: a driver for QEMU's "edu" teaching device (1234:11e8),
 * written as a driver of any PCI device would be: it links against the PCI
 * family, matches its nub by IOPCIMatch, maps BAR 0, and takes the
 * device's INTx on its own work loop. tests/iokit/test_pci.py boots with
 * -device edu and reads what it logs.
 *
 * The personalities (Info.plist) all name this class, with a PCIEduRole:
 *   high, low        IOPCIMatch on the edu device, probe scores 1000 and
 *                    10, one category: only "high" may start;
 *   malformed        a broken IOPCIMatch with the highest score: refused
 *                    (the family logs why), matching goes on;
 *   class, secondary IOPCIClassMatch with a mask; IOPCISecondaryMatch
 *                    (QEMU's subsystem 1af4:1100, which every QEMU device
 *                    has) with IOPCIPrimaryMatch: each in a category of its
 *                    own, they start and only say so;
 *   primary-miss     IOPCIPrimaryMatch with the subsystem's ids: must not
 *                    match.
 *
 * The interrupt comes through an interrupt event source on the nub's
 * interrupt 0 (its INTx); the action reads and acknowledges the device on
 * the work loop.
 *
 * edu's BAR 0 (QEMU's docs/specs/edu.rst): 0x00 identification
 * 0x010000ed; 0x04 liveness, reads back the inverse of what was written;
 * 0x24 interrupt status; 0x60 raise an interrupt (status |= value); 0x64
 * acknowledge (status &= ~value; INTx drops at 0).
 */
#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <IOKit/IOWorkLoop.h>
#include <IOKit/pci/IOPCIDevice.h>
#include <libkern/OSString.h>
#include <libkern/string.h>
#include <mach/kmod.h>

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_STATUS	0x24
#define EDU_RAISE	0x60
#define EDU_ACK		0x64
#define EDU_MAGIC	0x5a

struct org_machina_test_PCIEduDriver {
	IOService		edu_service;	/* the superclass, first */
	IOPCIDevice		*edu_pci;
	IOMemoryMap		*edu_map;
	volatile uint8_t	*edu_regs;
	IOWorkLoop		*edu_workloop;
	IOInterruptEventSource	*edu_ies;
	volatile uint32_t	edu_interrupts;	/* actions that saw our status */
	volatile uint32_t	edu_status;	/* what the first saw */
	volatile bool		edu_onLoop;	/* ... on the loop's thread, in its gate */
};
OSDeclareDefaultStructors(org_machina_test_PCIEduDriver);
typedef org_machina_test_PCIEduDriver EduDriver;

static uint32_t
edu_read(EduDriver *edu, unsigned off)
{
	return *(volatile uint32_t *)(edu->edu_regs + off);
}

static void
edu_write(EduDriver *edu, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(edu->edu_regs + off) = v;
}

static const char *
role(IOService *self)
{
	OSString *r = OSDynamicCast(OSString,
	    IORegistryEntry_getProperty(&self->sv_entry, "PCIEduRole"));

	return r != NULL ? OSString_getCStringNoCopy(r) : "?";
}

/*
 * On the work loop, in its gate: is it ours (the line may be shared)? Then
 * acknowledge it. The line is level-triggered: the source's primary
 * handler disabled it until this has run, so it does not fire meanwhile.
 */
static void
edu_interrupt(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	EduDriver *edu = (EduDriver *)owner;
	uint32_t status = edu_read(edu, EDU_STATUS);

	if (status == 0)
		return;
	edu_write(edu, EDU_ACK, status);
	if (edu->edu_interrupts == 0) {
		edu->edu_status = status;
		edu->edu_onLoop = IOWorkLoop_onThread(edu->edu_workloop) &&
		    IOWorkLoop_inGate(edu->edu_workloop);
	}
	edu->edu_interrupts++;
}

/* The family's refusals: bad offsets, a missing BAR, the wrong kind of BAR. */
static void
edu_check_refusals(EduDriver *edu)
{
	IOMemoryMap *none = IOPCIDevice_mapDeviceMemoryWithRegister(edu->edu_pci,
	    kIOPCIConfigBaseAddress1, 0);
	uint16_t base, length;

	IOLog("PCIEduDriver: bad offsets read 0x%08x 0x%08x 0x%04x; BAR1 map %s; "
	    "BAR0 as I/O %s, reads 0x%08x\n",
	    IOPCIDevice_configRead32(edu->edu_pci, 0x1000),
	    IOPCIDevice_configRead32(edu->edu_pci, 0x02),
	    IOPCIDevice_configRead16(edu->edu_pci, 0xfff),
	    none == NULL ? "refused" : "made",
	    IOPCIDevice_getIORange(edu->edu_pci, kIOPCIConfigBaseAddress0, &base, &length) ?
	    "given" : "refused",
	    IOPCIDevice_ioRead32(edu->edu_pci, kIOPCIConfigBaseAddress0, 0));
	OSSafeReleaseNULL(none);
}

/* Raise one interrupt and wait (up to 5 s) for the action to see it. */
static void
edu_check_interrupt(EduDriver *edu)
{
	edu->edu_workloop = IOWorkLoop_workLoop();
	edu->edu_ies = IOInterruptEventSource_interruptEventSourceWithProvider(OSOBJ(edu),
	    edu_interrupt, &edu->edu_pci->pd_service, 0);
	if (edu->edu_workloop == NULL || edu->edu_ies == NULL ||
	    IOWorkLoop_addEventSource(edu->edu_workloop, &edu->edu_ies->ies_es) !=
	    kIOReturnSuccess) {
		IOLog("PCIEduDriver: no interrupt source\n");
		return;
	}
	IOEventSource_enable(&edu->edu_ies->ies_es);
	edu_write(edu, EDU_RAISE, EDU_MAGIC);
	for (int waited = 0; waited < 5000 && edu->edu_interrupts == 0; waited++)
		IOSleep(1);
	IOLog("PCIEduDriver: interrupt %s (status 0x%x, %s the work loop), status now 0x%x\n",
	    edu->edu_interrupts > 0 ? "arrived" : "never came", edu->edu_status,
	    edu->edu_onLoop ? "on" : "off", edu_read(edu, EDU_STATUS));
}

static bool
edu_start(IOService *self, IOService *provider)
{
	EduDriver *edu = (EduDriver *)self;
	uint32_t id, live;
	uint8_t cap;

	edu->edu_pci = OSDynamicCast(IOPCIDevice, provider);
	if (edu->edu_pci == NULL)
		return false;
	IOLog("PCIEduDriver: started (%s) on %02x:%02x.%x\n", role(self),
	    IOPCIDevice_getBusNumber(edu->edu_pci), IOPCIDevice_getDeviceNumber(edu->edu_pci),
	    IOPCIDevice_getFunctionNumber(edu->edu_pci));
	if (strcmp(role(self), "high") != 0 && strcmp(role(self), "low") != 0)
		return true;		/* a matching check only */
	edu_check_refusals(edu);
	(void)IOPCIDevice_setMemoryEnable(edu->edu_pci, true);
	edu->edu_map = IOPCIDevice_mapDeviceMemoryWithIndex(edu->edu_pci, 0, 0);
	if (edu->edu_map == NULL) {
		IOLog("PCIEduDriver: BAR0 did not map\n");
		return false;
	}
	edu->edu_regs = (volatile uint8_t *)IOMemoryMap_getVirtualAddress(edu->edu_map);
	id = edu_read(edu, EDU_ID);
	edu_write(edu, EDU_LIVENESS, 0x12345678);
	live = edu_read(edu, EDU_LIVENESS);
	IOLog("PCIEduDriver: id 0x%08x, liveness %s, MSI capability at 0x%x\n", id,
	    live == ~0x12345678u ? "ok" : "wrong", IOPCIDevice_findPCICapability(edu->edu_pci,
	    kIOPCIMSICapability, &cap));
	edu_check_interrupt(edu);
	IOService_registerService(self, 0);
	return true;
}

static void
edu_stop(IOService *self, IOService *provider)
{
	EduDriver *edu = (EduDriver *)self;

	if (edu->edu_ies != NULL) {
		IOEventSource_disable(&edu->edu_ies->ies_es);
		(void)IOWorkLoop_removeEventSource(edu->edu_workloop, &edu->edu_ies->ies_es);
	}
	OSSafeReleaseNULL(edu->edu_map);
}

static void
edu_free(OSObject *obj)
{
	EduDriver *edu = (EduDriver *)obj;

	OSSafeReleaseNULL(edu->edu_ies);
	OSSafeReleaseNULL(edu->edu_workloop);
	OSSafeReleaseNULL(edu->edu_map);
}

static const struct IOService_methods edu_methods = {
	.re.os.free = edu_free,
	.start = edu_start,
	.stop = edu_stop,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_test_PCIEduDriver, IOService,
    &edu_methods);

kern_return_t PCIEduDriver_start(kmod_info_t *ki, void *data);
kern_return_t PCIEduDriver_stop(kmod_info_t *ki, void *data);

kern_return_t
PCIEduDriver_start(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}

kern_return_t
PCIEduDriver_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
