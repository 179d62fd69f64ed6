/*
 * mach_host_calls.c - the mach_host interface through the host port:
 * host_info's flavors and counts, host_kernel_version, host_page_size,
 * host_statistics (VM counters that move when memory is touched, CPU
 * ticks), and the errors: short buffers, unknown flavors, a task port in
 * the host's place, a null or dead port. No port or message is left
 * behind.
 */

#include <mach/mach.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysctl.h>
#include <unistd.h>

#include "mach_test.h"
#include "tap.h"

static void
basic_info(mach_port_t host)
{
	host_basic_info_data_t bi;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	int ncpu = 0;
	size_t len = sizeof(ncpu);

	memset(&bi, 0, sizeof(bi));
	TAP_EQ(HOST_BASIC_INFO_COUNT, 12, "HOST_BASIC_INFO_COUNT is XNU's");
	TAP_EQ(host_info(host, HOST_BASIC_INFO, (host_info_t)&bi, &count), KERN_SUCCESS,
	    "host_info(HOST_BASIC_INFO)");
	TAP_EQ(count, HOST_BASIC_INFO_COUNT, "count is the flavor's");
	TAP_EQ(bi.cpu_type, CPU_TYPE_X86_64, "cpu_type x86_64");
	TAP_EQ(bi.cpu_subtype, CPU_SUBTYPE_X86_64_ALL, "cpu_subtype");
	(void)sysctlbyname("hw.ncpu", &ncpu, &len, NULL, 0);
	TAP_EQ(bi.avail_cpus, ncpu, "avail_cpus is hw.ncpu");
	TAP_OK(bi.max_cpus >= bi.avail_cpus, "max_cpus >= avail_cpus");
	TAP_OK(bi.max_mem >= 64ULL << 20 && bi.memory_size > 0 &&
	    bi.memory_size <= bi.max_mem, "memory sizes");

	/* The old, shorter structure, and one too short for anything. */
	count = HOST_BASIC_INFO_OLD_COUNT;
	TAP_EQ(host_info(host, HOST_BASIC_INFO, (host_info_t)&bi, &count), KERN_SUCCESS,
	    "HOST_BASIC_INFO, old count");
	TAP_EQ(count, HOST_BASIC_INFO_OLD_COUNT, "old count kept");
	count = 2;
	TAP_EQ(host_info(host, HOST_BASIC_INFO, (host_info_t)&bi, &count), KERN_FAILURE,
	    "HOST_BASIC_INFO, count too small");
	count = HOST_BASIC_INFO_COUNT;
	TAP_EQ(host_info(host, 77, (host_info_t)&bi, &count), KERN_INVALID_ARGUMENT,
	    "unknown host_info flavor");
}

static void
other_info(mach_port_t host)
{
	host_sched_info_data_t si;
	host_priority_info_data_t pi;
	mach_msg_type_number_t count;
	kernel_version_t version;
	vm_size_t page = 0;

	count = HOST_SCHED_INFO_COUNT;
	TAP_EQ(host_info(host, HOST_SCHED_INFO, (host_info_t)&si, &count), KERN_SUCCESS,
	    "host_info(HOST_SCHED_INFO)");
	TAP_OK(si.min_quantum > 0 && si.min_timeout > 0, "a quantum in ms");
	count = HOST_PRIORITY_INFO_COUNT;
	TAP_EQ(host_info(host, HOST_PRIORITY_INFO, (host_info_t)&pi, &count), KERN_SUCCESS,
	    "host_info(HOST_PRIORITY_INFO)");
	TAP_OK(pi.idle_priority <= pi.user_priority && pi.user_priority < pi.kernel_priority &&
	    pi.maximum_priority >= pi.user_priority, "priorities in order");

	memset(version, 0, sizeof(version));
	TAP_EQ(host_kernel_version(host, version), KERN_SUCCESS, "host_kernel_version");
	TAP_OK(strstr(version, "Machina") != NULL, "the version names Machina");
	TAP_EQ(host_page_size(host, &page), KERN_SUCCESS, "host_page_size");
	TAP_EQ(page, (vm_size_t)getpagesize(), "page size is getpagesize()");
}

static void
statistics(mach_port_t host)
{
	vm_statistics_data_t v0, v1;
	host_cpu_load_info_data_t cpu;
	host_load_info_data_t load;
	mach_msg_type_number_t count = HOST_VM_INFO_COUNT;
	size_t size = 64 * 4096;
	char *p;

	TAP_EQ(HOST_VM_INFO_COUNT, 15, "HOST_VM_INFO_COUNT is XNU's");
	TAP_EQ(host_statistics(host, HOST_VM_INFO, (host_info_t)&v0, &count), KERN_SUCCESS,
	    "host_statistics(HOST_VM_INFO)");
	TAP_EQ(count, HOST_VM_INFO_COUNT, "count");
	TAP_OK(v0.free_count > 0 && v0.wire_count > 0, "free and wired pages");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; p != MAP_FAILED && i < size; i += 4096)
		p[i] = 1;
	count = HOST_VM_INFO_COUNT;
	TAP_EQ(host_statistics(host, HOST_VM_INFO, (host_info_t)&v1, &count), KERN_SUCCESS,
	    "HOST_VM_INFO again");
	TAP_OK(v1.faults >= v0.faults + 64 && v1.zero_fill_count >= v0.zero_fill_count + 64,
	    "64 touched pages counted as faults and zero fills");
	if (p != MAP_FAILED)
		munmap(p, size);
	count = HOST_VM_INFO_REV0_COUNT;
	TAP_EQ(host_statistics(host, HOST_VM_INFO, (host_info_t)&v1, &count), KERN_SUCCESS,
	    "HOST_VM_INFO, revision 0 count");
	TAP_EQ(count, HOST_VM_INFO_REV0_COUNT, "revision 0 count kept");
	count = 3;
	TAP_EQ(host_statistics(host, HOST_VM_INFO, (host_info_t)&v1, &count), KERN_FAILURE,
	    "HOST_VM_INFO, count too small");

	count = HOST_CPU_LOAD_INFO_COUNT;
	TAP_EQ(host_statistics(host, HOST_CPU_LOAD_INFO, (host_info_t)&cpu, &count),
	    KERN_SUCCESS, "host_statistics(HOST_CPU_LOAD_INFO)");
	TAP_OK(cpu.cpu_ticks[CPU_STATE_IDLE] + cpu.cpu_ticks[CPU_STATE_SYSTEM] > 0,
	    "some ticks counted");
	count = HOST_LOAD_INFO_COUNT;
	TAP_EQ(host_statistics(host, HOST_LOAD_INFO, (host_info_t)&load, &count), KERN_SUCCESS,
	    "host_statistics(HOST_LOAD_INFO)");
	count = HOST_VM_INFO_COUNT;
	TAP_EQ(host_statistics(host, 99, (host_info_t)&v1, &count), KERN_INVALID_ARGUMENT,
	    "unknown host_statistics flavor");
}

static void
wrong_ports(void)
{
	host_basic_info_data_t bi;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	vm_size_t page;
	mach_port_t dead = MACH_PORT_NULL, task = mach_task_self();

	TAP_EQ(host_info(task, HOST_BASIC_INFO, (host_info_t)&bi, &count),
	    KERN_INVALID_ARGUMENT, "host_info on a task port");
	TAP_EQ(host_page_size(MACH_PORT_NULL, &page), MACH_SEND_INVALID_DEST,
	    "host_page_size on MACH_PORT_NULL");
	TAP_EQ(host_page_size((mach_port_t)0x12345, &page), MACH_SEND_INVALID_DEST,
	    "host_page_size on a name that denotes nothing");
	/* A dead name: a send right whose receive right went. */
	if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &dead) == KERN_SUCCESS) {
		(void)mach_port_insert_right(task, dead, dead, MACH_MSG_TYPE_MAKE_SEND);
		(void)mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_RECEIVE, -1);
		TAP_EQ(host_page_size(dead, &page), MACH_SEND_INVALID_DEST,
		    "host_page_size on a dead name");
		(void)mach_port_deallocate(task, dead);
	}
}

int
main(void)
{
	mach_port_t host = mach_host_self();
	vm_size_t page;
	int ports0, kmsgs0;

	/* The first call makes the thread's MIG reply port, which stays. */
	TAP_OK(MACH_PORT_VALID(host), "mach_host_self");
	TAP_EQ(host_page_size(host, &page), KERN_SUCCESS, "a first call");
	ports0 = ipc_count("ports");
	kmsgs0 = ipc_count("kmsgs");
	basic_info(host);
	other_info(host);
	statistics(host);
	wrong_ports();
	TAP_EQ(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS,
	    "the host right goes");
	TAP_EQ(ipc_count("ports"), ports0, "no port left behind");
	TAP_EQ(ipc_count("kmsgs"), kmsgs0, "no message left behind");
	return tap_done();
}
