/*
 * thread_md.h - the machine-dependent part of a thread on x86-64.
 *
 * A thread not running on a CPU keeps its kernel context here: the
 * callee-saved registers and stack pointer Switch_context() left
 * behind. Everything else (the caller-saved registers, the interrupted
 * state of a preempted thread) is on the thread's own kernel stack.
 * genassym.c exports the offsets for switch.asm.
 *
 * A thread that runs user code (machine_thread_create) also has:
 *   - iss: its user state, the struct x86_saved_state at the very top of
 *     its kernel stack, where every entry from user mode saves the
 *     registers (TSS.rsp0 and the syscall entry both start there), and
 *     from which every return to user mode restores them;
 *   - ifps: its FPU save area (fpu.h), and fpu_cpu, the CPU whose
 *     registers hold that state, or -1.
 * Kernel threads have neither (both NULL).
 */

#ifndef KERNEL_X86_64_THREAD_MD_H
#define KERNEL_X86_64_THREAD_MD_H

#include <stdint.h>

struct x86_saved_state;

struct x86_kernel_state {
	uint64_t	k_rbx;
	uint64_t	k_rsp;
	uint64_t	k_rbp;
	uint64_t	k_r12;
	uint64_t	k_r13;
	uint64_t	k_r14;
	uint64_t	k_r15;
};

struct machine_thread {
	struct x86_kernel_state	kstate;
	/*
	 * Where a page fault on a user address resumes when the VM system
	 * cannot resolve it: set by copyin and its kin for the length of a
	 * copy (copyio_bytes.asm), 0 otherwise.
	 */
	uint64_t		recover;
	struct x86_saved_state	*iss;		/* [I] user state; NULL: kernel thread */
	void			*ifps;		/* [I] FPU save area; NULL: kernel thread */
	int			fpu_cpu;	/* [S] CPU holding its FPU state, or -1 */
	uint64_t		fsbase;		/* [T] user FS base (thread pointer) */
};

#endif /* KERNEL_X86_64_THREAD_MD_H */
