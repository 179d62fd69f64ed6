/*
 * kext_region.h - the kext region: where kexts' code and data live.
 *
 * Kexts are compiled with -mcmodel=kernel, like the kernel: their code
 * reaches the kernel with 32-bit displacements and holds its own
 * addresses as 32-bit sign-extended values. So they must be loaded in the
 * top 2 GiB of the address space, within 2 GiB of the image; the region is
 * [KEXT_REGION_BASE, KEXT_REGION_END), the gigabyte above the image but
 * its last 2 MiB (kernel/x86_64/vm_param.h). It lies in the image's PML4
 * slot, which every address space shares, so a kext mapped here is mapped
 * in every task.
 *
 *	vm_offset_t text;
 *	kr = kext_region_alloc(size, &text);		wired, zeroed, RW+NX
 *	... copy and relocate ...
 *	kr = kext_region_protect(text, size, VM_PROT_READ | VM_PROT_EXECUTE);
 *	...
 *	kext_region_free(text, size, "com.example.foo");	at unload
 *
 * Allocations are page-granular, first fit from the bottom, each followed
 * by an unmapped guard page. kext_region_protect sets R, RW or RX; never
 * write and execute together. kext_region_free gives every page back. In
 * debug builds (MACHINA_DEBUG) a freed range stays reserved and unmapped,
 * remembering the kext's name, until KEXT_REGION_QUARANTINE later ranges
 * have been freed or the region runs out of space: a stale call or pointer
 * into an unloaded kext then faults, and the fault handler panics with
 *
 *	kernel fault at 0x...: call into com.example.foo, unloaded (was at 0x...-0x...)
 *
 * Errors: kext_region_alloc returns KERN_INVALID_ARGUMENT for a size of 0
 * or one that cannot be rounded to pages, KERN_NO_SPACE when no range is
 * free (or the table of ranges is full), KERN_RESOURCE_SHORTAGE when pages
 * ran out (nothing is left behind). kext_region_protect returns
 * KERN_INVALID_ADDRESS for a range that is not inside one allocation,
 * KERN_PROTECTION_FAILURE for write and execute together,
 * KERN_INVALID_ARGUMENT for a protection without read. Freeing what was
 * not allocated, or with another size, is a kernel bug and panics.
 *
 * Locks: one spin lock (interrupts off) over the table of ranges, a leaf:
 * nothing is taken inside it; pages are allocated, mapped and unmapped
 * without it. From thread context only.
 * kext_region_unloaded_name and kext_region_loaded_name read the table
 * without the lock: they run on the way to a panic.
 */

#ifndef MACH_VM_KEXT_REGION_H
#define MACH_VM_KEXT_REGION_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern_return.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

#define KEXT_REGION_RANGES	256	/* allocations and quarantined ranges at once */
#define KEXT_REGION_QUARANTINE	16	/* freed ranges kept unmapped (debug builds) */
#define KEXT_REGION_NAME_MAX	64	/* with its NUL */

/* kext_region_init: set the region up; after pmap_init and the page layer. */
void		kext_region_init(void);

kern_return_t	kext_region_alloc(vm_size_t size, vm_offset_t *addr);
kern_return_t	kext_region_protect(vm_offset_t addr, vm_size_t size, vm_prot_t prot);
/* kext_region_free: addr and size as allocated; name: the kext's identifier. */
void		kext_region_free(vm_offset_t addr, vm_size_t size, const char *name);

/* kext_region_contains: addr is inside the kext region. */
boolean_t	kext_region_contains(vm_offset_t addr);

/*
 * kext_region_unloaded_name: if addr is in a quarantined range, the name
 * it was freed with, and the range in *start, *end; NULL otherwise.
 */
const char	*kext_region_unloaded_name(vm_offset_t addr, vm_offset_t *start,
		    vm_offset_t *end);

/*
 * The kext manager names loaded kexts for panics and backtraces: a namer
 * returns the identifier of the kext that holds addr, and its range, or
 * NULL. It must not block, allocate or take sleeping locks. One namer;
 * NULL removes it. kext_region_loaded_name asks it (NULL if none is set
 * or addr is not in the region).
 */
typedef const char *(*kext_region_namer_t)(vm_offset_t addr, vm_offset_t *start,
		    vm_offset_t *end);
void		kext_region_set_namer(kext_region_namer_t namer);
const char	*kext_region_loaded_name(vm_offset_t addr, vm_offset_t *start,
		    vm_offset_t *end);

/* What the region holds, for accounting and tests. */
struct kext_region_stats {
	uint64_t	krs_allocations;	/* live */
	uint64_t	krs_pages;		/* mapped pages, all wired */
	uint64_t	krs_quarantined;	/* freed ranges kept unmapped */
};

void		kext_region_get_stats(struct kext_region_stats *out);

#endif /* MACH_VM_KEXT_REGION_H */
