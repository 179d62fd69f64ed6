/*
 * os_test.h - what the tests of libkern's classes share: the registry set
 * up before each test, and tests that end by checking that everything
 * they allocated was given back (kalloc is the shim's, which counts).
 *
 *	OSTest(OSArray, grows) { ... }
 *
 * is a Criterion test in suite OSArray whose body is followed by the leak
 * check (Criterion ignores assertions in a suite's .fini, so the check is
 * part of the test itself).
 */

#ifndef TESTS_UNIT_LIBKERN_OS_TEST_H
#define TESTS_UNIT_LIBKERN_OS_TEST_H

#include <criterion/criterion.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "kernel/machine_routines.h"
#include "libkern/OSMetaClass.h"

static inline void
os_test_setup(void)
{
	OSMetaClass_init();
}

static inline void
os_test_no_leaks(void)
{
	cr_assert_eq(shim_kalloc_outstanding(), 0u, "%zu bytes in %zu blocks leaked",
	    shim_kalloc_outstanding(), shim_kalloc_blocks());
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE, "a lock left interrupts off");
}

#define OSTest(suite, name, ...)					\
	static void suite##_##name##_body(void);			\
	Test(suite, name, .init = os_test_setup, ##__VA_ARGS__)		\
	{								\
		suite##_##name##_body();				\
		os_test_no_leaks();					\
	}								\
	static void suite##_##name##_body(void)

#endif /* TESTS_UNIT_LIBKERN_OS_TEST_H */
