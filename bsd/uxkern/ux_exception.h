/*
 * ux_exception.h - which signal a Mach exception becomes (XNU's
 * ux_exception), when no exception port handled it and the thread belongs
 * to a process.
 *
 *	EXC_BAD_ACCESS		SIGSEGV: SEGV_MAPERR (nothing mapped) or
 *				SEGV_ACCERR (the mapping forbids it), si_addr
 *				the address; SIGBUS for a misaligned access or
 *				memory that could not be had; a general
 *				protection fault is SIGSEGV with SI_KERNEL
 *	EXC_BAD_INSTRUCTION	SIGILL (ILL_ILLOPN for an invalid opcode);
 *				a segment fault is SIGSEGV or SIGBUS as Linux
 *	EXC_ARITHMETIC		SIGFPE (FPE_INTDIV, FPE_INTOVF, FPE_FLTINV)
 *	EXC_BREAKPOINT		SIGTRAP (TRAP_BRKPT, TRAP_TRACE)
 *	EXC_SYSCALL		SIGSYS
 *
 * Stateless; no locks.
 */

#ifndef BSD_UXKERN_UX_EXCEPTION_H
#define BSD_UXKERN_UX_EXCEPTION_H

#include "bsd/sys/signalvar.h"
#include "mach/exception_types.h"

/*
 * ux_exception: the signal for exception (code, subcode), with the
 * details its siginfo_t shows in *info (pc: the faulting instruction, the
 * address SIGILL, SIGFPE and SIGTRAP report); 0 if it has none.
 */
int	ux_exception(exception_type_t exception, mach_exception_data_type_t code,
	    mach_exception_data_type_t subcode, uint64_t pc, struct ksiginfo *info);

#endif /* BSD_UXKERN_UX_EXCEPTION_H */
