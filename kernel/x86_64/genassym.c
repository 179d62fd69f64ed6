/*
 * genassym.c - offsets and sizes for the assembly, generated from C.
 *
 * This file is compiled to assembly only; tools/genassym.sh turns each
 * "->NAME value" marker into a NASM %define in build/include/assym.inc.
 */

#include <stddef.h>

#include "kernel/x86_64/trap.h"

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
	ASSYM(SS_RSP, offsetof(struct x86_saved_state, rsp));
}
