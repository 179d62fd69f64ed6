/*
 * selftest.c - tests that fail, leak, fault or panic on purpose, so that the
 * harness (tests/kernel/run_kernel.py) can check it reports each of those
 * the way it should. They are KTEST_EXPLICIT: they run only when named
 * exactly on tests=, never as part of tests=*.
 */

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/kheap.h"
#include "kernel/x86_64/cpu.h"
#include "mach/kern/sched.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"
#include "tests/ktest.h"
#include "tests/ktest_user.h"

KTEST_EXPLICIT(selftest, fails_on_purpose)
{
	KT_EXPECT_EQ(1 + 1, 3);
}

KTEST_EXPLICIT(selftest, leaks_on_purpose)
{
	KT_EXPECT_TRUE(kheap_alloc(&kernel_heap, 100) != NULL);
}

KTEST_EXPLICIT(selftest, panics_on_purpose)
{
	panic("selftest: a panic on purpose");
}

KTEST_EXPLICIT(selftest, faults_on_purpose)
{
	volatile uint64_t *volatile p = (volatile uint64_t *)(uintptr_t)0x8;

	*p = 0x5eed;
}

/* The %s points at a non-canonical address: formatting it faults inside panic(). */
KTEST_EXPLICIT(selftest, panic_in_panic)
{
	panic("selftest: %s", (const char *)(uintptr_t)0xdead000000000000ULL);
}

static unsigned __noinline
recurse(volatile unsigned depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth == ~0u)	/* never: the guard page comes first */
		return 0;
	return recurse(depth + 1) + frame[0];
}

/* Runs off the bottom of the boot stack into its guard page: a double fault. */
KTEST_EXPLICIT(selftest, stack_overflow)
{
	(void)recurse(0);
}

static void
overflow_main(void *arg, int result)
{
	(void)arg;
	(void)result;
	(void)recurse(0);
}

/* The same on a kernel thread's own stack (kernel_memory_allocate's guard). */
KTEST_EXPLICIT(selftest, thread_stack_overflow)
{
	thread_t t = ktest_thread_start(overflow_main, NULL, BASEPRI_KERNEL + 1);

	ktest_thread_join(t);
}

/*
 * Writes past a local array over the stack protector's copy of the guard:
 * the function's own check, on its way out, panics.
 */
static __noinline void
overrun(volatile size_t n)
{
	char buf[16];
	char *volatile p = buf;		/* the compiler cannot see how far it goes */

	for (size_t i = 0; i < n; i++)
		p[i] = 0x5a;
	__asm__ volatile("" : : "r"(buf) : "memory");
}

KTEST_EXPLICIT(selftest, smashes_its_stack_on_purpose)
{
	overrun(48);
}

/*
 * SMAP and SMEP: the kernel borrows a user task's address space (as a
 * kernel thread copying in from it does) and then, outside copyin and
 * copyout, reads a user page or jumps into one. Either must take a page
 * fault with the protection bit set, which panics (nothing recovers it);
 * the boot tier checks the report. kernel/x86_64/copyio_test.c has the other
 * side: copyin and copyout of the same page work.
 */
static const uint8_t user_ret[] = { 0xc3 };	/* ret: harmless if it ever ran */

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
