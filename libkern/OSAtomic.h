/*
 * OSAtomic.h - Apple's atomic operations on memory (libkern/OSAtomic.h).
 *
 * Every call is a real function, so that kexts link against it by name; it
 * is one locked instruction (or a compare-and-swap loop) and a full memory
 * barrier, as Apple's are. Each returns what Apple's returns: the value the
 * memory held before the operation, or whether the swap happened.
 *
 *	old = OSAddAtomic(1, &counter);		counter += 1; old is the value before
 *	if (OSCompareAndSwap(0, 1, &flag))	flag was 0 and is now 1
 *
 * The addresses must be naturally aligned (4 bytes for 32-bit values, 8 for
 * 64-bit ones and pointers). OSTestAndSet and OSTestAndClear number bits as
 * Apple does: bit 0 is the most significant bit of the byte at startAddress,
 * bit 7 its least significant, bit 8 the top bit of the next byte.
 *
 * Apple's Boolean results are C's bool here.
 *
 * Locks: none; these are the primitives locks are made of.
 */

#ifndef LIBKERN_OSATOMIC_H
#define LIBKERN_OSATOMIC_H

#include <stdbool.h>
#include <stdint.h>

/* OSAddAtomic: *address += amount; the old value. */
int32_t		OSAddAtomic(int32_t amount, volatile int32_t *address);
int64_t		OSAddAtomic64(int64_t amount, volatile int64_t *address);

/* OSIncrementAtomic, OSDecrementAtomic: by one; the old value. */
int32_t		OSIncrementAtomic(volatile int32_t *address);
int32_t		OSDecrementAtomic(volatile int32_t *address);
int64_t		OSIncrementAtomic64(volatile int64_t *address);
int64_t		OSDecrementAtomic64(volatile int64_t *address);

/* OSBit{Or,And,Xor}Atomic: *address op= mask; the old value. */
uint32_t	OSBitOrAtomic(uint32_t mask, volatile uint32_t *address);
uint32_t	OSBitAndAtomic(uint32_t mask, volatile uint32_t *address);
uint32_t	OSBitXorAtomic(uint32_t mask, volatile uint32_t *address);

/* OSCompareAndSwap: if *address == oldValue, store newValue; whether it did. */
bool		OSCompareAndSwap(uint32_t oldValue, uint32_t newValue,
		    volatile uint32_t *address);
bool		OSCompareAndSwap64(uint64_t oldValue, uint64_t newValue,
		    volatile uint64_t *address);
bool		OSCompareAndSwapPtr(void *oldValue, void *newValue,
		    void *volatile *address);

/*
 * OSTestAndSet, OSTestAndClear: set or clear bit `bit` (numbered as above)
 * of the bytes at startAddress; whether it was set before.
 */
bool		OSTestAndSet(uint32_t bit, volatile uint8_t *startAddress);
bool		OSTestAndClear(uint32_t bit, volatile uint8_t *startAddress);

/* OSMemoryBarrier: a full barrier (mfence): no load or store crosses it. */
void		OSMemoryBarrier(void);

#endif /* LIBKERN_OSATOMIC_H */
