/*
 * mach_traps.c - the Mach traps of mach/mach_traps.h, each one class-1
 * call.
 */

#include <mach/mach_traps.h>

#include <sys/bsdsyscall.h>

kern_return_t
mach_null_trap(void)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_NULL);
}

boolean_t
swtch_pri(int pri)
{
	return (boolean_t)__mach_trap(MACH_TRAP_swtch_pri, (long)pri);
}

boolean_t
swtch(void)
{
	return (boolean_t)__mach_trap(MACH_TRAP_swtch);
}

kern_return_t
thread_switch(mach_port_name_t thread_name, int option, mach_msg_timeout_t option_time)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_thread_switch, (long)thread_name,
	    (long)option, (long)option_time);
}

kern_return_t
mach_timebase_info_trap(mach_timebase_info_t info)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_mach_timebase_info, (long)info);
}

kern_return_t
mach_wait_until_trap(uint64_t deadline)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_mach_wait_until, (long)deadline);
}
