/*
 * vm_kern.h - kernel virtual memory: wired, page-granular allocations in
 * kernel_map (XNU's kmem_alloc family).
 *
 * Every allocation is backed by wired pages at once and mapped read-write,
 * no-execute. Guard pages (KMA_GUARD_FIRST, KMA_GUARD_LAST) are address
 * space left unmapped on either side, so running off the end faults; kernel
 * stacks use them.
 *
 *	vm_offset_t stack;
 *	kr = kernel_memory_allocate(kernel_map, &stack, KERNEL_STACK_SIZE, 0,
 *	    KMA_GUARD_FIRST | KMA_ZERO);
 *	...
 *	kmem_free(kernel_map, stack, KERNEL_STACK_SIZE);
 *
 * Sizes are rounded up to pages; the address returned excludes the guards,
 * and kmem_free takes the same address and size (it knows the guards).
 * Failures return KERN_RESOURCE_SHORTAGE (no pages) or KERN_NO_SPACE (no
 * address space); nothing is left behind.
 *
 * Locks: callable from any thread context; takes the kernel_map's lock
 * and the page allocator's. Not from interrupt context.
 */

#ifndef MACH_VM_VM_KERN_H
#define MACH_VM_VM_KERN_H

#include "mach/kern_return.h"
#include "mach/vm_types.h"

struct vm_map;
typedef struct vm_map *vm_map_t;

extern vm_map_t kernel_map;

/* kernel_memory_allocate flags */
#define KMA_ZERO	0x01	/* zero-filled */
#define KMA_GUARD_FIRST	0x02	/* an unmapped page before */
#define KMA_GUARD_LAST	0x04	/* an unmapped page after */

kern_return_t	kernel_memory_allocate(vm_map_t map, vm_offset_t *addrp,
		    vm_size_t size, vm_offset_t mask, int flags);

/* kmem_alloc: kernel_memory_allocate with no guards and no zeroing. */
kern_return_t	kmem_alloc(vm_map_t map, vm_offset_t *addrp, vm_size_t size);

/* kmem_free: give back what kernel_memory_allocate or kmem_alloc returned. */
void		kmem_free(vm_map_t map, vm_offset_t addr, vm_size_t size);

/* kmem_init: set up kernel_map; after vm_page_bootstrap and the heap. */
void		kmem_init(void);

/* What kernel_map holds, for accounting and leak checks. */
struct kmem_stats {
	uint64_t	ks_allocations;		/* live */
	uint64_t	ks_mapped_bytes;	/* backed by pages */
	uint64_t	ks_reserved_bytes;	/* address space, guards included */
};

void		kmem_get_stats(struct kmem_stats *out);

#endif /* MACH_VM_VM_KERN_H */
