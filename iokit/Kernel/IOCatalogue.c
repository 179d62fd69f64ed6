/*
 * IOCatalogue.c - the personalities, in one OSArray under one mutex.
 *
 * Candidates for a nub are found by walking the array and comparing each
 * IOProviderClass with the names of the nub's class and its superclasses:
 * a catalogue holds tens of personalities, not thousands.
 */

#include "iokit/Kernel/IOCatalogue.h"

#include "iokit/Kernel/IOLib.h"
#include "libkern/OSKext.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/locks.h"

static struct {
	lck_grp_t	group;
	lck_mtx_t	lock;
	OSArray		*drivers;		/* [lock] personalities, in the order added */
	OSArray		*unloaded;		/* [lock] OSStrings: bundles whose personalities
						   terminateDriversForModule took out */
	bool		initialized;
} iocat_globals;

static void iocat_kext_terminate(const char *bundleID, char *msg, size_t msglen);
static void iocat_kext_loaded(const char *bundleID);

static const struct OSKextIOKitHooks iocat_kext_hooks = {
	.terminate = iocat_kext_terminate,
	.loaded = iocat_kext_loaded,
};

/* Whether p is a personality matching can use; why not, to the log. */
static bool
iocat_valid(OSObject *o, unsigned index)
{
	OSDictionary *p = OSDynamicCast(OSDictionary, o);

	if (p == NULL) {
		IOLog("IOCatalogue: personality %u is not a dictionary\n", index);
		return false;
	}
	if (OSDynamicCast(OSString, OSDictionary_getObject(p, kIOClassKey)) == NULL ||
	    OSDynamicCast(OSString, OSDictionary_getObject(p, kIOProviderClassKey)) == NULL) {
		IOLog("IOCatalogue: personality %u has no IOClass or IOProviderClass string\n",
		    index);
		return false;
	}
	if (OSDictionary_getObject(p, kIOProbeScoreKey) != NULL &&
	    OSDynamicCast(OSNumber, OSDictionary_getObject(p, kIOProbeScoreKey)) == NULL) {
		IOLog("IOCatalogue: personality %u: IOProbeScore is not a number\n", index);
		return false;
	}
	return true;
}

/* One kext personality: a copy with the bundle's identifier and the key filled in. */
static void
iocat_add_kext_personality(const char *bundleID, const char *name, OSDictionary *personality,
    void *ctx)
{
	OSArray *out = ctx;
	OSDictionary *copy;
	OSString *s;

	if (!iocat_valid(OSOBJ(personality), OSArray_getCount(out))) {
		IOLog("IOCatalogue: %s: personality \"%s\" skipped\n", bundleID, name);
		return;
	}
	copy = OSDictionary_withDictionary(personality, OSDictionary_getCount(personality) + 2);
	if (copy == NULL)
		return;
	if (OSDictionary_getObject(copy, kCFBundleIdentifierKey) == NULL &&
	    (s = OSString_withCString(bundleID)) != NULL) {
		(void)OSDictionary_setObject(copy, kCFBundleIdentifierKey, OSOBJ(s));
		OSObject_release(OSOBJ(s));
	}
	if ((s = OSString_withCString(name)) != NULL) {
		(void)OSDictionary_setObject(copy, kIOPersonalityNameKey, OSOBJ(s));
		OSObject_release(OSOBJ(s));
	}
	(void)OSArray_setObject(out, OSOBJ(copy));
	OSObject_release(OSOBJ(copy));
}

void
IOCatalogue_initialize(void)
{
	OSArray *from_kexts;

	if (iocat_globals.initialized)
		return;
	lck_grp_init(&iocat_globals.group, "IOCatalogue", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&iocat_globals.lock, &iocat_globals.group, LCK_ATTR_NULL);
	/* Room to spare, so that tests adding and removing a few never grow it. */
	iocat_globals.drivers = OSArray_withCapacity(64);
	iocat_globals.unloaded = OSArray_withCapacity(4);
	from_kexts = OSArray_withCapacity(16);
	if (iocat_globals.drivers == NULL || iocat_globals.unloaded == NULL || from_kexts == NULL)
		panic("IOCatalogue_initialize: no memory for the catalogue");
	iocat_globals.initialized = true;
	/* Collected first: the kext lock is held while the callback runs. */
	OSKextForEachCatalogPersonality(iocat_add_kext_personality, from_kexts);
	if (!OSArray_merge(iocat_globals.drivers, from_kexts))
		IOLog("IOCatalogue: no memory for the kexts' personalities\n");
	OSObject_release(OSOBJ(from_kexts));
	OSKextRegisterIOKitHooks(&iocat_kext_hooks);
}

unsigned
IOCatalogue_getCount(void)
{
	unsigned n;

	if (!iocat_globals.initialized)
		return 0;
	lck_mtx_lock(&iocat_globals.lock);
	n = OSArray_getCount(iocat_globals.drivers);
	lck_mtx_unlock(&iocat_globals.lock);
	return n;
}

/* Whether the class called name is meta or one of its superclasses. */
static bool
iocat_class_fits(const OSMetaClass *meta, const char *name)
{
	for (; meta != NULL; meta = OSMetaClass_getSuperClass(meta))
		if (strcmp(OSMetaClass_getClassName(meta), name) == 0)
			return true;
	return false;
}

/* Rematch every registered service whose class one of personalities could drive. */
static void
iocat_rematch(OSArray *personalities)
{
	IORegistryIterator *it;
	IORegistryEntry *e;

	it = IORegistryIterator_iterateOver(IORegistryEntry_getRegistryRoot(), gIOServicePlane,
	    kIORegistryIterateRecursively);
	if (it == NULL)
		return;
	while ((e = IORegistryIterator_getNextObject(it)) != NULL) {
		IOService *s = OSDynamicCast(IOService, e);

		if (s == NULL || IOService_isInactive(s))
			continue;
		for (uint32_t i = 0; i < OSArray_getCount(personalities); i++) {
			OSDictionary *p = (OSDictionary *)OSArray_getObject(personalities, i);
			OSString *pc = (OSString *)OSDictionary_getObject(p, kIOProviderClassKey);

			if (iocat_class_fits(OSTypeIDInst(s), OSString_getCStringNoCopy(pc))) {
				IOService_startMatching(s, 0);
				break;
			}
		}
	}
	OSObject_release(OSOBJ(it));
}

IOReturn
IOCatalogue_addDrivers(OSArray *personalities, bool doNubMatching)
{
	bool ok;

	if (personalities == NULL || !iocat_globals.initialized)
		return kIOReturnBadArgument;
	for (uint32_t i = 0; i < OSArray_getCount(personalities); i++)
		if (!iocat_valid(OSArray_getObject(personalities, i), i))
			return kIOReturnBadArgument;
	lck_mtx_lock(&iocat_globals.lock);
	ok = OSArray_merge(iocat_globals.drivers, personalities);
	lck_mtx_unlock(&iocat_globals.lock);
	if (!ok)
		return kIOReturnNoMemory;
	if (doNubMatching)
		iocat_rematch(personalities);
	return kIOReturnSuccess;
}

/* Whether every key of matching has an equal value in p. */
static bool
iocat_fits(OSDictionary *p, OSDictionary *matching)
{
	for (uint32_t i = 0; i < OSDictionary_getCount(matching); i++) {
		OSObject *want = OSDictionary_getObjectAtIndex(matching, i);
		OSObject *have = OSDictionary_getObjectForKey(p,
		    OSDictionary_getKeyAtIndex(matching, i));

		if (have == NULL || !OSObject_isEqualTo(have, want))
			return false;
	}
	return true;
}

unsigned
IOCatalogue_removeDrivers(OSDictionary *matching)
{
	OSArray *gone;
	unsigned n = 0;

	if (matching == NULL || !iocat_globals.initialized)
		return 0;
	/* Released after the lock is dropped: a free is not for under a lock. */
	gone = OSArray_withCapacity(4);
	if (gone == NULL)
		return 0;
	lck_mtx_lock(&iocat_globals.lock);
	for (uint32_t i = OSArray_getCount(iocat_globals.drivers); i-- > 0; ) {
		OSObject *p = OSArray_getObject(iocat_globals.drivers, i);

		if (!iocat_fits((OSDictionary *)p, matching) || !OSArray_setObject(gone, p))
			continue;
		OSArray_removeObject(iocat_globals.drivers, i);
		n++;
	}
	lck_mtx_unlock(&iocat_globals.lock);
	OSObject_release(OSOBJ(gone));
	return n;
}

OSArray *
IOCatalogue_copyDriversForProvider(IOService *nub)
{
	OSArray *out;

	if (nub == NULL || !iocat_globals.initialized)
		return NULL;
	out = OSArray_withCapacity(8);
	if (out == NULL)
		return NULL;
	lck_mtx_lock(&iocat_globals.lock);
	for (uint32_t i = 0; i < OSArray_getCount(iocat_globals.drivers); i++) {
		OSDictionary *p = (OSDictionary *)OSArray_getObject(iocat_globals.drivers, i);
		OSString *pc = (OSString *)OSDictionary_getObject(p, kIOProviderClassKey);

		if (iocat_class_fits(OSTypeIDInst(nub), OSString_getCStringNoCopy(pc)) &&
		    !OSArray_setObject(out, OSOBJ(p))) {
			OSSafeReleaseNULL(out);
			break;
		}
	}
	lck_mtx_unlock(&iocat_globals.lock);
	return out;
}

/* --- kext unload and reload (OSKext's hooks) ------------------------------------ */

/* Whether the class of s, or a superclass of it, is one bundleID defines. */
static bool
iocat_defined_by(IOService *s, const char *bundleID)
{
	for (const OSMetaClass *meta = OSTypeIDInst(s); meta != NULL;
	    meta = OSMetaClass_getSuperClass(meta)) {
		const char *id = OSKextGetIdentifier((const OSKext *)meta->owner);

		if (id != NULL && strcmp(id, bundleID) == 0)
			return true;
	}
	return false;
}

/* The index in the unloaded list of bundleID, or -1. Locks: [lock]. */
static int
iocat_unloaded_index_locked(const char *bundleID)
{
	for (uint32_t i = 0; i < OSArray_getCount(iocat_globals.unloaded); i++) {
		if (OSString_isEqualToCString((OSString *)OSArray_getObject(iocat_globals.unloaded, i),
		    bundleID))
			return (int)i;
	}
	return -1;
}

IOReturn
IOCatalogue_terminateDriversForModule(const char *bundleID, bool removePersonalities,
    unsigned *terminated, unsigned *removed)
{
	IORegistryIterator *it;
	IORegistryEntry *e;
	OSArray *victims;
	OSDictionary *matching;
	OSString *id;
	unsigned n = 0, r = 0;

	if (terminated != NULL)
		*terminated = 0;
	if (removed != NULL)
		*removed = 0;
	if (bundleID == NULL || !iocat_globals.initialized)
		return kIOReturnBadArgument;
	/* The personalities first, so that nothing matches the kext again meanwhile. */
	if (removePersonalities) {
		matching = OSDictionary_withCapacity(1);
		id = OSString_withCString(bundleID);
		if (matching == NULL || id == NULL ||
		    !OSDictionary_setObject(matching, kCFBundleIdentifierKey, OSOBJ(id))) {
			OSSafeReleaseNULL(matching);
			OSSafeReleaseNULL(id);
			return kIOReturnNoMemory;
		}
		r = IOCatalogue_removeDrivers(matching);
		lck_mtx_lock(&iocat_globals.lock);
		if (r != 0 && iocat_unloaded_index_locked(bundleID) < 0)
			(void)OSArray_setObject(iocat_globals.unloaded, OSOBJ(id));
		lck_mtx_unlock(&iocat_globals.lock);
		OSObject_release(OSOBJ(matching));
		OSObject_release(OSOBJ(id));
	}
	/* Collected, then terminated: termination changes the plane under an iterator. */
	victims = OSArray_withCapacity(4);
	it = IORegistryIterator_iterateOver(IORegistryEntry_getRegistryRoot(), gIOServicePlane,
	    kIORegistryIterateRecursively);
	if (victims == NULL || it == NULL) {
		OSSafeReleaseNULL(victims);
		OSSafeReleaseNULL(it);
		return kIOReturnNoMemory;
	}
	while ((e = IORegistryIterator_getNextObject(it)) != NULL) {
		IOService *s = OSDynamicCast(IOService, e);

		if (s != NULL && !IOService_isInactive(s) && iocat_defined_by(s, bundleID))
			(void)OSArray_setObject(victims, OSOBJ(s));
	}
	OSObject_release(OSOBJ(it));
	for (uint32_t i = 0; i < OSArray_getCount(victims); i++) {
		IOService *s = (IOService *)OSArray_getObject(victims, i);

		/* A service above another victim went with it. */
		if (IOService_terminate(s, kIOServiceSynchronous))
			n++;
	}
	OSObject_release(OSOBJ(victims));
	if (terminated != NULL)
		*terminated = n;
	if (removed != NULL)
		*removed = r;
	return kIOReturnSuccess;
}

static void
iocat_kext_terminate(const char *bundleID, char *msg, size_t msglen)
{
	unsigned n = 0, r = 0;
	IOReturn ret = IOCatalogue_terminateDriversForModule(bundleID, true, &n, &r);

	if (msg == NULL || msglen == 0)
		return;
	if (ret != kIOReturnSuccess)
		snprintf(msg, msglen, "%s: its services could not be terminated (%s)\n", bundleID,
		    ret == kIOReturnNoMemory ? "no memory" : "bad argument");
	else if (n != 0 || r != 0)
		snprintf(msg, msglen, "%s: terminated %u service%s, removed %u personalit%s\n",
		    bundleID, n, n == 1 ? "" : "s", r, r == 1 ? "y" : "ies");
	if (msg[0] != '\0')
		IOLog("IOCatalogue: %s", msg);
}

/* One catalog personality of the bundle being put back (ctx: what and where). */
struct iocat_reload {
	const char	*bundleID;
	OSArray		*out;
};

static void
iocat_collect_bundle(const char *bundleID, const char *name, OSDictionary *personality,
    void *ctx)
{
	struct iocat_reload *rl = ctx;

	if (strcmp(bundleID, rl->bundleID) == 0)
		iocat_add_kext_personality(bundleID, name, personality, rl->out);
}

/* Put back, and match, the personalities of bundleID (one the unloaded list had). */
static void
iocat_reload_bundle(const char *bundleID)
{
	struct iocat_reload rl = { bundleID, OSArray_withCapacity(2) };

	if (rl.out == NULL)
		return;
	OSKextForEachCatalogPersonality(iocat_collect_bundle, &rl);
	if (OSArray_getCount(rl.out) != 0) {
		IOLog("IOCatalogue: %s is loaded again; its %u personalit%s match again\n", bundleID,
		    OSArray_getCount(rl.out), OSArray_getCount(rl.out) == 1 ? "y" : "ies");
		(void)IOCatalogue_addDrivers(rl.out, true);
	}
	OSObject_release(OSOBJ(rl.out));
}

/*
 * After an explicit load: every bundle on the unloaded list that is loaded
 * now (the one named, or a library loaded with it) gets its personalities
 * back.
 */
static void
iocat_kext_loaded(const char *bundleID)
{
	OSArray *candidates;

	(void)bundleID;
	if (!iocat_globals.initialized)
		return;
	/* Copied, then asked unlocked: the catalogue's lock stays a leaf. */
	lck_mtx_lock(&iocat_globals.lock);
	candidates = OSArray_withArray(iocat_globals.unloaded, 0);
	lck_mtx_unlock(&iocat_globals.lock);
	if (candidates == NULL)
		return;
	for (uint32_t i = 0; i < OSArray_getCount(candidates); i++) {
		const char *id = OSString_getCStringNoCopy(
		    (OSString *)OSArray_getObject(candidates, i));
		int at;

		if (!OSKextIsLoadedWithIdentifier(id))
			continue;
		lck_mtx_lock(&iocat_globals.lock);
		at = iocat_unloaded_index_locked(id);
		if (at >= 0)
			OSArray_removeObject(iocat_globals.unloaded, (uint32_t)at);
		lck_mtx_unlock(&iocat_globals.lock);
		if (at >= 0)	/* not another thread's to put back */
			iocat_reload_bundle(id);
	}
	OSObject_release(OSOBJ(candidates));
}
