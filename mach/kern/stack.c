/*
 * stack.c - kernel stacks and their free list (stack.h).
 */
#include "mach/kern/stack.h"

#include "kernel/machine_routines.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_map.h"

/* A free stack's first word links it to the next. */
struct stack_link {
	struct stack_link	*next;
};

static struct {
	hw_lock_data_t		lock;
	struct stack_link	*head;		/* [L] */
	unsigned		count;		/* [L] written; read without it */
} stack_cache = { HW_LOCK_INITIALIZER, NULL, 0 };

kern_return_t
stack_alloc(vm_offset_t *stack)
{
	struct stack_link *s;
	boolean_t intr = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&stack_cache.lock);
	if ((s = stack_cache.head) != NULL) {
		stack_cache.head = s->next;
		stack_cache.count--;
	}
	hw_lock_unlock(&stack_cache.lock);
	ml_set_interrupts_enabled(intr);
	if (s != NULL) {
		*stack = (vm_offset_t)s;
		return KERN_SUCCESS;
	}
	return kernel_memory_allocate(kernel_map, stack, KERNEL_STACK_SIZE, 0,
	    KMA_GUARD_FIRST | KMA_ZERO);
}

void
stack_free(vm_offset_t stack)
{
	struct stack_link *s = (struct stack_link *)stack;
	boolean_t intr = ml_set_interrupts_enabled(FALSE);
	boolean_t kept = FALSE;

	hw_lock_lock(&stack_cache.lock);
	if (stack_cache.count < STACK_CACHE_MAX) {
		s->next = stack_cache.head;
		stack_cache.head = s;
		stack_cache.count++;
		kept = TRUE;
	}
	hw_lock_unlock(&stack_cache.lock);
	ml_set_interrupts_enabled(intr);
	if (!kept)
		kmem_free(kernel_map, stack, KERNEL_STACK_SIZE);
}

void
stack_collect(void)
{
	struct stack_link *list;
	boolean_t intr = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&stack_cache.lock);
	list = stack_cache.head;
	stack_cache.head = NULL;
	stack_cache.count = 0;
	hw_lock_unlock(&stack_cache.lock);
	ml_set_interrupts_enabled(intr);
	while (list != NULL) {
		struct stack_link *next = list->next;

		kmem_free(kernel_map, (vm_offset_t)list, KERNEL_STACK_SIZE);
		list = next;
	}
}

unsigned
stack_cache_count(void)
{
	return __atomic_load_n(&stack_cache.count, __ATOMIC_RELAXED);
}
