/*
 * ktest_user.h - user tasks for in-kernel tests.
 *
 * Until the VM system's vm_allocate and the ELF loader are there, a test
 * builds its user task by hand: a task with an empty map, and a few wired
 * pages entered straight into its pmap: code (read and execute) at
 * KTEST_UCODE_VA, one data page (read and write) at KTEST_UDATA_VA that
 * the test reads and writes through the direct map, and a stack page
 * below KTEST_USTACK_TOP. Everything is taken apart again at the end, so
 * the harness's leak check passes.
 *
 *	struct ktest_utask u;
 *	thread_t t;
 *
 *	KT_ASSERT_EQ(ktest_utask_create(&u, "utest", prog, prog_len), KERN_SUCCESS);
 *	KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &t),
 *	    KERN_SUCCESS);
 *	thread_resume(t);
 *	KT_EXPECT_TRUE(ktest_uthread_wait(t, 5000));	(it ended)
 *	KT_EXPECT_EQ(u.data[0], 42);			(what it stored)
 *	ktest_uthread_release(t);
 *	ktest_utask_destroy(&u);
 *
 * The code must be position-independent or linked for KTEST_UCODE_VA.
 */

#ifndef TESTS_KTEST_USER_H
#define TESTS_KTEST_USER_H

#include <stddef.h>
#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"

#define KTEST_UCODE_VA		0x400000UL
#define KTEST_UCODE_PAGES	2
#define KTEST_UDATA_VA		0x600000UL
#define KTEST_USTACK_TOP	0x800000UL	/* one page below it */
#define KTEST_UPAGES		(KTEST_UCODE_PAGES + 2)

struct vm_page;

struct ktest_utask {
	task_t			task;
	uint64_t		*data;		/* the data page, through the direct map */
	struct vm_page		*pages[KTEST_UPAGES];
	uint64_t		va[KTEST_UPAGES];
	unsigned		npages;
};

/*
 * ktest_utask_create: a task named name with code (len bytes, at most
 * KTEST_UCODE_PAGES pages) at KTEST_UCODE_VA, a zeroed data page and a
 * zeroed stack page. Nothing is left behind on failure.
 */
kern_return_t	ktest_utask_create(struct ktest_utask *u, const char *name,
		    const void *code, size_t len);

/* ktest_uthread_create: a suspended user thread of u starting at entry with sp. */
kern_return_t	ktest_uthread_create(struct ktest_utask *u, uint64_t entry, uint64_t sp,
		    thread_t *out);

/*
 * ktest_uthread_wait: wait up to timeout_ms for thread to end and be
 * reaped; TRUE if it did. The caller's reference stays (its exc_info can
 * still be read).
 */
boolean_t	ktest_uthread_wait(thread_t thread, unsigned timeout_ms);

/*
 * ktest_uthread_release: drop the caller's reference, terminating the
 * thread first (and waiting for it) if it has not ended.
 */
void		ktest_uthread_release(thread_t thread);

/*
 * ktest_utask_destroy: terminate the task if it is not, wait for its
 * threads to be gone, take the pages out and free them, and drop the
 * task. Threads created with ktest_uthread_create must be released first.
 */
void		ktest_utask_destroy(struct ktest_utask *u);

#endif /* TESTS_KTEST_USER_H */
