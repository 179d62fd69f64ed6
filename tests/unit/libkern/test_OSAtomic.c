/*
 * test_OSAtomic.c - libkern/OSAtomic.c: each call's effect and its return
 * value (the old value, or whether the swap happened), and Apple's bit
 * numbering for OSTestAndSet and OSTestAndClear.
 */

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>

#include "libkern/OSAtomic.h"

Test(OSAtomic, add_and_increment_return_the_old_value)
{
	volatile int32_t v = 5;
	volatile int64_t w = 1LL << 40;

	cr_assert_eq(OSAddAtomic(3, &v), 5);
	cr_assert_eq(v, 8);
	cr_assert_eq(OSAddAtomic(-10, &v), 8);
	cr_assert_eq(v, -2);
	cr_assert_eq(OSIncrementAtomic(&v), -2);
	cr_assert_eq(OSDecrementAtomic(&v), -1);
	cr_assert_eq(v, -2);
	cr_assert_eq(OSAddAtomic64(5, &w), 1LL << 40);
	cr_assert_eq(w, (1LL << 40) + 5);
	cr_assert_eq(OSIncrementAtomic64(&w), (1LL << 40) + 5);
	cr_assert_eq(OSDecrementAtomic64(&w), (1LL << 40) + 6);
}

Test(OSAtomic, bit_operations_return_the_old_value)
{
	volatile uint32_t v = 0xf0;

	cr_assert_eq(OSBitOrAtomic(0x0f, &v), 0xf0u);
	cr_assert_eq(v, 0xffu);
	cr_assert_eq(OSBitAndAtomic(0x3c, &v), 0xffu);
	cr_assert_eq(v, 0x3cu);
	cr_assert_eq(OSBitXorAtomic(0xff, &v), 0x3cu);
	cr_assert_eq(v, 0xc3u);
}

Test(OSAtomic, compare_and_swap_says_whether_it_swapped)
{
	volatile uint32_t v = 1;
	volatile uint64_t w = 1ULL << 50;
	int a, b;
	void *volatile p = &a;

	cr_assert(OSCompareAndSwap(1, 2, &v));
	cr_assert_eq(v, 2u);
	cr_assert_not(OSCompareAndSwap(1, 3, &v));
	cr_assert_eq(v, 2u);
	cr_assert(OSCompareAndSwap64(1ULL << 50, 7, &w));
	cr_assert_not(OSCompareAndSwap64(1ULL << 50, 8, &w));
	cr_assert_eq(w, 7u);
	cr_assert(OSCompareAndSwapPtr(&a, &b, &p));
	cr_assert_eq(p, &b);
	cr_assert_not(OSCompareAndSwapPtr(&a, NULL, &p));
	cr_assert_eq(p, &b);
}

Test(OSAtomic, test_and_set_numbers_bits_from_the_top_of_each_byte)
{
	volatile uint8_t bytes[2] = { 0, 0 };

	cr_assert_not(OSTestAndSet(0, bytes));
	cr_assert_eq(bytes[0], 0x80);
	cr_assert(OSTestAndSet(0, bytes));
	cr_assert_not(OSTestAndSet(7, bytes));
	cr_assert_eq(bytes[0], 0x81);
	cr_assert_not(OSTestAndSet(9, bytes));
	cr_assert_eq(bytes[1], 0x40);
	cr_assert(OSTestAndClear(0, bytes));
	cr_assert_not(OSTestAndClear(0, bytes));
	cr_assert_eq(bytes[0], 0x01);
	cr_assert(OSTestAndClear(9, bytes));
	cr_assert_eq(bytes[1], 0);
	OSMemoryBarrier();
}

static volatile int32_t shared_counter;

static void *
add_many(void *arg)
{
	for (int i = 0; i < 100000; i++)
		OSIncrementAtomic(&shared_counter);
	return arg;
}

Test(OSAtomic, increments_from_two_threads_are_not_lost)
{
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, add_many, NULL), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(shared_counter, 200000);
}
