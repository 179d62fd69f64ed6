/*
 * time_value.h - a duration in seconds and microseconds, as the info
 * calls report run times (XNU's mach/time_value.h), and the scheduling
 * policies they name (XNU's mach/policy.h). Shared by the kernel and user
 * space.
 */

#ifndef MACH_TIME_VALUE_H
#define MACH_TIME_VALUE_H

#include "mach/std_types.h"

struct time_value {
	integer_t	seconds;
	integer_t	microseconds;
};
typedef struct time_value	time_value_t;

typedef int	policy_t;
#define POLICY_NULL		0
#define POLICY_TIMESHARE	1
#define POLICY_RR		2
#define POLICY_FIFO		4

#endif /* MACH_TIME_VALUE_H */
