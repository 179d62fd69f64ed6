/*
 * vm_init.h - bringing up memory: the memory map, vm_phys, the kernel's
 * page tables and the early heap, in that order.
 */

#ifndef MACH_VM_VM_INIT_H
#define MACH_VM_VM_INIT_H

#include "kernel/boot_args.h"
#include "kernel/memmap.h"

/* The normalized memory map, with the kernel's carve-outs. [I] after boot. */
extern struct memmap vm_memmap;

/*
 * vm_mem_bootstrap: from the loader's memory map to a working allocator and
 * the kernel's own page tables. Returns 0, or -1 if there is no usable
 * memory map (the caller cannot go on; the message has been printed).
 */
int	vm_mem_bootstrap(const struct boot_args *args);

#endif /* MACH_VM_VM_INIT_H */
