/*
 * thread_status.h - a thread's machine state as thread_get_state and
 * thread_set_state carry it (XNU's mach/i386/thread_status.h flavors and
 * layout; Machina is x86-64 only, so there is no other machine's). A
 * count is the structure's size in natural_t words.
 *
 * Shared by the kernel and user space (installed into libsystem's headers).
 */

#ifndef MACH_THREAD_STATUS_H
#define MACH_THREAD_STATUS_H

#include <stdint.h>

#include "mach/std_types.h"

#define x86_THREAD_STATE32	1
#define x86_FLOAT_STATE32	2
#define x86_EXCEPTION_STATE32	3
#define x86_THREAD_STATE64	4	/* the one Machina has */
#define x86_FLOAT_STATE64	5
#define x86_EXCEPTION_STATE64	6

struct x86_thread_state64 {
	uint64_t	rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp;
	uint64_t	r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t	rip, rflags;
	uint64_t	cs, fs, gs;	/* selectors: read-only */
};
typedef struct x86_thread_state64	x86_thread_state64_t;
#define x86_THREAD_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state64_t) / sizeof(natural_t)))

#endif /* MACH_THREAD_STATUS_H */
