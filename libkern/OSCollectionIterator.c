/*
 * OSCollectionIterator.c - a position in a collection and the update stamp
 * it was taken at. See OSCollectionIterator.h.
 */

#include "libkern/OSCollectionIterator.h"

static void
oscollectioniterator_free(OSObject *obj)
{
	OSCollectionIterator *it = (OSCollectionIterator *)obj;

	OSSafeReleaseNULL(it->iter_collection);
}

static const struct OSObject_methods oscollectioniterator_methods = {
	.free = oscollectioniterator_free,
};
OSDefineMetaClass(OSCollectionIterator, OSObject, &oscollectioniterator_methods);

OSCollectionIterator *
OSCollectionIterator_withCollection(const OSCollection *coll)
{
	OSCollectionIterator *it;

	if (coll == NULL)
		return NULL;
	it = OSTypeAlloc(OSCollectionIterator);
	if (it == NULL)
		return NULL;
	OSObject_retain(OSCOBJ(coll));
	it->iter_collection = coll;
	OSCollectionIterator_reset(it);
	return it;
}

void
OSCollectionIterator_reset(OSCollectionIterator *it)
{
	it->iter_index = 0;
	it->iter_stamp = OSCollection_getUpdateStamp(it->iter_collection);
	it->iter_valid = true;
}

bool
OSCollectionIterator_isValid(OSCollectionIterator *it)
{
	if (it->iter_stamp != OSCollection_getUpdateStamp(it->iter_collection))
		it->iter_valid = false;
	return it->iter_valid;
}

OSObject *
OSCollectionIterator_getNextObject(OSCollectionIterator *it)
{
	OSObject *obj;

	if (!OSCollectionIterator_isValid(it))
		return NULL;
	obj = OSCollection_getIterObject(it->iter_collection, it->iter_index);
	if (obj != NULL)
		it->iter_index++;
	return obj;
}
