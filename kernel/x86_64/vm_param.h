/*
 * vm_param.h - the x86-64 kernel address space (DESIGN.md section 2) and the
 * page-table entry format.
 */

#ifndef KERNEL_X86_64_VM_PARAM_H
#define KERNEL_X86_64_VM_PARAM_H

#define PHYSMAP_BASE		0xffff800000000000UL	/* direct map of RAM */
#define VM_MIN_KERNEL_ADDRESS	0xffffff0000000000UL	/* kernel_map: kmem, stacks */
#define VM_MAX_KERNEL_ADDRESS	0xffffff8000000000UL
#define KERNEL_BASE		0xffffffff80000000UL	/* the image, -2 GiB */
/*
 * The kext region (mach/vm/kext_region.h): the top gigabyte but its last
 * 2 MiB, above the image and within 2 GiB of it, so kexts built with
 * -mcmodel=kernel reach the kernel with 32-bit displacements and their
 * own absolute addresses fit in 32 sign-extended bits. The image must end
 * below it (linker.ld checks). The last 2 MiB stay unmapped: a pointer
 * computed as a small negative number faults.
 */
#define KEXT_REGION_BASE	0xffffffffc0000000UL
#define KEXT_REGION_END		0xffffffffffe00000UL
#define VM_MAX_USER_ADDRESS	0x0000800000000000UL	/* end of the lower half */

/*
 * What a user task's vm_map spans: page zero is never mapped (NULL), and
 * neither is the last page below the canonical hole, so that no syscall
 * instruction can sit where its return address would be non-canonical
 * (sysret would then fault in ring 0).
 */
#define MACH_VM_MIN_ADDRESS	0x0000000000001000UL
#define MACH_VM_MAX_ADDRESS	0x00007ffffffff000UL

/* A new process's stack: its top, and its default size (XNU's values). */
#define USRSTACK64		0x00007ffeefc00000UL
#define DFLSSIZ			(8UL * 1024 * 1024)
#define MAXSSIZ			(64UL * 1024 * 1024)

#define PTE_P		0x001UL
#define PTE_W		0x002UL
#define PTE_U		0x004UL
#define PTE_PWT		0x008UL
#define PTE_PCD		0x010UL
#define PTE_A		0x020UL
#define PTE_D		0x040UL
#define PTE_PS		0x080UL
#define PTE_G		0x100UL
#define PTE_NX		(1UL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000UL

#define NBPDE		(1UL << 21)	/* bytes mapped by a PD entry (2 MiB) */
#define NBPDPTE		(1UL << 30)	/* bytes mapped by a PDPT entry (1 GiB) */

#define PML4_INDEX(va)	(((va) >> 39) & 511)
#define PDPT_INDEX(va)	(((va) >> 30) & 511)
#define PD_INDEX(va)	(((va) >> 21) & 511)
#define PT_INDEX(va)	(((va) >> 12) & 511)

#endif /* KERNEL_X86_64_VM_PARAM_H */
