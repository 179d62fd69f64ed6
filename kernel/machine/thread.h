/*
 * thread.h - the machine's part of a thread (struct machine_thread), and
 * the calls the scheduler makes on it. Dispatches to the architecture.
 *
 * The module must provide:
 *   - machine_thread_init_stack(): lay out a new thread's kernel stack so
 *     that the first switch to it enters thread_start_trampoline, which
 *     calls thread_continue_new(previous thread);
 *   - machine_switch_context(): save the current thread's kernel context,
 *     load the next one's, and return the thread switched from, in the
 *     next thread's context;
 *   - machine_set_current_thread(): record this CPU's current thread (what
 *     current_thread() returns), in one instruction's reach of an interrupt;
 *   - machine_current_thread(): that thread, as a static inline function
 *     (current_thread() is one).
 *
 * and for threads that run user code (thread_create; docs/usermode.md):
 *   - machine_thread_create(): a user state for thread (user selectors,
 *     interrupts enabled, everything else zero, until thread_setentrypoint
 *     and thread_setuserstack say where to start) and an FPU save area;
 *     its first switch then enters thread_continue_new as for any thread;
 *   - machine_thread_destroy(): free what machine_thread_create made, once
 *     the thread has run for the last time (the reaper calls it);
 *   - thread_exception_return(): leave the kernel for the current thread's
 *     user state, acting on ASTs on the way (which may end the thread);
 *   - machine_thread_user_pc(): the user instruction pointer saved for a
 *     thread (its exception's address, for reports);
 *   - machine_syscall_*(): the system-call view of a saved user state, for
 *     the system-call tables (number, the six arguments, the result).
 */

#ifndef KERNEL_MACHINE_THREAD_H
#define KERNEL_MACHINE_THREAD_H

#if defined(__x86_64__)
#include "kernel/x86_64/thread_md.h"
#else
#error "Machina runs on x86-64 only"
#endif

#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"
#include "mach/std_types.h"
#include "mach/vm_types.h"

void		machine_thread_init_stack(thread_t thread, vm_offset_t stack_top);
thread_t	machine_switch_context(thread_t old, thread_t new);
void		machine_set_current_thread(thread_t thread);

kern_return_t	machine_thread_create(thread_t thread, task_t task);
void		machine_thread_destroy(thread_t thread);
void		thread_exception_return(void) __attribute__((__noreturn__));
uint64_t	machine_thread_user_pc(thread_t thread);

/*
 * thread_setentrypoint, thread_setuserstack: where thread starts in user
 * mode, and its stack pointer there (thread_setuserstack returns it). For
 * a thread that has not run yet, or from the thread itself in the kernel.
 */
void		thread_setentrypoint(thread_t thread, mach_vm_address_t entry);
mach_vm_offset_t thread_setuserstack(thread_t thread, mach_vm_offset_t user_stack);

/*
 * machine_thread_set_tsd_base: thread's user thread pointer (the FS base
 * on x86-64, what arch_prctl(ARCH_SET_FS) sets), in effect from its next
 * return to user mode; KERN_INVALID_ARGUMENT for an address outside user
 * space. For the thread itself, or one that is not running.
 */
kern_return_t	machine_thread_set_tsd_base(thread_t thread, mach_vm_offset_t base);
mach_vm_offset_t machine_thread_get_tsd_base(thread_t thread);

/*
 * machine_thread_get_state, machine_thread_set_state: a user thread's
 * registers as thread_get_state and thread_set_state carry them
 * (mach/thread_status.h flavors). The thread is the caller or is stopped
 * (thread_act.c sees to it). Returns KERN_INVALID_ARGUMENT for a kernel
 * thread, a flavor the machine does not have, a count too small, or (set)
 * a non-canonical rip or rsp; on get, *count is the flavor's count.
 */
kern_return_t	machine_thread_get_state(thread_t thread, int flavor, natural_t *state,
		    mach_msg_type_number_t *count);
kern_return_t	machine_thread_set_state(thread_t thread, int flavor, const natural_t *state,
		    mach_msg_type_number_t count);

/*
 * machine_thread_dup: child (a user thread that has not run) takes
 * parent's user state: registers, FPU and thread pointer, for fork. The
 * parent is the current thread, in a system call; the child will return
 * from the same call, with 0.
 */
void		machine_thread_dup(thread_t parent, thread_t child);

/*
 * machine_thread_state_initialize: the current user thread's state as a
 * new program starts it (exec): every register zero but rip = entry and
 * rsp = user_stack, the FPU in its initial state, no thread pointer.
 */
void		machine_thread_state_initialize(thread_t thread, mach_vm_address_t entry,
		    mach_vm_offset_t user_stack);

/*
 * The system-call view of a saved user state, static inline functions of
 * the machine's header (they are on every system call's path):
 *   - machine_syscall_number(ss), machine_syscall_args(ss, args) (the
 *     MACHINE_SYSCALL_ARGS arguments in registers),
 *     machine_syscall_set_return(ss, value);
 *   - machine_syscall_restart(ss): make ss execute its system call again
 *     when it returns to user mode (ERESTART: a sleep a signal interrupted,
 *     with SA_RESTART); the call's number is still where it was.
 */
struct x86_saved_state;
/* machine_syscall_interrupted: undo a restart; the call returns -error instead. */
void		machine_syscall_interrupted(struct x86_saved_state *ss, int error);

#endif /* KERNEL_MACHINE_THREAD_H */
