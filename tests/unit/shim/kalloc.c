/*
 * kalloc.c - kalloc and kfree for host tests that do not set up zones:
 * host memory, with the kernel's check that kfree is given the size
 * kalloc was. See shim.h.
 *
 * The definitions are weak: a test that links the real mach/kern/kalloc.c
 * (by calling kalloc_init) gets that one instead. Each block is malloc'd
 * with its size in front, so ASan sees overruns and use after free, and
 * LeakSanitizer (in the fuzz targets) sees what was never given back.
 */

#include <stdlib.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "libkern/panic.h"
#include "mach/kern/kalloc.h"

#define SHIM_KALLOC_HEADER	16

static size_t kalloc_outstanding, kalloc_blocks;
static long kalloc_fail_countdown = -1;

size_t
shim_kalloc_outstanding(void)
{
	return kalloc_outstanding;
}

size_t
shim_kalloc_blocks(void)
{
	return kalloc_blocks;
}

void
shim_kalloc_fail_after(long n)
{
	kalloc_fail_countdown = n;
}

__attribute__((weak)) void *
kalloc(vm_size_t size)
{
	char *p;

	if (size == 0 || size > (1ULL << 34))
		return NULL;
	if (kalloc_fail_countdown == 0)
		return NULL;
	if (kalloc_fail_countdown > 0)
		kalloc_fail_countdown--;
	p = malloc(size + SHIM_KALLOC_HEADER);
	if (p == NULL)
		return NULL;
	*(vm_size_t *)p = size;
	kalloc_outstanding += size;
	kalloc_blocks++;
	return p + SHIM_KALLOC_HEADER;
}

__attribute__((weak)) void
kfree(void *addr, vm_size_t size)
{
	char *p;

	if (addr == NULL)
		return;
	p = (char *)addr - SHIM_KALLOC_HEADER;
	if (*(vm_size_t *)p != size)
		panic("kfree: %p was kalloc'd with %llu bytes but freed with %llu", addr,
		    (unsigned long long)*(vm_size_t *)p, (unsigned long long)size);
	kalloc_outstanding -= size;
	kalloc_blocks--;
	free(p);
}
