/*
 * IOPCIFamilyPrivate.h - what the PCI family's files share and drivers do
 * not see: what the bus scan learnt about a function (its identity and
 * BARs), kept behind IOPCIDevice's pd_private, and how the bridge makes a
 * nub from it.
 *
 * Everything here is [I]: filled in by the bridge's scan before the nub is
 * published, read-only after, except ppIOWarned (set once, racy by
 * design: at worst a second line in the log).
 */

#ifndef IOKIT_FAMILIES_IOPCIFAMILY_IOPCIFAMILYPRIVATE_H
#define IOKIT_FAMILIES_IOPCIFAMILY_IOPCIFAMILYPRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Families/IOPCIFamily/IOPCIDevice.h"
#include "libkern/OSMalloc.h"

/* A BAR's kind, as assigned-addresses' IOPCIBARType names it. */
#define kIOPCIBARMemory32	0
#define kIOPCIBARMemory64	1
#define kIOPCIBARIO		2

#define kIOPCIMaxBARs		6
#define kIOPCINoInterrupt	0xffffffffu

/* One implemented BAR (length > 0). */
struct IOPCIBAR {
	uint8_t		bar_reg;	/* its configuration offset, 0x10-0x24 */
	uint8_t		bar_type;	/* kIOPCIBAR* */
	bool		bar_prefetchable;
	uint64_t	bar_address;	/* physical address or port */
	uint64_t	bar_length;	/* bytes (a power of two) */
};

struct IOPCIFamilyPrivate {
	uint16_t	pp_vendor, pp_device;
	uint16_t	pp_subVendor, pp_subDevice;
	uint32_t	pp_classCode;	/* class, subclass, programming interface */
	uint8_t		pp_revision;
	uint8_t		pp_headerType;	/* without the multi-function bit */
	unsigned	pp_interruptLine; /* a line, or kIOPCINoInterrupt */
	unsigned	pp_nbars;
	struct IOPCIBAR	pp_bars[kIOPCIMaxBARs];
	bool		pp_ioWarned;	/* an I/O access outside a BAR was logged */
};

/* The family's allocation tag (IOPCIFamily.c). */
extern OSMallocTag gIOPCIFamilyTag;

/*
 * IOPCIDevice_withFunction: a new nub (one reference) for the function at
 * bus/device/function, with a copy of info and every property
 * IOPCIDevice.h lists; ecam is its ECAM window or NULL. Not attached nor
 * registered. NULL (logged) if memory ran out.
 */
IOPCIDevice	*IOPCIDevice_withFunction(uint8_t bus, uint8_t device, uint8_t function,
		    volatile uint8_t *ecam, const struct IOPCIFamilyPrivate *info);

/* The list of malformed match values already logged: made at start, freed at stop. */
void		IOPCIDevice_initReports(void);
void		IOPCIDevice_freeReports(void);

#endif /* IOKIT_FAMILIES_IOPCIFAMILY_IOPCIFAMILYPRIVATE_H */
