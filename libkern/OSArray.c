/*
 * OSArray.c - arrays: a vector of retained object pointers. See OSArray.h.
 */

#include "libkern/OSArray.h"

#include "libkern/OSSerialize.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

static void
osarray_free(OSObject *obj)
{
	OSArray *a = (OSArray *)obj;

	OSArray_flushCollection(a);
	if (a->arr_objects != NULL)
		kfree(a->arr_objects, (vm_size_t)a->arr_capacity * sizeof(OSObject *));
	a->arr_objects = NULL;
}

static bool
osarray_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSArray *o = OSDynamicCast(OSArray, other);

	return o != NULL && OSArray_isEqualToArray((const OSArray *)obj, o);
}

static bool
osarray_serialize(const OSObject *obj, OSSerialize *s)
{
	const OSArray *a = (const OSArray *)obj;

	if (a->arr_count == 0)
		return OSSerialize_addElement(s, "<array/>");
	if (!OSSerialize_beginContainer(s, "array"))
		return false;
	for (uint32_t i = 0; i < a->arr_count; i++)
		if (!OSSerialize_addObject(s, a->arr_objects[i]))
			return false;
	return OSSerialize_endContainer(s, "array");
}

static uint32_t
osarray_getCount(const OSCollection *coll)
{
	return ((const OSArray *)coll)->arr_count;
}

static OSObject *
osarray_getIterObject(const OSCollection *coll, uint32_t index)
{
	return OSArray_getObject((const OSArray *)coll, index);
}

static const struct OSCollection_methods osarray_methods = {
	.os = {
		.free = osarray_free,
		.isEqualTo = osarray_isEqualTo,
		.serialize = osarray_serialize,
	},
	.getCount = osarray_getCount,
	.getIterObject = osarray_getIterObject,
};
OSDefineMetaClass(OSArray, OSCollection, &osarray_methods);

static bool
osarray_ensure(OSArray *a, uint32_t need)
{
	void *vec = a->arr_objects;
	bool ok = OSCollection_growVector(&vec, &a->arr_capacity, need, sizeof(OSObject *));

	a->arr_objects = vec;
	return ok;
}

OSArray *
OSArray_withCapacity(uint32_t capacity)
{
	OSArray *a = OSTypeAlloc(OSArray);

	if (a != NULL && capacity > 0 && !osarray_ensure(a, capacity))
		OSSafeReleaseNULL(a);
	return a;
}

OSArray *
OSArray_withObjects(OSObject *const *objects, uint32_t count, uint32_t capacity)
{
	OSArray *a = OSArray_withCapacity(capacity > count ? capacity : count);

	for (uint32_t i = 0; a != NULL && i < count; i++)
		if (!OSArray_setObject(a, objects[i]))
			OSSafeReleaseNULL(a);
	return a;
}

OSArray *
OSArray_withArray(const OSArray *array, uint32_t capacity)
{
	if (array == NULL)
		return NULL;
	return OSArray_withObjects(array->arr_objects, array->arr_count, capacity);
}

bool
OSArray_setObjectAtIndex(OSArray *a, uint32_t index, const OSObject *obj)
{
	if (obj == NULL || index > a->arr_count || !osarray_ensure(a, a->arr_count + 1))
		return false;
	memmove(&a->arr_objects[index + 1], &a->arr_objects[index],
	    (size_t)(a->arr_count - index) * sizeof(OSObject *));
	OSObject_retain(obj);
	a->arr_objects[index] = (OSObject *)(uintptr_t)obj;
	a->arr_count++;
	OSCollection_haveUpdated(&a->arr_coll);
	return true;
}

bool
OSArray_setObject(OSArray *a, const OSObject *obj)
{
	return OSArray_setObjectAtIndex(a, a->arr_count, obj);
}

bool
OSArray_merge(OSArray *a, const OSArray *other)
{
	if (other == NULL || !osarray_ensure(a, a->arr_count + other->arr_count))
		return false;
	for (uint32_t i = 0, n = other->arr_count; i < n; i++)
		(void)OSArray_setObject(a, other->arr_objects[i]);	/* room made */
	return true;
}

bool
OSArray_replaceObject(OSArray *a, uint32_t index, const OSObject *obj)
{
	OSObject *old;

	if (obj == NULL || index >= a->arr_count)
		return false;
	OSObject_retain(obj);
	old = a->arr_objects[index];
	a->arr_objects[index] = (OSObject *)(uintptr_t)obj;
	OSCollection_haveUpdated(&a->arr_coll);
	OSObject_release(old);
	return true;
}

void
OSArray_removeObject(OSArray *a, uint32_t index)
{
	OSObject *old;

	if (index >= a->arr_count)
		return;
	old = a->arr_objects[index];
	memmove(&a->arr_objects[index], &a->arr_objects[index + 1],
	    (size_t)(a->arr_count - index - 1) * sizeof(OSObject *));
	a->arr_count--;
	OSCollection_haveUpdated(&a->arr_coll);
	OSObject_release(old);
}

void
OSArray_flushCollection(OSArray *a)
{
	while (a->arr_count > 0)
		OSArray_removeObject(a, a->arr_count - 1);
}

OSObject *
OSArray_getObject(const OSArray *a, uint32_t index)
{
	return index < a->arr_count ? a->arr_objects[index] : NULL;
}

OSObject *
OSArray_getLastObject(const OSArray *a)
{
	return a->arr_count > 0 ? a->arr_objects[a->arr_count - 1] : NULL;
}

uint32_t
OSArray_getCount(const OSArray *a)
{
	return a->arr_count;
}

uint32_t
OSArray_getCapacity(const OSArray *a)
{
	return a->arr_capacity;
}

int32_t
OSArray_getNextIndexOfObject(const OSArray *a, const OSObject *obj, uint32_t start)
{
	for (uint32_t i = start; i < a->arr_count; i++)
		if (a->arr_objects[i] == obj)
			return (int32_t)i;
	return -1;
}

bool
OSArray_isEqualToArray(const OSArray *a, const OSArray *other)
{
	if (a == other)
		return true;
	if (other == NULL || a->arr_count != other->arr_count)
		return false;
	for (uint32_t i = 0; i < a->arr_count; i++)
		if (!OSObject_isEqualTo(a->arr_objects[i], other->arr_objects[i]))
			return false;
	return true;
}
