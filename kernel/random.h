/*
 * random.h - random bytes for the kernel (XNU's read_random): for the
 * auxiliary vector's AT_RANDOM, stack canaries, address randomization.
 *
 * From the CPU's random-number instruction where it has one, and
 * otherwise from the time-stamp counter's low bits stirred through a
 * mixing function: unpredictable enough to tell runs apart, not a
 * cryptographic generator.
 *
 * Contexts: any; takes no lock.
 */

#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

void	read_random(void *buffer, size_t numbytes);

#endif /* KERNEL_RANDOM_H */
