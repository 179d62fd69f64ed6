/*
 * syscall_sw.h - the Mach trap table: system-call class 1 (DESIGN.md 5).
 *
 * User space calls trap n with rax = 0x1000000 + n (syscall); the
 * machine's dispatch looks n up in mach_trap_table, passes the arguments
 * as a struct mach_call_args (mach_traps.h), and returns the trap's
 * kern_return_t in rax. A number past the table raises EXC_SYSCALL for
 * the thread. The numbers, names and argument counts are XNU's, so a
 * libsystem written against XNU's headers calls the same traps.
 *
 * Adding a trap: its argument structure and prototype in mach_traps.h
 * (one 64-bit field per argument), its MACH_TRAP line in syscall_sw.c in
 * place of the kern_invalid that holds its number, and a user-mode test
 * (docs/usermode.md).
 *
 * The table is constant: no locks.
 */

#ifndef MACH_KERN_SYSCALL_SW_H
#define MACH_KERN_SYSCALL_SW_H

#include "mach/kern_return.h"
#include "mach/mach_traps.h"

#define MACH_TRAP_TABLE_COUNT	128

typedef kern_return_t (*mach_trap_function_t)(void *args);

struct mach_trap {
	mach_trap_function_t	mach_trap_function;
	int			mach_trap_arg_count;	/* 0 to MACH_TRAP_ARGS_MAX */
	const char		*mach_trap_name;
};

extern const struct mach_trap	mach_trap_table[MACH_TRAP_TABLE_COUNT];

#endif /* MACH_KERN_SYSCALL_SW_H */
