/*
 * vm_region.h - what vm_region reports about a range of a map (XNU's
 * flavors and layouts).
 *
 * VM_REGION_BASIC_INFO_64 says how the range is mapped: its protections,
 * inheritance, whether it is shared, and its offset in its memory object.
 * VM_REGION_EXTENDED_INFO says what backs it: pages resident, the object's
 * references and the depth of its shadow chain (each copy-on-write copy
 * not yet collapsed adds one), and a share mode:
 *
 *   SM_EMPTY		nothing backs it yet (no page was ever touched)
 *   SM_PRIVATE		one map references the memory
 *   SM_COW		copy-on-write: shared with another map until written
 *   SM_SHARED		shared with another map (inheritance SHARE, or a
 *			named entry mapped twice)
 *   SM_TRUESHARED	the object has been handed out as a named entry
 *
 * Counts are in natural_t words, as the Mach interface passes them.
 */

#ifndef MACH_VM_REGION_H
#define MACH_VM_REGION_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/std_types.h"
#include "mach/vm_inherit.h"
#include "mach/vm_prot.h"
#include "mach/mach_types.h"	/* memory_object_offset_t, in both worlds */

typedef int		vm_region_flavor_t;
typedef int		*vm_region_info_t;
typedef int		vm_behavior_t;

#define VM_BEHAVIOR_DEFAULT	((vm_behavior_t)0)

#define VM_REGION_BASIC_INFO_64	9
#define VM_REGION_EXTENDED_INFO	13

#define SM_COW		1
#define SM_PRIVATE	2
#define SM_EMPTY	3
#define SM_SHARED	4
#define SM_TRUESHARED	5

struct vm_region_basic_info_64 {
	vm_prot_t		protection;
	vm_prot_t		max_protection;
	vm_inherit_t		inheritance;
	boolean_t		shared;
	boolean_t		reserved;
	memory_object_offset_t	offset;
	vm_behavior_t		behavior;
	unsigned short		user_wired_count;
} __attribute__((packed, aligned(4)));
typedef struct vm_region_basic_info_64 vm_region_basic_info_data_64_t;
#define VM_REGION_BASIC_INFO_COUNT_64 \
	((mach_msg_type_number_t)(sizeof(vm_region_basic_info_data_64_t) / sizeof(int)))

struct vm_region_extended_info {
	vm_prot_t		protection;
	unsigned int		user_tag;
	unsigned int		pages_resident;
	unsigned int		pages_shared_now_private;
	unsigned int		pages_swapped_out;
	unsigned int		pages_dirtied;
	unsigned int		ref_count;
	unsigned short		shadow_depth;
	unsigned char		external_pager;
	unsigned char		share_mode;
	unsigned int		pages_reusable;
};
typedef struct vm_region_extended_info vm_region_extended_info_data_t;
#define VM_REGION_EXTENDED_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_region_extended_info_data_t) / sizeof(natural_t)))

#endif /* MACH_VM_REGION_H */
