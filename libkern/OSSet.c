/*
 * OSSet.c - sets: a vector of distinct retained pointers. See OSSet.h.
 */

#include "libkern/OSSet.h"

#include "libkern/OSSerialize.h"
#include "mach/kern/kalloc.h"

static void
osset_free(OSObject *obj)
{
	OSSet *s = (OSSet *)obj;

	OSSet_flushCollection(s);
	if (s->set_members != NULL)
		kfree(s->set_members, (vm_size_t)s->set_capacity * sizeof(OSObject *));
	s->set_members = NULL;
}

static bool
osset_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSSet *o = OSDynamicCast(OSSet, other);

	return o != NULL && OSSet_isEqualToSet((const OSSet *)obj, o);
}

static bool
osset_serialize(const OSObject *obj, OSSerialize *s)
{
	const OSSet *set = (const OSSet *)obj;

	if (set->set_count == 0)
		return OSSerialize_addElement(s, "<array/>");
	if (!OSSerialize_beginContainer(s, "array"))
		return false;
	for (uint32_t i = 0; i < set->set_count; i++)
		if (!OSSerialize_addObject(s, set->set_members[i]))
			return false;
	return OSSerialize_endContainer(s, "array");
}

static uint32_t
osset_getCount(const OSCollection *coll)
{
	return ((const OSSet *)coll)->set_count;
}

static OSObject *
osset_getIterObject(const OSCollection *coll, uint32_t index)
{
	const OSSet *s = (const OSSet *)coll;

	return index < s->set_count ? s->set_members[index] : NULL;
}

static const struct OSCollection_methods osset_methods = {
	.os = {
		.free = osset_free,
		.isEqualTo = osset_isEqualTo,
		.serialize = osset_serialize,
	},
	.getCount = osset_getCount,
	.getIterObject = osset_getIterObject,
};
OSDefineMetaClass(OSSet, OSCollection, &osset_methods);

OSSet *
OSSet_withCapacity(uint32_t capacity)
{
	OSSet *s = OSTypeAlloc(OSSet);
	void *vec = NULL;

	if (s != NULL && capacity > 0) {
		if (!OSCollection_growVector(&vec, &s->set_capacity, capacity,
		    sizeof(OSObject *)))
			OSSafeReleaseNULL(s);
		else
			s->set_members = vec;
	}
	return s;
}

OSSet *
OSSet_withArray(const OSArray *array, uint32_t capacity)
{
	OSSet *s;

	if (array == NULL)
		return NULL;
	s = OSSet_withCapacity(capacity > OSArray_getCount(array) ? capacity :
	    OSArray_getCount(array));
	if (s != NULL && !OSSet_merge(s, array))
		OSSafeReleaseNULL(s);
	return s;
}

bool
OSSet_setObject(OSSet *s, const OSObject *obj)
{
	void *vec = s->set_members;
	bool ok;

	if (obj == NULL)
		return false;
	if (OSSet_containsObject(s, obj))
		return true;
	ok = OSCollection_growVector(&vec, &s->set_capacity, s->set_count + 1,
	    sizeof(OSObject *));
	s->set_members = vec;
	if (!ok)
		return false;
	OSObject_retain(obj);
	s->set_members[s->set_count++] = (OSObject *)(uintptr_t)obj;
	OSCollection_haveUpdated(&s->set_coll);
	return true;
}

bool
OSSet_merge(OSSet *s, const OSArray *array)
{
	if (array == NULL)
		return false;
	for (uint32_t i = 0; i < OSArray_getCount(array); i++)
		if (!OSSet_setObject(s, OSArray_getObject(array, i)))
			return false;
	return true;
}

void
OSSet_removeObject(OSSet *s, const OSObject *obj)
{
	for (uint32_t i = 0; i < s->set_count; i++) {
		if (s->set_members[i] != obj)
			continue;
		s->set_members[i] = s->set_members[--s->set_count];
		OSCollection_haveUpdated(&s->set_coll);
		OSObject_release(obj);
		return;
	}
}

void
OSSet_flushCollection(OSSet *s)
{
	while (s->set_count > 0)
		OSSet_removeObject(s, s->set_members[s->set_count - 1]);
}

bool
OSSet_containsObject(const OSSet *s, const OSObject *obj)
{
	for (uint32_t i = 0; i < s->set_count; i++)
		if (s->set_members[i] == obj)
			return true;
	return false;
}

OSObject *
OSSet_getAnyObject(const OSSet *s)
{
	return s->set_count > 0 ? s->set_members[0] : NULL;
}

uint32_t
OSSet_getCount(const OSSet *s)
{
	return s->set_count;
}

uint32_t
OSSet_getCapacity(const OSSet *s)
{
	return s->set_capacity;
}

bool
OSSet_isEqualToSet(const OSSet *s, const OSSet *other)
{
	uint32_t j;

	if (s == other)
		return true;
	if (other == NULL || s->set_count != other->set_count)
		return false;
	for (uint32_t i = 0; i < s->set_count; i++) {
		for (j = 0; j < other->set_count; j++)
			if (OSObject_isEqualTo(s->set_members[i], other->set_members[j]))
				break;
		if (j == other->set_count)
			return false;
	}
	return true;
}
