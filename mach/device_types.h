/*
 * device_types.h - the types of the I/O Kit interface (mach/iokit.defs),
 * shared by the kernel and user space (XNU's device/device_types.h).
 *
 * io_object_t names an I/O Kit object: in user space a send right to the
 * object's port, in the kernel the OSObject itself (a registry entry or
 * an iterator), which the interface's intran conversion hands the routine
 * with a reference held. The fixed-size strings are the interface's
 * bounds: io_name_t for names, classes, planes and locations; io_string_t
 * for paths; io_struct_inband_t for text that travels inline (a matching
 * dictionary as XML, or a user client call's structure); io_buf_ptr_t for
 * text that travels out of line (a property table as XML);
 * io_scalar_inband64_t for a user client call's scalars. io_connect_t
 * names a connection to a user client: a send right to its port in user
 * space, the IOUserClient in the kernel.
 */

#ifndef _MACH_DEVICE_TYPES_H_
#define _MACH_DEVICE_TYPES_H_

#include <stdint.h>

#include "mach/port.h"

typedef char		io_name_t[128];
typedef char		io_string_t[512];
typedef char		io_struct_inband_t[4096];
typedef char		*io_buf_ptr_t;
typedef uint64_t	io_scalar_inband64_t[16];

#ifdef KERNEL
struct OSObject;
typedef struct OSObject	*io_object_t;
typedef struct OSObject	*io_connect_t;	/* an IOUserClient */
typedef struct ipc_port	*io_master_t;
#else
typedef mach_port_t	io_object_t;
typedef mach_port_t	io_connect_t;
typedef mach_port_t	io_master_t;
#endif

#endif /* _MACH_DEVICE_TYPES_H_ */
