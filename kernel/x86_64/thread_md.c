/*
 * thread_md.c - threads on x86-64: a new thread's first stack frame, the
 * current thread and processor, and the preemption level, all reached
 * through the per-CPU block with single GS-relative instructions (so that
 * an interrupt between "which CPU" and "change it" cannot move the thread
 * to another CPU halfway).
 */

#include "kernel/x86_64/thread_md.h"

#include "kernel/machine/thread.h"

#include <stddef.h>

#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu_data.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"

extern void thread_start_trampoline(void);
extern thread_t Switch_context(thread_t old, thread_t new);

#define CPU_DATA_OFFSET(field)	offsetof(struct cpu_data, field)

void
machine_thread_init_stack(thread_t thread, vm_offset_t stack_top)
{
	uint64_t *sp = (uint64_t *)((stack_top - 16) & ~(vm_offset_t)15);

	/* Switch_context's ret pops this and enters the trampoline. */
	*--sp = (uint64_t)thread_start_trampoline;
	thread->machine.kstate = (struct x86_kernel_state){ .k_rsp = (uint64_t)sp };
}

/*
 * Make the CPU ready to run new, then switch stacks. Locks: [S] held,
 * interrupts off.
 *
 * The address space: a thread with a user map gets its pmap loaded; a
 * kernel thread runs in whatever was loaded before (the kernel half is in
 * every pmap), which saves the CR3 reload, and with it the TLB, when a
 * CPU goes from a task to a kernel thread and back to the same task.
 */
thread_t
machine_switch_context(thread_t old, thread_t new)
{
	if (new->map != kernel_map)
		pmap_switch(vm_map_pmap(new->map));
	return Switch_context(old, new);
}

thread_t
current_thread(void)
{
	thread_t t;

	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(t)
	    : "i"(CPU_DATA_OFFSET(cpu_active_thread)));
	return t;
}

processor_t
current_processor(void)
{
	processor_t p;

	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(p)
	    : "i"(CPU_DATA_OFFSET(cpu_processor)));
	return p;
}

void
machine_set_current_thread(thread_t thread)
{
	__asm__ volatile("mov %0, %%gs:%c1" : : "r"(thread),
	    "i"(CPU_DATA_OFFSET(cpu_active_thread)) : "memory");
}

int
get_preemption_level(void)
{
	int level;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(level)
	    : "i"(CPU_DATA_OFFSET(cpu_preemption_level)));
	return level;
}

void
disable_preemption(void)
{
	__asm__ volatile("incl %%gs:%c0" : : "i"(CPU_DATA_OFFSET(cpu_preemption_level))
	    : "memory");
}

void
enable_preemption(void)
{
	unsigned char zero;

	__asm__ volatile("decl %%gs:%c1; setz %0" : "=r"(zero)
	    : "i"(CPU_DATA_OFFSET(cpu_preemption_level)) : "memory", "cc");
	if (zero && current_processor()->pending_ast != AST_NONE &&
	    ml_get_interrupts_enabled())
		ast_taken_kernel();
}
