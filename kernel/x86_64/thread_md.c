/*
 * thread_md.c - threads on x86-64: a new thread's first stack frame, a
 * user thread's saved state and FPU area, the context switch's machine
 * half, and the current thread and processor and the preemption level,
 * all reached through the per-CPU block with single GS-relative
 * instructions (so that an interrupt between "which CPU" and "change it"
 * cannot move the thread to another CPU halfway).
 */

#include "kernel/x86_64/thread_md.h"

#include "kernel/machine/thread.h"

#include <stddef.h>

#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/fpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/mp.h"
#include "kernel/x86_64/pmap_md.h"
#include "kernel/x86_64/trap.h"
#include "kernel/machine/vm_param.h"
#include "libkern/string.h"
#include "mach/thread_status.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"

/* The arithmetic and control flags a user program may change itself. */
#define USER_SETTABLE_RFLAGS	(RFLAGS_CF | (1UL << 2) | (1UL << 4) | (1UL << 6) | \
				 (1UL << 7) | RFLAGS_TF | RFLAGS_DF | (1UL << 11) | \
				 RFLAGS_AC | (1UL << 21))

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
 * A user thread's saved state and FPU area. Its kernel stack's first frame
 * moves below the saved state, which owns the top of the stack from now
 * on. Nothing is left allocated on failure.
 */
kern_return_t
machine_thread_create(thread_t thread, task_t task)
{
	vm_offset_t top = thread->kernel_stack + thread->kernel_stack_size;
	struct x86_saved_state *iss = (struct x86_saved_state *)(top - sizeof(*iss));

	(void)task;
	thread->machine.ifps = fpu_state_alloc();
	if (thread->machine.ifps == NULL)
		return KERN_RESOURCE_SHORTAGE;
	thread->machine.fpu_cpu = -1;
	memset(iss, 0, sizeof(*iss));
	iss->cs = USER64_CS;
	iss->ss = USER_DS;
	iss->rflags = RFLAGS_IF | RFLAGS_RESERVED;
	thread->machine.iss = iss;
	machine_thread_init_stack(thread, (vm_offset_t)iss);
	return KERN_SUCCESS;
}

void
machine_thread_destroy(thread_t thread)
{
	if (thread->machine.ifps != NULL)
		fpu_state_free(thread->machine.ifps);
	thread->machine.ifps = NULL;
	thread->machine.iss = NULL;
}

void
thread_setentrypoint(thread_t thread, mach_vm_address_t entry)
{
	thread->machine.iss->rip = entry;
}

mach_vm_offset_t
thread_setuserstack(thread_t thread, mach_vm_offset_t user_stack)
{
	thread->machine.iss->rsp = user_stack;
	return user_stack;
}

void
machine_thread_dup(thread_t parent, thread_t child)
{
	*child->machine.iss = *parent->machine.iss;
	child->machine.iss->rax = 0;		/* the child's fork returns 0 */
	child->machine.fsbase = parent->machine.fsbase;
	fpu_state_dup(parent, child);
}

void
machine_thread_state_initialize(thread_t thread, mach_vm_address_t entry,
    mach_vm_offset_t user_stack)
{
	struct x86_saved_state *iss = thread->machine.iss;

	memset(iss, 0, sizeof(*iss));
	iss->cs = USER64_CS;
	iss->ss = USER_DS;
	iss->rflags = RFLAGS_IF | RFLAGS_RESERVED;
	iss->rip = entry;
	iss->rsp = user_stack;
	iss->trapno = T_SYSCALL;
	fpu_state_reset(thread);
	(void)machine_thread_set_tsd_base(thread, 0);
}

kern_return_t
machine_thread_get_state(thread_t thread, int flavor, natural_t *state,
    mach_msg_type_number_t *count)
{
	const struct x86_saved_state *iss = thread->machine.iss;
	struct x86_thread_state64 ts;

	if (iss == NULL || flavor != x86_THREAD_STATE64 || *count < x86_THREAD_STATE64_COUNT)
		return KERN_INVALID_ARGUMENT;
	ts = (struct x86_thread_state64){
		.rax = iss->rax, .rbx = iss->rbx, .rcx = iss->rcx, .rdx = iss->rdx,
		.rdi = iss->rdi, .rsi = iss->rsi, .rbp = iss->rbp, .rsp = iss->rsp,
		.r8 = iss->r8, .r9 = iss->r9, .r10 = iss->r10, .r11 = iss->r11,
		.r12 = iss->r12, .r13 = iss->r13, .r14 = iss->r14, .r15 = iss->r15,
		.rip = iss->rip, .rflags = iss->rflags, .cs = iss->cs,
		.fs = 0, .gs = 0,	/* the null selector: the bases are MSRs */
	};
	memcpy(state, &ts, sizeof(ts));
	*count = x86_THREAD_STATE64_COUNT;
	return KERN_SUCCESS;
}

kern_return_t
machine_thread_set_state(thread_t thread, int flavor, const natural_t *state,
    mach_msg_type_number_t count)
{
	struct x86_saved_state *iss = thread->machine.iss;
	struct x86_thread_state64 ts;

	if (iss == NULL || flavor != x86_THREAD_STATE64 || count < x86_THREAD_STATE64_COUNT)
		return KERN_INVALID_ARGUMENT;
	memcpy(&ts, state, sizeof(ts));
	if (ts.rip >= MACH_VM_MAX_ADDRESS || ts.rsp > 0x00007fffffffffffUL)	/* canonical, user */
		return KERN_INVALID_ARGUMENT;
	iss->rax = ts.rax, iss->rbx = ts.rbx, iss->rcx = ts.rcx, iss->rdx = ts.rdx;
	iss->rdi = ts.rdi, iss->rsi = ts.rsi, iss->rbp = ts.rbp, iss->rsp = ts.rsp;
	iss->r8 = ts.r8, iss->r9 = ts.r9, iss->r10 = ts.r10, iss->r11 = ts.r11;
	iss->r12 = ts.r12, iss->r13 = ts.r13, iss->r14 = ts.r14, iss->r15 = ts.r15;
	iss->rip = ts.rip;
	/* Only the flags user mode may set; the return path keeps IF and the rest right. */
	iss->rflags = (iss->rflags & ~USER_SETTABLE_RFLAGS) | (ts.rflags & USER_SETTABLE_RFLAGS);
	return KERN_SUCCESS;
}

uint64_t
machine_thread_user_pc(thread_t thread)
{
	return thread->machine.iss != NULL ? thread->machine.iss->rip : 0;
}

void
machine_syscall_interrupted(struct x86_saved_state *ss, int error)
{
	ss->rip += 2;
	ss->rax = (uint64_t)-(int64_t)error;
}

/*
 * Make the CPU ready to run new, then switch stacks. Locks: [S] held,
 * interrupts off.
 *
 * The address space: a thread with a user map gets its pmap loaded; a
 * kernel thread runs in whatever was loaded before (the kernel half is
 * in every pmap), which saves the CR3 reload, and under TCG the whole
 * software TLB, when a CPU goes from a task to a kernel thread (or idle)
 * and back to the same task. A thread that is terminating does not leave
 * its pmap behind that way: its task may be about to go, and the CPU
 * would then be asked for every range the teardown removes, and at last
 * to let go (mp_pmap_release, which pmap_destroy still sends to any CPU
 * holding a dying pmap this way). An idle CPU is not asked at all while
 * it idles (mp_cr3_mark_active). copyin refuses a thread whose map is
 * kernel_map whatever is loaded.
 *
 * The stack an entry from user mode lands on (TSS.rsp0, and the syscall
 * entry's cpu_kernel_stack) is the top of new's kernel stack: where a user
 * thread's saved state lives. The FPU: fpu.h.
 */
thread_t
machine_switch_context(thread_t old, thread_t new)
{
	struct cpu_data *cd = current_cpu_datap();
	vm_offset_t top = new->kernel_stack + new->kernel_stack_size;

	/* Debug builds check, at every switch, that nothing turned CR0.WP off. */
	if (MACHINA_DEBUG)
		pmap_kip_check_wp("machine_switch_context");
	if (cd->cpu_cr3_inactive)
		mp_cr3_mark_active();
	if (new->map != kernel_map)
		pmap_switch(vm_map_pmap(new->map));
	else if (old->state & TH_TERMINATE)
		pmap_switch(kernel_pmap);
	if (pmap_no_shared_cr3)
		pmap_load_cr3_for(new);	/* inside a copy or not */
	fpu_switch(old, new);
	/* A kernel thread leaves the last user FS base loaded; nothing reads it. */
	if (new->machine.iss != NULL && new->machine.fsbase != cd->cpu_user_fsbase) {
		wrmsr(MSR_FS_BASE, new->machine.fsbase);
		cd->cpu_user_fsbase = new->machine.fsbase;
	}
	cd->cpu_kernel_stack = top;
	cd->cpu_desc->cd_tss.rsp0 = top;
	return Switch_context(old, new);
}

kern_return_t
machine_thread_set_tsd_base(thread_t thread, mach_vm_offset_t base)
{
	if (thread->machine.iss == NULL || base >= VM_MAX_USER_ADDRESS)
		return KERN_INVALID_ARGUMENT;
	thread->machine.fsbase = base;
	if (thread == current_thread()) {
		boolean_t s = ml_set_interrupts_enabled(FALSE);

		wrmsr(MSR_FS_BASE, base);
		current_cpu_datap()->cpu_user_fsbase = base;
		(void)ml_set_interrupts_enabled(s);
	}
	return KERN_SUCCESS;
}

mach_vm_offset_t
machine_thread_get_tsd_base(thread_t thread)
{
	return thread->machine.fsbase;
}

/* The function behind the inline (mach/kern/thread.h), for kexts and gdb. */
thread_t
(current_thread)(void)
{
	return machine_current_thread();
}

processor_t
(current_processor)(void)
{
	return machine_current_processor();
}

void
machine_set_current_thread(thread_t thread)
{
	__asm__ volatile("mov %0, %%gs:%c1" : : "r"(thread),
	    "i"(CPU_DATA_OFFSET(cpu_active_thread)) : "memory");
}

int
(get_preemption_level)(void)
{
	return machine_preemption_level();
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
