/*
 * thread_act.h - what one may do to a thread through its thread port
 * (XNU's thread_act interface, mach/thread_act.defs): suspend and resume
 * it, abort its wait, ask about it, read and change its registers. The
 * routines are called with a referenced thread (THREAD_NULL for a port of
 * another kind, which each refuses with KERN_INVALID_ARGUMENT, as it does
 * a kernel thread). thread_resume, thread_terminate (thread.h) and
 * thread_policy_set/_get (thread_policy.h) belong to the same interface.
 *
 * Suspension (XNU's user stop count): thread_suspend counts up; the
 * thread stops at its next return to user mode (a thread running in user
 * mode on another CPU is brought in with an IPI; one waiting in the kernel
 * finishes its wait first) and stays stopped until thread_resume has
 * counted back to 0. Suspending oneself takes effect as the call returns.
 * A stopped thread still ends when terminated; signals are taken before
 * it stops (SIGKILL ends the process), their handlers run once resumed.
 */

#ifndef MACH_KERN_THREAD_ACT_H
#define MACH_KERN_THREAD_ACT_H

#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"
#include "mach/mach_types.h"

/*
 * thread_suspend: one more suspension. KERN_TERMINATED if the thread is
 * ending.
 */
kern_return_t	thread_suspend(thread_t thread);

/*
 * thread_abort: end the thread's wait now if it may be interrupted (the
 * call it was in returns as interrupted: EINTR, MACH_RCV_INTERRUPTED);
 * thread_abort_safely only a wait that asked for it (THREAD_ABORTSAFE).
 * A thread that is not waiting is left alone; either way KERN_SUCCESS.
 */
kern_return_t	thread_abort(thread_t thread);
kern_return_t	thread_abort_safely(thread_t thread);

/*
 * thread_info: THREAD_BASIC_INFO, THREAD_IDENTIFIER_INFO,
 * THREAD_EXTENDED_INFO (mach/thread_info.h). KERN_INVALID_ARGUMENT for
 * another flavor or a count too small; *count is then the flavor's.
 */
kern_return_t	thread_info(thread_t thread, thread_flavor_t flavor, thread_info_t info,
		    mach_msg_type_number_t *count);

/*
 * thread_get_state, thread_set_state: the thread's user registers
 * (mach/thread_status.h: x86_THREAD_STATE64). The thread must be the
 * caller or suspended (KERN_FAILURE otherwise: XNU would stop it for the
 * call; Machina asks the caller to). A suspended thread that is still in
 * a system call when its registers are set may still have the call's
 * result written over rax (and rcx, r11 by the instruction) on its way out.
 */
kern_return_t	thread_get_state(thread_t thread, thread_state_flavor_t flavor,
		    thread_state_t state, mach_msg_type_number_t *count);
kern_return_t	thread_set_state(thread_t thread, thread_state_flavor_t flavor,
		    thread_state_t state, mach_msg_type_number_t count);

/*
 * thread_hold_user: ast_taken_user's part (AST_HOLD): stop the current
 * thread while it is suspended, or until something interrupts the stop
 * (thread_terminate); the caller looks at its ASTs again afterwards.
 * Interrupts on.
 */
void		thread_hold_user(void);

#endif /* MACH_KERN_THREAD_ACT_H */
