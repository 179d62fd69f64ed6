/*
 * zalloc.c - zones over whole pages, with their bookkeeping kept apart.
 *
 * A chunk is z_chunk_pages physically contiguous pages. Elements tile it
 * from its first byte, z_elem_size apart; what is left at the end, less
 * than one element, is never used:
 *
 *   | elem 0 | elem 1 | ... | elem n-1 | slack |
 *   ^ zpm_base: the chunk in the direct map, page-aligned
 *
 * Each chunk has a struct zone_page_meta on the kernel heap: its queue
 * link, its free count and a bitmap with one bit per element, set while the
 * element is free. Nothing about an element's state lives in the element,
 * so no write into one can forge a free, and a free element can be
 * poisoned from its first byte to its last.
 *
 * From a pointer to its chunk: a zone page's vm_page has vmp_owner set to
 * the zone and vmp_zone_meta to its chunk's meta. zfree checks, in this order: the pointer
 * is in the direct map; its page has a vm_page, is a zone page, and belongs
 * to this zone; the slot names a chunk of this zone; the offset into the
 * chunk is a whole number of elements and below the chunk's element count;
 * the element's bit is clear (in use).
 *
 * A zone keeps its chunks on three queues by how full they are:
 * z_pageq_empty (every element free), z_pageq_partial and z_pageq_full.
 * zalloc takes the lowest free element of the first partial chunk, and
 * starts on a wholly free chunk only when no chunk is partial, so that
 * wholly free chunks stay free and can go back to the page layer.
 *
 * Poison (debug builds): a new chunk is filled with ZONE_POISON, and so is
 * every element zfree takes back. zalloc checks the whole element before
 * handing it out, and a chunk is checked before its pages go back, so a
 * write after free is found at the latest when the memory is next used.
 * A zone of large elements may ask for only a head of each element to be
 * poisoned and checked (zone_poison_limit): writing and reading a whole
 * page of pattern costs microseconds under emulation.
 */

#include "mach/kern/zalloc.h"

#include "kernel/console.h"
#include "kernel/kheap.h"
#include "libkern/assert.h"
#include "libkern/bits.h"
#include "libkern/cdefs.h"
#include "libkern/queue.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"

/*
 * Locks used in this file:
 *   [G] zone_globals.lock, the zone list
 *   [Z] the zone's z_lock
 *   [I] set before the object is published, immutable after
 * Order: [G] before [Z]; [Z] before the heap's and the page layer's locks.
 */

#define ZONE_POISONING		MACHINA_DEBUG
#define ZONE_KEEP_CHUNKS	1	/* wholly free chunks a zone keeps */
#define ZONE_WASTE_DIVISOR	16	/* a chunk may waste up to 1/16 of itself */
#define BITS_PER_WORD		64

/* One chunk's bookkeeping. */
struct zone_page_meta {
	TAILQ_ENTRY(zone_page_meta) zpm_link;	/* [Z] on one of the zone's queues */
	zone_t		zpm_zone;		/* [I] */
	char		*zpm_base;		/* [I] the chunk, in the direct map */
	uint32_t	zpm_nfree;		/* [Z] elements free */
	uint32_t	zpm_hint;		/* [Z] bitmap words below it are all 0 */
	uint64_t	zpm_bitmap[];		/* [Z] bit i set: element i is free */
};

TAILQ_HEAD(zone_pageq, zone_page_meta);

struct zone {
	hw_lock_data_t		z_lock;
	TAILQ_ENTRY(zone)	z_link;			/* [G] zone_globals.zones */
	char			z_name[ZONE_NAME_MAX];	/* [I] */
	vm_size_t		z_elem_size;		/* [I] ZONE_ELEM_ALIGN multiple */
	vm_size_t		z_poison_size;		/* [Z] bytes of each element
							   poisoned; set before the
							   first zalloc, then fixed */
	uint32_t		z_chunk_pages;		/* [I] */
	uint32_t		z_chunk_elems;		/* [I] elements per chunk */
	uint32_t		z_bitmap_words;		/* [I] per chunk */
	uint64_t		z_max_chunks;		/* [I] 0: no limit */
	struct zone_pageq	z_pageq_empty;		/* [Z] every element free */
	struct zone_pageq	z_pageq_partial;	/* [Z] */
	struct zone_pageq	z_pageq_full;		/* [Z] no element free */
	uint64_t		z_chunks;		/* [Z] on the three queues */
	uint64_t		z_chunks_empty;		/* [Z] on z_pageq_empty */
	uint64_t		z_elems_free;		/* [Z] */
	uint64_t		z_elems_inuse;		/* [Z] */
	uint64_t		z_peak_inuse;		/* [Z] */
	uint64_t		z_allocs;		/* [Z] */
	uint64_t		z_frees;		/* [Z] */
	uint64_t		z_failures;		/* [Z] */
};

static struct {
	hw_lock_data_t		lock;
	TAILQ_HEAD(, zone)	zones;			/* [G] oldest first */
	unsigned		nzones;			/* [G] */
	boolean_t		ready;			/* [I] zone_bootstrap has run */
} zone_globals = {
	.lock = HW_LOCK_INITIALIZER,
	.zones = TAILQ_HEAD_INITIALIZER(zone_globals.zones),
};

/* What a pointer handed to zfree turned out to be. */
enum zone_addr_kind {
	ZONE_ADDR_NOT_DIRECT,		/* not a direct-map address */
	ZONE_ADDR_UNMANAGED,		/* direct map, but no vm_page */
	ZONE_ADDR_NOT_ZONE,		/* a page with another use */
	ZONE_ADDR_ZONE			/* a zone's page */
};

static boolean_t
zlock(hw_lock_t lock)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(lock);
	return s;
}

static void
zunlock(hw_lock_t lock, boolean_t s)
{
	hw_lock_unlock(lock);
	ml_set_interrupts_enabled(s);
}

/* --- start-up and zone creation --------------------------------------------- */

void
zone_bootstrap(void)
{
	if (zone_globals.ready || !vm_page_ready())
		panic("zone_bootstrap: called twice, or before vm_page_bootstrap");
	zone_globals.ready = TRUE;
}

/* The chunk slot of the page at pa (in its vm_page); NULL if pa has none. */
static struct zone_page_meta **
zone_meta_slot(pmap_paddr_t pa)
{
	struct vm_page *m = vm_page_lookup_phys(pa);

	return m != NULL ? (struct zone_page_meta **)&m->vmp_zone_meta : NULL;
}

/* Bytes left over when a chunk of pages pages holds elements of size bytes. */
static vm_size_t
chunk_waste(vm_size_t size, uint32_t pages)
{
	return ptoa((vm_size_t)pages) % size;
}

/*
 * The chunk size, in pages: what the caller asked for (at least one
 * element), or the first larger size up to ZONE_CHUNK_MAX_PAGES that wastes
 * at most 1/ZONE_WASTE_DIVISOR of itself, or else the one that wastes the
 * smallest fraction.
 */
static uint32_t
zone_chunk_pages(vm_size_t size, vm_size_t alloc)
{
	uint32_t pages, best;

	alloc = MIN(MAX(alloc, size), (vm_size_t)ZONE_MAX_ELEM_SIZE);
	pages = best = (uint32_t)atop(round_page(alloc));
	for (uint32_t p = pages; p <= ZONE_CHUNK_MAX_PAGES; p++) {
		if (chunk_waste(size, p) * ZONE_WASTE_DIVISOR <= ptoa((vm_size_t)p))
			return p;
		/* waste(p) / p < waste(best) / best */
		if (chunk_waste(size, p) * best < chunk_waste(size, best) * p)
			best = p;
	}
	return best;
}

zone_t
zinit(vm_size_t size, vm_size_t max, vm_size_t alloc, const char *name)
{
	vm_size_t chunk_bytes;
	zone_t z;
	boolean_t s;

	if (name == NULL)
		panic("zinit: a zone needs a name");
	if (size == 0 || size > ZONE_MAX_ELEM_SIZE)
		panic("zinit: zone %s: element size %lu is out of range (1 to %lu)", name,
		    (unsigned long)size, (unsigned long)ZONE_MAX_ELEM_SIZE);
	if (!zone_globals.ready)
		panic("zinit: zone %s created before zone_bootstrap", name);
	z = kheap_alloc(&kernel_heap, sizeof(*z));
	if (z == NULL)
		return ZONE_NULL;
	memset(z, 0, sizeof(*z));
	hw_lock_init(&z->z_lock);
	strlcpy(z->z_name, name, sizeof(z->z_name));
	z->z_elem_size = ROUNDUP(size, (vm_size_t)ZONE_ELEM_ALIGN);
	z->z_poison_size = z->z_elem_size;
	z->z_chunk_pages = zone_chunk_pages(z->z_elem_size, alloc);
	chunk_bytes = ptoa((vm_size_t)z->z_chunk_pages);
	z->z_chunk_elems = (uint32_t)(chunk_bytes / z->z_elem_size);
	z->z_bitmap_words = (z->z_chunk_elems + BITS_PER_WORD - 1) / BITS_PER_WORD;
	z->z_max_chunks = max / chunk_bytes + (max % chunk_bytes != 0);
	TAILQ_INIT(&z->z_pageq_empty);
	TAILQ_INIT(&z->z_pageq_partial);
	TAILQ_INIT(&z->z_pageq_full);

	s = zlock(&zone_globals.lock);
	TAILQ_INSERT_TAIL(&zone_globals.zones, z, z_link);
	zone_globals.nzones++;
	zunlock(&zone_globals.lock, s);
	return z;
}

/* --- poison ------------------------------------------------------------------- */

static void
zone_poison_fill(void *p, vm_size_t bytes)
{
	uint64_t *w = p;

	for (vm_size_t i = 0; i < bytes / sizeof(*w); i++)
		w[i] = ZONE_POISON;
}

/* Panic if a free element's poison was overwritten; who names the caller. */
static void
zone_poison_check(zone_t z, const void *elem, const char *who)
{
	const uint64_t *w = elem;

	for (vm_size_t i = 0; i < z->z_poison_size / sizeof(*w); i++) {
		if (w[i] != ZONE_POISON)
			panic("%s: zone %s: element %p was written after it was freed "
			    "(offset %lu holds 0x%016llx)", who, z->z_name, elem,
			    (unsigned long)(i * sizeof(*w)), (unsigned long long)w[i]);
	}
}

/* --- chunks --------------------------------------------------------------------- */

/* The queue a chunk belongs on, by its free count. Locks: [Z]. */
static struct zone_pageq *
zone_pageq_of(zone_t z, const struct zone_page_meta *zpm)
{
	if (zpm->zpm_nfree == z->z_chunk_elems)
		return &z->z_pageq_empty;
	if (zpm->zpm_nfree == 0)
		return &z->z_pageq_full;
	return &z->z_pageq_partial;
}

/* Move zpm from the queue it was on to the one it now belongs on. Locks: [Z]. */
static void
zone_requeue(zone_t z, struct zone_page_meta *zpm, struct zone_pageq *from)
{
	struct zone_pageq *to = zone_pageq_of(z, zpm);

	if (to == from)
		return;
	TAILQ_REMOVE(from, zpm, zpm_link);
	TAILQ_INSERT_HEAD(to, zpm, zpm_link);
	if (from == &z->z_pageq_empty)
		z->z_chunks_empty--;
	if (to == &z->z_pageq_empty)
		z->z_chunks_empty++;
}

static boolean_t
zone_pages_grab(uint32_t npages, pmap_paddr_t *pa)
{
	struct vm_page *m;

	if (npages > 1) {
		return vm_page_alloc_contig(npages, 1, VM_PAGE_USE_ZONE, pa) ==
		    KERN_SUCCESS;
	}
	m = vm_page_grab(VM_PAGE_USE_ZONE);
	if (m == NULL)
		return FALSE;
	*pa = vm_page_to_phys(m);
	return TRUE;
}

static void
zone_pages_release(pmap_paddr_t pa, uint32_t npages)
{
	if (npages > 1)
		vm_page_free_contig(pa, npages);
	else
		vm_page_release(vm_page_lookup_phys(pa));
}

/*
 * Point the slot and the vm_page of each of the chunk's pages at zpm and z
 * (or clear the slots, if zpm is NULL). The pages are the zone's alone, so
 * vmp_owner is written without the page-queues lock. Locks: [Z].
 */
static void
zone_chunk_claim(zone_t z, pmap_paddr_t pa, struct zone_page_meta *zpm)
{
	for (uint32_t i = 0; i < z->z_chunk_pages; i++) {
		struct zone_page_meta **slot = zone_meta_slot(pa + ptoa((pmap_paddr_t)i));
		struct vm_page *m = vm_page_lookup_phys(pa + ptoa((pmap_paddr_t)i));

		if (slot == NULL || m == NULL)
			panic("zalloc: zone %s: page 0x%llx has no vm_page or chunk slot "
			    "(RAM added after zone_bootstrap?)", z->z_name,
			    (unsigned long long)(pa + ptoa((pmap_paddr_t)i)));
		*slot = zpm;
		if (zpm != NULL)
			m->vmp_owner = z;
	}
}

/* A new, wholly free chunk on z_pageq_empty; NULL if memory ran out. Locks: [Z]. */
static struct zone_page_meta *
zone_chunk_add(zone_t z)
{
	struct zone_page_meta *zpm;
	pmap_paddr_t pa;

	zpm = kheap_alloc(&kernel_heap,
	    sizeof(*zpm) + z->z_bitmap_words * sizeof(zpm->zpm_bitmap[0]));
	if (zpm == NULL)
		return NULL;
	if (!zone_pages_grab(z->z_chunk_pages, &pa)) {
		kheap_free(&kernel_heap, zpm);
		return NULL;
	}
	zpm->zpm_zone = z;
	zpm->zpm_base = phystokv(pa);
	zpm->zpm_nfree = z->z_chunk_elems;
	zpm->zpm_hint = 0;
	for (uint32_t w = 0; w < z->z_bitmap_words; w++) {
		uint32_t bits = MIN(BITS_PER_WORD, z->z_chunk_elems - w * BITS_PER_WORD);

		zpm->zpm_bitmap[w] = bits == BITS_PER_WORD ? ~0ULL : (1ULL << bits) - 1;
	}
	zone_chunk_claim(z, pa, zpm);
	if (ZONE_POISONING)
		zone_poison_fill(zpm->zpm_base, ptoa((vm_size_t)z->z_chunk_pages));
	TAILQ_INSERT_HEAD(&z->z_pageq_empty, zpm, zpm_link);
	z->z_chunks++;
	z->z_chunks_empty++;
	z->z_elems_free += z->z_chunk_elems;
	return zpm;
}

/* Give a wholly free chunk's pages back; who names the caller. Locks: [Z]. */
static void
zone_chunk_remove(zone_t z, struct zone_page_meta *zpm, const char *who)
{
	pmap_paddr_t pa = kvtophys((vm_offset_t)zpm->zpm_base);

	assert(zpm->zpm_nfree == z->z_chunk_elems);
	if (ZONE_POISONING) {
		for (uint32_t i = 0; i < z->z_chunk_elems; i++)
			zone_poison_check(z, zpm->zpm_base + i * z->z_elem_size, who);
	}
	TAILQ_REMOVE(&z->z_pageq_empty, zpm, zpm_link);
	zone_chunk_claim(z, pa, NULL);
	z->z_chunks--;
	z->z_chunks_empty--;
	z->z_elems_free -= z->z_chunk_elems;
	zone_pages_release(pa, z->z_chunk_pages);
	kheap_free(&kernel_heap, zpm);
}

/* Give back wholly free chunks until at most keep remain. Locks: [Z]. */
static void
zone_trim_locked(zone_t z, uint64_t keep, const char *who)
{
	assert(hw_lock_held(&z->z_lock));
	while (z->z_chunks_empty > keep)
		zone_chunk_remove(z, TAILQ_FIRST(&z->z_pageq_empty), who);
}

/* --- zalloc and zfree --------------------------------------------------------- */

/* A chunk with a free element, growing the zone if it must. Locks: [Z]. */
static struct zone_page_meta *
zone_chunk_for_alloc(zone_t z)
{
	if (!TAILQ_EMPTY(&z->z_pageq_partial))
		return TAILQ_FIRST(&z->z_pageq_partial);
	if (!TAILQ_EMPTY(&z->z_pageq_empty))
		return TAILQ_FIRST(&z->z_pageq_empty);
	if (z->z_max_chunks != 0 && z->z_chunks >= z->z_max_chunks)
		return NULL;
	return zone_chunk_add(z);
}

/* Take the lowest free element of a chunk that has one. Locks: [Z]. */
static uint32_t
zone_chunk_take(zone_t z, struct zone_page_meta *zpm)
{
	uint32_t w = zpm->zpm_hint;
	uint32_t bit;

	assert(zpm->zpm_nfree > 0);
	/* Every word below zpm_hint is 0, and a free element exists above. */
	while (zpm->zpm_bitmap[w] == 0) {
		w++;
		assert(w < z->z_bitmap_words);
	}
	bit = lsb_first(zpm->zpm_bitmap[w]);
	zpm->zpm_bitmap[w] &= ~(1ULL << bit);
	zpm->zpm_hint = w;
	zpm->zpm_nfree--;
	return w * BITS_PER_WORD + bit;
}

void *
zalloc(zone_t zone)
{
	struct zone_page_meta *zpm;
	struct zone_pageq *from;
	char *elem;
	boolean_t s;

	assert(zone != ZONE_NULL);
	s = zlock(&zone->z_lock);
	zpm = zone_chunk_for_alloc(zone);
	if (zpm == NULL) {
		zone->z_failures++;
		zunlock(&zone->z_lock, s);
		return NULL;
	}
	from = zone_pageq_of(zone, zpm);
	elem = zpm->zpm_base + (vm_size_t)zone_chunk_take(zone, zpm) * zone->z_elem_size;
	zone_requeue(zone, zpm, from);
	zone->z_elems_free--;
	zone->z_elems_inuse++;
	zone->z_peak_inuse = MAX(zone->z_peak_inuse, zone->z_elems_inuse);
	zone->z_allocs++;
	zunlock(&zone->z_lock, s);

	/* The element is ours alone now; check it without the lock. */
	if (ZONE_POISONING)
		zone_poison_check(zone, elem, "zalloc");
	return elem;
}

void
zone_poison_limit(zone_t zone, vm_size_t bytes)
{
	boolean_t s = zlock(&zone->z_lock);

	if (zone->z_allocs != 0)
		panic("zone_poison_limit: zone %s is already in use", zone->z_name);
	zone->z_poison_size = MIN(ROUNDUP(MAX(bytes, (vm_size_t)1), sizeof(uint64_t)),
	    zone->z_elem_size);
	zunlock(&zone->z_lock, s);
}

void *
zalloc_noblock(zone_t zone)
{
	return zalloc(zone);
}

/* Where addr points: see enum zone_addr_kind. Never faults, never panics. */
static enum zone_addr_kind
zone_addr_classify(const void *addr, struct vm_page **mp, pmap_paddr_t *pap)
{
	vm_offset_t va = (vm_offset_t)addr;
	pmap_paddr_t pa = kvtophys(va);

	*pap = pa;
	*mp = NULL;
	if (!pmap_physmap_contains(pa, 1) || (vm_offset_t)phystokv(pa) != va)
		return ZONE_ADDR_NOT_DIRECT;
	*mp = vm_page_lookup_phys(pa);
	if (*mp == NULL)
		return ZONE_ADDR_UNMANAGED;
	if ((*mp)->vmp_use != VM_PAGE_USE_ZONE || (*mp)->vmp_owner == NULL)
		return ZONE_ADDR_NOT_ZONE;
	return ZONE_ADDR_ZONE;
}

vm_size_t
zone_element_size(const void *addr, zone_t *zonep)
{
	struct vm_page *m;
	pmap_paddr_t pa;
	zone_t z;

	if (zone_addr_classify(addr, &m, &pa) != ZONE_ADDR_ZONE)
		return 0;
	z = m->vmp_owner;
	if (zonep != NULL)
		*zonep = z;
	return z->z_elem_size;
}

/*
 * The chunk of an element zfree was handed, and the element's index in it.
 * Panics, naming the zone and the pointer, if elem cannot be an element of
 * z. Locks: [Z].
 */
static struct zone_page_meta *
zone_element_meta(zone_t z, const void *elem, uint32_t *idxp)
{
	struct zone_page_meta *zpm, **slot;
	struct vm_page *m;
	pmap_paddr_t pa;
	vm_size_t off;

	switch (zone_addr_classify(elem, &m, &pa)) {
	case ZONE_ADDR_NOT_DIRECT:
		panic("zfree: zone %s: %p is not a zone element (not in the direct map)",
		    z->z_name, elem);
	case ZONE_ADDR_UNMANAGED:
		panic("zfree: zone %s: %p is not a zone element (physical 0x%llx is not "
		    "managed RAM)", z->z_name, elem, (unsigned long long)pa);
	case ZONE_ADDR_NOT_ZONE:
		panic("zfree: zone %s: %p is not a zone element (its page is %s, vm_page "
		    "use %u)", z->z_name, elem,
		    m->vmp_use == VM_PAGE_USE_FREE ? "free" : "not a zone page",
		    m->vmp_use);
	case ZONE_ADDR_ZONE:
		break;
	}
	if (m->vmp_owner != z)
		panic("zfree: zone %s: %p belongs to zone %s, not to this one", z->z_name,
		    elem, ((zone_t)m->vmp_owner)->z_name);
	slot = zone_meta_slot(pa);
	zpm = slot != NULL ? *slot : NULL;
	if (zpm == NULL || zpm->zpm_zone != z)
		panic("zfree: zone %s: %p: its page has no chunk of this zone (the "
		    "zone's bookkeeping is damaged)", z->z_name, elem);
	off = (vm_size_t)((const char *)elem - zpm->zpm_base);
	if (off % z->z_elem_size != 0)
		panic("zfree: zone %s: %p is not on an element boundary (%lu bytes into "
		    "a %lu-byte element)", z->z_name, elem,
		    (unsigned long)(off % z->z_elem_size), (unsigned long)z->z_elem_size);
	if (off / z->z_elem_size >= z->z_chunk_elems)
		panic("zfree: zone %s: %p is past the last element of its chunk "
		    "(element %lu of %u)", z->z_name, elem,
		    (unsigned long)(off / z->z_elem_size), z->z_chunk_elems);
	*idxp = (uint32_t)(off / z->z_elem_size);
	return zpm;
}

void
zfree(zone_t zone, void *elem)
{
	struct zone_page_meta *zpm;
	struct zone_pageq *from;
	uint64_t bit;
	uint32_t idx;
	boolean_t s;

	assert(zone != ZONE_NULL);
	if (elem == NULL)
		return;
	s = zlock(&zone->z_lock);
	zpm = zone_element_meta(zone, elem, &idx);
	bit = 1ULL << (idx % BITS_PER_WORD);
	if (zpm->zpm_bitmap[idx / BITS_PER_WORD] & bit)
		panic("zfree: zone %s: %p is already free (double free)", zone->z_name,
		    elem);
	if (ZONE_POISONING)
		zone_poison_fill(elem, zone->z_poison_size);
	from = zone_pageq_of(zone, zpm);
	zpm->zpm_bitmap[idx / BITS_PER_WORD] |= bit;
	zpm->zpm_hint = MIN(zpm->zpm_hint, idx / BITS_PER_WORD);
	zpm->zpm_nfree++;
	zone_requeue(zone, zpm, from);
	zone->z_elems_free++;
	zone->z_elems_inuse--;
	zone->z_frees++;
	zone_trim_locked(zone, ZONE_KEEP_CHUNKS, "zfree");
	zunlock(&zone->z_lock, s);
}

/* --- destruction, trimming, statistics ---------------------------------------- */

void
zdestroy(zone_t zone)
{
	boolean_t s, sz;

	s = zlock(&zone_globals.lock);
	sz = zlock(&zone->z_lock);
	if (zone->z_elems_inuse != 0)
		panic("zdestroy: zone %s is not empty (elements in use: %llu)",
		    zone->z_name, (unsigned long long)zone->z_elems_inuse);
	TAILQ_REMOVE(&zone_globals.zones, zone, z_link);
	zone_globals.nzones--;
	zone_trim_locked(zone, 0, "zdestroy");
	/* No element in use: every chunk was wholly free, and is gone. */
	assert(zone->z_chunks == 0 && zone->z_elems_free == 0);
	zunlock(&zone->z_lock, sz);
	zunlock(&zone_globals.lock, s);
	kheap_free(&kernel_heap, zone);
}

void
zone_trim(zone_t zone, vm_size_t keep_pages)
{
	boolean_t s = zlock(&zone->z_lock);

	zone_trim_locked(zone, keep_pages / zone->z_chunk_pages, "zone_trim");
	zunlock(&zone->z_lock, s);
}

void
zone_gc(void)
{
	boolean_t s = zlock(&zone_globals.lock);
	zone_t z;

	TAILQ_FOREACH(z, &zone_globals.zones, z_link) {
		boolean_t sz = zlock(&z->z_lock);

		zone_trim_locked(z, 0, "zone_gc");
		zunlock(&z->z_lock, sz);
	}
	zunlock(&zone_globals.lock, s);
}

const char *
zone_name(zone_t zone)
{
	return zone->z_name;
}

void
zone_get_info(zone_t zone, struct zone_info *out)
{
	boolean_t s;

	memset(out, 0, sizeof(*out));
	s = zlock(&zone->z_lock);
	strlcpy(out->zi_name, zone->z_name, sizeof(out->zi_name));
	out->zi_elem_size = zone->z_elem_size;
	out->zi_chunk_size = ptoa((uint64_t)zone->z_chunk_pages);
	out->zi_elems_per_chunk = zone->z_chunk_elems;
	out->zi_max_size = zone->z_max_chunks * out->zi_chunk_size;
	out->zi_elems_inuse = zone->z_elems_inuse;
	out->zi_elems_free = zone->z_elems_free;
	out->zi_peak_inuse = zone->z_peak_inuse;
	out->zi_pages = zone->z_chunks * zone->z_chunk_pages;
	out->zi_pages_empty = zone->z_chunks_empty * zone->z_chunk_pages;
	out->zi_allocs = zone->z_allocs;
	out->zi_frees = zone->z_frees;
	out->zi_failures = zone->z_failures;
	zunlock(&zone->z_lock, s);
}

void
zone_iterate(void (*fn)(zone_t zone, void *arg), void *arg)
{
	boolean_t s = zlock(&zone_globals.lock);
	zone_t z;

	TAILQ_FOREACH(z, &zone_globals.zones, z_link)
		fn(z, arg);
	zunlock(&zone_globals.lock, s);
}

struct zone_print_totals {
	unsigned	zones;
	uint64_t	pages;
};

static void
zone_print_one(zone_t zone, void *arg)
{
	struct zone_print_totals *t = arg;
	struct zone_info zi;

	zone_get_info(zone, &zi);
	printf("%-24s %6llu %9llu %9llu %7llu %11llu\n", zi.zi_name,
	    (unsigned long long)zi.zi_elem_size, (unsigned long long)zi.zi_elems_inuse,
	    (unsigned long long)zi.zi_elems_free, (unsigned long long)zi.zi_pages,
	    (unsigned long long)zi.zi_allocs);
	t->zones++;
	t->pages += zi.zi_pages;
}

void
zone_print_all(void)
{
	struct zone_print_totals t = { 0, 0 };

	printf("%-24s %6s %9s %9s %7s %11s\n", "zone", "elem", "in use", "free",
	    "pages", "allocs");
	zone_iterate(zone_print_one, &t);
	printf("%u zones, %llu pages (%llu KiB)\n", t.zones, (unsigned long long)t.pages,
	    (unsigned long long)(ptoa(t.pages) >> 10));
}
