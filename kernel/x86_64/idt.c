/*
 * idt.c - one interrupt gate per vector. Interrupt gates (not trap gates)
 * everywhere, so every handler starts with interrupts off. Double fault,
 * NMI and machine check run on their own IST stacks: they may arrive when
 * the current stack is the problem. Only the breakpoint gate may be used
 * by user code's int3 (DPL 3, so that it raises EXC_BREAKPOINT); an int n
 * on any other vector is a general protection fault.
 */

#include "kernel/x86_64/idt.h"

#include <stdint.h>

#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/trap.h"
#include "libkern/assert.h"

struct __attribute__((packed)) idt_gate {
	uint16_t	offset_low;
	uint16_t	selector;
	uint8_t		ist;
	uint8_t		type_attr;
	uint16_t	offset_mid;
	uint32_t	offset_high;
	uint32_t	reserved;
};
static_assert(sizeof(struct idt_gate) == 16, "long-mode gates are 16 bytes");

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3	0x60	/* user code may use it (int3) */

extern const uint64_t trap_stub_table[256];

static struct idt_gate idt[256] __aligned(16);

static void
idt_set_gate(unsigned vector, uint64_t handler, unsigned ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = KERNEL64_CS,
		.ist = ist & 7,
		.type_attr = GATE_INTERRUPT | (vector == T_INT3 ? GATE_DPL3 : 0),
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void
idt_load(void)
{
	struct x86_desc_ptr ptr = { .limit = sizeof(idt) - 1, .base = (uint64_t)idt };

	lidt(&ptr);
}

void
idt_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set_gate(v, trap_stub_table[v], 0);
	idt_set_gate(T_DOUBLE_FAULT, trap_stub_table[T_DOUBLE_FAULT], IST_DOUBLE_FAULT);
	idt_set_gate(T_NMI, trap_stub_table[T_NMI], IST_NMI);
	idt_set_gate(T_MACHINE_CHECK, trap_stub_table[T_MACHINE_CHECK],
	    IST_MACHINE_CHECK);
	idt_load();
}
