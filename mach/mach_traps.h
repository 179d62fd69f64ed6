/*
 * mach_traps.h - the Mach traps' argument structures (XNU's
 * mach/mach_traps.h).
 *
 * A trap is called with a pointer to its arguments, each in a 64-bit slot
 * in the order user space passed them (the first six in rdi, rsi, rdx,
 * r10, r8, r9; the rest copied in from the user stack): the machine's
 * dispatch (mach_call_munger64) fills a struct mach_call_args and the
 * trap reads it through its own structure below, whose fields are all
 * 64 bits wide to match. A field's real type is the low bits of its slot.
 *
 * The table of traps is mach/kern/syscall_sw.c.
 */

#ifndef MACH_MACH_TRAPS_H
#define MACH_MACH_TRAPS_H

#include <stdint.h>

#include "mach/kern_return.h"

#define MACH_TRAP_ARGS_MAX	9	/* mach_msg_overwrite_trap has 8 */

struct mach_call_args {
	uint64_t	arg[MACH_TRAP_ARGS_MAX];
};

struct kern_invalid_args {
	uint64_t	dummy;
};

/* 89: mach_timebase_info_trap(mach_timebase_info_t info) */
struct mach_timebase_info_trap_args {
	uint64_t	info;		/* user address of a mach_timebase_info */
};

/* 90: mach_wait_until_trap(uint64_t deadline) */
struct mach_wait_until_trap_args {
	uint64_t	deadline;	/* mach absolute time */
};

/* 59: swtch_pri(int pri) */
struct swtch_pri_args {
	uint64_t	pri;
};

/* 60: swtch(void) */
struct swtch_args {
	uint64_t	dummy;
};

/* 61: thread_switch(mach_port_name_t thread_name, int option, mach_msg_timeout_t option_time) */
struct thread_switch_args {
	uint64_t	thread_name;
	uint64_t	option;
	uint64_t	option_time;	/* ms */
};

kern_return_t	kern_invalid(struct kern_invalid_args *args);
kern_return_t	mach_timebase_info_trap(struct mach_timebase_info_trap_args *args);
kern_return_t	mach_wait_until_trap(struct mach_wait_until_trap_args *args);

#endif /* MACH_MACH_TRAPS_H */
