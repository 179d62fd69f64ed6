/*
 * selftest.c - tests that fail, leak, fault or panic on purpose, so that the
 * harness (tests/kernel/run_kernel.py) can check it reports each of those
 * the way it should. They are KTEST_EXPLICIT: they run only when named
 * exactly on tests=, never as part of tests=*.
 */

#include "kernel/debug.h"
#include "kernel/kheap.h"
#include "mach/kern/sched.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

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
