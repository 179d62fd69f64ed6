/*
 * OSDictionary.c - dictionaries: a vector of (key, value) entries in
 * insertion order, searched by the key's bytes. See OSDictionary.h.
 */

#include "libkern/OSDictionary.h"

#include "libkern/OSSerialize.h"
#include "libkern/OSSymbol.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

static void
osdictionary_free(OSObject *obj)
{
	OSDictionary *d = (OSDictionary *)obj;

	OSDictionary_flushCollection(d);
	if (d->dict_entries != NULL)
		kfree(d->dict_entries,
		    (vm_size_t)d->dict_capacity * sizeof(struct OSDictionary_entry));
	d->dict_entries = NULL;
}

static bool
osdictionary_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSDictionary *o = OSDynamicCast(OSDictionary, other);

	return o != NULL && OSDictionary_isEqualToDictionary((const OSDictionary *)obj, o);
}

static bool
osdictionary_serialize(const OSObject *obj, OSSerialize *s)
{
	const OSDictionary *d = (const OSDictionary *)obj;
	const OSString *key;

	if (d->dict_count == 0)
		return OSSerialize_addElement(s, "<dict/>");
	if (!OSSerialize_beginContainer(s, "dict"))
		return false;
	for (uint32_t i = 0; i < d->dict_count; i++) {
		key = d->dict_entries[i].key;
		if (!OSSerialize_addLeaf(s, "key", OSString_getCStringNoCopy(key),
		    OSString_getLength(key)) ||
		    !OSSerialize_addObject(s, d->dict_entries[i].value))
			return false;
	}
	return OSSerialize_endContainer(s, "dict");
}

static uint32_t
osdictionary_getCount(const OSCollection *coll)
{
	return ((const OSDictionary *)coll)->dict_count;
}

static OSObject *
osdictionary_getIterObject(const OSCollection *coll, uint32_t index)
{
	return (OSObject *)(uintptr_t)OSDictionary_getKeyAtIndex((const OSDictionary *)coll,
	    index);
}

static const struct OSCollection_methods osdictionary_methods = {
	.os = {
		.free = osdictionary_free,
		.isEqualTo = osdictionary_isEqualTo,
		.serialize = osdictionary_serialize,
	},
	.getCount = osdictionary_getCount,
	.getIterObject = osdictionary_getIterObject,
};
OSDefineMetaClass(OSDictionary, OSCollection, &osdictionary_methods);

static bool
osdictionary_ensure(OSDictionary *d, uint32_t need)
{
	void *vec = d->dict_entries;
	bool ok = OSCollection_growVector(&vec, &d->dict_capacity, need,
	    sizeof(struct OSDictionary_entry));

	d->dict_entries = vec;
	return ok;
}

/* The index of the entry whose key has these bytes, or -1. */
static int64_t
osdictionary_find(const OSDictionary *d, const char *key, size_t length)
{
	const OSString *k;

	for (uint32_t i = 0; i < d->dict_count; i++) {
		k = d->dict_entries[i].key;
		if (OSString_getLength(k) == length &&
		    memcmp(OSString_getCStringNoCopy(k), key, length) == 0)
			return i;
	}
	return -1;
}

OSDictionary *
OSDictionary_withCapacity(uint32_t capacity)
{
	OSDictionary *d = OSTypeAlloc(OSDictionary);

	if (d != NULL && capacity > 0 && !osdictionary_ensure(d, capacity))
		OSSafeReleaseNULL(d);
	return d;
}

OSDictionary *
OSDictionary_withDictionary(const OSDictionary *dict, uint32_t capacity)
{
	OSDictionary *d;

	if (dict == NULL)
		return NULL;
	d = OSDictionary_withCapacity(capacity > dict->dict_count ? capacity :
	    dict->dict_count);
	if (d != NULL && !OSDictionary_merge(d, dict))
		OSSafeReleaseNULL(d);
	return d;
}

bool
OSDictionary_setObjectForKey(OSDictionary *d, const OSString *key, const OSObject *obj)
{
	struct OSDictionary_entry *e;
	OSObject *old;
	int64_t i;

	if (key == NULL || obj == NULL)
		return false;
	i = osdictionary_find(d, OSString_getCStringNoCopy(key), OSString_getLength(key));
	if (i >= 0) {
		e = &d->dict_entries[i];
		OSObject_retain(obj);
		old = e->value;
		e->value = (OSObject *)(uintptr_t)obj;
		OSCollection_haveUpdated(&d->dict_coll);
		OSObject_release(old);
		return true;
	}
	if (!osdictionary_ensure(d, d->dict_count + 1))
		return false;
	OSObject_retain(OSCOBJ(key));
	OSObject_retain(obj);
	e = &d->dict_entries[d->dict_count++];
	e->key = key;
	e->value = (OSObject *)(uintptr_t)obj;
	OSCollection_haveUpdated(&d->dict_coll);
	return true;
}

bool
OSDictionary_setObject(OSDictionary *d, const char *key, const OSObject *obj)
{
	const OSSymbol *sym;
	bool ok;

	if (key == NULL || obj == NULL)
		return false;
	sym = OSSymbol_withCString(key);
	if (sym == NULL)
		return false;
	ok = OSDictionary_setObjectForKey(d, &sym->sym_str, obj);
	OSObject_release(OSCOBJ(sym));
	return ok;
}

bool
OSDictionary_merge(OSDictionary *d, const OSDictionary *other)
{
	if (other == NULL)
		return false;
	for (uint32_t i = 0; i < other->dict_count; i++)
		if (!OSDictionary_setObjectForKey(d, other->dict_entries[i].key,
		    other->dict_entries[i].value))
			return false;
	return true;
}

OSObject *
OSDictionary_getObject(const OSDictionary *d, const char *key)
{
	int64_t i;

	if (key == NULL)
		return NULL;
	i = osdictionary_find(d, key, strlen(key));
	return i >= 0 ? d->dict_entries[i].value : NULL;
}

OSObject *
OSDictionary_getObjectForKey(const OSDictionary *d, const OSString *key)
{
	int64_t i;

	if (key == NULL)
		return NULL;
	i = osdictionary_find(d, OSString_getCStringNoCopy(key), OSString_getLength(key));
	return i >= 0 ? d->dict_entries[i].value : NULL;
}

static void
osdictionary_remove_at(OSDictionary *d, uint32_t i)
{
	struct OSDictionary_entry e = d->dict_entries[i];

	memmove(&d->dict_entries[i], &d->dict_entries[i + 1],
	    (size_t)(d->dict_count - i - 1) * sizeof(e));
	d->dict_count--;
	OSCollection_haveUpdated(&d->dict_coll);
	OSObject_release(OSCOBJ(e.key));
	OSObject_release(e.value);
}

void
OSDictionary_removeObject(OSDictionary *d, const char *key)
{
	int64_t i;

	if (key != NULL && (i = osdictionary_find(d, key, strlen(key))) >= 0)
		osdictionary_remove_at(d, (uint32_t)i);
}

void
OSDictionary_removeObjectForKey(OSDictionary *d, const OSString *key)
{
	int64_t i;

	if (key != NULL && (i = osdictionary_find(d, OSString_getCStringNoCopy(key),
	    OSString_getLength(key))) >= 0)
		osdictionary_remove_at(d, (uint32_t)i);
}

void
OSDictionary_flushCollection(OSDictionary *d)
{
	while (d->dict_count > 0)
		osdictionary_remove_at(d, d->dict_count - 1);
}

uint32_t
OSDictionary_getCount(const OSDictionary *d)
{
	return d->dict_count;
}

uint32_t
OSDictionary_getCapacity(const OSDictionary *d)
{
	return d->dict_capacity;
}

const OSString *
OSDictionary_getKeyAtIndex(const OSDictionary *d, uint32_t index)
{
	return index < d->dict_count ? d->dict_entries[index].key : NULL;
}

OSObject *
OSDictionary_getObjectAtIndex(const OSDictionary *d, uint32_t index)
{
	return index < d->dict_count ? d->dict_entries[index].value : NULL;
}

bool
OSDictionary_isEqualToDictionary(const OSDictionary *d, const OSDictionary *other)
{
	if (d == other)
		return true;
	if (other == NULL || d->dict_count != other->dict_count)
		return false;
	for (uint32_t i = 0; i < d->dict_count; i++) {
		if (!OSObject_isEqualTo(d->dict_entries[i].value,
		    OSDictionary_getObjectForKey(other, d->dict_entries[i].key)))
			return false;
	}
	return true;
}
