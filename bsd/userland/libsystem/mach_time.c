/*
 * mach_time.c - mach_absolute_time, mach_timebase_info and mach_wait_until
 * (mach/mach_time.h).
 */

#include <mach/mach_time.h>

#include <mach/mach_traps.h>
#include <time.h>

uint64_t
mach_absolute_time(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* As XNU's: straight to the trap, so a bad pointer is KERN_INVALID_ADDRESS. */
kern_return_t
mach_timebase_info(mach_timebase_info_t info)
{
	return mach_timebase_info_trap(info);
}

kern_return_t
mach_wait_until(uint64_t deadline)
{
	return mach_wait_until_trap(deadline);
}
