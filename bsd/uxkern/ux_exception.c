/*
 * ux_exception.c - Mach exceptions into signals (ux_exception.h).
 */

#include "bsd/uxkern/ux_exception.h"

#include "libkern/string.h"
#include "mach/kern_return.h"

/*
 * The codes the x86-64 trap handler gives (XNU's mach/i386/exception.h;
 * the machine header itself is not for the BSD layer).
 */
#define EXC_I386_INVOP		1
#define EXC_I386_DIV		1
#define EXC_I386_INTO		2
#define EXC_I386_BOUND		7
#define EXC_I386_SGL		1
#define EXC_I386_SEGNPFLT	11
#define EXC_I386_STKFLT		12
#define EXC_I386_GPFLT		13
#define EXC_I386_ALIGNFLT	17

static int
ux_bad_access(mach_exception_data_type_t code, mach_exception_data_type_t subcode,
    struct ksiginfo *info)
{
	switch (code) {
	case KERN_INVALID_ADDRESS:
		info->ksi_code = SEGV_MAPERR, info->ksi_addr = (uint64_t)subcode;
		return SIGSEGV;
	case KERN_PROTECTION_FAILURE:
		info->ksi_code = SEGV_ACCERR, info->ksi_addr = (uint64_t)subcode;
		return SIGSEGV;
	case EXC_I386_GPFLT:
		info->ksi_code = SI_KERNEL;	/* no address: CR2 says nothing */
		return SIGSEGV;
	case EXC_I386_ALIGNFLT:
		info->ksi_code = BUS_ADRALN;
		return SIGBUS;
	default:	/* no memory to be had, a memory error */
		info->ksi_code = SI_KERNEL, info->ksi_addr = (uint64_t)subcode;
		return SIGBUS;
	}
}

int
ux_exception(exception_type_t exception, mach_exception_data_type_t code,
    mach_exception_data_type_t subcode, uint64_t pc, struct ksiginfo *info)
{
	memset(info, 0, sizeof(*info));
	info->ksi_addr = pc;
	switch (exception) {
	case EXC_BAD_ACCESS:
		return ux_bad_access(code, subcode, info);
	case EXC_BAD_INSTRUCTION:
		if (code == EXC_I386_INVOP) {
			info->ksi_code = ILL_ILLOPN;
			return SIGILL;
		}
		info->ksi_code = SI_KERNEL, info->ksi_addr = 0;
		return (code == EXC_I386_SEGNPFLT || code == EXC_I386_STKFLT) ? SIGBUS : SIGSEGV;
	case EXC_ARITHMETIC:
		if (code == EXC_I386_BOUND) {
			info->ksi_code = SI_KERNEL;
			return SIGSEGV;
		}
		info->ksi_code = code == EXC_I386_DIV ? FPE_INTDIV :
		    code == EXC_I386_INTO ? FPE_INTOVF : FPE_FLTINV;
		return SIGFPE;
	case EXC_BREAKPOINT:
		info->ksi_code = code == EXC_I386_SGL ? TRAP_TRACE : TRAP_BRKPT;
		return SIGTRAP;
	case EXC_SYSCALL:
		info->ksi_code = SI_KERNEL;
		return SIGSYS;
	default:
		return 0;
	}
}
