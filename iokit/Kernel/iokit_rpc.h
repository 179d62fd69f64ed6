/*
 * iokit_rpc.h - the I/O Kit seen from user space: registry entries,
 * iterators and connections named by ports, and the kernel's half of
 * mach/iokit.defs (XNU keeps these in osfmk/device/iokit_rpc.c and
 * IOUserClient.cpp; the user client class itself is IOUserClient.h).
 *
 * An I/O Kit object a task holds is a kernel port of kind
 * IKOT_IOKIT_OBJECT whose kernel object is the OSObject (an
 * IORegistryEntry, an IORegistryIterator or an OSCollectionIterator).
 * The port is made on demand, the first time the object is handed to user
 * space, and there is at most one per object: a table maps objects to
 * their ports. The port holds one reference on the object; when the last
 * send right to it goes (no-senders), the port dies, leaves the table and
 * drops that reference. A task's send right therefore keeps the object
 * alive, and IOObjectRelease in user space is mach_port_deallocate.
 *
 * A connection (io_service_open) is a port of another kind,
 * IKOT_IOKIT_CONNECT, whose kernel object is the IOUserClient; the client
 * keeps its one connection port in uc_port, and the port holds one
 * reference on it. When the last send right goes, the port dies and
 * hands its reference to the reaper, a kernel thread that calls the
 * client's clientDied if there was no io_service_close (the task died, or
 * deallocated the name) and then drops the reference, with no lock held:
 * a user client's free is driver code. Connection ports are not object
 * ports: each conversion refuses the other's (the routine sees NULL).
 *
 * The master port (IKOT_MASTER_DEVICE) is one kernel port, made by
 * iokit_rpc_initialize and given out by host_get_io_master; the calls
 * that start from nothing (the root, matching, a path, a plane iterator)
 * are sent to it.
 *
 * Every is_io_* routine checks its arguments: a port that is not an I/O
 * Kit object reaches the routine as NULL (kIOReturnBadArgument), so does
 * an object of the wrong kind (an iterator where an entry is needed); an
 * unknown plane is kIOReturnBadArgument, a missing name, location or
 * property kIOReturnNotFound, malformed matching XML kIOReturnBadArgument
 * (logged with IOLog, with the parser's message). A call on a connection
 * that was closed is kIOReturnNotOpen, on one whose service has gone
 * kIOReturnNotAttached. Nothing panics on input.
 *
 * Invariants
 *   - an object is in the table iff it has a live IKOT_IOKIT_OBJECT port,
 *     whose ip_kobject is the object and which holds one reference on it;
 *   - a user client's uc_port is its live IKOT_IOKIT_CONNECT port, which
 *     holds one reference on it, or IP_NULL;
 *   - a client on the reaper's list holds the reference its port had;
 *   - the master port never dies.
 *
 * Locks: the table, uc_port and the reaper's list are covered by the IPC
 * lock (they change only when a port is made or loses its last sender,
 * both under that lock). The reference a dying object port held is
 * dropped with the IPC lock held; the IPC lock is above every other
 * sleeping lock (docs/locking.md), so the registry and property locks an
 * entry's free may take are in order. clientDied, and a user client's
 * last release, run in the reaper with no lock held. The is_io_* routines run without the IPC lock and take
 * the registry's locks through IORegistryEntry's calls.
 */

#ifndef IOKIT_KERNEL_IOKIT_RPC_H
#define IOKIT_KERNEL_IOKIT_RPC_H

#include <stdint.h>

#include "mach/device_types.h"
#include "mach/ipc/ipc_types.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"
#include "mach/message.h"
#include "mach/vm_types.h"

/* Bytes of matching XML the interface carries inline (with the NUL). */
#define kIOMatchingXMLMax	4096

/* iokit_rpc_initialize: the master port and the reaper. Once, from IOKitInitialize. */
void		iokit_rpc_initialize(void);

/* The master port (the kernel's receive right; never IP_NULL after init). */
ipc_port_t	iokit_master_port(void);

/* --- the conversions mach/iokit.defs names (XNU's) ------------------------------- */

/*
 * iokit_lookup_object_port: the object behind an IKOT_IOKIT_OBJECT port,
 * retained; NULL for any other port. iokit_remove_reference drops it.
 */
io_object_t	iokit_lookup_object_port(ipc_port_t port);
void		iokit_remove_reference(io_object_t obj);
/*
 * iokit_make_object_port: a send right to obj's port (made if it has
 * none), consuming the caller's reference on obj. IP_NULL for NULL or if
 * memory ran out (the reference is dropped then too).
 */
ipc_port_t	iokit_make_object_port(io_object_t obj);
/* iokit_no_senders: the last send right to port went (IPC lock held). */
void		iokit_no_senders(ipc_port_t port);
/* How many objects have ports now (for the tests). */
uint32_t	iokit_object_port_count(void);

/*
 * iokit_lookup_connect_port: the user client behind an IKOT_IOKIT_CONNECT
 * port, retained; NULL for any other port. iokit_remove_connect_reference
 * drops it. iokit_make_connect_port: a send right to the client's
 * connection port (made if it has none), consuming the caller's
 * reference; IP_NULL for NULL or if memory ran out.
 */
io_connect_t	iokit_lookup_connect_port(ipc_port_t port);
void		iokit_remove_connect_reference(io_connect_t obj);
ipc_port_t	iokit_make_connect_port(io_connect_t obj);
/* How many connection ports are alive, and clients awaiting clientDied (for the tests). */
uint32_t	iokit_connect_port_count(void);
uint32_t	iokit_reaper_pending(void);

/* --- the routines of mach/iokit.defs --------------------------------------------- */

kern_return_t	is_io_object_get_class(io_object_t object, io_name_t className);
kern_return_t	is_io_object_conforms_to(io_object_t object, char *className,
		    boolean_t *conforms);
kern_return_t	is_io_iterator_next(io_object_t iterator, io_object_t *object);
kern_return_t	is_io_iterator_reset(io_object_t iterator);
kern_return_t	is_io_iterator_is_valid(io_object_t iterator, boolean_t *is_valid);
kern_return_t	is_io_service_get_matching_services(ipc_port_t master_port, char *matching,
		    io_object_t *existing);
kern_return_t	is_io_registry_get_root_entry(ipc_port_t master_port, io_object_t *root);
kern_return_t	is_io_registry_entry_from_path(ipc_port_t master_port, char *path,
		    io_object_t *registry_entry);
kern_return_t	is_io_registry_create_iterator(ipc_port_t master_port, char *plane,
		    int options, io_object_t *iterator);
kern_return_t	is_io_registry_entry_create_iterator(io_object_t registry_entry, char *plane,
		    int options, io_object_t *iterator);
kern_return_t	is_io_registry_entry_get_name(io_object_t registry_entry, io_name_t name);
kern_return_t	is_io_registry_entry_get_name_in_plane(io_object_t registry_entry,
		    char *plane, io_name_t name);
kern_return_t	is_io_registry_entry_get_location_in_plane(io_object_t registry_entry,
		    char *plane, io_name_t location);
kern_return_t	is_io_registry_entry_get_path(io_object_t registry_entry, char *plane,
		    io_string_t path);
kern_return_t	is_io_registry_entry_in_plane(io_object_t registry_entry, char *plane,
		    boolean_t *inPlane);
kern_return_t	is_io_registry_entry_get_properties(io_object_t registry_entry,
		    io_buf_ptr_t *properties, mach_msg_type_number_t *propertiesCnt);
kern_return_t	is_io_registry_entry_get_property(io_object_t registry_entry,
		    char *property_name, io_buf_ptr_t *properties,
		    mach_msg_type_number_t *propertiesCnt);
kern_return_t	is_io_registry_entry_get_child_iterator(io_object_t registry_entry,
		    char *plane, io_object_t *iterator);
kern_return_t	is_io_registry_entry_get_parent_iterator(io_object_t registry_entry,
		    char *plane, io_object_t *iterator);
kern_return_t	is_io_object_get_retain_count(io_object_t object, int *retainCount);
kern_return_t	is_io_registry_entry_get_registry_entry_id(io_object_t registry_entry,
		    uint64_t *entry_id);
kern_return_t	is_io_service_open(io_object_t service, task_t owningTask, uint32_t connect_type,
		    io_connect_t *connection);
kern_return_t	is_io_service_close(io_connect_t connection);
kern_return_t	is_io_connect_get_service(io_connect_t connection, io_object_t *service);
kern_return_t	is_io_connect_method(io_connect_t connection, uint32_t selector,
		    io_scalar_inband64_t scalar_input, mach_msg_type_number_t scalar_inputCnt,
		    io_struct_inband_t inband_input, mach_msg_type_number_t inband_inputCnt,
		    mach_vm_address_t ool_input, mach_vm_size_t ool_input_size,
		    io_struct_inband_t inband_output, mach_msg_type_number_t *inband_outputCnt,
		    io_scalar_inband64_t scalar_output, mach_msg_type_number_t *scalar_outputCnt,
		    mach_vm_address_t ool_output, mach_vm_size_t *ool_output_size);

#endif /* IOKIT_KERNEL_IOKIT_RPC_H */
