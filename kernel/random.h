/*
 * random.h - random bytes for the kernel (XNU's read_random): for the
 * auxiliary vector's AT_RANDOM, stack canaries, address randomization.
 *
 * From the CPU's random-number instruction where it has one, and
 * otherwise from the time-stamp counter's low bits stirred through a
 * mixing function, either way mixed with the entropy pool: unpredictable
 * enough to tell runs apart, not a cryptographic generator.
 *
 * The pool (256 bits) is stirred by write_random (XNU's name), which
 * hardware sources call with what they gathered (the virtio-rng driver,
 * docs/iokit-virtio.md): their bytes are mixed into the pool, never
 * replace it, so a bad source cannot make the output worse than without
 * it. random_entropy_bytes counts the bytes written since boot
 * (sysctl kern.random.entropy_bytes).
 *
 * Contexts: any; takes no lock (the pool's words are updated atomically;
 * two writers racing may each lose the other's stir, never corrupt it).
 */

#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

#include <stdint.h>

void	read_random(void *buffer, size_t numbytes);
void	write_random(const void *buffer, size_t numbytes);
uint64_t random_entropy_bytes(void);

#endif /* KERNEL_RANDOM_H */
