/*
 * OSBoolean.c - the two booleans, statically allocated with the immortal
 * retain count. See OSBoolean.h.
 */

#include "libkern/OSBoolean.h"

#include "libkern/OSSerialize.h"

static bool
osboolean_serialize(const OSObject *obj, OSSerialize *s)
{
	return OSSerialize_addElement(s, ((const OSBoolean *)obj)->bool_value ?
	    "<true/>" : "<false/>");
}

static const struct OSObject_methods osboolean_methods = {
	.serialize = osboolean_serialize,	/* isEqualTo: identity (root) */
};
OSDefineMetaClass(OSBoolean, OSObject, &osboolean_methods);

static OSBoolean osboolean_true = {
	.bool_os = { .meta = &OSBoolean_metaClass, .retainCount = OSOBJECT_IMMORTAL },
	.bool_value = true,
};
static OSBoolean osboolean_false = {
	.bool_os = { .meta = &OSBoolean_metaClass, .retainCount = OSOBJECT_IMMORTAL },
	.bool_value = false,
};

OSBoolean *const kOSBooleanTrue = &osboolean_true;
OSBoolean *const kOSBooleanFalse = &osboolean_false;

OSBoolean *
OSBoolean_withBoolean(bool value)
{
	return value ? kOSBooleanTrue : kOSBooleanFalse;
}

bool
OSBoolean_isTrue(const OSBoolean *b)
{
	return b == kOSBooleanTrue;
}

bool
OSBoolean_isFalse(const OSBoolean *b)
{
	return b == kOSBooleanFalse;
}

bool
OSBoolean_getValue(const OSBoolean *b)
{
	return b->bool_value;
}
