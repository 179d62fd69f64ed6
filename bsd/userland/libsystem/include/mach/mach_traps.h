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
 * Every other number below 128 answers KERN_INVALID_ARGUMENT (the traps of
 * Mach IPC and the VM calls come later); a number past the table raises
 * EXC_SYSCALL. MACH_TRAP_NULL is trap 0, which does nothing but answer:
 * the round trip into the kernel and back, for measuring.
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

kern_return_t	mach_null_trap(void);
boolean_t	swtch_pri(int pri);
boolean_t	swtch(void);
kern_return_t	thread_switch(mach_port_name_t thread_name, int option,
		    mach_msg_timeout_t option_time);
kern_return_t	mach_timebase_info_trap(mach_timebase_info_t info);
kern_return_t	mach_wait_until_trap(uint64_t deadline);

#endif /* _MACH_MACH_TRAPS_H_ */
