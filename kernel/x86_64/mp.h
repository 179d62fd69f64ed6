/*
 * mp.h - application processors and inter-processor interrupts.
 */

#ifndef KERNEL_X86_64_MP_H
#define KERNEL_X86_64_MP_H

#include <stdint.h>

#include "mach/vm_types.h"

/* mp_start_processors: start every usable CPU of the MADT (cpus= limits them). */
void	mp_start_processors(void);

/*
 * mp_tlb_shootdown: make the CPUs in the mask (others than this one, and
 * running) flush [start, end) of the address space at pml4 (0: the
 * kernel's, in every address space), and wait until they have. An idle
 * CPU is not interrupted for a user address space: it flushes when it
 * next runs a thread (mp_cr3_mark_active).
 */
void	mp_tlb_shootdown(uint64_t cpus, pmap_paddr_t pml4, vm_offset_t start,
	    vm_offset_t end);

/*
 * mp_pmap_release: make the CPUs in the mask that still have the address
 * space at pml4 loaded (kernel threads run in whatever was loaded) load
 * the kernel's instead, and wait until they have: pmap_destroy's last step
 * before it frees the tables.
 */
void	mp_pmap_release(uint64_t cpus, pmap_paddr_t pml4);

/*
 * mp_cr3_mark_active: this CPU leaves machine_idle for a thread; flush its
 * user TLB if a shootdown was deferred while it idled (mp.c). Interrupts
 * off (the context switch).
 */
void	mp_cr3_mark_active(void);

/* mp_tlb_deferred_count: user shootdowns left to idle CPUs since boot (one per CPU). */
uint64_t mp_tlb_deferred_count(void);

/* mp_tlb_service: flush here if a shootdown asks this CPU to (IPI and spin loops). */
void	mp_tlb_service(void);

/* mp_halt_others: stop every other CPU (for a panic). */
void	mp_halt_others(void);

/* mp_online_mask: the running CPUs, one bit each. */
uint64_t mp_online_mask(void);

#endif /* KERNEL_X86_64_MP_H */
