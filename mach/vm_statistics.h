/*
 * vm_statistics.h - the flags of vm_allocate and vm_map, and the memory
 * tags a range carries (XNU's values).
 *
 * Placement: VM_FLAGS_FIXED (0) puts the range exactly at *address;
 * VM_FLAGS_ANYWHERE picks free space (at or above *address is not
 * promised: any free range will do). VM_FLAGS_OVERWRITE, with FIXED,
 * replaces whatever was mapped there. The top byte is a tag, set with
 * VM_MAKE_TAG and reported by vm_region as user_tag (debuggers use it to
 * say what a range is for).
 *
 * And the page counts host_statistics(HOST_VM_INFO) reports (XNU's struct
 * vm_statistics, in pages). Shared by the kernel and user space
 * (installed into libsystem's headers).
 */

#ifndef MACH_VM_STATISTICS_H
#define MACH_VM_STATISTICS_H

#define VM_FLAGS_FIXED		0x0000
#define VM_FLAGS_ANYWHERE	0x0001
#define VM_FLAGS_OVERWRITE	0x4000
#define VM_FLAGS_ALIAS_MASK	0xFF000000

/* What vm_allocate accepts from user space; vm_map takes the same. */
#define VM_FLAGS_USER_ALLOCATE	(VM_FLAGS_FIXED | VM_FLAGS_ANYWHERE | \
				 VM_FLAGS_OVERWRITE | VM_FLAGS_ALIAS_MASK)

#define VM_MAKE_TAG(tag)	((unsigned)(tag) << 24)
#define VM_GET_FLAGS_ALIAS(flags, alias) \
	((alias) = (int)(((unsigned)(flags) & VM_FLAGS_ALIAS_MASK) >> 24))

/* Memory tags (a few of XNU's). */
#define VM_MEMORY_MALLOC	1
#define VM_MEMORY_STACK		30
#define VM_MEMORY_GUARD		31
#define VM_MEMORY_SHARED_PMAP	32
#define VM_MEMORY_DYLIB		33
#define VM_MEMORY_APPLICATION_SPECIFIC_1 240

#include "mach/std_types.h"

struct vm_statistics {
	natural_t	free_count;		/* free pages */
	natural_t	active_count;		/* pages holding data of VM objects */
	natural_t	inactive_count;		/* (Machina has no inactive queue: 0) */
	natural_t	wire_count;		/* pages that cannot be paged out */
	natural_t	zero_fill_count;	/* pages zero-filled on a fault, ever */
	natural_t	reactivations;
	natural_t	pageins;
	natural_t	pageouts;
	natural_t	faults;			/* page faults, ever */
	natural_t	cow_faults;		/* pages copied on write, ever */
	natural_t	lookups;
	natural_t	hits;
	natural_t	purgeable_count;
	natural_t	purges;
	natural_t	speculative_count;
};
typedef struct vm_statistics	vm_statistics_data_t;
typedef struct vm_statistics	*vm_statistics_t;

#define HOST_VM_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_statistics_data_t) / sizeof(integer_t)))
#define HOST_VM_INFO_REV0_COUNT	((mach_msg_type_number_t)12)
#define HOST_VM_INFO_REV1_COUNT	((mach_msg_type_number_t)14)
#define HOST_VM_INFO_REV2_COUNT	HOST_VM_INFO_COUNT

#endif /* MACH_VM_STATISTICS_H */
