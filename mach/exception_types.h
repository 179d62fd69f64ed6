/*
 * exception_types.h - Mach exceptions: what a thread raises when it does
 * something its machine will not (XNU's mach/exception_types.h values).
 *
 * An exception is a type and up to EXCEPTION_CODE_MAX codes. The codes'
 * meaning depends on the type: for EXC_BAD_ACCESS the code is the
 * kern_return_t the fault handler gave and the subcode the address; for
 * the others the code names the machine's reason (kernel/x86_64/trap.h has
 * the x86 ones, EXC_I386_*) and the subcode adds what the machine said
 * (an error code, a status register).
 */

#ifndef MACH_EXCEPTION_TYPES_H
#define MACH_EXCEPTION_TYPES_H

#include <stdint.h>

#include "mach/std_types.h"

#define EXC_BAD_ACCESS		1	/* could not access memory: code kern_return_t,
					   subcode the address */
#define EXC_BAD_INSTRUCTION	2	/* illegal or undefined instruction or operand */
#define EXC_ARITHMETIC		3	/* arithmetic exception (divide by zero, FPU) */
#define EXC_EMULATION		4	/* emulation instruction */
#define EXC_SOFTWARE		5	/* software generated exception */
#define EXC_BREAKPOINT		6	/* trace, breakpoint */
#define EXC_SYSCALL		7	/* system call out of range: code the number */
#define EXC_MACH_SYSCALL	8	/* Mach system call */
#define EXC_RPC_ALERT		9	/* RPC alert */
#define EXC_CRASH		10	/* abnormal process exit */
#define EXC_RESOURCE		11	/* hit a resource limit */
#define EXC_GUARD		12	/* violated a guarded resource */
#define EXC_CORPSE_NOTIFY	13	/* a corpse was made */

#define EXC_TYPES_COUNT		14	/* including the illegal 0 */
#define EXCEPTION_CODE_MAX	2	/* code and subcode */

typedef int			exception_type_t;
typedef int64_t			mach_exception_data_type_t;
typedef mach_exception_data_type_t *mach_exception_data_t;

#endif /* MACH_EXCEPTION_TYPES_H */
