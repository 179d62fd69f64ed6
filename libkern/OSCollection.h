/*
 * OSCollection.h - the abstract superclass of OSArray, OSDictionary and
 * OSSet: what they share is an update stamp and a way to be iterated.
 *
 * Every change to a collection's membership bumps its update stamp, which
 * is how an OSCollectionIterator notices that its collection changed under
 * it. A collection class extends the method table with getCount and
 * getIterObject (the object at an iteration position: the member for
 * arrays and sets, the key for dictionaries).
 *
 * Collections are not locked (XNU's are not either): whoever shares one
 * serialises the changes to it, and iterating one while another thread
 * changes it is a bug the iterator detects only when it sees the stamp.
 * A collection must not contain itself, directly or through another one
 * (isEqualTo, serialisation and free would not end).
 */

#ifndef LIBKERN_OSCOLLECTION_H
#define LIBKERN_OSCOLLECTION_H

#include <stdint.h>

#include "libkern/OSObject.h"

/* The most members one collection holds. */
#define OSCOLLECTION_MAX_COUNT	(1u << 24)

struct OSCollection {
	OSObject	coll_os;
	uint32_t	coll_updateStamp;	/* bumped on every change */
};
OSDeclareDefaultStructors(OSCollection);

struct OSCollection_methods {
	struct OSObject_methods	os;
	uint32_t	(*getCount)(const OSCollection *coll);
	OSObject	*(*getIterObject)(const OSCollection *coll, uint32_t index);
};

uint32_t	OSCollection_getCount(const OSCollection *coll);
/* The object at iteration position index, or NULL past the end. */
OSObject	*OSCollection_getIterObject(const OSCollection *coll, uint32_t index);
uint32_t	OSCollection_getUpdateStamp(const OSCollection *coll);
/* For subclasses: the membership changed. */
void		OSCollection_haveUpdated(OSCollection *coll);

/*
 * For subclasses: room for `need` pointer-sized slots of `slot` bytes in a
 * kalloc'd vector (*vec of *capacity slots; doubles); false if out of
 * memory or past OSCOLLECTION_MAX_COUNT.
 */
bool		OSCollection_growVector(void **vec, uint32_t *capacity, uint32_t need,
		    size_t slot);

#endif /* LIBKERN_OSCOLLECTION_H */
