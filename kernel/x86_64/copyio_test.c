/*
 * copyio_test.c - both sides of SMAP and SMEP (kernel/copyio.h): a kernel
 * thread that borrows a user task's address space reaches its pages
 * through copyin, copyout and copyinstr, and only through them (the
 * selftests touches_user_memory_on_purpose and runs_user_code_on_purpose,
 * which panic on purpose and so run only when named, show the other side). Also the boundary the copy calls check: a range that
 * reaches the kernel half is EFAULT, whatever is mapped there.
 */

#include "kernel/copyio.h"

#include "bsd/sys/errno.h"
#include "kernel/console.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"
#include "tests/ktest.h"
#include "tests/ktest_user.h"

static const uint8_t user_ret[] = { 0xc3 };	/* ret: harmless if it ever ran */

KTEST(copyio, copyin_and_copyout_reach_a_borrowed_user_page)
{
	struct ktest_utask u;
	uint64_t in[4] = { 0 }, out[4] = { 1, 2, 3, 0xfeedface };
	char str[16];
	vm_size_t done = 0;
	vm_map_t old;
	thread_t t;

	KT_ASSERT_EQ(ktest_utask_create(&u, "ucopyio", user_ret, sizeof(user_ret)), KERN_SUCCESS);
	/* Never resumed: the task needs a thread to end, for its process to be reaped. */
	KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &t), KERN_SUCCESS);
	u.data[8] = 0x0079706f636f6921ULL;	/* "!iocopy\0", little-endian */
	old = vm_map_switch(u.task->map);
	KT_EXPECT_EQ(copyout(out, KTEST_UDATA_VA, sizeof(out)), 0);
	KT_EXPECT_EQ(copyin(KTEST_UDATA_VA, in, sizeof(in)), 0);
	KT_EXPECT_EQ(copyinstr(KTEST_UDATA_VA + 64, str, sizeof(str), &done), 0);
	/* The copy calls check the range before they touch it. */
	KT_EXPECT_EQ(copyin(VM_MAX_USER_ADDRESS - 8, in, 16), EFAULT);
	KT_EXPECT_EQ(copyout(out, (user_addr_t)KERNEL_BASE, 8), EFAULT);
	KT_EXPECT_EQ(copyin(~0ULL - 7, in, 16), EFAULT);
	(void)vm_map_switch(old);
	KT_EXPECT_EQ(u.data[3], 0xfeedface);	/* the same page, through the direct map */
	KT_EXPECT_EQ(in[0], 1);
	KT_EXPECT_EQ(in[3], 0xfeedface);
	KT_EXPECT_EQ(done, 8);
	KT_EXPECT_EQ(strcmp(str, "!iocopy"), 0);
	/* SMAP stays on around the calls: the window closes after each. */
	if (get_cr4() & CR4_SMAP)
		KT_EXPECT_FALSE(get_rflags() & RFLAGS_AC);
	ktest_uthread_release(t);
	ktest_utask_destroy(&u);
}

/*
 * SMAP and SMEP: the kernel borrows a user task's address space (as a
 * kernel thread copying in from it does) and then, outside copyin and
 * copyout, reads a user page or jumps into one. Either must take a page
 * fault with the protection bit set, which panics (nothing recovers it);
 * the boot tier checks the report. The ktest above is the other side:
 * copyin and copyout of the same page work.
 */

static void
borrow_a_user_map(struct ktest_utask *u)
{
	if (ktest_utask_create(u, "usmap", user_ret, sizeof(user_ret)) != KERN_SUCCESS)
		panic("selftest: no memory for a user task");
	u->data[0] = 0x5eed;
	(void)vm_map_switch(u->task->map);
}

KTEST_EXPLICIT(selftest, touches_user_memory_on_purpose)
{
	struct ktest_utask u;
	volatile uint64_t *p = (volatile uint64_t *)KTEST_UDATA_VA;

	if (!(get_cr4() & CR4_SMAP))
		printf("selftest: this CPU has no SMAP: the read below will not fault\n");
	borrow_a_user_map(&u);
	printf("selftest: reading user address 0x%lx outside copyin\n", (unsigned long)KTEST_UDATA_VA);
	KT_EXPECT_EQ(*p, 0x5eed);
	panic("selftest: the kernel read a user page and did not fault (SMAP off)");
}

KTEST_EXPLICIT(selftest, runs_user_code_on_purpose)
{
	struct ktest_utask u;
	void (*volatile fn)(void) = (void (*)(void))KTEST_UCODE_VA;

	if (!(get_cr4() & CR4_SMEP))
		printf("selftest: this CPU has no SMEP: the call below will not fault\n");
	borrow_a_user_map(&u);
	printf("selftest: calling user address 0x%lx\n", (unsigned long)KTEST_UCODE_VA);
	fn();
	panic("selftest: the kernel ran a user page and did not fault (SMEP off)");
}
