/*
 * IORegistryEntry.c - the I/O Registry's nodes, planes, paths, lookups and
 * iterators.
 *
 * Every entry keeps, per plane, an OSArray of its parents and one of its
 * children (made on first use). The arrays are the links: each retains
 * what it holds, so a link keeps both ends alive. Walks (paths, lookups,
 * snapshots for iterators) run under the registry lock shared; attach and
 * detach take it exclusive. Properties have each entry's own mutex.
 */

#include "iokit/Kernel/IORegistryEntry.h"

#include "libkern/OSAtomic.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/string.h"

#define IOREGISTRY_MAX_DEPTH	64	/* deepest path getPath writes */
#define IOREGISTRY_NAME_MAX	128	/* a name or location read for a path */

static struct {
	lck_grp_t	group;
	lck_rw_t	lock;			/* the registry lock */
	IORegistryEntry	*root;			/* [I] */
	volatile int32_t generation;		/* [a] */
	bool		initialized;
} ioreg_globals;

static const IORegistryPlane ioreg_planes[] = {
	{ kIOServicePlane, 0 },
	{ kIODeviceTreePlane, 1 },
};
const IORegistryPlane *gIOServicePlane = &ioreg_planes[0];
const IORegistryPlane *gIODTPlane = &ioreg_planes[1];

static void	ioreg_entry_free(OSObject *obj);
static void	ioreg_iterator_free(OSObject *obj);

static const struct IORegistryEntry_methods ioreg_entry_methods = {
	.os = { .free = ioreg_entry_free },
};
OSDefineMetaClass(IORegistryEntry, OSObject, &ioreg_entry_methods);

static const struct OSObject_methods ioreg_iterator_methods = {
	.free = ioreg_iterator_free,
};
OSDefineMetaClass(IORegistryIterator, OSObject, &ioreg_iterator_methods);

static void
ioreg_changed(void)
{
	(void)OSIncrementAtomic(&ioreg_globals.generation);
}

/* --- the registry -------------------------------------------------------------- */

void
IORegistryEntry_initialize(void)
{
	IORegistryEntry *root;

	if (ioreg_globals.initialized)
		return;
	if (OSMetaClass_register(&IORegistryEntry_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IORegistryIterator_metaClass) != KERN_SUCCESS)
		panic("IORegistryEntry_initialize: cannot register the registry's classes");
	lck_grp_init(&ioreg_globals.group, "IORegistry", LCK_GRP_ATTR_NULL);
	lck_rw_init(&ioreg_globals.lock, &ioreg_globals.group, LCK_ATTR_NULL);
	root = OSTypeAlloc(IORegistryEntry);
	if (root == NULL || !IORegistryEntry_init(root, NULL) ||
	    !IORegistryEntry_setName(root, "Root", NULL) ||
	    IORegistryEntry_reserveLinks(root, gIOServicePlane, 32) != kIOReturnSuccess ||
	    IORegistryEntry_reserveLinks(root, gIODTPlane, 32) != kIOReturnSuccess)
		panic("IORegistryEntry_initialize: no memory for the root");
	ioreg_globals.root = root;
	ioreg_globals.initialized = true;
}

IORegistryEntry *
IORegistryEntry_getRegistryRoot(void)
{
	return ioreg_globals.root;
}

const IORegistryPlane *
IORegistryEntry_getPlane(const char *name)
{
	for (size_t i = 0; i < sizeof(ioreg_planes) / sizeof(ioreg_planes[0]); i++)
		if (name != NULL && strcmp(ioreg_planes[i].name, name) == 0)
			return &ioreg_planes[i];
	return NULL;
}

uint32_t
IORegistryEntry_getGenerationCount(void)
{
	return (uint32_t)ioreg_globals.generation;
}

/* --- one entry --------------------------------------------------------------------- */

/* The next registry entry ID (Apple's start here). */
static volatile int64_t ioreg_next_id = 0x100000100;

bool
IORegistryEntry_init(IORegistryEntry *e, OSDictionary *dict)
{
	if (e == NULL || e->re_inited)
		return false;
	/* Room to spare: a long-lived entry's table should not grow under a test. */
	e->re_props = dict != NULL ?
	    OSDictionary_withDictionary(dict, OSDictionary_getCount(dict) + 8) :
	    OSDictionary_withCapacity(16);
	if (e->re_props == NULL)
		return false;
	lck_mtx_init(&e->re_lock, &ioreg_globals.group, LCK_ATTR_NULL);
	e->re_id = (uint64_t)OSIncrementAtomic64(&ioreg_next_id);
	e->re_inited = true;
	return true;
}

uint64_t
IORegistryEntry_getRegistryEntryID(IORegistryEntry *e)
{
	return e != NULL ? e->re_id : 0;
}

static void
ioreg_entry_free(OSObject *obj)
{
	IORegistryEntry *e = (IORegistryEntry *)obj;

	for (unsigned i = 0; i < kIORegistryPlaneMax; i++) {
		if ((e->re_parents[i] != NULL && OSArray_getCount(e->re_parents[i]) != 0) ||
		    (e->re_children[i] != NULL && OSArray_getCount(e->re_children[i]) != 0))
			panic("IORegistryEntry: %s freed while linked", OSObject_getClassName(obj));
		OSSafeReleaseNULL(e->re_parents[i]);
		OSSafeReleaseNULL(e->re_children[i]);
	}
	OSSafeReleaseNULL(e->re_props);
	if (e->re_inited)
		lck_mtx_destroy(&e->re_lock, &ioreg_globals.group);
}

OSObject *
IORegistryEntry_getProperty(IORegistryEntry *e, const char *key)
{
	OSObject *o;

	if (e == NULL || key == NULL || !e->re_inited)
		return NULL;
	lck_mtx_lock(&e->re_lock);
	o = OSDictionary_getObject(e->re_props, key);
	lck_mtx_unlock(&e->re_lock);
	return o;
}

OSObject *
IORegistryEntry_getPropertyForKey(IORegistryEntry *e, const OSString *key)
{
	return key != NULL ? IORegistryEntry_getProperty(e, OSString_getCStringNoCopy(key)) : NULL;
}

OSObject *
IORegistryEntry_copyProperty(IORegistryEntry *e, const char *key)
{
	OSObject *o;

	if (e == NULL || key == NULL || !e->re_inited)
		return NULL;
	lck_mtx_lock(&e->re_lock);
	o = OSDictionary_getObject(e->re_props, key);
	if (o != NULL)
		OSObject_retain(o);
	lck_mtx_unlock(&e->re_lock);
	return o;
}

bool
IORegistryEntry_setProperty(IORegistryEntry *e, const char *key, const OSObject *value)
{
	bool ok;

	if (e == NULL || key == NULL || value == NULL || !e->re_inited)
		return false;
	lck_mtx_lock(&e->re_lock);
	ok = OSDictionary_setObject(e->re_props, key, value);
	lck_mtx_unlock(&e->re_lock);
	if (ok)
		ioreg_changed();
	return ok;
}

bool
IORegistryEntry_setPropertyForKey(IORegistryEntry *e, const OSString *key,
    const OSObject *value)
{
	bool ok;

	if (e == NULL || key == NULL || value == NULL || !e->re_inited)
		return false;
	lck_mtx_lock(&e->re_lock);
	ok = OSDictionary_setObjectForKey(e->re_props, key, value);
	lck_mtx_unlock(&e->re_lock);
	if (ok)
		ioreg_changed();
	return ok;
}

void
IORegistryEntry_removeProperty(IORegistryEntry *e, const char *key)
{
	if (e == NULL || key == NULL || !e->re_inited)
		return;
	lck_mtx_lock(&e->re_lock);
	OSDictionary_removeObject(e->re_props, key);
	lck_mtx_unlock(&e->re_lock);
	ioreg_changed();
}

OSDictionary *
IORegistryEntry_dictionaryWithProperties(IORegistryEntry *e)
{
	OSDictionary *d;

	if (e == NULL || !e->re_inited)
		return NULL;
	lck_mtx_lock(&e->re_lock);
	d = OSDictionary_withDictionary(e->re_props, 0);
	lck_mtx_unlock(&e->re_lock);
	return d;
}

/* A string property into buf; false (buf empty) if there is none. */
static bool
ioreg_string_property(IORegistryEntry *e, const char *key, char *buf, size_t len)
{
	OSString *s;
	bool found = false;

	if (len > 0)
		buf[0] = '\0';
	if (e == NULL || !e->re_inited)
		return false;
	lck_mtx_lock(&e->re_lock);
	s = OSDynamicCast(OSString, OSDictionary_getObject(e->re_props, key));
	if (s != NULL) {
		strlcpy(buf, OSString_getCStringNoCopy(s), len);
		found = true;
	}
	lck_mtx_unlock(&e->re_lock);
	return found;
}

static bool
ioreg_set_string(IORegistryEntry *e, const char *key, const char *value)
{
	OSString *s;
	bool ok;

	if (e == NULL || value == NULL)
		return false;
	s = OSString_withCString(value);
	if (s == NULL)
		return false;
	ok = IORegistryEntry_setProperty(e, key, OSOBJ(s));
	OSObject_release(OSOBJ(s));
	return ok;
}

const char *
IORegistryEntry_getName(IORegistryEntry *e, const IORegistryPlane *plane __unused,
    char *buf, size_t len)
{
	if (!ioreg_string_property(e, kIONameKey, buf, len) && e != NULL)
		strlcpy(buf, OSObject_getClassName(OSOBJ(e)), len);
	return buf;
}

bool
IORegistryEntry_setName(IORegistryEntry *e, const char *name,
    const IORegistryPlane *plane __unused)
{
	return ioreg_set_string(e, kIONameKey, name);
}

bool
IORegistryEntry_getLocation(IORegistryEntry *e, const IORegistryPlane *plane __unused,
    char *buf, size_t len)
{
	return ioreg_string_property(e, kIOLocationKey, buf, len);
}

bool
IORegistryEntry_setLocation(IORegistryEntry *e, const char *location,
    const IORegistryPlane *plane __unused)
{
	return ioreg_set_string(e, kIOLocationKey, location);
}

bool
IORegistryEntry_compareName(IORegistryEntry *e, const char *name)
{
	char buf[IOREGISTRY_NAME_MAX];

	return e != NULL && name != NULL &&
	    strcmp(IORegistryEntry_getName(e, NULL, buf, sizeof(buf)), name) == 0;
}

/* --- links ------------------------------------------------------------------------------ */

static bool
ioreg_plane_ok(const IORegistryPlane *plane)
{
	return plane != NULL && plane->index < kIORegistryPlaneMax &&
	    IORegistryEntry_getPlane(plane->name) == plane;
}

/* Whether a is b or one of b's ancestors in the plane. Registry lock held. */
static bool
ioreg_is_ancestor_locked(IORegistryEntry *a, IORegistryEntry *b, unsigned pl)
{
	OSArray *parents;

	if (a == b)
		return true;
	parents = b->re_parents[pl];
	for (uint32_t i = 0; parents != NULL && i < OSArray_getCount(parents); i++)
		if (ioreg_is_ancestor_locked(a, (IORegistryEntry *)OSArray_getObject(parents, i), pl))
			return true;
	return false;
}

static int32_t
ioreg_index_of(OSArray *a, const IORegistryEntry *e)
{
	return a != NULL ? OSArray_getNextIndexOfObject(a, OSCOBJ(e), 0) : -1;
}

IOReturn
IORegistryEntry_attachToParent(IORegistryEntry *e, IORegistryEntry *parent,
    const IORegistryPlane *plane)
{
	unsigned pl;
	IOReturn ret = kIOReturnSuccess;

	if (e == NULL || parent == NULL || !ioreg_plane_ok(plane) ||
	    e == ioreg_globals.root || !e->re_inited)
		return kIOReturnBadArgument;
	pl = plane->index;
	lck_rw_lock_exclusive(&ioreg_globals.lock);
	if (ioreg_index_of(e->re_parents[pl], parent) >= 0)
		goto out;
	if (ioreg_is_ancestor_locked(e, parent, pl)) {
		ret = kIOReturnBadArgument;
		goto out;
	}
	if (e->re_parents[pl] == NULL)
		e->re_parents[pl] = OSArray_withCapacity(1);
	if (parent->re_children[pl] == NULL)
		parent->re_children[pl] = OSArray_withCapacity(2);
	if (e->re_parents[pl] == NULL || parent->re_children[pl] == NULL ||
	    !OSArray_setObject(e->re_parents[pl], OSCOBJ(parent))) {
		ret = kIOReturnNoMemory;
		goto out;
	}
	if (!OSArray_setObject(parent->re_children[pl], OSCOBJ(e))) {
		OSArray_removeObject(e->re_parents[pl], OSArray_getCount(e->re_parents[pl]) - 1);
		ret = kIOReturnNoMemory;
		goto out;
	}
	ioreg_changed();
out:
	lck_rw_unlock_exclusive(&ioreg_globals.lock);
	return ret;
}

/*
 * Unlink e from parent; false if they were not linked. Registry lock held
 * exclusive. The caller holds a reference on both, so the arrays' releases
 * here free neither (a free under the registry lock would be a callout).
 */
static bool
ioreg_unlink_locked(IORegistryEntry *e, IORegistryEntry *parent, unsigned pl)
{
	int32_t pi = ioreg_index_of(e->re_parents[pl], parent);
	int32_t ci = ioreg_index_of(parent->re_children[pl], e);

	if (pi < 0 || ci < 0) {
		if ((pi < 0) != (ci < 0))
			panic("IORegistryEntry: half a link between %s and %s",
			    OSObject_getClassName(OSOBJ(parent)), OSObject_getClassName(OSOBJ(e)));
		return false;
	}
	/* Each end is also held by the caller, so neither is freed here. */
	OSArray_removeObject(e->re_parents[pl], (uint32_t)pi);
	OSArray_removeObject(parent->re_children[pl], (uint32_t)ci);
	ioreg_changed();
	return true;
}

void
IORegistryEntry_detachFromParent(IORegistryEntry *e, IORegistryEntry *parent,
    const IORegistryPlane *plane)
{
	if (e == NULL || parent == NULL || !ioreg_plane_ok(plane))
		return;
	OSObject_retain(OSOBJ(e));
	OSObject_retain(OSOBJ(parent));
	lck_rw_lock_exclusive(&ioreg_globals.lock);
	(void)ioreg_unlink_locked(e, parent, plane->index);
	lck_rw_unlock_exclusive(&ioreg_globals.lock);
	OSObject_release(OSOBJ(parent));
	OSObject_release(OSOBJ(e));
}

void
IORegistryEntry_detachAll(IORegistryEntry *e, const IORegistryPlane *plane)
{
	OSArray *parents, *children;

	parents = IORegistryEntry_copyParents(e, plane);
	children = IORegistryEntry_copyChildren(e, plane);
	for (uint32_t i = 0; parents != NULL && i < OSArray_getCount(parents); i++)
		IORegistryEntry_detachFromParent(e,
		    (IORegistryEntry *)OSArray_getObject(parents, i), plane);
	for (uint32_t i = 0; children != NULL && i < OSArray_getCount(children); i++)
		IORegistryEntry_detachFromParent(
		    (IORegistryEntry *)OSArray_getObject(children, i), e, plane);
	OSSafeReleaseNULL(parents);
	OSSafeReleaseNULL(children);
}

IOReturn
IORegistryEntry_reserveLinks(IORegistryEntry *e, const IORegistryPlane *plane,
    uint32_t children)
{
	unsigned pl;
	IOReturn ret = kIOReturnSuccess;

	if (e == NULL || !ioreg_plane_ok(plane))
		return kIOReturnBadArgument;
	pl = plane->index;
	lck_rw_lock_exclusive(&ioreg_globals.lock);
	if (e->re_parents[pl] == NULL)
		e->re_parents[pl] = OSArray_withCapacity(1);
	if (e->re_children[pl] == NULL)
		e->re_children[pl] = OSArray_withCapacity(children);
	if (e->re_parents[pl] == NULL || e->re_children[pl] == NULL)
		ret = kIOReturnNoMemory;
	lck_rw_unlock_exclusive(&ioreg_globals.lock);
	return ret;
}

bool
IORegistryEntry_inPlane(IORegistryEntry *e, const IORegistryPlane *plane)
{
	bool in;

	if (e == NULL || !ioreg_plane_ok(plane))
		return false;
	if (e == ioreg_globals.root)
		return true;
	lck_rw_lock_shared(&ioreg_globals.lock);
	in = e->re_parents[plane->index] != NULL &&
	    OSArray_getCount(e->re_parents[plane->index]) > 0;
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return in;
}

bool
IORegistryEntry_isParent(IORegistryEntry *e, IORegistryEntry *parent,
    const IORegistryPlane *plane)
{
	bool is;

	if (e == NULL || parent == NULL || !ioreg_plane_ok(plane))
		return false;
	lck_rw_lock_shared(&ioreg_globals.lock);
	is = ioreg_index_of(e->re_parents[plane->index], parent) >= 0;
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return is;
}

static IORegistryEntry *
ioreg_first(IORegistryEntry *e, const IORegistryPlane *plane, bool parent, bool retain)
{
	IORegistryEntry *r = NULL;
	OSArray *a;

	if (e == NULL || !ioreg_plane_ok(plane))
		return NULL;
	lck_rw_lock_shared(&ioreg_globals.lock);
	a = parent ? e->re_parents[plane->index] : e->re_children[plane->index];
	if (a != NULL && OSArray_getCount(a) > 0) {
		r = (IORegistryEntry *)OSArray_getObject(a, 0);
		if (retain)
			OSObject_retain(OSOBJ(r));
	}
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return r;
}

IORegistryEntry *
IORegistryEntry_getParentEntry(IORegistryEntry *e, const IORegistryPlane *plane)
{
	return ioreg_first(e, plane, true, false);
}

IORegistryEntry *
IORegistryEntry_getChildEntry(IORegistryEntry *e, const IORegistryPlane *plane)
{
	return ioreg_first(e, plane, false, false);
}

IORegistryEntry *
IORegistryEntry_copyParentEntry(IORegistryEntry *e, const IORegistryPlane *plane)
{
	return ioreg_first(e, plane, true, true);
}

IORegistryEntry *
IORegistryEntry_copyChildEntry(IORegistryEntry *e, const IORegistryPlane *plane)
{
	return ioreg_first(e, plane, false, true);
}

static OSArray *
ioreg_copy_links(IORegistryEntry *e, const IORegistryPlane *plane, bool parents)
{
	OSArray *copy, *a;

	if (e == NULL || !ioreg_plane_ok(plane))
		return NULL;
	lck_rw_lock_shared(&ioreg_globals.lock);
	a = parents ? e->re_parents[plane->index] : e->re_children[plane->index];
	copy = a != NULL ? OSArray_withArray(a, 0) : OSArray_withCapacity(1);
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return copy;
}

OSArray *
IORegistryEntry_copyChildren(IORegistryEntry *e, const IORegistryPlane *plane)
{
	return ioreg_copy_links(e, plane, false);
}

OSArray *
IORegistryEntry_copyParents(IORegistryEntry *e, const IORegistryPlane *plane)
{
	return ioreg_copy_links(e, plane, true);
}

OSCollectionIterator *
IORegistryEntry_getChildIterator(IORegistryEntry *e, const IORegistryPlane *plane)
{
	OSArray *children = IORegistryEntry_copyChildren(e, plane);
	OSCollectionIterator *it;

	if (children == NULL)
		return NULL;
	it = OSCollectionIterator_withCollection(&children->arr_coll);
	OSObject_release(OSOBJ(children));
	return it;
}

/* --- paths ------------------------------------------------------------------------------------ */

/* "name" or "name@location" into buf. */
static void
ioreg_component(IORegistryEntry *e, char *buf, size_t len)
{
	char loc[IOREGISTRY_NAME_MAX];
	size_t n;

	IORegistryEntry_getName(e, NULL, buf, len);
	if (IORegistryEntry_getLocation(e, NULL, loc, sizeof(loc))) {
		n = strlen(buf);
		snprintf(buf + n, len - n, "@%s", loc);
	}
}

bool
IORegistryEntry_getPath(IORegistryEntry *e, const IORegistryPlane *plane, char *buf, size_t len)
{
	IORegistryEntry *chain[IOREGISTRY_MAX_DEPTH];
	char comp[IOREGISTRY_NAME_MAX * 2];
	unsigned depth = 0;
	size_t used;
	bool ok = true;

	if (buf == NULL || len == 0)
		return false;
	buf[0] = '\0';
	if (e == NULL || !ioreg_plane_ok(plane))
		return false;
	lck_rw_lock_shared(&ioreg_globals.lock);
	for (IORegistryEntry *p = e; p != ioreg_globals.root; ) {
		OSArray *parents = p->re_parents[plane->index];

		if (parents == NULL || OSArray_getCount(parents) == 0 ||
		    depth == IOREGISTRY_MAX_DEPTH) {
			ok = false;
			break;
		}
		chain[depth++] = p;
		p = (IORegistryEntry *)OSArray_getObject(parents, 0);
	}
	if (ok) {
		used = (size_t)snprintf(buf, len, "%s:", plane->name);
		if (depth == 0)
			used += (size_t)snprintf(buf + (used < len ? used : len - 1),
			    used < len ? len - used : 1, "/");
		while (depth > 0 && used < len) {
			ioreg_component(chain[--depth], comp, sizeof(comp));
			used += (size_t)snprintf(buf + used, len - used, "/%s", comp);
		}
		ok = used < len;
	}
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return ok;
}

/* The child of e in plane whose component is comp (name@location, or name alone). */
static IORegistryEntry *
ioreg_child_named_locked(IORegistryEntry *e, unsigned pl, const char *comp, size_t clen)
{
	OSArray *children = e->re_children[pl];
	char have[IOREGISTRY_NAME_MAX * 2];
	bool with_location = memchr(comp, '@', clen) != NULL;

	for (uint32_t i = 0; children != NULL && i < OSArray_getCount(children); i++) {
		IORegistryEntry *c = (IORegistryEntry *)OSArray_getObject(children, i);

		if (with_location)
			ioreg_component(c, have, sizeof(have));
		else
			IORegistryEntry_getName(c, NULL, have, sizeof(have));
		if (strlen(have) == clen && memcmp(have, comp, clen) == 0)
			return c;
	}
	return NULL;
}

IORegistryEntry *
IORegistryEntry_fromPath(const char *path, const IORegistryPlane *plane)
{
	const char *colon, *p, *end;
	IORegistryEntry *e;

	if (path == NULL || !ioreg_globals.initialized)
		return NULL;
	colon = strchr(path, ':');
	if (colon != NULL) {
		char pname[kIOMaxPlaneName];
		size_t n = (size_t)(colon - path);

		if (n >= sizeof(pname))
			return NULL;
		memcpy(pname, path, n);
		pname[n] = '\0';
		plane = IORegistryEntry_getPlane(pname);
		path = colon + 1;
	} else if (plane == NULL) {
		plane = gIOServicePlane;
	}
	if (!ioreg_plane_ok(plane))
		return NULL;
	lck_rw_lock_shared(&ioreg_globals.lock);
	e = ioreg_globals.root;
	for (p = path; e != NULL && *p != '\0'; p = end) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		e = ioreg_child_named_locked(e, plane->index, p, (size_t)(end - p));
	}
	if (e != NULL)
		OSObject_retain(OSOBJ(e));
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return e;
}

/* --- lookups ------------------------------------------------------------------------------------- */

typedef bool (*ioreg_test_fn)(IORegistryEntry *e, const void *a, const void *b);

/* Depth first below e, parents before children: the first that passes. */
static IORegistryEntry *
ioreg_search_locked(IORegistryEntry *e, unsigned pl, ioreg_test_fn fn, const void *a,
    const void *b, unsigned depth)
{
	OSArray *children = e->re_children[pl];
	IORegistryEntry *found;

	if (depth > IOREGISTRY_MAX_DEPTH)
		return NULL;
	for (uint32_t i = 0; children != NULL && i < OSArray_getCount(children); i++) {
		IORegistryEntry *c = (IORegistryEntry *)OSArray_getObject(children, i);

		if (fn(c, a, b))
			return c;
		found = ioreg_search_locked(c, pl, fn, a, b, depth + 1);
		if (found != NULL)
			return found;
	}
	return NULL;
}

static IORegistryEntry *
ioreg_search(const IORegistryPlane *plane, ioreg_test_fn fn, const void *a, const void *b)
{
	IORegistryEntry *found;

	if (!ioreg_plane_ok(plane) || !ioreg_globals.initialized)
		return NULL;
	lck_rw_lock_shared(&ioreg_globals.lock);
	found = ioreg_search_locked(ioreg_globals.root, plane->index, fn, a, b, 0);
	if (found != NULL)
		OSObject_retain(OSOBJ(found));
	lck_rw_unlock_shared(&ioreg_globals.lock);
	return found;
}

static bool
ioreg_has_name(IORegistryEntry *e, const void *name, const void *unused __unused)
{
	return IORegistryEntry_compareName(e, name);
}

static bool
ioreg_of_class(IORegistryEntry *e, const void *meta, const void *unused __unused)
{
	return OSMetaClass_isSubclassOf(OSTypeIDInst(e), meta);
}

static bool
ioreg_has_property(IORegistryEntry *e, const void *key, const void *value)
{
	OSObject *o = IORegistryEntry_copyProperty(e, key);
	bool eq = o != NULL && OSObject_isEqualTo(o, value);

	OSSafeReleaseNULL(o);
	return eq;
}

IORegistryEntry *
IORegistryEntry_copyEntryWithName(const IORegistryPlane *plane, const char *name)
{
	return name != NULL ? ioreg_search(plane, ioreg_has_name, name, NULL) : NULL;
}

IORegistryEntry *
IORegistryEntry_copyEntryOfClass(const IORegistryPlane *plane, const OSMetaClass *meta)
{
	return meta != NULL ? ioreg_search(plane, ioreg_of_class, meta, NULL) : NULL;
}

IORegistryEntry *
IORegistryEntry_copyEntryWithProperty(const IORegistryPlane *plane, const char *key,
    const OSObject *value)
{
	return key != NULL && value != NULL ?
	    ioreg_search(plane, ioreg_has_property, key, value) : NULL;
}

/* --- IORegistryIterator ------------------------------------------------------------------------- */

static void
ioreg_iterator_free(OSObject *obj)
{
	IORegistryIterator *it = (IORegistryIterator *)obj;

	OSSafeReleaseNULL(it->ri_entries);
	OSSafeReleaseNULL(it->ri_root);
}

/* Append e's children (parents), and with recursion theirs, to out. */
static bool
ioreg_collect_locked(IORegistryEntry *e, unsigned pl, IOOptionBits options, OSArray *out,
    unsigned depth)
{
	OSArray *a = (options & kIORegistryIterateParents) ? e->re_parents[pl] :
	    e->re_children[pl];

	if (depth > IOREGISTRY_MAX_DEPTH)
		return true;
	for (uint32_t i = 0; a != NULL && i < OSArray_getCount(a); i++) {
		IORegistryEntry *c = (IORegistryEntry *)OSArray_getObject(a, i);

		/* An entry reached twice (several parents) is listed once. */
		if (OSArray_getNextIndexOfObject(out, OSCOBJ(c), 0) >= 0)
			continue;
		if (!OSArray_setObject(out, OSCOBJ(c)))
			return false;
		if ((options & kIORegistryIterateRecursively) &&
		    !ioreg_collect_locked(c, pl, options, out, depth + 1))
			return false;
	}
	return true;
}

bool
IORegistryIterator_reset(IORegistryIterator *it)
{
	OSArray *snap;
	bool ok;

	if (it == NULL)
		return false;
	snap = OSArray_withCapacity(8);
	if (snap == NULL)
		return false;
	lck_rw_lock_shared(&ioreg_globals.lock);
	it->ri_generation = IORegistryEntry_getGenerationCount();
	ok = ioreg_collect_locked(it->ri_root, it->ri_plane->index, it->ri_options, snap, 0);
	lck_rw_unlock_shared(&ioreg_globals.lock);
	if (!ok) {
		OSObject_release(OSOBJ(snap));
		return false;
	}
	OSSafeReleaseNULL(it->ri_entries);
	it->ri_entries = snap;
	it->ri_next = 0;
	return true;
}

IORegistryIterator *
IORegistryIterator_iterateOver(IORegistryEntry *start, const IORegistryPlane *plane,
    IOOptionBits options)
{
	IORegistryIterator *it;

	if (start == NULL || !ioreg_plane_ok(plane))
		return NULL;
	it = OSTypeAlloc(IORegistryIterator);
	if (it == NULL)
		return NULL;
	OSObject_retain(OSOBJ(start));
	it->ri_root = start;
	it->ri_plane = plane;
	it->ri_options = options;
	if (!IORegistryIterator_reset(it))
		OSSafeReleaseNULL(it);
	return it;
}

IORegistryEntry *
IORegistryIterator_getNextObject(IORegistryIterator *it)
{
	if (it == NULL || it->ri_entries == NULL ||
	    it->ri_next >= OSArray_getCount(it->ri_entries))
		return NULL;
	return (IORegistryEntry *)OSArray_getObject(it->ri_entries, it->ri_next++);
}

bool
IORegistryIterator_isValid(IORegistryIterator *it)
{
	return it != NULL && it->ri_generation == IORegistryEntry_getGenerationCount();
}
