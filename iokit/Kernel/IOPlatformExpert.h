/*
 * IOPlatformExpert.h - the platform expert: the machine itself at the top
 * of the I/O Registry, and the driver that knows it (XNU's
 * IOPlatformExpert.cpp, with the CPU nubs of IOCPU.cpp).
 *
 * IOPlatformExpert_initialize (from IOKitInitialize) makes the
 * IOPlatformExpertDevice, the nub for the machine, below the registry's
 * root in the IOService and IODeviceTree planes, so that ioreg shows, as on
 * a Mac, Root > the machine's model > its children. Its properties:
 *
 *	model, compatible	"PC"
 *	manufacturer		the firmware's ACPI OEM id ("BOCHS" under QEMU)
 *	cpu-count		the CPUs running
 *	memory-size		bytes of usable RAM in the boot memory map
 *	ACPI Tables		a dictionary from each ACPI table's signature
 *				("FACP", "APIC", "DSDT", ...; a second table of
 *				one signature is "SSDT-1") to an OSData of its
 *				bytes, as macOS's AppleACPIPlatform publishes it
 *
 * The IOPlatformExpert driver is attached to that nub and started by
 * hand (there is no platform kext to match). Its start:
 *   - makes one IOCPU nub per running CPU (name "CPU<n>", location n,
 *     properties cpu-number and apic-id), below itself in the IOService
 *     plane and below the device in the IODeviceTree plane;
 *   - finds the legacy PC devices and publishes an IOPlatformDevice nub
 *     for each one that answers (IOPlatformDevice.h): with no AML
 *     interpreter, it takes them from the PC's fixed layout rather than
 *     from the DSDT, and checks each is there first:
 *	PNP0501  COM1's 16550: ports 0x3f8-0x3ff, IRQ 4 (its scratch
 *		 register keeps what is written to it)
 *	PNP0303  the 8042 PS/2 controller: ports 0x60 and 0x64, IRQ 1 (the
 *		 keyboard) and 12 (the mouse) (its status port does not read
 *		 as all ones)
 *	PNP0B00  the CMOS RTC: ports 0x70-0x71, IRQ 8 (status register A
 *		 does not read as all ones)
 *     registering each, so that matching loads and starts its driver;
 *   - publishes the IOPlatformExpert resource and becomes the kernel's
 *     PE_halt_restart_notify (kernel/pexpert.h).
 *
 * Shutdown hooks (the I/O Kit guide's "Installing Shutdown Hooks"): a
 * driver that must act before the machine goes off (park a disk head,
 * quiesce a device) registers an interest handler with
 * IOService_registerPrioritySleepWakeInterest. PEHaltRestart (reboot(2),
 * the kernel console's poweroff and reboot) then calls every handler, in
 * the order they registered, with kIOMessageSystemWillPowerOff or
 * kIOMessageSystemWillRestart (IOMessage.h), before it powers off or
 * restarts the machine. Each handler runs in a kernel thread of its own
 * and is waited for at most kIOPEShutdownHookTimeoutMS; one that has not
 * returned by then is logged and left behind, and the next is called:
 * a driver cannot keep the machine from going off. The hooks run once;
 * a second PEHaltRestart (from a handler, say) goes straight on.
 *
 * Locks: the platform expert's lock (an IOLock, a leaf) covers the hook
 * list and the shutdown state; no handler runs with it held.
 */

#ifndef IOKIT_KERNEL_IOPLATFORMEXPERT_H
#define IOKIT_KERNEL_IOPLATFORMEXPERT_H

#include <stdint.h>

#include "iokit/Kernel/IOMessage.h"
#include "iokit/Kernel/IOService.h"

#define kIOPlatformExpertClass		"IOPlatformExpert"
#define kIOPlatformACPITablesKey	"ACPI Tables"
#define kIOPEShutdownHookTimeoutMS	5000

struct IOPlatformExpertDevice {
	IOService	ped_service;		/* the superclass, first */
};
OSDeclareDefaultStructors(IOPlatformExpertDevice);

struct IOPlatformExpert {
	IOService	pe_service;		/* the superclass, first */
};
OSDeclareDefaultStructors(IOPlatformExpert);

/* One CPU of the machine (XNU's IOCPU, as a nub only). */
struct IOCPU {
	IOService	cpu_service;		/* the superclass, first */
};
OSDeclareDefaultStructors(IOCPU);

/*
 * IOPlatformExpert_initialize: the classes, the platform expert device
 * and its driver, as above. Once, from IOKitInitialize, after
 * IOService_initialize.
 */
void		IOPlatformExpert_initialize(void);

/* IOService_getPlatform: the platform expert (lent), or NULL before it started. */
IOService	*IOService_getPlatform(void);

/*
 * An interest handler: target and refCon as registered, messageType one of
 * IOMessage.h's, provider the platform expert, messageArgument and argSize
 * 0. It may block and sleep; it runs in a kernel thread of its own.
 */
typedef IOReturn (*IOServiceInterestHandler)(void *target, void *refCon,
    uint32_t messageType, IOService *provider, void *messageArgument, size_t argSize);

/*
 * IOService_registerPrioritySleepWakeInterest: call handler(target, ref,
 * ...) before the machine powers off or restarts. s is the registering
 * driver (named in the log if its handler does not return; may be NULL).
 * Returns a notifier: IONotifier_remove it (in the driver's stop, before
 * its kext can go) to stop the calls. NULL if handler is NULL or memory
 * ran out. (Apple's is an IOService method, hence the name.)
 */
IONotifier	*IOService_registerPrioritySleepWakeInterest(IOService *s,
		    IOServiceInterestHandler handler, void *target, void *ref);

#endif /* IOKIT_KERNEL_IOPLATFORMEXPERT_H */
