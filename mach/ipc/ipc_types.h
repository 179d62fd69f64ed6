/*
 * ipc_types.h - the handle types of Mach IPC, for headers that name each
 * other's objects without including each other.
 */

#ifndef MACH_IPC_IPC_TYPES_H
#define MACH_IPC_IPC_TYPES_H

#include <stdint.h>

#include "mach/port.h"

struct ipc_object;
struct ipc_port;
struct ipc_pset;
struct ipc_space;
struct ipc_kmsg;

typedef struct ipc_object	*ipc_object_t;
typedef struct ipc_port		*ipc_port_t;
typedef struct ipc_pset		*ipc_pset_t;
typedef struct ipc_space	*ipc_space_t;
typedef struct ipc_kmsg		*ipc_kmsg_t;

#define IO_NULL		((ipc_object_t)0)
#define IP_NULL		((ipc_port_t)0)
#define IPS_NULL	((ipc_pset_t)0)
#define IS_NULL		((ipc_space_t)0)
#define IKM_NULL	((ipc_kmsg_t)0)

/*
 * A right the kernel holds rather than a name in a space (in a message in
 * transit, or as a task's bootstrap port): a port pointer that may also be
 * IP_DEAD, a right whose port died. IP_VALID says it names a live-or-dead port.
 */
#define IP_DEAD		((ipc_port_t)~(uintptr_t)0)
#define IO_DEAD		((ipc_object_t)~(uintptr_t)0)
#define IP_VALID(port)	((port) != IP_NULL && (port) != IP_DEAD)
#define IO_VALID(obj)	((obj) != IO_NULL && (obj) != IO_DEAD)

#endif /* MACH_IPC_IPC_TYPES_H */
