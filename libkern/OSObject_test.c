/*
 * OSObject_test.c - libkern's classes as built for the kernel, over the
 * real kalloc: the registry as OSMetaClass_init left it, containers made,
 * filled and freed (the runner fails a test that leaks). The thorough
 * tests are host unit tests (tests/unit/libkern/test_OS*.c).
 */

#include "libkern/OSObject.h"

#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/OSSymbol.h"
#include "tests/ktest.h"

KTEST(OSObject, the_builtin_classes_are_registered)
{
	KT_EXPECT_EQ(OSMetaClass_lookup("OSDictionary"), OSTypeID(OSDictionary));
	KT_EXPECT_EQ(OSMetaClass_getSuperClass(OSTypeID(OSSymbol)), OSTypeID(OSString));
	KT_EXPECT_EQ(OSMetaClass_lookup("NoSuchClass"), NULL);
}

KTEST(OSObject, containers_hold_and_release)
{
	OSDictionary *d = OSDictionary_withCapacity(4);
	OSArray *a = OSArray_withCapacity(0);
	OSNumber *n = OSNumber_withNumber(42, 32);
	OSString *s = OSString_withCString("value");
	int32_t strings = OSMetaClass_getInstanceCount(OSTypeID(OSString));

	KT_ASSERT_TRUE(d != NULL && a != NULL && n != NULL && s != NULL);
	KT_EXPECT_TRUE(OSArray_setObject(a, OSOBJ(n)));
	KT_EXPECT_TRUE(OSArray_setObject(a, OSOBJ(kOSBooleanTrue)));
	KT_EXPECT_TRUE(OSDictionary_setObject(d, "array", OSOBJ(a)));
	KT_EXPECT_TRUE(OSDictionary_setObject(d, "string", OSOBJ(s)));
	KT_EXPECT_EQ(OSDynamicCast(OSArray, OSDictionary_getObject(d, "array")), a);
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(n)), 2);
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(n));
	OSObject_release(OSOBJ(s));
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(OSString)), strings);
	OSObject_release(OSOBJ(d));
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(OSString)), strings - 1);
}
