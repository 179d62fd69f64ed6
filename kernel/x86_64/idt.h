/*
 * idt.h - the interrupt descriptor table: every vector goes to its stub in
 * trap_stubs.asm, and from there to trap_dispatch().
 */

#ifndef KERNEL_X86_64_IDT_H
#define KERNEL_X86_64_IDT_H

/* idt_init: fill the IDT (shared by all CPUs) and load it on this CPU. */
void	idt_init(void);

/* idt_load: load the already-built IDT (for CPUs started later). */
void	idt_load(void);

#endif /* KERNEL_X86_64_IDT_H */
