/*
 * ktest.h - in-kernel tests and benchmarks.
 *
 * A test is a function registered with KTEST(suite, name) in the .ktests
 * section, usually in a file beside the code it tests (foo_test.c next to
 * foo.c). tests=GLOB[,GLOB...] on the boot-args runs the tests whose
 * "suite.name" matches, prints TAP on the console, and powers the machine
 * off with the result as its exit status (tests/run.py reads it).
 *
 *	KTEST(vm_phys, alloc_returns_aligned_page)
 *	{
 *		pmap_paddr_t pa;
 *
 *		KT_ASSERT_EQ(vm_page_alloc_phys(&pa), KERN_SUCCESS);
 *		KT_EXPECT_EQ(pa & PAGE_MASK, 0);
 *		vm_page_free_phys(pa);
 *	}
 *
 * KT_EXPECT_* records a failure and goes on; KT_ASSERT_* records it and
 * returns from the test. A test must leave the kernel as it found it: the
 * runner compares free physical pages and heap bytes before and after each
 * test and fails one that leaks.
 *
 * KTEST_EXPLICIT registers a test that runs only when named exactly (no
 * wildcard): the harness's own checks that fail, fault or panic on purpose.
 *
 * KBENCH(ident, "name") registers a benchmark for bench=GLOB; it reports
 * figures as "name value unit" lines through kbench_report() (tests/kbench.h
 * has the clocks, rounds and medians to measure with; docs/benchmarks.md).
 */

#ifndef TESTS_KTEST_H
#define TESTS_KTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/cdefs.h"
#include "libkern/printf.h"
#include "libkern/string.h"

struct ktest {
	const char	*kt_suite;
	const char	*kt_name;
	void		(*kt_fn)(void);
	unsigned	kt_flags;
	const char	*kt_file;
	int		kt_line;
};

#define KTEST_F_EXPLICIT	0x1

struct kbench {
	const char	*kb_name;
	void		(*kb_fn)(void);
};

#define KTEST_REGISTER(suite, name, flags)				\
	static void ktest_##suite##_##name(void);			\
	static const struct ktest __ktest_##suite##_##name = {		\
		#suite, #name, ktest_##suite##_##name, (flags),		\
		__FILE__, __LINE__ };					\
	static const struct ktest *const __ktest_ptr_##suite##_##name	\
	    __section(".ktests") __used = &__ktest_##suite##_##name;	\
	static void ktest_##suite##_##name(void)

#define KTEST(suite, name)		KTEST_REGISTER(suite, name, 0)
#define KTEST_EXPLICIT(suite, name)	KTEST_REGISTER(suite, name, KTEST_F_EXPLICIT)

#define KBENCH(ident, name)						\
	static void kbench_##ident(void);				\
	static const struct kbench __kbench_##ident = { (name), kbench_##ident }; \
	static const struct kbench *const __kbench_ptr_##ident		\
	    __section(".kbench") __used = &__kbench_##ident;		\
	static void kbench_##ident(void)

/* Record a result; false if it failed. Used by the macros below. */
bool	ktest_check(bool ok, const char *file, int line, const char *fmt, ...)
	    __printflike(4, 5);

#define KT_EXPECT_TRUE(e)						\
	ktest_check(!!(e), __FILE__, __LINE__, "expected %s", #e)
#define KT_EXPECT_FALSE(e)						\
	ktest_check(!(e), __FILE__, __LINE__, "expected !(%s)", #e)
#define KT_EXPECT_OP(a, op, b) ({					\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	ktest_check(__a op __b, __FILE__, __LINE__,			\
	    "expected %s %s %s (0x%llx vs 0x%llx)", #a, #op, #b, __a, __b); })
#define KT_EXPECT_EQ(a, b)	KT_EXPECT_OP(a, ==, b)
#define KT_EXPECT_NE(a, b)	KT_EXPECT_OP(a, !=, b)
#define KT_EXPECT_LT(a, b)	KT_EXPECT_OP(a, <, b)
#define KT_EXPECT_LE(a, b)	KT_EXPECT_OP(a, <=, b)
#define KT_EXPECT_GT(a, b)	KT_EXPECT_OP(a, >, b)
#define KT_EXPECT_GE(a, b)	KT_EXPECT_OP(a, >=, b)
#define KT_EXPECT_STREQ(a, b) ({					\
	const char *__a = (a), *__b = (b);				\
	ktest_check(__a != NULL && __b != NULL && strcmp(__a, __b) == 0, \
	    __FILE__, __LINE__, "expected %s == %s (\"%s\" vs \"%s\")",	\
	    #a, #b, __a ? __a : "(null)", __b ? __b : "(null)"); })

#define KT_ASSERT_TRUE(e)	do { if (!KT_EXPECT_TRUE(e)) return; } while (0)
#define KT_ASSERT_FALSE(e)	do { if (!KT_EXPECT_FALSE(e)) return; } while (0)
#define KT_ASSERT_EQ(a, b)	do { if (!KT_EXPECT_EQ(a, b)) return; } while (0)
#define KT_ASSERT_NE(a, b)	do { if (!KT_EXPECT_NE(a, b)) return; } while (0)
#define KT_ASSERT_STREQ(a, b)	do { if (!KT_EXPECT_STREQ(a, b)) return; } while (0)

/*
 * Threads in tests: ktest_thread_start runs fn(arg, THREAD_AWAKENED) on a
 * new kernel thread at priority pri (panicking if it cannot: the machine is
 * broken, not the test); ktest_thread_join waits until that thread has
 * ended and its stack is freed, and drops the reference, so the test
 * leaves nothing behind.
 */
struct thread;
struct thread	*ktest_thread_start(void (*fn)(void *arg, int result), void *arg, int pri);
void		ktest_thread_join(struct thread *thread);

/* ktest_wait_until: poll cond every millisecond for up to timeout_ms; its last value. */
#define ktest_wait_until(cond, timeout_ms) ({					unsigned __ms = 0;							while (!(cond) && __ms++ < (timeout_ms))					ktest_sleep_ms(1);						(cond); })
void		ktest_sleep_ms(unsigned ms);

/*
 * The kernel log, for tests that check what was printed: a cursor to
 * start from (taken before the printing), and whether the log got needle
 * since (in the last 8 KiB read from there).
 */
uint64_t	ktest_log_cursor(void);
bool		ktest_log_has(uint64_t cursor, const char *needle);

/* ktest_main: run the tests matching globs, print TAP, power off. */
void	ktest_main(const char *globs) __dead2;

/* kbench_main: run the benchmarks matching globs, power off. */
void	kbench_main(const char *globs) __dead2;

/* kbench_report: one figure, printed as "name value unit". */
void	kbench_report(const char *name, uint64_t value, const char *unit);

#endif /* TESTS_KTEST_H */
