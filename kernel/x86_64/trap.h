/*
 * trap.h - the saved state of a trap or interrupt, and its dispatch.
 *
 * trap_stubs.asm pushes the registers below the frame the CPU pushed, so
 * the whole is one struct x86_saved_state on the stack, lowest address
 * first. The order of the fields is the order of the pushes; genassym.c
 * exports the offsets the assembly needs (never typed twice).
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

/* Page-fault error code bits. */
#define T_PF_PROT		0x01	/* protection violation (else not present) */
#define T_PF_WRITE		0x02
#define T_PF_USER		0x04
#define T_PF_RSVD		0x08
#define T_PF_EXECUTE		0x10

/* Where device interrupts start (the 8259s are remapped here). */
#define T_IRQ_BASE		32

typedef void (*interrupt_handler_t)(unsigned irq, struct x86_saved_state *ss);

/* trap_dispatch: called by the stubs for every vector. */
void	trap_dispatch(struct x86_saved_state *ss);

/* trap_name: "page fault", ... for vectors below 32. */
const char *trap_name(uint64_t trapno);

#endif /* KERNEL_X86_64_TRAP_H */
