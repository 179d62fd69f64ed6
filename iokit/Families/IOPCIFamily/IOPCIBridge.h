/*
 * IOPCIBridge.h - the PCI host bridge's driver: it finds every PCI
 * function below the host bridge and publishes an IOPCIDevice nub for
 * each (IOPCIDevice.h says what a nub is and has).
 *
 * Its personality (Info.plist) matches the machine's root today
 * (IOResources, once the I/O Kit is up); where it matches is the
 * personality's business only, so it can move below a platform expert's
 * nub without a change here. It names itself "pci" at location "0" in
 * both planes: IOService:/PC/pci@0, IODeviceTree:/PC/pci@0.
 *
 * start, in order:
 *   1. configuration space (IOPCIConfigSpace.h): ECAM if the ACPI MCFG
 *      table has a window, else mechanism #1;
 *   2. the scan: every device (0-31) of bus 0, every function (0-7) of a
 *      multi-function device; a vendor of 0xffff (or 0) is no function,
 *      and a function whose header reads all-ones is skipped with a log
 *      line; a PCI-to-PCI bridge (header type 1) is followed to its
 *      secondary bus, numbering it first (and its subordinate after) if
 *      the firmware left it unnumbered; every BAR is sized the standard
 *      way (all-ones written, read back, restored, with the function's
 *      decoding off meanwhile);
 *   3. BARs the firmware left at 0 (qboot assigns none; SeaBIOS all) get
 *      space, largest first: memory top-down from 0xfec00000 (below the
 *      I/O APIC) down to 2 GiB, never over RAM or anything else in the
 *      firmware's address map, the ECAM window or a BAR the firmware
 *      placed; I/O ports bottom-up from 0xc000. Only bus 0's: a BAR
 *      behind a bridge would also need the bridge's window moved, which
 *      is not done (logged);
 *   4. the nubs, each attached below the bridge (or below the nub of the
 *      PCI-to-PCI bridge it sits behind) in both planes and registered,
 *      in scan order: matching runs on each as it is registered.
 *
 * The scan's tables live only during start. Locks: none of its own (start
 * runs once, in the matching thread); configuration accesses take the
 * configuration lock.
 */

#ifndef IOKIT_FAMILIES_IOPCIFAMILY_IOPCIBRIDGE_H
#define IOKIT_FAMILIES_IOPCIFAMILY_IOPCIBRIDGE_H

#include <stdint.h>

#include "iokit/Kernel/IOService.h"

typedef struct IOPCIBridge IOPCIBridge;

struct IOPCIBridge {
	IOService	pb_service;	/* the superclass, first */
	bool		pb_configured;	/* [I] configuration space is set up (ours to free) */
	unsigned	pb_functions;	/* [I] functions found */
	uint64_t	pb_scanNanoseconds;	/* [I] start of the scan to the last nub matched */
};
OSDeclareDefaultStructors(IOPCIBridge);

#endif /* IOKIT_FAMILIES_IOPCIFAMILY_IOPCIBRIDGE_H */
