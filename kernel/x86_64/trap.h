/*
 * trap.h - the saved state of a trap, interrupt or system call, and its
 * dispatch.
 *
 * trap_stubs.asm pushes the registers below the frame the CPU pushed, so
 * the whole is one struct x86_saved_state on the stack, lowest address
 * first. The order of the fields is the order of the pushes; genassym.c
 * exports the offsets the assembly needs (never typed twice).
 *
 * The syscall entry (trap_stubs.asm, hi64_syscall) builds the same struct
 * by hand, with trapno T_SYSCALL, so that a thread's user state has one
 * layout whichever way it entered the kernel: it is always the
 * struct x86_saved_state at the very top of the thread's kernel stack
 * (thread->machine.iss). docs/usermode.md draws it.
 */

#ifndef KERNEL_X86_64_TRAP_H
#define KERNEL_X86_64_TRAP_H

#include <stdint.h>

struct x86_saved_state {
	uint64_t	r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t	rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t	trapno;		/* vector, pushed by the stub */
	uint64_t	err;		/* error code, or 0 */
	/* Pushed by the CPU: */
	uint64_t	rip, cs, rflags, rsp, ss;
};

/* Exception vectors. */
#define T_DIVIDE_ERROR		0
#define T_DEBUG			1
#define T_NMI			2
#define T_INT3			3
#define T_OVERFLOW		4
#define T_OUT_OF_BOUNDS		5
#define T_INVALID_OPCODE	6
#define T_NO_FPU		7
#define T_DOUBLE_FAULT		8
#define T_FPU_FAULT		9
#define T_INVALID_TSS		10
#define T_SEGMENT_NOT_PRESENT	11
#define T_STACK_FAULT		12
#define T_GENERAL_PROTECTION	13
#define T_PAGE_FAULT		14
#define T_FLOATING_POINT_ERROR	16
#define T_ALIGNMENT_CHECK	17
#define T_MACHINE_CHECK		18
#define T_SSE_FLOAT_ERROR	19
#define T_VIRTUALIZATION	20
#define T_CONTROL_PROTECTION	21

/*
 * Not vectors: what trapno says of a state saved by the syscall entry
 * (64-bit mode, or a compatibility-mode caller, which gets ENOSYS).
 */
#define T_SYSCALL		0x100
#define T_SYSCALL32		0x101

/* Page-fault error code bits. */
#define T_PF_PROT		0x01	/* protection violation (else not present) */
#define T_PF_WRITE		0x02
#define T_PF_USER		0x04
#define T_PF_RSVD		0x08
#define T_PF_EXECUTE		0x10

/* Where device interrupts start (the 8259s are remapped here). */
#define T_IRQ_BASE		32

/*
 * Codes of the exceptions a user trap raises (XNU's mach/i386/exception.h):
 * the code that goes with each exception type.
 */
#define EXC_I386_INVOP		1	/* EXC_BAD_INSTRUCTION: invalid opcode */
#define EXC_I386_DIV		1	/* EXC_ARITHMETIC: divide error */
#define EXC_I386_INTO		2	/* EXC_ARITHMETIC: into */
#define EXC_I386_NOEXT		3	/* EXC_ARITHMETIC: no FPU */
#define EXC_I386_EXTOVR		4	/* EXC_ARITHMETIC: FPU segment overrun */
#define EXC_I386_EXTERR		5	/* EXC_ARITHMETIC: x87 error; subcode FSW */
#define EXC_I386_BOUND		7	/* EXC_ARITHMETIC: bound */
#define EXC_I386_SSEEXTERR	8	/* EXC_ARITHMETIC: SIMD error; subcode MXCSR */
#define EXC_I386_SGL		1	/* EXC_BREAKPOINT: single step; subcode DR6 */
#define EXC_I386_BPT		2	/* EXC_BREAKPOINT: int3 */
#define EXC_I386_INVTSSFLT	10	/* EXC_BAD_INSTRUCTION; subcode error code */
#define EXC_I386_SEGNPFLT	11	/* EXC_BAD_INSTRUCTION; subcode error code */
#define EXC_I386_STKFLT		12	/* EXC_BAD_INSTRUCTION; subcode error code */
#define EXC_I386_GPFLT		13	/* EXC_BAD_ACCESS; subcode error code */
#define EXC_I386_ALIGNFLT	17	/* EXC_BAD_ACCESS: alignment check */

typedef void (*interrupt_handler_t)(unsigned irq, struct x86_saved_state *ss);

/* trap_dispatch: called by the stubs for every vector. */
void	trap_dispatch(struct x86_saved_state *ss);

/*
 * The C half of return_from_trap (trap_stubs.asm), on the way back to user
 * mode with ss the thread's user state: act on ASTs (which may block, or
 * end the thread), then make sure the state can be returned to (an
 * instruction pointer outside user space raises an exception instead).
 * Called and returns with interrupts off. Returns nonzero if sysret can
 * restore ss exactly; zero if it must be iretq.
 */
int	user_return_prepare(struct x86_saved_state *ss);

/*
 * trap_bad_iret: the iretq to user mode faulted (trap_stubs.asm sends that
 * fault here, on the stack below the state it was returning). Rebuilds the
 * thread's user state from the fault's frame, raises the exception, and
 * returns the state for return_from_trap to go on with.
 */
struct x86_saved_state *trap_bad_iret(struct x86_saved_state *ss);

/*
 * i386_exception: raise exception (code, subcode) for the current thread,
 * which is in the kernel on behalf of user mode (a user trap, a bad system
 * call). The thread goes on to return_from_trap, where the exception's
 * outcome (for now: its task ended) takes effect.
 */
void	i386_exception(int exc, int64_t code, int64_t subcode);

/* trap_name: "page fault", ... for vectors below 32. */
const char *trap_name(uint64_t trapno);

#endif /* KERNEL_X86_64_TRAP_H */
