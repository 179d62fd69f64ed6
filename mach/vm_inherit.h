/*
 * vm_inherit.h - what a child task gets of a range of its parent's
 * address space when task_create clones the map (XNU's values).
 *
 *   VM_INHERIT_SHARE	both tasks map the same memory: each sees the
 *			other's writes;
 *   VM_INHERIT_COPY	the child gets a copy, made lazily: both sides
 *			share the pages read-only until one of them
 *			writes (copy-on-write);
 *   VM_INHERIT_NONE	the range is left out of the child's map.
 */

#ifndef MACH_VM_INHERIT_H
#define MACH_VM_INHERIT_H

typedef unsigned int vm_inherit_t;

#define VM_INHERIT_SHARE	((vm_inherit_t)0)
#define VM_INHERIT_COPY		((vm_inherit_t)1)
#define VM_INHERIT_NONE		((vm_inherit_t)2)
#define VM_INHERIT_DONATE_COPY	((vm_inherit_t)3)	/* not supported */
#define VM_INHERIT_DEFAULT	VM_INHERIT_COPY
#define VM_INHERIT_LAST_VALID	VM_INHERIT_NONE

#endif /* MACH_VM_INHERIT_H */
