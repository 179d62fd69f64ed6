/*
 * pmap.h - the machine-dependent half of the VM system: physical maps.
 *
 * A pmap is one address space's page tables. The machine-independent VM
 * (vm_map, vm_object, the fault handler) decides what should be mapped; the
 * pmap only carries it out, and may forget any mapping that is not wired
 * (the fault handler restores it). As in XNU's vm/pmap.h, this header states
 * what every pmap module must provide; kernel/x86_64/pmap.c is Machina's.
 *
 * The module must provide:
 *   - pmap_bootstrap(): replace the boot loader's page tables with the
 *     kernel's own: the image mapped with per-section protection (text RX,
 *     rodata R, data and bss RW, all but text NX), guard pages under the
 *     boot stacks left unmapped, page zero unmapped, and every byte of RAM
 *     in the direct map at PHYSMAP_BASE;
 *   - phystokv()/kvtophys(): the direct map, both ways;
 *   - kernel_pmap, and pmap_create/pmap_destroy for user address spaces,
 *     which share the kernel's half: a mapping entered in kernel_pmap's
 *     part of the address space is at once visible in every pmap;
 *   - pmap_enter/pmap_remove/pmap_protect/pmap_find_phys on any pmap, with
 *     the TLB kept right on every CPU the pmap is active on;
 *   - pmap_switch(): make a pmap the current CPU's address space;
 *   - pmap_kernel_prot(): what a kernel virtual address is mapped with,
 *     without faulting (the panic path and tests use it).
 *
 * Mappings of pages that belong to VM objects are tracked per page (pv
 * entries), so pmap_page_protect can reach every mapping of a page.
 *
 * Locks: each pmap has its own lock (a hw_lock, interrupts off); the
 * mapping-tracking (pv) lock, one for all pages, comes before it. Both
 * come after the VM objects' locks; only zones and vm_phys come after.
 */

#ifndef MACH_VM_PMAP_H
#define MACH_VM_PMAP_H

#include "mach/boolean.h"
#include "mach/kern_return.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

struct memmap;
struct pmap;
typedef struct pmap *pmap_t;

#define PMAP_NULL	((pmap_t)0)

extern struct pmap kernel_pmap_store;
#define kernel_pmap	(&kernel_pmap_store)

/* pmap_enter flags. */
#define PMAP_WIRED		0x01	/* never forgotten */
#define PMAP_CACHE_UNCACHED	0x02	/* device memory */
#define PMAP_CACHE_WRITE_COMBINE 0x04

/*
 * pmap_bootstrap: build and switch to the kernel page tables. Page-table
 * pages come from vm_phys. Returns the kernel PML4's physical address.
 */
pmap_paddr_t	pmap_bootstrap(const struct memmap *map);

/* pmap_kernel_image_phys: the physical range the kernel image occupies. */
void		pmap_kernel_image_phys(pmap_paddr_t *start, pmap_paddr_t *end);

/* phystokv: the direct-map address of physical address pa. */
void		*phystokv(pmap_paddr_t pa);

/* kvtophys: the physical address behind a kernel address; 0 if unmapped. */
pmap_paddr_t	kvtophys(vm_offset_t va);

/* pmap_physmap_contains: [pa, pa+len) is reachable through phystokv(). */
boolean_t	pmap_physmap_contains(pmap_paddr_t pa, uint64_t len);

/* pmap_kernel_prot: protection of va in the kernel map, VM_PROT_NONE if unmapped. */
vm_prot_t	pmap_kernel_prot(vm_offset_t va);

/* pmap_init: what pmap_enter needs beyond page tables; once zones exist. */
void		pmap_init(void);

/* pmap_create: an empty user address space (the kernel half shared). */
pmap_t		pmap_create(void);
void		pmap_reference(pmap_t pmap);
/*
 * pmap_destroy: drop a reference; the last one removes what is still
 * mapped, makes every CPU that still has the pmap loaded let go of it,
 * and frees every page table.
 */
void		pmap_destroy(pmap_t pmap);

/*
 * pmap_enter: map the page at physical page pn at va with prot, replacing
 * whatever va mapped. KERN_RESOURCE_SHORTAGE if a page table could not be
 * allocated (nothing changed then).
 */
kern_return_t	pmap_enter(pmap_t pmap, vm_offset_t va, ppnum_t pn, vm_prot_t prot,
		    unsigned flags);

/* pmap_remove: unmap [start, end); page-aligned. */
void		pmap_remove(pmap_t pmap, vm_offset_t start, vm_offset_t end);

/* pmap_protect: reduce the protection of [start, end) to prot. */
void		pmap_protect(pmap_t pmap, vm_offset_t start, vm_offset_t end, vm_prot_t prot);

/*
 * pmap_page_protect: lower the rights of every mapping of physical page
 * pn, in every pmap, to prot: without WRITE the mappings become
 * read-only, without READ they are removed (pmap_disconnect). Only pages
 * of VM objects are tracked; for others it does nothing.
 */
void		pmap_page_protect(ppnum_t pn, vm_prot_t prot);
void		pmap_disconnect(ppnum_t pn);

/* pmap_page_is_mapped: some pmap maps object page pn. */
boolean_t	pmap_page_is_mapped(ppnum_t pn);

/* pmap_find_phys: the physical page va maps to, 0 if none. */
ppnum_t		pmap_find_phys(pmap_t pmap, vm_offset_t va);

/* pmap_extract: the physical address va maps to (offset kept), 0 if none. */
pmap_paddr_t	pmap_extract(pmap_t pmap, vm_offset_t va);

/* pmap_switch: make pmap this CPU's address space. */
void		pmap_switch(pmap_t pmap);

/* pmap_resident_count: pages pmap maps (leaf entries), for accounting. */
uint64_t	pmap_resident_count(pmap_t pmap);

/*
 * pmap_pv_count: pv entries of pmap, the object pages it maps (a walk of
 * its page tables, for debugging: debug.pmap sysctls, the fuzzer's
 * baseline). Every pv entry in the zone belongs to a live pmap, so the
 * zone's count less every live pmap's is what dead ones kept (none).
 */
uint64_t	pmap_pv_count(pmap_t pmap);

/*
 * pmap_expand_kernel: create the page tables that map [start, end) of the
 * kernel_map range or the kext region, so that pmap_enter there needs no
 * new table. KERN_INVALID_ADDRESS outside those ranges;
 * KERN_RESOURCE_SHORTAGE if a table could not be allocated (those made
 * stay: kernel page tables are never freed).
 */
kern_return_t	pmap_expand_kernel(vm_offset_t start, vm_offset_t end);

/*
 * pmap_kext_protect: set (raise or lower) the protection of the kext
 * region's mappings in [start, end), page-aligned: VM_PROT_READ, with
 * WRITE or EXECUTE but never both. KERN_INVALID_ADDRESS outside the kext
 * region, KERN_PROTECTION_FAILURE for write and execute together,
 * KERN_INVALID_ARGUMENT without READ.
 */
kern_return_t	pmap_kext_protect(vm_offset_t start, vm_offset_t end, vm_prot_t prot);

/*
 * Kernel Integrity Protection (docs/memory.md). pmap_kip_lockdown, once,
 * at the end of start-up: the direct map's alias of the image's text,
 * read-only data and symbol table becomes read-only, and from then on a
 * pmap_remove or pmap_protect that would touch those pages, at their image
 * address or their alias, panics (pmap_enter never maps there at all).
 * pmap_kip_locked says whether that has happened; pmap_kip_check_wp panics,
 * naming where, if the lock is on and CR0.WP is not.
 */
void		pmap_kip_lockdown(void);
boolean_t	pmap_kip_locked(void);
void		pmap_kip_check_wp(const char *where);

#endif /* MACH_VM_PMAP_H */
