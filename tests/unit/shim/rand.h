/*
 * rand.h - a small, seedable generator for randomized tests (splitmix64).
 *
 * Tests seed it with a fixed value, so a failure repeats exactly; the
 * message of a failing check names the seed and the step.
 */

#ifndef TESTS_UNIT_SHIM_RAND_H
#define TESTS_UNIT_SHIM_RAND_H

#include <stdint.h>

struct test_rand {
	uint64_t	tr_state;
};

static inline void
test_rand_seed(struct test_rand *r, uint64_t seed)
{
	r->tr_state = seed;
}

static inline uint64_t
test_rand_next(struct test_rand *r)
{
	uint64_t z = (r->tr_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A value in [0, n); n > 0. The slight bias does not matter here. */
static inline uint64_t
test_rand_below(struct test_rand *r, uint64_t n)
{
	return test_rand_next(r) % n;
}

#endif /* TESTS_UNIT_SHIM_RAND_H */
