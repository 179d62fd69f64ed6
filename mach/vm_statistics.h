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

#endif /* MACH_VM_STATISTICS_H */
