/*
 * IORegistryEntry.h - a node of the I/O Registry: a table of properties
 * and parent/child links in named planes (XNU's IORegistryEntry, in C).
 *
 * The registry is a set of graphs over the same entries, one per plane:
 * the IOService plane (providers above their clients: the root, nubs,
 * drivers) and the IODeviceTree plane (the hardware's own topology). An
 * entry may be in any planes; in each it has parents and children. One
 * root entry, named "Root", is at the top of every plane.
 *
 *	IORegistryEntry *e = OSTypeAlloc(IORegistryEntry);
 *	IORegistryEntry_init(e, NULL);
 *	IORegistryEntry_setName(e, "pci", NULL);
 *	IORegistryEntry_setLocation(e, "0", NULL);
 *	IORegistryEntry_attachToParent(e, IORegistryEntry_getRegistryRoot(),
 *	    gIODTPlane);				   IODeviceTree:/pci@0
 *	...
 *	IORegistryEntry_detachFromParent(e, root, gIODTPlane);
 *	OSObject_release(OSOBJ(e));
 *
 * Properties: an OSDictionary; keys are C strings or OSStrings, values
 * any object (retained by the table). The name is the "IOName" property
 * (the class name when there is none) and the location "IOLocation", as
 * Apple's registry keeps them for a plane-less name; paths write an entry
 * as name@location when it has a location.
 *
 * Paths: "IOService:/IOResources", "IODeviceTree:/pci@0/isa@1f": the
 * plane, a colon, then one component per level below the root. A
 * component without @location matches the first child of that name.
 *
 * References: a link holds a reference on both ends (the parent's child
 * list retains the child and the child's parent list the parent), so an
 * attached entry lives at least until it is detached. get calls
 * (getParentEntry, getChildEntry, getProperty) lend; copy calls hand over
 * a reference.
 *
 * The registry generation (IORegistryEntry_getGenerationCount) moves on
 * every attach, detach, and property change anywhere in the registry.
 *
 * Invariants
 *   - e is in p's child list in a plane iff p is in e's parent list there;
 *   - the root has no parents, and is never freed;
 *   - no entry is its own ancestor in a plane (attach refuses a cycle).
 *
 * Locks, in order:
 *   1. the registry lock, a read-write lock (lck_rw) over every entry's
 *	links in every plane: shared for walks (paths, lookups, iterators,
 *	getParentEntry), exclusive for attach and detach. A read-write lock
 *	rather than a recursive mutex: walks are far more common than
 *	changes and may run side by side, and no code runs a callout with
 *	it held (nothing under it calls back into a driver), so recursion is
 *	never needed; the kernel has no recursive mutex anyway.
 *   2. an entry's own property lock (lck_mtx), taken after the registry
 *	lock when both are needed (a path reads names during a walk). Not
 *	held while anything outside this file runs, except the containers.
 * Keys on the fields below:
 *   [R] the registry lock   [p] the entry's property lock   [I] set by init
 */

#ifndef IOKIT_KERNEL_IOREGISTRYENTRY_H
#define IOKIT_KERNEL_IOREGISTRYENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iokit/Kernel/IOReturn.h"
#include "libkern/OSArray.h"
#include "libkern/OSCollectionIterator.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSObject.h"
#include "libkern/OSString.h"
#include "mach/kern/locks.h"

#define kIORegistryPlaneMax	4		/* planes an entry can be in */
#define kIOMaxPlaneName		32
#define kIORegistryPathMax	512		/* longest path getPath writes */

#define kIONameKey		"IOName"
#define kIOLocationKey		"IOLocation"
#define kIOServicePlane		"IOService"
#define kIODeviceTreePlane	"IODeviceTree"

/* IORegistryIterator_iterateOver options. */
#define kIORegistryIterateRecursively	0x00000001
#define kIORegistryIterateParents	0x00000002

typedef uint32_t	IOOptionBits;

/* A plane: a name and a slot in each entry's link arrays. Static, never freed. */
typedef struct IORegistryPlane {
	const char	*name;
	unsigned	index;
} IORegistryPlane;

extern const IORegistryPlane *gIOServicePlane;
extern const IORegistryPlane *gIODTPlane;

struct IORegistryEntry {
	OSObject	re_os;				/* the superclass, first */
	lck_mtx_t	re_lock;			/* the property lock */
	bool		re_inited;			/* [I] re_lock is set up */
	uint64_t	re_id;				/* [I] getRegistryEntryID */
	OSDictionary	*re_props;			/* [p] the properties */
	OSArray		*re_parents[kIORegistryPlaneMax];	/* [R] NULL: none yet */
	OSArray		*re_children[kIORegistryPlaneMax];	/* [R] NULL: none yet */
};
OSDeclareDefaultStructors(IORegistryEntry);

/* IORegistryEntry has no methods beyond OSObject's; subclasses extend this. */
struct IORegistryEntry_methods {
	struct OSObject_methods	os;
};

/* --- the registry ----------------------------------------------------------- */

/* IORegistryEntry_initialize: the lock, the planes, the root. Once, at IOKit's start. */
void		IORegistryEntry_initialize(void);

IORegistryEntry	*IORegistryEntry_getRegistryRoot(void);
/* The plane called name ("IOService", "IODeviceTree"), or NULL. */
const IORegistryPlane *IORegistryEntry_getPlane(const char *name);
/* Moves on every attach, detach and property change. */
uint32_t	IORegistryEntry_getGenerationCount(void);

/* --- one entry ---------------------------------------------------------------- */

/*
 * IORegistryEntry_init: set up a new entry (from OSTypeAlloc or a class's
 * alloc) with a copy of dict as its properties (dict NULL: none). False
 * if out of memory; the caller then releases the entry.
 */
bool		IORegistryEntry_init(IORegistryEntry *e, OSDictionary *dict);

/* Properties. get lends (valid while the caller holds the entry and nobody replaces it). */
OSObject	*IORegistryEntry_getProperty(IORegistryEntry *e, const char *key);
OSObject	*IORegistryEntry_getPropertyForKey(IORegistryEntry *e, const OSString *key);
/* copyProperty: the value with a reference for the caller, or NULL. */
OSObject	*IORegistryEntry_copyProperty(IORegistryEntry *e, const char *key);
/* setProperty: false if out of memory or an argument is NULL. */
bool		IORegistryEntry_setProperty(IORegistryEntry *e, const char *key,
		    const OSObject *value);
bool		IORegistryEntry_setPropertyForKey(IORegistryEntry *e, const OSString *key,
		    const OSObject *value);
void		IORegistryEntry_removeProperty(IORegistryEntry *e, const char *key);
/* A copy of the whole table (the caller's reference), or NULL. */
OSDictionary	*IORegistryEntry_dictionaryWithProperties(IORegistryEntry *e);

/*
 * Name and location. getName copies the name into buf (the class name if
 * the entry has none) and returns buf; plane is accepted for Apple's
 * signature and ignored (one name for every plane).
 */
const char	*IORegistryEntry_getName(IORegistryEntry *e, const IORegistryPlane *plane,
		    char *buf, size_t len);
bool		IORegistryEntry_setName(IORegistryEntry *e, const char *name,
		    const IORegistryPlane *plane);
/* getLocation: into buf; false (buf empty) if the entry has none. */
bool		IORegistryEntry_getLocation(IORegistryEntry *e, const IORegistryPlane *plane,
		    char *buf, size_t len);
bool		IORegistryEntry_setLocation(IORegistryEntry *e, const char *location,
		    const IORegistryPlane *plane);
/* Whether e's name is name (compared with IORegistryEntry_getName's result). */
bool		IORegistryEntry_compareName(IORegistryEntry *e, const char *name);

/* --- links ---------------------------------------------------------------------- */

/*
 * attachToParent: link e below parent in plane. kIOReturnSuccess (also if
 * already attached there); kIOReturnBadArgument (NULL, e the root, or a
 * link that would make e its own ancestor); kIOReturnNoMemory.
 */
IOReturn	IORegistryEntry_attachToParent(IORegistryEntry *e, IORegistryEntry *parent,
		    const IORegistryPlane *plane);
/* detachFromParent: undo attachToParent; nothing if not attached. */
void		IORegistryEntry_detachFromParent(IORegistryEntry *e, IORegistryEntry *parent,
		    const IORegistryPlane *plane);
/* detachAll: detach from every parent and child in plane. */
void		IORegistryEntry_detachAll(IORegistryEntry *e, const IORegistryPlane *plane);
/*
 * reserveLinks: make e's link arrays in plane now, with room for children
 * children, so that they are not allocated or grown later (the root and
 * other entries that live for ever). kIOReturnNoMemory, kIOReturnBadArgument.
 */
IOReturn	IORegistryEntry_reserveLinks(IORegistryEntry *e, const IORegistryPlane *plane,
		    uint32_t children);
bool		IORegistryEntry_inPlane(IORegistryEntry *e, const IORegistryPlane *plane);
bool		IORegistryEntry_isParent(IORegistryEntry *e, IORegistryEntry *parent,
		    const IORegistryPlane *plane);

/* First parent / child in plane (lent), or NULL. The copy forms retain. */
IORegistryEntry	*IORegistryEntry_getParentEntry(IORegistryEntry *e, const IORegistryPlane *plane);
IORegistryEntry	*IORegistryEntry_getChildEntry(IORegistryEntry *e, const IORegistryPlane *plane);
IORegistryEntry	*IORegistryEntry_copyParentEntry(IORegistryEntry *e, const IORegistryPlane *plane);
IORegistryEntry	*IORegistryEntry_copyChildEntry(IORegistryEntry *e, const IORegistryPlane *plane);
/* A snapshot of e's children (parents) in plane, the caller's reference; NULL if out of memory. */
OSArray		*IORegistryEntry_copyChildren(IORegistryEntry *e, const IORegistryPlane *plane);
OSArray		*IORegistryEntry_copyParents(IORegistryEntry *e, const IORegistryPlane *plane);
/* An iterator over a snapshot of e's children in plane (the caller's), or NULL. */
OSCollectionIterator *IORegistryEntry_getChildIterator(IORegistryEntry *e,
		    const IORegistryPlane *plane);

/*
 * getRegistryEntryID: a number that names e for as long as the system
 * runs, never reused (from 0x100000100 up, as Apple's are); 0 before init.
 */
uint64_t	IORegistryEntry_getRegistryEntryID(IORegistryEntry *e);

/* --- paths and lookups ------------------------------------------------------------- */

/*
 * getPath: "IOService:/IOResources" into buf (through e's first parent at
 * each level). False if e is not in plane or buf is too small (buf then
 * holds as much as fits).
 */
bool		IORegistryEntry_getPath(IORegistryEntry *e, const IORegistryPlane *plane,
		    char *buf, size_t len);
/*
 * fromPath: the entry at path (retained), or NULL. A path without
 * "Plane:" is looked up in plane (NULL: IOService); "IOService:/" alone
 * is the root.
 */
IORegistryEntry	*IORegistryEntry_fromPath(const char *path, const IORegistryPlane *plane);

/*
 * Lookups over the whole of plane below the root, depth first, parents
 * before children: the first entry with that name, of that class (or a
 * subclass), or whose property key equals value. Retained, or NULL.
 */
IORegistryEntry	*IORegistryEntry_copyEntryWithName(const IORegistryPlane *plane, const char *name);
IORegistryEntry	*IORegistryEntry_copyEntryOfClass(const IORegistryPlane *plane,
		    const OSMetaClass *meta);
IORegistryEntry	*IORegistryEntry_copyEntryWithProperty(const IORegistryPlane *plane,
		    const char *key, const OSObject *value);

/* --- IORegistryIterator -------------------------------------------------------------- */

/*
 * An iterator over the entries below one entry in one plane: its
 * children, or (kIORegistryIterateRecursively) every descendant, depth
 * first, parents before children; kIORegistryIterateParents walks up
 * instead. It takes a snapshot when made (and on reset), so the registry
 * may change while it is walked; isValid says whether the registry has
 * changed since.
 */
struct IORegistryIterator {
	OSObject	ri_os;
	IORegistryEntry	*ri_root;		/* retained */
	const IORegistryPlane *ri_plane;
	IOOptionBits	ri_options;
	OSArray		*ri_entries;		/* the snapshot */
	uint32_t	ri_next;
	uint32_t	ri_generation;		/* the registry's, at the snapshot */
};
OSDeclareDefaultStructors(IORegistryIterator);

IORegistryIterator *IORegistryIterator_iterateOver(IORegistryEntry *start,
		    const IORegistryPlane *plane, IOOptionBits options);
/* The next entry (lent: the iterator holds it until released), or NULL at the end. */
IORegistryEntry	*IORegistryIterator_getNextObject(IORegistryIterator *it);
/* reset: take a new snapshot and start again. False if out of memory. */
bool		IORegistryIterator_reset(IORegistryIterator *it);
bool		IORegistryIterator_isValid(IORegistryIterator *it);

#endif /* IOKIT_KERNEL_IOREGISTRYENTRY_H */
