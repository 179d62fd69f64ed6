/*
 * random_test.c - the entropy pool (kernel/random.h): write_random counts
 * what it is given and mixes it in without taking over the output; a
 * source that gives only zeros leaves read_random as unpredictable as
 * before. (The tests' boots have no hardware entropy source, so the count
 * moves only by what the tests write.)
 */

#include "kernel/random.h"

#include <stdint.h>

#include "libkern/string.h"
#include "tests/ktest.h"

KTEST(random, write_random_counts_bytes)
{
	uint8_t buf[37];
	uint64_t before = random_entropy_bytes();

	memset(buf, 0x5a, sizeof buf);
	write_random(buf, sizeof buf);
	KT_EXPECT_EQ(random_entropy_bytes() - before, sizeof buf);
	write_random(buf, 0);
	KT_EXPECT_EQ(random_entropy_bytes() - before, sizeof buf);
}

KTEST(random, zeros_do_not_take_over)
{
	static uint8_t zeros[4096];
	uint8_t a[16], b[16], none[16];

	write_random(zeros, sizeof zeros);
	read_random(a, sizeof a);
	write_random(zeros, sizeof zeros);
	read_random(b, sizeof b);
	memset(none, 0, sizeof none);
	KT_EXPECT_NE(memcmp(a, b, sizeof a), 0);
	KT_EXPECT_NE(memcmp(a, none, sizeof a), 0);
	KT_EXPECT_NE(memcmp(b, none, sizeof b), 0);
}

KTEST(random, odd_lengths_are_counted_whole)
{
	uint8_t buf[13];
	uint64_t before = random_entropy_bytes();

	memset(buf, 0xa5, sizeof buf);
	for (unsigned n = 1; n <= sizeof buf; n++)
		write_random(buf, n);
	KT_EXPECT_EQ(random_entropy_bytes() - before, (uint64_t)(13 * 14 / 2));
}
