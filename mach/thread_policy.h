/*
 * thread_policy.h - the flavors of thread_policy_set and thread_policy_get
 * and their layouts (XNU's numbers; mach/kern/thread_policy.h says what
 * each does). A count is the structure's size in integer_t words.
 *
 * Shared by the kernel and user space (installed into libsystem's headers).
 */

#ifndef MACH_THREAD_POLICY_H
#define MACH_THREAD_POLICY_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/std_types.h"

#define THREAD_STANDARD_POLICY		1
#define THREAD_STANDARD_POLICY_COUNT	0
struct thread_standard_policy {
	natural_t	no_data;
};

#define THREAD_EXTENDED_POLICY		1
#define THREAD_EXTENDED_POLICY_COUNT	1
struct thread_extended_policy {
	boolean_t	timeshare;
};

#define THREAD_TIME_CONSTRAINT_POLICY	2
#define THREAD_TIME_CONSTRAINT_POLICY_COUNT 4
struct thread_time_constraint_policy {
	uint32_t	period;
	uint32_t	computation;
	uint32_t	constraint;
	boolean_t	preemptible;
};

#define THREAD_PRECEDENCE_POLICY	3
#define THREAD_PRECEDENCE_POLICY_COUNT	1
struct thread_precedence_policy {
	integer_t	importance;
};

typedef struct thread_standard_policy		thread_standard_policy_data_t;
typedef struct thread_extended_policy		thread_extended_policy_data_t;
typedef struct thread_time_constraint_policy	thread_time_constraint_policy_data_t;
typedef struct thread_precedence_policy		thread_precedence_policy_data_t;

#endif /* MACH_THREAD_POLICY_H */
