/*
 * IOUserClient.c - I/O Kit objects named by ports, and the routines of
 * mach/iokit.defs (IOUserClient.h).
 */

#include "iokit/Kernel/IOUserClient.h"

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOReturn.h"
#include "iokit/Kernel/IOService.h"
#include "libkern/OSCollectionIterator.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSMetaClass.h"
#include "libkern/OSSerialize.h"
#include "libkern/OSString.h"
#include "libkern/OSUnserializeXML.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/kern/host.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/vm_map_copy.h"

/* --- objects and their ports ------------------------------------------------------- */

#define IOKIT_PORT_BUCKETS	64

/* One object with a port. [IPC lock] */
struct iokit_port_entry {
	struct iokit_port_entry	*next;
	OSObject		*object;
	ipc_port_t		port;
};

static struct {
	struct iokit_port_entry	*buckets[IOKIT_PORT_BUCKETS];	/* [IPC lock] */
	uint32_t		count;				/* [IPC lock] */
	ipc_port_t		master;				/* [I] */
} iokit_ports;

static struct iokit_port_entry **
iokit_port_slot(const OSObject *obj)
{
	uintptr_t h = (uintptr_t)obj >> 4;

	h ^= h >> 7;
	return &iokit_ports.buckets[h % IOKIT_PORT_BUCKETS];
}

void
IOUserClient_initialize(void)
{
	iokit_ports.master = ipc_kobject_alloc_port((uintptr_t)&iokit_ports, IKOT_MASTER_DEVICE);
	if (iokit_ports.master == IP_NULL)
		panic("IOUserClient_initialize: no memory for the master port");
	host_set_io_master(iokit_ports.master);
}

ipc_port_t
IOUserClient_masterPort(void)
{
	return iokit_ports.master;
}

io_object_t
iokit_lookup_object_port(ipc_port_t port)
{
	OSObject *obj;

	ipc_lock();
	obj = (OSObject *)ipc_kobject_get(port, IKOT_IOKIT_OBJECT);
	if (obj != NULL)
		OSObject_retain(obj);		/* its port holds one: it is alive */
	ipc_unlock();
	return obj;
}

void
iokit_remove_reference(io_object_t obj)
{
	if (obj != NULL)
		OSObject_release(obj);
}

ipc_port_t
iokit_make_object_port(io_object_t obj)
{
	struct iokit_port_entry *fresh, **slot, *e;
	ipc_port_t port = IP_NULL, fresh_port;

	if (obj == NULL)
		return IP_NULL;
	fresh = kalloc(sizeof(*fresh));
	fresh_port = fresh != NULL ? ipc_kobject_alloc_port((uintptr_t)obj, IKOT_IOKIT_OBJECT) :
	    IP_NULL;
	ipc_lock();
	slot = iokit_port_slot(obj);
	for (e = *slot; e != NULL; e = e->next)
		if (e->object == obj)
			break;
	if (e == NULL && fresh_port != IP_NULL) {
		/* The new port keeps the caller's reference. */
		fresh->object = obj;
		fresh->port = fresh_port;
		fresh->next = *slot;
		*slot = fresh;
		iokit_ports.count++;
		e = fresh;
		fresh = NULL;
		fresh_port = IP_NULL;
		obj = NULL;
	}
	if (e != NULL)
		port = ipc_port_make_send(e->port);
	ipc_unlock();
	if (fresh_port != IP_NULL)
		ipc_kobject_destroy_port(fresh_port);
	if (fresh != NULL)
		kfree(fresh, sizeof(*fresh));
	if (obj != NULL)
		OSObject_release(obj);		/* the existing port holds its own */
	return port;
}

void
iokit_no_senders(ipc_port_t port)
{
	OSObject *obj = (OSObject *)port->ip_kobject;
	struct iokit_port_entry **slot, *e;

	/* IPC lock held. */
	ipc_kobject_set(port, 0, IKOT_NONE);
	if (obj == NULL)
		return;
	for (slot = iokit_port_slot(obj); (e = *slot) != NULL; slot = &e->next) {
		if (e->port == port) {
			*slot = e->next;
			iokit_ports.count--;
			kfree(e, sizeof(*e));
			break;
		}
	}
	ipc_port_destroy(port);			/* the kernel's receive right */
	OSObject_release(obj);			/* the port's reference */
}

uint32_t
iokit_object_port_count(void)
{
	uint32_t n;

	ipc_lock();
	n = iokit_ports.count;
	ipc_unlock();
	return n;
}

/* --- argument checks --------------------------------------------------------------- */

static bool
is_master(ipc_port_t port)
{
	return IP_VALID(port) && port == iokit_ports.master;
}

static IORegistryEntry *
as_entry(io_object_t obj)
{
	return obj != NULL ? OSDynamicCast(IORegistryEntry, obj) : NULL;
}

/* A plane by name: "" is none (*plane NULL); an unknown name is false. */
static bool
plane_named(const char *name, const IORegistryPlane **plane)
{
	*plane = NULL;
	if (name == NULL || name[0] == '\0')
		return true;
	*plane = IORegistryEntry_getPlane(name);
	return *plane != NULL;
}

static void
copy_string(char *dst, size_t len, const char *src)
{
	strlcpy(dst, src, len);
}

/* An object's XML as out-of-line data for the reply. */
static kern_return_t
serialize_out(const OSObject *obj, io_buf_ptr_t *out, mach_msg_type_number_t *count)
{
	OSSerialize *s = OSSerialize_withCapacity(4096);
	vm_map_copy_t copy = VM_MAP_COPY_NULL;
	kern_return_t kr;

	*out = NULL;
	*count = 0;
	if (s == NULL)
		return kIOReturnNoMemory;
	if (!OSObject_serialize(obj, s)) {
		OSSafeReleaseNULL(s);
		return kIOReturnUnsupported;
	}
	kr = vm_map_copy_kernel(&copy, OSSerialize_text(s), OSSerialize_getLength(s) + 1);
	if (kr == KERN_SUCCESS) {
		*out = (io_buf_ptr_t)(void *)copy;
		*count = OSSerialize_getLength(s) + 1;
	} else {
		kr = kIOReturnNoMemory;
	}
	OSSafeReleaseNULL(s);
	return kr;
}

/* --- objects ------------------------------------------------------------------------ */

kern_return_t
is_io_object_get_class(io_object_t object, io_name_t className)
{
	if (object == NULL)
		return kIOReturnBadArgument;
	copy_string(className, sizeof(io_name_t), OSObject_getClassName(object));
	return kIOReturnSuccess;
}

kern_return_t
is_io_object_conforms_to(io_object_t object, char *className, boolean_t *conforms)
{
	const OSMetaClass *meta;

	if (object == NULL)
		return kIOReturnBadArgument;
	meta = OSMetaClass_lookup(className);
	*conforms = meta != NULL && OSMetaClass_isSubclassOf(OSTypeIDInst(object), meta);
	return kIOReturnSuccess;
}

kern_return_t
is_io_object_get_retain_count(io_object_t object, int *retainCount)
{
	if (object == NULL)
		return kIOReturnBadArgument;
	/* Less the reference this call holds. */
	*retainCount = OSObject_getRetainCount(object) - 1;
	return kIOReturnSuccess;
}

/* --- iterators ---------------------------------------------------------------------- */

kern_return_t
is_io_iterator_next(io_object_t iterator, io_object_t *object)
{
	IORegistryIterator *ri = iterator != NULL ? OSDynamicCast(IORegistryIterator, iterator) : NULL;
	OSCollectionIterator *ci = iterator != NULL ?
	    OSDynamicCast(OSCollectionIterator, iterator) : NULL;
	OSObject *next;

	if (ri != NULL)
		next = OSOBJ(IORegistryIterator_getNextObject(ri));
	else if (ci != NULL)
		next = OSCollectionIterator_getNextObject(ci);
	else
		return kIOReturnBadArgument;
	if (next == NULL)
		return kIOReturnNoDevice;	/* the end: IOIteratorNext gives 0 */
	OSObject_retain(next);			/* the reply's port takes it */
	*object = next;
	return kIOReturnSuccess;
}

kern_return_t
is_io_iterator_reset(io_object_t iterator)
{
	IORegistryIterator *ri = iterator != NULL ? OSDynamicCast(IORegistryIterator, iterator) : NULL;
	OSCollectionIterator *ci = iterator != NULL ?
	    OSDynamicCast(OSCollectionIterator, iterator) : NULL;

	if (ri != NULL)
		return IORegistryIterator_reset(ri) ? kIOReturnSuccess : kIOReturnNoMemory;
	if (ci != NULL) {
		OSCollectionIterator_reset(ci);
		return kIOReturnSuccess;
	}
	return kIOReturnBadArgument;
}

kern_return_t
is_io_iterator_is_valid(io_object_t iterator, boolean_t *is_valid)
{
	IORegistryIterator *ri = iterator != NULL ? OSDynamicCast(IORegistryIterator, iterator) : NULL;
	OSCollectionIterator *ci = iterator != NULL ?
	    OSDynamicCast(OSCollectionIterator, iterator) : NULL;

	if (ri != NULL)
		*is_valid = IORegistryIterator_isValid(ri);
	else if (ci != NULL)
		*is_valid = OSCollectionIterator_isValid(ci);
	else
		return kIOReturnBadArgument;
	return kIOReturnSuccess;
}

/* --- starting points (the master port) ------------------------------------------------ */

kern_return_t
is_io_service_get_matching_services(ipc_port_t master_port, char *matching,
    io_object_t *existing)
{
	char err[128];
	OSObject *obj;
	OSDictionary *dict;
	OSCollectionIterator *it;
	size_t len;

	if (!is_master(master_port))
		return kIOReturnBadArgument;
	len = strnlen(matching, kIOMatchingXMLMax);
	if (len == 0 || len >= kIOMatchingXMLMax)
		return kIOReturnBadArgument;
	err[0] = '\0';
	obj = OSUnserializeXML(matching, len, err, sizeof(err));
	dict = obj != NULL ? OSDynamicCast(OSDictionary, obj) : NULL;
	if (dict == NULL) {
		IOLog("IOServiceGetMatchingServices: matching is not an XML dictionary%s%s\n",
		    err[0] != '\0' ? ": " : "", err);
		OSSafeReleaseNULL(obj);
		return kIOReturnBadArgument;
	}
	it = IOService_getMatchingServices(dict);
	OSSafeReleaseNULL(obj);
	if (it == NULL)
		return kIOReturnNoMemory;
	*existing = OSOBJ(it);
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_get_root_entry(ipc_port_t master_port, io_object_t *root)
{
	IORegistryEntry *r;

	if (!is_master(master_port))
		return kIOReturnBadArgument;
	r = IORegistryEntry_getRegistryRoot();
	OSObject_retain(OSOBJ(r));
	*root = OSOBJ(r);
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_entry_from_path(ipc_port_t master_port, char *path, io_object_t *registry_entry)
{
	IORegistryEntry *e;

	if (!is_master(master_port))
		return kIOReturnBadArgument;
	e = IORegistryEntry_fromPath(path, NULL);
	if (e == NULL)
		return kIOReturnNotFound;
	*registry_entry = OSOBJ(e);
	return kIOReturnSuccess;
}

static kern_return_t
make_iterator(IORegistryEntry *start, const char *planeName, int options, io_object_t *iterator)
{
	const IORegistryPlane *plane;
	IORegistryIterator *it;

	if (!plane_named(planeName, &plane) || plane == NULL)
		return kIOReturnBadArgument;
	if ((options & ~(kIORegistryIterateRecursively | kIORegistryIterateParents)) != 0)
		return kIOReturnBadArgument;
	it = IORegistryIterator_iterateOver(start, plane, (IOOptionBits)options);
	if (it == NULL)
		return kIOReturnNoMemory;
	*iterator = OSOBJ(it);
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_create_iterator(ipc_port_t master_port, char *plane, int options,
    io_object_t *iterator)
{
	if (!is_master(master_port))
		return kIOReturnBadArgument;
	return make_iterator(IORegistryEntry_getRegistryRoot(), plane, options, iterator);
}

/* --- registry entries ------------------------------------------------------------------ */

kern_return_t
is_io_registry_entry_create_iterator(io_object_t registry_entry, char *plane, int options,
    io_object_t *iterator)
{
	IORegistryEntry *e = as_entry(registry_entry);

	if (e == NULL)
		return kIOReturnBadArgument;
	return make_iterator(e, plane, options, iterator);
}

kern_return_t
is_io_registry_entry_get_child_iterator(io_object_t registry_entry, char *plane,
    io_object_t *iterator)
{
	return is_io_registry_entry_create_iterator(registry_entry, plane, 0, iterator);
}

kern_return_t
is_io_registry_entry_get_parent_iterator(io_object_t registry_entry, char *plane,
    io_object_t *iterator)
{
	return is_io_registry_entry_create_iterator(registry_entry, plane,
	    kIORegistryIterateParents, iterator);
}

kern_return_t
is_io_registry_entry_get_name(io_object_t registry_entry, io_name_t name)
{
	IORegistryEntry *e = as_entry(registry_entry);

	if (e == NULL)
		return kIOReturnBadArgument;
	IORegistryEntry_getName(e, NULL, name, sizeof(io_name_t));
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_entry_get_name_in_plane(io_object_t registry_entry, char *plane, io_name_t name)
{
	IORegistryEntry *e = as_entry(registry_entry);
	const IORegistryPlane *p;

	if (e == NULL || !plane_named(plane, &p))
		return kIOReturnBadArgument;
	IORegistryEntry_getName(e, p, name, sizeof(io_name_t));
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_entry_get_location_in_plane(io_object_t registry_entry, char *plane,
    io_name_t location)
{
	IORegistryEntry *e = as_entry(registry_entry);
	const IORegistryPlane *p;

	if (e == NULL || !plane_named(plane, &p))
		return kIOReturnBadArgument;
	if (!IORegistryEntry_getLocation(e, p, location, sizeof(io_name_t)))
		return kIOReturnNotFound;
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_entry_get_path(io_object_t registry_entry, char *plane, io_string_t path)
{
	IORegistryEntry *e = as_entry(registry_entry);
	const IORegistryPlane *p;

	if (e == NULL || !plane_named(plane, &p) || p == NULL)
		return kIOReturnBadArgument;
	if (!IORegistryEntry_getPath(e, p, path, sizeof(io_string_t)))
		return kIOReturnNotFound;	/* not in that plane (or too long) */
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_entry_in_plane(io_object_t registry_entry, char *plane, boolean_t *inPlane)
{
	IORegistryEntry *e = as_entry(registry_entry);
	const IORegistryPlane *p;

	if (e == NULL || !plane_named(plane, &p) || p == NULL)
		return kIOReturnBadArgument;
	*inPlane = IORegistryEntry_inPlane(e, p);
	return kIOReturnSuccess;
}

kern_return_t
is_io_registry_entry_get_properties(io_object_t registry_entry, io_buf_ptr_t *properties,
    mach_msg_type_number_t *propertiesCnt)
{
	IORegistryEntry *e = as_entry(registry_entry);
	OSDictionary *dict;
	kern_return_t kr;

	if (e == NULL)
		return kIOReturnBadArgument;
	dict = IORegistryEntry_dictionaryWithProperties(e);
	if (dict == NULL)
		return kIOReturnNoMemory;
	kr = serialize_out(OSOBJ(dict), properties, propertiesCnt);
	OSSafeReleaseNULL(dict);
	return kr;
}

kern_return_t
is_io_registry_entry_get_property(io_object_t registry_entry, char *property_name,
    io_buf_ptr_t *properties, mach_msg_type_number_t *propertiesCnt)
{
	IORegistryEntry *e = as_entry(registry_entry);
	OSObject *value;
	kern_return_t kr;

	if (e == NULL)
		return kIOReturnBadArgument;
	value = IORegistryEntry_copyProperty(e, property_name);
	if (value == NULL)
		return kIOReturnNotFound;
	kr = serialize_out(value, properties, propertiesCnt);
	OSSafeReleaseNULL(value);
	return kr;
}

kern_return_t
is_io_registry_entry_get_registry_entry_id(io_object_t registry_entry, uint64_t *entry_id)
{
	IORegistryEntry *e = as_entry(registry_entry);

	if (e == NULL)
		return kIOReturnBadArgument;
	*entry_id = IORegistryEntry_getRegistryEntryID(e);
	return kIOReturnSuccess;
}
