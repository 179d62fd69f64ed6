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

#include <stddef.h>
#include <stdint.h>

#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/trap.h"

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
	/*
	 * -no_shared_cr3: copies in progress that have the thread's user
	 * pmap loaded (copyio.c); a switch back to the thread loads it again.
	 */
	uint32_t		copyio_window;	/* [T] */
	struct x86_saved_state	*iss;		/* [I] user state; NULL: kernel thread */
	void			*ifps;		/* [I] FPU save area; NULL: kernel thread */
	int			fpu_cpu;	/* [S] CPU holding its FPU state, or -1 */
	uint64_t		fsbase;		/* [T] user FS base (thread pointer) */
};

/*
 * machine_current_thread: what current_thread() returns, as one load from
 * the CPU's block. Inline: current_thread() is asked at every lock, system
 * call and switch, and under emulation a call and its return cost more
 * than the load. volatile, so that no load is moved across a switch.
 */
static inline struct thread *
machine_current_thread(void)
{
	struct thread *t;

	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(t)
	    : "i"(offsetof(struct cpu_data, cpu_active_thread)));
	return t;
}

/* machine_current_processor: what current_processor() returns, the same way. */
static inline struct processor *
machine_current_processor(void)
{
	struct processor *p;

	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(p)
	    : "i"(offsetof(struct cpu_data, cpu_processor)));
	return p;
}

/* machine_preemption_level: what get_preemption_level() returns, the same way. */
static inline int
machine_preemption_level(void)
{
	int level;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(level)
	    : "i"(offsetof(struct cpu_data, cpu_preemption_level)));
	return level;
}

/* The system-call view of a saved state (kernel/machine/thread.h). */
#define MACHINE_SYSCALL_ARGS	6	/* in registers: rdi rsi rdx r10 r8 r9 */

static inline uint64_t
machine_syscall_number(const struct x86_saved_state *ss)
{
	return ss->rax;
}

static inline void
machine_syscall_args(const struct x86_saved_state *ss, uint64_t args[MACHINE_SYSCALL_ARGS])
{
	args[0] = ss->rdi;
	args[1] = ss->rsi;
	args[2] = ss->rdx;
	args[3] = ss->r10;	/* rcx holds the return address */
	args[4] = ss->r8;
	args[5] = ss->r9;
}

static inline void
machine_syscall_set_return(struct x86_saved_state *ss, uint64_t value)
{
	ss->rax = value;
}

/* The number is still in rax (nothing was returned); syscall is 2 bytes (0f 05). */
static inline void
machine_syscall_restart(struct x86_saved_state *ss)
{
	ss->rip -= 2;
}

#endif /* KERNEL_X86_64_THREAD_MD_H */
