/*
 * stack.h - kernel stacks: KERNEL_STACK_SIZE bytes each, with an unmapped
 * guard page below, and a short list of free ones kept mapped for reuse.
 *
 *	vm_offset_t stack;
 *	kr = stack_alloc(&stack);	the bottom; the top is stack + KERNEL_STACK_SIZE
 *	...
 *	stack_free(stack);		kept, or unmapped if the list is full
 *
 * Why the list (XNU's stack_free_list): unmapping a stack from the kernel
 * pmap is a TLB shootdown of every running CPU, and the caller waits until
 * each has flushed. Each thread's end pays it otherwise, and on a virtual
 * machine whose other CPU the host has descheduled the wait can last
 * milliseconds. Up to STACK_CACHE_MAX stacks (64 KiB each way) stay mapped
 * instead; stack_collect gives them back.
 *
 * Invariants
 *   - a stack on the list is mapped, unused, and its guard page unmapped;
 *   - stack_cache.count is the length of the list, at most STACK_CACHE_MAX;
 *   - a stack handed out again is not zeroed: nothing reads a stack below
 *     what its thread wrote, and none is ever shown to user mode.
 *
 * Locks: stack_cache.lock, a spin lock taken with interrupts off; a leaf
 * (nothing is taken under it; the unmap is done after it is dropped).
 */
#ifndef MACH_KERN_STACK_H
#define MACH_KERN_STACK_H

#include "mach/kern_return.h"
#include "mach/vm_types.h"

#define STACK_CACHE_MAX	16

kern_return_t	stack_alloc(vm_offset_t *stack);
void		stack_free(vm_offset_t stack);

/* stack_collect: unmap every stack on the free list. */
void		stack_collect(void);

/* stack_cache_count: how many free stacks are kept mapped now. */
unsigned	stack_cache_count(void);

#endif /* MACH_KERN_STACK_H */
