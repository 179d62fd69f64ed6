/*
 * ktest_user.c - user tasks for in-kernel tests (ktest_user.h).
 */

#include "tests/ktest_user.h"

#include "bsd/kern/kern_exec.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"

#include "iokit/Kernel/IOLib.h"
#include "kernel/machine/thread.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_page.h"

#define KTEST_UREAP_MS	5000	/* how long a terminated thread may take to go */

/* Map one zeroed wired page at va with prot; its kernel address, or NULL. */
static void *
utask_add_page(struct ktest_utask *u, uint64_t va, vm_prot_t prot)
{
	struct vm_page *m;

	if (u->npages == KTEST_UPAGES)
		panic("ktest_utask: more than %d pages", KTEST_UPAGES);
	if ((m = vm_page_grab_zeroed(VM_PAGE_USE_KERNEL)) == NULL)
		return NULL;
	if (pmap_enter(vm_map_pmap(u->task->map), va, m->vmp_phys_page, prot, PMAP_WIRED) !=
	    KERN_SUCCESS) {
		vm_page_release(m);	/* its one wiring, the grab's, goes with it */
		return NULL;
	}
	u->pages[u->npages] = m;
	u->va[u->npages++] = va;
	return phystokv(vm_page_to_phys(m));
}

/* Take every page out of the task's pmap and give it back. */
static void
utask_free_pages(struct ktest_utask *u)
{
	for (unsigned i = 0; i < u->npages; i++) {
		pmap_remove(vm_map_pmap(u->task->map), u->va[i], u->va[i] + PAGE_SIZE);
		vm_page_release(u->pages[i]);
	}
	u->npages = 0;
}

kern_return_t
ktest_utask_create(struct ktest_utask *u, const char *name, const void *code, size_t len)
{
	kern_return_t kr;

	memset(u, 0, sizeof(*u));
	if (len > KTEST_UCODE_PAGES * PAGE_SIZE)
		return KERN_INVALID_ARGUMENT;
	if ((kr = task_create_internal(kernel_task, FALSE, &u->task)) != KERN_SUCCESS)
		return kr;
	task_set_name(u->task, name);
	if (exec_proc_create(u->task, name) == PROC_NULL)
		goto fail;
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		uint8_t *page = utask_add_page(u, KTEST_UCODE_VA + off,
		    VM_PROT_READ | VM_PROT_EXECUTE);

		if (page == NULL)
			goto fail;
		memcpy(page, (const uint8_t *)code + off, MIN(len - off, PAGE_SIZE));
	}
	if ((u->data = utask_add_page(u, KTEST_UDATA_VA, VM_PROT_READ | VM_PROT_WRITE)) == NULL ||
	    utask_add_page(u, KTEST_USTACK_TOP - PAGE_SIZE,
	    VM_PROT_READ | VM_PROT_WRITE) == NULL)
		goto fail;
	return KERN_SUCCESS;
fail:
	utask_free_pages(u);
	exec_initrd_reap(u->task);
	task_deallocate(u->task);
	u->task = TASK_NULL;
	return KERN_RESOURCE_SHORTAGE;
}

kern_return_t
ktest_uthread_create(struct ktest_utask *u, uint64_t entry, uint64_t sp, thread_t *out)
{
	kern_return_t kr = thread_create(u->task, out);

	if (kr != KERN_SUCCESS)
		return kr;
	if (uthread_alloc(proc_from_task(u->task), *out) != 0) {
		(void)thread_terminate(*out);
		thread_deallocate(*out);
		return KERN_RESOURCE_SHORTAGE;
	}
	thread_setentrypoint(*out, entry);
	(void)thread_setuserstack(*out, sp);
	return KERN_SUCCESS;
}

/* Ended and reaped: only the caller's reference is left, the stack is freed. */
static boolean_t
uthread_gone(thread_t thread)
{
	return __atomic_load_n(&thread->ref_count, __ATOMIC_ACQUIRE) == 1 &&
	    __atomic_load_n(&thread->kernel_stack, __ATOMIC_ACQUIRE) == 0;
}

boolean_t
ktest_uthread_wait(thread_t thread, unsigned timeout_ms)
{
	for (unsigned ms = 0; !uthread_gone(thread); ms++) {
		if (ms >= timeout_ms)
			return FALSE;
		IOSleep(1);
	}
	return TRUE;
}

void
ktest_uthread_release(thread_t thread)
{
	if (!uthread_gone(thread)) {
		(void)thread_terminate(thread);
		if (!ktest_uthread_wait(thread, KTEST_UREAP_MS))
			panic("ktest_uthread_release: thread %llu did not end after "
			    "thread_terminate", (unsigned long long)thread->thread_id);
	}
	thread_deallocate(thread);
}

void
ktest_utask_destroy(struct ktest_utask *u)
{
	(void)task_terminate_internal(u->task);
	(void)task_wait_threads_gone(u->task, 0);
	exec_initrd_reap(u->task);		/* the process and its reference */
	/* Each thread holds a reference until it is reaped: wait for ours to be the last. */
	for (unsigned ms = 0; __atomic_load_n(&u->task->ref_count, __ATOMIC_ACQUIRE) != 1;
	    ms++) {
		if (ms >= KTEST_UREAP_MS)
			panic("ktest_utask_destroy: task %s still has %u threads", u->task->name,
			    u->task->thread_count);
		IOSleep(1);
	}
	utask_free_pages(u);
	task_deallocate(u->task);
	u->task = TASK_NULL;
}
