/*
 * OSCollection.c - the update stamp, iteration dispatch, and the vector
 * growth the collections share. See OSCollection.h.
 */

#include "libkern/OSCollection.h"

#include "libkern/string.h"
#include "mach/kern/kalloc.h"

OSDefineMetaClass(OSCollection, OSObject, OS_NO_METHODS);

uint32_t
OSCollection_getCount(const OSCollection *coll)
{
	uint32_t (*fn)(const OSCollection *) =
	    OSMetaClass_method(coll->coll_os.meta, OSCollection, getCount);

	return fn != NULL ? fn(coll) : 0;
}

OSObject *
OSCollection_getIterObject(const OSCollection *coll, uint32_t index)
{
	OSObject *(*fn)(const OSCollection *, uint32_t) =
	    OSMetaClass_method(coll->coll_os.meta, OSCollection, getIterObject);

	return fn != NULL ? fn(coll, index) : NULL;
}

uint32_t
OSCollection_getUpdateStamp(const OSCollection *coll)
{
	return coll->coll_updateStamp;
}

void
OSCollection_haveUpdated(OSCollection *coll)
{
	coll->coll_updateStamp++;
}

bool
OSCollection_growVector(void **vec, uint32_t *capacity, uint32_t need, size_t slot)
{
	uint32_t newcap;
	void *nv;

	if (need <= *capacity)
		return true;
	if (need > OSCOLLECTION_MAX_COUNT)
		return false;
	newcap = *capacity < 4 ? 4 : *capacity;
	while (newcap < need)
		newcap *= 2;
	if (newcap > OSCOLLECTION_MAX_COUNT)
		newcap = OSCOLLECTION_MAX_COUNT;
	nv = kalloc((vm_size_t)newcap * slot);
	if (nv == NULL)
		return false;
	if (*vec != NULL) {
		memcpy(nv, *vec, (size_t)*capacity * slot);
		kfree(*vec, (vm_size_t)*capacity * slot);
	}
	*vec = nv;
	*capacity = newcap;
	return true;
}
