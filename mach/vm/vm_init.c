/*
 * vm_init.c - vm_mem_bootstrap().
 *
 * The loader-time page tables reach only the low 4 GiB, and the kernel's
 * own tables need pages to be built in, so memory comes up in two steps:
 * vm_phys first gets the usable memory below 4 GiB; pmap_bootstrap() takes
 * its page-table pages from there and maps all of RAM; then the memory above
 * 4 GiB joins vm_phys. The heap comes last, on top of both.
 */

#include "mach/vm/vm_init.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/kheap.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/kext_region.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_map_copy.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"

#define FOUR_GB		(1ULL << 32)
#define LOW_MEMORY	0x100000ULL	/* kept out of the allocator */

struct memmap vm_memmap;

static void
print_memmap(const struct memmap *map)
{
	for (unsigned i = 0; i < map->mm_count; i++) {
		const struct boot_mem_range *r = &map->mm_ranges[i];

		printf("  [0x%016llx-0x%016llx) %s\n", (unsigned long long)r->bmr_base,
		    (unsigned long long)(r->bmr_base + r->bmr_length),
		    memmap_type_name(r->bmr_type));
	}
}

static void
carve(const char *what, uint64_t base, uint64_t length, uint32_t type)
{
	if (memmap_carve(&vm_memmap, base, length, type) != 0)
		printf("vm: no room in the memory map to set aside %s\n", what);
}

/* Give vm_phys the part of each usable range within [lo, hi). */
static void
add_usable(uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < vm_memmap.mm_count; i++) {
		const struct boot_mem_range *r = &vm_memmap.mm_ranges[i];
		uint64_t a = MAX(r->bmr_base, lo), b = MIN(r->bmr_base + r->bmr_length, hi);

		if (r->bmr_type != BOOT_MEM_USABLE || a >= b)
			continue;
		if (hi > FOUR_GB && !pmap_physmap_contains(a, b - a))
			continue;	/* said when the direct map was built */
		(void)vm_phys_add_range(&vm_phys_kernel, a, b);
	}
}

int
vm_mem_bootstrap(const struct boot_args *args)
{
	pmap_paddr_t kstart, kend;
	unsigned dropped;

	dropped = memmap_normalize(&vm_memmap, args->ba_memmap, args->ba_nmemmap);
	if (dropped != 0 && verbose_boot)
		printf("vm: %u memory map entries were empty or wrapped; ignored\n", dropped);
	if (args->ba_flags & BOOT_ARGS_MEMMAP_TRUNCATED)
		printf("vm: the memory map had more than %d entries; the rest is unused\n",
		    BOOT_MEMMAP_MAX);
	if (memmap_usable_bytes(&vm_memmap) == 0) {
		printf("vm: the loader gave no usable memory map; Machina cannot "
		    "size memory and stops here\n");
		return -1;
	}

	carve("low memory", 0, LOW_MEMORY, BOOT_MEM_LOW);
	pmap_kernel_image_phys(&kstart, &kend);
	carve("the kernel", kstart, kend - kstart, BOOT_MEM_KERNEL);
	for (unsigned i = 0; i < args->ba_nmodules; i++) {
		const struct boot_module *m = &args->ba_modules[i];

		carve("a module", trunc_page(m->bm_start),
		    round_page(m->bm_end) - trunc_page(m->bm_start), BOOT_MEM_MODULE);
	}
	if (verbose_boot) {
		printf("vm: physical memory map:\n");
		print_memmap(&vm_memmap);
	}

	vm_phys_init(&vm_phys_kernel);
	add_usable(0, FOUR_GB);
	(void)pmap_bootstrap(&vm_memmap);
	add_usable(FOUR_GB, UINT64_MAX);
	vm_page_bootstrap();
	kernel_heap_init();
	zone_bootstrap();
	pmap_init();
	vm_map_bootstrap();
	vm_map_copy_bootstrap();	/* its zones: out-of-line memory, vm_read */
	kmem_init();
	kalloc_init();
	kext_region_init();		/* page tables for the kexts loaded at boot */

	printf("vm: %llu MiB of RAM, %llu MiB free, in %u segments\n",
	    (unsigned long long)(memmap_usable_bytes(&vm_memmap) >> 20),
	    (unsigned long long)(ptoa(vm_phys_free_pages(&vm_phys_kernel)) >> 20),
	    vm_phys_kernel.vp_nsegs);
	return 0;
}
