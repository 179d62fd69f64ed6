/*
 * syscall.c - the system calls the test programs use, one wrapper each.
 * Numbers and classes are in ulib.h.
 */

#include "ulib.h"

ssize_t
write(int fd, const void *buf, size_t len)
{
	return ulib_syscall3(SYS_write, fd, buf, len);
}

int
clock_gettime(int clock, struct timespec *ts)
{
	return (int)ulib_syscall6(SYS_clock_gettime, clock, (long)ts, 0, 0, 0, 0);
}

/*
 * exit: the whole process goes (exit_group); should that call be missing,
 * the thread's own exit; should that fail too, a fault ends the program.
 */
void
exit(int status)
{
	ulib_syscall1(SYS_exit_group, status);
	ulib_syscall1(SYS_exit, status);
	for (;;)
		__builtin_trap();
}

kern_return_t
mach_timebase_info_trap(struct mach_timebase_info *info)
{
	return (kern_return_t)ulib_syscall1(MACH_TRAP(mach_timebase_info), info);
}

kern_return_t
mach_wait_until_trap(uint64_t deadline)
{
	return (kern_return_t)ulib_syscall1(MACH_TRAP(mach_wait_until), deadline);
}

kern_return_t
swtch_pri(int pri)
{
	return (kern_return_t)ulib_syscall1(MACH_TRAP(swtch_pri), pri);
}
