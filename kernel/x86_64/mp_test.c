/*
 * mp_test.c - a TLB shootdown of a user address space reaches a CPU that
 * idles with that address space still loaded: not by interrupting it, but
 * by the flush it owes when it next runs a thread (mp.c, mp_cr3_mark_active).
 *
 * On one CPU there is no other CPU to defer to and the test checks
 * nothing; the kernel tier runs it on two and four as well.
 */

#include "kernel/x86_64/mp.h"

#include "kernel/copyio.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/vm_param.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/sync_sema.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_page.h"
#include "tests/ktest.h"

#define IDLE_VA		0x7f0000200000UL
#define OLD_WORD	0x01d01d01d01dULL
#define NEW_WORD	0x0e90e90e90e9ULL

static const mach_timespec_t five_seconds = { 5, 0 };

struct idle_flush {
	vm_map_t	map;
	semaphore_t	loaded;		/* the worker read the old page */
	semaphore_t	go;		/* the page was replaced: read again */
	semaphore_t	done;
	uint64_t	before, after;	/* what the worker read, each time */
	kern_return_t	kr_before, kr_after;
};

/* On CPU 1: load the map, read, idle while the test replaces the page, read. */
static void
idle_flush_worker(void *parameter, wait_result_t result)
{
	struct idle_flush *f = parameter;
	vm_map_t old;

	(void)result;
	(void)thread_bind(&processor_array[1]);
	thread_block(THREAD_CONTINUE_NULL);
	old = vm_map_switch(f->map);
	f->kr_before = copyin(IDLE_VA, &f->before, sizeof(f->before)) == 0 ?
	    KERN_SUCCESS : KERN_FAILURE;
	(void)semaphore_signal(f->loaded);
	/* Blocked here, the CPU runs its idle thread with f->map's pmap loaded. */
	if (semaphore_timedwait(f->go, five_seconds) == KERN_SUCCESS)
		f->kr_after = copyin(IDLE_VA, &f->after, sizeof(f->after)) == 0 ?
		    KERN_SUCCESS : KERN_FAILURE;
	(void)vm_map_switch(old);
	(void)thread_bind(PROCESSOR_NULL);
	(void)semaphore_signal(f->done);
}

KTEST(mp, an_idle_cpu_flushes_a_deferred_shootdown_before_it_runs_a_thread)
{
	struct idle_flush f = { .kr_before = KERN_FAILURE, .kr_after = KERN_FAILURE };
	struct vm_page *a, *b;
	uint64_t deadline, deferred;
	pmap_t pmap;
	thread_t t;

	if (processor_count < 2)
		return;
	(void)thread_bind(&processor_array[0]);
	thread_block(THREAD_CONTINUE_NULL);
	pmap = pmap_create();
	a = vm_page_grab_zeroed(VM_PAGE_USE_KERNEL);
	b = vm_page_grab_zeroed(VM_PAGE_USE_KERNEL);
	KT_ASSERT_TRUE(pmap != PMAP_NULL && a != NULL && b != NULL);
	*(uint64_t *)phystokv(vm_page_to_phys(a)) = OLD_WORD;
	*(uint64_t *)phystokv(vm_page_to_phys(b)) = NEW_WORD;
	KT_ASSERT_EQ(pmap_enter(pmap, IDLE_VA, a->vmp_phys_page, VM_PROT_READ, 0), KERN_SUCCESS);
	f.map = vm_map_create(pmap, 0x1000, VM_MAX_USER_ADDRESS, TRUE);
	KT_ASSERT_TRUE(f.map != VM_MAP_NULL);
	KT_ASSERT_EQ(semaphore_create(current_task(), &f.loaded, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	KT_ASSERT_EQ(semaphore_create(current_task(), &f.go, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	KT_ASSERT_EQ(semaphore_create(current_task(), &f.done, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	KT_ASSERT_EQ(kernel_thread_start(idle_flush_worker, &f, &t), KERN_SUCCESS);

	KT_EXPECT_EQ(semaphore_timedwait(f.loaded, five_seconds), KERN_SUCCESS);
	/* CPU 1 goes idle with the pmap loaded, its TLB holding the old page. */
	deadline = mach_absolute_time() + 2000ULL * 1000 * 1000;
	while (!__atomic_load_n(&cpu_datap(1)->cpu_cr3_inactive, __ATOMIC_SEQ_CST) &&
	    mach_absolute_time() < deadline)
		thread_yield();
	deferred = mp_tlb_deferred_count();
	/* Replacing a present entry is a shootdown; CPU 1 is not interrupted for it. */
	KT_EXPECT_EQ(pmap_enter(pmap, IDLE_VA, b->vmp_phys_page, VM_PROT_READ, 0), KERN_SUCCESS);
	KT_EXPECT_GT(mp_tlb_deferred_count(), deferred);
	(void)semaphore_signal(f.go);
	KT_EXPECT_EQ(semaphore_timedwait(f.done, five_seconds), KERN_SUCCESS);

	KT_EXPECT_EQ(f.kr_before, KERN_SUCCESS);
	KT_EXPECT_EQ(f.before, OLD_WORD);
	KT_EXPECT_EQ(f.kr_after, KERN_SUCCESS);
	KT_EXPECT_EQ(f.after, NEW_WORD);	/* not the old page, from a stale TLB entry */
	thread_deallocate(t);
	(void)semaphore_destroy(current_task(), f.loaded);
	(void)semaphore_destroy(current_task(), f.go);
	(void)semaphore_destroy(current_task(), f.done);
	vm_map_deallocate(f.map);	/* and the pmap, with the entry for b */
	vm_page_release(a);
	vm_page_release(b);
	(void)thread_bind(PROCESSOR_NULL);
}
