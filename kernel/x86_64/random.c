/*
 * random.c - read_random and write_random (kernel/random.h) on x86-64:
 * RDRAND, or the TSC stirred with splitmix64 when the CPU has no RDRAND or
 * it keeps failing, each word mixed with a hash of the entropy pool that
 * write_random stirs.
 */

#include "kernel/random.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/x86_64/cpu.h"
#include "libkern/string.h"

static bool
rdrand64(uint64_t *out)
{
	static int have = -1;	/* unknown, then CPUID.1:ECX bit 30 */
	unsigned char ok;

	if (have < 0) {
		uint32_t r[4];

		cpuid(1, 0, r);
		have = (r[2] >> 30) & 1;
	}
	if (!have)
		return false;
	for (int tries = 0; tries < 10; tries++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}

#define POOL_WORDS	4

/* The entropy pool: every field is accessed atomically ([a]). */
static struct {
	uint64_t	rp_pool[POOL_WORDS];	/* [a] stirred by write_random */
	uint64_t	rp_cursor;		/* [a] the next word to stir */
	uint64_t	rp_counter;		/* [a] read_random's draws */
	uint64_t	rp_bytes;		/* [a] bytes written since boot */
} random_pool;

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl64(uint64_t v, unsigned n)
{
	return (v << n) | (v >> (64 - n));
}

static uint64_t
stirred_tsc(void)
{
	static uint64_t state;

	return mix64(__atomic_add_fetch(&state, rdtsc64() + 0x9e3779b97f4a7c15ULL,
	    __ATOMIC_RELAXED));
}

static uint64_t
pool_word(unsigned i)
{
	return __atomic_load_n(&random_pool.rp_pool[i % POOL_WORDS], __ATOMIC_RELAXED);
}

/* A word drawn from the pool: a hash of all of it and a draw counter. */
static uint64_t
pool_draw(void)
{
	uint64_t n = __atomic_add_fetch(&random_pool.rp_counter, 0x9e3779b97f4a7c15ULL,
	    __ATOMIC_RELAXED);

	return mix64(n ^ pool_word(0) ^ rotl64(pool_word(1), 16) ^ rotl64(pool_word(2), 32) ^
	    rotl64(pool_word(3), 48));
}

void
write_random(const void *buffer, size_t numbytes)
{
	const uint8_t *p = buffer;
	size_t left = numbytes;

	while (left > 0) {
		uint64_t v = 0;
		size_t n = left < sizeof(v) ? left : sizeof(v);
		unsigned i = (unsigned)__atomic_fetch_add(&random_pool.rp_cursor, 1,
		    __ATOMIC_RELAXED);

		memcpy(&v, p, n);
		v = mix64(pool_word(i) ^ rotl64(pool_word(i + 1), 23) ^ v ^ rdtsc64());
		__atomic_store_n(&random_pool.rp_pool[i % POOL_WORDS], v, __ATOMIC_RELAXED);
		p += n;
		left -= n;
	}
	__atomic_add_fetch(&random_pool.rp_bytes, numbytes, __ATOMIC_RELAXED);
}

uint64_t
random_entropy_bytes(void)
{
	return __atomic_load_n(&random_pool.rp_bytes, __ATOMIC_RELAXED);
}

void
read_random(void *buffer, size_t numbytes)
{
	uint8_t *p = buffer;

	while (numbytes > 0) {
		uint64_t v;
		size_t n = numbytes < sizeof(v) ? numbytes : sizeof(v);

		if (!rdrand64(&v))
			v = stirred_tsc();
		v ^= pool_draw();
		memcpy(p, &v, n);
		p += n;
		numbytes -= n;
	}
}
