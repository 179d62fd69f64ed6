/*
 * iokit_rpc.c - I/O Kit objects and connections named by ports, and the
 * routines of mach/iokit.defs (iokit_rpc.h).
 */

#include "iokit/Kernel/iokit_rpc.h"

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOReturn.h"
#include "iokit/Kernel/IOService.h"
#include "iokit/Kernel/IOUserClient.h"
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
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
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
	uint32_t		connects;			/* [IPC lock] live connection ports */
	ipc_port_t		master;				/* [I] */
	/* Clients whose connection died unclosed, each with its port's reference. */
	IOUserClient		*reaper_list;			/* [IPC lock] by uc_reapNext */
	uint32_t		reaper_pending;			/* [IPC lock] on the list or being reaped */
	thread_t		reaper;				/* [I] */
} iokit_ports;

static struct iokit_port_entry **
iokit_port_slot(const OSObject *obj)
{
	uintptr_t h = (uintptr_t)obj >> 4;

	h ^= h >> 7;
	return &iokit_ports.buckets[h % IOKIT_PORT_BUCKETS];
}

static void iokit_reaper_thread(void *param, wait_result_t wresult);

void
iokit_rpc_initialize(void)
{
	iokit_ports.master = ipc_kobject_alloc_port((uintptr_t)&iokit_ports, IKOT_MASTER_DEVICE);
	if (iokit_ports.master == IP_NULL)
		panic("iokit_rpc_initialize: no memory for the master port");
	if (kernel_thread_create(iokit_reaper_thread, NULL, BASEPRI_KERNEL, &iokit_ports.reaper) !=
	    KERN_SUCCESS)
		panic("iokit_rpc_initialize: no memory for the user client reaper");
	thread_set_name(iokit_ports.reaper, "IOUserClient reaper");
	thread_start(iokit_ports.reaper);
	host_set_io_master(iokit_ports.master);
}

ipc_port_t
iokit_master_port(void)
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

static void iokit_connect_no_senders(ipc_port_t port);

void
iokit_no_senders(ipc_port_t port)
{
	OSObject *obj = (OSObject *)port->ip_kobject;
	struct iokit_port_entry **slot, *e;

	/* IPC lock held. */
	if (ip_kotype(port) == IKOT_IOKIT_CONNECT) {
		iokit_connect_no_senders(port);
		return;
	}
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

/* --- connections and their ports ----------------------------------------------------- */

static IOUserClient *
as_client(io_connect_t obj)
{
	return obj != NULL ? OSDynamicCast(IOUserClient, obj) : NULL;
}

io_connect_t
iokit_lookup_connect_port(ipc_port_t port)
{
	OSObject *obj;

	ipc_lock();
	obj = (OSObject *)ipc_kobject_get(port, IKOT_IOKIT_CONNECT);
	if (obj != NULL)
		OSObject_retain(obj);		/* its port holds one: it is alive */
	ipc_unlock();
	return obj;
}

void
iokit_remove_connect_reference(io_connect_t obj)
{
	if (obj != NULL)
		OSObject_release(obj);
}

ipc_port_t
iokit_make_connect_port(io_connect_t obj)
{
	IOUserClient *uc = as_client(obj);
	ipc_port_t port = IP_NULL, fresh = IP_NULL;

	if (uc == NULL) {
		if (obj != NULL)
			OSObject_release(obj);
		return IP_NULL;
	}
	ipc_lock();
	if (uc->uc_port == IP_NULL) {
		ipc_unlock();
		fresh = ipc_kobject_alloc_port((uintptr_t)uc, IKOT_IOKIT_CONNECT);
		ipc_lock();
		if (uc->uc_port == IP_NULL && fresh != IP_NULL) {
			/* The new port keeps the caller's reference. */
			uc->uc_port = fresh;
			iokit_ports.connects++;
			fresh = IP_NULL;
			obj = NULL;
		}
	}
	if (uc->uc_port != IP_NULL)
		port = ipc_port_make_send(uc->uc_port);
	ipc_unlock();
	if (fresh != IP_NULL)
		ipc_kobject_destroy_port(fresh);
	if (obj != NULL)
		OSObject_release(obj);		/* the existing port holds its own */
	return port;
}

/*
 * The last send right to a connection went: the port dies, and the
 * client goes to the reaper with the port's reference, for clientDied if
 * it was never closed and for the release. Not released here: a user
 * client's free is driver code, which may well release ports of its own
 * (and so take the IPC lock). IPC lock held.
 */
static void
iokit_connect_no_senders(ipc_port_t port)
{
	IOUserClient *uc = (IOUserClient *)port->ip_kobject;

	ipc_kobject_set(port, 0, IKOT_NONE);
	ipc_port_destroy(port);			/* the kernel's receive right */
	if (uc == NULL)
		return;
	uc->uc_port = IP_NULL;
	iokit_ports.connects--;
	uc->uc_reapNext = iokit_ports.reaper_list;
	iokit_ports.reaper_list = uc;
	iokit_ports.reaper_pending++;
	ipc_wakeup(&iokit_ports.reaper_list);
}

/*
 * The reaper: for each client whose connection port died, clientDied if
 * it was never closed (closeOnce does nothing for one that was), then
 * the port's reference.
 */
static void
iokit_reaper_thread(void *param __unused, wait_result_t wresult __unused)
{
	IOUserClient *uc;

	ipc_lock();
	for (;;) {
		uc = iokit_ports.reaper_list;
		if (uc == NULL) {
			(void)ipc_sleep(&iokit_ports.reaper_list, 0);
			continue;
		}
		iokit_ports.reaper_list = uc->uc_reapNext;
		uc->uc_reapNext = NULL;
		ipc_unlock();
		/* No lock held: the client's methods may do anything a method may. */
		(void)IOUserClient_closeOnce(uc, true);
		OSObject_release(OSOBJ(uc));
		ipc_lock();
		iokit_ports.reaper_pending--;
	}
}

uint32_t
iokit_connect_port_count(void)
{
	uint32_t n;

	ipc_lock();
	n = iokit_ports.connects;
	ipc_unlock();
	return n;
}

uint32_t
iokit_reaper_pending(void)
{
	uint32_t n;

	ipc_lock();
	n = iokit_ports.reaper_pending;
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

/* --- connections --------------------------------------------------------------------- */

kern_return_t
is_io_service_open(io_object_t service, task_t owningTask, uint32_t connect_type,
    io_connect_t *connection)
{
	IOService *s = service != NULL ? OSDynamicCast(IOService, service) : NULL;
	IOUserClient *uc = NULL;
	IOReturn ret;

	if (s == NULL || owningTask == TASK_NULL)
		return kIOReturnBadArgument;
	/* As XNU: the task is its own security token. */
	ret = IOService_newUserClient(s, owningTask, owningTask, connect_type, NULL, &uc);
	if (ret != kIOReturnSuccess)
		return ret;
	*connection = OSOBJ(uc);		/* the reply's port takes the reference */
	return kIOReturnSuccess;
}

kern_return_t
is_io_service_close(io_connect_t connection)
{
	IOUserClient *uc = as_client(connection);

	if (uc == NULL)
		return kIOReturnBadArgument;
	/* As XNU: what clientClose returns is the driver's business. */
	if (IOUserClient_closeOnce(uc, false) == kIOReturnNotOpen)
		return kIOReturnNotOpen;
	return kIOReturnSuccess;
}

kern_return_t
is_io_connect_get_service(io_connect_t connection, io_object_t *service)
{
	IOUserClient *uc = as_client(connection);
	IOService *provider;

	if (uc == NULL)
		return kIOReturnBadArgument;
	if (IOUserClient_isClosed(uc))
		return kIOReturnNotOpen;
	provider = IOService_getProvider(&uc->uc_service);
	if (provider == NULL)
		return kIOReturnNotAttached;
	OSObject_retain(OSOBJ(provider));	/* the reply's port takes it */
	*service = OSOBJ(provider);
	return kIOReturnSuccess;
}

/* The caller's memory [address, address + size) as a descriptor; NULL if it is not all there. */
static IOMemoryDescriptor *
user_range(mach_vm_address_t address, mach_vm_size_t size, IODirection direction)
{
	if (address == 0 || size == 0 || size > kIOUCStructOOLMax)
		return NULL;
	return IOMemoryDescriptor_withAddressRange(address, size, direction, current_task());
}

/*
 * Fill in args from the request: scalars copied to aligned storage, an
 * inline structure or a descriptor over the caller's memory each way.
 */
static IOReturn
method_arguments(IOExternalMethodArguments *args, uint64_t *scalars_in,
    io_scalar_inband64_t scalar_input, mach_msg_type_number_t scalar_inputCnt,
    io_struct_inband_t inband_input, mach_msg_type_number_t inband_inputCnt,
    mach_vm_address_t ool_input, mach_vm_size_t ool_input_size,
    mach_vm_address_t ool_output, mach_vm_size_t ool_output_size)
{
	if (scalar_inputCnt > kIOUCScalarMax || inband_inputCnt > kIOUCStructInbandMax)
		return kIOReturnBadArgument;
	if (ool_input_size != 0 && inband_inputCnt != 0)
		return kIOReturnBadArgument;	/* one way or the other, not both */
	memcpy(scalars_in, scalar_input, scalar_inputCnt * sizeof(uint64_t));
	args->scalarInput = scalars_in;
	args->scalarInputCount = scalar_inputCnt;
	args->structureInput = inband_inputCnt != 0 ? inband_input : NULL;
	args->structureInputSize = inband_inputCnt;
	if (ool_input_size != 0) {
		args->structureInputDescriptor = user_range(ool_input, ool_input_size,
		    kIODirectionOut);
		if (args->structureInputDescriptor == NULL)
			return kIOReturnBadArgument;
	}
	if (ool_output_size != 0) {
		args->structureOutputDescriptor = user_range(ool_output, ool_output_size,
		    kIODirectionIn);
		if (args->structureOutputDescriptor == NULL)
			return kIOReturnBadArgument;
		args->structureOutputDescriptorSize = (uint32_t)ool_output_size;
	}
	return kIOReturnSuccess;
}

kern_return_t
is_io_connect_method(io_connect_t connection, uint32_t selector,
    io_scalar_inband64_t scalar_input, mach_msg_type_number_t scalar_inputCnt,
    io_struct_inband_t inband_input, mach_msg_type_number_t inband_inputCnt,
    mach_vm_address_t ool_input, mach_vm_size_t ool_input_size,
    io_struct_inband_t inband_output, mach_msg_type_number_t *inband_outputCnt,
    io_scalar_inband64_t scalar_output, mach_msg_type_number_t *scalar_outputCnt,
    mach_vm_address_t ool_output, mach_vm_size_t *ool_output_size)
{
	IOUserClient *uc = as_client(connection);
	IOExternalMethodArguments args;
	uint64_t scalars_in[kIOUCScalarMax], scalars_out[kIOUCScalarMax];
	IOReturn ret;

	if (uc == NULL)
		return kIOReturnBadArgument;
	if (IOUserClient_isClosed(uc))
		return kIOReturnNotOpen;
	if (IOService_isInactive(&uc->uc_service))
		return kIOReturnNotAttached;
	if (*scalar_outputCnt > kIOUCScalarMax || *inband_outputCnt > kIOUCStructInbandMax)
		return kIOReturnBadArgument;
	memset(&args, 0, sizeof(args));
	args.version = kIOExternalMethodArgumentsCurrentVersion;
	args.selector = selector;
	ret = method_arguments(&args, scalars_in, scalar_input, scalar_inputCnt, inband_input,
	    inband_inputCnt, ool_input, ool_input_size, ool_output, *ool_output_size);
	if (ret != kIOReturnSuccess)
		goto out;
	memset(scalars_out, 0, sizeof(scalars_out));
	args.scalarOutput = scalars_out;
	args.scalarOutputCount = *scalar_outputCnt;
	args.structureOutput = *inband_outputCnt != 0 ? inband_output : NULL;
	args.structureOutputSize = *inband_outputCnt;

	ret = IOUserClient_externalMethod(uc, selector, &args, NULL, NULL, NULL);
	if (ret != kIOReturnSuccess)
		goto out;
	/* What the method says it produced, never more than there was room for. */
	if (args.scalarOutputCount > *scalar_outputCnt ||
	    args.structureOutputSize > *inband_outputCnt ||
	    (args.structureOutputDescriptor != NULL &&
	    args.structureOutputDescriptorSize > *ool_output_size)) {
		ret = kIOReturnOverrun;
		goto out;
	}
	memcpy(scalar_output, scalars_out, args.scalarOutputCount * sizeof(uint64_t));
	*scalar_outputCnt = args.scalarOutputCount;
	*inband_outputCnt = args.structureOutputSize;
	*ool_output_size = args.structureOutputDescriptor != NULL ?
	    args.structureOutputDescriptorSize : 0;
out:
	OSSafeReleaseNULL(args.structureInputDescriptor);
	OSSafeReleaseNULL(args.structureOutputDescriptor);
	return ret;
}
