/*
 * kernel_server_env.h - what a kernel server generated from the kernel's
 * .defs calls besides its own routines: the conversions between ports and
 * kernel objects named by mach/mach_types.defs (intran, outtran,
 * destructor), and the kernel's own sending for KernelUser stubs. Mach IPC
 * will provide them; test_mig_defs.c compiles the generated code against
 * these declarations, forced in front.
 */

#ifndef TESTS_UNIT_MIG_KERNEL_SERVER_ENV_H
#define TESTS_UNIT_MIG_KERNEL_SERVER_ENV_H

#include "mach/device_types.h"
#include "mach/mach_types.h"
#include "mach/message.h"

task_t		convert_port_to_task(mach_port_t port);
mach_port_t	convert_task_to_port(task_t task);
void		task_deallocate(task_t task);
thread_t	convert_port_to_thread(mach_port_t port);
mach_port_t	convert_thread_to_port(thread_t thread);
void		thread_deallocate(thread_t thread);
host_t		convert_port_to_host(mach_port_t port);
mach_port_t	convert_host_to_port(host_t host);
host_priv_t	convert_port_to_host_priv(mach_port_t port);
ipc_space_t	convert_port_to_space(mach_port_t port);
void		space_deallocate(ipc_space_t space);
vm_map_t	convert_port_to_map(mach_port_t port);
void		vm_map_deallocate(vm_map_t map);
semaphore_t	convert_port_to_semaphore(mach_port_t port);
mach_port_t	convert_semaphore_to_port(semaphore_t semaphore);
void		semaphore_dereference(semaphore_t semaphore);
io_object_t	iokit_lookup_object_port(mach_port_t port);
mach_port_t	iokit_make_object_port(io_object_t obj);
void		iokit_remove_reference(io_object_t obj);
io_connect_t	iokit_lookup_connect_port(mach_port_t port);
mach_port_t	iokit_make_connect_port(io_connect_t obj);
void		iokit_remove_connect_reference(io_connect_t obj);
/* A send right a kernel server's stub spends after a routine took its object. */
void		ipc_port_release_send_unlocked(mach_port_t port);

/* What a KernelUser subsystem's stubs send and receive with. */
mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
		    mach_msg_size_t rcv_size);
mach_msg_return_t mach_msg_send_from_kernel_proper(mach_msg_header_t *msg,
		    mach_msg_size_t send_size);

#endif /* TESTS_UNIT_MIG_KERNEL_SERVER_ENV_H */
