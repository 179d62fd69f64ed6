/*
 * mach/mach_time.h - Mach absolute time from user space.
 *
 * mach_absolute_time() counts in the units mach_timebase_info() gives
 * (ticks * numer / denom = nanoseconds; Machina's timebase is 1/1, so a
 * tick is a nanosecond); mach_wait_until() sleeps until such a time.
 *
 * mach_absolute_time() reads CLOCK_MONOTONIC (there is no commpage to read
 * the kernel's clock from), which the kernel keeps on the same clock as
 * its own mach_absolute_time(). It returns 0 if that clock is unavailable.
 */

#ifndef _MACH_MACH_TIME_H_
#define _MACH_MACH_TIME_H_

#include <stdint.h>

#include <mach/kern_return.h>

struct mach_timebase_info {
	uint32_t	numer;
	uint32_t	denom;
};
typedef struct mach_timebase_info	*mach_timebase_info_t;
typedef struct mach_timebase_info	mach_timebase_info_data_t;

uint64_t	mach_absolute_time(void);
kern_return_t	mach_timebase_info(mach_timebase_info_t info);
kern_return_t	mach_wait_until(uint64_t deadline);

#endif /* _MACH_MACH_TIME_H_ */
