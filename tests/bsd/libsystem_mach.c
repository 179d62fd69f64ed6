/*
 * libsystem_mach.c - libsystem's Mach traps and class stubs
 * (bsd/userland/libsystem): mach_timebase_info, mach_wait_until, the
 * yields, the null trap, __bsd_syscall and __mach_trap, with their error
 * answers (a bad pointer is KERN_INVALID_ADDRESS, an unknown class-2 call
 * ENOSYS, an unknown option KERN_INVALID_ARGUMENT).
 */

#include <errno.h>
#include <mach/mach.h>
#include <sys/bsdsyscall.h>
#include <time.h>

#include "tap.h"

int
main(void)
{
	mach_timebase_info_data_t tb = { 0, 0 };
	struct timespec ts;
	boolean_t b;

	TAP_EQ(mach_timebase_info(&tb), KERN_SUCCESS, "mach_timebase_info");
	TAP_OK(tb.numer != 0 && tb.denom != 0, "the timebase is a ratio");
	TAP_EQ(mach_timebase_info((mach_timebase_info_t)8), KERN_INVALID_ADDRESS,
	    "mach_timebase_info to a bad pointer");
	TAP_EQ(mach_timebase_info((mach_timebase_info_t)0xffff800000001000ULL),
	    KERN_INVALID_ADDRESS, "mach_timebase_info to a kernel address");
	TAP_EQ(mach_null_trap(), KERN_INVALID_ARGUMENT, "the null trap answers");
	TAP_EQ(__mach_trap(MACH_TRAP_NULL), KERN_INVALID_ARGUMENT, "__mach_trap(0)");
	TAP_EQ(__mach_trap(127), KERN_INVALID_ARGUMENT, "an empty trap slot");
	b = swtch();
	TAP_OK(b == 0 || b == 1, "swtch returns a boolean");
	b = swtch_pri(0);
	TAP_OK(b == 0 || b == 1, "swtch_pri returns a boolean");
	TAP_EQ(thread_switch(0, SWITCH_OPTION_NONE, 0), KERN_SUCCESS, "thread_switch, a yield");
	TAP_EQ(thread_switch(0, SWITCH_OPTION_DEPRESS, 1), KERN_SUCCESS,
	    "thread_switch, depressed for 1 ms");
	TAP_EQ(thread_switch(0, SWITCH_OPTION_WAIT, 1), KERN_SUCCESS,
	    "thread_switch, waiting 1 ms");
	TAP_EQ(thread_switch(0, 99, 0), KERN_INVALID_ARGUMENT, "thread_switch, a bad option");
	TAP_EQ(mach_wait_until(0), KERN_SUCCESS, "mach_wait_until a time long past");

	/* mach_absolute_time reads CLOCK_MONOTONIC: only once the kernel has it. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) {
		uint64_t now = mach_absolute_time(), deadline = now + 2000000;

		TAP_OK(now != 0, "mach_absolute_time");
		TAP_EQ(mach_wait_until(deadline), KERN_SUCCESS, "mach_wait_until 2 ms ahead");
		TAP_OK(mach_absolute_time() >= deadline,
		    "mach_wait_until sleeps until its deadline on mach_absolute_time's clock");
	} else {
		tap_diag("no CLOCK_MONOTONIC yet (%s): mach_absolute_time untested\n",
		    strerror(errno));
		TAP_EQ(mach_absolute_time(), 0, "mach_absolute_time without a clock is 0");
	}

	TAP_ERRNO(__bsd_syscall(999), ENOSYS, "an unknown class-2 call is ENOSYS");
	return tap_done();
}
