/*
 * gdt.c - the boot CPU's GDT, TSS and IST stacks.
 */

#include "kernel/x86_64/gdt.h"

#include "kernel/x86_64/cpu.h"
#include "libkern/string.h"

/* The boot CPU's IST stacks, each with a guard page (kept out of the map). */
static struct guarded_stack bsp_ist_stacks[IST_COUNT] __attribute__((section(".bss.stack")));

extern uint8_t boot_stack_guard[];

#define SEG_CODE64(dpl)	(0x00af9a000000ffffULL | ((uint64_t)(dpl) << 45))
#define SEG_DATA(dpl)	(0x00cf92000000ffffULL | ((uint64_t)(dpl) << 45))
#define SEG_CODE32(dpl)	(0x00cf9a000000ffffULL | ((uint64_t)(dpl) << 45))

static void
gdt_set_tss(uint64_t *gdt, const struct x86_tss64 *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	gdt[KERNEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89ULL << 40) |			/* present, 64-bit TSS (available) */
	    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[KERNEL_TSS / 8 + 1] = base >> 32;
}

void
gdt_init(struct x86_cpu_desc *desc, const vm_offset_t *ist_guard)
{
	struct x86_desc_ptr ptr;

	memset(desc, 0, sizeof(*desc));
	for (int i = 0; i < IST_COUNT; i++)
		desc->cd_ist_guard[i] = ist_guard != NULL ? ist_guard[i]
		    : (vm_offset_t)bsp_ist_stacks[i].gs_guard;
	desc->cd_gdt[KERNEL64_CS / 8] = SEG_CODE64(0);
	desc->cd_gdt[KERNEL_DS / 8] = SEG_DATA(0);
	desc->cd_gdt[USER32_CS / 8] = SEG_CODE32(3);
	desc->cd_gdt[USER_DS / 8] = SEG_DATA(3);
	desc->cd_gdt[USER64_CS / 8] = SEG_CODE64(3);
	for (int i = 0; i < IST_COUNT; i++)
		desc->cd_tss.ist[i] = desc->cd_ist_guard[i] + PAGE_SIZE + IST_STACK_SIZE;
	desc->cd_tss.iomap_base = sizeof(desc->cd_tss);	/* no I/O bitmap */
	gdt_set_tss(desc->cd_gdt, &desc->cd_tss);

	ptr.limit = sizeof(desc->cd_gdt) - 1;
	ptr.base = (uint64_t)desc->cd_gdt;
	lgdt(&ptr);

	/* Reload CS with a far return, the data selectors directly. */
	__asm__ volatile(
	    "pushq %[cs]\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movl %[ds], %%eax\n\t"
	    "movl %%eax, %%ds\n\t"
	    "movl %%eax, %%es\n\t"
	    "movl %%eax, %%ss\n\t"
	    "xorl %%eax, %%eax\n\t"
	    "movl %%eax, %%fs\n\t"
	    : : [cs] "i"(KERNEL64_CS), [ds] "i"(KERNEL_DS) : "rax", "memory");
	ltr(KERNEL_TSS);
}

unsigned
gdt_stack_guards(vm_offset_t *out, unsigned max)
{
	unsigned n = 0;

	if (n < max)
		out[n++] = (vm_offset_t)boot_stack_guard;
	for (int i = 0; i < IST_COUNT && n < max; i++)
		out[n++] = (vm_offset_t)bsp_ist_stacks[i].gs_guard;
	return n;
}
