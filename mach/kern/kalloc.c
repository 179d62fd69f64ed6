/*
 * kalloc.c - size classes on zones, and kmem_alloc for the rest.
 *
 * A request of n bytes (1 <= n <= KALLOC_MAX_ZONE_SIZE) goes to the
 * smallest class of at least n bytes. The classes are multiples of 16, so
 * a table indexed by howmany(n, 16) gives the class in one load.
 */

#include "mach/kern/kalloc.h"

#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/printf.h"
#include "mach/kern/simple_lock.h"
#include "mach/vm/vm_kern.h"

/* Locks used in this file: [L] kalloc_globals.lock; [I] set by kalloc_init. */

#define KALLOC_QUANTUM		16
#define KALLOC_NCLASSES		19

static const vm_size_t kalloc_class_size[KALLOC_NCLASSES] = {
	16, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512, 768,
	1024, 1536, 2048, 3072, 4096, 6144, 8192
};

static struct {
	hw_lock_data_t		lock;
	boolean_t		ready;					/* [I] */
	zone_t			zones[KALLOC_NCLASSES];			/* [I] */
	/* [I] class of a request of n bytes: index[howmany(n, KALLOC_QUANTUM)] */
	uint8_t			index[KALLOC_MAX_ZONE_SIZE / KALLOC_QUANTUM + 1];
	struct kalloc_stats	stats;					/* [L] */
} kalloc_globals = { .lock = HW_LOCK_INITIALIZER };

static_assert(KALLOC_NCLASSES <= UINT8_MAX, "class indices fit the table");

static boolean_t
kalloc_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&kalloc_globals.lock);
	return s;
}

static void
kalloc_unlock(boolean_t s)
{
	hw_lock_unlock(&kalloc_globals.lock);
	ml_set_interrupts_enabled(s);
}

void
kalloc_init(void)
{
	unsigned c = 0;

	release_assert(!kalloc_globals.ready);
	release_assert(kalloc_class_size[KALLOC_NCLASSES - 1] == KALLOC_MAX_ZONE_SIZE);
	for (unsigned i = 0; i < KALLOC_NCLASSES; i++) {
		char name[ZONE_NAME_MAX];

		snprintf(name, sizeof(name), "kalloc.%lu",
		    (unsigned long)kalloc_class_size[i]);
		kalloc_globals.zones[i] = zinit(kalloc_class_size[i], 0, PAGE_SIZE, name);
		if (kalloc_globals.zones[i] == ZONE_NULL)
			panic("kalloc_init: no memory for zone %s", name);
	}
	for (unsigned q = 0; q < nitems(kalloc_globals.index); q++) {
		while (kalloc_class_size[c] < q * KALLOC_QUANTUM)
			c++;
		kalloc_globals.index[q] = (uint8_t)c;
	}
	kalloc_globals.ready = TRUE;
}

zone_t
kalloc_zone(vm_size_t size)
{
	if (size == 0 || size > KALLOC_MAX_ZONE_SIZE)
		return ZONE_NULL;
	if (__predict_false(!kalloc_globals.ready))
		panic("kalloc: used before kalloc_init");
	return kalloc_globals.zones[kalloc_globals.index[
	    (size + KALLOC_QUANTUM - 1) / KALLOC_QUANTUM]];
}

static void
kalloc_count_failure(void)
{
	boolean_t s = kalloc_lock();

	kalloc_globals.stats.kas_failures++;
	kalloc_unlock(s);
}

/* A large request: whole pages from kernel_map. */
static void *
kalloc_large(vm_size_t size)
{
	vm_offset_t addr;
	boolean_t s;

	if (size > SIZE_MAX - PAGE_SIZE ||
	    kmem_alloc(kernel_map, &addr, size) != KERN_SUCCESS) {
		kalloc_count_failure();
		return NULL;
	}
	s = kalloc_lock();
	kalloc_globals.stats.kas_large_inuse++;
	kalloc_globals.stats.kas_large_bytes += round_page(size);
	kalloc_globals.stats.kas_large_allocs++;
	kalloc_unlock(s);
	return (void *)addr;
}

void *
kalloc(vm_size_t size)
{
	void *p;

	if (size == 0)
		return NULL;
	if (size > KALLOC_MAX_ZONE_SIZE)
		return kalloc_large(size);
	p = zalloc(kalloc_zone(size));
	if (p == NULL)
		kalloc_count_failure();
	return p;
}

void
kfree(void *addr, vm_size_t size)
{
	zone_t want, have = ZONE_NULL;
	boolean_t s;

	if (addr == NULL)
		return;
	if (size == 0)
		panic("kfree: %p freed with size 0 (kalloc(0) returns no memory)", addr);
	(void)zone_element_size(addr, &have);
	want = kalloc_zone(size);
	if (want == ZONE_NULL) {
		if (have != ZONE_NULL)
			panic("kfree: %p is an element of zone %s, but was freed with "
			    "size %lu, which kalloc serves from kmem (wrong size)", addr,
			    zone_name(have), (unsigned long)size);
		kmem_free(kernel_map, (vm_offset_t)addr, size);
		s = kalloc_lock();
		kalloc_globals.stats.kas_large_inuse--;
		kalloc_globals.stats.kas_large_bytes -= round_page(size);
		kalloc_unlock(s);
		return;
	}
	if (have != ZONE_NULL && have != want)
		panic("kfree: %p is an element of zone %s, but was freed with size %lu, "
		    "which belongs to zone %s (wrong size)", addr, zone_name(have),
		    (unsigned long)size, zone_name(want));
	/* Not a zone element at all: zfree says what it is instead. */
	zfree(want, addr);
}

void
kalloc_get_stats(struct kalloc_stats *out)
{
	boolean_t s = kalloc_lock();

	*out = kalloc_globals.stats;
	kalloc_unlock(s);
}
