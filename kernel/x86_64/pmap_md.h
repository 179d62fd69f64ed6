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

/*
 * -no_shared_cr3 (DESIGN.md section 2): the kernel runs on the kernel
 * pmap's own page tables, which map no user memory, so a stray kernel
 * pointer into user space faults instead of reading it. A user pmap's
 * tables are loaded only to run user code (user_return_prepare loads them
 * last thing before sysret or iretq) and for the length of a copy
 * (copyio.c, machine.copyio_window); every entry from user mode loads
 * the kernel's again (trap_stubs.asm, from cpu_kernel_cr3). pmap_switch
 * still tracks the CPU's user pmap (cpu_active_pmap, pm_cpus) for TLB
 * shootdowns; it just does not load it. Each CR3 load flushes the user
 * half's TLB entries (kernel entries are global), so a CPU in the kernel
 * caches no user entry but during a copy, and shootdowns compare CR3 to
 * find those.
 */
extern bool	pmap_no_shared_cr3;	/* [I] from the boot-arg */

/* pmap_cr3_policy_init: read -no_shared_cr3; the boot CPU's part. Once, at machine_init. */
void		pmap_cr3_policy_init(void);

/* pmap_cr3_policy_cpu_init: the same for a CPU coming up. */
void		pmap_cr3_policy_cpu_init(void);

/*
 * pmap_load_cr3_for: with -no_shared_cr3, load what thread should run on in
 * the kernel now: its user pmap inside a copy, the kernel's otherwise.
 * The CPU's user pmap must be thread's (pmap_switch). Interrupts off.
 */
struct thread;
void		pmap_load_cr3_for(struct thread *thread);

/* pmap_load_user_cr3: with -no_shared_cr3, load the CPU's user pmap. Interrupts off. */
void		pmap_load_user_cr3(void);

#endif /* KERNEL_X86_64_PMAP_MD_H */
