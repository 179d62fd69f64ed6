/*
 * trap.c - where every vector lands: exceptions, device interrupts, and the
 * report a panic prints about the trap that caused it; and the C half of
 * the way back to user mode.
 *
 * An exception in the kernel is a kernel bug, with two exceptions: a page
 * fault on a user address inside copyin and its kin, which the VM system
 * resolves or the copy's recovery path answers, and a fault on the access
 * an ml_nofault_* probe makes (nofault.asm), which the probe reports.
 * Anything else panics with the registers, the fault address and error
 * code decoded, and a backtrace that starts at the faulting instruction;
 * a fault in the kext region on a range a kext left when it was unloaded
 * says so, naming the kext (kext_region_unloaded_name).
 *
 * An exception in user mode is the thread's (user_trap): a page fault goes
 * to the VM system, and whatever cannot be resolved becomes a Mach
 * exception for the thread (exception_triage), with XNU's mapping:
 *
 *	#DE			EXC_ARITHMETIC		EXC_I386_DIV
 *	#DB, #BP		EXC_BREAKPOINT		EXC_I386_SGL, EXC_I386_BPT
 *	#UD			EXC_BAD_INSTRUCTION	EXC_I386_INVOP
 *	#GP, #NP, #SS, #TS	EXC_BAD_INSTRUCTION	EXC_I386_GPFLT, ... (error code)
 *	#NM, #MF, #XM		EXC_ARITHMETIC		NOEXT, EXTERR (FSW), SSEEXTERR (MXCSR)
 *	#PF			EXC_BAD_ACCESS		vm_fault's answer, the address
 *
 * NMI, double fault and machine check are the kernel's whichever mode they
 * come from: they panic. Interrupts and exceptions from user mode, like
 * system calls, leave through return_from_trap (trap_stubs.asm), whose C
 * half, user_return_prepare, acts on ASTs: a thread spinning in user mode
 * is preempted at its timer interrupt, and a terminated one ends there.
 */

#include "kernel/x86_64/trap.h"

#include <stddef.h>

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/ksyms.h"
#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/fpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/ioapic.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/ml_interrupt.h"
#include "kernel/x86_64/vm_param.h"
#include "kernel/x86_64/mp.h"
#include "kernel/x86_64/pic.h"
#include "kernel/x86_64/pmap_md.h"
#include "libkern/string.h"
#include "mach/exception_types.h"
#include "mach/kern/exception.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/vm/kext_region.h"
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
	vm_offset_t start, end;

	if (name != NULL) {
		printf("%s: %s + 0x%llx\n", what, name, (unsigned long long)off);
	} else if ((name = kext_region_loaded_name(addr, &start, &end)) != NULL) {
		printf("%s: in %s (loaded at 0x%016lx-0x%016lx) + 0x%lx\n", what, name,
		    start, end, addr - start);
	} else if ((name = kext_region_unloaded_name(addr, &start, &end)) != NULL) {
		printf("%s: in %s, unloaded (was at 0x%016lx-0x%016lx)\n", what, name,
		    start, end);
	}
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
		/* A present user page the kernel may not use: SMEP or SMAP said no. */
		if ((ss->err & (T_PF_USER | T_PF_PROT)) == T_PF_PROT &&
		    get_cr2() < VM_MAX_USER_ADDRESS) {
			if ((ss->err & T_PF_EXECUTE) && (get_cr4() & CR4_SMEP))
				printf("SMEP: the kernel ran code in a user page\n");
			else if (!(ss->err & T_PF_EXECUTE) && (get_cr4() & CR4_SMAP) &&
			    !(ss->rflags & RFLAGS_AC))
				printf("SMAP: the kernel touched a user page outside copyin/copyout\n");
		}
		/* No user page at all: the kernel's own tables were loaded. */
		if ((ss->err & (T_PF_USER | T_PF_PROT)) == 0 && get_cr2() < VM_MAX_USER_ADDRESS &&
		    pmap_no_shared_cr3 && (get_cr3() & PTE_ADDR_MASK) == kernel_pmap_pml4())
			printf("-no_shared_cr3: the kernel used a user address outside "
			    "copyin/copyout (its page tables map no user memory)\n");
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

extern const char nofault_read_insn[], nofault_write_insn[];
extern const char nofault_call_recover[], nofault_call_return[];

/*
 * A page fault on the access an ml_nofault_* probe makes: the probe
 * resumes at its recovery address and reports it. Returns FALSE for any
 * other fault, which stays a kernel bug.
 */
static boolean_t
kernel_probe_fault(struct x86_saved_state *ss)
{
	thread_t self = current_thread();
	uint64_t cr2 = get_cr2();

	if (ss->trapno != T_PAGE_FAULT || self == THREAD_NULL || self->machine.recover == 0)
		return FALSE;
	if (ss->rip == (uint64_t)nofault_read_insn || ss->rip == (uint64_t)nofault_write_insn) {
		ss->rip = self->machine.recover;
		return TRUE;
	}
	/* The call's target could not be fetched: drop its return address. */
	if (self->machine.recover == (uint64_t)nofault_call_recover &&
	    (ss->err & T_PF_EXECUTE) && ss->rip == cr2 &&
	    *(const uint64_t *)ss->rsp == (uint64_t)nofault_call_return) {
		ss->rsp += 8;
		ss->rip = self->machine.recover;
		return TRUE;
	}
	return FALSE;
}

/*
 * A kernel fault on a kext-region range a kext left when it was unloaded
 * (kept unmapped in debug builds): a stale call or pointer into it. Panics
 * naming the kext; returns if the fault is of another kind.
 */
static void
kext_unloaded_fault(struct x86_saved_state *ss)
{
	uint64_t cr2 = get_cr2();
	vm_offset_t start, end;
	const char *name;

	if (ss->trapno != T_PAGE_FAULT)
		return;
	if ((name = kext_region_unloaded_name(cr2, &start, &end)) == NULL)
		return;
	panic_with_state(ss, "kernel fault at 0x%016lx: %s %s, unloaded (was at 0x%016lx-"
	    "0x%016lx)", cr2, (ss->err & T_PF_EXECUTE) ? "call into" : "access to", name,
	    start, end);
}

static void
kernel_trap(struct x86_saved_state *ss)
{
	if (kernel_user_fault(ss) || kernel_probe_fault(ss))
		return;
	kext_unloaded_fault(ss);
	panic_with_state(ss, "Kernel trap at 0x%016lx, type %lu=%s, registers:",
	    ss->rip, ss->trapno, trap_name(ss->trapno));
}

/* --- user mode -------------------------------------------------------------- */

void
i386_exception(int exc, int64_t code, int64_t subcode)
{
	mach_exception_data_type_t codes[EXCEPTION_CODE_MAX] = { code, subcode };

	(void)exception_triage(exc, codes, EXCEPTION_CODE_MAX);
}

/*
 * A page fault in user mode: the VM system makes the page accessible, or
 * the thread gets EXC_BAD_ACCESS with vm_fault's answer and the address.
 * CR2 is read before interrupts come on (another fault would change it).
 */
static void
user_page_fault(struct x86_saved_state *ss)
{
	uint64_t cr2 = get_cr2();
	vm_prot_t type;
	kern_return_t kr;

	if (ss->err & T_PF_RSVD)	/* the page tables are corrupt: not the user's doing */
		panic_with_state(ss, "User page fault at 0x%016lx on a reserved page-table "
		    "bit (CR2 0x%016lx), registers:", ss->rip, cr2);
	if (ss->err & T_PF_EXECUTE)
		type = VM_PROT_EXECUTE;
	else if (ss->err & T_PF_WRITE)
		type = VM_PROT_WRITE;
	else
		type = VM_PROT_READ;
	(void)ml_set_interrupts_enabled(TRUE);
	if (cr2 < VM_MAX_USER_ADDRESS)
		kr = vm_fault(current_thread()->map, trunc_page(cr2), type, FALSE,
		    THREAD_ABORTSAFE, PMAP_NULL, 0);
	else
		kr = KERN_INVALID_ADDRESS;	/* the kernel's half: never the user's */
	/* Resolved: try again. Aborted: the thread is being terminated. */
	if (kr == KERN_SUCCESS || kr == KERN_ABORTED)
		return;
	i386_exception(EXC_BAD_ACCESS, kr, (int64_t)cr2);
}

static uint64_t
get_dr6(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

/*
 * An exception in user mode other than a page fault: the exception it
 * raises for the thread. What the machine said (DR6, the FPU's status) is
 * read before interrupts come on.
 */
static void
user_trap(struct x86_saved_state *ss)
{
	int exc = EXC_BAD_INSTRUCTION;
	int64_t code = 0, subcode = 0;

	switch (ss->trapno) {
	case T_PAGE_FAULT:
		user_page_fault(ss);
		return;
	case T_DIVIDE_ERROR:
		exc = EXC_ARITHMETIC, code = EXC_I386_DIV;
		break;
	case T_DEBUG:
		exc = EXC_BREAKPOINT, code = EXC_I386_SGL, subcode = (int64_t)get_dr6();
		__asm__ volatile("mov %0, %%dr6" : : "r"(0UL));
		break;
	case T_INT3:
		exc = EXC_BREAKPOINT, code = EXC_I386_BPT;
		break;
	case T_OVERFLOW:
		exc = EXC_ARITHMETIC, code = EXC_I386_INTO;
		break;
	case T_OUT_OF_BOUNDS:
		exc = EXC_ARITHMETIC, code = EXC_I386_BOUND;
		break;
	case T_INVALID_OPCODE:
		code = EXC_I386_INVOP;
		break;
	case T_NO_FPU:
		exc = EXC_ARITHMETIC, code = EXC_I386_NOEXT;
		break;
	case T_FPU_FAULT:
		exc = EXC_ARITHMETIC, code = EXC_I386_EXTOVR;
		break;
	case T_INVALID_TSS:
		code = EXC_I386_INVTSSFLT, subcode = (int64_t)ss->err;
		break;
	case T_SEGMENT_NOT_PRESENT:
		code = EXC_I386_SEGNPFLT, subcode = (int64_t)ss->err;
		break;
	case T_STACK_FAULT:
		code = EXC_I386_STKFLT, subcode = (int64_t)ss->err;
		break;
	case T_GENERAL_PROTECTION:
		/*
		 * As XNU: from user mode this is mostly a bad address (a
		 * non-canonical one; CR2 does not say which), so it is an access
		 * fault, and SIGSEGV once signals come. A privileged instruction
		 * raises it too, and is reported the same way.
		 */
		exc = EXC_BAD_ACCESS, code = EXC_I386_GPFLT, subcode = (int64_t)ss->err;
		break;
	case T_FLOATING_POINT_ERROR:
		exc = EXC_ARITHMETIC, code = EXC_I386_EXTERR, subcode = fpu_get_fsw();
		break;
	case T_ALIGNMENT_CHECK:
		exc = EXC_BAD_ACCESS, code = EXC_I386_ALIGNFLT;
		break;
	case T_SSE_FLOAT_ERROR:
		exc = EXC_ARITHMETIC, code = EXC_I386_SSEEXTERR, subcode = fpu_get_mxcsr();
		break;
	default:
		code = (int64_t)ss->trapno;
		break;
	}
	(void)ml_set_interrupts_enabled(TRUE);
	i386_exception(exc, code, subcode);
}

/* The vectors that are the kernel's business whatever mode they come from. */
static boolean_t
trap_is_fatal(uint64_t trapno)
{
	return trapno == T_NMI || trapno == T_DOUBLE_FAULT || trapno == T_MACHINE_CHECK;
}

/* Can the CPU return to ss? Its rip must be in user space (iretq faults otherwise). */
static boolean_t
user_state_returnable(const struct x86_saved_state *ss)
{
	return ss->rip < VM_MAX_USER_ADDRESS;
}

/*
 * Anything the kernel wrote into a user state (thread_setentrypoint, and
 * whatever sets state later) is made safe for iretq: the user selectors,
 * interrupts on, no I/O privilege, no nested task, no virtual-8086 mode.
 */
static void
user_state_sanitize(struct x86_saved_state *ss)
{
	ss->ss = USER_DS;
	if (ss->cs != USER64_CS && ss->cs != USER32_CS)
		ss->cs = USER64_CS;
	ss->rflags &= ~(RFLAGS_IOPL | RFLAGS_NT | RFLAGS_VM | RFLAGS_VIF | RFLAGS_VIP);
	ss->rflags |= RFLAGS_IF | RFLAGS_RESERVED;
}

/*
 * sysret sets rip from rcx and rflags from r11 and loads fixed 64-bit
 * selectors, and (on Intel) faults in the kernel on a non-canonical rip:
 * it restores ss exactly only for an unchanged system-call state, going
 * back below the last user page.
 */
static boolean_t
sysret_restores(const struct x86_saved_state *ss)
{
	return ss->trapno == T_SYSCALL && ss->cs == USER64_CS && ss->rcx == ss->rip &&
	    ss->r11 == ss->rflags && !(ss->rflags & (RFLAGS_TF | RFLAGS_RF)) &&
	    ss->rip < MACH_VM_MAX_ADDRESS;
}

int
user_return_prepare(struct x86_saved_state *ss)
{
	for (;;) {
		ast_taken_user();		/* may end the thread here */
		if (user_state_returnable(ss))
			break;
		/* Nowhere to return to: the thread's exception, like a jump there. */
		(void)ml_set_interrupts_enabled(TRUE);
		i386_exception(EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, (int64_t)ss->rip);
		(void)ml_set_interrupts_enabled(FALSE);
	}
	user_state_sanitize(ss);
	if (pmap_no_shared_cr3)
		pmap_load_user_cr3();	/* the user's tables, last */
	return sysret_restores(ss);
}

struct x86_saved_state *
trap_bad_iret(struct x86_saved_state *ss)
{
	thread_t self = current_thread();
	struct x86_saved_state *iss = self->machine.iss;
	struct x86_saved_state frame = *ss;	/* ss overlaps iss: copy it out first */
	int64_t code;
	int exc = EXC_BAD_INSTRUCTION;

	switch (frame.trapno) {
	case T_GENERAL_PROTECTION:
		exc = EXC_BAD_ACCESS, code = EXC_I386_GPFLT;	/* as user_trap */
		break;
	case T_STACK_FAULT:
		code = EXC_I386_STKFLT;
		break;
	case T_SEGMENT_NOT_PRESENT:
		code = EXC_I386_SEGNPFLT;
		break;
	default:
		panic_with_state(ss, "Kernel trap on the return to user mode, type %lu=%s, "
		    "registers:", frame.trapno, trap_name(frame.trapno));
	}
	/*
	 * The iretq frame (rip to ss) at the top of iss is intact; the
	 * registers below it were popped before the fault, and the fault's own
	 * frame saved the same values again: take them from there.
	 */
	memcpy(iss, &frame, offsetof(struct x86_saved_state, trapno));
	iss->trapno = frame.trapno;
	iss->err = frame.err;
	(void)ml_set_interrupts_enabled(TRUE);
	i386_exception(exc, code, (int64_t)frame.err);
	(void)ml_set_interrupts_enabled(FALSE);
	return iss;
}

/* --- dispatch ---------------------------------------------------------------- */

static unsigned stray_interrupts;

/*
 * After an interrupt: if it made a better thread runnable (or ended the
 * quantum) and the interrupted code could be preempted (interrupts were on,
 * preemption enabled), switch now, on the interrupted thread's stack; the
 * iretq happens when this thread runs again. An interrupt from user mode
 * leaves that to return_from_trap.
 */
static void
interrupt_return(struct x86_saved_state *ss)
{
	if (!(ss->cs & 3) && (ss->rflags & RFLAGS_IF) && get_preemption_level() == 0)
		ast_taken_kernel();
}

void
trap_dispatch(struct x86_saved_state *ss)
{
	if (ss->trapno < T_IRQ_BASE) {
		if ((ss->cs & 3) && !trap_is_fatal(ss->trapno))
			user_trap(ss);
		else
			kernel_trap(ss);
		return;
	}
	if (ss->trapno < T_IRQ_BASE + IOAPIC_MAX_LINES) {
		current_cpu_datap()->cpu_interrupt_count++;
		current_cpu_datap()->cpu_interrupt_level++;
		ml_interrupt_vector((unsigned)(ss->trapno - T_IRQ_BASE), ss);
		current_cpu_datap()->cpu_interrupt_level--;
		interrupt_return(ss);
		return;
	}
	if (ss->trapno == LAPIC_TIMER_VECTOR) {
		current_cpu_datap()->cpu_interrupt_count++;
		current_cpu_datap()->cpu_interrupt_level++;
		lapic_eoi();
		lapic_timer_fired();
		sched_timer_interrupt();
		current_cpu_datap()->cpu_interrupt_level--;
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
		/* Another CPU panicked: say where this one was, for its report. */
		__atomic_store_n(&current_cpu_datap()->cpu_halt_state, (const void *)ss,
		    __ATOMIC_RELEASE);
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
