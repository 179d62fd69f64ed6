/*
 * vm_types.h - addresses, sizes and page arithmetic.
 *
 * vm_offset_t and vm_size_t are kernel virtual quantities; pmap_paddr_t is a
 * physical address and ppnum_t a physical page number (XNU's names). Machina
 * runs on x86-64 only, with 4 KiB base pages.
 */

#ifndef MACH_VM_TYPES_H
#define MACH_VM_TYPES_H

#include <stdint.h>

typedef uintptr_t	vm_offset_t;
typedef uintptr_t	vm_address_t;
typedef uintptr_t	vm_size_t;
typedef uint64_t	pmap_paddr_t;
typedef uint32_t	ppnum_t;

/*
 * Addresses and sizes in any map, user or kernel, and offsets in VM
 * objects: always 64 bits (XNU's mach_vm_* and vm_object_* types). A user
 * address held in the kernel is a user_addr_t, never a pointer: it is
 * only reached through copyin and copyout.
 */
typedef uint64_t	mach_vm_address_t;
typedef uint64_t	mach_vm_size_t;
typedef uint64_t	mach_vm_offset_t;
typedef uint64_t	vm_map_offset_t;
typedef uint64_t	vm_map_address_t;
typedef uint64_t	vm_map_size_t;
typedef uint64_t	vm_object_offset_t;
typedef uint64_t	vm_object_size_t;
typedef uint64_t	memory_object_offset_t;
typedef uint64_t	memory_object_size_t;
typedef uint64_t	user_addr_t;
typedef uint64_t	user_size_t;
#define USER_ADDR_NULL	((user_addr_t)0)

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#define round_page(x)	(((x) + PAGE_MASK) & ~(__typeof__(x))PAGE_MASK)
#define trunc_page(x)	((x) & ~(__typeof__(x))PAGE_MASK)
#define page_aligned(x)	(((x) & PAGE_MASK) == 0)
#define atop(x)		((x) >> PAGE_SHIFT)
#define ptoa(x)		((x) << PAGE_SHIFT)

#endif /* MACH_VM_TYPES_H */
