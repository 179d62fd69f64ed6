/*
 * mach_types.h - the handle and address types Mach interfaces are written
 * in (XNU's mach/mach_types.h, cut down to what Machina's .defs use).
 *
 * One name, two meanings, as in XNU: in user space a task_t, thread_t,
 * host_t, ... is a port name (mach_port_t) for the object; inside the
 * kernel it is the object itself (struct task *), which a kernel server's
 * generated stub gets from the request's port through an intran function
 * (convert_port_to_task and friends, named in mach/mach_types.defs).
 *
 * Shared by the kernel and user space (installed into libsystem's headers).
 */

#ifndef MACH_MACH_TYPES_H
#define MACH_MACH_TYPES_H

#include <stdint.h>

#include "mach/port.h"
#include "mach/std_types.h"
#include "mach/vm_inherit.h"
#include "mach/vm_prot.h"

#ifdef KERNEL
#include "mach/kern/kern_types.h"
#include "mach/vm_types.h"

struct host;
struct ipc_space;

typedef struct host		*host_t;
typedef struct host		*host_priv_t;
typedef struct ipc_space	*ipc_space_t;
typedef thread_t		thread_act_t;
#else
typedef mach_port_t	task_t;
typedef mach_port_t	thread_t;
typedef mach_port_t	thread_act_t;
typedef mach_port_t	host_t;
typedef mach_port_t	host_priv_t;
typedef mach_port_t	ipc_space_t;
typedef mach_port_t	vm_map_t;
typedef mach_port_t	semaphore_t;

typedef uintptr_t	vm_offset_t;
typedef uintptr_t	vm_address_t;
typedef uintptr_t	vm_size_t;
typedef uint64_t	mach_vm_address_t;
typedef uint64_t	mach_vm_size_t;
typedef uint64_t	mach_vm_offset_t;
typedef uint64_t	memory_object_offset_t;
typedef uint64_t	memory_object_size_t;
#endif

/* Flavored information, as arrays of words (the *_COUNT of each flavor). */
typedef natural_t	task_flavor_t;
typedef integer_t	*task_info_t;
typedef natural_t	task_policy_flavor_t;
typedef integer_t	*task_policy_t;
typedef natural_t	thread_flavor_t;
typedef integer_t	*thread_info_t;
typedef int		thread_state_flavor_t;
typedef natural_t	*thread_state_t;
typedef natural_t	thread_policy_flavor_t;
typedef integer_t	*thread_policy_t;
typedef integer_t	host_flavor_t;
typedef integer_t	*host_info_t;
typedef int		vm_region_flavor_t;
typedef int		*vm_region_info_t;
typedef int		vm_behavior_t;
typedef char		kernel_version_t[512];

typedef task_t		*task_array_t;
typedef thread_act_t	*thread_act_array_t;
typedef thread_t	*thread_array_t;
typedef mach_port_t	mem_entry_name_port_t;
typedef mach_port_t	mach_port_poly_t;
typedef vm_offset_t	pointer_t;


#endif /* MACH_MACH_TYPES_H */
