/*
 * task_info.h - what task_info and task_policy_set/get exchange (XNU's
 * mach/task_info.h and mach/task_policy.h: flavors, layouts and counts are
 * XNU's). Shared by the kernel and user space.
 *
 *	MACH_TASK_BASIC_INFO	sizes of the address space, run times, policy,
 *				suspend count
 *	TASK_BASIC_INFO_64	the same, older layout
 *	TASK_THREAD_TIMES_INFO	run time of the task's live threads
 *	TASK_AUDIT_TOKEN	who the task is, as its messages' trailers say
 *
 * Machina keeps no split of a thread's time between user and system mode:
 * all of it reads as user time.
 */

#ifndef MACH_TASK_INFO_H
#define MACH_TASK_INFO_H

#include "mach/message.h"
#include "mach/std_types.h"
#include "mach/time_value.h"

#pragma pack(push, 4)

#define TASK_THREAD_TIMES_INFO	3
struct task_thread_times_info {
	time_value_t	user_time;
	time_value_t	system_time;
};
typedef struct task_thread_times_info	task_thread_times_info_data_t;
#define TASK_THREAD_TIMES_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_thread_times_info_data_t) / sizeof(natural_t)))

#define TASK_BASIC_INFO_64	5
struct task_basic_info_64 {
	integer_t	suspend_count;
	uint64_t	virtual_size;
	uint64_t	resident_size;
	time_value_t	user_time;		/* of threads that ended */
	time_value_t	system_time;
	policy_t	policy;
};
typedef struct task_basic_info_64	task_basic_info_64_data_t;
#define TASK_BASIC_INFO_64_COUNT \
	((mach_msg_type_number_t)(sizeof(task_basic_info_64_data_t) / sizeof(natural_t)))

#define TASK_AUDIT_TOKEN	15
#define TASK_AUDIT_TOKEN_COUNT \
	((mach_msg_type_number_t)(sizeof(audit_token_t) / sizeof(natural_t)))

#define MACH_TASK_BASIC_INFO	20
struct mach_task_basic_info {
	uint64_t	virtual_size;		/* bytes mapped */
	uint64_t	resident_size;		/* bytes resident */
	uint64_t	resident_size_max;
	time_value_t	user_time;		/* of threads that ended */
	time_value_t	system_time;
	policy_t	policy;
	integer_t	suspend_count;
};
typedef struct mach_task_basic_info	mach_task_basic_info_data_t;
#define MACH_TASK_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(mach_task_basic_info_data_t) / sizeof(natural_t)))

#define TASK_INFO_MAX		32	/* natural_t words, the largest flavor's at most */

/* task_policy_set / task_policy_get */
typedef integer_t	task_role_t;
#define TASK_RENICED			-1
#define TASK_UNSPECIFIED		0
#define TASK_FOREGROUND_APPLICATION	1
#define TASK_BACKGROUND_APPLICATION	2
#define TASK_CONTROL_APPLICATION	3
#define TASK_GRAPHICS_SERVER		4
#define TASK_THROTTLE_APPLICATION	5
#define TASK_NONUI_APPLICATION		6
#define TASK_DEFAULT_APPLICATION	7

#define TASK_CATEGORY_POLICY	1
struct task_category_policy {
	task_role_t	role;
};
typedef struct task_category_policy	task_category_policy_data_t;
#define TASK_CATEGORY_POLICY_COUNT \
	((mach_msg_type_number_t)(sizeof(task_category_policy_data_t) / sizeof(integer_t)))

#pragma pack(pop)

#endif /* MACH_TASK_INFO_H */
