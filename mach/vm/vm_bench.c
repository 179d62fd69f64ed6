/*
 * vm_bench.c - what the VM system costs: allocating address space, and
 * page faults, in a user task's map.
 *
 *	bench=vm.*
 *	    vm.allocate_deallocate	mach_vm_allocate + mach_vm_deallocate
 *					of one page, never touched: the median
 *					of KBENCH_ROUNDS rounds' mean per pair
 *	    vm.fault.zero_fill		the first write to a page of fresh
 *					anonymous memory, per page
 *	    vm.fault.cow		the first write to a page shared
 *					copy-on-write with a parent task, per
 *					page (a page copy included)
 *
 * Faults are taken the way a system call takes them: the benchmark thread
 * borrows the task's map (vm_map_switch) and writes with copyout, so each
 * one is a real page-fault trap, resolved by vm_fault and resumed. The
 * time to set up each round's memory (allocating it, forking) is outside
 * the timed part. Figures are in ns and TSC cycles (kbench.h).
 */

#include "mach/vm/vm_user.h"

#include "kernel/console.h"
#include "kernel/copyio.h"
#include "mach/kern/task.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define VM_BENCH_PAGES		128	/* pages faulted per round */
#define VM_BENCH_ALLOCATIONS	2000	/* allocate + deallocate pairs per round */

static void
allocate_body(void *arg, uint64_t iterations)
{
	vm_map_t map = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		mach_vm_address_t addr = 0;

		if (mach_vm_allocate(map, &addr, PAGE_SIZE, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
			return;
		(void)mach_vm_deallocate(map, addr, PAGE_SIZE);
	}
}

KBENCH(vm_allocate, "vm.allocate_deallocate")
{
	task_t task;
	struct kbench_cost cost;

	if (task_create_internal(kernel_task, FALSE, &task) != KERN_SUCCESS) {
		printf("# vm.allocate_deallocate: no memory for a task\n");
		return;
	}
	kbench_rounds(allocate_body, task->map, VM_BENCH_ALLOCATIONS, &cost);
	kbench_report_cost("vm.allocate_deallocate", &cost);
	task_deallocate(task);
}

/* Write one word to each of n pages at addr of map; time it. FALSE on a failure. */
static boolean_t
touch_pages(vm_map_t map, mach_vm_address_t addr, unsigned n, struct kbench_cost *cost)
{
	vm_map_t old = vm_map_switch(map);
	struct kbench_clock start;
	boolean_t ok = TRUE;

	kbench_clock_read(&start);
	for (unsigned i = 0; i < n && ok; i++) {
		uint64_t v = i;

		ok = copyout(&v, addr + ptoa((uint64_t)i), sizeof(v)) == 0;
	}
	kbench_cost_since(&start, n, cost);
	(void)vm_map_switch(old);
	return ok;
}

/*
 * One round: fresh memory in task (shared copy-on-write with a child
 * first, if cow), its pages written once, timed. FALSE on a failure.
 */
static boolean_t
fault_round(task_t task, boolean_t cow, struct kbench_cost *cost)
{
	mach_vm_address_t addr = 0;
	mach_vm_size_t size = ptoa((uint64_t)VM_BENCH_PAGES);
	struct kbench_cost ignored;
	task_t child = TASK_NULL;
	boolean_t ok;

	if (mach_vm_allocate(task->map, &addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return FALSE;
	ok = TRUE;
	if (cow) {
		/* The parent's data, then a child sharing it copy-on-write. */
		ok = touch_pages(task->map, addr, VM_BENCH_PAGES, &ignored) &&
		    task_create_internal(task, TRUE, &child) == KERN_SUCCESS;
	}
	if (ok)
		ok = touch_pages(cow ? child->map : task->map, addr, VM_BENCH_PAGES, cost);
	task_deallocate(child);
	(void)mach_vm_deallocate(task->map, addr, size);
	return ok;
}

static void
fault_bench(const char *name, boolean_t cow)
{
	struct kbench_cost costs[KBENCH_ROUNDS], cost;
	task_t task;

	if (task_create_internal(kernel_task, FALSE, &task) != KERN_SUCCESS) {
		printf("# %s: no memory for a task\n", name);
		return;
	}
	(void)fault_round(task, cow, &cost);		/* warm-up */
	for (unsigned r = 0; r < KBENCH_ROUNDS; r++) {
		if (!fault_round(task, cow, &costs[r])) {
			printf("# %s: a fault failed; no figure\n", name);
			task_deallocate(task);
			return;
		}
	}
	kbench_cost_median(costs, KBENCH_ROUNDS, &cost);
	kbench_report_cost(name, &cost);
	task_deallocate(task);
}

KBENCH(vm_fault_zero_fill, "vm.fault.zero_fill")
{
	fault_bench("vm.fault.zero_fill", FALSE);
}

KBENCH(vm_fault_cow, "vm.fault.cow")
{
	fault_bench("vm.fault.cow", TRUE);
}
