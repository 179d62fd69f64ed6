/*
 * trap.c - where every vector lands: exceptions, device interrupts, and the
 * report a panic prints about the trap that caused it.
 *
 * An exception in the kernel is a kernel bug, with one exception: a page
 * fault on a user address inside copyin and its kin, which the VM system
 * resolves or the copy's recovery path answers. Anything else panics with
 * the registers, the fault address and error code decoded, and a
 * backtrace that starts at the faulting instruction.
 */

#include "kernel/x86_64/trap.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/ksyms.h"
#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/vm_param.h"
#include "kernel/x86_64/mp.h"
#include "kernel/x86_64/pic.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_fault.h"

static const char *const trap_names[] = {
	[T_DIVIDE_ERROR]	= "divide error",
	[T_DEBUG]		= "debug",
	[T_NMI]			= "NMI",
	[T_INT3]		= "breakpoint",
	[T_OVERFLOW]		= "overflow",
	[T_OUT_OF_BOUNDS]	= "bound range exceeded",
	[T_INVALID_OPCODE]	= "invalid opcode",
	[T_NO_FPU]		= "device not available",
	[T_DOUBLE_FAULT]	= "double fault",
	[T_FPU_FAULT]		= "coprocessor segment overrun",
	[T_INVALID_TSS]		= "invalid TSS",
	[T_SEGMENT_NOT_PRESENT]	= "segment not present",
	[T_STACK_FAULT]		= "stack fault",
	[T_GENERAL_PROTECTION]	= "general protection",
	[T_PAGE_FAULT]		= "page fault",
	[T_FLOATING_POINT_ERROR] = "x87 floating point error",
	[T_ALIGNMENT_CHECK]	= "alignment check",
	[T_MACHINE_CHECK]	= "machine check",
	[T_SSE_FLOAT_ERROR]	= "SIMD floating point error",
	[T_VIRTUALIZATION]	= "virtualization",
	[T_CONTROL_PROTECTION]	= "control protection",
};

const char *
trap_name(uint64_t trapno)
{
	if (trapno < nitems(trap_names) && trap_names[trapno] != NULL)
		return trap_names[trapno];
	return trapno < T_IRQ_BASE ? "reserved" : "interrupt";
}

static void
print_symbolic(const char *what, uint64_t addr)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);

	if (name != NULL)
		printf("%s: %s + 0x%llx\n", what, name, (unsigned long long)off);
}

/*
 * A fault at or near a guard page is a stack overflow: say so, since the
 * double fault it turns into says nothing of the cause.
 */
static void
report_stack_overflow(const struct x86_saved_state *ss)
{
	vm_offset_t guards[9];
	unsigned n = gdt_stack_guards(guards, nitems(guards) - 1);
	thread_t self = current_thread();
	uint64_t cr2 = get_cr2();

	/* The running thread's own stack, if it has a guarded one. */
	if (self != THREAD_NULL && self->stack_owned && self->kernel_stack != 0)
		guards[n++] = self->kernel_stack - PAGE_SIZE;

	for (unsigned i = 0; i < n; i++) {
		if ((cr2 >= guards[i] && cr2 < guards[i] + PAGE_SIZE) ||
		    (ss->rsp >= guards[i] && ss->rsp < guards[i] + 2 * PAGE_SIZE)) {
			printf("Stack overflow: the stack ran into its guard page at "
			    "0x%016lx\n", guards[i]);
			return;
		}
	}
}

void
machine_print_state(const void *state)
{
	const struct x86_saved_state *ss = state;

	printf("CR0: 0x%016lx, CR2: 0x%016lx, CR3: 0x%016lx, CR4: 0x%016lx\n",
	    get_cr0(), get_cr2(), get_cr3(), get_cr4());
	printf("RAX: 0x%016lx, RBX: 0x%016lx, RCX: 0x%016lx, RDX: 0x%016lx\n",
	    ss->rax, ss->rbx, ss->rcx, ss->rdx);
	printf("RSP: 0x%016lx, RBP: 0x%016lx, RSI: 0x%016lx, RDI: 0x%016lx\n",
	    ss->rsp, ss->rbp, ss->rsi, ss->rdi);
	printf("R8:  0x%016lx, R9:  0x%016lx, R10: 0x%016lx, R11: 0x%016lx\n",
	    ss->r8, ss->r9, ss->r10, ss->r11);
	printf("R12: 0x%016lx, R13: 0x%016lx, R14: 0x%016lx, R15: 0x%016lx\n",
	    ss->r12, ss->r13, ss->r14, ss->r15);
	printf("RFL: 0x%016lx, RIP: 0x%016lx, CS:  0x%016lx, SS:  0x%016lx\n",
	    ss->rflags, ss->rip, ss->cs, ss->ss);
	printf("Fault CR2: 0x%016lx, Error code: 0x%016lx, Fault CPU: 0x%x\n",
	    get_cr2(), ss->err, cpu_number());
	if (ss->trapno == T_PAGE_FAULT) {
		printf("Page fault: %s, %s access, %s mode%s%s\n",
		    (ss->err & T_PF_PROT) ? "protection violation" : "page not present",
		    (ss->err & T_PF_EXECUTE) ? "instruction fetch" :
		    (ss->err & T_PF_WRITE) ? "write" : "read",
		    (ss->err & T_PF_USER) ? "user" : "kernel",
		    (ss->err & T_PF_RSVD) ? ", reserved bit set in a page table" : "",
		    get_cr2() < 0x1000 ? " (NULL pointer)" : "");
		print_symbolic("Fault address", get_cr2());
	}
	if (ss->trapno == T_DOUBLE_FAULT || ss->trapno == T_PAGE_FAULT)
		report_stack_overflow(ss);
	print_symbolic("Faulting instruction", ss->rip);
}

/*
 * A page fault in the kernel on a user address, inside copyin or its kin
 * (the thread has a recovery address): the VM system resolves it if it
 * can (the page may just not be there yet), and otherwise the copy
 * resumes at its recovery address and returns EFAULT. Anywhere else a
 * kernel fault on a user address is a bug (SMAP makes sure it faults).
 * Returns FALSE if the fault is not of that kind.
 */
static boolean_t
kernel_user_fault(struct x86_saved_state *ss)
{
	thread_t self = current_thread();
	uint64_t cr2 = get_cr2();		/* before anything can fault again */
	kern_return_t kr = KERN_FAILURE;

	if (ss->trapno != T_PAGE_FAULT || self == THREAD_NULL ||
	    self->machine.recover == 0 || cr2 >= VM_MAX_USER_ADDRESS ||
	    (ss->err & T_PF_RSVD))
		return FALSE;
	/* Only where the copy could have blocked anyway. */
	if ((ss->rflags & RFLAGS_IF) && get_preemption_level() == 0 &&
	    current_cpu_datap()->cpu_interrupt_level == 0) {
		(void)ml_set_interrupts_enabled(TRUE);
		kr = vm_fault(self->map, trunc_page(cr2),
		    (ss->err & T_PF_WRITE) ? VM_PROT_WRITE : VM_PROT_READ, FALSE,
		    THREAD_UNINT, PMAP_NULL, 0);
		(void)ml_set_interrupts_enabled(FALSE);
	}
	if (kr != KERN_SUCCESS)
		ss->rip = self->machine.recover;
	return TRUE;
}

static void
kernel_trap(struct x86_saved_state *ss)
{
	if (kernel_user_fault(ss))
		return;
	panic_with_state(ss, "Kernel trap at 0x%016lx, type %lu=%s, registers:",
	    ss->rip, ss->trapno, trap_name(ss->trapno));
}

static unsigned stray_interrupts;

/*
 * After an interrupt: if it made a better thread runnable (or ended the
 * quantum) and the interrupted code could be preempted (interrupts were on,
 * preemption enabled), switch now, on the interrupted thread's stack; the
 * iretq happens when this thread runs again.
 */
static void
interrupt_return(struct x86_saved_state *ss)
{
	if ((ss->rflags & RFLAGS_IF) && get_preemption_level() == 0)
		ast_taken_kernel();
}

void
trap_dispatch(struct x86_saved_state *ss)
{
	if (ss->trapno < T_IRQ_BASE) {
		kernel_trap(ss);
		return;
	}
	if (ss->trapno < T_IRQ_BASE + PIC_IRQS) {
		current_cpu_datap()->cpu_interrupt_count++;
		pic_dispatch((unsigned)(ss->trapno - T_IRQ_BASE), ss);
		interrupt_return(ss);
		return;
	}
	if (ss->trapno == LAPIC_TIMER_VECTOR) {
		current_cpu_datap()->cpu_interrupt_count++;
		lapic_eoi();
		sched_timer_interrupt();
		interrupt_return(ss);
		return;
	}
	switch (ss->trapno) {
	case IPI_RESCHEDULE_VECTOR:
		lapic_eoi();
		interrupt_return(ss);	/* the sender set the AST */
		return;
	case IPI_TLB_VECTOR:
		lapic_eoi();
		mp_tlb_service();
		return;
	case IPI_HALT_VECTOR:
		ml_halt_cpu();
	case LAPIC_SPURIOUS_VECTOR:
		return;		/* no EOI, and no comment */
	default:
		break;
	}
	/* Nothing programs these vectors: a stray, worth a line, not a panic. */
	if (stray_interrupts++ < 10)
		printf("trap: stray interrupt on vector %lu ignored\n", ss->trapno);
}
