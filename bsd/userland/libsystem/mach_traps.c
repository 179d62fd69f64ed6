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

mach_port_name_t
mach_reply_port(void)
{
	return (mach_port_name_t)__mach_trap(MACH_TRAP_mach_reply_port);
}

mach_port_name_t
task_self_trap(void)
{
	return (mach_port_name_t)__mach_trap(MACH_TRAP_task_self);
}

mach_port_name_t
thread_self_trap(void)
{
	return (mach_port_name_t)__mach_trap(MACH_TRAP_thread_self);
}

mach_port_name_t
host_self_trap(void)
{
	return (mach_port_name_t)__mach_trap(MACH_TRAP_host_self);
}

kern_return_t
task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_task_for_pid, (long)target_tport,
	    (long)pid, (long)t);
}

kern_return_t
pid_for_task(mach_port_name_t t, int *pid)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_pid_for_task, (long)t, (long)pid);
}

/*
 * The traps with more than six arguments: the seventh and eighth stay on
 * the stack where the caller put them, above this stub's return address,
 * which is where the kernel reads them (kernel/x86_64/syscall.c).
 */
#define MACH_TRAP_STUB(name, number)					\
	__asm__(".text\n"						\
	    ".globl " #name "\n"					\
	    ".type " #name ", @function\n"				\
	    #name ":\n"							\
	    "	movq %rcx, %r10\n"					\
	    "	movl $(0x1000000 + " #number "), %eax\n"		\
	    "	syscall\n"						\
	    "	ret\n"							\
	    ".size " #name ", . - " #name "\n")

MACH_TRAP_STUB(mach_msg_trap, 31);
MACH_TRAP_STUB(mach_msg_overwrite_trap, 32);
MACH_TRAP_STUB(_kernelrpc_mach_port_request_notification_trap, 77);
