/*
 * syscall.c - the syscall instruction's set-up, and system calls by class
 * (syscall.h).
 */

#include "kernel/x86_64/syscall.h"

#include "bsd/kern/unix_syscall.h"
#include "bsd/sys/errno.h"
#include "kernel/copyio.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/trap.h"
#include "mach/exception_types.h"
#include "mach/kern/syscall_sw.h"

extern void hi64_syscall(void);
extern void hi32_syscall(void);

/*
 * STAR: syscall loads CS from bits 47:32 (and SS from the next selector);
 * sysret to 64-bit mode loads CS from bits 63:48 + 16 and SS from + 8, with
 * RPL 3. gdt.h lays the selectors out for exactly this.
 */
void
syscall_cpu_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)USER32_CS << 48) | ((uint64_t)KERNEL64_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)hi64_syscall);
	wrmsr(MSR_CSTAR, (uint64_t)hi32_syscall);
	wrmsr(MSR_SFMASK, SYSCALL_RFLAGS_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void
x86_syscall64(struct x86_saved_state *ss)
{
	uint64_t number = ss->rax;

	/* A compatibility-mode caller: there is no 32-bit system call interface. */
	if (ss->trapno != T_SYSCALL || (number >> 32) != 0) {
		ss->rax = (uint64_t)-ENOSYS;
		return;
	}
	switch ((number & SYSCALL_CLASS_MASK) >> SYSCALL_CLASS_SHIFT) {
	case SYSCALL_CLASS_UNIX:
	case SYSCALL_CLASS_BSD:
		unix_syscall64(ss);
		break;
	case SYSCALL_CLASS_MACH:
		mach_call_munger64(ss);
		break;
	default:
		ss->rax = (uint64_t)-ENOSYS;
		break;
	}
}

/*
 * The arguments past the sixth are on the user stack, above the return
 * address of the library stub that made the call (XNU's convention).
 */
void
mach_call_munger64(struct x86_saved_state *ss)
{
	uint64_t n = ss->rax & SYSCALL_NUMBER_MASK;
	const struct mach_trap *trap;
	struct mach_call_args args;

	if (n >= MACH_TRAP_TABLE_COUNT) {
		i386_exception(EXC_SYSCALL, (int64_t)ss->rax, 1);
		return;
	}
	trap = &mach_trap_table[n];
	args.arg[0] = ss->rdi;
	args.arg[1] = ss->rsi;
	args.arg[2] = ss->rdx;
	args.arg[3] = ss->r10;
	args.arg[4] = ss->r8;
	args.arg[5] = ss->r9;
	if (trap->mach_trap_arg_count > 6 &&
	    copyin(ss->rsp + sizeof(uint64_t), &args.arg[6],
	    (vm_size_t)(trap->mach_trap_arg_count - 6) * sizeof(uint64_t)) != 0) {
		ss->rax = KERN_INVALID_ARGUMENT;
		return;
	}
	ss->rax = (uint64_t)(int64_t)trap->mach_trap_function(&args);
}
