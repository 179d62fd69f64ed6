/*
 * IOCatalogue.h - the driver personalities matching chooses from (XNU's
 * IOCatalogue, in C).
 *
 * A personality is an OSDictionary:
 *
 *	IOClass			the driver's class ("com_example_MyDriver")
 *	IOProviderClass		the class of nub it drives (or a superclass)
 *	IOProbeScore		ranking, default 0, higher first
 *	IOMatchCategory		one started driver per category per nub
 *				(default IODefaultMatchCategory; on IOResources
 *				the IOClass)
 *	IONameMatch, IOPropertyMatch, IOResourceMatch, family keys
 *				what the nub must have (IOService_passiveMatch)
 *	CFBundleIdentifier	the kext that provides IOClass, loaded on
 *				demand when the class is not registered yet
 *	IOPersonalityName	its key in the kext's IOKitPersonalities
 *
 * At boot the catalogue takes every personality of every kext in the kext
 * catalog (/System/Library/Extensions), with CFBundleIdentifier and
 * IOPersonalityName filled in where the plist leaves them out; code adds
 * more with IOCatalogue_addDrivers. A personality is never changed once
 * in: the catalogue hands out the same dictionaries, and callers must not
 * modify them.
 *
 * Locks: one mutex over the list, a leaf: nothing is called with it held
 * but the containers; matching copies what it needs and works unlocked.
 */

#ifndef IOKIT_KERNEL_IOCATALOGUE_H
#define IOKIT_KERNEL_IOCATALOGUE_H

#include <stdbool.h>

#include "iokit/Kernel/IOReturn.h"
#include "iokit/Kernel/IOService.h"
#include "libkern/OSArray.h"
#include "libkern/OSDictionary.h"

/* IOCatalogue_initialize: the lock, and the kext catalog's personalities. Once. */
void		IOCatalogue_initialize(void);

/*
 * addDrivers: add each personality of the array (each retained). Every
 * one is checked first: a dictionary with string IOClass and
 * IOProviderClass, a number IOProbeScore if any; one that is not fails
 * the call (kIOReturnBadArgument, logged, nothing added). With
 * doNubMatching, matching runs again on every registered service the new
 * personalities could drive. kIOReturnNoMemory.
 */
IOReturn	IOCatalogue_addDrivers(OSArray *personalities, bool doNubMatching);

/*
 * removeDrivers: remove every personality in which each key of matching
 * has an equal value ({IOClass: "Foo"} removes Foo's). Drivers already
 * started stay. Returns how many were removed.
 */
unsigned	IOCatalogue_removeDrivers(OSDictionary *matching);

/*
 * terminateDriversForModule: what unloading kext bundleID with kextunload
 * does first (XNU's IOCatalogue::terminateDriversForModule): with
 * removePersonalities, its personalities leave the catalogue (and come
 * back, matched again, when the kext is next loaded by hand: OSKext's
 * loaded hook); then every active service whose class, or a superclass
 * of it, the kext defines is terminated, synchronously. *terminated and
 * *removed (either may be NULL) say how many. kIOReturnSuccess;
 * kIOReturnBadArgument; kIOReturnNoMemory.
 */
IOReturn	IOCatalogue_terminateDriversForModule(const char *bundleID,
		    bool removePersonalities, unsigned *terminated, unsigned *removed);

/*
 * copyDriversForProvider: the personalities whose IOProviderClass is
 * nub's class or one of its superclasses, in the catalogue's order (the
 * caller's array), or NULL if out of memory.
 */
OSArray		*IOCatalogue_copyDriversForProvider(IOService *nub);

/* How many personalities the catalogue holds. */
unsigned	IOCatalogue_getCount(void);

#endif /* IOKIT_KERNEL_IOCATALOGUE_H */
