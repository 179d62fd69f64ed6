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
 *     current_thread() returns), in one instruction's reach of an interrupt.
 */

#ifndef KERNEL_MACHINE_THREAD_H
#define KERNEL_MACHINE_THREAD_H

#if defined(__x86_64__)
#include "kernel/x86_64/thread_md.h"
#else
#error "Machina runs on x86-64 only"
#endif

#include "mach/kern/kern_types.h"
#include "mach/vm_types.h"

void		machine_thread_init_stack(thread_t thread, vm_offset_t stack_top);
thread_t	machine_switch_context(thread_t old, thread_t new);
void		machine_set_current_thread(thread_t thread);

#endif /* KERNEL_MACHINE_THREAD_H */
