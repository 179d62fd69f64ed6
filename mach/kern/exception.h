/*
 * exception.h - raising a Mach exception for the current thread.
 *
 * The machine layer turns a user trap it cannot resolve (an invalid
 * instruction, a divide error, a page fault vm_fault refused) into an
 * exception: a type (mach/exception_types.h) and a code and subcode, and
 * calls exception_triage in the faulting thread's context.
 *
 * In XNU, triage offers the exception to the thread's, then the task's,
 * then the host's exception port, and the first handler that answers
 * decides. Machina has no ports yet (Mach IPC comes later). A thread of a
 * BSD process has its exception turned into a signal (the BSD layer's
 * handler, exception_set_bsd_handler: XNU's ux_handler), which the thread
 * takes on its way back to user mode: a handler, or a default action that
 * reports the exception as below. Any other exception takes the default
 * action, the one XNU takes when no handler answers:
 *   - it is recorded in the thread (thread->exc_info: type, code, subcode
 *     and the user instruction pointer), for debuggers and tests;
 *   - one line on the console says what happened:
 *       exception: thread 42 of task sh: EXC_BAD_ACCESS
 *       (KERN_INVALID_ADDRESS at 0x10), rip 0x401a2c; task terminated
 *   - the thread's task is terminated (task_terminate_internal): the
 *     thread ends as it returns towards user mode, its siblings at their
 *     next return. The kernel goes on.
 *
 * Locks: called with none held, interrupts on, from the thread itself.
 */

#ifndef MACH_KERN_EXCEPTION_H
#define MACH_KERN_EXCEPTION_H

#include "mach/exception_types.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"

/*
 * exception_triage: raise exception with codeCnt codes (code[0] the code,
 * code[1] the subcode) for the current thread. Returns KERN_SUCCESS if a
 * handler dealt with it (it became a signal) and the thread may go on,
 * KERN_FAILURE if the default action ran.
 */
kern_return_t	exception_triage(exception_type_t exception, mach_exception_data_t code,
		    mach_msg_type_number_t codeCnt);

/*
 * exception_set_bsd_handler: the BSD layer's ux_handler: it turns an
 * exception no port handled into a signal for the thread (KERN_SUCCESS),
 * or declines (KERN_FAILURE: the thread has no process), and then the
 * default action runs. Once, at BSD start-up.
 */
typedef kern_return_t (*exception_bsd_handler_t)(thread_t thread,
    exception_type_t exception, mach_exception_data_type_t code,
    mach_exception_data_type_t subcode);
void		exception_set_bsd_handler(exception_bsd_handler_t handler);

/*
 * exception_report: the console line for thread's last exception
 * (thread->exc_info), ending with outcome ("task terminated"):
 *   exception: thread 42 of task sh: EXC_BAD_ACCESS (KERN_INVALID_ADDRESS
 *   at 0x10), rip 0x401a2c; task terminated
 */
void		exception_report(thread_t thread, const char *outcome);

/* exception_name: "EXC_BAD_ACCESS", ...; "EXC_UNKNOWN" out of range. */
const char	*exception_name(exception_type_t exception);

#endif /* MACH_KERN_EXCEPTION_H */
