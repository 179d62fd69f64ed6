/*
 * OSArray.h - an ordered list of objects, indexed from 0.
 *
 * An array retains each object it is given and releases it when it is
 * removed, replaced, or the array is freed. OSArray_getObject lends the
 * object: retain it to keep it past the array's next change. The storage
 * doubles as it fills, up to OSCOLLECTION_MAX_COUNT members.
 *
 * isEqualTo: another OSArray of the same length whose members are equal
 * (isEqualTo), in order. Serialised as <array>.
 *
 * Locks: none (OSCollection.h).
 */

#ifndef LIBKERN_OSARRAY_H
#define LIBKERN_OSARRAY_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSCollection.h"

struct OSArray {
	OSCollection	arr_coll;
	OSObject	**arr_objects;	/* arr_capacity slots */
	uint32_t	arr_count;
	uint32_t	arr_capacity;
};
OSDeclareDefaultStructors(OSArray);

/* New arrays; NULL if out of memory. */
OSArray		*OSArray_withCapacity(uint32_t capacity);
OSArray		*OSArray_withObjects(OSObject *const *objects, uint32_t count,
		    uint32_t capacity);
/* A new array holding the same objects (retained again: a shallow copy). */
OSArray		*OSArray_withArray(const OSArray *array, uint32_t capacity);

/* Append obj; false if obj is NULL or out of memory. */
bool		OSArray_setObject(OSArray *a, const OSObject *obj);
/* Insert obj before index (index == count appends). */
bool		OSArray_setObjectAtIndex(OSArray *a, uint32_t index, const OSObject *obj);
/* Append every member of other. */
bool		OSArray_merge(OSArray *a, const OSArray *other);
/* Put obj in place of the object at index (released). */
bool		OSArray_replaceObject(OSArray *a, uint32_t index, const OSObject *obj);
/* Remove (and release) the object at index; no-op past the end. */
void		OSArray_removeObject(OSArray *a, uint32_t index);
/* Remove every object. */
void		OSArray_flushCollection(OSArray *a);

/* The object at index, not retained; NULL past the end. */
OSObject	*OSArray_getObject(const OSArray *a, uint32_t index);
OSObject	*OSArray_getLastObject(const OSArray *a);
uint32_t	OSArray_getCount(const OSArray *a);
uint32_t	OSArray_getCapacity(const OSArray *a);
/* The first index >= start holding obj itself (pointer), or -1. */
int32_t		OSArray_getNextIndexOfObject(const OSArray *a, const OSObject *obj,
		    uint32_t start);
bool		OSArray_isEqualToArray(const OSArray *a, const OSArray *other);

#endif /* LIBKERN_OSARRAY_H */
