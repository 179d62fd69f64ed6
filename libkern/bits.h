/*
 * libkern/bits.h - bit operations on 64-bit words.
 *
 * The kernel is built without libgcc, so a compiler builtin that could
 * become a library call (__builtin_popcountll without -mpopcnt) is not
 * used directly; these inline forms are always safe.  The bsf/bsr-based
 * builtins compile to single instructions and are used as they are.
 * Every function here is undefined for a zero word where it says so.
 */
#ifndef _LIBKERN_BITS_H_
#define _LIBKERN_BITS_H_

#include <stdint.h>

/* Number of set bits. */
static inline unsigned int
bit_count(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned int)((x * 0x0101010101010101ULL) >> 56);
}

/* Index of the highest set bit; x must not be 0. */
static inline unsigned int
bit_first(uint64_t x)
{
	return 63u - (unsigned int)__builtin_clzll(x);
}

/* Index of the lowest set bit; x must not be 0. */
static inline unsigned int
lsb_first(uint64_t x)
{
	return (unsigned int)__builtin_ctzll(x);
}

#endif /* _LIBKERN_BITS_H_ */
