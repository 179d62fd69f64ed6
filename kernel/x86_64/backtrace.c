/*
 * backtrace.c - walking the frame-pointer chain, without ever faulting.
 *
 * The kernel is built with frame pointers, so each frame begins with the
 * caller's rbp followed by the return address. Every load is checked first:
 * the frame must be 8-aligned, mapped readable (asked of the page tables,
 * not found out by faulting), and above the previous one, since the stack
 * grows down. A corrupt chain therefore ends the backtrace, and the panic
 * that prints it goes on.
 */

#include "kernel/debug.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/x86_64/trap.h"
#include "mach/vm/pmap.h"

static bool
frame_readable(uintptr_t fp)
{
	if (fp == 0 || (fp & 7) != 0 || fp + 16 < fp)
		return false;
	return (pmap_kernel_prot(fp) & VM_PROT_READ) &&
	    (pmap_kernel_prot(fp + 15) & VM_PROT_READ);
}

unsigned
machine_backtrace(const void *state, struct backtrace_frame *frames, unsigned max)
{
	const struct x86_saved_state *ss = state;
	uintptr_t fp;
	unsigned n = 0;

	if (ss != NULL) {
		if (n < max)
			frames[n++] = (struct backtrace_frame){ .bf_fp = ss->rbp,
				.bf_pc = ss->rip };
		fp = ss->rbp;
	} else {
		fp = (uintptr_t)__builtin_frame_address(0);
	}
	while (n < max && frame_readable(fp)) {
		const uintptr_t *frame = (const uintptr_t *)fp;
		uintptr_t next = frame[0], pc = frame[1];

		if (pc == 0)
			break;
		frames[n++] = (struct backtrace_frame){ .bf_fp = fp, .bf_pc = pc };
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}
