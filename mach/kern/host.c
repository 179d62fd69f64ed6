/*
 * host.c - the host and the mach_host interface (host.h).
 */

#include "mach/kern/host.h"

#include "kernel/version.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/vm/vm_fault.h"
#include "mach/vm/vm_page.h"
#include "mach/vm_statistics.h"
#include "mach/vm_types.h"

struct host realhost;

host_t
host_self(void)
{
	return &realhost;
}

/* Copy a flavor's structure out as count words, if the caller has room. */
static kern_return_t
info_out(host_info_t info, mach_msg_type_number_t *count, const void *data,
    mach_msg_type_number_t words)
{
	if (*count < words)
		return KERN_FAILURE;
	memcpy(info, data, words * sizeof(integer_t));
	*count = words;
	return KERN_SUCCESS;
}

static kern_return_t
host_basic_info_out(host_info_t info, mach_msg_type_number_t *count)
{
	struct host_basic_info bi;
	struct vm_page_stats ps;
	uint64_t mem;

	memset(&bi, 0, sizeof(bi));
	vm_page_get_stats(&ps);
	mem = ps.vps_total * PAGE_SIZE;
	bi.max_cpus = MAX_PROCESSORS;
	bi.avail_cpus = (integer_t)processor_count;
	bi.memory_size = mem > 0x80000000ULL ? 0x80000000U : (natural_t)mem;
	bi.cpu_type = CPU_TYPE_X86_64;
	bi.cpu_subtype = CPU_SUBTYPE_X86_64_ALL;
	bi.cpu_threadtype = CPU_THREADTYPE_NONE;
	bi.physical_cpu = bi.logical_cpu = (integer_t)processor_count;
	bi.physical_cpu_max = bi.logical_cpu_max = (integer_t)processor_count;
	bi.max_mem = mem;
	/* The old, five-word structure stops before cpu_threadtype. */
	if (*count >= HOST_BASIC_INFO_OLD_COUNT && *count < HOST_BASIC_INFO_COUNT)
		return info_out(info, count, &bi, HOST_BASIC_INFO_OLD_COUNT);
	return info_out(info, count, &bi, HOST_BASIC_INFO_COUNT);
}

kern_return_t
host_info(host_t host, host_flavor_t flavor, host_info_t info, mach_msg_type_number_t *count)
{
	if (host == HOST_NULL || info == NULL || count == NULL)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case HOST_BASIC_INFO:
		return host_basic_info_out(info, count);
	case HOST_SCHED_INFO: {
		struct host_sched_info si = {
			.min_timeout = (integer_t)(SCHED_QUANTUM_NS / 1000000),
			.min_quantum = (integer_t)(SCHED_QUANTUM_NS / 1000000),
		};
		return info_out(info, count, &si, HOST_SCHED_INFO_COUNT);
	}
	case HOST_PRIORITY_INFO: {
		struct host_priority_info pi = {
			.kernel_priority = MINPRI_KERNEL,
			.system_priority = MINPRI_KERNEL,
			.server_priority = MINPRI_RESERVED,
			.user_priority = BASEPRI_DEFAULT,
			.depress_priority = DEPRESSPRI,
			.idle_priority = IDLEPRI,
			.minimum_priority = MINPRI_USER,
			.maximum_priority = MAXPRI_RESERVED,
		};
		return info_out(info, count, &pi, HOST_PRIORITY_INFO_COUNT);
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t
host_kernel_version(host_t host, kernel_version_t out_version)
{
	if (host == HOST_NULL || out_version == NULL)
		return KERN_INVALID_ARGUMENT;
	strlcpy(out_version, version, sizeof(kernel_version_t));
	return KERN_SUCCESS;
}

kern_return_t
host_page_size(host_t host, vm_size_t *out_page_size)
{
	if (host == HOST_NULL || out_page_size == NULL)
		return KERN_INVALID_ARGUMENT;
	*out_page_size = PAGE_SIZE;
	return KERN_SUCCESS;
}

void
host_set_io_master(ipc_port_t port)
{
	realhost.host_io_master = port;
}

kern_return_t
host_get_io_master(host_t host, io_master_t *io_master)
{
	if (host == HOST_NULL || io_master == NULL)
		return KERN_INVALID_ARGUMENT;
	if (realhost.host_io_master == IP_NULL)
		return KERN_FAILURE;
	ipc_lock();
	*io_master = ipc_port_make_send(realhost.host_io_master);
	ipc_unlock();
	return KERN_SUCCESS;
}

static natural_t
clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (natural_t)v;
}

static kern_return_t
host_vm_info_out(host_info_t info, mach_msg_type_number_t *count)
{
	struct vm_statistics vs;
	struct vm_fault_stats fs;
	struct vm_page_stats ps;

	memset(&vs, 0, sizeof(vs));
	vm_page_get_stats(&ps);
	vm_fault_get_stats(&fs);
	vs.free_count = clamp32(ps.vps_free);
	vs.active_count = clamp32(ps.vps_by_use[VM_PAGE_USE_OBJECT]);
	vs.wire_count = clamp32(ps.vps_wired);
	vs.zero_fill_count = clamp32(fs.vfs_zero_fills);
	vs.faults = clamp32(fs.vfs_faults);
	vs.cow_faults = clamp32(fs.vfs_cow_copies);
	/* An older caller's shorter revision is a prefix of this one. */
	if (*count >= HOST_VM_INFO_REV0_COUNT && *count < HOST_VM_INFO_COUNT)
		return info_out(info, count, &vs, *count >= HOST_VM_INFO_REV1_COUNT ?
		    HOST_VM_INFO_REV1_COUNT : HOST_VM_INFO_REV0_COUNT);
	return info_out(info, count, &vs, HOST_VM_INFO_COUNT);
}

static kern_return_t
host_cpu_load_info_out(host_info_t info, mach_msg_type_number_t *count)
{
	struct host_cpu_load_info li;
	uint64_t now = mach_absolute_time(), idle = 0, total;
	const uint64_t tick = 10ULL * 1000 * 1000;	/* ns */

	memset(&li, 0, sizeof(li));
	for (unsigned i = 0; i < processor_count; i++)
		idle += __atomic_load_n(&processor_array[i].idle_time, __ATOMIC_RELAXED);
	total = now * processor_count;
	li.cpu_ticks[CPU_STATE_IDLE] = (natural_t)(idle / tick);
	li.cpu_ticks[CPU_STATE_SYSTEM] = total > idle ? (natural_t)((total - idle) / tick) : 0;
	return info_out(info, count, &li, HOST_CPU_LOAD_INFO_COUNT);
}

kern_return_t
host_statistics(host_t host, host_flavor_t flavor, host_info_t info,
    mach_msg_type_number_t *count)
{
	if (host == HOST_NULL || info == NULL || count == NULL)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case HOST_VM_INFO:
		return host_vm_info_out(info, count);
	case HOST_CPU_LOAD_INFO:
		return host_cpu_load_info_out(info, count);
	case HOST_LOAD_INFO: {
		struct host_load_info li;

		memset(&li, 0, sizeof(li));
		return info_out(info, count, &li, HOST_LOAD_INFO_COUNT);
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}
