/*
 * OSString.c - strings: a copy of the bytes (or the caller's, for NoCopy)
 * with a NUL after them. See OSString.h.
 */

#include "libkern/OSString.h"

#include "libkern/OSSerialize.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

static void
osstring_free(OSObject *obj)
{
	OSString *s = (OSString *)obj;

	if (s->str_string != NULL && !(s->str_flags & OSSTRING_NOCOPY))
		kfree((void *)(uintptr_t)s->str_string, (vm_size_t)s->str_length + 1);
	s->str_string = NULL;
}

static bool
osstring_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSString *o = OSDynamicCast(OSString, other);

	return o != NULL && OSString_isEqualToString((const OSString *)obj, o);
}

static bool
osstring_serialize(const OSObject *obj, OSSerialize *s)
{
	const OSString *str = (const OSString *)obj;

	return OSSerialize_addLeaf(s, "string", str->str_string, str->str_length);
}

static const struct OSObject_methods osstring_methods = {
	.free = osstring_free,
	.isEqualTo = osstring_isEqualTo,
	.serialize = osstring_serialize,
};
OSDefineMetaClass(OSString, OSObject, &osstring_methods);

bool
OSString_initWithCStringOfLength(OSString *s, const char *bytes, size_t length)
{
	char *copy;

	if (bytes == NULL || length > OSSTRING_MAX_LENGTH ||
	    memchr(bytes, '\0', length) != NULL)
		return false;
	copy = kalloc((vm_size_t)length + 1);
	if (copy == NULL)
		return false;
	memcpy(copy, bytes, length);
	copy[length] = '\0';
	s->str_string = copy;
	s->str_length = (uint32_t)length;
	return true;
}

OSString *
OSString_withCStringOfLength(const char *bytes, size_t length)
{
	OSString *s;

	if (bytes == NULL || length > OSSTRING_MAX_LENGTH)
		return NULL;
	s = OSTypeAlloc(OSString);
	if (s != NULL && !OSString_initWithCStringOfLength(s, bytes, length))
		OSSafeReleaseNULL(s);
	return s;
}

OSString *
OSString_withCString(const char *cString)
{
	if (cString == NULL)
		return NULL;
	return OSString_withCStringOfLength(cString, strlen(cString));
}

OSString *
OSString_withCStringNoCopy(const char *cString)
{
	size_t length;
	OSString *s;

	if (cString == NULL || (length = strlen(cString)) > OSSTRING_MAX_LENGTH)
		return NULL;
	s = OSTypeAlloc(OSString);
	if (s == NULL)
		return NULL;
	s->str_string = cString;
	s->str_length = (uint32_t)length;
	s->str_flags = OSSTRING_NOCOPY;
	return s;
}

OSString *
OSString_withString(const OSString *aString)
{
	if (aString == NULL)
		return NULL;
	return OSString_withCStringOfLength(aString->str_string, aString->str_length);
}

const char *
OSString_getCStringNoCopy(const OSString *s)
{
	return s->str_string;
}

uint32_t
OSString_getLength(const OSString *s)
{
	return s->str_length;
}

char
OSString_getChar(const OSString *s, uint32_t index)
{
	return index < s->str_length ? s->str_string[index] : '\0';
}

bool
OSString_isEqualToString(const OSString *s, const OSString *other)
{
	if (s == other)
		return true;
	if (other == NULL || s->str_length != other->str_length)
		return false;
	return memcmp(s->str_string, other->str_string, s->str_length) == 0;
}

bool
OSString_isEqualToCString(const OSString *s, const char *cString)
{
	return cString != NULL && strcmp(s->str_string, cString) == 0;
}
