/*
 * OSNumber.c - numbers: a value masked to its size. See OSNumber.h.
 */

#include "libkern/OSNumber.h"

#include "libkern/OSSerialize.h"
#include "libkern/printf.h"

static uint64_t
osnumber_mask(uint32_t bits)
{
	return bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
}

static bool
osnumber_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const OSNumber *o = OSDynamicCast(OSNumber, other);

	return o != NULL && OSNumber_isEqualToNumber((const OSNumber *)obj, o);
}

static bool
osnumber_serialize(const OSObject *obj, OSSerialize *s)
{
	const OSNumber *n = (const OSNumber *)obj;
	char text[24];
	int len;

	if (n->num_size == 64)
		len = snprintf(text, sizeof(text), "%lld", (long long)n->num_value);
	else
		len = snprintf(text, sizeof(text), "%llu", (unsigned long long)n->num_value);
	return OSSerialize_addLeaf(s, "integer", text, (size_t)len);
}

static const struct OSObject_methods osnumber_methods = {
	.isEqualTo = osnumber_isEqualTo,
	.serialize = osnumber_serialize,
};
OSDefineMetaClass(OSNumber, OSObject, &osnumber_methods);

OSNumber *
OSNumber_withNumber(uint64_t value, uint32_t numberOfBits)
{
	OSNumber *n;

	if (numberOfBits != 8 && numberOfBits != 16 && numberOfBits != 32 &&
	    numberOfBits != 64)
		return NULL;
	n = OSTypeAlloc(OSNumber);
	if (n == NULL)
		return NULL;
	n->num_size = numberOfBits;
	n->num_value = value & osnumber_mask(numberOfBits);
	return n;
}

uint32_t
OSNumber_numberOfBits(const OSNumber *n)
{
	return n->num_size;
}

uint32_t
OSNumber_numberOfBytes(const OSNumber *n)
{
	return n->num_size / 8;
}

uint8_t
OSNumber_unsigned8BitValue(const OSNumber *n)
{
	return (uint8_t)n->num_value;
}

uint16_t
OSNumber_unsigned16BitValue(const OSNumber *n)
{
	return (uint16_t)n->num_value;
}

uint32_t
OSNumber_unsigned32BitValue(const OSNumber *n)
{
	return (uint32_t)n->num_value;
}

uint64_t
OSNumber_unsigned64BitValue(const OSNumber *n)
{
	return n->num_value;
}

void
OSNumber_setValue(OSNumber *n, uint64_t value)
{
	n->num_value = value & osnumber_mask(n->num_size);
}

void
OSNumber_addValue(OSNumber *n, int64_t value)
{
	OSNumber_setValue(n, n->num_value + (uint64_t)value);
}

bool
OSNumber_isEqualToNumber(const OSNumber *n, const OSNumber *other)
{
	return other != NULL && n->num_size == other->num_size &&
	    n->num_value == other->num_value;
}
