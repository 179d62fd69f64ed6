/*
 * pmap.h - the machine-dependent half of the VM system: physical maps.
 *
 * As in XNU's vm/pmap.h, this header states what every pmap module must
 * provide; kernel/x86_64/pmap.c is the one Machina has. So far it covers the
 * kernel's own address space; user pmaps (pmap_create, pmap_enter,
 * pmap_remove, pmap_protect, pmap_switch) come with tasks.
 *
 * The module must provide:
 *   - pmap_bootstrap(): replace the boot loader's page tables with the
 *     kernel's own: the image mapped with per-section protection (text RX,
 *     rodata R, data and bss RW, all but text NX), guard pages under the
 *     boot stacks left unmapped, page zero unmapped, and every byte of RAM
 *     in the direct map at PHYSMAP_BASE;
 *   - phystokv()/kvtophys(): the direct map, both ways;
 *   - pmap_kernel_prot(): what a kernel virtual address is mapped with,
 *     without faulting (the panic path and tests use it).
 */

#ifndef MACH_VM_PMAP_H
#define MACH_VM_PMAP_H

#include "mach/boolean.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

struct memmap;

/*
 * pmap_bootstrap: build and switch to the kernel page tables. Page-table
 * pages come from vm_phys. Returns the top of the direct map.
 */
pmap_paddr_t	pmap_bootstrap(const struct memmap *map);

/* pmap_kernel_image_phys: the physical range the kernel image occupies. */
void		pmap_kernel_image_phys(pmap_paddr_t *start, pmap_paddr_t *end);

/* phystokv: the direct-map address of physical address pa. */
void		*phystokv(pmap_paddr_t pa);

/* kvtophys: the physical address behind a direct-map or image address. */
pmap_paddr_t	kvtophys(vm_offset_t va);

/* pmap_physmap_contains: [pa, pa+len) is reachable through phystokv(). */
boolean_t	pmap_physmap_contains(pmap_paddr_t pa, uint64_t len);

/* pmap_kernel_prot: protection of va in the kernel map, VM_PROT_NONE if unmapped. */
vm_prot_t	pmap_kernel_prot(vm_offset_t va);

#endif /* MACH_VM_PMAP_H */
