/*
 * test_IORegistry.c - the I/O Registry, passive matching and driver
 * matching on the host (iokit/Kernel/IORegistryEntry.c, IOService.c,
 * IOCatalogue.c), over the shim's single-threaded locks: a method or
 * handler called with an I/O Kit lock held, then taking it again, panics.
 *
 * Each test starts from a fresh registry (each runs in its own process)
 * and ends by checking that everything it allocated after the set-up was
 * given back.
 */

#include <criterion/criterion.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "iokit/Kernel/IOCatalogue.h"
#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOService.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"

static size_t setup_outstanding;

static void
setup(void)
{
	OSMetaClass_init();
	IORegistryEntry_initialize();
	IOCatalogue_initialize();
	IOService_initialize();
	shim_console_clear();
	setup_outstanding = shim_kalloc_outstanding();
}

#define IOTest(suite, name)						\
	static void suite##_##name##_body(void);			\
	Test(suite, name, .init = setup)				\
	{								\
		suite##_##name##_body();				\
		cr_assert_eq(shim_kalloc_outstanding(), setup_outstanding, \
		    "%zd bytes leaked",					\
		    (ssize_t)(shim_kalloc_outstanding() - setup_outstanding)); \
	}								\
	static void suite##_##name##_body(void)

/* --- helpers ------------------------------------------------------------------ */

static void
set_string(OSDictionary *d, const char *key, const char *value)
{
	OSString *s = OSString_withCString(value);

	cr_assert(s != NULL && OSDictionary_setObject(d, key, OSOBJ(s)));
	OSObject_release(OSOBJ(s));
}

static IOService *
nub_named(const char *name, const char *location)
{
	IOService *s = OSTypeAlloc(IOService);

	cr_assert(s != NULL && IOService_init(s, NULL));
	cr_assert(IORegistryEntry_setName(&s->sv_entry, name, NULL));
	if (location != NULL)
		cr_assert(IORegistryEntry_setLocation(&s->sv_entry, location, NULL));
	return s;
}

static void
attach_to_root(IOService *s)
{
	cr_assert_eq(IORegistryEntry_attachToParent(&s->sv_entry,
	    IORegistryEntry_getRegistryRoot(), gIOServicePlane), kIOReturnSuccess);
}

/* --- the registry ----------------------------------------------------------------- */

IOTest(IORegistry, paths_lookups_and_the_generation)
{
	IOService *bus = nub_named("bus", "0"), *dev = nub_named("dev", "1f");
	IORegistryEntry *e;
	uint32_t gen;
	char buf[kIORegistryPathMax];

	gen = IORegistryEntry_getGenerationCount();
	attach_to_root(bus);
	cr_assert(IOService_attach(dev, bus));
	cr_assert_neq(IORegistryEntry_getGenerationCount(), gen);
	cr_assert(IORegistryEntry_getPath(&dev->sv_entry, gIOServicePlane, buf, sizeof(buf)));
	cr_assert_str_eq(buf, "IOService:/bus@0/dev@1f");
	cr_assert_not(IORegistryEntry_getPath(&dev->sv_entry, gIOServicePlane, buf, 16));
	e = IORegistryEntry_fromPath("IOService:/bus/dev@1f", NULL);
	cr_assert_eq(e, &dev->sv_entry);
	OSObject_release(OSOBJ(e));
	cr_assert_null(IORegistryEntry_fromPath("IOService:/bus/dev@1e", NULL));
	cr_assert_null(IORegistryEntry_fromPath("IODeviceTree:/bus", NULL));
	e = IORegistryEntry_copyEntryWithName(gIOServicePlane, "dev");
	cr_assert_eq(e, &dev->sv_entry);
	OSObject_release(OSOBJ(e));
	e = IORegistryEntry_copyEntryOfClass(gIOServicePlane, OSTypeID(IOService));
	cr_assert_not_null(e);		/* IOResources, first below the root */
	OSObject_release(OSOBJ(e));

	/* dev cannot become its own grandparent. */
	cr_assert_eq(IORegistryEntry_attachToParent(&bus->sv_entry, &dev->sv_entry,
	    gIOServicePlane), kIOReturnBadArgument);
	IORegistryEntry_detachAll(&dev->sv_entry, gIOServicePlane);
	IORegistryEntry_detachAll(&bus->sv_entry, gIOServicePlane);
	cr_assert_eq(OSObject_getRetainCount(OSOBJ(dev)), 1);
	OSObject_release(OSOBJ(dev));
	OSObject_release(OSOBJ(bus));
}

IOTest(IORegistry, the_IOResources_nub_and_its_resources)
{
	IOService *res = IOService_getResourceService();
	OSDictionary *m = IOService_resourceMatching("org.example.R", NULL);

	cr_assert(res != NULL && m != NULL);
	cr_assert(IORegistryEntry_compareName(&res->sv_entry, "IOResources"));
	cr_assert_not(IOService_passiveMatch(res, m, NULL));
	cr_assert_eq(IOService_publishResource("org.example.R", NULL), kIOReturnSuccess);
	cr_assert(IOService_passiveMatch(res, m, NULL));
	IOService_unpublishResource("org.example.R");
	cr_assert_not(IOService_passiveMatch(res, m, NULL));
	OSObject_release(OSOBJ(m));
}

/* --- passive matching ------------------------------------------------------------------ */

IOTest(IORegistry, passive_matching_keys)
{
	IOService *s = nub_named("uart", NULL);
	OSDictionary *t = OSDictionary_withCapacity(4), *props = OSDictionary_withCapacity(2);
	OSArray *names = OSArray_withCapacity(2), *dicts = OSArray_withCapacity(2);
	OSNumber *vendor = OSNumber_withNumber(0x8086, 16);
	OSString *compat = OSString_withCString("ns16550");
	int32_t score = 0;

	cr_assert(t && props && names && dicts && vendor && compat);
	cr_assert(IORegistryEntry_setProperty(&s->sv_entry, "vendor", OSOBJ(vendor)));
	cr_assert(IORegistryEntry_setProperty(&s->sv_entry, kIOCompatibleKey, OSOBJ(compat)));

	/* IOProviderClass: the class or a superclass. */
	set_string(t, kIOProviderClassKey, "IORegistryEntry");
	cr_assert(IOService_passiveMatch(s, t, &score));
	set_string(t, kIOProviderClassKey, "IOResources");
	cr_assert_not(IOService_passiveMatch(s, t, &score));
	set_string(t, kIOProviderClassKey, "IOService");

	/* IONameMatch: the name, a compatible string, an array of either. */
	set_string(t, kIONameMatchKey, "ns16550");
	cr_assert(IOService_passiveMatch(s, t, NULL));
	set_string(t, kIONameMatchKey, "pl011");
	cr_assert_not(IOService_passiveMatch(s, t, NULL));
	cr_assert(OSArray_setObject(names, OSOBJ(compat)));
	cr_assert(OSDictionary_setObject(t, kIONameMatchKey, OSOBJ(names)));
	cr_assert(IOService_passiveMatch(s, t, NULL));

	/* IOPropertyMatch: a dictionary, or an array of which one matches. */
	cr_assert(OSDictionary_setObject(props, "vendor", OSOBJ(vendor)));
	cr_assert(OSDictionary_setObject(t, kIOPropertyMatchKey, OSOBJ(props)));
	cr_assert(IOService_passiveMatch(s, t, NULL));
	cr_assert(OSDictionary_setObject(props, "device", OSOBJ(vendor)));
	cr_assert_not(IOService_passiveMatch(s, t, NULL));
	cr_assert(OSArray_setObject(dicts, OSOBJ(props)));
	OSDictionary_removeObject(props, "device");
	cr_assert(OSDictionary_setObject(t, kIOPropertyMatchKey, OSOBJ(dicts)));
	cr_assert(IOService_passiveMatch(s, t, NULL));

	/* IOResourceMatch: every one published. */
	set_string(t, kIOResourceMatchKey, "org.example.Clock");
	cr_assert_not(IOService_passiveMatch(s, t, NULL));
	cr_assert_eq(IOService_publishResource("org.example.Clock", NULL), kIOReturnSuccess);
	cr_assert(IOService_passiveMatch(s, t, NULL));
	IOService_unpublishResource("org.example.Clock");

	OSObject_release(OSOBJ(t));
	OSObject_release(OSOBJ(props));
	OSObject_release(OSOBJ(names));
	OSObject_release(OSOBJ(dicts));
	OSObject_release(OSOBJ(vendor));
	OSObject_release(OSOBJ(compat));
	OSObject_release(OSOBJ(s));
}

/* --- driver matching -------------------------------------------------------------------- */

struct com_example_HostDriver {
	IOService	hd_service;
};
OSDeclareDefaultStructors(com_example_HostDriver);

static char started[128];

static bool
hostdrv_start(IOService *self, IOService *provider)
{
	OSString *tag = OSDynamicCast(OSString, IORegistryEntry_getProperty(&self->sv_entry,
	    "Tag"));

	(void)provider;
	strncat(started, OSString_getCStringNoCopy(tag), sizeof(started) - strlen(started) - 1);
	/* Registering here runs matching on the driver: no lock may be held now. */
	IOService_registerService(self, 0);
	return IORegistryEntry_getProperty(&self->sv_entry, "Fail") == NULL;
}

static const struct IOService_methods hostdrv_methods = {
	.start = hostdrv_start,
};
OSDefineMetaClass(com_example_HostDriver, IOService, &hostdrv_methods);

static OSDictionary *
host_personality(const char *tag, const char *nub, uint32_t score)
{
	OSDictionary *p = OSDictionary_withCapacity(6);
	OSNumber *n = OSNumber_withNumber(score, 32);

	cr_assert(p != NULL && n != NULL);
	set_string(p, kIOClassKey, "com_example_HostDriver");
	set_string(p, kIOProviderClassKey, "IOService");
	set_string(p, kIONameMatchKey, nub);
	set_string(p, "Tag", tag);
	cr_assert(OSDictionary_setObject(p, kIOProbeScoreKey, OSOBJ(n)));
	OSObject_release(OSOBJ(n));
	return p;
}

static void
add(OSDictionary *p)
{
	OSArray *a = OSArray_withObjects((OSObject *const *)&p, 1, 1);

	cr_assert(a != NULL);
	cr_assert_eq(IOCatalogue_addDrivers(a, false), kIOReturnSuccess);
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(p));
}

IOTest(IORegistry, ranking_start_failure_and_termination)
{
	OSDictionary *fail = host_personality("B", "nub", 20);
	IOService *nub = nub_named("nub", NULL), *drv;
	OSDictionary *m;

	cr_assert_eq(OSMetaClass_register(&com_example_HostDriver_metaClass), KERN_SUCCESS);
	cr_assert(OSDictionary_setObject(fail, "Fail", OSOBJ(kOSBooleanTrue)));
	add(host_personality("A", "nub", 10));
	add(fail);
	add(host_personality("C", "nub", 5));
	attach_to_root(nub);
	IOService_registerService(nub, 0);
	/* B ranks first and fails, A is next and starts; C is released unstarted. */
	cr_assert_str_eq(started, "BA");
	cr_assert(strstr(shim_console_text(),
	    "com_example_HostDriver (personality unnamed) did not start on nub") != NULL);
	drv = IOService_getClient(nub);
	cr_assert(drv != NULL && IOService_isStarted(drv));
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(com_example_HostDriver)), 1);
	m = IOService_serviceMatching("com_example_HostDriver", NULL);
	cr_assert_eq(IOService_copyMatchingService(m), drv);
	OSObject_release(OSOBJ(drv));	/* the copy's reference */

	cr_assert(IOService_terminate(nub, 0));
	cr_assert_eq(OSMetaClass_getInstanceCount(OSTypeID(com_example_HostDriver)), 0);
	cr_assert_null(IOService_copyMatchingService(m));
	cr_assert_eq(IOService_getBusyState(nub), 0);
	OSObject_release(OSOBJ(nub));
	OSObject_release(OSOBJ(m));
	set_string(m = OSDictionary_withCapacity(1), kIOClassKey, "com_example_HostDriver");
	cr_assert_eq(IOCatalogue_removeDrivers(m), 3);
	OSObject_release(OSOBJ(m));
}

IOTest(IORegistry, a_missing_class_asks_for_its_kext)
{
	OSDictionary *p = OSDictionary_withCapacity(4);
	IOService *nub = nub_named("lonely", NULL);

	cr_assert(p != NULL);
	set_string(p, kIOClassKey, "com_example_NotLoaded");
	set_string(p, kIOProviderClassKey, "IOService");
	set_string(p, kIONameMatchKey, "lonely");
	set_string(p, kCFBundleIdentifierKey, "com.example.NotLoaded");
	set_string(p, kIOPersonalityNameKey, "Lonely");
	add(p);
	attach_to_root(nub);
	IOService_registerService(nub, 0);
	cr_assert_str_eq(shim_last_kext_request(), "com.example.NotLoaded");
	cr_assert(strstr(shim_console_text(), "cannot load com.example.NotLoaded for class "
	    "com_example_NotLoaded: com.example.NotLoaded is not in the catalog") != NULL);
	cr_assert(strstr(shim_console_text(), "class com_example_NotLoaded (personality Lonely "
	    "of com.example.NotLoaded) is not registered") != NULL);
	cr_assert_null(IOService_getClient(nub));
	cr_assert(IOService_terminate(nub, 0));
	OSObject_release(OSOBJ(nub));
	p = OSDictionary_withCapacity(1);
	set_string(p, kIOClassKey, "com_example_NotLoaded");
	cr_assert_eq(IOCatalogue_removeDrivers(p), 1);
	OSObject_release(OSOBJ(p));
}

IOTest(IORegistry, malformed_personalities_are_refused_and_named)
{
	OSDictionary *p = OSDictionary_withCapacity(2);
	OSString *s = OSString_withCString("not a dictionary");
	OSArray *a = OSArray_withCapacity(1);
	unsigned before = IOCatalogue_getCount();

	cr_assert(p && s && a);
	set_string(p, kIOClassKey, "Foo");
	set_string(p, kIOProviderClassKey, "IOService");
	set_string(p, kIOProbeScoreKey, "high");
	cr_assert(OSArray_setObject(a, OSOBJ(p)));
	cr_assert_eq(IOCatalogue_addDrivers(a, false), kIOReturnBadArgument);
	cr_assert(strstr(shim_console_text(), "personality 0: IOProbeScore is not a number"));
	cr_assert(OSArray_setObject(a, OSOBJ(s)));
	OSDictionary_removeObject(p, kIOProbeScoreKey);
	cr_assert_eq(IOCatalogue_addDrivers(a, false), kIOReturnBadArgument);
	cr_assert(strstr(shim_console_text(), "personality 1 is not a dictionary"));
	cr_assert_eq(IOCatalogue_getCount(), before);
	OSObject_release(OSOBJ(p));
	OSObject_release(OSOBJ(s));
	OSObject_release(OSOBJ(a));
}
