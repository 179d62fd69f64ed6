/*
 * vm_map_copy_bench.c - what moving out-of-line memory between two tasks
 * costs (the VM side of an OOL message of 1 MiB).
 *
 *	bench=vm.copy.*
 *	    vm.copy.1mib	vm_map_copyin of 1 MiB of a task's memory
 *				(resident, written before), vm_map_copyout into
 *				another task, mach_vm_deallocate there: the
 *				median of KBENCH_ROUNDS rounds' mean per
 *				transfer. Copy-on-write: no page is copied.
 *	    vm.copy.1mib.read	the same, and the receiver reads one word of
 *				every page before deallocating (256 read
 *				faults, each mapping the sender's page)
 *
 * The receiver's reads are real faults: the benchmark thread borrows its
 * map (vm_map_switch) and uses copyin. Figures are in ns and TSC cycles
 * (kbench.h).
 */

#include "mach/vm/vm_map_copy.h"

#include "kernel/console.h"
#include "kernel/copyio.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_user.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define COPY_BENCH_SIZE		(1024 * 1024)
#define COPY_BENCH_TRANSFERS	40	/* per round */

struct copy_bench {
	task_t			sender, receiver;
	mach_vm_address_t	src;
	boolean_t		read;		/* the receiver touches every page */
	boolean_t		failed;
};

static void
transfer_body(void *arg, uint64_t iterations)
{
	struct copy_bench *cb = arg;

	for (uint64_t i = 0; i < iterations && !cb->failed; i++) {
		vm_map_copy_t copy;
		vm_map_address_t dst;

		if (vm_map_copyin(cb->sender->map, cb->src, COPY_BENCH_SIZE, FALSE, &copy) !=
		    KERN_SUCCESS) {
			cb->failed = TRUE;
			return;
		}
		if (vm_map_copyout(cb->receiver->map, &dst, copy) != KERN_SUCCESS) {
			vm_map_copy_discard(copy);
			cb->failed = TRUE;
			return;
		}
		if (cb->read) {
			vm_map_t old = vm_map_switch(cb->receiver->map);
			uint64_t v;

			for (vm_map_size_t off = 0; off < COPY_BENCH_SIZE; off += PAGE_SIZE)
				if (copyin(dst + off, &v, sizeof(v)) != 0)
					cb->failed = TRUE;
			(void)vm_map_switch(old);
		}
		(void)mach_vm_deallocate(cb->receiver->map, dst, COPY_BENCH_SIZE);
	}
}

static void
copy_bench(const char *name, boolean_t read)
{
	struct copy_bench cb = { .read = read };
	struct kbench_cost cost;
	vm_map_t old;

	if (task_create_internal(kernel_task, FALSE, &cb.sender) != KERN_SUCCESS ||
	    task_create_internal(kernel_task, FALSE, &cb.receiver) != KERN_SUCCESS ||
	    mach_vm_allocate(cb.sender->map, &cb.src, COPY_BENCH_SIZE, VM_FLAGS_ANYWHERE) !=
	    KERN_SUCCESS) {
		printf("# %s: no memory for the tasks\n", name);
		cb.failed = TRUE;
	} else {
		/* The sender's data: every page written, so resident. */
		old = vm_map_switch(cb.sender->map);
		for (vm_map_size_t off = 0; off < COPY_BENCH_SIZE && !cb.failed; off += PAGE_SIZE)
			cb.failed = copyout(&off, cb.src + off, sizeof(off)) != 0;
		(void)vm_map_switch(old);
		if (!cb.failed)
			kbench_rounds(transfer_body, &cb, COPY_BENCH_TRANSFERS, &cost);
		if (cb.failed)
			printf("# %s: a transfer failed; no figure\n", name);
		else
			kbench_report_cost(name, &cost);
	}
	task_deallocate(cb.receiver);
	task_deallocate(cb.sender);
}

KBENCH(vm_copy_1mib, "vm.copy.1mib")
{
	copy_bench("vm.copy.1mib", FALSE);
}

KBENCH(vm_copy_1mib_read, "vm.copy.1mib.read")
{
	copy_bench("vm.copy.1mib.read", TRUE);
}
