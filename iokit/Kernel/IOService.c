/*
 * IOService.c - services: attach and detach, registration, matching,
 * termination, busy state, IOResources and matching notifications.
 *
 * Matching a nub (iosvc_match_nub), synchronously in the registering
 * thread:
 *   1. candidates: the catalogue's personalities whose IOProviderClass
 *	fits the nub, that pass IOService_passiveMatch, ranked by
 *	IOProbeScore (higher first; ties keep the catalogue's order);
 *   2. probe: for each candidate whose match category has no started
 *	driver on the nub yet, find the class (loading the personality's
 *	kext if it is not registered), make an instance, init it with the
 *	personality, attach it to the nub, and probe it; a decline (NULL)
 *	detaches and releases it;
 *   3. start: the probed drivers, ranked again by their probe scores,
 *	are started in turn; the first that starts takes its category, the
 *	rest of that category are detached and released without a start. A
 *	driver whose start fails is detached, released and logged, and the
 *	next one of its category gets its turn.
 * One nub is matched by one thread at a time: a registerService or
 * publishResource that finds matching running on the nub asks it to run
 * once more (kIOServiceRematchState) and returns.
 */

#include "iokit/Kernel/IOService.h"

#include "iokit/Kernel/IOCatalogue.h"
#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOUserClient.h"
#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSData.h"
#include "libkern/OSKext.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/sched_prim.h"

#define IOSERVICE_NAME_MAX	128
#define IOSERVICE_MSG_MAX	256

static struct {
	lck_grp_t	group;
	lck_mtx_t	lock;			/* the service lock */
	IOService	*resources;		/* [I] the IOResources nub */
	OSArray		*notifiers;		/* [s] every IONotifier not removed */
	uint32_t	publishes;		/* [s] registerService calls, for waitForService */
	bool		initialized;
} iosvc_globals;

static void		iosvc_set_state(IOService *s, uint32_t set, uint32_t clear);
static const char	*iosvc_name(IOService *s, char *buf, size_t len);

/* --- the classes ----------------------------------------------------------------- */

static IOService *
iosvc_default_probe(IOService *self, IOService *provider __unused, int32_t *score __unused)
{
	return self;
}

static bool
iosvc_default_start(IOService *self __unused, IOService *provider __unused)
{
	return true;
}

static void
iosvc_default_stop(IOService *self __unused, IOService *provider __unused)
{
}

static bool
iosvc_default_willTerminate(IOService *self __unused, IOService *provider __unused,
    IOOptionBits options __unused)
{
	return true;
}

static bool
iosvc_default_didTerminate(IOService *self __unused, IOService *provider __unused,
    IOOptionBits options __unused, bool *defer)
{
	if (defer != NULL)
		*defer = false;
	return true;
}

static bool
iosvc_default_matchPropertyTable(IOService *self __unused, OSDictionary *table __unused,
    int32_t *score __unused)
{
	return true;
}

static struct IOWorkLoop *
iosvc_default_getWorkLoop(IOService *self)
{
	IOService *provider = IOService_getProvider(self);

	return provider != NULL ? IOService_getWorkLoop(provider) : NULL;
}

static IOReturn
iosvc_default_message(IOService *self __unused, uint32_t type __unused,
    IOService *provider __unused, void *argument __unused)
{
	return kIOReturnUnsupported;
}

/*
 * The default newUserClient (Apple's): an instance of the class named by
 * self's IOUserClientClass property, initialised with the task, attached
 * to self and started.
 */
static IOReturn
iosvc_default_newUserClient(IOService *self, task_t owningTask, void *securityID,
    uint32_t type, OSDictionary *properties, IOUserClient **handler)
{
	char name[64];
	OSObject *prop, *obj = NULL;
	OSString *cls;
	IOUserClient *uc;
	IOReturn ret = kIOReturnUnsupported;

	prop = IORegistryEntry_copyProperty(&self->sv_entry, kIOUserClientClassKey);
	cls = OSDynamicCast(OSString, prop);
	if (cls == NULL)
		goto out;
	obj = OSMetaClass_allocClassWithName(OSString_getCStringNoCopy(cls));
	uc = OSDynamicCast(IOUserClient, obj);
	if (uc == NULL) {
		IOLog("IOService: %s: IOUserClientClass %s is not a registered IOUserClient\n",
		    iosvc_name(self, name, sizeof(name)), OSString_getCStringNoCopy(cls));
		goto out;
	}
	ret = kIOReturnBadArgument;
	if (!IOUserClient_initWithTask(uc, owningTask, securityID, type, properties))
		goto out;
	ret = kIOReturnNotAttached;
	if (!IOService_attach(&uc->uc_service, self))
		goto out;
	if (!IOService_start(&uc->uc_service, self)) {
		IOService_detach(&uc->uc_service, self);
		ret = kIOReturnError;
		goto out;
	}
	iosvc_set_state(&uc->uc_service, kIOServiceStartedState, 0);
	*handler = uc;
	obj = NULL;			/* the caller's reference now */
	ret = kIOReturnSuccess;
out:
	OSSafeReleaseNULL(obj);
	OSSafeReleaseNULL(prop);
	return ret;
}

static void
iosvc_free(OSObject *obj __unused)
{
}

static const struct IOService_methods iosvc_methods = {
	.re.os = { .free = iosvc_free },
	.probe = iosvc_default_probe,
	.start = iosvc_default_start,
	.stop = iosvc_default_stop,
	.willTerminate = iosvc_default_willTerminate,
	.didTerminate = iosvc_default_didTerminate,
	.matchPropertyTable = iosvc_default_matchPropertyTable,
	.getWorkLoop = iosvc_default_getWorkLoop,
	.message = iosvc_default_message,
	.newUserClient = iosvc_default_newUserClient,
};
OSDefineMetaClass(IOService, IORegistryEntry, &iosvc_methods);

/* IOResources: a plain IOService, the nub of published resources. */
struct IOResources {
	IOService	res_service;
};
OSDeclareDefaultStructors(IOResources);
OSDefineMetaClass(IOResources, IOService, OS_NO_METHODS);

static void
ionotifier_free(OSObject *obj)
{
	IONotifier *n = (IONotifier *)obj;

	OSSafeReleaseNULL(n->nt_matching);
}

static const struct OSObject_methods ionotifier_methods = {
	.free = ionotifier_free,
};
OSDefineMetaClass(IONotifier, OSObject, &ionotifier_methods);

void
IOService_initialize(void)
{
	IOService *res;

	if (iosvc_globals.initialized)
		return;
	if (OSMetaClass_register(&IOService_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IOResources_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IONotifier_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IOUserClient_metaClass) != KERN_SUCCESS)
		panic("IOService_initialize: cannot register the service classes");
	lck_grp_init(&iosvc_globals.group, "IOService", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&iosvc_globals.lock, &iosvc_globals.group, LCK_ATTR_NULL);
	iosvc_globals.notifiers = OSArray_withCapacity(32);
	res = (IOService *)OSTypeAlloc(IOResources);
	if (iosvc_globals.notifiers == NULL || res == NULL || !IOService_init(res, NULL) ||
	    !IORegistryEntry_setName(&res->sv_entry, kIOResourcesClass, NULL) ||
	    IORegistryEntry_reserveLinks(&res->sv_entry, gIOServicePlane, 32) != kIOReturnSuccess ||
	    IORegistryEntry_attachToParent(&res->sv_entry, IORegistryEntry_getRegistryRoot(),
	    gIOServicePlane) != kIOReturnSuccess)
		panic("IOService_initialize: no memory for IOResources");
	iosvc_globals.resources = res;	/* the registry's link keeps it; so does this */
	iosvc_globals.initialized = true;
	IOService_registerService(res, 0);
	/* As XNU: drivers that only need the I/O Kit match IOResourceMatch "IOKit". */
	(void)IOService_publishResource("IOKit", OSOBJ(kOSBooleanTrue));
}

/* --- method dispatch ---------------------------------------------------------------- */

#define IOSVC_METHOD(s, name)	OSMetaClass_method(OSTypeIDInst(s), IOService, name)

IOService *
IOService_probe(IOService *s, IOService *provider, int32_t *score)
{
	return IOSVC_METHOD(s, probe)(s, provider, score);
}

bool
IOService_start(IOService *s, IOService *provider)
{
	return IOSVC_METHOD(s, start)(s, provider);
}

void
IOService_stop(IOService *s, IOService *provider)
{
	IOSVC_METHOD(s, stop)(s, provider);
}

bool
IOService_willTerminate(IOService *s, IOService *provider, IOOptionBits options)
{
	return IOSVC_METHOD(s, willTerminate)(s, provider, options);
}

bool
IOService_didTerminate(IOService *s, IOService *provider, IOOptionBits options, bool *defer)
{
	return IOSVC_METHOD(s, didTerminate)(s, provider, options, defer);
}

bool
IOService_matchPropertyTable(IOService *s, OSDictionary *table, int32_t *score)
{
	return IOSVC_METHOD(s, matchPropertyTable)(s, table, score);
}

struct IOWorkLoop *
IOService_getWorkLoop(IOService *s)
{
	return s != NULL ? IOSVC_METHOD(s, getWorkLoop)(s) : NULL;
}

IOReturn
IOService_message(IOService *s, uint32_t type, IOService *provider, void *argument)
{
	if (s == NULL)
		return kIOReturnBadArgument;
	return IOSVC_METHOD(s, message)(s, type, provider, argument);
}

IOReturn
IOService_newUserClient(IOService *s, task_t owningTask, void *securityID, uint32_t type,
    OSDictionary *properties, IOUserClient **handler)
{
	if (s == NULL || handler == NULL)
		return kIOReturnBadArgument;
	*handler = NULL;
	if (IOService_isInactive(s))
		return kIOReturnNotAttached;
	return IOSVC_METHOD(s, newUserClient)(s, owningTask, securityID, type, properties,
	    handler);
}

/* --- interrupts ----------------------------------------------------------------------- */

IOReturn
IOService_getInterruptLine(IOService *s, int index, unsigned *line)
{
	char name[64];
	OSObject *prop;
	OSArray *specs;
	OSData *spec;
	IOReturn ret = kIOReturnNoInterrupt;
	uint32_t value;

	if (s == NULL || line == NULL)
		return kIOReturnBadArgument;
	prop = IORegistryEntry_copyProperty(&s->sv_entry, kIOInterruptSpecifiersKey);
	specs = OSDynamicCast(OSArray, prop);
	if (specs == NULL || index < 0 || (uint32_t)index >= OSArray_getCount(specs)) {
		IOLog("IOService: %s has no interrupt %d\n",
		    IORegistryEntry_getName(&s->sv_entry, NULL, name, sizeof name), index);
		goto out;
	}
	spec = OSDynamicCast(OSData, OSArray_getObject(specs, (uint32_t)index));
	if (spec == NULL || OSData_getLength(spec) != sizeof value) {
		IOLog("IOService: %s: interrupt specifier %d is not a 4-byte OSData\n",
		    IORegistryEntry_getName(&s->sv_entry, NULL, name, sizeof name), index);
		ret = kIOReturnBadArgument;
		goto out;
	}
	memcpy(&value, OSData_getBytesNoCopy(spec), sizeof value);
	*line = value;
	ret = kIOReturnSuccess;
out:
	OSSafeReleaseNULL(prop);
	return ret;
}

bool
IOService_setInterruptLines(IOService *s, const unsigned *lines, unsigned count)
{
	OSArray *specs = OSArray_withCapacity(count);
	bool ok = specs != NULL;

	for (unsigned i = 0; ok && i < count; i++) {
		uint32_t value = lines[i];
		OSData *spec = OSData_withBytes(&value, sizeof value);

		ok = spec != NULL && OSArray_setObject(specs, OSOBJ(spec));
		OSSafeReleaseNULL(spec);
	}
	ok = ok && IORegistryEntry_setProperty(&s->sv_entry, kIOInterruptSpecifiersKey,
	    OSOBJ(specs));
	OSSafeReleaseNULL(specs);
	return ok;
}

/* --- one service ---------------------------------------------------------------------- */

bool
IOService_init(IOService *s, OSDictionary *properties)
{
	return s != NULL && IORegistryEntry_init(&s->sv_entry, properties);
}

static uint32_t
iosvc_state(IOService *s)
{
	uint32_t st;

	lck_mtx_lock(&iosvc_globals.lock);
	st = s->sv_state;
	lck_mtx_unlock(&iosvc_globals.lock);
	return st;
}

static void
iosvc_set_state(IOService *s, uint32_t set, uint32_t clear)
{
	lck_mtx_lock(&iosvc_globals.lock);
	s->sv_state = (s->sv_state | set) & ~clear;
	lck_mtx_unlock(&iosvc_globals.lock);
}

bool
IOService_isInactive(IOService *s)
{
	return s == NULL || (iosvc_state(s) & kIOServiceInactiveState) != 0;
}

bool
IOService_isStarted(IOService *s)
{
	return s != NULL && (iosvc_state(s) & kIOServiceStartedState) != 0;
}

bool
IOService_attach(IOService *s, IOService *provider)
{
	if (s == NULL || provider == NULL)
		return false;
	if (IOService_isInactive(provider) || IOService_isInactive(s))
		return false;
	return IORegistryEntry_attachToParent(&s->sv_entry, &provider->sv_entry,
	    gIOServicePlane) == kIOReturnSuccess;
}

void
IOService_detach(IOService *s, IOService *provider)
{
	if (s != NULL && provider != NULL)
		IORegistryEntry_detachFromParent(&s->sv_entry, &provider->sv_entry,
		    gIOServicePlane);
}

IOService *
IOService_getProvider(IOService *s)
{
	return s != NULL ? OSDynamicCast(IOService,
	    IORegistryEntry_getParentEntry(&s->sv_entry, gIOServicePlane)) : NULL;
}

IOService *
IOService_getClient(IOService *s)
{
	return s != NULL ? OSDynamicCast(IOService,
	    IORegistryEntry_getChildEntry(&s->sv_entry, gIOServicePlane)) : NULL;
}

OSCollectionIterator *
IOService_getClientIterator(IOService *s)
{
	return s != NULL ? IORegistryEntry_getChildIterator(&s->sv_entry, gIOServicePlane) : NULL;
}

static const char *
iosvc_name(IOService *s, char *buf, size_t len)
{
	return IORegistryEntry_getName(&s->sv_entry, NULL, buf, len);
}

/* --- busy state --------------------------------------------------------------------------- */

void
IOService_adjustBusy(IOService *s, int32_t delta)
{
	IOService *chain[32];
	unsigned n = 0;

	for (IOService *p = s; p != NULL && n < nitems(chain); p = IOService_getProvider(p)) {
		OSObject_retain(OSOBJ(p));
		chain[n++] = p;
	}
	lck_mtx_lock(&iosvc_globals.lock);
	for (unsigned i = 0; i < n; i++) {
		chain[i]->sv_busy += delta;
		if (chain[i]->sv_busy < 0)
			panic("IOService_adjustBusy: %s's busy count went below zero",
			    OSObject_getClassName(OSOBJ(chain[i])));
		if (chain[i]->sv_busy == 0)
			thread_wakeup(&chain[i]->sv_busy);
	}
	lck_mtx_unlock(&iosvc_globals.lock);
	for (unsigned i = 0; i < n; i++)
		OSObject_release(OSOBJ(chain[i]));
}

uint32_t
IOService_getBusyState(IOService *s)
{
	uint32_t busy;

	if (s == NULL)
		return 0;
	lck_mtx_lock(&iosvc_globals.lock);
	busy = (uint32_t)s->sv_busy;
	lck_mtx_unlock(&iosvc_globals.lock);
	return busy;
}

IOReturn
IOService_waitQuiet(IOService *s, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns != 0 ? mach_absolute_time() + timeout_ns : 0;
	IOReturn ret = kIOReturnSuccess;

	if (s == NULL)
		return kIOReturnBadArgument;
	lck_mtx_lock(&iosvc_globals.lock);
	while (s->sv_busy > 0) {
		wait_result_t wr = deadline != 0 ?
		    lck_mtx_sleep_deadline(&iosvc_globals.lock, LCK_SLEEP_DEFAULT, &s->sv_busy,
		    THREAD_UNINT, deadline) :
		    lck_mtx_sleep(&iosvc_globals.lock, LCK_SLEEP_DEFAULT, &s->sv_busy,
		    THREAD_UNINT);

		if (wr == THREAD_TIMED_OUT && s->sv_busy > 0) {
			ret = kIOReturnTimeout;
			break;
		}
	}
	lck_mtx_unlock(&iosvc_globals.lock);
	return ret;
}

/* --- passive matching --------------------------------------------------------------------- */

/* Whether s's name, or one of its "compatible" strings, is name. */
static bool
iosvc_name_is(IOService *s, OSString *name)
{
	char buf[IOSERVICE_NAME_MAX];
	OSObject *compat;
	bool found = false;

	if (OSString_isEqualToCString(name, iosvc_name(s, buf, sizeof(buf))))
		return true;
	compat = IORegistryEntry_copyProperty(&s->sv_entry, kIOCompatibleKey);
	if (OSDynamicCast(OSString, compat) != NULL) {
		found = OSString_isEqualToString(name, (OSString *)compat);
	} else if (OSDynamicCast(OSArray, compat) != NULL) {
		OSArray *a = (OSArray *)compat;

		for (uint32_t i = 0; !found && i < OSArray_getCount(a); i++) {
			OSString *c = OSDynamicCast(OSString, OSArray_getObject(a, i));

			found = c != NULL && OSString_isEqualToString(name, c);
		}
	}
	OSSafeReleaseNULL(compat);
	return found;
}

/* IONameMatch: a string, or an array of strings any of which names s. */
static bool
iosvc_match_name(IOService *s, OSObject *want)
{
	OSArray *a;

	if (OSDynamicCast(OSString, want) != NULL)
		return iosvc_name_is(s, (OSString *)want);
	if ((a = OSDynamicCast(OSArray, want)) == NULL)
		return false;
	for (uint32_t i = 0; i < OSArray_getCount(a); i++) {
		OSString *n = OSDynamicCast(OSString, OSArray_getObject(a, i));

		if (n != NULL && iosvc_name_is(s, n))
			return true;
	}
	return false;
}

/* Whether every key of d has an equal value among s's properties. */
static bool
iosvc_match_properties(IOService *s, OSDictionary *d)
{
	for (uint32_t i = 0; i < OSDictionary_getCount(d); i++) {
		OSObject *have = IORegistryEntry_copyProperty(&s->sv_entry,
		    OSString_getCStringNoCopy(OSDictionary_getKeyAtIndex(d, i)));
		bool eq = have != NULL && OSObject_isEqualTo(have, OSDictionary_getObjectAtIndex(d, i));

		OSSafeReleaseNULL(have);
		if (!eq)
			return false;
	}
	return true;
}

/* IOPropertyMatch: a dictionary, or an array of them any of which matches. */
static bool
iosvc_match_property_table(IOService *s, OSObject *want)
{
	OSArray *a;

	if (OSDynamicCast(OSDictionary, want) != NULL)
		return iosvc_match_properties(s, (OSDictionary *)want);
	if ((a = OSDynamicCast(OSArray, want)) == NULL)
		return false;
	for (uint32_t i = 0; i < OSArray_getCount(a); i++) {
		OSDictionary *d = OSDynamicCast(OSDictionary, OSArray_getObject(a, i));

		if (d != NULL && iosvc_match_properties(s, d))
			return true;
	}
	return false;
}

static bool
iosvc_resource_published(OSString *name)
{
	return IORegistryEntry_getProperty(&iosvc_globals.resources->sv_entry,
	    OSString_getCStringNoCopy(name)) != NULL;
}

/* IOResourceMatch: a string, or an array of strings all of which are published. */
static bool
iosvc_match_resources(OSObject *want)
{
	OSArray *a;

	if (OSDynamicCast(OSString, want) != NULL)
		return iosvc_resource_published((OSString *)want);
	if ((a = OSDynamicCast(OSArray, want)) == NULL)
		return false;
	for (uint32_t i = 0; i < OSArray_getCount(a); i++) {
		OSString *n = OSDynamicCast(OSString, OSArray_getObject(a, i));

		if (n == NULL || !iosvc_resource_published(n))
			return false;
	}
	return true;
}

/* Whether s's class, or one of its superclasses, is called name. */
static bool
iosvc_class_is(IOService *s, OSString *name)
{
	for (const OSMetaClass *m = OSTypeIDInst(s); m != NULL; m = OSMetaClass_getSuperClass(m))
		if (OSString_isEqualToCString(name, OSMetaClass_getClassName(m)))
			return true;
	return false;
}

bool
IOService_passiveMatch(IOService *s, OSDictionary *table, int32_t *score)
{
	OSObject *o;
	int32_t extra = 0;

	if (s == NULL || table == NULL)
		return false;
	o = OSDictionary_getObject(table, kIOProviderClassKey);
	if (o != NULL && (OSDynamicCast(OSString, o) == NULL || !iosvc_class_is(s, (OSString *)o)))
		return false;
	o = OSDictionary_getObject(table, kIONameMatchKey);
	if (o != NULL && !iosvc_match_name(s, o))
		return false;
	o = OSDictionary_getObject(table, kIOPropertyMatchKey);
	if (o != NULL && !iosvc_match_property_table(s, o))
		return false;
	o = OSDictionary_getObject(table, kIOResourceMatchKey);
	if (o != NULL && !iosvc_match_resources(o))
		return false;
	if (!IOService_matchPropertyTable(s, table, &extra))
		return false;
	if (score != NULL)
		*score += extra;
	return true;
}

/* --- matching dictionaries ------------------------------------------------------------------ */

static OSDictionary *
iosvc_matching_with(const char *key, const char *value, OSDictionary *table)
{
	OSString *s;
	OSDictionary *d;

	if (value == NULL)
		return NULL;
	d = table != NULL ? table : OSDictionary_withCapacity(2);
	if (d == NULL)
		return NULL;
	if (table != NULL)
		OSObject_retain(OSOBJ(d));
	s = OSString_withCString(value);
	if (s == NULL || !OSDictionary_setObject(d, key, OSOBJ(s)))
		OSSafeReleaseNULL(d);
	OSSafeReleaseNULL(s);
	return d;
}

OSDictionary *
IOService_serviceMatching(const char *className, OSDictionary *table)
{
	return iosvc_matching_with(kIOProviderClassKey, className, table);
}

OSDictionary *
IOService_nameMatching(const char *name, OSDictionary *table)
{
	return iosvc_matching_with(kIONameMatchKey, name, table);
}

OSDictionary *
IOService_resourceMatching(const char *name, OSDictionary *table)
{
	OSDictionary *d = iosvc_matching_with(kIOProviderClassKey, kIOResourcesClass, table);
	OSDictionary *r;

	if (d == NULL)
		return NULL;
	r = iosvc_matching_with(kIOResourceMatchKey, name, d);
	OSObject_release(OSOBJ(d));
	return r;
}

/* Every registered, active service below the root that matches (the caller's array). */
static OSArray *
iosvc_copy_matching(OSDictionary *matching, bool first_only)
{
	IORegistryIterator *it;
	IORegistryEntry *e;
	OSArray *out;

	if (matching == NULL || !iosvc_globals.initialized)
		return NULL;
	out = OSArray_withCapacity(4);
	it = IORegistryIterator_iterateOver(IORegistryEntry_getRegistryRoot(), gIOServicePlane,
	    kIORegistryIterateRecursively);
	if (out == NULL || it == NULL) {
		OSSafeReleaseNULL(out);
		OSSafeReleaseNULL(it);
		return NULL;
	}
	while ((e = IORegistryIterator_getNextObject(it)) != NULL) {
		IOService *s = OSDynamicCast(IOService, e);
		uint32_t st;

		if (s == NULL)
			continue;
		st = iosvc_state(s);
		if ((st & kIOServiceRegisteredState) == 0 || (st & kIOServiceInactiveState) != 0 ||
		    !IOService_passiveMatch(s, matching, NULL))
			continue;
		if (!OSArray_setObject(out, OSOBJ(s))) {
			OSSafeReleaseNULL(out);
			break;
		}
		if (first_only)
			break;
	}
	OSObject_release(OSOBJ(it));
	return out;
}

OSCollectionIterator *
IOService_getMatchingServices(OSDictionary *matching)
{
	OSArray *found = iosvc_copy_matching(matching, false);
	OSCollectionIterator *it;

	if (found == NULL)
		return NULL;
	it = OSCollectionIterator_withCollection(&found->arr_coll);
	OSObject_release(OSOBJ(found));
	return it;
}

IOService *
IOService_copyMatchingService(OSDictionary *matching)
{
	OSArray *found = iosvc_copy_matching(matching, true);
	IOService *s = NULL;

	if (found != NULL && OSArray_getCount(found) > 0) {
		s = (IOService *)OSArray_getObject(found, 0);
		OSObject_retain(OSOBJ(s));
	}
	OSSafeReleaseNULL(found);
	return s;
}

IOService *
IOService_waitForService(OSDictionary *matching, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns != 0 ? mach_absolute_time() + timeout_ns : 0;
	IOService *s;
	uint32_t seen;

	if (matching == NULL)
		return NULL;
	for (;;) {
		lck_mtx_lock(&iosvc_globals.lock);
		seen = iosvc_globals.publishes;
		lck_mtx_unlock(&iosvc_globals.lock);
		s = IOService_copyMatchingService(matching);
		if (s != NULL)
			return s;
		lck_mtx_lock(&iosvc_globals.lock);
		if (iosvc_globals.publishes == seen) {
			wait_result_t wr = deadline != 0 ?
			    lck_mtx_sleep_deadline(&iosvc_globals.lock, LCK_SLEEP_DEFAULT,
			    &iosvc_globals.publishes, THREAD_UNINT, deadline) :
			    lck_mtx_sleep(&iosvc_globals.lock, LCK_SLEEP_DEFAULT,
			    &iosvc_globals.publishes, THREAD_UNINT);

			if (wr == THREAD_TIMED_OUT) {
				lck_mtx_unlock(&iosvc_globals.lock);
				return IOService_copyMatchingService(matching);
			}
		}
		lck_mtx_unlock(&iosvc_globals.lock);
	}
}

/* --- notifications ------------------------------------------------------------------------------ */

/* Call the handlers of type's notifiers whose matching s passes. No lock held. */
static void
iosvc_deliver(IOService *s, const char *type)
{
	OSArray *list;

	lck_mtx_lock(&iosvc_globals.lock);
	list = OSArray_withArray(iosvc_globals.notifiers, 0);
	lck_mtx_unlock(&iosvc_globals.lock);
	if (list == NULL) {
		IOLog("IOService: no memory to deliver %s notifications\n", type);
		return;
	}
	for (uint32_t i = 0; i < OSArray_getCount(list); i++) {
		IONotifier *n = (IONotifier *)OSArray_getObject(list, i);
		bool removed;

		lck_mtx_lock(&iosvc_globals.lock);
		removed = n->nt_removed;
		lck_mtx_unlock(&iosvc_globals.lock);
		if (removed)
			continue;
		if (strcmp(n->nt_type, type) != 0 &&
		    !(strcmp(type, gIOPublishNotification) == 0 &&
		    strcmp(n->nt_type, gIOFirstPublishNotification) == 0))
			continue;
		if (IOService_passiveMatch(s, n->nt_matching, NULL))
			(void)n->nt_handler(n->nt_target, n->nt_ref, s, n);
	}
	OSObject_release(OSOBJ(list));
}

IONotifier *
IOService_addMatchingNotification(const char *type, OSDictionary *matching,
    IOServiceMatchingNotificationHandler handler, void *target, void *ref)
{
	static const char *const types[] = {
		gIOPublishNotification, gIOFirstPublishNotification, gIOTerminatedNotification,
	};
	const char *t = NULL;
	IONotifier *n;
	bool ok;

	for (size_t i = 0; type != NULL && i < nitems(types); i++)
		if (strcmp(type, types[i]) == 0)
			t = types[i];
	if (t == NULL || matching == NULL || handler == NULL || !iosvc_globals.initialized)
		return NULL;
	n = OSTypeAlloc(IONotifier);
	if (n == NULL)
		return NULL;
	OSObject_retain(OSOBJ(matching));
	n->nt_type = t;
	n->nt_matching = matching;
	n->nt_handler = handler;
	n->nt_target = target;
	n->nt_ref = ref;
	lck_mtx_lock(&iosvc_globals.lock);
	ok = OSArray_setObject(iosvc_globals.notifiers, OSOBJ(n));
	lck_mtx_unlock(&iosvc_globals.lock);
	/* The list's reference is the one that counts from here on. */
	OSObject_release(OSOBJ(n));
	if (!ok)
		return NULL;
	if (strcmp(t, gIOFirstPublishNotification) == 0) {
		OSArray *now = iosvc_copy_matching(matching, false);

		for (uint32_t i = 0; now != NULL && i < OSArray_getCount(now); i++)
			(void)handler(target, ref, (IOService *)OSArray_getObject(now, i), n);
		OSSafeReleaseNULL(now);
	}
	return n;
}

void
IONotifier_remove(IONotifier *n)
{
	int32_t i;

	if (n == NULL)
		return;
	OSObject_retain(OSOBJ(n));
	lck_mtx_lock(&iosvc_globals.lock);
	n->nt_removed = true;
	i = OSArray_getNextIndexOfObject(iosvc_globals.notifiers, OSOBJ(n), 0);
	if (i >= 0)
		OSArray_removeObject(iosvc_globals.notifiers, (uint32_t)i);
	lck_mtx_unlock(&iosvc_globals.lock);
	OSObject_release(OSOBJ(n));
}

/* --- matching ------------------------------------------------------------------------------------- */

struct iosvc_candidate {
	OSDictionary	*personality;		/* retained */
	IOService	*driver;		/* probed, attached; NULL before or after */
	int32_t		score;
	char		category[IOSERVICE_NAME_MAX];
};

static const char *
iosvc_string(OSDictionary *d, const char *key, const char *dflt)
{
	OSString *s = OSDynamicCast(OSString, OSDictionary_getObject(d, key));

	return s != NULL ? OSString_getCStringNoCopy(s) : dflt;
}

static int32_t
iosvc_score(OSDictionary *p)
{
	OSNumber *n = OSDynamicCast(OSNumber, OSDictionary_getObject(p, kIOProbeScoreKey));

	return n != NULL ? (int32_t)OSNumber_unsigned32BitValue(n) : 0;
}

/* The category a personality takes on nub. */
static void
iosvc_category(IOService *nub, OSDictionary *p, char *buf, size_t len)
{
	const char *dflt = OSDynamicCast(IOResources, nub) != NULL ?
	    iosvc_string(p, kIOClassKey, "") : kIODefaultMatchCategoryKey;

	strlcpy(buf, iosvc_string(p, kIOMatchCategoryKey, dflt), len);
}

/* Whether a started client of nub holds category (skipping `except`). */
static bool
iosvc_category_taken(IOService *nub, const char *category, IOService *except)
{
	OSArray *clients = IORegistryEntry_copyChildren(&nub->sv_entry, gIOServicePlane);
	bool taken = false;

	for (uint32_t i = 0; clients != NULL && !taken && i < OSArray_getCount(clients); i++) {
		IOService *c = OSDynamicCast(IOService, OSArray_getObject(clients, i));
		OSObject *cat;
		char have[IOSERVICE_NAME_MAX];

		if (c == NULL || c == except || !IOService_isStarted(c) || IOService_isInactive(c))
			continue;
		cat = IORegistryEntry_copyProperty(&c->sv_entry, kIOMatchCategoryKey);
		strlcpy(have, OSDynamicCast(OSString, cat) != NULL ?
		    OSString_getCStringNoCopy((OSString *)cat) : kIODefaultMatchCategoryKey,
		    sizeof(have));
		OSSafeReleaseNULL(cat);
		taken = strcmp(have, category) == 0;
	}
	OSSafeReleaseNULL(clients);
	return taken;
}

/*
 * The class a personality names, loading its kext (CFBundleIdentifier)
 * when the class is not registered yet. NULL (logged) if there is none.
 */
static const OSMetaClass *
iosvc_driver_class(OSDictionary *p)
{
	const char *cls = iosvc_string(p, kIOClassKey, "");
	const char *kext = iosvc_string(p, kCFBundleIdentifierKey, NULL);
	const OSMetaClass *meta = OSMetaClass_lookup(cls);
	char msg[IOSERVICE_MSG_MAX];
	kern_return_t kr;

	if (meta == NULL && kext != NULL) {
		msg[0] = '\0';
		kr = OSKextLoadKextWithIdentifier(kext, 0, NULL, msg, sizeof(msg));
		if (kr != KERN_SUCCESS && kr != KERN_NAME_EXISTS)
			IOLog("IOService: cannot load %s for class %s: %s\n", kext, cls, msg);
		meta = OSMetaClass_lookup(cls);
	}
	if (meta == NULL) {
		IOLog("IOService: class %s (personality %s of %s) is not registered\n", cls,
		    iosvc_string(p, kIOPersonalityNameKey, "unnamed"), kext != NULL ? kext : "the kernel");
		return NULL;
	}
	if (!OSMetaClass_isSubclassOf(meta, OSTypeID(IOService))) {
		IOLog("IOService: class %s (personality %s) is not an IOService\n", cls,
		    iosvc_string(p, kIOPersonalityNameKey, "unnamed"));
		return NULL;
	}
	return meta;
}

static void
iosvc_discard(IOService *drv, IOService *nub)
{
	IOService_detach(drv, nub);
	OSObject_release(OSOBJ(drv));
}

/* Make, attach and probe c's driver; false if it declined or could not be made. */
static bool
iosvc_probe_one(IOService *nub, struct iosvc_candidate *c)
{
	const OSMetaClass *meta = iosvc_driver_class(c->personality);
	IOService *drv;
	OSNumber *n;

	if (meta == NULL)
		return false;
	drv = (IOService *)OSObject_alloc(meta);
	if (drv == NULL || !IOService_init(drv, c->personality)) {
		IOLog("IOService: no memory for a %s\n", OSMetaClass_getClassName(meta));
		OSSafeReleaseNULL(drv);
		return false;
	}
	if (!IOService_attach(drv, nub)) {
		OSObject_release(OSOBJ(drv));
		return false;
	}
	if (IOService_probe(drv, nub, &c->score) == NULL) {
		iosvc_discard(drv, nub);
		return false;
	}
	if ((n = OSNumber_withNumber((uint64_t)(int64_t)c->score, 32)) != NULL) {
		(void)IORegistryEntry_setProperty(&drv->sv_entry, kIOProbeScoreKey, OSOBJ(n));
		OSObject_release(OSOBJ(n));
	}
	c->driver = drv;
	return true;
}

/* Sort by score, higher first; equal scores keep their order. */
static void
iosvc_rank(struct iosvc_candidate *c, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct iosvc_candidate t = c[i];
		unsigned j = i;

		for (; j > 0 && c[j - 1].score < t.score; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
}

/* Start c's driver, or throw it away; true if it started. */
static bool
iosvc_start_one(IOService *nub, struct iosvc_candidate *c)
{
	IOService *drv = c->driver;
	char name[IOSERVICE_NAME_MAX];
	OSString *cat;

	c->driver = NULL;
	if (IOService_isInactive(nub) || iosvc_category_taken(nub, c->category, drv)) {
		iosvc_discard(drv, nub);
		return false;
	}
	/* The category it takes, for the next round's iosvc_category_taken. */
	if ((cat = OSString_withCString(c->category)) != NULL) {
		(void)IORegistryEntry_setProperty(&drv->sv_entry, kIOMatchCategoryKey, OSOBJ(cat));
		OSObject_release(OSOBJ(cat));
	}
	if (!IOService_start(drv, nub)) {
		IOLog("IOService: %s (personality %s) did not start on %s; trying the next\n",
		    OSObject_getClassName(OSOBJ(drv)),
		    iosvc_string(c->personality, kIOPersonalityNameKey, "unnamed"),
		    iosvc_name(nub, name, sizeof(name)));
		iosvc_discard(drv, nub);
		return false;
	}
	iosvc_set_state(drv, kIOServiceStartedState, 0);
	/* The link to the nub keeps it now. */
	OSObject_release(OSOBJ(drv));
	return true;
}

/* One round of matching on nub. */
static void
iosvc_probe_candidates(IOService *nub)
{
	OSArray *drivers = IOCatalogue_copyDriversForProvider(nub);
	struct iosvc_candidate *c;
	unsigned n = 0, probed = 0;

	if (drivers == NULL || OSArray_getCount(drivers) == 0) {
		OSSafeReleaseNULL(drivers);
		return;
	}
	c = kalloc(sizeof(*c) * OSArray_getCount(drivers));
	if (c == NULL) {
		IOLog("IOService: no memory to match on a %s\n", OSObject_getClassName(OSOBJ(nub)));
		OSObject_release(OSOBJ(drivers));
		return;
	}
	for (uint32_t i = 0; i < OSArray_getCount(drivers); i++) {
		OSDictionary *p = (OSDictionary *)OSArray_getObject(drivers, i);
		int32_t score = iosvc_score(p);

		if (!IOService_passiveMatch(nub, p, &score))
			continue;
		c[n] = (struct iosvc_candidate){ .personality = p, .score = score };
		iosvc_category(nub, p, c[n].category, sizeof(c[n].category));
		n++;
	}
	iosvc_rank(c, n);
	for (unsigned i = 0; i < n; i++) {
		if (iosvc_category_taken(nub, c[i].category, NULL))
			continue;
		if (iosvc_probe_one(nub, &c[i]))
			c[probed++] = c[i];
	}
	iosvc_rank(c, probed);
	for (unsigned i = 0; i < probed; i++)
		(void)iosvc_start_one(nub, &c[i]);
	kfree(c, sizeof(*c) * OSArray_getCount(drivers));
	OSObject_release(OSOBJ(drivers));
}

/* Match on nub until nobody asks for another round. */
static void
iosvc_match_nub(IOService *nub)
{
	bool again;

	lck_mtx_lock(&iosvc_globals.lock);
	if (nub->sv_state & kIOServiceMatchingState) {
		nub->sv_state |= kIOServiceRematchState;
		lck_mtx_unlock(&iosvc_globals.lock);
		return;
	}
	nub->sv_state |= kIOServiceMatchingState;
	lck_mtx_unlock(&iosvc_globals.lock);
	do {
		iosvc_set_state(nub, 0, kIOServiceRematchState);
		if (!IOService_isInactive(nub))
			iosvc_probe_candidates(nub);
		lck_mtx_lock(&iosvc_globals.lock);
		again = (nub->sv_state & kIOServiceRematchState) != 0;
		if (!again)
			nub->sv_state &= ~kIOServiceMatchingState;
		lck_mtx_unlock(&iosvc_globals.lock);
	} while (again);
}

void
IOService_startMatching(IOService *s, IOOptionBits options __unused)
{
	if (s == NULL || IOService_isInactive(s))
		return;
	OSObject_retain(OSOBJ(s));
	IOService_adjustBusy(s, 1);
	iosvc_match_nub(s);
	IOService_adjustBusy(s, -1);
	OSObject_release(OSOBJ(s));
}

void
IOService_registerService(IOService *s, IOOptionBits options)
{
	if (s == NULL || IOService_isInactive(s))
		return;
	OSObject_retain(OSOBJ(s));
	IOService_adjustBusy(s, 1);
	lck_mtx_lock(&iosvc_globals.lock);
	s->sv_state |= kIOServiceRegisteredState;
	iosvc_globals.publishes++;
	thread_wakeup(&iosvc_globals.publishes);
	lck_mtx_unlock(&iosvc_globals.lock);
	iosvc_deliver(s, gIOPublishNotification);
	IOService_startMatching(s, options);
	IOService_adjustBusy(s, -1);
	OSObject_release(OSOBJ(s));
}

/* --- termination ------------------------------------------------------------------------------- */

/* Phase 1: s and everything above it inactive. False if s already was. */
static bool
iosvc_mark_inactive(IOService *s)
{
	OSArray *clients;
	bool was;

	lck_mtx_lock(&iosvc_globals.lock);
	was = (s->sv_state & kIOServiceInactiveState) != 0;
	s->sv_state |= kIOServiceInactiveState;
	lck_mtx_unlock(&iosvc_globals.lock);
	if (was)
		return false;
	clients = IORegistryEntry_copyChildren(&s->sv_entry, gIOServicePlane);
	for (uint32_t i = 0; clients != NULL && i < OSArray_getCount(clients); i++) {
		IOService *c = OSDynamicCast(IOService, OSArray_getObject(clients, i));

		if (c != NULL)
			(void)iosvc_mark_inactive(c);
	}
	OSSafeReleaseNULL(clients);
	return true;
}

/* Phase 2: clients first, then s from each provider. */
static void
iosvc_terminate_worker(IOService *s, IOOptionBits options)
{
	OSArray *clients, *providers;
	bool started, defer;

	OSObject_retain(OSOBJ(s));
	clients = IORegistryEntry_copyChildren(&s->sv_entry, gIOServicePlane);
	for (uint32_t i = 0; clients != NULL && i < OSArray_getCount(clients); i++) {
		IOService *c = OSDynamicCast(IOService, OSArray_getObject(clients, i));

		if (c != NULL && IOService_isInactive(c))
			iosvc_terminate_worker(c, options);
	}
	OSSafeReleaseNULL(clients);
	started = IOService_isStarted(s);
	providers = IORegistryEntry_copyParents(&s->sv_entry, gIOServicePlane);
	for (uint32_t i = 0; providers != NULL && i < OSArray_getCount(providers); i++) {
		IORegistryEntry *pe = (IORegistryEntry *)OSArray_getObject(providers, i);
		IOService *p = OSDynamicCast(IOService, pe);

		if (p == NULL) {
			IORegistryEntry_detachFromParent(&s->sv_entry, pe, gIOServicePlane);
			continue;
		}
		(void)IOService_willTerminate(s, p, options);
		if (started)
			IOService_stop(s, p);
		IOService_detach(s, p);
		defer = false;
		(void)IOService_didTerminate(s, p, options, &defer);
	}
	OSSafeReleaseNULL(providers);
	iosvc_set_state(s, 0, kIOServiceStartedState);
	iosvc_deliver(s, gIOTerminatedNotification);
	OSObject_release(OSOBJ(s));
}

bool
IOService_terminate(IOService *s, IOOptionBits options)
{
	if (s == NULL || s == iosvc_globals.resources)
		return false;
	/*
	 * A client that was inactive before this call is being terminated
	 * by someone else; it is skipped by the mark, not by the worker.
	 */
	if (!iosvc_mark_inactive(s))
		return false;
	iosvc_terminate_worker(s, options);
	return true;
}

/* --- resources -------------------------------------------------------------------------------- */

IOService *
IOService_getResourceService(void)
{
	return iosvc_globals.resources;
}

IOReturn
IOService_publishResource(const char *key, OSObject *value)
{
	if (key == NULL || !iosvc_globals.initialized)
		return kIOReturnBadArgument;
	if (!IORegistryEntry_setProperty(&iosvc_globals.resources->sv_entry, key,
	    value != NULL ? value : OSOBJ(kOSBooleanTrue)))
		return kIOReturnNoMemory;
	IOService_registerService(iosvc_globals.resources, 0);
	return kIOReturnSuccess;
}

void
IOService_unpublishResource(const char *key)
{
	if (key != NULL && iosvc_globals.initialized)
		IORegistryEntry_removeProperty(&iosvc_globals.resources->sv_entry, key);
}
