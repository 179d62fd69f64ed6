/*
 * clock.c - uptime, calendar time, deadlines and delays, on top of the
 * machine's mach_absolute_time (nanoseconds since boot) and its real-time
 * clock (read once at boot; the calendar then advances with absolute time).
 */

#include "mach/kern/clock.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/copyio.h"
#include "kernel/machine_routines.h"
#include "mach/kern/sched_prim.h"
#include "mach/mach_traps.h"

/* [a] (set by clock_init and settimeofday). */
static struct {
	uint64_t	boot_calendar_ns;	/* calendar time at absolute time 0 */
} clk;

void
clock_init(void)
{
	uint64_t secs = rtc_read_calendar();
	uint64_t now = mach_absolute_time();

	if (secs == 0) {
		printf("clock: the real-time clock could not be read; the calendar "
		    "starts at 1970\n");
		return;
	}
	clk.boot_calendar_ns = secs * NSEC_PER_SEC - now;
	if (verbose_boot)
		printf("clock: calendar time %llu s since 1970\n", (unsigned long long)secs);
}

static void
split(uint64_t ns, uint64_t unit, uint32_t *secs, uint32_t *frac)
{
	*secs = (uint32_t)(ns / NSEC_PER_SEC);
	*frac = (uint32_t)(ns % NSEC_PER_SEC / unit);
}

void
clock_get_system_nanotime(uint32_t *secs, uint32_t *nanosecs)
{
	split(mach_absolute_time(), 1, secs, nanosecs);
}

void
clock_get_system_microtime(uint32_t *secs, uint32_t *microsecs)
{
	split(mach_absolute_time(), NSEC_PER_USEC, secs, microsecs);
}

void
clock_get_calendar_nanotime(uint32_t *secs, uint32_t *nanosecs)
{
	split(clock_get_calendar_ns(), 1, secs, nanosecs);
}

void
clock_get_calendar_microtime(uint32_t *secs, uint32_t *microsecs)
{
	split(clock_get_calendar_ns(), NSEC_PER_USEC, secs, microsecs);
}

uint64_t
clock_get_boottime_ns(void)
{
	return __atomic_load_n(&clk.boot_calendar_ns, __ATOMIC_RELAXED);
}

uint64_t
clock_get_calendar_ns(void)
{
	return clock_get_boottime_ns() + mach_absolute_time();
}

kern_return_t
clock_set_calendar_ns(uint64_t ns)
{
	uint64_t now = mach_absolute_time();

	if (ns < now)
		return KERN_INVALID_ARGUMENT;
	__atomic_store_n(&clk.boot_calendar_ns, ns - now, __ATOMIC_RELAXED);
	return KERN_SUCCESS;
}

void
clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result)
{
	*result = mach_absolute_time() + (uint64_t)interval * scale_factor;
}

void
clock_absolutetime_interval_to_deadline(uint64_t abstime, uint64_t *result)
{
	*result = mach_absolute_time() + abstime;
}

void
clock_delay_until(uint64_t deadline)
{
	while (mach_absolute_time() < deadline)
		ml_cpu_pause();
}

void
delay(uint64_t microseconds)
{
	clock_delay_until(mach_absolute_time() + microseconds * NSEC_PER_USEC);
}

/* --- the traps ------------------------------------------------------------- */

/*
 * mach_timebase_info_trap: the timebase, copied out to user space.
 * KERN_INVALID_ADDRESS if the address cannot be written.
 */
kern_return_t
mach_timebase_info_trap(struct mach_timebase_info_trap_args *args)
{
	mach_timebase_info_data_t info;

	clock_timebase_info(&info);
	if (copyout(&info, (user_addr_t)args->info, sizeof(info)) != 0)
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

/*
 * mach_wait_until_trap: sleep until absolute time deadline (at once if it
 * has passed). KERN_ABORTED if the wait was interrupted (the thread is
 * being terminated), else KERN_SUCCESS.
 */
kern_return_t
mach_wait_until_trap(struct mach_wait_until_trap_args *args)
{
	uint64_t deadline = args->deadline;
	wait_result_t wr;

	if (deadline <= mach_absolute_time())
		return KERN_SUCCESS;
	/* Nobody wakes this event: only the deadline, or an abort, ends the wait. */
	(void)assert_wait_deadline((event_t)mach_wait_until_trap, THREAD_ABORTSAFE, deadline);
	wr = thread_block(THREAD_CONTINUE_NULL);
	return wr == THREAD_INTERRUPTED ? KERN_ABORTED : KERN_SUCCESS;
}
