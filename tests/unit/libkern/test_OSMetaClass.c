/*
 * test_OSMetaClass.c - libkern's class system: the registry, type checks,
 * method inheritance, the free chain, reference counts, and classes owned
 * by kexts (OSMetaClass.c, OSObject.c).
 *
 * kalloc is the shim's (host memory, sizes checked), so every test ends by
 * checking that nothing it allocated is still outstanding.
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tests/unit/libkern/os_test.h"

#include "libkern/OSNumber.h"
#include "libkern/OSObject.h"
#include "libkern/OSString.h"
#include "libkern/OSSymbol.h"

/* --- classes defined here, as a kext would ------------------------------------ */

static char free_order[64];

static void
note_free(const char *who)
{
	strncat(free_order, who, sizeof(free_order) - strlen(free_order) - 1);
}

struct com_example_Base {
	OSObject	base_os;
	uint32_t	base_value;
};
OSDeclareDefaultStructors(com_example_Base);

static void
base_free(OSObject *obj __unused)
{
	note_free("base ");
}

static bool
base_isEqualTo(const OSObject *obj, const OSObject *other)
{
	const com_example_Base *o = OSDynamicCast(com_example_Base, other);

	return o != NULL && o->base_value == ((const com_example_Base *)obj)->base_value;
}

struct com_example_Base_methods {
	struct OSObject_methods	os;
	uint32_t		(*describe)(const com_example_Base *);
};

static uint32_t
base_describe(const com_example_Base *b __unused)
{
	return 1;
}

static const struct com_example_Base_methods base_methods = {
	.os = { .free = base_free, .isEqualTo = base_isEqualTo },
	.describe = base_describe,
};
OSDefineMetaClassAndStructorsWithMethods(com_example_Base, OSObject, &base_methods);

struct com_example_Derived {
	com_example_Base	der_base;
	OSString		*der_name;
};
OSDeclareDefaultStructors(com_example_Derived);

static void
derived_free(OSObject *obj)
{
	com_example_Derived *d = (com_example_Derived *)obj;

	note_free("derived ");
	OSSafeReleaseNULL(d->der_name);
}

static const struct com_example_Base_methods derived_methods = {
	.os = { .free = derived_free },		/* isEqualTo, describe: inherited */
};
OSDefineMetaClassAndStructorsWithMethods(com_example_Derived, com_example_Base,
    &derived_methods);

struct com_example_Plain {
	OSObject	plain_os;
};
OSDeclareDefaultStructors(com_example_Plain);
OSDefineMetaClassAndStructors(com_example_Plain, OSObject);

/* A second definition of a name already taken, as a rogue kext would make. */
struct com_example_Impostor {
	OSObject	imp_os;
};
static OSMetaClass impostor_metaClass = {
	.className = "com_example_Base",
	.superClass = &OSObject_metaClass,
	.instanceSize = sizeof(struct com_example_Impostor),
	.methodsSize = sizeof(struct OSObject_methods),
};

static int kext_a, kext_b;	/* stand-ins for kext handles */

/*
 * Load the example classes as kext_a's: what the kext manager does around
 * the kext's constructors (the host ran them once at start-up, before the
 * registry existed, and they were refused).
 */
static void
load_examples(void)
{
	cr_assert_eq(OSMetaClass_beginModLoad(&kext_a), KERN_SUCCESS);
	com_example_Base_registerClass();
	com_example_Derived_registerClass();
	com_example_Plain_registerClass();
	cr_assert_eq(OSMetaClass_endModLoad(&kext_a, true), KERN_SUCCESS);
}

static void
unload_examples(void)
{
	cr_assert_eq(OSMetaClass_removeModClasses(&kext_a), KERN_SUCCESS);
}

/* --- the registry ----------------------------------------------------------------- */

OSTest(OSMetaClass, builtin_classes_are_registered_with_their_superclasses)
{
	const OSMetaClass *sym = OSMetaClass_lookup("OSSymbol");

	cr_assert_not_null(sym);
	cr_assert_eq(sym, OSTypeID(OSSymbol));
	cr_assert_str_eq(OSMetaClass_getClassName(OSMetaClass_getSuperClass(sym)), "OSString");
	cr_assert_eq(OSMetaClass_getSuperClass(OSMetaClass_getSuperClass(sym)),
	    OSTypeID(OSObject));
	cr_assert_null(OSMetaClass_getSuperClass(OSTypeID(OSObject)));
	cr_assert_not_null(OSMetaClass_lookup("OSDictionary"));
	cr_assert_not_null(OSMetaClass_lookup("OSCollectionIterator"));
	cr_assert_null(OSMetaClass_lookup("OSNothing"));
	cr_assert_null(OSMetaClass_lookup(NULL));
	OSMetaClass_init();	/* again: nothing changes */
	cr_assert_eq(OSMetaClass_lookup("OSString"), OSTypeID(OSString));
}

OSTest(OSMetaClass, alloc_by_name_gives_a_zeroed_object_with_one_reference)
{
	OSObject *obj = OSMetaClass_allocClassWithName("OSNumber");

	cr_assert_not_null(obj);
	cr_assert_eq(obj->meta, OSTypeID(OSNumber));
	cr_assert_eq(OSObject_getRetainCount(obj), 1);
	cr_assert_eq(((OSNumber *)obj)->num_value, 0u);
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(OSNumber)), 1);
	cr_assert_str_eq(OSObject_getClassName(obj), "OSNumber");
	OSObject_release(obj);
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(OSNumber)), 0);
	cr_assert_null(OSMetaClass_allocClassWithName("NoSuchClass"));
}

OSTest(OSMetaClass, dynamic_cast_walks_superclasses)
{
	OSString *str = OSString_withCString("s");
	const OSSymbol *sym = OSSymbol_withCString("y");
	OSNumber *num = OSNumber_withNumber(1, 32);

	cr_assert_eq(OSDynamicCast(OSString, str), str);
	cr_assert_eq(OSDynamicCast(OSObject, str), OSOBJ(str));
	cr_assert_eq(OSDynamicCast(OSString, sym), (const OSString *)sym);
	cr_assert_null(OSDynamicCast(OSSymbol, str));
	cr_assert_null(OSDynamicCast(OSString, num));
	cr_assert_null(OSDynamicCast(OSString, NULL));
	cr_assert(OSCheckTypeInst(str, sym));
	cr_assert_not(OSCheckTypeInst(sym, str));
	cr_assert_not(OSCheckTypeInst(str, num));
	cr_assert_not(OSCheckTypeInst(str, NULL));
	cr_assert_eq(OSTypeIDInst(num), OSTypeID(OSNumber));
	OSSafeReleaseNULL(str);
	OSSafeReleaseNULL(sym);
	OSSafeReleaseNULL(num);
	cr_assert_null(str);
}

OSTest(OSMetaClass, a_null_or_bad_class_is_refused)
{
	static OSMetaClass orphan = {
		.className = "Orphan",
		.superClass = &impostor_metaClass,	/* never registered */
		.instanceSize = sizeof(struct com_example_Impostor),
	};
	static OSMetaClass nameless = {
		.className = "",
		.superClass = &OSObject_metaClass,
		.instanceSize = sizeof(OSObject),
	};
	static OSMetaClass tiny = {
		.className = "Tiny",
		.superClass = &OSString_metaClass,
		.instanceSize = sizeof(OSObject),
	};

	cr_assert_eq(OSMetaClass_register(&orphan), KERN_INVALID_ARGUMENT);
	cr_assert_eq(OSMetaClass_register(&nameless), KERN_INVALID_ARGUMENT);
	cr_assert_eq(OSMetaClass_register(&tiny), KERN_INVALID_ARGUMENT);
	cr_assert_null(OSMetaClass_lookup("Orphan"));
	cr_assert_null(OSObject_alloc(NULL));
}

/* --- methods and the free chain --------------------------------------------------- */

OSTest(OSMetaClass, methods_are_inherited_and_free_runs_for_every_class)
{
	com_example_Derived *d, *e;
	uint32_t (*describe)(const com_example_Base *);

	load_examples();
	d = OSTypeAlloc(com_example_Derived);
	e = OSTypeAlloc(com_example_Derived);
	cr_assert(d != NULL && e != NULL);
	d->der_name = OSString_withCString("name");
	d->der_base.base_value = e->der_base.base_value = 7;
	cr_assert(OSObject_isEqualTo(OSOBJ(d), OSOBJ(e)), "isEqualTo inherited from Base");
	e->der_base.base_value = 8;
	cr_assert_not(OSObject_isEqualTo(OSOBJ(d), OSOBJ(e)));
	describe = OSMetaClass_method(OSTypeIDInst(d), com_example_Base, describe);
	cr_assert_eq(describe, base_describe);
	cr_assert_null(OSMetaClass_findMethod(OSTypeID(OSObject),
	    offsetof(struct com_example_Base_methods, describe)),
	    "past the end of OSObject's table");
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(com_example_Derived)), 2);
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(com_example_Base)), 0);

	free_order[0] = '\0';
	OSObject_release(OSOBJ(d));
	cr_assert_str_eq(free_order, "derived base ");
	OSObject_release(OSOBJ(e));
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(com_example_Derived)), 0);
	unload_examples();
}

OSTest(OSMetaClass, a_class_without_methods_compares_by_identity)
{
	com_example_Plain *a, *b;

	load_examples();
	a = OSTypeAlloc(com_example_Plain);
	b = OSTypeAlloc(com_example_Plain);
	cr_assert(OSObject_isEqualTo(OSOBJ(a), OSOBJ(a)));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(a), OSOBJ(b)));
	cr_assert_not(OSObject_isEqualTo(OSOBJ(a), NULL));
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(b));
	unload_examples();
}

/* --- reference counts ------------------------------------------------------------- */

OSTest(OSMetaClass, retain_and_release_count)
{
	OSString *s = OSString_withCString("counted");

	OSObject_retain(OSOBJ(s));
	OSObject_retain(OSOBJ(s));
	cr_assert_eq(OSObject_getRetainCount(OSOBJ(s)), 3);
	OSObject_release(OSOBJ(s));
	OSObject_release(OSOBJ(s));
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(OSString)), 1);
	OSObject_release(OSOBJ(s));
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(OSString)), 0);
}

OSTest(OSMetaClass, releasing_a_dead_object_panics, .signal = SIGABRT)
{
	static OSObject dead = { .meta = &OSObject_metaClass, .retainCount = 0 };

	shim_expect_panic("OSObject_release: ");
	OSObject_release(&dead);
}

OSTest(OSMetaClass, releasing_a_freed_object_panics, .signal = SIGABRT)
{
	static OSObject freed = { .meta = NULL, .retainCount = 1 };

	shim_expect_panic("is not a live object");
	OSObject_release(&freed);
}

OSTest(OSMetaClass, out_of_memory_gives_null)
{
	shim_kalloc_fail_after(0);
	cr_assert_null(OSMetaClass_allocClassWithName("OSString"));
	shim_kalloc_fail_after(-1);
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(OSString)), 0);
}

/* --- kexts ----------------------------------------------------------------------- */

OSTest(OSMetaClass, classes_registered_in_a_load_belong_to_the_kext)
{
	const char *name = NULL;
	int count = 0;
	com_example_Base *b, *c;

	load_examples();
	cr_assert_eq(OSMetaClass_lookup("com_example_Derived"), OSTypeID(com_example_Derived));
	cr_assert_eq(OSTypeID(com_example_Base)->owner, &kext_a);
	cr_assert_null(OSTypeID(OSString)->owner);
	cr_assert_not(OSMetaClass_modHasInstances(&kext_a, &name, &count));

	b = (com_example_Base *)OSMetaClass_allocClassWithName("com_example_Base");
	c = OSTypeAlloc(com_example_Base);
	cr_assert(b != NULL && c != NULL);
	OSObject_retain(OSOBJ(b));
	cr_assert(OSMetaClass_modHasInstances(&kext_a, &name, &count));
	cr_assert_str_eq(name, "com_example_Base");
	cr_assert_eq(count, 2, "instances, not references");
	cr_assert_not(OSMetaClass_modHasInstances(&kext_b, NULL, NULL));
	cr_assert_eq(OSMetaClass_removeModClasses(&kext_a), KERN_FAILURE,
	    "refused while instances live");
	cr_assert_not_null(OSMetaClass_lookup("com_example_Base"));

	OSObject_release(OSOBJ(c));
	OSObject_release(OSOBJ(b));
	cr_assert(OSMetaClass_modHasInstances(&kext_a, NULL, &count));
	cr_assert_eq(count, 1);
	OSObject_release(OSOBJ(b));
	cr_assert_not(OSMetaClass_modHasInstances(&kext_a, NULL, NULL));
	cr_assert_eq(OSMetaClass_removeModClasses(&kext_a), KERN_SUCCESS);
	cr_assert_null(OSMetaClass_lookup("com_example_Base"));
	cr_assert_null(OSMetaClass_lookup("com_example_Derived"));
	cr_assert_null(OSMetaClass_lookup("com_example_Plain"));
	load_examples();	/* and the kext can be loaded again */
	unload_examples();
}

OSTest(OSMetaClass, a_duplicate_class_fails_the_load_and_is_named)
{
	char msg[128];

	load_examples();
	cr_assert_eq(OSMetaClass_beginModLoad(&kext_b), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_register(&impostor_metaClass), KERN_NAME_EXISTS);
	cr_assert_eq(OSMetaClass_endModLoad(&kext_b, true), KERN_NAME_EXISTS);
	cr_assert(OSMetaClass_getModLoadError(&kext_b, msg, sizeof(msg)));
	cr_assert_str_eq(msg, "class \"com_example_Base\" is already registered");
	cr_assert_not(OSMetaClass_getModLoadError(&kext_a, msg, sizeof(msg)));
	cr_assert_str_eq(msg, "");
	cr_assert_eq(OSMetaClass_lookup("com_example_Base"), OSTypeID(com_example_Base),
	    "the first definition stays");
	unload_examples();
}

OSTest(OSMetaClass, a_failed_load_takes_its_classes_away)
{
	static OSMetaClass first = {
		.className = "com_example_First",
		.superClass = &OSObject_metaClass,
		.instanceSize = sizeof(OSObject),
	};
	static OSMetaClass dup = {
		.className = "OSString",
		.superClass = &OSObject_metaClass,
		.instanceSize = sizeof(OSObject),
	};
	static OSMetaClass last = {
		.className = "com_example_Last",
		.superClass = &OSObject_metaClass,
		.instanceSize = sizeof(OSObject),
	};
	char msg[128];

	cr_assert_eq(OSMetaClass_beginModLoad(&kext_b), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_register(&first), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_register(&dup), KERN_NAME_EXISTS);
	cr_assert_eq(OSMetaClass_register(&last), KERN_SUCCESS, "the rest still register");
	cr_assert_eq(OSMetaClass_endModLoad(&kext_b, true), KERN_NAME_EXISTS);
	cr_assert(OSMetaClass_getModLoadError(&kext_b, msg, sizeof(msg)));
	cr_assert_str_eq(msg, "class \"OSString\" is already registered");
	cr_assert_null(OSMetaClass_lookup("com_example_First"));
	cr_assert_null(OSMetaClass_lookup("com_example_Last"));
	cr_assert_eq(OSMetaClass_lookup("OSString"), OSTypeID(OSString));

	/* Loading again clears the old message; a load that fails by itself. */
	cr_assert_eq(OSMetaClass_beginModLoad(&kext_b), KERN_SUCCESS);
	cr_assert_not(OSMetaClass_getModLoadError(&kext_b, msg, sizeof(msg)));
	cr_assert_eq(OSMetaClass_register(&first), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_endModLoad(&kext_b, false), KERN_SUCCESS);
	cr_assert_null(OSMetaClass_lookup("com_example_First"));
}

OSTest(OSMetaClass, loads_are_one_at_a_time)
{
	cr_assert_eq(OSMetaClass_beginModLoad(NULL), KERN_INVALID_ARGUMENT);
	cr_assert_eq(OSMetaClass_beginModLoad(&kext_a), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_beginModLoad(&kext_b), KERN_ALREADY_WAITING);
	cr_assert_eq(OSMetaClass_endModLoad(&kext_b, true), KERN_INVALID_ARGUMENT);
	cr_assert_eq(OSMetaClass_endModLoad(&kext_a, true), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_endModLoad(&kext_a, true), KERN_INVALID_ARGUMENT);
	cr_assert_eq(OSMetaClass_removeModClasses(NULL), KERN_INVALID_ARGUMENT);
}

OSTest(OSMetaClass, a_class_registered_outside_a_load_belongs_to_the_kernel)
{
	static OSMetaClass kernel_class = {
		.className = "com_example_KernelOwned",
		.superClass = &OSObject_metaClass,
		.instanceSize = sizeof(OSObject),
	};

	cr_assert_eq(OSMetaClass_register(&kernel_class), KERN_SUCCESS);
	cr_assert_null(kernel_class.owner);
	cr_assert_eq(OSMetaClass_register(&kernel_class), KERN_NAME_EXISTS);
}
