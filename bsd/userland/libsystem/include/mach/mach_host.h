/*
 * mach/mach_host.h - questions about the machine, asked through the host
 * port (mach_host_self()): the calls of mach/mach_host.defs, sent as
 * messages to the host port (XNU's names and arguments).
 *
 * host_info (HOST_BASIC_INFO, HOST_SCHED_INFO, HOST_PRIORITY_INFO) and
 * host_statistics (HOST_VM_INFO, HOST_CPU_LOAD_INFO, HOST_LOAD_INFO) fill
 * *count words of info (<mach/host_info.h>, <mach/vm_statistics.h>): the
 * caller says how many it has room for, the kernel how many it wrote.
 * KERN_INVALID_ARGUMENT for a port that is not the host's or an unknown
 * flavor; KERN_FAILURE for a count too small for the flavor.
 */

#ifndef _MACH_MACH_HOST_H_
#define _MACH_MACH_HOST_H_

#include <mach/device_types.h>
#include <mach/host_info.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/vm_statistics.h>

kern_return_t	host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
		    mach_msg_type_number_t *host_info_outCnt);
kern_return_t	host_kernel_version(host_t host, kernel_version_t kernel_version);
/* A send right to the I/O Kit's master port (<IOKit/IOKitLib.h>: IOMasterPort). */
kern_return_t	host_get_io_master(host_t host, io_master_t *io_master);
kern_return_t	host_page_size(host_t host, vm_size_t *out_page_size);
kern_return_t	host_statistics(host_t host_priv, host_flavor_t flavor,
		    host_info_t host_info_out, mach_msg_type_number_t *host_info_outCnt);

#endif /* _MACH_MACH_HOST_H_ */
