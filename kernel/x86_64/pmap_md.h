/*
 * pmap_md.h - what the x86-64 machine layer needs from its pmap beyond
 * the machine-independent contract (mach/vm/pmap.h).
 */

#ifndef KERNEL_X86_64_PMAP_MD_H
#define KERNEL_X86_64_PMAP_MD_H

#include <stdbool.h>

#include "mach/vm_types.h"

/* The kernel's PML4 (its physical address), for CPUs coming up. */
pmap_paddr_t	kernel_pmap_pml4(void);

/* pmap_release_local: if this CPU has pml4 loaded, load the kernel's. Interrupts off. */
void		pmap_release_local(pmap_paddr_t pml4);

/* Flush [start, end) from this CPU's TLB; global: kernel (global) entries too. */
void		pmap_tlb_flush_local(bool global, vm_offset_t start, vm_offset_t end);

#endif /* KERNEL_X86_64_PMAP_MD_H */
