/*
 * vm_ktest.h - what the VM's in-kernel tests share (vm_map_test.c, vm_map_copy_test.c):
 * a user task to work in, and reads, writes and allocations in a map as
 * a system call of its task would make them. For tests only.
 */

#ifndef MACH_VM_VM_KTEST_H
#define MACH_VM_VM_KTEST_H

#include "kernel/copyio.h"
#include "libkern/panic.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_user.h"
#include "tests/ktest.h"

/* ktest_new_task: a user task with an empty address space (one reference). */
static inline task_t
ktest_new_task(void)
{
	task_t task = TASK_NULL;

	if (task_create_internal(kernel_task, FALSE, &task) != KERN_SUCCESS)
		panic("vm test: no memory for a task");
	return task;
}

/* ktest_allocate: size bytes of fresh memory in map, anywhere. */
static inline mach_vm_address_t
ktest_allocate(vm_map_t map, mach_vm_size_t size)
{
	mach_vm_address_t addr = 0;

	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	return addr;
}

/* ktest_poke: write v at addr of map, as a system call of its task would. */
static inline int
ktest_poke(vm_map_t map, mach_vm_address_t addr, uint64_t v)
{
	vm_map_t old = vm_map_switch(map);
	int error = copyout(&v, addr, sizeof(v));

	(void)vm_map_switch(old);
	return error;
}

/* ktest_peek: read addr of map; ~0 if it cannot be read. */
static inline uint64_t
ktest_peek(vm_map_t map, mach_vm_address_t addr)
{
	vm_map_t old = vm_map_switch(map);
	uint64_t v;

	if (copyin(addr, &v, sizeof(v)) != 0)
		v = ~0ULL;
	(void)vm_map_switch(old);
	return v;
}

#endif /* MACH_VM_VM_KTEST_H */
