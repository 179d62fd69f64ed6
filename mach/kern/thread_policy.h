/*
 * thread_policy.h - scheduling policy: thread_policy_set and _get, with the
 * flavors of the Kernel Programming Guide (XNU's numbers and layouts).
 *
 *	THREAD_STANDARD_POLICY		timeshare (the default)
 *	THREAD_EXTENDED_POLICY		timeshare TRUE or FALSE (fixed priority,
 *					round robin by quantum); the same flavor
 *					number, told apart by its count
 *	THREAD_TIME_CONSTRAINT_POLICY	real time: computation ns out of every
 *					period ns, within constraint ns of the
 *					period's start
 *	THREAD_PRECEDENCE_POLICY	importance: the base priority, from 0
 *					(idle) up to the thread's maximum
 *
 * Times are mach absolute time, which on Machina is nanoseconds.
 */

#ifndef MACH_KERN_THREAD_POLICY_H
#define MACH_KERN_THREAD_POLICY_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/std_types.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"
#include "mach/thread_policy.h"	/* the flavors and their layouts */

typedef natural_t	thread_policy_flavor_t;
typedef integer_t	*thread_policy_t;

/* The most a real-time thread may ask to compute without blocking. */
#define THREAD_RT_COMPUTATION_MAX	(50U * 1000 * 1000)	/* 50 ms */

kern_return_t	thread_policy_set(thread_t thread, thread_policy_flavor_t flavor,
		    thread_policy_t policy_info, mach_msg_type_number_t count);
kern_return_t	thread_policy_get(thread_t thread, thread_policy_flavor_t flavor,
		    thread_policy_t policy_info, mach_msg_type_number_t *count,
		    boolean_t *get_default);

#endif /* MACH_KERN_THREAD_POLICY_H */
