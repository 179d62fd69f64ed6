/*
 * OSAtomic.c - Apple's atomic operations, as functions over the compiler's
 * __atomic builtins, every one sequentially consistent. See OSAtomic.h.
 */

#include "libkern/OSAtomic.h"

int32_t
OSAddAtomic(int32_t amount, volatile int32_t *address)
{
	return __atomic_fetch_add(address, amount, __ATOMIC_SEQ_CST);
}

int64_t
OSAddAtomic64(int64_t amount, volatile int64_t *address)
{
	return __atomic_fetch_add(address, amount, __ATOMIC_SEQ_CST);
}

int32_t
OSIncrementAtomic(volatile int32_t *address)
{
	return OSAddAtomic(1, address);
}

int32_t
OSDecrementAtomic(volatile int32_t *address)
{
	return OSAddAtomic(-1, address);
}

int64_t
OSIncrementAtomic64(volatile int64_t *address)
{
	return OSAddAtomic64(1, address);
}

int64_t
OSDecrementAtomic64(volatile int64_t *address)
{
	return OSAddAtomic64(-1, address);
}

uint32_t
OSBitOrAtomic(uint32_t mask, volatile uint32_t *address)
{
	return __atomic_fetch_or(address, mask, __ATOMIC_SEQ_CST);
}

uint32_t
OSBitAndAtomic(uint32_t mask, volatile uint32_t *address)
{
	return __atomic_fetch_and(address, mask, __ATOMIC_SEQ_CST);
}

uint32_t
OSBitXorAtomic(uint32_t mask, volatile uint32_t *address)
{
	return __atomic_fetch_xor(address, mask, __ATOMIC_SEQ_CST);
}

bool
OSCompareAndSwap(uint32_t oldValue, uint32_t newValue, volatile uint32_t *address)
{
	return __atomic_compare_exchange_n(address, &oldValue, newValue, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool
OSCompareAndSwap64(uint64_t oldValue, uint64_t newValue, volatile uint64_t *address)
{
	return __atomic_compare_exchange_n(address, &oldValue, newValue, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool
OSCompareAndSwapPtr(void *oldValue, void *newValue, void *volatile *address)
{
	return __atomic_compare_exchange_n(address, &oldValue, newValue, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* The byte and the mask of Apple's bit number: bit 0 is 0x80 of byte 0. */
static volatile uint8_t *
osatomic_bit(uint32_t bit, volatile uint8_t *startAddress, uint8_t *mask)
{
	*mask = (uint8_t)(0x80u >> (bit & 7));
	return startAddress + (bit >> 3);
}

bool
OSTestAndSet(uint32_t bit, volatile uint8_t *startAddress)
{
	uint8_t mask;
	volatile uint8_t *byte = osatomic_bit(bit, startAddress, &mask);

	return (__atomic_fetch_or(byte, mask, __ATOMIC_SEQ_CST) & mask) != 0;
}

bool
OSTestAndClear(uint32_t bit, volatile uint8_t *startAddress)
{
	uint8_t mask;
	volatile uint8_t *byte = osatomic_bit(bit, startAddress, &mask);

	return (__atomic_fetch_and(byte, (uint8_t)~mask, __ATOMIC_SEQ_CST) & mask) != 0;
}

void
OSMemoryBarrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
