/*
 * OSObject.c - the root class: allocation, reference counts, and the
 * dispatch of the methods every class has.
 *
 * An object's memory is one kalloc of its class's instance size. When the
 * last reference goes, the free methods run from the object's class up to
 * the root, the class's instance count drops, and the memory is poisoned
 * (class pointer cleared) before kfree, so a later release of it finds no
 * class and panics where the zone has not yet reused the element.
 */

#include "libkern/OSObject.h"

#include "libkern/OSSerialize.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

OSMetaClass OSObject_metaClass = {
	.className = "OSObject",
	.superClass = NULL,
	.instanceSize = sizeof(struct OSObject),
	.methodsSize = sizeof(struct OSObject_methods),
	.methods = NULL,
};

OSObject *
OSObject_alloc(const OSMetaClass *meta)
{
	OSObject *obj;

	if (meta == NULL || meta->instanceSize < sizeof(*obj))
		return NULL;
	obj = kalloc(meta->instanceSize);
	if (obj == NULL)
		return NULL;
	memset(obj, 0, meta->instanceSize);
	obj->meta = meta;
	obj->retainCount = 1;
	__atomic_fetch_add(&((OSMetaClass *)(uintptr_t)meta)->instanceCount, 1,
	    __ATOMIC_RELAXED);
	return obj;
}

/* Panic unless obj looks like a live object. */
static void
osobject_check(const OSObject *obj, int32_t count, const char *who)
{
	if (obj->meta == NULL)
		panic("%s: %p is not a live object (freed already?)", who, (const void *)obj);
	if (count <= 0)
		panic("%s: %p (class %s) has a retain count of %d: it was freed already",
		    who, (const void *)obj, obj->meta->className, count);
}

void
OSObject_retain(const OSObject *obj)
{
	volatile int32_t *rc = &((OSObject *)(uintptr_t)obj)->retainCount;
	int32_t old = __atomic_load_n(rc, __ATOMIC_RELAXED);

	do {
		osobject_check(obj, old, "OSObject_retain");
		if (old == OSOBJECT_IMMORTAL)
			return;
		if (old == OSOBJECT_IMMORTAL - 1)
			panic("OSObject_retain: %p (class %s): too many references",
			    (const void *)obj, obj->meta->className);
	} while (!__atomic_compare_exchange_n(rc, &old, old + 1, true,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

/* The last reference is gone: free methods, subclass first; then the memory. */
static void
osobject_free(OSObject *obj)
{
	const OSMetaClass *meta = obj->meta, *m;

	for (m = meta; m != NULL; m = m->superClass)
		if (m->methods != NULL && m->methods->free != NULL)
			m->methods->free(obj);
	__atomic_fetch_sub(&((OSMetaClass *)(uintptr_t)meta)->instanceCount, 1,
	    __ATOMIC_RELAXED);
	obj->meta = NULL;
	kfree(obj, meta->instanceSize);
}

void
OSObject_release(const OSObject *obj)
{
	volatile int32_t *rc = &((OSObject *)(uintptr_t)obj)->retainCount;
	int32_t old = __atomic_load_n(rc, __ATOMIC_RELAXED);

	do {
		osobject_check(obj, old, "OSObject_release");
		if (old == OSOBJECT_IMMORTAL)
			return;
	} while (!__atomic_compare_exchange_n(rc, &old, old - 1, true,
	    __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (old == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		osobject_free((OSObject *)(uintptr_t)obj);
	}
}

int32_t
OSObject_getRetainCount(const OSObject *obj)
{
	return __atomic_load_n(&obj->retainCount, __ATOMIC_RELAXED);
}

bool
OSObject_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSMetaClass *m;

	if (obj == other)
		return true;
	if (obj == NULL || other == NULL)
		return false;
	for (m = obj->meta; m != NULL; m = m->superClass)
		if (m->methods != NULL && m->methods->isEqualTo != NULL)
			return m->methods->isEqualTo(obj, other);
	return false;
}

const char *
OSObject_getClassName(const OSObject *obj)
{
	return obj->meta->className;
}
