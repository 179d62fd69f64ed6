/*
 * syscall.h - the syscall instruction: its MSRs on each CPU, and the
 * dispatch of a system call by class (DESIGN.md section 5).
 *
 * The number is in rax, the arguments in rdi, rsi, rdx, r10, r8, r9. The
 * top byte of the (32-bit) number is the class:
 *
 *	class	rax			goes to			returns in rax
 *	0	n (Linux numbers)	unix_syscall64		-errno or a value
 *	1	0x1000000 + n		mach_call_munger64	kern_return_t
 *	2	0x2000000 + n (XNU's)	unix_syscall64		-errno or a value
 *	other				nothing			-ENOSYS
 *
 * A number with bits set above the low 32 is no call at all: -ENOSYS.
 * rcx and r11 are lost to the syscall instruction (the return address and
 * rflags), as on Linux; every other register comes back as it went in.
 *
 * The entry and the way back are in trap_stubs.asm (hi64_syscall,
 * return_from_trap); docs/usermode.md tells the whole path.
 */

#ifndef KERNEL_X86_64_SYSCALL_H
#define KERNEL_X86_64_SYSCALL_H

#include <stdint.h>

#include "kernel/x86_64/cpu.h"
#include "mach/syscall_sw.h"

struct x86_saved_state;

/*
 * The RFLAGS bits the syscall instruction clears on entry: the kernel
 * starts with interrupts off (until its stack is set up), no single
 * stepping, the string direction up, SMAP in force and no nested task.
 */
#define SYSCALL_RFLAGS_MASK	(RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | \
				 RFLAGS_NT | RFLAGS_IOPL)

/* syscall_cpu_init: EFER.SCE, STAR, LSTAR, CSTAR and SFMASK on this CPU. */
void	syscall_cpu_init(void);

/* x86_syscall64: dispatch the call in ss by class; from hi64_syscall, interrupts on. */
void	x86_syscall64(struct x86_saved_state *ss);

/* mach_call_munger64: a class 1 call: the Mach trap table. */
void	mach_call_munger64(struct x86_saved_state *ss);

#endif /* KERNEL_X86_64_SYSCALL_H */
