/*
 * OSCollectionIterator.h - walks an OSArray (its members in order), an
 * OSDictionary (its keys, in insertion order) or an OSSet (its members).
 *
 *	OSCollectionIterator *it = OSCollectionIterator_withCollection(coll);
 *	OSObject *o;
 *
 *	while ((o = OSCollectionIterator_getNextObject(it)) != NULL)
 *		...
 *	if (!OSCollectionIterator_isValid(it))
 *		the collection changed under the walk: reset and start again
 *	OSObject_release(OSOBJ(it));
 *
 * The iterator retains its collection. If the collection changes during
 * the walk (its update stamp moves), getNextObject returns NULL and the
 * iterator stays invalid until OSCollectionIterator_reset. The objects
 * returned are lent, not retained.
 */

#ifndef LIBKERN_OSCOLLECTIONITERATOR_H
#define LIBKERN_OSCOLLECTIONITERATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSCollection.h"

struct OSCollectionIterator {
	OSObject		iter_os;
	const OSCollection	*iter_collection;	/* [I] retained */
	uint32_t		iter_index;		/* next position */
	uint32_t		iter_stamp;		/* the collection's, at reset */
	bool			iter_valid;
};
OSDeclareDefaultStructors(OSCollectionIterator);

/* A new iterator at the start of coll; NULL if coll is NULL or out of memory. */
OSCollectionIterator *OSCollectionIterator_withCollection(const OSCollection *coll);

/* The next object, or NULL at the end or once the collection has changed. */
OSObject	*OSCollectionIterator_getNextObject(OSCollectionIterator *it);
/* Back to the start, valid again. */
void		OSCollectionIterator_reset(OSCollectionIterator *it);
/* False once the collection changed since the last reset. */
bool		OSCollectionIterator_isValid(OSCollectionIterator *it);

#endif /* LIBKERN_OSCOLLECTIONITERATOR_H */
