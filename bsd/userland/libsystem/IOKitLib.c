/*
 * IOKitLib.c - the I/O Registry and user client connections from user
 * space (IOKit/IOKitLib.h): thin wrappers over the stubs of
 * mach/iokit.defs, plus the matching dictionaries written as XML text.
 */

#include <IOKit/IOKitLib.h>

#include <mach/mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iokit_internal.h"
#include "mach_host_internal.h"

/* The XML plist text the kernel's parser reads, one dictionary of one string. */
#define PLIST_HEAD \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n<dict>\n"
#define PLIST_TAIL "</dict>\n</plist>\n"

/* The master port's name, and the process it is good in (a forked child's space is new). */
static mach_port_t io_master_cached = MACH_PORT_NULL;
static pid_t io_master_pid;

kern_return_t
IOMasterPort(mach_port_t bootstrapPort, mach_port_t *masterPort)
{
	mach_port_t host = mach_host_self();
	kern_return_t kr;

	(void)bootstrapPort;
	if (masterPort == NULL)
		return kIOReturnBadArgument;
	kr = host_get_io_master(host, masterPort);
	mach_port_deallocate(mach_task_self(), host);
	return kr;
}

/* kIOMasterPortDefault stands for the master port, fetched once. */
static mach_port_t
master_port(mach_port_t port)
{
	mach_port_t m;

	if (port != kIOMasterPortDefault)
		return port;
	if (io_master_pid != getpid())
		io_master_cached = MACH_PORT_NULL;
	if (io_master_cached == MACH_PORT_NULL && IOMasterPort(MACH_PORT_NULL, &m) == KERN_SUCCESS) {
		io_master_cached = m;
		io_master_pid = getpid();
	}
	return io_master_cached;
}

kern_return_t
IOObjectRelease(io_object_t object)
{
	return mach_port_deallocate(mach_task_self(), object);
}

kern_return_t
IOObjectRetain(io_object_t object)
{
	return mach_port_mod_refs(mach_task_self(), object, MACH_PORT_RIGHT_SEND, 1);
}

kern_return_t
IOObjectGetClass(io_object_t object, io_name_t className)
{
	return io_object_get_class(object, className);
}

boolean_t
IOObjectConformsTo(io_object_t object, const char *className)
{
	boolean_t conforms = FALSE;

	if (className == NULL || io_object_conforms_to(object, className, &conforms) != KERN_SUCCESS)
		return FALSE;
	return conforms;
}

uint32_t
IOObjectGetRetainCount(io_object_t object)
{
	int count = 0;

	if (io_object_get_retain_count(object, &count) != KERN_SUCCESS || count < 0)
		return 0;
	return (uint32_t)count;
}

io_object_t
IOIteratorNext(io_iterator_t iterator)
{
	io_object_t next = IO_OBJECT_NULL;

	if (io_iterator_next(iterator, &next) != KERN_SUCCESS)
		return IO_OBJECT_NULL;
	return next;
}

void
IOIteratorReset(io_iterator_t iterator)
{
	(void)io_iterator_reset(iterator);
}

boolean_t
IOIteratorIsValid(io_iterator_t iterator)
{
	boolean_t valid = FALSE;

	if (io_iterator_is_valid(iterator, &valid) != KERN_SUCCESS)
		return FALSE;
	return valid;
}

/* A one-string matching dictionary, the value escaped for XML. */
static char *
matching_xml(const char *key, const char *value)
{
	size_t len = strlen(PLIST_HEAD) + strlen(PLIST_TAIL) + strlen(key) + 64;
	char *xml, *p;

	if (value == NULL)
		return NULL;
	len += strlen(value) * 6;		/* &quot; at worst */
	if ((xml = malloc(len)) == NULL)
		return NULL;
	p = xml + sprintf(xml, PLIST_HEAD "\t<key>%s</key>\n\t<string>", key);
	for (const char *s = value; *s != '\0'; s++) {
		switch (*s) {
		case '<': p = stpcpy(p, "&lt;"); break;
		case '>': p = stpcpy(p, "&gt;"); break;
		case '&': p = stpcpy(p, "&amp;"); break;
		case '"': p = stpcpy(p, "&quot;"); break;
		default: *p++ = *s; break;
		}
	}
	strcpy(p, "</string>\n" PLIST_TAIL);
	return xml;
}

char *
IOServiceMatching(const char *className)
{
	return matching_xml("IOProviderClass", className);
}

char *
IOServiceNameMatching(const char *name)
{
	return matching_xml("IONameMatch", name);
}

kern_return_t
IOServiceGetMatchingServices(mach_port_t masterPort, const char *matchingXML,
    io_iterator_t *existing)
{
	if (matchingXML == NULL || existing == NULL || strlen(matchingXML) >= sizeof(io_struct_inband_t))
		return kIOReturnBadArgument;
	*existing = IO_OBJECT_NULL;
	return io_service_get_matching_services(master_port(masterPort), matchingXML, existing);
}

io_service_t
IOServiceGetMatchingService(mach_port_t masterPort, const char *matchingXML)
{
	io_iterator_t it;
	io_service_t s;

	if (IOServiceGetMatchingServices(masterPort, matchingXML, &it) != KERN_SUCCESS)
		return IO_OBJECT_NULL;
	s = IOIteratorNext(it);
	IOObjectRelease(it);
	return s;
}

io_registry_entry_t
IORegistryGetRootEntry(mach_port_t masterPort)
{
	io_object_t root = IO_OBJECT_NULL;

	if (io_registry_get_root_entry(master_port(masterPort), &root) != KERN_SUCCESS)
		return IO_OBJECT_NULL;
	return root;
}

io_registry_entry_t
IORegistryEntryFromPath(mach_port_t masterPort, const char *path)
{
	io_object_t e = IO_OBJECT_NULL;

	if (path == NULL || strlen(path) >= sizeof(io_string_t) ||
	    io_registry_entry_from_path(master_port(masterPort), path, &e) != KERN_SUCCESS)
		return IO_OBJECT_NULL;
	return e;
}

/* A plane or key name must fit io_name_t (the stub would cut it). */
static int
name_ok(const char *s)
{
	return s != NULL && strlen(s) < sizeof(io_name_t);
}

kern_return_t
IORegistryCreateIterator(mach_port_t masterPort, const char *plane, IOOptionBits options,
    io_iterator_t *iterator)
{
	if (!name_ok(plane) || iterator == NULL)
		return kIOReturnBadArgument;
	return io_registry_create_iterator(master_port(masterPort), plane, (int)options, iterator);
}

kern_return_t
IORegistryEntryCreateIterator(io_registry_entry_t entry, const char *plane, IOOptionBits options,
    io_iterator_t *iterator)
{
	if (!name_ok(plane) || iterator == NULL)
		return kIOReturnBadArgument;
	return io_registry_entry_create_iterator(entry, plane, (int)options, iterator);
}

kern_return_t
IORegistryEntryGetChildIterator(io_registry_entry_t entry, const char *plane,
    io_iterator_t *iterator)
{
	if (!name_ok(plane) || iterator == NULL)
		return kIOReturnBadArgument;
	return io_registry_entry_get_child_iterator(entry, plane, iterator);
}

kern_return_t
IORegistryEntryGetParentIterator(io_registry_entry_t entry, const char *plane,
    io_iterator_t *iterator)
{
	if (!name_ok(plane) || iterator == NULL)
		return kIOReturnBadArgument;
	return io_registry_entry_get_parent_iterator(entry, plane, iterator);
}

kern_return_t
IORegistryEntryGetParentEntry(io_registry_entry_t entry, const char *plane,
    io_registry_entry_t *parent)
{
	io_iterator_t it;
	kern_return_t kr;

	if (parent == NULL)
		return kIOReturnBadArgument;
	*parent = IO_OBJECT_NULL;
	kr = IORegistryEntryGetParentIterator(entry, plane, &it);
	if (kr != KERN_SUCCESS)
		return kr;
	*parent = IOIteratorNext(it);
	IOObjectRelease(it);
	return *parent != IO_OBJECT_NULL ? kIOReturnSuccess : kIOReturnNoDevice;
}

kern_return_t
IORegistryEntryGetName(io_registry_entry_t entry, io_name_t name)
{
	return io_registry_entry_get_name(entry, name);
}

kern_return_t
IORegistryEntryGetNameInPlane(io_registry_entry_t entry, const char *plane, io_name_t name)
{
	if (plane == NULL)
		plane = "";
	if (!name_ok(plane))
		return kIOReturnBadArgument;
	return io_registry_entry_get_name_in_plane(entry, plane, name);
}

kern_return_t
IORegistryEntryGetLocationInPlane(io_registry_entry_t entry, const char *plane,
    io_name_t location)
{
	if (plane == NULL)
		plane = "";
	if (!name_ok(plane))
		return kIOReturnBadArgument;
	return io_registry_entry_get_location_in_plane(entry, plane, location);
}

kern_return_t
IORegistryEntryGetPath(io_registry_entry_t entry, const char *plane, io_string_t path)
{
	if (!name_ok(plane))
		return kIOReturnBadArgument;
	return io_registry_entry_get_path(entry, plane, path);
}

boolean_t
IORegistryEntryInPlane(io_registry_entry_t entry, const char *plane)
{
	boolean_t in = FALSE;

	if (!name_ok(plane) || io_registry_entry_in_plane(entry, plane, &in) != KERN_SUCCESS)
		return FALSE;
	return in;
}

kern_return_t
IORegistryEntryGetRegistryEntryID(io_registry_entry_t entry, uint64_t *entryID)
{
	if (entryID == NULL)
		return kIOReturnBadArgument;
	return io_registry_entry_get_registry_entry_id(entry, entryID);
}

/* Out-of-line text from the kernel into malloc'd memory, NUL-terminated. */
static kern_return_t
take_text(kern_return_t kr, io_buf_ptr_t buf, mach_msg_type_number_t count, char **xml,
    size_t *len)
{
	char *copy;

	if (kr != KERN_SUCCESS)
		return kr;
	copy = malloc((size_t)count + 1);
	if (copy != NULL) {
		memcpy(copy, buf, count);
		copy[count] = '\0';
	}
	if (count != 0)
		vm_deallocate(mach_task_self(), (vm_address_t)buf, count);
	if (copy == NULL)
		return kIOReturnNoMemory;
	*xml = copy;
	if (len != NULL)
		*len = strlen(copy);
	return kIOReturnSuccess;
}

kern_return_t
IORegistryEntryCopyPropertiesXML(io_registry_entry_t entry, char **xml, size_t *len)
{
	io_buf_ptr_t buf = NULL;
	mach_msg_type_number_t count = 0;
	kern_return_t kr;

	if (xml == NULL)
		return kIOReturnBadArgument;
	*xml = NULL;
	kr = io_registry_entry_get_properties(entry, &buf, &count);
	return take_text(kr, buf, count, xml, len);
}

kern_return_t
IORegistryEntryCopyPropertyXML(io_registry_entry_t entry, const char *key, char **xml,
    size_t *len)
{
	io_buf_ptr_t buf = NULL;
	mach_msg_type_number_t count = 0;
	kern_return_t kr;

	if (xml == NULL || !name_ok(key))
		return kIOReturnBadArgument;
	*xml = NULL;
	kr = io_registry_entry_get_property(entry, key, &buf, &count);
	return take_text(kr, buf, count, xml, len);
}

/* --- connections to user clients ------------------------------------------------------ */

kern_return_t
IOServiceOpen(io_service_t service, task_port_t owningTask, uint32_t type, io_connect_t *connect)
{
	if (connect == NULL)
		return kIOReturnBadArgument;
	*connect = IO_OBJECT_NULL;
	return io_service_open(service, owningTask, type, connect);
}

kern_return_t
IOServiceClose(io_connect_t connect)
{
	kern_return_t kr = io_service_close(connect);

	/* As Apple's: the caller's right goes whatever the kernel said. */
	(void)IOObjectRelease(connect);
	return kr;
}

kern_return_t
IOConnectGetService(io_connect_t connect, io_service_t *service)
{
	if (service == NULL)
		return kIOReturnBadArgument;
	*service = IO_OBJECT_NULL;
	return io_connect_get_service(connect, service);
}

kern_return_t
IOConnectCallMethod(mach_port_t connection, uint32_t selector, const uint64_t *input,
    uint32_t inputCnt, const void *inputStruct, size_t inputStructCnt, uint64_t *output,
    uint32_t *outputCnt, void *outputStruct, size_t *outputStructCnt)
{
	mach_msg_type_number_t scalar_out = outputCnt != NULL ? *outputCnt : 0;
	mach_msg_type_number_t inband_out = 0, inband_in = 0;
	mach_vm_address_t ool_in = 0, ool_out = 0;
	mach_vm_size_t ool_in_size = 0, ool_out_size = 0;
	size_t room = outputStructCnt != NULL ? *outputStructCnt : 0;
	uint64_t none_in[1] = { 0 }, none_out[1];
	char none_struct[1];
	kern_return_t kr;

	if (inputCnt > kIOConnectScalarMax || (inputCnt != 0 && input == NULL) ||
	    (scalar_out != 0 && output == NULL) || (inputStructCnt != 0 && inputStruct == NULL) ||
	    (room != 0 && outputStruct == NULL))
		return kIOReturnBadArgument;
	if (scalar_out > kIOConnectScalarMax)
		scalar_out = kIOConnectScalarMax;	/* room beyond what any call returns */
	/* Small structures travel in the message, large ones are read in place. */
	if (inputStructCnt <= kIOConnectStructInbandMax) {
		inband_in = (mach_msg_type_number_t)inputStructCnt;
	} else {
		ool_in = (mach_vm_address_t)(uintptr_t)inputStruct;
		ool_in_size = inputStructCnt;
	}
	if (room <= kIOConnectStructInbandMax) {
		inband_out = (mach_msg_type_number_t)room;
	} else {
		ool_out = (mach_vm_address_t)(uintptr_t)outputStruct;
		ool_out_size = room;
	}
	kr = io_connect_method(connection, selector,
	    input != NULL ? (uint64_t *)(uintptr_t)input : none_in, inputCnt,
	    inband_in != 0 ? (char *)(uintptr_t)inputStruct : none_struct, inband_in,
	    ool_in, ool_in_size,
	    inband_out != 0 ? (char *)outputStruct : none_struct, &inband_out,
	    output != NULL ? output : none_out, &scalar_out,
	    ool_out, &ool_out_size);
	if (kr != KERN_SUCCESS)
		return kr;
	if (outputCnt != NULL)
		*outputCnt = scalar_out;
	if (outputStructCnt != NULL)
		*outputStructCnt = ool_out != 0 ? (size_t)ool_out_size : inband_out;
	return kIOReturnSuccess;
}

kern_return_t
IOConnectCallScalarMethod(mach_port_t connection, uint32_t selector, const uint64_t *input,
    uint32_t inputCnt, uint64_t *output, uint32_t *outputCnt)
{
	return IOConnectCallMethod(connection, selector, input, inputCnt, NULL, 0, output,
	    outputCnt, NULL, NULL);
}

kern_return_t
IOConnectCallStructMethod(mach_port_t connection, uint32_t selector, const void *inputStruct,
    size_t inputStructCnt, void *outputStruct, size_t *outputStructCnt)
{
	return IOConnectCallMethod(connection, selector, NULL, 0, inputStruct, inputStructCnt,
	    NULL, NULL, outputStruct, outputStructCnt);
}
