/*
 * IOKit/IOKitLib.h - the I/O Registry, and connections to drivers' user
 * clients, from user space (Apple's IOKitLib names and arguments, without
 * CoreFoundation).
 *
 * An io_object_t is a send right to a kernel port that names one I/O Kit
 * object: a registry entry (io_registry_entry_t, io_service_t) or an
 * iterator (io_iterator_t). Every call that returns one hands the caller
 * a reference, which IOObjectRelease gives back (it is
 * mach_port_deallocate); the kernel's object lives while any task holds
 * a right to it. Calls go to the kernel as messages of mach/iokit.defs
 * (docs/iokit.md, "From user space").
 *
 *	io_iterator_t it;
 *	char *match = IOServiceMatching("IOResources");
 *	if (IOServiceGetMatchingServices(kIOMasterPortDefault, match, &it) == KERN_SUCCESS) {
 *		io_service_t s;
 *		while ((s = IOIteratorNext(it)) != IO_OBJECT_NULL) {
 *			io_name_t name;
 *			IORegistryEntryGetName(s, name);
 *			IOObjectRelease(s);
 *		}
 *		IOObjectRelease(it);
 *	}
 *	free(match);
 *
 * Differences from Apple's, where CoreFoundation would be:
 *   - a matching dictionary is XML property-list text (a C string):
 *     IOServiceMatching and IOServiceNameMatching return one in memory
 *     from malloc, which the caller frees; IOServiceGetMatchingServices
 *     and IOServiceGetMatchingService do not consume it. Text of 4096
 *     bytes or more is refused with kIOReturnBadArgument.
 *   - properties come back as XML text: IORegistryEntryCopyPropertiesXML
 *     and IORegistryEntryCopyPropertyXML give a malloc'd, NUL-terminated
 *     plist (the caller frees it) in place of
 *     IORegistryEntryCreateCFProperties / IORegistryEntryCreateCFProperty.
 *
 * Errors are IOReturn codes (<IOKit/IOReturn.h>): kIOReturnBadArgument
 * for a port that is not an I/O Kit object, an object of the wrong kind
 * (an iterator given as an entry), an unknown plane or malformed matching
 * XML; kIOReturnNotFound for a missing location or property; a Mach error
 * (MACH_SEND_INVALID_DEST) for MACH_PORT_NULL or a dead name.
 *
 * kIOMasterPortDefault (MACH_PORT_NULL) stands for the master port, which
 * the library fetches once (host_get_io_master) and keeps.
 *
 * Connections to a driver's user client (the kernel's IOUserClient):
 *
 *	io_connect_t c;
 *	uint64_t in[2] = { 40, 2 }, sum;
 *	uint32_t n = 1;
 *	if (IOServiceOpen(service, mach_task_self(), 0, &c) == KERN_SUCCESS) {
 *		kr = IOConnectCallScalarMethod(c, 0, in, 2, &sum, &n);
 *		IOServiceClose(c);
 *	}
 *
 * An io_connect_t is a send right to the connection's port, of its own
 * kind: it is refused (kIOReturnBadArgument) where a registry entry is
 * needed, and an entry is refused where a connection is. IOServiceClose
 * ends the connection and releases the right; a task that exits or drops
 * the right without closing has the kernel close it for it. A call
 * carries at most kIOConnectScalarMax scalars each way (more in is
 * kIOReturnBadArgument) and structures of any size: up to
 * kIOConnectStructInbandMax bytes inside the message, larger ones read
 * from or written to the caller's memory in place. The selector, counts
 * and sizes are checked by the kernel against the driver's table:
 * kIOReturnUnsupported for an unknown selector, kIOReturnBadArgument for a
 * count or size the method does not take. *outputCnt and
 * *outputStructCnt give the room on entry and what came back on return.
 */

#ifndef _IOKIT_IOKITLIB_H_
#define _IOKIT_IOKITLIB_H_

#include <stddef.h>
#include <stdint.h>

#include <IOKit/IOReturn.h>
#include <mach/boolean.h>
#include <mach/device_types.h>
#include <mach/kern_return.h>
#include <mach/port.h>

typedef io_object_t	io_iterator_t;
typedef io_object_t	io_registry_entry_t;
typedef io_object_t	io_service_t;
typedef mach_port_t	task_port_t;
typedef uint32_t	IOOptionBits;

#define IO_OBJECT_NULL		((io_object_t)0)
#define kIOMasterPortDefault	((mach_port_t)0)

#define kIOServicePlane		"IOService"
#define kIODeviceTreePlane	"IODeviceTree"

/* IORegistryCreateIterator / IORegistryEntryCreateIterator options. */
#define kIORegistryIterateRecursively	0x00000001
#define kIORegistryIterateParents	0x00000002

/* The master port (a send right of the caller's); bootstrapPort is unused. */
kern_return_t	IOMasterPort(mach_port_t bootstrapPort, mach_port_t *masterPort);

kern_return_t	IOObjectRelease(io_object_t object);
kern_return_t	IOObjectRetain(io_object_t object);
kern_return_t	IOObjectGetClass(io_object_t object, io_name_t className);
boolean_t	IOObjectConformsTo(io_object_t object, const char *className);
/* The kernel object's retain count (0 if object is not an I/O Kit object). */
uint32_t	IOObjectGetRetainCount(io_object_t object);

/* The next object (the caller's), or IO_OBJECT_NULL at the end. */
io_object_t	IOIteratorNext(io_iterator_t iterator);
void		IOIteratorReset(io_iterator_t iterator);
/* False once the registry has changed since the iterator was made or reset. */
boolean_t	IOIteratorIsValid(io_iterator_t iterator);

/* Matching dictionaries as XML text, from malloc (NULL if out of memory). */
char		*IOServiceMatching(const char *className);
char		*IOServiceNameMatching(const char *name);
kern_return_t	IOServiceGetMatchingServices(mach_port_t masterPort, const char *matchingXML,
		    io_iterator_t *existing);
/* The first match, or IO_OBJECT_NULL. */
io_service_t	IOServiceGetMatchingService(mach_port_t masterPort, const char *matchingXML);

io_registry_entry_t IORegistryGetRootEntry(mach_port_t masterPort);
/* "IOService:/IOResources" (a path with its plane), or IO_OBJECT_NULL. */
io_registry_entry_t IORegistryEntryFromPath(mach_port_t masterPort, const char *path);
kern_return_t	IORegistryCreateIterator(mach_port_t masterPort, const char *plane,
		    IOOptionBits options, io_iterator_t *iterator);
kern_return_t	IORegistryEntryCreateIterator(io_registry_entry_t entry, const char *plane,
		    IOOptionBits options, io_iterator_t *iterator);
kern_return_t	IORegistryEntryGetChildIterator(io_registry_entry_t entry, const char *plane,
		    io_iterator_t *iterator);
kern_return_t	IORegistryEntryGetParentIterator(io_registry_entry_t entry, const char *plane,
		    io_iterator_t *iterator);
/* The first parent in plane (the caller's); kIOReturnNoDevice at the root. */
kern_return_t	IORegistryEntryGetParentEntry(io_registry_entry_t entry, const char *plane,
		    io_registry_entry_t *parent);

kern_return_t	IORegistryEntryGetName(io_registry_entry_t entry, io_name_t name);
kern_return_t	IORegistryEntryGetNameInPlane(io_registry_entry_t entry, const char *plane,
		    io_name_t name);
kern_return_t	IORegistryEntryGetLocationInPlane(io_registry_entry_t entry, const char *plane,
		    io_name_t location);
kern_return_t	IORegistryEntryGetPath(io_registry_entry_t entry, const char *plane,
		    io_string_t path);
boolean_t	IORegistryEntryInPlane(io_registry_entry_t entry, const char *plane);
kern_return_t	IORegistryEntryGetRegistryEntryID(io_registry_entry_t entry, uint64_t *entryID);

/* All properties / one, as a malloc'd XML plist of *len bytes (len may be NULL). */
kern_return_t	IORegistryEntryCopyPropertiesXML(io_registry_entry_t entry, char **xml,
		    size_t *len);
kern_return_t	IORegistryEntryCopyPropertyXML(io_registry_entry_t entry, const char *key,
		    char **xml, size_t *len);

/* The interface's bounds (mach/iokit.defs, Apple's values). */
#define kIOConnectScalarMax		16
#define kIOConnectStructInbandMax	4096

/* A connection to service's user client of type for owningTask (mach_task_self()). */
kern_return_t	IOServiceOpen(io_service_t service, task_port_t owningTask, uint32_t type,
		    io_connect_t *connect);
/* Close the connection and release connect (even if the kernel refused the close). */
kern_return_t	IOServiceClose(io_connect_t connect);
/* The service the connection was opened on (the caller's reference). */
kern_return_t	IOConnectGetService(io_connect_t connect, io_service_t *service);

kern_return_t	IOConnectCallMethod(mach_port_t connection, uint32_t selector,
		    const uint64_t *input, uint32_t inputCnt, const void *inputStruct,
		    size_t inputStructCnt, uint64_t *output, uint32_t *outputCnt,
		    void *outputStruct, size_t *outputStructCnt);
kern_return_t	IOConnectCallScalarMethod(mach_port_t connection, uint32_t selector,
		    const uint64_t *input, uint32_t inputCnt, uint64_t *output,
		    uint32_t *outputCnt);
kern_return_t	IOConnectCallStructMethod(mach_port_t connection, uint32_t selector,
		    const void *inputStruct, size_t inputStructCnt, void *outputStruct,
		    size_t *outputStructCnt);

#endif /* _IOKIT_IOKITLIB_H_ */
