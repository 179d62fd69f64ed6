# mach/: the Mach core: memory (vm/) and the kernel proper (kern/).
KERNEL_SRCS += \
	mach/kern/clock.c \
	mach/kern/exception.c \
	mach/kern/host.c \
	mach/kern/kalloc.c \
	mach/kern/lock_order.c \
	mach/kern/locks.c \
	mach/kern/processor.c \
	mach/kern/run_queue.c \
	mach/kern/sched_prim.c \
	mach/kern/stack.c \
	mach/kern/sync_sema.c \
	mach/kern/syscall_subr.c \
	mach/kern/syscall_sw.c \
	mach/kern/task.c \
	mach/kern/thread.c \
	mach/kern/thread_act.c \
	mach/kern/thread_policy.c \
	mach/kern/timer_call.c \
	mach/kern/wait_queue.c \
	mach/kern/zalloc.c \
	mach/vm/kext_region.c \
	mach/vm/vm_fault.c \
	mach/vm/vm_init.c \
	mach/vm/vm_kern.c \
	mach/vm/vm_map.c \
	mach/vm/vm_map_copy.c \
	mach/vm/vm_map_store.c \
	mach/vm/vm_memory_entry.c \
	mach/vm/vm_object.c \
	mach/vm/vm_page.c \
	mach/vm/vm_phys.c \
	mach/vm/vm_user.c
KTEST_SRCS += \
	mach/ipc/ipc_kmsg_test.c \
	mach/kern/lock_order_test.c \
	mach/kern/locks_test.c \
	mach/kern/sched_prim_test.c \
	mach/kern/stack_test.c \
	mach/kern/sync_sema_test.c \
	mach/kern/timer_call_test.c \
	mach/kern/kalloc_test.c \
	mach/kern/zalloc_test.c \
	mach/vm/kext_region_test.c \
	mach/vm/vm_map_copy_test.c \
	mach/vm/vm_map_store_test.c \
	mach/vm/vm_map_test.c \
	mach/vm/vm_phys_test.c
# Benchmarks (bench=GLOB), beside the code they measure.
KTEST_SRCS += \
	mach/kern/clock_bench.c \
	mach/kern/kalloc_bench.c \
	mach/kern/locks_bench.c \
	mach/kern/run_queue_bench.c \
	mach/kern/sched_bench.c \
	mach/kern/timer_call_bench.c \
	mach/kern/zalloc_bench.c \
	mach/vm/vm_bench.c \
	mach/vm/vm_map_copy_bench.c
