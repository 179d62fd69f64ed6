/*
 * mach/thread_act.h - operations on a thread through its thread port
 * (mach_thread_self(), or a port another thread hands over): the calls of
 * mach/thread_act.defs, sent as messages to the thread port (XNU's names
 * and arguments).
 *
 * thread_suspend / thread_resume: a suspend count; the thread stops at its
 *   next return to user mode and stays stopped until it is back at 0
 *   (thread_resume of a thread not suspended: KERN_FAILURE).
 * thread_abort / thread_abort_safely: interrupt the thread's wait.
 * thread_terminate: the thread ends at its next return to user mode.
 * thread_info: THREAD_BASIC_INFO, THREAD_IDENTIFIER_INFO,
 *   THREAD_EXTENDED_INFO (<mach/thread_info.h>).
 * thread_get_state / thread_set_state: x86_THREAD_STATE64
 *   (<mach/thread_status.h>) of the caller or of a suspended thread
 *   (KERN_FAILURE for a thread that is running).
 * thread_policy_set / thread_policy_get: <mach/thread_policy.h>.
 * Errors: KERN_INVALID_ARGUMENT for a port that is not a thread's, an
 * unknown flavor or a count too small; MACH_SEND_INVALID_DEST for a name
 * that is no send right.
 */

#ifndef _MACH_THREAD_ACT_H_
#define _MACH_THREAD_ACT_H_

#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/thread_info.h>
#include <mach/thread_policy.h>
#include <mach/thread_status.h>

kern_return_t	thread_terminate(thread_act_t target_act);
kern_return_t	thread_get_state(thread_act_t target_act, thread_state_flavor_t flavor,
		    thread_state_t old_state, mach_msg_type_number_t *old_stateCnt);
kern_return_t	thread_set_state(thread_act_t target_act, thread_state_flavor_t flavor,
		    thread_state_t new_state, mach_msg_type_number_t new_stateCnt);
kern_return_t	thread_suspend(thread_act_t target_act);
kern_return_t	thread_resume(thread_act_t target_act);
kern_return_t	thread_abort(thread_act_t target_act);
kern_return_t	thread_abort_safely(thread_act_t target_act);
kern_return_t	thread_info(thread_act_t target_act, thread_flavor_t flavor,
		    thread_info_t thread_info_out, mach_msg_type_number_t *thread_info_outCnt);
kern_return_t	thread_policy_set(thread_act_t thread, thread_policy_flavor_t flavor,
		    thread_policy_t policy_info, mach_msg_type_number_t policy_infoCnt);
kern_return_t	thread_policy_get(thread_act_t thread, thread_policy_flavor_t flavor,
		    thread_policy_t policy_info, mach_msg_type_number_t *policy_infoCnt,
		    boolean_t *get_default);

#endif /* _MACH_THREAD_ACT_H_ */
