/*
 * genassym.c - offsets and sizes for the assembly, generated from C.
 *
 * This file is compiled to assembly only; tools/genassym.sh turns each
 * "->NAME value" marker into a NASM %define in build/include/assym.inc.
 */

#include <stddef.h>

#include "bsd/sys/errno.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/trap.h"
#include "mach/kern/thread.h"

#define ASSYM(name, value) \
	__asm__ volatile("\n.ascii \"->" #name " %c0\"" : : "i"((long)(value)))

void genassym(void);

void
genassym(void)
{
	ASSYM(SS_SIZE, sizeof(struct x86_saved_state));
	ASSYM(SS_TRAPNO, offsetof(struct x86_saved_state, trapno));
	ASSYM(SS_ERR, offsetof(struct x86_saved_state, err));
	ASSYM(SS_RIP, offsetof(struct x86_saved_state, rip));
	ASSYM(SS_CS, offsetof(struct x86_saved_state, cs));
	ASSYM(SS_RFLAGS, offsetof(struct x86_saved_state, rflags));
	ASSYM(SS_RSP, offsetof(struct x86_saved_state, rsp));
	ASSYM(SS_SS, offsetof(struct x86_saved_state, ss));
	ASSYM(T_SYSCALL, T_SYSCALL);
	ASSYM(T_SYSCALL32, T_SYSCALL32);

	ASSYM(TH_KS_RBX, offsetof(struct thread, machine.kstate.k_rbx));
	ASSYM(TH_KS_RSP, offsetof(struct thread, machine.kstate.k_rsp));
	ASSYM(TH_KS_RBP, offsetof(struct thread, machine.kstate.k_rbp));
	ASSYM(TH_KS_R12, offsetof(struct thread, machine.kstate.k_r12));
	ASSYM(TH_KS_R13, offsetof(struct thread, machine.kstate.k_r13));
	ASSYM(TH_KS_R14, offsetof(struct thread, machine.kstate.k_r14));
	ASSYM(TH_KS_R15, offsetof(struct thread, machine.kstate.k_r15));
	ASSYM(TH_RECOVER, offsetof(struct thread, machine.recover));
	ASSYM(TH_ISS, offsetof(struct thread, machine.iss));

	ASSYM(CPU_ACTIVE_THREAD, offsetof(struct cpu_data, cpu_active_thread));
	ASSYM(CPU_KERNEL_STACK, offsetof(struct cpu_data, cpu_kernel_stack));
	ASSYM(CPU_UBER_TMP, offsetof(struct cpu_data, cpu_uber_tmp));
	ASSYM(CPU_KERNEL_CR3, offsetof(struct cpu_data, cpu_kernel_cr3));

	ASSYM(USER32_CS, USER32_CS);
	ASSYM(USER64_CS, USER64_CS);
	ASSYM(USER_DS, USER_DS);
	/* As a 32-bit value (for mov ecx): %c cannot print a wider immediate. */
	ASSYM(MSR_GS_BASE, (int32_t)MSR_GS_BASE);

	ASSYM(EFAULT_VALUE, EFAULT);
	ASSYM(ENAMETOOLONG_VALUE, ENAMETOOLONG);
}
