/*
 * gdt.h - segments, the TSS and the interrupt stacks of one CPU.
 *
 * Long mode ignores segment bases and limits, but it still needs a GDT for
 * the code selectors and privilege levels, and a TSS for the stacks the CPU
 * switches to: rsp0 on entry from user mode, and the IST stacks for the
 * exceptions that must not trust the current stack (double fault, NMI,
 * machine check).
 *
 * The selector layout is fixed by syscall/sysret, which derive the user
 * selectors from one STAR value: user data must sit 8 bytes above and user
 * 64-bit code 16 bytes above a 32-bit user code selector.
 */

#ifndef KERNEL_X86_64_GDT_H
#define KERNEL_X86_64_GDT_H

#include <stdint.h>

#include "libkern/assert.h"
#include "mach/vm_types.h"

#define KERNEL64_CS	0x08
#define KERNEL_DS	0x10
#define USER32_CS	0x1b	/* 0x18 | RPL 3 */
#define USER_DS		0x23	/* 0x20 | RPL 3 */
#define USER64_CS	0x2b	/* 0x28 | RPL 3 */
#define KERNEL_TSS	0x30	/* a 16-byte system descriptor */

#define GDT_ENTRIES	8	/* 6 segments + the TSS's two slots */

/* IST slots (1-based in the IDT; ist[0] of the TSS is IST1). */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_COUNT		3
#define IST_STACK_SIZE		(16 * 1024)

struct __attribute__((packed)) x86_tss64 {
	uint32_t	reserved0;
	uint64_t	rsp0;
	uint64_t	rsp1;
	uint64_t	rsp2;
	uint64_t	reserved1;
	uint64_t	ist[7];
	uint64_t	reserved2;
	uint16_t	reserved3;
	uint16_t	iomap_base;
};
static_assert(sizeof(struct x86_tss64) == 104, "the 64-bit TSS is 104 bytes");

/* A stack with an unmapped guard page below it. */
struct guarded_stack {
	uint8_t		gs_guard[PAGE_SIZE];
	uint8_t		gs_stack[IST_STACK_SIZE];
} __attribute__((aligned(PAGE_SIZE)));

/* One CPU's descriptor tables, and where its IST stacks are. */
struct x86_cpu_desc {
	uint64_t		cd_gdt[GDT_ENTRIES];
	struct x86_tss64	cd_tss;
	vm_offset_t		cd_ist_guard[IST_COUNT];	/* each stack's guard page */
};

/*
 * gdt_init: build and load this CPU's GDT and TSS, reload the selectors.
 * ist_guard[i] is the guard page of IST stack i, which is the
 * IST_STACK_SIZE bytes just above it; NULL means the boot CPU's own.
 */
void	gdt_init(struct x86_cpu_desc *desc, const vm_offset_t *ist_guard);

/*
 * The guard pages pmap_bootstrap() leaves unmapped: the boot stack's and the
 * boot CPU's IST stacks'. Returns the count stored in out.
 */
unsigned gdt_stack_guards(vm_offset_t *out, unsigned max);

#endif /* KERNEL_X86_64_GDT_H */
