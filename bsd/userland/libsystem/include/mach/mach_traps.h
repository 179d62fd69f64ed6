/*
 * mach/mach_traps.h - the Mach traps Machina answers today, called from
 * user space (class 1: syscall number 0x1000000 + n, XNU's n). Each returns
 * the kern_return_t the kernel gave.
 *
 *	n   trap                        what it does
 *	59  swtch_pri(pri)              yield, priority depressed until next run
 *	60  swtch()                     yield; true if other threads were ready
 *	61  thread_switch(t, opt, ms)   yield with SWITCH_OPTION_* (thread_switch.h)
 *	89  mach_timebase_info_trap(i)  the units of mach_absolute_time
 *	90  mach_wait_until_trap(when)  sleep until an absolute time
 *
 * and Mach IPC's: mach_reply_port (26), thread_self_trap (27),
 * task_self_trap (28), host_self_trap (29), mach_msg_trap (31),
 * mach_msg_overwrite_trap (32), the _kernelrpc_mach_port_* traps (16 to 23,
 * 40, 76, 77; <mach/mach_port.h> has the calls made of them), task_for_pid
 * (45) and pid_for_task (46).
 *
 * Every other number below 128 answers KERN_INVALID_ARGUMENT; a number past
 * the table raises EXC_SYSCALL. MACH_TRAP_NULL is trap 0, which does
 * nothing but answer: the round trip into the kernel and back, for
 * measuring.
 */

#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <stdint.h>

#include <mach/kern_return.h>
#include <mach/mach_time.h>
#include <mach/message.h>

#define MACH_TRAP_NULL			0
#define MACH_TRAP_swtch_pri		59
#define MACH_TRAP_swtch			60
#define MACH_TRAP_thread_switch		61
#define MACH_TRAP_mach_timebase_info	89
#define MACH_TRAP_mach_wait_until	90
#define MACH_TRAP_kernelrpc_mach_port_allocate		16
#define MACH_TRAP_kernelrpc_mach_port_destroy		17
#define MACH_TRAP_kernelrpc_mach_port_deallocate	18
#define MACH_TRAP_kernelrpc_mach_port_mod_refs		19
#define MACH_TRAP_kernelrpc_mach_port_move_member	20
#define MACH_TRAP_kernelrpc_mach_port_insert_right	21
#define MACH_TRAP_kernelrpc_mach_port_insert_member	22
#define MACH_TRAP_kernelrpc_mach_port_extract_member	23
#define MACH_TRAP_mach_reply_port			26
#define MACH_TRAP_thread_self				27
#define MACH_TRAP_task_self				28
#define MACH_TRAP_host_self				29
#define MACH_TRAP_mach_msg				31
#define MACH_TRAP_mach_msg_overwrite			32
#define MACH_TRAP_kernelrpc_mach_port_get_attributes	40
#define MACH_TRAP_task_for_pid				45
#define MACH_TRAP_pid_for_task				46
#define MACH_TRAP_kernelrpc_mach_port_type		76
#define MACH_TRAP_kernelrpc_mach_port_request_notification 77

kern_return_t	mach_null_trap(void);
boolean_t	swtch_pri(int pri);
boolean_t	swtch(void);
kern_return_t	thread_switch(mach_port_name_t thread_name, int option,
		    mach_msg_timeout_t option_time);
kern_return_t	mach_timebase_info_trap(mach_timebase_info_t info);
kern_return_t	mach_wait_until_trap(uint64_t deadline);

mach_port_name_t mach_reply_port(void);
mach_port_name_t task_self_trap(void);
mach_port_name_t thread_self_trap(void);
mach_port_name_t host_self_trap(void);
mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
		    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
		    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
		    mach_port_name_t notify);
mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg, mach_msg_option_t option,
		    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
		    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
		    mach_msg_priority_t priority, mach_msg_header_t *rcv_msg);
/*
 * task_for_pid: a send right to the task port of process pid, for a caller
 * of the same user or root (target_tport: the caller's own task port).
 * pid_for_task: the pid of the process a task port belongs to.
 */
kern_return_t	task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t);
kern_return_t	pid_for_task(mach_port_name_t t, int *pid);

#endif /* _MACH_MACH_TRAPS_H_ */
