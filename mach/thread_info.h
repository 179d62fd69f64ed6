/*
 * thread_info.h - what thread_info reports (XNU's flavor numbers, layouts
 * and counts; a count is the structure's size in natural_t words).
 *
 *	THREAD_BASIC_INFO	times, policy, run state, suspend count
 *	THREAD_IDENTIFIER_INFO	the thread's unique id and thread pointer
 *	THREAD_EXTENDED_INFO	the same in 64-bit times, priorities, name
 *
 * Shared by the kernel and user space (installed into libsystem's headers).
 */

#ifndef MACH_THREAD_INFO_H
#define MACH_THREAD_INFO_H

#include <stdint.h>

#include "mach/std_types.h"
#include "mach/time_value.h"

#define THREAD_BASIC_INFO	3
#define THREAD_IDENTIFIER_INFO	4
#define THREAD_EXTENDED_INFO	5

#define TH_USAGE_SCALE	1000

/* run_state */
#define TH_STATE_RUNNING	1	/* runnable or running */
#define TH_STATE_STOPPED	2	/* suspended (thread_suspend) */
#define TH_STATE_WAITING	3	/* waiting, interruptibly */
#define TH_STATE_UNINTERRUPTIBLE 4	/* waiting, not interruptibly */
#define TH_STATE_HALTED		5	/* ending */

/* flags */
#define TH_FLAGS_SWAPPED	0x1
#define TH_FLAGS_IDLE		0x2	/* a processor's idle thread */

struct thread_basic_info {
	time_value_t	user_time;	/* Machina: all of its CPU time */
	time_value_t	system_time;	/* Machina: 0 (not told apart) */
	integer_t	cpu_usage;	/* scaled by TH_USAGE_SCALE */
	policy_t	policy;		/* POLICY_TIMESHARE or POLICY_RR */
	integer_t	run_state;	/* TH_STATE_* */
	integer_t	flags;		/* TH_FLAGS_* */
	integer_t	suspend_count;	/* thread_suspend's, outstanding */
	integer_t	sleep_time;	/* 0 */
};
typedef struct thread_basic_info	thread_basic_info_data_t;
typedef struct thread_basic_info	*thread_basic_info_t;
#define THREAD_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_basic_info_data_t) / sizeof(natural_t)))

struct thread_identifier_info {
	uint64_t	thread_id;	/* unique for the life of the system */
	uint64_t	thread_handle;	/* its user thread pointer (FS base) */
	uint64_t	dispatch_qaddr;	/* 0 */
};
typedef struct thread_identifier_info	thread_identifier_info_data_t;
typedef struct thread_identifier_info	*thread_identifier_info_t;
#define THREAD_IDENTIFIER_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_identifier_info_data_t) / sizeof(natural_t)))

#define MAXTHREADNAMESIZE	64
struct thread_extended_info {
	uint64_t	pth_user_time;		/* ns */
	uint64_t	pth_system_time;	/* ns */
	int32_t		pth_cpu_usage;
	int32_t		pth_policy;
	int32_t		pth_run_state;
	int32_t		pth_flags;
	int32_t		pth_sleep_time;
	int32_t		pth_curpri;		/* the priority it runs at now */
	int32_t		pth_priority;		/* its base priority */
	int32_t		pth_maxpriority;
	char		pth_name[MAXTHREADNAMESIZE];
};
typedef struct thread_extended_info	thread_extended_info_data_t;
typedef struct thread_extended_info	*thread_extended_info_t;
#define THREAD_EXTENDED_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_extended_info_data_t) / sizeof(natural_t)))

#endif /* MACH_THREAD_INFO_H */
