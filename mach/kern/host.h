/*
 * host.h - the host: the machine as a kernel object (XNU's realhost).
 *
 * There is one host. Its port (ipc_tt.h: host_self_trap,
 * TASK_HOST_PORT) is a kernel port of kind IKOT_HOST that anyone may hold;
 * the routines of mach/mach_host.defs answer questions about the machine
 * through it. A privileged host port (IKOT_HOST_PRIV) is not handed out
 * yet: convert_port_to_host accepts one, convert_port_to_host_priv wants
 * one.
 *
 * Every routine refuses HOST_NULL (a port of another kind) and a flavor
 * it does not know with KERN_INVALID_ARGUMENT, and an info buffer smaller
 * than the flavor's count with KERN_FAILURE (XNU's answers); on success
 * *count is the flavor's count.
 */

#ifndef MACH_KERN_HOST_H
#define MACH_KERN_HOST_H

#include "mach/host_info.h"
#include "mach/ipc/ipc_types.h"
#include "mach/kern_return.h"
#include "mach/device_types.h"
#include "mach/mach_types.h"

struct host {
	ipc_port_t	host_self;	/* [I] its port, made by ipc_host_init */
	ipc_port_t	host_io_master;	/* [I] the I/O Kit's master port */
};

extern struct host realhost;

#define HOST_NULL	((host_t)0)

/* host_self: the host (a kernel object that never goes away). */
host_t		host_self(void);

/*
 * host_info: HOST_BASIC_INFO, HOST_SCHED_INFO, HOST_PRIORITY_INFO (their
 * old, shorter counts too where XNU has them).
 */
kern_return_t	host_info(host_t host, host_flavor_t flavor, host_info_t info,
		    mach_msg_type_number_t *count);
/* host_kernel_version: the kernel's version line. */
kern_return_t	host_kernel_version(host_t host, kernel_version_t out_version);
/*
 * host_get_io_master: a send right to the I/O Kit's master port
 * (KERN_INVALID_ARGUMENT for HOST_NULL, KERN_FAILURE before the I/O Kit
 * is up). host_set_io_master: the I/O Kit's start-up gives it, once.
 */
kern_return_t	host_get_io_master(host_t host, io_master_t *io_master);
void		host_set_io_master(ipc_port_t port);
/* host_page_size: the VM page size. */
kern_return_t	host_page_size(host_t host, vm_size_t *out_page_size);
/*
 * host_statistics: HOST_VM_INFO (vm_statistics, from the VM's page and
 * fault counters; the earlier, shorter revisions' counts are accepted),
 * HOST_CPU_LOAD_INFO (10 ms ticks idle, and busy as system time: Machina
 * does not split user from system time), HOST_LOAD_INFO (zeros: no load
 * average is kept).
 */
kern_return_t	host_statistics(host_t host, host_flavor_t flavor, host_info_t info,
		    mach_msg_type_number_t *count);

#endif /* MACH_KERN_HOST_H */
