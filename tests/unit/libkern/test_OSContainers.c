/*
 * test_OSContainers.c - libkern's containers: OSString, OSSymbol, OSNumber,
 * OSBoolean, OSData, OSArray, OSDictionary, OSSet, OSCollectionIterator.
 *
 * Each test checks what the container holds, who retains what (retain
 * counts before and after), deep isEqualTo, running out of memory in the
 * middle of an operation (NULL or false, nothing leaked), and ends with
 * every byte given back (os_test.h).
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/libkern/os_test.h"

#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSCollectionIterator.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSSet.h"
#include "libkern/OSString.h"
#include "libkern/OSSymbol.h"

#define RC(obj)	OSObject_getRetainCount(OSCOBJ(obj))

/* --- OSString ------------------------------------------------------------------- */

OSTest(OSString, copies_its_bytes)
{
	char buf[] = "hello";
	OSString *s = OSString_withCString(buf), *t;

	buf[0] = 'j';
	cr_assert_str_eq(OSString_getCStringNoCopy(s), "hello");
	cr_assert_eq(OSString_getLength(s), 5u);
	cr_assert_eq(OSString_getChar(s, 1), 'e');
	cr_assert_eq(OSString_getChar(s, 5), '\0');
	cr_assert(OSString_isEqualToCString(s, "hello"));
	cr_assert_not(OSString_isEqualToCString(s, "hell"));
	t = OSString_withString(s);
	cr_assert_neq(t, s);
	cr_assert(OSObject_isEqualTo(OSOBJ(s), OSOBJ(t)));
	OSObject_release(OSOBJ(t));
	t = OSString_withCStringOfLength("help me", 4);
	cr_assert_str_eq(OSString_getCStringNoCopy(t), "help");
	cr_assert_not(OSObject_isEqualTo(OSOBJ(s), OSOBJ(t)));
	OSObject_release(OSOBJ(t));
	OSObject_release(OSOBJ(s));
}

OSTest(OSString, nocopy_points_at_the_callers_bytes)
{
	static const char text[] = "static";
	OSString *s = OSString_withCStringNoCopy(text);

	cr_assert_eq(OSString_getCStringNoCopy(s), text);
	cr_assert_eq(OSString_getLength(s), 6u);
	OSObject_release(OSOBJ(s));
}

OSTest(OSString, bad_input_and_no_memory_give_null)
{
	cr_assert_null(OSString_withCString(NULL));
	cr_assert_null(OSString_withCStringOfLength("a\0b", 3), "a NUL inside");
	cr_assert_null(OSString_withString(NULL));
	shim_kalloc_fail_after(1);	/* the object, not its bytes */
	cr_assert_null(OSString_withCString("abc"));
	shim_kalloc_fail_after(-1);
}

OSTest(OSString, empty_strings_are_strings)
{
	OSString *s = OSString_withCString("");

	cr_assert_not_null(s);
	cr_assert_eq(OSString_getLength(s), 0u);
	cr_assert_str_eq(OSString_getCStringNoCopy(s), "");
	OSObject_release(OSOBJ(s));
}

/* --- OSSymbol ------------------------------------------------------------------- */

OSTest(OSSymbol, the_same_string_gives_the_same_symbol)
{
	const OSSymbol *a = OSSymbol_withCString("IOProviderClass");
	const OSSymbol *b = OSSymbol_withCStringOfLength("IOProviderClassX", 15);
	const OSSymbol *c = OSSymbol_withCString("IOClass");
	OSString *str = OSString_withCString("IOClass");
	const OSSymbol *d = OSSymbol_withString(str);

	cr_assert_eq(a, b);
	cr_assert_eq(RC(a), 2);
	cr_assert_neq(a, c);
	cr_assert_eq(d, c);
	cr_assert_eq(OSSymbol_withString(&d->sym_str), d, "a symbol gives itself");
	cr_assert_eq(RC(d), 3);
	cr_assert(OSSymbol_isEqualToCString(a, "IOProviderClass"));
	cr_assert_str_eq(OSSymbol_getCStringNoCopy(c), "IOClass");
	cr_assert(OSObject_isEqualTo(OSCOBJ(c), OSCOBJ(str)), "equal to a string");
	cr_assert(OSObject_isEqualTo(OSCOBJ(str), OSCOBJ(c)));
	cr_assert_eq(OSSymbol_tableCount(), 2u);
	OSObject_release(OSCOBJ(str));
	OSObject_release(OSCOBJ(a));
	OSObject_release(OSCOBJ(b));
	OSObject_release(OSCOBJ(c));
	OSObject_release(OSCOBJ(d));
	OSObject_release(OSCOBJ(d));
	cr_assert_eq(OSSymbol_tableCount(), 0u, "released symbols leave the table");
}

OSTest(OSSymbol, a_released_symbol_is_made_anew)
{
	const OSSymbol *a = OSSymbol_withCString("transient");

	cr_assert_eq(OSSymbol_existingSymbolForCString("transient"), a);
	OSObject_release(OSCOBJ(a));
	OSObject_release(OSCOBJ(a));
	cr_assert_null(OSSymbol_existingSymbolForCString("transient"));
	a = OSSymbol_withCString("transient");
	cr_assert_eq(RC(a), 1);
	OSObject_release(OSCOBJ(a));
}

OSTest(OSSymbol, many_symbols_share_the_buckets)
{
	const OSSymbol *syms[1000];
	char name[16];

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "sym%d", i);
		syms[i] = OSSymbol_withCString(name);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "sym%d", i);
		cr_assert_eq(OSSymbol_withCString(name), syms[i]);
		OSObject_release(OSCOBJ(syms[i]));
	}
	cr_assert_eq(OSSymbol_tableCount(), 1000u);
	for (int i = 0; i < 1000; i++)
		OSObject_release(OSCOBJ(syms[i]));
	cr_assert_eq(OSSymbol_tableCount(), 0u);
}

OSTest(OSSymbol, no_memory_gives_null)
{
	shim_kalloc_fail_after(1);
	cr_assert_null(OSSymbol_withCString("never"));
	shim_kalloc_fail_after(-1);
	cr_assert_eq(OSSymbol_tableCount(), 0u);
	cr_assert_null(OSSymbol_withCString(NULL));
}

/* --- OSNumber, OSBoolean ---------------------------------------------------------- */

OSTest(OSNumber, values_are_masked_to_their_size)
{
	OSNumber *n = OSNumber_withNumber(0x1234, 8);
	OSNumber *m = OSNumber_withNumber(0x34, 8);
	OSNumber *w = OSNumber_withNumber(0x34, 16);

	cr_assert_eq(OSNumber_unsigned8BitValue(n), 0x34);
	cr_assert_eq(OSNumber_unsigned64BitValue(n), 0x34u);
	cr_assert_eq(OSNumber_numberOfBits(n), 8u);
	cr_assert_eq(OSNumber_numberOfBytes(n), 1u);
	cr_assert(OSObject_isEqualTo(OSOBJ(n), OSOBJ(m)));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(n), OSOBJ(w)), "sizes differ");
	OSNumber_addValue(n, 0xd0);
	cr_assert_eq(OSNumber_unsigned8BitValue(n), 0x04, "wraps at 8 bits");
	OSNumber_setValue(w, 0x12345);
	cr_assert_eq(OSNumber_unsigned16BitValue(w), 0x2345);
	cr_assert_eq(OSNumber_unsigned32BitValue(w), 0x2345u);
	cr_assert_null(OSNumber_withNumber(1, 12));
	cr_assert_null(OSNumber_withNumber(1, 0));
	OSObject_release(OSOBJ(n));
	OSObject_release(OSOBJ(m));
	OSObject_release(OSOBJ(w));
}

OSTest(OSBoolean, two_immortal_singletons)
{
	OSBoolean *t = OSBoolean_withBoolean(true);

	cr_assert_eq(t, kOSBooleanTrue);
	cr_assert_eq(OSBoolean_withBoolean(false), kOSBooleanFalse);
	cr_assert(OSBoolean_isTrue(t));
	cr_assert_not(OSBoolean_isFalse(t));
	cr_assert(OSBoolean_getValue(t));
	cr_assert_not(OSBoolean_getValue(kOSBooleanFalse));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(kOSBooleanTrue), OSOBJ(kOSBooleanFalse)));
	for (int i = 0; i < 10; i++)
		OSObject_release(OSOBJ(t));
	OSObject_retain(OSOBJ(t));
	cr_assert_eq(RC(t), OSOBJECT_IMMORTAL);
	cr_assert_eq(OSDynamicCast(OSBoolean, kOSBooleanFalse), kOSBooleanFalse);
}

/* --- OSData ----------------------------------------------------------------------- */

OSTest(OSData, appends_grow_the_buffer)
{
	OSData *d = OSData_withCapacity(2), *e;
	uint8_t big[1000];

	cr_assert_eq(OSData_getLength(d), 0u);
	cr_assert_null(OSData_getBytesNoCopy(d));
	cr_assert(OSData_appendBytes(d, "ab", 2));
	cr_assert(OSData_appendByte(d, 'z', 3));
	cr_assert(OSData_isEqualToBytes(d, "abzzz", 5));
	memset(big, 7, sizeof(big));
	cr_assert(OSData_appendBytes(d, big, sizeof(big)));
	cr_assert_eq(OSData_getLength(d), 1005u);
	cr_assert_geq(OSData_getCapacity(d), 1005u);
	cr_assert_eq(((const uint8_t *)OSData_getBytesNoCopy(d))[1004], 7);
	e = OSData_withData(d);
	cr_assert(OSObject_isEqualTo(OSOBJ(d), OSOBJ(e)));
	cr_assert(OSData_appendBytes(e, NULL, 1));
	cr_assert_eq(((const uint8_t *)OSData_getBytesNoCopy(e))[1005], 0);
	cr_assert_not(OSObject_isEqualTo(OSOBJ(d), OSOBJ(e)));
	OSObject_release(OSOBJ(d));
	OSObject_release(OSOBJ(e));
}

OSTest(OSData, a_failed_append_changes_nothing)
{
	OSData *d = OSData_withBytes("abc", 3);

	shim_kalloc_fail_after(0);
	cr_assert_not(OSData_appendBytes(d, NULL, 100));
	shim_kalloc_fail_after(-1);
	cr_assert(OSData_isEqualToBytes(d, "abc", 3));
	cr_assert_not(OSData_appendBytes(d, NULL, OSDATA_MAX_LENGTH));
	OSObject_release(OSOBJ(d));
	shim_kalloc_fail_after(1);
	cr_assert_null(OSData_withBytes("abc", 3));
	shim_kalloc_fail_after(-1);
}

/* --- OSArray ---------------------------------------------------------------------- */

OSTest(OSArray, holds_retained_objects_in_order)
{
	OSArray *a = OSArray_withCapacity(1);
	OSString *x = OSString_withCString("x"), *y = OSString_withCString("y");
	OSNumber *n = OSNumber_withNumber(5, 32);

	cr_assert(OSArray_setObject(a, OSOBJ(x)));
	cr_assert(OSArray_setObject(a, OSOBJ(n)));
	cr_assert(OSArray_setObjectAtIndex(a, 0, OSOBJ(y)));
	cr_assert_eq(OSArray_getCount(a), 3u);
	cr_assert_eq(OSArray_getObject(a, 0), OSOBJ(y));
	cr_assert_eq(OSArray_getObject(a, 1), OSOBJ(x));
	cr_assert_eq(OSArray_getLastObject(a), OSOBJ(n));
	cr_assert_null(OSArray_getObject(a, 3));
	cr_assert_eq(RC(x), 2);
	cr_assert_eq(OSArray_getNextIndexOfObject(a, OSOBJ(n), 0), 2);
	cr_assert_eq(OSArray_getNextIndexOfObject(a, OSOBJ(y), 1), -1);
	cr_assert_not(OSArray_setObject(a, NULL));
	cr_assert_not(OSArray_setObjectAtIndex(a, 5, OSOBJ(x)));

	cr_assert(OSArray_replaceObject(a, 0, OSOBJ(x)));
	cr_assert_eq(RC(y), 1, "the replaced object is released");
	cr_assert_eq(RC(x), 3);
	OSArray_removeObject(a, 0);
	OSArray_removeObject(a, 10);
	cr_assert_eq(RC(x), 2);
	cr_assert_eq(OSArray_getCount(a), 2u);
	OSObject_release(OSOBJ(a));
	cr_assert_eq(RC(x), 1, "freeing the array releases its members");
	cr_assert_eq(RC(n), 1);
	OSObject_release(OSOBJ(x));
	OSObject_release(OSOBJ(y));
	OSObject_release(OSOBJ(n));
}

static OSArray *
array_of(const char *a, const char *b)
{
	OSString *sa = OSString_withCString(a), *sb = OSString_withCString(b);
	OSObject *objs[2] = { OSOBJ(sa), OSOBJ(sb) };
	OSArray *arr = OSArray_withObjects(objs, 2, 0);

	OSObject_release(OSOBJ(sa));
	OSObject_release(OSOBJ(sb));
	return arr;
}

OSTest(OSArray, equality_is_deep_and_ordered)
{
	OSArray *a = array_of("p", "q"), *b = array_of("p", "q"), *c = array_of("q", "p");
	OSArray *outer1 = OSArray_withCapacity(0), *outer2 = OSArray_withCapacity(0);
	OSArray *copy;

	cr_assert(OSObject_isEqualTo(OSOBJ(a), OSOBJ(b)));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(a), OSOBJ(c)));
	OSArray_setObject(outer1, OSOBJ(a));
	OSArray_setObject(outer2, OSOBJ(b));
	cr_assert(OSObject_isEqualTo(OSOBJ(outer1), OSOBJ(outer2)));
	OSArray_setObject(outer2, OSOBJ(c));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(outer1), OSOBJ(outer2)));
	cr_assert(OSArray_merge(outer1, outer2));
	cr_assert_eq(OSArray_getCount(outer1), 3u);
	copy = OSArray_withArray(outer1, 0);
	cr_assert(OSObject_isEqualTo(OSOBJ(copy), OSOBJ(outer1)));
	cr_assert_eq(OSArray_getObject(copy, 0), OSOBJ(a), "shallow");
	OSArray_flushCollection(outer1);
	cr_assert_eq(OSArray_getCount(outer1), 0u);
	cr_assert_not(OSObject_isEqualTo(OSOBJ(a), OSOBJ(kOSBooleanTrue)));
	OSObject_release(OSOBJ(copy));
	OSObject_release(OSOBJ(outer1));
	OSObject_release(OSOBJ(outer2));
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(b));
	OSObject_release(OSOBJ(c));
}

OSTest(OSArray, running_out_of_memory_leaves_the_array_as_it_was)
{
	OSArray *a = OSArray_withCapacity(0);
	OSString *s = OSString_withCString("s");
	int i;

	for (i = 0; i < 4; i++)
		cr_assert(OSArray_setObject(a, OSOBJ(s)));
	shim_kalloc_fail_after(0);
	cr_assert_not(OSArray_setObject(a, OSOBJ(s)), "growing needs memory");
	shim_kalloc_fail_after(-1);
	cr_assert_eq(OSArray_getCount(a), 4u);
	cr_assert_eq(RC(s), 5);
	for (i = 0; i < 3; i++) {
		shim_kalloc_fail_after(i);
		OSArray *b = OSArray_withArray(a, 0);
		shim_kalloc_fail_after(-1);
		OSSafeReleaseNULL(b);
	}
	cr_assert_eq(RC(s), 5);
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(s));
}

/* --- OSDictionary ------------------------------------------------------------------ */

OSTest(OSDictionary, keys_are_compared_by_their_bytes)
{
	OSDictionary *d = OSDictionary_withCapacity(2);
	OSString *key = OSString_withCString("CFBundleIdentifier");
	OSString *val = OSString_withCString("com.example.driver");
	OSNumber *num = OSNumber_withNumber(3, 32);
	const OSSymbol *sym = OSSymbol_withCString("CFBundleIdentifier");

	cr_assert(OSDictionary_setObjectForKey(d, key, OSOBJ(val)));
	cr_assert(OSDictionary_setObject(d, "IOProbeScore", OSOBJ(num)));
	cr_assert_eq(OSDictionary_getCount(d), 2u);
	cr_assert_eq(OSDictionary_getObject(d, "CFBundleIdentifier"), OSOBJ(val));
	cr_assert_eq(OSDictionary_getObjectForKey(d, &sym->sym_str), OSOBJ(val),
	    "a symbol finds a string key");
	cr_assert_eq(OSDictionary_getObject(d, "IOProbeScore"), OSOBJ(num));
	cr_assert_null(OSDictionary_getObject(d, "IOProbe"));
	cr_assert_null(OSDictionary_getObject(d, NULL));
	cr_assert_eq(RC(key), 2);
	cr_assert_eq(RC(val), 2);

	/* Replacing keeps the key and its place, releases the old value. */
	cr_assert(OSDictionary_setObjectForKey(d, &sym->sym_str, OSOBJ(num)));
	cr_assert_eq(OSDictionary_getCount(d), 2u);
	cr_assert_eq(OSDictionary_getKeyAtIndex(d, 0), key);
	cr_assert_eq(OSDictionary_getObjectAtIndex(d, 0), OSOBJ(num));
	cr_assert_eq(RC(val), 1);
	cr_assert_eq(RC(sym), 1, "the old key stays; the symbol is not kept");

	OSDictionary_removeObject(d, "CFBundleIdentifier");
	OSDictionary_removeObjectForKey(d, key);
	OSDictionary_removeObject(d, "absent");
	cr_assert_eq(OSDictionary_getCount(d), 1u);
	cr_assert_eq(RC(key), 1);
	cr_assert_str_eq(OSString_getCStringNoCopy(OSDictionary_getKeyAtIndex(d, 0)),
	    "IOProbeScore");
	cr_assert_not(OSDictionary_setObject(d, "x", NULL));
	cr_assert_not(OSDictionary_setObject(d, NULL, OSOBJ(num)));
	OSObject_release(OSOBJ(d));
	cr_assert_eq(RC(num), 1);
	cr_assert_eq(OSSymbol_tableCount(), 1u, "only sym is left");
	OSObject_release(OSOBJ(key));
	OSObject_release(OSOBJ(val));
	OSObject_release(OSOBJ(num));
	OSObject_release(OSCOBJ(sym));
}

OSTest(OSDictionary, equality_ignores_order_and_is_deep)
{
	OSDictionary *a = OSDictionary_withCapacity(0), *b = OSDictionary_withCapacity(0);
	OSArray *x = array_of("1", "2"), *y = array_of("1", "2"), *z = array_of("1", "3");
	OSDictionary *c;

	OSDictionary_setObject(a, "one", OSOBJ(x));
	OSDictionary_setObject(a, "two", OSOBJ(kOSBooleanTrue));
	OSDictionary_setObject(b, "two", OSOBJ(kOSBooleanTrue));
	OSDictionary_setObject(b, "one", OSOBJ(y));
	cr_assert(OSObject_isEqualTo(OSOBJ(a), OSOBJ(b)));
	OSDictionary_setObject(b, "one", OSOBJ(z));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(a), OSOBJ(b)));
	OSDictionary_setObject(b, "three", OSOBJ(z));
	c = OSDictionary_withDictionary(b, 0);
	cr_assert(OSObject_isEqualTo(OSOBJ(b), OSOBJ(c)));
	cr_assert(OSDictionary_merge(c, a));
	cr_assert_eq(OSDictionary_getCount(c), 3u);
	cr_assert_eq(OSDictionary_getObject(c, "one"), OSOBJ(x));
	OSDictionary_flushCollection(c);
	cr_assert_eq(OSDictionary_getCount(c), 0u);
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(b));
	OSObject_release(OSOBJ(c));
	OSObject_release(OSOBJ(x));
	OSObject_release(OSOBJ(y));
	OSObject_release(OSOBJ(z));
}

OSTest(OSDictionary, running_out_of_memory_leaves_it_as_it_was)
{
	OSDictionary *d = OSDictionary_withCapacity(0);
	int i;

	/* The symbol, its bytes, the entries: any of them may fail. */
	for (i = 0; i < 3; i++) {
		shim_kalloc_fail_after(i);
		cr_assert_not(OSDictionary_setObject(d, "key", OSOBJ(kOSBooleanTrue)));
		shim_kalloc_fail_after(-1);
		cr_assert_eq(OSDictionary_getCount(d), 0u);
	}
	cr_assert(OSDictionary_setObject(d, "key", OSOBJ(kOSBooleanTrue)));
	OSObject_release(OSOBJ(d));
}

/* --- OSSet ------------------------------------------------------------------------- */

OSTest(OSSet, members_are_distinct_objects)
{
	OSSet *s = OSSet_withCapacity(0), *t;
	OSString *a = OSString_withCString("a"), *a2 = OSString_withCString("a");
	OSArray *arr = array_of("b", "c");

	cr_assert(OSSet_setObject(s, OSOBJ(a)));
	cr_assert(OSSet_setObject(s, OSOBJ(a)));
	cr_assert_eq(OSSet_getCount(s), 1u);
	cr_assert_eq(RC(a), 2);
	cr_assert(OSSet_setObject(s, OSOBJ(a2)), "equal but not the same object");
	cr_assert_eq(OSSet_getCount(s), 2u);
	cr_assert(OSSet_containsObject(s, OSOBJ(a2)));
	cr_assert(OSSet_merge(s, arr));
	cr_assert_eq(OSSet_getCount(s), 4u);
	t = OSSet_withArray(arr, 0);
	OSSet_setObject(t, OSOBJ(a2));
	OSSet_setObject(t, OSOBJ(a));
	cr_assert(OSObject_isEqualTo(OSOBJ(s), OSOBJ(t)));
	OSSet_removeObject(t, OSOBJ(a));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(s), OSOBJ(t)));
	cr_assert_eq(RC(a), 2);
	cr_assert_not_null(OSSet_getAnyObject(s));
	OSSet_flushCollection(s);
	cr_assert_null(OSSet_getAnyObject(s));
	cr_assert_eq(RC(a), 1);
	OSObject_release(OSOBJ(s));
	OSObject_release(OSOBJ(t));
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(a2));
	OSObject_release(OSOBJ(arr));
}

/* --- OSCollectionIterator ------------------------------------------------------------ */

OSTest(OSCollectionIterator, walks_arrays_dictionaries_and_sets)
{
	OSArray *arr = array_of("x", "y");
	OSDictionary *d = OSDictionary_withCapacity(0);
	OSSet *set = OSSet_withArray(arr, 0);
	OSCollectionIterator *it;
	OSObject *o;
	int n;

	OSDictionary_setObject(d, "k1", OSOBJ(arr));
	OSDictionary_setObject(d, "k2", OSOBJ(arr));

	it = OSCollectionIterator_withCollection(&arr->arr_coll);
	cr_assert_eq(RC(arr), 4, "the iterator retains the array");
	cr_assert_eq(OSCollectionIterator_getNextObject(it), OSArray_getObject(arr, 0));
	cr_assert_eq(OSCollectionIterator_getNextObject(it), OSArray_getObject(arr, 1));
	cr_assert_null(OSCollectionIterator_getNextObject(it));
	cr_assert(OSCollectionIterator_isValid(it));
	OSCollectionIterator_reset(it);
	cr_assert_not_null(OSCollectionIterator_getNextObject(it));
	OSObject_release(OSOBJ(it));

	it = OSCollectionIterator_withCollection(&d->dict_coll);
	o = OSCollectionIterator_getNextObject(it);
	cr_assert(OSString_isEqualToCString(OSDynamicCast(OSString, o), "k1"), "keys");
	o = OSCollectionIterator_getNextObject(it);
	cr_assert(OSString_isEqualToCString(OSDynamicCast(OSString, o), "k2"));
	cr_assert_null(OSCollectionIterator_getNextObject(it));
	OSObject_release(OSOBJ(it));

	it = OSCollectionIterator_withCollection(&set->set_coll);
	for (n = 0; (o = OSCollectionIterator_getNextObject(it)) != NULL; n++)
		cr_assert(OSSet_containsObject(set, o));
	cr_assert_eq(n, 2);
	OSObject_release(OSOBJ(it));
	cr_assert_null(OSCollectionIterator_withCollection(NULL));

	OSObject_release(OSOBJ(set));
	OSObject_release(OSOBJ(d));
	OSObject_release(OSOBJ(arr));
}

OSTest(OSCollectionIterator, a_change_during_the_walk_invalidates_it)
{
	OSArray *arr = array_of("x", "y");
	OSCollectionIterator *it = OSCollectionIterator_withCollection(&arr->arr_coll);

	cr_assert_not_null(OSCollectionIterator_getNextObject(it));
	OSArray_removeObject(arr, 1);
	cr_assert_null(OSCollectionIterator_getNextObject(it));
	cr_assert_not(OSCollectionIterator_isValid(it));
	OSArray_setObject(arr, OSOBJ(kOSBooleanTrue));
	cr_assert_null(OSCollectionIterator_getNextObject(it), "stays invalid");
	OSCollectionIterator_reset(it);
	cr_assert(OSCollectionIterator_isValid(it));
	cr_assert_not_null(OSCollectionIterator_getNextObject(it));
	OSObject_release(OSOBJ(it));
	OSObject_release(OSOBJ(arr));
}
