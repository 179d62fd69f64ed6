/*
 * kern_aslr.c - the slides exec applies to a new program's layout
 * (kern_aslr.h).
 */

#include "bsd/kern/kern_aslr.h"

#include "kernel/pexpert.h"
#include "kernel/random.h"
#include "mach/vm_types.h"

BOOT_ARG(disable_aslr, "-disable_aslr", BOOT_ARG_FLAG, 0,
    "place user stacks, mmap areas and PIE images at fixed addresses");

bool
aslr_enabled(void)
{
	static int state;	/* 0: not asked yet, 1: on, 2: off; the line never changes */
	int flag = 0;

	if (__atomic_load_n(&state, __ATOMIC_RELAXED) == 0) {
		bool off = PE_parse_boot_argn("-disable_aslr", &flag, sizeof(flag)) && flag != 0;

		__atomic_store_n(&state, off ? 2 : 1, __ATOMIC_RELAXED);
	}
	return __atomic_load_n(&state, __ATOMIC_RELAXED) == 1;
}

/* A page-aligned offset below pages pages (a power of two). */
static uint64_t
aslr_pages(uint64_t pages)
{
	uint64_t r;

	read_random(&r, sizeof(r));
	return (r & (pages - 1)) * PAGE_SIZE;
}

void
aslr_choose(struct aslr_slides *out)
{
	*out = (struct aslr_slides){ 0, 0, 0 };
	if (!aslr_enabled())
		return;
	out->as_stack = aslr_pages(ASLR_STACK_PAGES);
	out->as_mmap = aslr_pages(ASLR_MMAP_PAGES);
	out->as_pie = aslr_pages(ASLR_PIE_PAGES);
}
