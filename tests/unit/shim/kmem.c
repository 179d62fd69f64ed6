/*
 * kmem.c - kernel_map for host tests: kmem_alloc and kmem_free over host
 * memory, with the kernel's checks on kmem_free. See shim.h.
 *
 * The definitions are weak, so a test that links the real mach/vm/vm_kern.c
 * gets that one instead. Allocations are page-aligned host buffers outside
 * fake RAM: kvtophys() says 0 for them, as the kernel's would say for a
 * kernel_map address that is not in the direct map.
 */

#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "libkern/panic.h"
#include "mach/vm/vm_kern.h"

#define KMEM_SHIM_MAX	4096		/* live allocations */
#define KMEM_SHIM_RANGE	(1ULL << 39)	/* the kernel's kernel_map is 512 GiB */

static struct {
	void	*ka_addr;
	size_t	ka_size;		/* rounded to pages */
} kmem_live[KMEM_SHIM_MAX];

static size_t kmem_outstanding, kmem_limit;
static char kernel_map_stand_in;

__attribute__((weak)) vm_map_t kernel_map = (vm_map_t)(void *)&kernel_map_stand_in;

size_t
shim_kmem_outstanding(void)
{
	return kmem_outstanding;
}

void
shim_kmem_set_limit(size_t bytes)
{
	kmem_limit = bytes;
}

__attribute__((weak)) kern_return_t
kmem_alloc(vm_map_t map, vm_offset_t *addrp, vm_size_t size)
{
	void *va;

	(void)map;
	if (size == 0 || size > KMEM_SHIM_RANGE)
		return KERN_INVALID_ARGUMENT;
	size = round_page(size);
	if (kmem_limit != 0 && kmem_outstanding + size > kmem_limit)
		return KERN_RESOURCE_SHORTAGE;
	for (unsigned i = 0; i < KMEM_SHIM_MAX; i++) {
		if (kmem_live[i].ka_addr != NULL)
			continue;
		if (posix_memalign(&va, PAGE_SIZE, size) != 0)
			return KERN_RESOURCE_SHORTAGE;
		memset(va, 0x5a, size);	/* kmem memory is not zeroed */
		kmem_live[i].ka_addr = va;
		kmem_live[i].ka_size = size;
		kmem_outstanding += size;
		*addrp = (vm_offset_t)va;
		return KERN_SUCCESS;
	}
	return KERN_NO_SPACE;
}

__attribute__((weak)) void
kmem_free(vm_map_t map, vm_offset_t addr, vm_size_t size)
{
	(void)map;
	for (unsigned i = 0; i < KMEM_SHIM_MAX; i++) {
		if (kmem_live[i].ka_addr != (void *)addr)
			continue;
		if (round_page(size) > kmem_live[i].ka_size)
			panic("kmem_free: 0x%lx freed with size 0x%lx, larger than "
			    "allocated", addr, size);
		free(kmem_live[i].ka_addr);
		kmem_outstanding -= kmem_live[i].ka_size;
		kmem_live[i].ka_addr = NULL;
		return;
	}
	panic("kmem_free: 0x%lx was not allocated from this map", addr);
}
