/*
 * IOService_test.c - services, matching and termination with two test
 * classes defined here:
 *
 *   IOTestNub		a nub; its matchPropertyTable checks the family key
 *			IOTestMatch against its "test-id" property
 *   IOTestDriver	a driver whose behaviour its personality sets:
 *			TestTag (a name for the log), TestProbe "decline",
 *			TestProbeScore (the score probe sets), TestStart false
 *			(start fails), TestChild (start publishes an IOTestNub
 *			of that name as its client)
 *
 * The last test loads tests/kexts/OnDemandDriver from the kext catalog
 * through matching and matches tests/kexts/CodelessDriver's personality
 * to its class.
 *
 * Every probe, start and stop appends "probe:TAG ", "start:TAG ",
 * "stop:TAG " to a log the tests read. Each test adds personalities with
 * IOCatalogue_addDrivers, removes them again, terminates what it made and
 * checks that the classes' instance counts are back where they started.
 */

#include "iokit/Kernel/IOService.h"

#include "iokit/Kernel/IOCatalogue.h"
#include "kernel/initrd.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSKext.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "mach/kern/clock.h"
#include "tests/ktest.h"

/* --- the test classes ----------------------------------------------------------- */

struct IOTestNub {
	IOService	tn_service;
};
OSDeclareDefaultStructors(IOTestNub);

struct IOTestDriver {
	IOService	td_service;
	IOService	*td_child;		/* the nub start published, if any */
};
OSDeclareDefaultStructors(IOTestDriver);

static char test_log[512];

static void
log_event(const char *what, IOService *s)
{
	OSString *tag = OSDynamicCast(OSString, IORegistryEntry_getProperty(&s->sv_entry,
	    "TestTag"));
	size_t n = strlen(test_log);

	snprintf(test_log + n, sizeof(test_log) - n, "%s:%s ", what,
	    tag != NULL ? OSString_getCStringNoCopy(tag) : "?");
}

static bool
testnub_matchPropertyTable(IOService *self, OSDictionary *table, int32_t *score)
{
	OSObject *want = OSDictionary_getObject(table, "IOTestMatch");
	OSObject *have = IORegistryEntry_getProperty(&self->sv_entry, "test-id");

	if (want == NULL)
		return true;
	if (have == NULL || !OSObject_isEqualTo(want, have))
		return false;
	*score += 1;
	return true;
}

static const struct IOService_methods testnub_methods = {
	.matchPropertyTable = testnub_matchPropertyTable,
};
OSDefineMetaClass(IOTestNub, IOService, &testnub_methods);

static IOService *make_nub(const char *name, IOService *provider);

static IOService *
testdrv_probe(IOService *self, IOService *provider __unused, int32_t *score)
{
	OSString *probe = OSDynamicCast(OSString, IORegistryEntry_getProperty(&self->sv_entry,
	    "TestProbe"));
	OSNumber *n = OSDynamicCast(OSNumber, IORegistryEntry_getProperty(&self->sv_entry,
	    "TestProbeScore"));

	log_event("probe", self);
	if (probe != NULL && OSString_isEqualToCString(probe, "decline"))
		return NULL;
	if (n != NULL)
		*score = (int32_t)OSNumber_unsigned32BitValue(n);
	return self;
}

static bool
testdrv_start(IOService *self, IOService *provider __unused)
{
	IOTestDriver *d = (IOTestDriver *)self;
	OSString *child = OSDynamicCast(OSString, IORegistryEntry_getProperty(&self->sv_entry,
	    "TestChild"));

	log_event("start", self);
	if (IORegistryEntry_getProperty(&self->sv_entry, "TestStart") == OSOBJ(kOSBooleanFalse))
		return false;
	if (child != NULL) {
		d->td_child = make_nub(OSString_getCStringNoCopy(child), self);
		if (d->td_child == NULL)
			return false;
		IOService_registerService(d->td_child, 0);
	}
	IOService_registerService(self, 0);
	return true;
}

static void
testdrv_stop(IOService *self, IOService *provider __unused)
{
	IOTestDriver *d = (IOTestDriver *)self;

	log_event("stop", self);
	/* Its client was terminated first: only the reference is left. */
	OSSafeReleaseNULL(d->td_child);
}

static const struct IOService_methods testdrv_methods = {
	.probe = testdrv_probe,
	.start = testdrv_start,
	.stop = testdrv_stop,
};
OSDefineMetaClass(IOTestDriver, IOService, &testdrv_methods);

static void
register_test_classes(void)
{
	if (OSMetaClass_lookup("IOTestNub") == NULL)
		(void)OSMetaClass_register(&IOTestNub_metaClass);
	if (OSMetaClass_lookup("IOTestDriver") == NULL)
		(void)OSMetaClass_register(&IOTestDriver_metaClass);
}

/* --- helpers ------------------------------------------------------------------------ */

/* A registered-later IOTestNub called name, attached to provider (NULL: the root). */
static IOService *
make_nub(const char *name, IOService *provider)
{
	IOService *nub = (IOService *)OSTypeAlloc(IOTestNub);
	bool ok;

	if (nub == NULL)
		return NULL;
	ok = IOService_init(nub, NULL) && IORegistryEntry_setName(&nub->sv_entry, name, NULL);
	if (ok && provider != NULL)
		ok = IOService_attach(nub, provider);
	else if (ok)
		ok = IORegistryEntry_attachToParent(&nub->sv_entry,
		    IORegistryEntry_getRegistryRoot(), gIOServicePlane) == kIOReturnSuccess;
	if (!ok)
		OSSafeReleaseNULL(nub);
	return nub;
}

static void
set_string(OSDictionary *d, const char *key, const char *value)
{
	OSString *s = OSString_withCString(value);

	if (s != NULL)
		(void)OSDictionary_setObject(d, key, OSOBJ(s));
	OSSafeReleaseNULL(s);
}

static void
set_number(OSDictionary *d, const char *key, uint32_t value)
{
	OSNumber *n = OSNumber_withNumber(value, 32);

	if (n != NULL)
		(void)OSDictionary_setObject(d, key, OSOBJ(n));
	OSSafeReleaseNULL(n);
}

/* An IOTestDriver personality for IOTestNubs called name. */
static OSDictionary *
personality(const char *tag, const char *name, uint32_t score)
{
	OSDictionary *d = OSDictionary_withCapacity(8);

	if (d == NULL)
		return NULL;
	set_string(d, kIOClassKey, "IOTestDriver");
	set_string(d, kIOProviderClassKey, "IOTestNub");
	set_string(d, "TestTag", tag);
	if (name != NULL)
		set_string(d, kIONameMatchKey, name);
	set_number(d, kIOProbeScoreKey, score);
	return d;
}

/* Add the personalities (consumed), without matching. */
static bool
add_drivers(OSDictionary *a, OSDictionary *b)
{
	OSArray *arr = OSArray_withCapacity(2);
	bool ok = arr != NULL && a != NULL && (b == NULL || OSArray_setObject(arr, OSOBJ(b))) &&
	    OSArray_setObject(arr, OSOBJ(a)) &&
	    IOCatalogue_addDrivers(arr, false) == kIOReturnSuccess;

	OSSafeReleaseNULL(arr);
	OSSafeReleaseNULL(a);
	OSSafeReleaseNULL(b);
	return ok;
}

static unsigned
remove_test_drivers(void)
{
	OSDictionary *m = OSDictionary_withCapacity(1);
	unsigned n;

	if (m == NULL)
		return 0;
	set_string(m, kIOClassKey, "IOTestDriver");
	n = IOCatalogue_removeDrivers(m);
	OSObject_release(OSOBJ(m));
	return n;
}

/* The started clients of nub, as their tags ("high "), into buf. */
static const char *
client_tags(IOService *nub, char *buf, size_t len)
{
	OSCollectionIterator *it = IOService_getClientIterator(nub);
	OSObject *o;

	buf[0] = '\0';
	while (it != NULL && (o = OSCollectionIterator_getNextObject(it)) != NULL) {
		IOService *c = (IOService *)o;
		OSString *tag = OSDynamicCast(OSString, IORegistryEntry_getProperty(&c->sv_entry,
		    "TestTag"));

		if (IOService_isStarted(c) && tag != NULL) {
			strlcat(buf, OSString_getCStringNoCopy(tag), len);
			strlcat(buf, " ", len);
		}
	}
	OSSafeReleaseNULL(it);
	return buf;
}

struct counts {
	int32_t	nubs, drivers, notifiers;
};

static void
counts_take(struct counts *c)
{
	c->nubs = OSMetaClass_getInstanceCount(OSTypeID(IOTestNub));
	c->drivers = OSMetaClass_getInstanceCount(OSTypeID(IOTestDriver));
	c->notifiers = OSMetaClass_getInstanceCount(OSTypeID(IONotifier));
}

#define KT_EXPECT_COUNTS_BACK(c) do {						\
	struct counts now_;							\
	counts_take(&now_);							\
	KT_EXPECT_EQ(now_.nubs, (c).nubs);					\
	KT_EXPECT_EQ(now_.drivers, (c).drivers);				\
	KT_EXPECT_EQ(now_.notifiers, (c).notifiers);				\
} while (0)

static void
begin(struct counts *c)
{
	register_test_classes();
	test_log[0] = '\0';
	counts_take(c);
}

/* --- the tests ---------------------------------------------------------------------------- */

KTEST(IOService, IOResources_is_published_below_the_root)
{
	IORegistryEntry *e = IORegistryEntry_fromPath("IOService:/IOResources", NULL);
	char buf[kIORegistryPathMax];

	KT_EXPECT_EQ(e, &IOService_getResourceService()->sv_entry);
	OSSafeReleaseNULL(e);
	KT_EXPECT_TRUE(IORegistryEntry_getPath(&IOService_getResourceService()->sv_entry,
	    gIOServicePlane, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "IOService:/IOResources");
	KT_EXPECT_FALSE(IOService_terminate(IOService_getResourceService(), 0));
	KT_EXPECT_EQ(IOService_getBusyState(IOService_getResourceService()), 0);
}

KTEST(IOService, the_higher_probe_score_starts_and_the_lower_is_released)
{
	struct counts c;
	IOService *nub;
	char buf[64];

	begin(&c);
	KT_ASSERT_TRUE(add_drivers(personality("low", "ktest-rank", 50),
	    personality("high", "ktest-rank", 100)));
	nub = make_nub("ktest-rank", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	IOService_registerService(nub, 0);
	KT_EXPECT_STREQ(test_log, "probe:high probe:low start:high ");
	KT_EXPECT_STREQ(client_tags(nub, buf, sizeof(buf)), "high ");
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOTestDriver)), c.drivers + 1);
	KT_EXPECT_EQ(IOService_getBusyState(nub), 0);
	KT_EXPECT_EQ(IOService_waitQuiet(nub, 0), kIOReturnSuccess);

	/* Registering again matches again; the category is taken, nothing new starts. */
	IOService_registerService(nub, 0);
	KT_EXPECT_STREQ(client_tags(nub, buf, sizeof(buf)), "high ");

	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	KT_EXPECT_TRUE(IOService_isInactive(nub));
	KT_EXPECT_FALSE(IOService_terminate(nub, 0));
	KT_EXPECT_FALSE(IORegistryEntry_inPlane(&nub->sv_entry, gIOServicePlane));
	OSObject_release(OSOBJ(nub));
	KT_EXPECT_EQ(remove_test_drivers(), 2);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, probe_may_decline_or_change_the_score)
{
	struct counts c;
	OSDictionary *decline = personality("decline", "ktest-probe", 300);
	OSDictionary *raise = personality("raise", "ktest-probe", 10);
	IOService *nub;
	char buf[64];

	begin(&c);
	KT_ASSERT_TRUE(decline != NULL && raise != NULL);
	set_string(decline, "TestProbe", "decline");
	set_number(raise, "TestProbeScore", 200);
	KT_ASSERT_TRUE(add_drivers(decline, raise));
	KT_ASSERT_TRUE(add_drivers(personality("plain", "ktest-probe", 100), NULL));
	nub = make_nub("ktest-probe", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	IOService_registerService(nub, 0);
	/* Ranked 300, 100, 10 to probe; after probing, raise has 200. */
	KT_EXPECT_STREQ(test_log, "probe:decline probe:plain probe:raise start:raise ");
	KT_EXPECT_STREQ(client_tags(nub, buf, sizeof(buf)), "raise ");
	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	OSObject_release(OSOBJ(nub));
	KT_EXPECT_EQ(remove_test_drivers(), 3);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, a_start_that_fails_lets_the_next_candidate_start)
{
	struct counts c;
	OSDictionary *fails = personality("fails", "ktest-start", 100);
	IOService *nub;
	char buf[64];

	begin(&c);
	KT_ASSERT_TRUE(fails != NULL);
	(void)OSDictionary_setObject(fails, "TestStart", OSOBJ(kOSBooleanFalse));
	KT_ASSERT_TRUE(add_drivers(fails, personality("next", "ktest-start", 50)));
	nub = make_nub("ktest-start", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	IOService_registerService(nub, 0);
	KT_EXPECT_STREQ(test_log, "probe:fails probe:next start:fails start:next ");
	KT_EXPECT_STREQ(client_tags(nub, buf, sizeof(buf)), "next ");
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOTestDriver)), c.drivers + 1);
	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	OSObject_release(OSOBJ(nub));
	KT_EXPECT_EQ(remove_test_drivers(), 2);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, match_categories_let_two_drivers_share_a_nub)
{
	struct counts c;
	OSDictionary *other = personality("other", "ktest-cat", 10);
	IOService *nub;
	char buf[64];

	begin(&c);
	KT_ASSERT_TRUE(other != NULL);
	set_string(other, kIOMatchCategoryKey, "ktest.other");
	KT_ASSERT_TRUE(add_drivers(personality("default", "ktest-cat", 100), other));
	nub = make_nub("ktest-cat", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	IOService_registerService(nub, 0);
	KT_EXPECT_STREQ(client_tags(nub, buf, sizeof(buf)), "default other ");
	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	OSObject_release(OSOBJ(nub));
	KT_EXPECT_EQ(remove_test_drivers(), 2);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, IONameMatch_takes_names_arrays_and_compatible_strings)
{
	struct counts c;
	OSDictionary *p = personality("names", NULL, 0);
	OSArray *names = OSArray_withCapacity(2);
	OSString *a = OSString_withCString("ktest-alpha"), *b = OSString_withCString("ktest-beta");
	IOService *n1, *n2, *n3;
	char buf[64];

	begin(&c);
	KT_ASSERT_TRUE(p != NULL && names != NULL && a != NULL && b != NULL);
	KT_EXPECT_TRUE(OSArray_setObject(names, OSOBJ(a)) && OSArray_setObject(names, OSOBJ(b)));
	KT_EXPECT_TRUE(OSDictionary_setObject(p, kIONameMatchKey, OSOBJ(names)));
	KT_ASSERT_TRUE(add_drivers(p, NULL));
	n1 = make_nub("ktest-alpha", NULL);
	n2 = make_nub("ktest-gamma", NULL);
	n3 = make_nub("ktest-delta", NULL);
	KT_ASSERT_TRUE(n1 != NULL && n2 != NULL && n3 != NULL);
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(&n3->sv_entry, kIOCompatibleKey, OSOBJ(b)));
	IOService_registerService(n1, 0);
	IOService_registerService(n2, 0);
	IOService_registerService(n3, 0);
	KT_EXPECT_STREQ(client_tags(n1, buf, sizeof(buf)), "names ");
	KT_EXPECT_STREQ(client_tags(n2, buf, sizeof(buf)), "");
	KT_EXPECT_STREQ(client_tags(n3, buf, sizeof(buf)), "names ");
	KT_EXPECT_TRUE(IOService_terminate(n1, 0));
	KT_EXPECT_TRUE(IOService_terminate(n2, 0));
	KT_EXPECT_TRUE(IOService_terminate(n3, 0));
	OSObject_release(OSOBJ(n1));
	OSObject_release(OSOBJ(n2));
	OSObject_release(OSOBJ(n3));
	OSObject_release(OSOBJ(names));
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(b));
	KT_EXPECT_EQ(remove_test_drivers(), 1);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, IOPropertyMatch_and_family_keys)
{
	struct counts c;
	OSDictionary *byprop = personality("byprop", "ktest-prop", 0);
	OSDictionary *family = personality("family", "ktest-prop", 0);
	OSDictionary *want = OSDictionary_withCapacity(2);
	IOService *yes, *no;
	OSNumber *v1 = OSNumber_withNumber(0x1234, 32), *v2 = OSNumber_withNumber(0x5678, 32);
	OSString *id = OSString_withCString("ktest-42");
	char buf[64];

	begin(&c);
	KT_ASSERT_TRUE(byprop != NULL && family != NULL && want != NULL && v1 != NULL &&
	    v2 != NULL && id != NULL);
	set_number(want, "vendor", 0x1234);
	KT_EXPECT_TRUE(OSDictionary_setObject(byprop, kIOPropertyMatchKey, OSOBJ(want)));
	set_string(family, "IOTestMatch", "ktest-42");
	set_string(family, kIOMatchCategoryKey, "ktest.family");
	KT_ASSERT_TRUE(add_drivers(byprop, family));
	yes = make_nub("ktest-prop", NULL);
	no = make_nub("ktest-prop", NULL);
	KT_ASSERT_TRUE(yes != NULL && no != NULL);
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(&yes->sv_entry, "vendor", OSOBJ(v1)));
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(&yes->sv_entry, "test-id", OSOBJ(id)));
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(&no->sv_entry, "vendor", OSOBJ(v2)));
	IOService_registerService(yes, 0);
	IOService_registerService(no, 0);
	/* The family's match added one to its score: it is probed first. */
	KT_EXPECT_STREQ(client_tags(yes, buf, sizeof(buf)), "family byprop ");
	KT_EXPECT_STREQ(client_tags(no, buf, sizeof(buf)), "");
	KT_EXPECT_TRUE(IOService_terminate(yes, 0));
	KT_EXPECT_TRUE(IOService_terminate(no, 0));
	OSObject_release(OSOBJ(yes));
	OSObject_release(OSOBJ(no));
	OSObject_release(OSOBJ(want));
	OSObject_release(OSOBJ(v1));
	OSObject_release(OSOBJ(v2));
	OSObject_release(OSOBJ(id));
	KT_EXPECT_EQ(remove_test_drivers(), 2);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, IOResourceMatch_waits_for_publishResource)
{
	struct counts c;
	OSDictionary *p = personality("resource", NULL, 0);
	IOService *res = IOService_getResourceService();
	IOService *drv;
	OSDictionary *m;

	begin(&c);
	KT_ASSERT_TRUE(p != NULL);
	set_string(p, kIOProviderClassKey, kIOResourcesClass);
	set_string(p, kIOResourceMatchKey, "org.machina.ktest.Resource");
	KT_ASSERT_TRUE(add_drivers(p, NULL));
	IOService_startMatching(res, 0);
	KT_EXPECT_STREQ(test_log, "");
	KT_EXPECT_EQ(IOService_publishResource("org.machina.ktest.Resource", NULL),
	    kIOReturnSuccess);
	KT_EXPECT_STREQ(test_log, "probe:resource start:resource ");
	m = IOService_serviceMatching("IOTestDriver", NULL);
	drv = IOService_copyMatchingService(m);
	KT_EXPECT_TRUE(drv != NULL && IOService_getProvider(drv) == res);
	/* A second publish matches again; the driver's category is taken. */
	KT_EXPECT_EQ(IOService_publishResource("org.machina.ktest.Other", NULL), kIOReturnSuccess);
	KT_EXPECT_STREQ(test_log, "probe:resource start:resource ");
	if (drv != NULL)
		KT_EXPECT_TRUE(IOService_terminate(drv, 0));
	KT_EXPECT_STREQ(test_log, "probe:resource start:resource stop:resource ");
	OSSafeReleaseNULL(drv);
	OSSafeReleaseNULL(m);
	IOService_unpublishResource("org.machina.ktest.Resource");
	IOService_unpublishResource("org.machina.ktest.Other");
	KT_EXPECT_EQ(remove_test_drivers(), 1);
	KT_EXPECT_COUNTS_BACK(c);
}

struct note_counts {
	int	published, terminated;
	IOService *last;
};

static bool
note_handler(void *target, void *ref, IOService *s, IONotifier *n __unused)
{
	struct note_counts *nc = target;

	if ((uintptr_t)ref == 1)
		nc->published++;
	else
		nc->terminated++;
	nc->last = s;
	return true;
}

KTEST(IOService, matching_notifications_for_publish_and_terminate)
{
	struct counts c;
	struct note_counts nc = { 0 };
	OSDictionary *m = IOService_nameMatching("ktest-note", NULL);
	IONotifier *pub, *term, *first;
	IOService *nub, *other;

	begin(&c);
	KT_ASSERT_TRUE(m != NULL);
	pub = IOService_addMatchingNotification(gIOPublishNotification, m, note_handler, &nc,
	    (void *)1);
	term = IOService_addMatchingNotification(gIOTerminatedNotification, m, note_handler,
	    &nc, (void *)2);
	KT_ASSERT_TRUE(pub != NULL && term != NULL);
	KT_EXPECT_EQ(IOService_addMatchingNotification("NoSuchType", m, note_handler, &nc, NULL),
	    NULL);
	nub = make_nub("ktest-note", NULL);
	other = make_nub("ktest-other", NULL);
	KT_ASSERT_TRUE(nub != NULL && other != NULL);
	IOService_registerService(other, 0);
	KT_EXPECT_EQ(nc.published, 0);
	IOService_registerService(nub, 0);
	KT_EXPECT_EQ(nc.published, 1);
	KT_EXPECT_EQ(nc.last, nub);

	/* First-publish also reports what is already there. */
	first = IOService_addMatchingNotification(gIOFirstPublishNotification, m, note_handler,
	    &nc, (void *)1);
	KT_EXPECT_TRUE(first != NULL);
	KT_EXPECT_EQ(nc.published, 2);
	IONotifier_remove(first);

	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	KT_EXPECT_TRUE(IOService_terminate(other, 0));
	KT_EXPECT_EQ(nc.terminated, 1);
	IONotifier_remove(pub);
	IONotifier_remove(term);
	OSObject_release(OSOBJ(nub));
	OSObject_release(OSOBJ(other));
	OSObject_release(OSOBJ(m));
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, terminate_stops_clients_first_then_detaches)
{
	struct counts c;
	OSDictionary *top = personality("top", "ktest-term", 0);
	IOService *nub, *drv, *child;
	IORegistryEntry *e;
	char buf[kIORegistryPathMax];

	begin(&c);
	KT_ASSERT_TRUE(top != NULL);
	set_string(top, "TestChild", "ktest-term-child");
	KT_ASSERT_TRUE(add_drivers(top, personality("child", "ktest-term-child", 0)));
	nub = make_nub("ktest-term", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	IOService_registerService(nub, 0);
	KT_EXPECT_STREQ(test_log, "probe:top start:top probe:child start:child ");
	drv = IOService_getClient(nub);
	KT_ASSERT_TRUE(drv != NULL);
	child = IOService_getClient(drv);
	KT_ASSERT_TRUE(child != NULL);
	KT_EXPECT_TRUE(IORegistryEntry_getPath(&IOService_getClient(child)->sv_entry,
	    gIOServicePlane, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "IOService:/ktest-term/IOTestDriver/ktest-term-child/IOTestDriver");
	e = IORegistryEntry_fromPath("IOService:/ktest-term/IOTestDriver/ktest-term-child", NULL);
	KT_EXPECT_EQ(e, &child->sv_entry);
	OSSafeReleaseNULL(e);

	test_log[0] = '\0';
	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	KT_EXPECT_STREQ(test_log, "stop:child stop:top ");
	KT_EXPECT_EQ(IORegistryEntry_copyEntryWithName(gIOServicePlane, "ktest-term-child"), NULL);
	OSObject_release(OSOBJ(nub));
	KT_EXPECT_EQ(remove_test_drivers(), 2);
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, busy_counts_climb_to_providers_and_waitQuiet_waits)
{
	struct counts c;
	IOService *nub, *child;

	begin(&c);
	nub = make_nub("ktest-busy", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	child = make_nub("ktest-busy-child", nub);
	KT_ASSERT_TRUE(child != NULL);
	IOService_adjustBusy(child, 1);
	KT_EXPECT_EQ(IOService_getBusyState(child), 1);
	KT_EXPECT_EQ(IOService_getBusyState(nub), 1);
	KT_EXPECT_EQ(IOService_waitQuiet(nub, 10 * NSEC_PER_MSEC), kIOReturnTimeout);
	IOService_adjustBusy(child, -1);
	KT_EXPECT_EQ(IOService_waitQuiet(nub, 10 * NSEC_PER_MSEC), kIOReturnSuccess);
	KT_EXPECT_EQ(IOService_waitQuiet(NULL, 0), kIOReturnBadArgument);
	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	KT_EXPECT_TRUE(IOService_isInactive(child));
	KT_EXPECT_FALSE(IOService_attach(child, nub));
	OSObject_release(OSOBJ(child));
	OSObject_release(OSOBJ(nub));
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, getMatchingServices_and_waitForService)
{
	struct counts c;
	OSDictionary *m = IOService_serviceMatching("IOTestNub", NULL);
	OSDictionary *none = IOService_nameMatching("ktest-nobody", NULL);
	OSCollectionIterator *it;
	IOService *nub, *s;
	unsigned n = 0;

	begin(&c);
	KT_ASSERT_TRUE(m != NULL && none != NULL);
	nub = make_nub("ktest-find", NULL);
	KT_ASSERT_TRUE(nub != NULL);
	it = IOService_getMatchingServices(m);
	KT_ASSERT_TRUE(it != NULL);
	while (OSCollectionIterator_getNextObject(it) != NULL)
		n++;
	KT_EXPECT_EQ(n, 0);		/* not registered yet */
	OSObject_release(OSOBJ(it));
	IOService_registerService(nub, 0);
	it = IOService_getMatchingServices(m);
	KT_ASSERT_TRUE(it != NULL);
	KT_EXPECT_EQ(OSCollectionIterator_getNextObject(it), OSOBJ(nub));
	KT_EXPECT_EQ(OSCollectionIterator_getNextObject(it), NULL);
	OSObject_release(OSOBJ(it));
	s = IOService_waitForService(m, 0);
	KT_EXPECT_EQ(s, nub);
	OSSafeReleaseNULL(s);
	KT_EXPECT_EQ(IOService_waitForService(none, 10 * NSEC_PER_MSEC), NULL);
	KT_EXPECT_TRUE(IOService_terminate(nub, 0));
	KT_EXPECT_EQ(IOService_copyMatchingService(m), NULL);
	OSObject_release(OSOBJ(nub));
	OSObject_release(OSOBJ(m));
	OSObject_release(OSOBJ(none));
	KT_EXPECT_COUNTS_BACK(c);
}

KTEST(IOService, bad_personalities_are_refused_whole)
{
	OSDictionary *good = personality("good", "ktest-bad", 0);
	OSDictionary *bad = OSDictionary_withCapacity(1);
	unsigned before = IOCatalogue_getCount();

	register_test_classes();
	KT_ASSERT_TRUE(good != NULL && bad != NULL);
	set_string(bad, kIOClassKey, "IOTestDriver");	/* no IOProviderClass */
	KT_EXPECT_FALSE(add_drivers(good, bad));
	KT_EXPECT_EQ(IOCatalogue_getCount(), before);
	KT_EXPECT_EQ(IOCatalogue_addDrivers(NULL, false), kIOReturnBadArgument);
}

/* --- kexts: loaded by matching, and a codeless kext's personality ------------------ */

#define ONDEMAND_KEXT	"org.machina.test.OnDemandDriver"
#define ONDEMAND_CLASS	"org_machina_test_OnDemandDriver"

/* Terminate every instance of ONDEMAND_CLASS; how many there were. */
static unsigned
terminate_ondemand(OSDictionary *m)
{
	OSCollectionIterator *it = IOService_getMatchingServices(m);
	OSObject *o;
	unsigned n = 0;

	while (it != NULL && (o = OSCollectionIterator_getNextObject(it)) != NULL)
		n += IOService_terminate((IOService *)o, 0);
	OSSafeReleaseNULL(it);
	return n;
}

KTEST(IOService, matching_loads_a_driver_kext_and_a_codeless_kext_reuses_its_class)
{
	OSDictionary *m = IOService_serviceMatching(ONDEMAND_CLASS, NULL);
	IOService *drv, *second = NULL;
	const OSMetaClass *meta;
	OSCollectionIterator *it;
	OSObject *o;
	char msg[256];

	KT_ASSERT_TRUE(m != NULL);
	if (!initrd_present() || OSMetaClass_lookup(ONDEMAND_CLASS) != NULL) {
		KT_EXPECT_TRUE(initrd_present());	/* the kext must come from the catalog */
		KT_EXPECT_EQ(OSMetaClass_lookup(ONDEMAND_CLASS), NULL);
		OSObject_release(OSOBJ(m));
		return;
	}
	KT_EXPECT_EQ(IOService_publishResource("org.machina.test.Resource", NULL),
	    kIOReturnSuccess);
	meta = OSMetaClass_lookup(ONDEMAND_CLASS);
	KT_ASSERT_TRUE(meta != NULL);
	drv = IOService_copyMatchingService(m);
	KT_ASSERT_TRUE(drv != NULL);
	KT_EXPECT_EQ(IORegistryEntry_getProperty(&drv->sv_entry, "OnDemandStarted"),
	    OSOBJ(kOSBooleanTrue));
	KT_EXPECT_EQ(IOService_getProvider(drv), IOService_getResourceService());
	KT_EXPECT_TRUE(OSString_isEqualToCString(OSDynamicCast(OSString,
	    IORegistryEntry_getProperty(&drv->sv_entry, kIOPersonalityNameKey)), "OnDemand"));
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(meta), 1);
	OSSafeReleaseNULL(drv);

	/* The codeless kext's personality: the class is there, a second instance starts. */
	KT_EXPECT_EQ(IOService_publishResource("org.machina.test.CodelessResource", NULL),
	    kIOReturnSuccess);
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(meta), 2);
	it = IOService_getMatchingServices(m);
	while (it != NULL && (o = OSCollectionIterator_getNextObject(it)) != NULL) {
		OSString *cat = OSDynamicCast(OSString, IORegistryEntry_getProperty(
		    &((IOService *)o)->sv_entry, kIOMatchCategoryKey));

		if (cat != NULL && OSString_isEqualToCString(cat, "org.machina.test.Codeless"))
			second = (IOService *)o;
	}
	KT_EXPECT_TRUE(second != NULL && IOService_isStarted(second));
	OSSafeReleaseNULL(it);

	/* Its instances keep the kext in; once they are terminated it may go. */
	KT_EXPECT_EQ(OSKextUnloadKextWithIdentifier(ONDEMAND_KEXT, 0, msg, sizeof(msg)),
	    KERN_FAILURE);
	KT_EXPECT_TRUE(strstr(msg, ONDEMAND_CLASS) != NULL);
	KT_EXPECT_EQ(terminate_ondemand(m), 2);
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(meta), 0);
	KT_EXPECT_EQ(OSKextUnloadKextWithIdentifier(ONDEMAND_KEXT, 0, msg, sizeof(msg)),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(OSMetaClass_lookup(ONDEMAND_CLASS), NULL);
	IOService_unpublishResource("org.machina.test.Resource");
	IOService_unpublishResource("org.machina.test.CodelessResource");
	OSObject_release(OSOBJ(m));
}
