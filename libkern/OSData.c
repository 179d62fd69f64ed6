/*
 * OSData.c - bytes in a buffer that doubles as it fills. See OSData.h.
 */

#include "libkern/OSData.h"

#include "libkern/OSSerialize.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

static void
osdata_free(OSObject *obj)
{
	OSData *d = (OSData *)obj;

	if (d->data_bytes != NULL)
		kfree(d->data_bytes, d->data_capacity);
	d->data_bytes = NULL;
}

static bool
osdata_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSData *o = OSDynamicCast(OSData, other);

	return o != NULL && OSData_isEqualToData((const OSData *)obj, o);
}

static bool
osdata_serialize(const OSObject *obj, OSSerialize *s)
{
	const OSData *d = (const OSData *)obj;

	return OSSerialize_addBase64(s, d->data_bytes, d->data_length);
}

static const struct OSObject_methods osdata_methods = {
	.free = osdata_free,
	.isEqualTo = osdata_isEqualTo,
	.serialize = osdata_serialize,
};
OSDefineMetaClass(OSData, OSObject, &osdata_methods);

bool
OSData_ensureCapacity(OSData *d, uint32_t capacity)
{
	uint32_t newcap;
	uint8_t *bytes;

	if (capacity <= d->data_capacity)
		return true;
	if (capacity > OSDATA_MAX_LENGTH)
		return false;
	newcap = d->data_capacity < 16 ? 16 : d->data_capacity;
	while (newcap < capacity)
		newcap *= 2;
	if (newcap > OSDATA_MAX_LENGTH)
		newcap = OSDATA_MAX_LENGTH;
	bytes = kalloc(newcap);
	if (bytes == NULL)
		return false;
	if (d->data_length > 0)
		memcpy(bytes, d->data_bytes, d->data_length);
	if (d->data_bytes != NULL)
		kfree(d->data_bytes, d->data_capacity);
	d->data_bytes = bytes;
	d->data_capacity = newcap;
	return true;
}

OSData *
OSData_withCapacity(uint32_t capacity)
{
	OSData *d = OSTypeAlloc(OSData);

	if (d != NULL && capacity > 0 && !OSData_ensureCapacity(d, capacity))
		OSSafeReleaseNULL(d);
	return d;
}

OSData *
OSData_withBytes(const void *bytes, uint32_t length)
{
	OSData *d = OSData_withCapacity(length);

	if (d != NULL && !OSData_appendBytes(d, bytes, length))
		OSSafeReleaseNULL(d);
	return d;
}

OSData *
OSData_withData(const OSData *other)
{
	if (other == NULL)
		return NULL;
	return OSData_withBytes(other->data_bytes, other->data_length);
}

bool
OSData_appendBytes(OSData *d, const void *bytes, uint32_t length)
{
	if (length == 0)
		return true;
	if (length > OSDATA_MAX_LENGTH - d->data_length ||
	    !OSData_ensureCapacity(d, d->data_length + length))
		return false;
	if (bytes != NULL)
		memcpy(d->data_bytes + d->data_length, bytes, length);
	else
		memset(d->data_bytes + d->data_length, 0, length);
	d->data_length += length;
	return true;
}

bool
OSData_appendByte(OSData *d, uint8_t byte, uint32_t count)
{
	if (!OSData_appendBytes(d, NULL, count))
		return false;
	if (count > 0)
		memset(d->data_bytes + d->data_length - count, byte, count);
	return true;
}

const void *
OSData_getBytesNoCopy(const OSData *d)
{
	return d->data_length > 0 ? d->data_bytes : NULL;
}

uint32_t
OSData_getLength(const OSData *d)
{
	return d->data_length;
}

uint32_t
OSData_getCapacity(const OSData *d)
{
	return d->data_capacity;
}

bool
OSData_isEqualToBytes(const OSData *d, const void *bytes, uint32_t length)
{
	if (d->data_length != length)
		return false;
	return length == 0 || memcmp(d->data_bytes, bytes, length) == 0;
}

bool
OSData_isEqualToData(const OSData *d, const OSData *other)
{
	return other != NULL && OSData_isEqualToBytes(d, other->data_bytes,
	    other->data_length);
}
