/*
 * IORegistryEntry_test.c - the registry over the real kernel: properties,
 * names and locations, links in two planes, paths both ways, lookups,
 * iterators and the generation count. Each test builds a small tree under
 * the root, takes it down again and checks that no entry outlives it.
 */

#include "iokit/Kernel/IORegistryEntry.h"

#include "libkern/OSBoolean.h"
#include "libkern/OSNumber.h"
#include "tests/ktest.h"

static IORegistryEntry *
entry_named(const char *name, const char *location)
{
	IORegistryEntry *e = OSTypeAlloc(IORegistryEntry);

	if (e == NULL)
		return NULL;
	if (!IORegistryEntry_init(e, NULL) || !IORegistryEntry_setName(e, name, NULL) ||
	    (location != NULL && !IORegistryEntry_setLocation(e, location, NULL)))
		OSSafeReleaseNULL(e);
	return e;
}

KTEST(IORegistryEntry, the_root_is_named_Root_in_every_plane)
{
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();
	char buf[kIORegistryPathMax];

	KT_ASSERT_TRUE(root != NULL);
	KT_EXPECT_STREQ(IORegistryEntry_getName(root, NULL, buf, sizeof(buf)), "Root");
	KT_EXPECT_TRUE(IORegistryEntry_getPath(root, gIOServicePlane, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "IOService:/");
	KT_EXPECT_TRUE(IORegistryEntry_getPath(root, gIODTPlane, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "IODeviceTree:/");
	KT_EXPECT_EQ(IORegistryEntry_getPlane("IODeviceTree"), gIODTPlane);
	KT_EXPECT_EQ(IORegistryEntry_getPlane("NoSuchPlane"), NULL);
	KT_EXPECT_EQ(IORegistryEntry_getParentEntry(root, gIOServicePlane), NULL);
}

KTEST(IORegistryEntry, properties_are_set_read_copied_and_removed)
{
	IORegistryEntry *e = entry_named("props", NULL);
	OSNumber *n = OSNumber_withNumber(7, 32);
	OSString *key = OSString_withCString("string-key");
	uint32_t gen;
	OSObject *o;
	char buf[64];

	KT_ASSERT_TRUE(e != NULL && n != NULL && key != NULL);
	gen = IORegistryEntry_getGenerationCount();
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(e, "number", OSOBJ(n)));
	KT_EXPECT_NE(IORegistryEntry_getGenerationCount(), gen);
	KT_EXPECT_EQ(IORegistryEntry_getProperty(e, "number"), OSOBJ(n));
	KT_EXPECT_TRUE(IORegistryEntry_setPropertyForKey(e, key, OSOBJ(kOSBooleanTrue)));
	KT_EXPECT_EQ(IORegistryEntry_getPropertyForKey(e, key), OSOBJ(kOSBooleanTrue));
	KT_EXPECT_EQ(IORegistryEntry_getProperty(e, "string-key"), OSOBJ(kOSBooleanTrue));
	o = IORegistryEntry_copyProperty(e, "number");
	KT_EXPECT_EQ(o, OSOBJ(n));
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(n)), 3);
	OSSafeReleaseNULL(o);
	gen = IORegistryEntry_getGenerationCount();
	IORegistryEntry_removeProperty(e, "number");
	KT_EXPECT_NE(IORegistryEntry_getGenerationCount(), gen);
	KT_EXPECT_EQ(IORegistryEntry_getProperty(e, "number"), NULL);
	KT_EXPECT_FALSE(IORegistryEntry_setProperty(e, "null", NULL));
	KT_EXPECT_FALSE(IORegistryEntry_getLocation(e, NULL, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "");
	KT_EXPECT_TRUE(IORegistryEntry_compareName(e, "props"));
	KT_EXPECT_FALSE(IORegistryEntry_compareName(e, "prop"));
	OSObject_release(OSOBJ(key));
	OSObject_release(OSOBJ(n));
	OSObject_release(OSOBJ(e));
}

KTEST(IORegistryEntry, an_unnamed_entry_is_called_by_its_class)
{
	IORegistryEntry *e = OSTypeAlloc(IORegistryEntry);
	char buf[64];

	KT_ASSERT_TRUE(e != NULL && IORegistryEntry_init(e, NULL));
	KT_EXPECT_STREQ(IORegistryEntry_getName(e, NULL, buf, sizeof(buf)), "IORegistryEntry");
	KT_EXPECT_FALSE(IORegistryEntry_init(e, NULL));	/* twice: refused */
	OSObject_release(OSOBJ(e));
}

/*
 * Root
 *   IOService plane:    bus@1 -> dev@2, dev@3 -> leaf
 *   IODeviceTree plane: bus@1 -> leaf
 */
struct tree {
	IORegistryEntry	*bus, *dev2, *dev3, *leaf;
};

static bool
tree_build(struct tree *t)
{
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();

	t->bus = entry_named("ktest-bus", "1");
	t->dev2 = entry_named("dev", "2");
	t->dev3 = entry_named("dev", "3");
	t->leaf = entry_named("leaf", NULL);
	if (t->bus == NULL || t->dev2 == NULL || t->dev3 == NULL || t->leaf == NULL)
		return false;
	return IORegistryEntry_attachToParent(t->bus, root, gIOServicePlane) == kIOReturnSuccess &&
	    IORegistryEntry_attachToParent(t->dev2, t->bus, gIOServicePlane) == kIOReturnSuccess &&
	    IORegistryEntry_attachToParent(t->dev3, t->bus, gIOServicePlane) == kIOReturnSuccess &&
	    IORegistryEntry_attachToParent(t->leaf, t->dev3, gIOServicePlane) == kIOReturnSuccess &&
	    IORegistryEntry_attachToParent(t->bus, root, gIODTPlane) == kIOReturnSuccess &&
	    IORegistryEntry_attachToParent(t->leaf, t->bus, gIODTPlane) == kIOReturnSuccess;
}

static void
tree_free(struct tree *t)
{
	IORegistryEntry *all[] = { t->leaf, t->dev3, t->dev2, t->bus };

	for (unsigned i = 0; i < nitems(all); i++) {
		if (all[i] == NULL)
			continue;
		IORegistryEntry_detachAll(all[i], gIOServicePlane);
		IORegistryEntry_detachAll(all[i], gIODTPlane);
		KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(all[i])), 1);
		OSObject_release(OSOBJ(all[i]));
	}
}

KTEST(IORegistryEntry, links_in_two_planes)
{
	int32_t entries = OSMetaClass_getInstanceCount(OSTypeID(IORegistryEntry));
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();
	struct tree t = { 0 };
	OSArray *children;

	KT_EXPECT_TRUE(tree_build(&t));
	KT_EXPECT_EQ(IORegistryEntry_getParentEntry(t.leaf, gIOServicePlane), t.dev3);
	KT_EXPECT_EQ(IORegistryEntry_getParentEntry(t.leaf, gIODTPlane), t.bus);
	KT_EXPECT_EQ(IORegistryEntry_getChildEntry(t.bus, gIOServicePlane), t.dev2);
	KT_EXPECT_TRUE(IORegistryEntry_isParent(t.dev2, t.bus, gIOServicePlane));
	KT_EXPECT_FALSE(IORegistryEntry_isParent(t.dev2, t.bus, gIODTPlane));
	KT_EXPECT_TRUE(IORegistryEntry_inPlane(t.dev2, gIOServicePlane));
	KT_EXPECT_FALSE(IORegistryEntry_inPlane(t.dev2, gIODTPlane));
	children = IORegistryEntry_copyChildren(t.bus, gIOServicePlane);
	KT_EXPECT_TRUE(children != NULL && OSArray_getCount(children) == 2);
	OSSafeReleaseNULL(children);

	/* Twice is once; a cycle and the root as a child are refused. */
	KT_EXPECT_EQ(IORegistryEntry_attachToParent(t.dev2, t.bus, gIOServicePlane),
	    kIOReturnSuccess);
	KT_EXPECT_EQ(IORegistryEntry_attachToParent(t.bus, t.leaf, gIOServicePlane),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(IORegistryEntry_attachToParent(t.bus, t.bus, gIOServicePlane),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(IORegistryEntry_attachToParent(root, t.bus, gIOServicePlane),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(IORegistryEntry_attachToParent(t.bus, root, NULL), kIOReturnBadArgument);

	IORegistryEntry_detachFromParent(t.dev2, t.bus, gIOServicePlane);
	KT_EXPECT_FALSE(IORegistryEntry_inPlane(t.dev2, gIOServicePlane));
	KT_EXPECT_EQ(IORegistryEntry_getChildEntry(t.bus, gIOServicePlane), t.dev3);
	tree_free(&t);
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IORegistryEntry)), entries);
}

KTEST(IORegistryEntry, paths_both_ways)
{
	struct tree t = { 0 };
	IORegistryEntry *e;
	char buf[kIORegistryPathMax];

	KT_EXPECT_TRUE(tree_build(&t));
	KT_EXPECT_TRUE(IORegistryEntry_getPath(t.leaf, gIOServicePlane, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "IOService:/ktest-bus@1/dev@3/leaf");
	KT_EXPECT_TRUE(IORegistryEntry_getPath(t.leaf, gIODTPlane, buf, sizeof(buf)));
	KT_EXPECT_STREQ(buf, "IODeviceTree:/ktest-bus@1/leaf");
	KT_EXPECT_FALSE(IORegistryEntry_getPath(t.dev2, gIODTPlane, buf, sizeof(buf)));
	KT_EXPECT_FALSE(IORegistryEntry_getPath(t.leaf, gIOServicePlane, buf, 12));

	e = IORegistryEntry_fromPath("IOService:/ktest-bus@1/dev@3/leaf", NULL);
	KT_EXPECT_EQ(e, t.leaf);
	OSSafeReleaseNULL(e);
	e = IORegistryEntry_fromPath("/ktest-bus/dev@2", gIOServicePlane);
	KT_EXPECT_EQ(e, t.dev2);
	OSSafeReleaseNULL(e);
	e = IORegistryEntry_fromPath("IOService:/ktest-bus/dev", NULL);
	KT_EXPECT_EQ(e, t.dev2);	/* no location: the first of that name */
	OSSafeReleaseNULL(e);
	e = IORegistryEntry_fromPath("IODeviceTree:/ktest-bus@1/leaf", NULL);
	KT_EXPECT_EQ(e, t.leaf);
	OSSafeReleaseNULL(e);
	e = IORegistryEntry_fromPath("IOService:/", NULL);
	KT_EXPECT_EQ(e, IORegistryEntry_getRegistryRoot());
	OSSafeReleaseNULL(e);
	KT_EXPECT_EQ(IORegistryEntry_fromPath("IOService:/ktest-bus@2", NULL), NULL);
	KT_EXPECT_EQ(IORegistryEntry_fromPath("IODeviceTree:/ktest-bus/dev@2", NULL), NULL);
	KT_EXPECT_EQ(IORegistryEntry_fromPath("NoPlane:/ktest-bus", NULL), NULL);
	tree_free(&t);
}

KTEST(IORegistryEntry, lookups_by_name_class_and_property)
{
	struct tree t = { 0 };
	OSNumber *n = OSNumber_withNumber(0x1234, 32), *other = OSNumber_withNumber(1, 32);
	IORegistryEntry *e;

	KT_ASSERT_TRUE(n != NULL && other != NULL);
	KT_EXPECT_TRUE(tree_build(&t));
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(t.dev3, "ktest-id", OSOBJ(n)));
	e = IORegistryEntry_copyEntryWithName(gIOServicePlane, "leaf");
	KT_EXPECT_EQ(e, t.leaf);
	OSSafeReleaseNULL(e);
	e = IORegistryEntry_copyEntryWithProperty(gIOServicePlane, "ktest-id", OSOBJ(n));
	KT_EXPECT_EQ(e, t.dev3);
	OSSafeReleaseNULL(e);
	KT_EXPECT_EQ(IORegistryEntry_copyEntryWithProperty(gIOServicePlane, "ktest-id",
	    OSOBJ(other)), NULL);
	KT_EXPECT_EQ(IORegistryEntry_copyEntryWithProperty(gIODTPlane, "ktest-id", OSOBJ(n)),
	    NULL);
	KT_EXPECT_EQ(IORegistryEntry_copyEntryWithName(gIOServicePlane, "no-such-entry"), NULL);
	e = IORegistryEntry_copyEntryOfClass(gIODTPlane, OSTypeID(IORegistryEntry));
	KT_EXPECT_TRUE(e != NULL);
	OSSafeReleaseNULL(e);
	KT_EXPECT_EQ(IORegistryEntry_copyEntryOfClass(gIODTPlane, OSTypeID(OSString)), NULL);
	tree_free(&t);
	OSObject_release(OSOBJ(n));
	OSObject_release(OSOBJ(other));
}

KTEST(IORegistryEntry, iterators_walk_children_or_the_whole_subtree)
{
	struct tree t = { 0 };
	IORegistryIterator *it;
	OSCollectionIterator *ci;
	unsigned n;

	KT_EXPECT_TRUE(tree_build(&t));
	it = IORegistryIterator_iterateOver(t.bus, gIOServicePlane, 0);
	KT_ASSERT_TRUE(it != NULL);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.dev2);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.dev3);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), NULL);
	KT_EXPECT_TRUE(IORegistryIterator_isValid(it));
	OSObject_release(OSOBJ(it));

	it = IORegistryIterator_iterateOver(t.bus, gIOServicePlane,
	    kIORegistryIterateRecursively);
	KT_ASSERT_TRUE(it != NULL);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.dev2);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.dev3);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.leaf);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), NULL);
	/* A change makes it stale; reset takes a new snapshot. */
	IORegistryEntry_detachFromParent(t.dev2, t.bus, gIOServicePlane);
	KT_EXPECT_FALSE(IORegistryIterator_isValid(it));
	KT_EXPECT_TRUE(IORegistryIterator_reset(it));
	KT_EXPECT_TRUE(IORegistryIterator_isValid(it));
	for (n = 0; IORegistryIterator_getNextObject(it) != NULL; n++)
		;
	KT_EXPECT_EQ(n, 2);
	OSObject_release(OSOBJ(it));

	it = IORegistryIterator_iterateOver(t.leaf, gIOServicePlane,
	    kIORegistryIterateParents | kIORegistryIterateRecursively);
	KT_ASSERT_TRUE(it != NULL);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.dev3);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), t.bus);
	KT_EXPECT_EQ(IORegistryIterator_getNextObject(it), IORegistryEntry_getRegistryRoot());
	OSObject_release(OSOBJ(it));

	ci = IORegistryEntry_getChildIterator(t.dev3, gIOServicePlane);
	KT_ASSERT_TRUE(ci != NULL);
	KT_EXPECT_EQ(OSCollectionIterator_getNextObject(ci), OSOBJ(t.leaf));
	KT_EXPECT_EQ(OSCollectionIterator_getNextObject(ci), NULL);
	OSObject_release(OSOBJ(ci));
	tree_free(&t);
}
