/*
 * semaphore.c - the semaphore traps (mach/semaphore.h).
 */

#include <mach/semaphore.h>

#include <mach/mach_traps.h>
#include <sys/bsdsyscall.h>

#define TRAP_semaphore_signal		33
#define TRAP_semaphore_signal_all	34
#define TRAP_semaphore_signal_thread	35
#define TRAP_semaphore_wait		36
#define TRAP_semaphore_wait_signal	37
#define TRAP_semaphore_timedwait	38
#define TRAP_semaphore_timedwait_signal	39

kern_return_t
semaphore_signal(semaphore_t semaphore)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_signal, (long)semaphore);
}

kern_return_t
semaphore_signal_all(semaphore_t semaphore)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_signal_all, (long)semaphore);
}

kern_return_t
semaphore_signal_thread(semaphore_t semaphore, thread_t thread)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_signal_thread, (long)semaphore,
	    (long)thread);
}

kern_return_t
semaphore_wait(semaphore_t semaphore)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_wait, (long)semaphore);
}

kern_return_t
semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_timedwait, (long)semaphore,
	    (long)wait_time.tv_sec, (long)wait_time.tv_nsec);
}

kern_return_t
semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_wait_signal, (long)wait_semaphore,
	    (long)signal_semaphore);
}

kern_return_t
semaphore_timedwait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore,
    mach_timespec_t wait_time)
{
	return (kern_return_t)__mach_trap(TRAP_semaphore_timedwait_signal, (long)wait_semaphore,
	    (long)signal_semaphore, (long)wait_time.tv_sec, (long)wait_time.tv_nsec);
}
