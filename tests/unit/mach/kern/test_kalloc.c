/*
 * test_kalloc.c - mach/kern/kalloc.c: size classes over the real zones,
 * large requests over the shim's kernel_map (shim/kmem.c), on fake RAM.
 *
 * Every class boundary is tried (size - 1, size, size + 1), every way of
 * handing kfree the wrong size panics, and a randomized run of mixed sizes
 * is held against a model of what is outstanding.
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "kernel/kheap.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"

#define RAM_BASE	0x1000000ULL		/* 16 MiB */
#define RAM_PAGES	2048ULL			/* 8 MiB */

static const vm_size_t class_sizes[] = {
	16, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512, 768,
	1024, 1536, 2048, 3072, 4096, 6144, 8192
};
#define NCLASSES	(sizeof(class_sizes) / sizeof(class_sizes[0]))

static void
boot_memory(void)
{
	fake_ram_add(RAM_BASE, RAM_PAGES * PAGE_SIZE);
	vm_phys_init(&vm_phys_kernel);
	cr_assert_eq(vm_phys_add_range(&vm_phys_kernel, RAM_BASE,
	    RAM_BASE + RAM_PAGES * PAGE_SIZE), KERN_SUCCESS);
	vm_page_bootstrap();
	kernel_heap_init();
}

static void
setup(void)
{
	boot_memory();
	zone_bootstrap();
	kalloc_init();
}

TestSuite(kalloc, .init = setup);
TestSuite(kalloc_boot, .init = boot_memory);

static void
expect_panic(const char *fmt, ...)
{
	static char expected[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(expected, sizeof(expected), fmt, ap);
	va_end(ap);
	shim_expect_panic(expected);
}

/* The class a request of size bytes belongs to; 0 if it is large. */
static vm_size_t
class_of(vm_size_t size)
{
	for (unsigned i = 0; i < NCLASSES; i++) {
		if (size <= class_sizes[i])
			return class_sizes[i];
	}
	return 0;
}

static uint64_t
zone_elements_in_use(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < NCLASSES; i++) {
		struct zone_info zi;

		zone_get_info(kalloc_zone(class_sizes[i]), &zi);
		n += zi.zi_elems_inuse;
	}
	return n;
}

static struct kalloc_stats
stats(void)
{
	struct kalloc_stats st;

	kalloc_get_stats(&st);
	return st;
}

/* --- classes ------------------------------------------------------------------ */

Test(kalloc, zones_are_named_after_their_classes)
{
	for (unsigned i = 0; i < NCLASSES; i++) {
		char want[ZONE_NAME_MAX];
		struct zone_info zi;

		snprintf(want, sizeof(want), "kalloc.%lu", (unsigned long)class_sizes[i]);
		cr_assert_not_null(kalloc_zone(class_sizes[i]));
		zone_get_info(kalloc_zone(class_sizes[i]), &zi);
		cr_assert_str_eq(zi.zi_name, want);
		cr_assert_eq(zi.zi_elem_size, class_sizes[i]);
		cr_assert_eq(zi.zi_max_size, 0u);
	}
	cr_assert_null(kalloc_zone(0));
	cr_assert_null(kalloc_zone(KALLOC_MAX_ZONE_SIZE + 1));
}

Test(kalloc, every_class_boundary_lands_in_its_class)
{
	for (unsigned i = 0; i < NCLASSES; i++) {
		for (vm_size_t size = class_sizes[i] - 1; size <= class_sizes[i] + 1;
		     size++) {
			uint8_t *p = kalloc(size);
			zone_t z = ZONE_NULL;

			cr_assert_not_null(p, "kalloc(%lu)", (unsigned long)size);
			cr_assert_eq((uintptr_t)p % 16, 0u);
			cr_assert_eq(zone_element_size(p, &z), class_of(size),
			    "kalloc(%lu)", (unsigned long)size);
			cr_assert_eq(z, kalloc_zone(size));
			memset(p, 0xa5, size);
			kfree(p, size);
		}
	}
	cr_assert_eq(zone_elements_in_use(), 0u);
	cr_assert_eq(shim_kmem_outstanding(), 0u);
}

Test(kalloc, sizes_of_one_class_are_interchangeable)
{
	void *p = kalloc(17);

	kfree(p, 32);	/* the same class: XNU's contract is broken but harmless */
	cr_assert_eq(zone_elements_in_use(), 0u);
}

/* --- large requests -------------------------------------------------------- */

Test(kalloc, large_requests_use_kmem)
{
	static const vm_size_t sizes[] = {
	    8193, 3 * PAGE_SIZE, 64 * 1024 + 5, 1024 * 1024};

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *p = kalloc(sizes[i]);

		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % PAGE_SIZE, 0u);
		cr_assert_eq(zone_element_size(p, NULL), 0u);
		cr_assert_eq(shim_kmem_outstanding(), round_page(sizes[i]));
		cr_assert_eq(stats().kas_large_inuse, 1u);
		cr_assert_eq(stats().kas_large_bytes, round_page(sizes[i]));
		memset(p, 1, sizes[i]);
		kfree(p, sizes[i]);
		cr_assert_eq(shim_kmem_outstanding(), 0u);
	}
	cr_assert_eq(stats().kas_large_inuse, 0u);
	cr_assert_eq(stats().kas_large_bytes, 0u);
	cr_assert_eq(stats().kas_large_allocs, 4u);
	cr_assert_eq(zone_elements_in_use(), 0u);
}

Test(kalloc, zero_and_impossible_sizes_return_null)
{
	cr_assert_null(kalloc(0));
	cr_assert_null(kalloc(SIZE_MAX));
	cr_assert_null(kalloc(SIZE_MAX - PAGE_SIZE + 2));
	cr_assert_null(kalloc((vm_size_t)1 << 62));
	cr_assert_eq(stats().kas_failures, 3u, "kalloc(0) is no failure");
	kfree(NULL, 64);
	kfree(NULL, 100000);
	cr_assert_eq(shim_kmem_outstanding(), 0u);
}

Test(kalloc, running_out_of_kernel_map_returns_null)
{
	void *p;

	shim_kmem_set_limit(4 * PAGE_SIZE);
	p = kalloc(3 * PAGE_SIZE);
	cr_assert_not_null(p);
	cr_assert_null(kalloc(2 * PAGE_SIZE + 1));
	cr_assert_eq(stats().kas_failures, 1u);
	kfree(p, 3 * PAGE_SIZE);
}

Test(kalloc, running_out_of_pages_returns_null)
{
	void **p = calloc(RAM_PAGES, sizeof(*p));
	unsigned n = 0;

	while ((p[n] = kalloc(4000)) != NULL) {
		n++;
		cr_assert_lt(n, RAM_PAGES);
	}
	cr_assert_gt(n, RAM_PAGES / 2);
	cr_assert_eq(stats().kas_failures, 1u);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
	for (unsigned i = 0; i < n; i++)
		kfree(p[i], 4000);
	cr_assert_eq(zone_elements_in_use(), 0u);
	free(p);
}

/* --- panics -------------------------------------------------------------------- */

Test(kalloc, kfree_with_another_class_panics, .signal = SIGABRT)
{
	void *p = kalloc(40);

	expect_panic(
	    "kfree: %p is an element of zone kalloc.48, but was freed with size 100, "
	    "which belongs to zone kalloc.128 (wrong size)",
	    p);
	kfree(p, 100);
}

Test(kalloc, kfree_with_a_smaller_class_panics, .signal = SIGABRT)
{
	void *p = kalloc(8000);

	expect_panic(
	    "kfree: %p is an element of zone kalloc.8192, but was freed with size "
	    "16, which belongs to zone kalloc.16 (wrong size)",
	    p);
	kfree(p, 16);
}

Test(kalloc, kfree_of_an_element_with_a_large_size_panics, .signal = SIGABRT)
{
	void *p = kalloc(64);

	expect_panic("kfree: %p is an element of zone kalloc.64, but was freed with size "
	    "10000, which kalloc serves from kmem (wrong size)", p);
	kfree(p, 10000);
}

Test(kalloc, kfree_of_a_large_block_with_a_small_size_panics, .signal = SIGABRT)
{
	void *p = kalloc(20000);

	expect_panic(
	    "zfree: zone kalloc.4096: %p is not a zone element (not in the direct map)",
	    p);
	kfree(p, 4096);
}

Test(kalloc, kfree_of_a_large_block_with_a_larger_size_panics, .signal = SIGABRT)
{
	void *p = kalloc(20000);

	shim_expect_panic("larger than allocated");
	kfree(p, 30000);
}

Test(kalloc, kfree_with_size_zero_panics, .signal = SIGABRT)
{
	void *p = kalloc(64);

	expect_panic("kfree: %p freed with size 0 (kalloc(0) returns no memory)", p);
	kfree(p, 0);
}

Test(kalloc, double_kfree_panics, .signal = SIGABRT)
{
	void *p = kalloc(300);

	kfree(p, 300);
	expect_panic("zfree: zone kalloc.384: %p is already free (double free)", p);
	kfree(p, 300);
}

Test(kalloc, write_after_kfree_panics, .signal = SIGABRT)
{
	uint8_t *p = kalloc(128);

	kfree(p, 128);
	p[0] = 0;
	expect_panic(
	    "zalloc: zone kalloc.128: element %p was written after it was freed", p);
	(void)kalloc(128);
}

Test(kalloc_boot, kalloc_before_kalloc_init_panics, .signal = SIGABRT)
{
	zone_bootstrap();
	shim_expect_panic("kalloc: used before kalloc_init");
	(void)kalloc(64);
}

/* --- randomized, against a model --------------------------------------------- */

#define STRESS_LIVE	400
#define STRESS_STEPS	20000

struct block {
	uint8_t		*b_ptr;
	vm_size_t	b_size;
	uint8_t		b_fill;
};

static vm_size_t
random_size(struct test_rand *r)
{
	switch (test_rand_below(r, 8)) {
	case 0:
		return 1 + test_rand_below(r, 64);
	case 1:
	case 2:
	case 3:
		return 1 + test_rand_below(r, 1024);
	case 4:
	case 5:
		return 1 + test_rand_below(r, KALLOC_MAX_ZONE_SIZE);
	case 6:		/* right at a class boundary: size - 1, size or size + 1 */
		return class_sizes[test_rand_below(r, NCLASSES)] - 1 +
		    test_rand_below(r, 3);
	default:
		return KALLOC_MAX_ZONE_SIZE + 1 + test_rand_below(r, 5 * PAGE_SIZE);
	}
}

static void
check_block(const struct block *b, uint64_t seed, unsigned step)
{
	cr_assert_eq(
	    b->b_ptr[0], b->b_fill, "seed %llu step %u", (unsigned long long)seed, step);
	cr_assert_eq(b->b_ptr[b->b_size / 2], b->b_fill, "seed %llu step %u",
	    (unsigned long long)seed, step);
	cr_assert_eq(b->b_ptr[b->b_size - 1], b->b_fill, "seed %llu step %u",
	    (unsigned long long)seed, step);
}

static void
check_model(const struct block *live, unsigned n, uint64_t seed, unsigned step)
{
	uint64_t small = 0, large_bytes = 0;

	for (unsigned i = 0; i < n; i++) {
		if (live[i].b_size > KALLOC_MAX_ZONE_SIZE)
			large_bytes += round_page(live[i].b_size);
		else
			small++;
	}
	cr_assert_eq(zone_elements_in_use(), small, "seed %llu step %u",
	    (unsigned long long)seed, step);
	cr_assert_eq(shim_kmem_outstanding(), large_bytes);
	cr_assert_eq(stats().kas_large_bytes, large_bytes);
}

Test(kalloc, randomized_against_a_model)
{
	static struct block live[STRESS_LIVE];
	const uint64_t seed = 0xca11ab1e;
	struct test_rand r;
	unsigned n = 0;

	test_rand_seed(&r, seed);
	for (unsigned step = 0; step < STRESS_STEPS; step++) {
		if (n < STRESS_LIVE && (n == 0 || test_rand_below(&r, 100) < 55)) {
			struct block *b = &live[n++];

			b->b_size = random_size(&r);
			b->b_ptr = kalloc(b->b_size);
			cr_assert_not_null(b->b_ptr, "seed %llu step %u: kalloc(%lu)",
			    (unsigned long long)seed, step, (unsigned long)b->b_size);
			b->b_fill = (uint8_t)test_rand_next(&r);
			memset(b->b_ptr, b->b_fill, b->b_size);
		} else {
			unsigned k = (unsigned)test_rand_below(&r, n);

			check_block(&live[k], seed, step);
			kfree(live[k].b_ptr, live[k].b_size);
			live[k] = live[--n];
		}
		if (step % 1009 == 0)
			check_model(live, n, seed, step);
	}
	while (n > 0) {
		check_block(&live[n - 1], seed, STRESS_STEPS);
		kfree(live[n - 1].b_ptr, live[n - 1].b_size);
		n--;
	}
	check_model(live, 0, seed, STRESS_STEPS);
	zone_gc();
	for (unsigned i = 0; i < NCLASSES; i++) {
		struct zone_info zi;

		zone_get_info(kalloc_zone(class_sizes[i]), &zi);
		cr_assert_eq(zi.zi_pages, 0u, "zone %s", zi.zi_name);
	}
}
