/*
 * IOStorageFamilyPrivate.h - what the storage family's files share and
 * drivers do not see: its allocation tag and the BSD glue's set-up.
 */

#ifndef IOKIT_FAMILIES_IOSTORAGEFAMILY_IOSTORAGEFAMILYPRIVATE_H
#define IOKIT_FAMILIES_IOSTORAGEFAMILY_IOSTORAGEFAMILYPRIVATE_H

#include "libkern/OSMalloc.h"
#include "mach/kern_return.h"

/* The family's allocation tag ([I] between the kext's start and stop). */
extern OSMallocTag gIOStorageFamilyTag;

/*
 * IOMediaBSDClient_initialize: register the disk and rdisk character
 * devices (the family's start). IOMediaBSDClient_finalize: remove them
 * (its stop); KERN_FAILURE, and nothing removed, while a unit is still
 * held by a medium or an open descriptor.
 */
kern_return_t	IOMediaBSDClient_initialize(void);
kern_return_t	IOMediaBSDClient_finalize(void);

#endif /* IOKIT_FAMILIES_IOSTORAGEFAMILY_IOSTORAGEFAMILYPRIVATE_H */
