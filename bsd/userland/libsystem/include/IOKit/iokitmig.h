/*
 * IOKit/iokitmig.h - the calls of mach/iokit.defs as messages (Apple's
 * iokitmig.h): what IOKitLib is made of. Each sends one request to an
 * I/O Kit object's port (or the master port) and returns the kernel's
 * IOReturn, or a Mach error if the message could not be sent
 * (MACH_SEND_INVALID_DEST for MACH_PORT_NULL or a dead name).
 * io_buf_ptr_t results are out-of-line memory the caller frees with
 * vm_deallocate.
 */

#ifndef _IOKIT_IOKITMIG_H_
#define _IOKIT_IOKITMIG_H_

#include <mach/boolean.h>
#include <mach/device_types.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>
#include <stdint.h>

/* 2800 */
kern_return_t
io_object_get_class(
	io_object_t object,
	io_name_t className);

/* 2801 */
kern_return_t
io_object_conforms_to(
	io_object_t object,
	const char *className,
	boolean_t *conforms);

/* 2802 */
kern_return_t
io_iterator_next(
	io_object_t iterator,
	io_object_t *object);

/* 2803 */
kern_return_t
io_iterator_reset(
	io_object_t iterator);

/* 2804 */
kern_return_t
io_service_get_matching_services(
	mach_port_t master_port,
	const char *matching,
	io_object_t *existing);

/* 2805 */
kern_return_t
io_registry_entry_get_property(
	io_object_t registry_entry,
	const char *property_name,
	io_buf_ptr_t *properties,
	mach_msg_type_number_t *propertiesCnt);

/* 2806 */
kern_return_t
io_registry_create_iterator(
	mach_port_t master_port,
	const char *plane,
	int options,
	io_object_t *iterator);

/* 2809 */
kern_return_t
io_registry_entry_from_path(
	mach_port_t master_port,
	const char *path,
	io_object_t *registry_entry);

/* 2810 */
kern_return_t
io_registry_entry_get_name(
	io_object_t registry_entry,
	io_name_t name);

/* 2811 */
kern_return_t
io_registry_entry_get_properties(
	io_object_t registry_entry,
	io_buf_ptr_t *properties,
	mach_msg_type_number_t *propertiesCnt);

/* 2813 */
kern_return_t
io_registry_entry_get_child_iterator(
	io_object_t registry_entry,
	const char *plane,
	io_object_t *iterator);

/* 2814 */
kern_return_t
io_registry_entry_get_parent_iterator(
	io_object_t registry_entry,
	const char *plane,
	io_object_t *iterator);

/* 2826 */
kern_return_t
io_registry_entry_get_path(
	io_object_t registry_entry,
	const char *plane,
	io_string_t path);

/* 2827 */
kern_return_t
io_registry_get_root_entry(
	mach_port_t master_port,
	io_object_t *root);

/* 2829 */
kern_return_t
io_registry_entry_in_plane(
	io_object_t registry_entry,
	const char *plane,
	boolean_t *inPlane);

/* 2830 */
kern_return_t
io_object_get_retain_count(
	io_object_t object,
	int *retainCount);

/* 2833 */
kern_return_t
io_registry_entry_create_iterator(
	io_object_t registry_entry,
	const char *plane,
	int options,
	io_object_t *iterator);

/* 2834 */
kern_return_t
io_iterator_is_valid(
	io_object_t iterator,
	boolean_t *is_valid);

/* 2843 */
kern_return_t
io_registry_entry_get_name_in_plane(
	io_object_t registry_entry,
	const char *plane,
	io_name_t name);

/* 2854 */
kern_return_t
io_registry_entry_get_location_in_plane(
	io_object_t registry_entry,
	const char *plane,
	io_name_t location);

/* 2815 */
kern_return_t
io_service_open(
	io_object_t service,
	mach_port_t owningTask,
	uint32_t connect_type,
	io_connect_t *connection);

/* 2816 */
kern_return_t
io_service_close(
	io_connect_t connection);

/* 2817 */
kern_return_t
io_connect_get_service(
	io_connect_t connection,
	io_object_t *service);

/*
 * 2865: scalars (at most 16 each way) and inline structures (at most
 * 4096 bytes each way) as counted arrays; ool_input / ool_output name a
 * larger structure in the caller's memory (address and size, 0 for none).
 * The out counts say, on entry, how much room there is.
 */
kern_return_t
io_connect_method(
	io_connect_t connection,
	uint32_t selector,
	io_scalar_inband64_t scalar_input,
	mach_msg_type_number_t scalar_inputCnt,
	io_struct_inband_t inband_input,
	mach_msg_type_number_t inband_inputCnt,
	uint64_t ool_input,
	uint64_t ool_input_size,
	io_struct_inband_t inband_output,
	mach_msg_type_number_t *inband_outputCnt,
	io_scalar_inband64_t scalar_output,
	mach_msg_type_number_t *scalar_outputCnt,
	uint64_t ool_output,
	uint64_t *ool_output_size);

/* 2871 */
kern_return_t
io_registry_entry_get_registry_entry_id(
	io_object_t registry_entry,
	uint64_t *entry_id);

#endif /* _IOKIT_IOKITMIG_H_ */
