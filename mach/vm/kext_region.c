/*
 * kext_region.c - the kext region's allocator (kext_region.h).
 *
 * The region's ranges are a table sorted by address, in a fixed array:
 * kexts are few, the table needs no allocation (so it cannot fail or leak
 * halfway through an unload), and the fault handler can read it on the
 * way to a panic. Each range reserves its pages and one unmapped guard
 * page after them; free space is the gaps between ranges.
 *
 * A range's life: RESERVED while its pages are being mapped (or unmapped),
 * then ALLOCATED; on free, RESERVED again while its pages go back, then
 * either gone (release builds) or QUARANTINED, unmapped, with the kext's
 * name, until KEXT_REGION_QUARANTINE newer ones push it out or an
 * allocation needs its space (the oldest goes first).
 *
 * The region's first KEXT_REGION_PRESET bytes have their page tables
 * from boot, so that the kexts loaded at start-up (and the in-kernel
 * tests) never wait for one; further tables come as the region fills and
 * stay, as every kernel page table does.
 *
 * Why mach/vm and not kernel/: the allocator is machine-independent,
 * kernel memory like kmem (vm_kern.c) beside it, on the pmap contract and
 * the page layer; only the region's bounds are the machine's.
 *
 * Locks: [L] kext_region.lock (a hw_lock, interrupts off); [a] atomic.
 */

#include "mach/vm/kext_region.h"

#include <stdbool.h>

#include "kernel/machine/vm_param.h"
#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"

#define KEXT_REGION_PRESET	(8UL << 20)

#if MACHINA_DEBUG
#define KEXT_REGION_QUARANTINES	true
#else
#define KEXT_REGION_QUARANTINES	false
#endif

enum kext_range_state {
	KR_RESERVED = 1,	/* pages being mapped or unmapped */
	KR_ALLOCATED,
	KR_QUARANTINED,		/* freed, unmapped, remembered */
};

struct kext_range {
	vm_offset_t	kr_start;
	vm_offset_t	kr_end;			/* end of the pages; a guard page follows */
	uint8_t		kr_state;		/* enum kext_range_state */
	uint64_t	kr_freed;		/* quarantine order */
	char		kr_name[KEXT_REGION_NAME_MAX];
};

static struct {
	hw_lock_data_t		lock;
	unsigned		nranges;			/* [L] */
	struct kext_range	ranges[KEXT_REGION_RANGES];	/* [L] sorted by kr_start */
	unsigned		nquarantined;			/* [L] */
	uint64_t		freed;				/* [L] frees so far */
	struct kext_region_stats stats;				/* [L] */
	kext_region_namer_t	namer;				/* [a] */
} kext_region = { .lock = HW_LOCK_INITIALIZER };

static boolean_t
region_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&kext_region.lock);
	return s;
}

static void
region_unlock(boolean_t s)
{
	hw_lock_unlock(&kext_region.lock);
	ml_set_interrupts_enabled(s);
}

void
kext_region_init(void)
{
	kern_return_t kr = pmap_expand_kernel(KEXT_REGION_BASE,
	    KEXT_REGION_BASE + KEXT_REGION_PRESET);

	if (kr != KERN_SUCCESS)
		panic("kext_region_init: no page tables for the kext region (%d)", kr);
}

boolean_t
kext_region_contains(vm_offset_t addr)
{
	return addr >= KEXT_REGION_BASE && addr < KEXT_REGION_END;
}

/* --- the table of ranges ------------------------------------------------------- */

/* The index of the range that starts at addr, or -1. Locks: [L]. */
static int
range_at(vm_offset_t addr)
{
	for (unsigned i = 0; i < kext_region.nranges; i++) {
		if (kext_region.ranges[i].kr_start == addr)
			return (int)i;
	}
	return -1;
}

static void
range_remove(unsigned i)
{
	if (kext_region.ranges[i].kr_state == KR_QUARANTINED) {
		kext_region.nquarantined--;
		kext_region.stats.krs_quarantined--;
	}
	memmove(&kext_region.ranges[i], &kext_region.ranges[i + 1],
	    (kext_region.nranges - i - 1) * sizeof(kext_region.ranges[0]));
	kext_region.nranges--;
}

/* Forget the oldest quarantined range; false if there is none. Locks: [L]. */
static bool
quarantine_evict_oldest(void)
{
	int oldest = -1;

	for (unsigned i = 0; i < kext_region.nranges; i++) {
		const struct kext_range *r = &kext_region.ranges[i];

		if (r->kr_state == KR_QUARANTINED &&
		    (oldest < 0 || r->kr_freed < kext_region.ranges[oldest].kr_freed))
			oldest = (int)i;
	}
	if (oldest < 0)
		return false;
	range_remove((unsigned)oldest);
	return true;
}

/*
 * First fit for size bytes and a guard page: the index the new range
 * takes and its start, or false. Locks: [L].
 */
static bool
range_find_space(vm_size_t size, unsigned *index, vm_offset_t *start)
{
	vm_offset_t cursor = KEXT_REGION_BASE;
	unsigned i;

	/* Invariant: [cursor, ranges[i].kr_start) is free. */
	for (i = 0; i < kext_region.nranges; i++) {
		const struct kext_range *r = &kext_region.ranges[i];

		if (r->kr_start - cursor >= size + PAGE_SIZE)
			break;
		cursor = r->kr_end + PAGE_SIZE;
	}
	if (i == kext_region.nranges && KEXT_REGION_END - cursor < size + PAGE_SIZE)
		return false;
	*index = i;
	*start = cursor;
	return true;
}

/* Reserve size bytes, pushing quarantined ranges out if need be. Locks: [L]. */
static kern_return_t
range_reserve(vm_size_t size, vm_offset_t *start)
{
	struct kext_range *r;
	unsigned i;

	for (;;) {
		if (kext_region.nranges < KEXT_REGION_RANGES &&
		    range_find_space(size, &i, start))
			break;
		if (!quarantine_evict_oldest())
			return KERN_NO_SPACE;
	}
	memmove(&kext_region.ranges[i + 1], &kext_region.ranges[i],
	    (kext_region.nranges - i) * sizeof(kext_region.ranges[0]));
	kext_region.nranges++;
	r = &kext_region.ranges[i];
	memset(r, 0, sizeof(*r));
	r->kr_start = *start;
	r->kr_end = *start + size;
	r->kr_state = KR_RESERVED;
	return KERN_SUCCESS;
}

/* --- pages ---------------------------------------------------------------------- */

/* Unmap [start, start + size) and give back every page that was there; how many. */
static uint64_t
pages_release(vm_offset_t start, vm_size_t size)
{
	ppnum_t pns[32];
	uint64_t released = 0;

	for (vm_offset_t chunk = start; chunk < start + size; chunk += nitems(pns) * PAGE_SIZE) {
		vm_offset_t end = MIN(start + size, chunk + nitems(pns) * PAGE_SIZE);
		unsigned n = 0;

		for (vm_offset_t va = chunk; va < end; va += PAGE_SIZE)
			pns[n++] = pmap_find_phys(kernel_pmap, va);
		pmap_remove(kernel_pmap, chunk, end);
		for (unsigned i = 0; i < n; i++) {
			if (pns[i] != 0) {
				vm_page_release(vm_page_lookup_phys(ptoa((pmap_paddr_t)pns[i])));
				released++;
			}
		}
	}
	return released;
}

/* Map zeroed, wired pages read-write at [start, start + size). */
static kern_return_t
pages_populate(vm_offset_t start, vm_size_t size)
{
	for (vm_offset_t va = start; va < start + size; va += PAGE_SIZE) {
		struct vm_page *m = vm_page_grab_zeroed(VM_PAGE_USE_KERNEL);

		if (m == NULL)
			return KERN_RESOURCE_SHORTAGE;
		if (pmap_enter(kernel_pmap, va, m->vmp_phys_page, VM_PROT_READ | VM_PROT_WRITE,
		    PMAP_WIRED) != KERN_SUCCESS) {
			vm_page_release(m);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	return KERN_SUCCESS;
}

/* --- the interface --------------------------------------------------------------- */

kern_return_t
kext_region_alloc(vm_size_t size, vm_offset_t *addr)
{
	vm_offset_t start;
	kern_return_t kr;
	boolean_t s;
	int i;

	if (size == 0 || round_page(size) < size ||
	    round_page(size) > KEXT_REGION_END - KEXT_REGION_BASE - PAGE_SIZE)
		return KERN_INVALID_ARGUMENT;
	size = round_page(size);
	s = region_lock();
	kr = range_reserve(size, &start);
	region_unlock(s);
	if (kr != KERN_SUCCESS)
		return kr;

	kr = pages_populate(start, size);
	if (kr != KERN_SUCCESS)
		(void)pages_release(start, size);

	s = region_lock();
	i = range_at(start);
	if (i < 0 || kext_region.ranges[i].kr_state != KR_RESERVED)
		panic("kext_region_alloc: the range at 0x%lx changed while it was reserved",
		    start);
	if (kr != KERN_SUCCESS) {
		range_remove((unsigned)i);
	} else {
		kext_region.ranges[i].kr_state = KR_ALLOCATED;
		kext_region.stats.krs_allocations++;
		kext_region.stats.krs_pages += atop(size);
	}
	region_unlock(s);
	if (kr == KERN_SUCCESS)
		*addr = start;
	return kr;
}

kern_return_t
kext_region_protect(vm_offset_t addr, vm_size_t size, vm_prot_t prot)
{
	vm_offset_t start = trunc_page(addr), end = round_page(addr + size);
	bool inside = false;
	boolean_t s;

	if ((prot & (VM_PROT_WRITE | VM_PROT_EXECUTE)) == (VM_PROT_WRITE | VM_PROT_EXECUTE))
		return KERN_PROTECTION_FAILURE;
	if (!(prot & VM_PROT_READ) || (prot & ~VM_PROT_ALL) || size == 0)
		return KERN_INVALID_ARGUMENT;
	if (end <= start || !kext_region_contains(start))
		return KERN_INVALID_ADDRESS;
	s = region_lock();
	for (unsigned i = 0; i < kext_region.nranges; i++) {
		const struct kext_range *r = &kext_region.ranges[i];

		if (r->kr_state == KR_ALLOCATED && start >= r->kr_start && end <= r->kr_end)
			inside = true;
	}
	region_unlock(s);
	if (!inside)
		return KERN_INVALID_ADDRESS;
	return pmap_kext_protect(start, end, prot);
}

void
kext_region_free(vm_offset_t addr, vm_size_t size, const char *name)
{
	struct kext_range *r;
	uint64_t pages;
	boolean_t s;
	int i;

	s = region_lock();
	i = range_at(addr);
	if (i < 0 || kext_region.ranges[i].kr_state != KR_ALLOCATED)
		panic("kext_region_free: 0x%lx was not allocated in the kext region", addr);
	r = &kext_region.ranges[i];
	if (size == 0 || round_page(size) != r->kr_end - r->kr_start)
		panic("kext_region_free: 0x%lx freed with size 0x%lx, not the size it was "
		    "allocated with (0x%lx)", addr, size, r->kr_end - r->kr_start);
	r->kr_state = KR_RESERVED;
	region_unlock(s);

	pages = pages_release(addr, round_page(size));

	s = region_lock();
	i = range_at(addr);		/* the table may have moved meanwhile */
	if (i < 0 || kext_region.ranges[i].kr_state != KR_RESERVED)
		panic("kext_region_free: the range at 0x%lx changed while it was freed", addr);
	r = &kext_region.ranges[i];
	if (pages != atop(r->kr_end - r->kr_start))
		panic("kext_region_free: 0x%lx-0x%lx had %llu pages mapped, not %lu", r->kr_start,
		    r->kr_end, (unsigned long long)pages, atop(r->kr_end - r->kr_start));
	kext_region.stats.krs_allocations--;
	kext_region.stats.krs_pages -= pages;
	if (KEXT_REGION_QUARANTINES) {
		r->kr_state = KR_QUARANTINED;
		r->kr_freed = ++kext_region.freed;
		strlcpy(r->kr_name, name != NULL ? name : "(unnamed)", sizeof(r->kr_name));
		kext_region.nquarantined++;
		kext_region.stats.krs_quarantined++;
		while (kext_region.nquarantined > KEXT_REGION_QUARANTINE)
			(void)quarantine_evict_oldest();
	} else {
		range_remove((unsigned)i);
	}
	region_unlock(s);
}

const char *
kext_region_unloaded_name(vm_offset_t addr, vm_offset_t *start, vm_offset_t *end)
{
	unsigned n = __atomic_load_n(&kext_region.nranges, __ATOMIC_RELAXED);

	if (!kext_region_contains(addr))
		return NULL;
	for (unsigned i = 0; i < n && i < KEXT_REGION_RANGES; i++) {
		const struct kext_range *r = &kext_region.ranges[i];

		if (r->kr_state == KR_QUARANTINED && addr >= r->kr_start && addr < r->kr_end) {
			*start = r->kr_start;
			*end = r->kr_end;
			return r->kr_name;
		}
	}
	return NULL;
}

void
kext_region_set_namer(kext_region_namer_t namer)
{
	__atomic_store_n(&kext_region.namer, namer, __ATOMIC_RELEASE);
}

const char *
kext_region_loaded_name(vm_offset_t addr, vm_offset_t *start, vm_offset_t *end)
{
	kext_region_namer_t namer = __atomic_load_n(&kext_region.namer, __ATOMIC_ACQUIRE);

	if (namer == NULL || !kext_region_contains(addr))
		return NULL;
	return namer(addr, start, end);
}

void
kext_region_get_stats(struct kext_region_stats *out)
{
	boolean_t s = region_lock();

	*out = kext_region.stats;
	region_unlock(s);
}
