/*
 * OSSet.h - an unordered collection of distinct objects.
 *
 * Membership is by identity (the same object, as in Apple's OSSet):
 * adding an object already present does nothing. The set retains its
 * members and releases them when they are removed or it is freed.
 *
 * isEqualTo: another OSSet of the same size in which every member has an
 * equal (isEqualTo) member. Serialised as <array> (property lists have no
 * set; the parser gives an OSArray back).
 *
 * Locks: none (OSCollection.h).
 */

#ifndef LIBKERN_OSSET_H
#define LIBKERN_OSSET_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSArray.h"
#include "libkern/OSCollection.h"

struct OSSet {
	OSCollection	set_coll;
	OSObject	**set_members;	/* set_capacity slots */
	uint32_t	set_count;
	uint32_t	set_capacity;
};
OSDeclareDefaultStructors(OSSet);

/* New sets; NULL if out of memory. */
OSSet		*OSSet_withCapacity(uint32_t capacity);
/* The distinct members of array. */
OSSet		*OSSet_withArray(const OSArray *array, uint32_t capacity);

/* Add obj unless present; false if obj is NULL or out of memory. */
bool		OSSet_setObject(OSSet *s, const OSObject *obj);
bool		OSSet_merge(OSSet *s, const OSArray *array);
/* Remove (and release) obj if present. */
void		OSSet_removeObject(OSSet *s, const OSObject *obj);
void		OSSet_flushCollection(OSSet *s);

bool		OSSet_containsObject(const OSSet *s, const OSObject *obj);
/* Some member, not retained; NULL if the set is empty. */
OSObject	*OSSet_getAnyObject(const OSSet *s);
uint32_t	OSSet_getCount(const OSSet *s);
uint32_t	OSSet_getCapacity(const OSSet *s);
bool		OSSet_isEqualToSet(const OSSet *s, const OSSet *other);

#endif /* LIBKERN_OSSET_H */
