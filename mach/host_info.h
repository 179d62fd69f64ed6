/*
 * host_info.h - what host_info and host_statistics report (XNU's flavor
 * numbers, layouts and counts; a count is the structure's size in
 * integer_t words).
 *
 *	host_info:	  HOST_BASIC_INFO, HOST_SCHED_INFO, HOST_PRIORITY_INFO
 *	host_statistics:  HOST_LOAD_INFO, HOST_VM_INFO (mach/vm_statistics.h),
 *			  HOST_CPU_LOAD_INFO
 *
 * Shared by the kernel and user space (installed into libsystem's headers).
 */

#ifndef MACH_HOST_INFO_H
#define MACH_HOST_INFO_H

#include <stdint.h>

#include "mach/std_types.h"

/* CPU types (XNU's mach/machine.h). */
typedef integer_t	cpu_type_t;
typedef integer_t	cpu_subtype_t;
typedef integer_t	cpu_threadtype_t;

#define CPU_ARCH_ABI64		0x01000000
#define CPU_TYPE_X86		((cpu_type_t)7)
#define CPU_TYPE_X86_64		(CPU_TYPE_X86 | CPU_ARCH_ABI64)
#define CPU_SUBTYPE_X86_64_ALL	((cpu_subtype_t)3)
#define CPU_THREADTYPE_NONE	((cpu_threadtype_t)0)

typedef char	kernel_version_string_t[512];

/* host_info flavors */
#define HOST_BASIC_INFO		1
#define HOST_SCHED_INFO		3
#define HOST_RESOURCE_SIZES	4
#define HOST_PRIORITY_INFO	5

/* host_statistics flavors */
#define HOST_LOAD_INFO		1
#define HOST_VM_INFO		2
#define HOST_CPU_LOAD_INFO	3

#pragma pack(push, 4)

struct host_basic_info {
	integer_t		max_cpus;	/* processors the kernel can use */
	integer_t		avail_cpus;	/* processors running now */
	natural_t		memory_size;	/* bytes, at most 2 GiB (max_mem is exact) */
	cpu_type_t		cpu_type;
	cpu_subtype_t		cpu_subtype;
	cpu_threadtype_t	cpu_threadtype;
	integer_t		physical_cpu;
	integer_t		physical_cpu_max;
	integer_t		logical_cpu;
	integer_t		logical_cpu_max;
	uint64_t		max_mem;	/* bytes of RAM the kernel manages */
};
typedef struct host_basic_info	host_basic_info_data_t;
typedef struct host_basic_info	*host_basic_info_t;
#define HOST_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_basic_info_data_t) / sizeof(integer_t)))
#define HOST_BASIC_INFO_OLD_COUNT	((mach_msg_type_number_t)5)

struct host_sched_info {
	integer_t	min_timeout;	/* ms */
	integer_t	min_quantum;	/* ms */
};
typedef struct host_sched_info	host_sched_info_data_t;
typedef struct host_sched_info	*host_sched_info_t;
#define HOST_SCHED_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_sched_info_data_t) / sizeof(integer_t)))

struct host_priority_info {
	integer_t	kernel_priority;
	integer_t	system_priority;
	integer_t	server_priority;
	integer_t	user_priority;
	integer_t	depress_priority;
	integer_t	idle_priority;
	integer_t	minimum_priority;
	integer_t	maximum_priority;
};
typedef struct host_priority_info	host_priority_info_data_t;
typedef struct host_priority_info	*host_priority_info_t;
#define HOST_PRIORITY_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_priority_info_data_t) / sizeof(integer_t)))

#define LOAD_SCALE	1000
struct host_load_info {
	integer_t	avenrun[3];	/* load averages, scaled by LOAD_SCALE */
	integer_t	mach_factor[3];
};
typedef struct host_load_info	host_load_info_data_t;
typedef struct host_load_info	*host_load_info_t;
#define HOST_LOAD_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_load_info_data_t) / sizeof(integer_t)))

#define CPU_STATE_MAX		4
#define CPU_STATE_USER		0
#define CPU_STATE_SYSTEM	1
#define CPU_STATE_IDLE		2
#define CPU_STATE_NICE		3
struct host_cpu_load_info {
	natural_t	cpu_ticks[CPU_STATE_MAX];	/* in 10 ms ticks, all CPUs */
};
typedef struct host_cpu_load_info	host_cpu_load_info_data_t;
typedef struct host_cpu_load_info	*host_cpu_load_info_t;
#define HOST_CPU_LOAD_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_cpu_load_info_data_t) / sizeof(integer_t)))

#pragma pack(pop)

#endif /* MACH_HOST_INFO_H */
