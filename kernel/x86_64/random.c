/*
 * random.c - read_random (kernel/random.h) on x86-64: RDRAND, or the TSC
 * stirred with splitmix64 when the CPU has no RDRAND or it keeps failing.
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

static uint64_t
stirred_tsc(void)
{
	static uint64_t state;
	uint64_t z = __atomic_add_fetch(&state, rdtsc64() + 0x9e3779b97f4a7c15ULL,
	    __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
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
		memcpy(p, &v, n);
		p += n;
		numbytes -= n;
	}
}
