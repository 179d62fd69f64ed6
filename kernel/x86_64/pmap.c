/*
 * pmap.c - the x86-64 pmap: the kernel's page tables.
 *
 * pmap_bootstrap() replaces the loader-time tables (boot/boot32.asm: 2 MiB
 * pages, everything writable and executable, memory identity-mapped) with:
 *
 *   PHYSMAP_BASE + [0, 4 GiB)	always, for firmware tables and devices
 *   PHYSMAP_BASE + RAM above	the memory map's RAM ranges above 4 GiB
 *	Both NX and global, in 1 GiB pages where the CPU has them and a
 *	granule is all RAM or all not, else 2 MiB pages; granules with no RAM
 *	in them are uncached (they are device memory).
 *   KERNEL_BASE + image	4 KiB pages: text RX, rodata and the symbol
 *	table R+NX, data and bss RW+NX, and the stack guard pages absent.
 *
 *   VM_MIN_KERNEL_ADDRESS...	the kernel_map range (kmem, stacks, zones):
 *	its page directory pointer table exists from boot, empty
 *   KEXT_REGION_BASE...		the kext region (mach/vm/kext_region.h),
 *	in the image's PML4 slot: empty until kexts are loaded
 *
 * and nothing else: page zero and the identity map are gone, so a NULL
 * pointer faults. Page-table pages come from vm_phys below 4 GiB (reached
 * through the loader's physmap alias while the new tables are built).
 *
 * Kernel Integrity Protection: pmap_kip_lockdown(), once start-up is done,
 * makes the direct map's alias of the image's text, rodata and symbol
 * table read-only (splitting the large pages that cover them) and from then
 * on refuses, as a broken invariant, any pmap call that would change a
 * mapping of those pages: the image's own or its direct-map alias. The
 * image's own mappings were never writable and CR0.WP is on, so after the
 * lock no kernel code can write them by any address.
 *
 * Invariant: after pmap_bootstrap no entry of the kernel's half of the PML4
 * (slots 256-511) is ever created again. A user pmap copies those slots
 * when it is made, so every kernel mapping, then or later, is shared by
 * every address space without updating any of them.
 *
 * Page-table pages are never freed while their pmap lives; pmap_destroy
 * frees the user half's tables all at once.
 */

#include "mach/vm/pmap.h"

#include <stdbool.h>

#include "kernel/debug.h"
#include "kernel/kheap.h"
#include "kernel/console.h"
#include "kernel/memmap.h"
#include "kernel/pexpert.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/mp.h"
#include "kernel/x86_64/pmap_md.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"

#define MAX_HIGH_RANGES	32

/* Pages to invalidate one by one before flushing the whole TLB instead. */
#define TLB_FLUSH_PAGES	32

struct pmap {
	hw_lock_data_t	pm_lock;
	pmap_paddr_t	pm_pml4;	/* [I] */
	uint32_t	pm_refcount;	/* [a] */
	uint64_t	pm_resident;	/* [L] leaf mappings */
	volatile uint64_t pm_cpus;	/* [a] CPUs it is loaded on (user pmaps) */
};

struct pmap kernel_pmap_store = { .pm_lock = HW_LOCK_INITIALIZER, .pm_refcount = 1 };

extern const char _boot_phys_start[], _kernel_start[], _kernel_end[];
extern const char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern const char _data_start[], _data_end[], __ksyms_start[];

/* [I] after pmap_bootstrap. */
static struct {
	bool		bootstrapped;
	bool		nx;		/* EFER.NXE is on */
	bool		large_1g;	/* 1 GiB pages */
	pmap_paddr_t	pml4;
	unsigned	nhigh;		/* direct-mapped ranges above 4 GiB */
	struct { pmap_paddr_t start, end; } high[MAX_HIGH_RANGES];
} kpmap;

#define FOUR_GB		(1ULL << 32)

void *
phystokv(pmap_paddr_t pa)
{
	return (void *)(PHYSMAP_BASE + pa);
}

boolean_t
pmap_physmap_contains(pmap_paddr_t pa, uint64_t len)
{
	pmap_paddr_t end = pa + len;

	if (end < pa)
		return FALSE;
	if (end <= FOUR_GB)
		return TRUE;
	for (unsigned i = 0; i < kpmap.nhigh; i++) {
		if (pa >= kpmap.high[i].start && end <= kpmap.high[i].end)
			return TRUE;
	}
	return FALSE;
}

static uint64_t *
table_kv(uint64_t entry)
{
	return phystokv(entry & PTE_ADDR_MASK);
}

static pmap_paddr_t
pt_page_alloc(void)
{
	pmap_paddr_t pa;

	/* Boot cannot go on without page tables: an invariant, not input. */
	if (vm_phys_alloc(&vm_phys_kernel, 1, 1, &pa) != KERN_SUCCESS)
		panic("pmap_bootstrap: no memory for page tables");
	if (pa + PAGE_SIZE > FOUR_GB)
		panic("pmap_bootstrap: page-table page 0x%llx above 4 GiB",
		    (unsigned long long)pa);
	memset(phystokv(pa), 0, PAGE_SIZE);
	return pa;
}

/* The entry for va at the level that maps `size` bytes, creating tables. */
static uint64_t *
pte_create(pmap_paddr_t pml4, vm_offset_t va, uint64_t size)
{
	static const unsigned shifts[] = { 39, 30, 21, 12 };
	uint64_t *table = phystokv(pml4);

	for (unsigned level = 0; level < 4; level++) {
		uint64_t *e = &table[(va >> shifts[level]) & 511];

		if ((1ULL << shifts[level]) == size)
			return e;
		if (!(*e & PTE_P))
			*e = pt_page_alloc() | PTE_P | PTE_W;
		table = table_kv(*e);
	}
	panic("pte_create: no level maps 0x%llx bytes", (unsigned long long)size);
}

/* How much of [lo, hi) the memory map's RAM covers: 0 none, 1 some, 2 all. */
static int
ram_coverage(const struct memmap *map, uint64_t lo, uint64_t hi)
{
	uint64_t covered = 0;

	for (unsigned i = 0; i < map->mm_count; i++) {
		const struct boot_mem_range *r = &map->mm_ranges[i];
		uint64_t a = MAX(r->bmr_base, lo), b = MIN(r->bmr_base + r->bmr_length, hi);

		if (a >= b)
			continue;
		switch (r->bmr_type) {
		case BOOT_MEM_RESERVED:
		case BOOT_MEM_BAD:
			continue;
		default:
			covered += b - a;
		}
	}
	return covered == 0 ? 0 : covered >= hi - lo ? 2 : 1;
}

static void
physmap_range(pmap_paddr_t pml4, const struct memmap *map, uint64_t lo, uint64_t hi)
{
	uint64_t nx = kpmap.nx ? PTE_NX : 0;

	while (lo < hi) {
		uint64_t size = NBPDE;
		int cov;

		if (kpmap.large_1g && (lo & (NBPDPTE - 1)) == 0 && hi - lo >= NBPDPTE &&
		    ram_coverage(map, lo, lo + NBPDPTE) != 1)
			size = NBPDPTE;
		cov = ram_coverage(map, lo, lo + size);
		*pte_create(pml4, PHYSMAP_BASE + lo, size) = lo | PTE_P | PTE_W | PTE_PS |
		    PTE_G | nx | (cov == 0 ? PTE_PCD | PTE_PWT : 0);
		lo += size;
	}
}

static void
physmap_build(pmap_paddr_t pml4, const struct memmap *map)
{
	physmap_range(pml4, map, 0, FOUR_GB);
	for (unsigned i = 0; i < map->mm_count; i++) {
		const struct boot_mem_range *r = &map->mm_ranges[i];
		uint64_t lo, hi;

		if (r->bmr_base + r->bmr_length <= FOUR_GB || r->bmr_type == BOOT_MEM_RESERVED ||
		    r->bmr_type == BOOT_MEM_BAD)
			continue;
		lo = ROUNDDOWN(MAX(r->bmr_base, FOUR_GB), NBPDE);
		hi = ROUNDUP(r->bmr_base + r->bmr_length, NBPDE);
		physmap_range(pml4, map, lo, hi);
		if (kpmap.nhigh < MAX_HIGH_RANGES) {
			kpmap.high[kpmap.nhigh].start = lo;
			kpmap.high[kpmap.nhigh].end = hi;
			kpmap.nhigh++;
		} else {
			printf("pmap: too many memory ranges above 4 GiB; "
			    "0x%llx-0x%llx is mapped but not usable\n",
			    (unsigned long long)lo, (unsigned long long)hi);
		}
	}
}

static bool
is_guard(vm_offset_t va, const vm_offset_t *guards, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (va == guards[i])
			return true;
	}
	return false;
}

static void
image_map(pmap_paddr_t pml4)
{
	uint64_t nx = kpmap.nx ? PTE_NX : 0;
	vm_offset_t guards[8];
	unsigned nguards = gdt_stack_guards(guards, nitems(guards));

	for (vm_offset_t va = (vm_offset_t)_kernel_start; va < (vm_offset_t)_kernel_end;
	    va += PAGE_SIZE) {
		uint64_t flags = PTE_P | PTE_G;

		if (is_guard(va, guards, nguards))
			continue;
		if (va >= (vm_offset_t)_text_start && va < (vm_offset_t)_text_end)
			flags |= 0;				/* RX */
		else if (va >= (vm_offset_t)_data_start && va < (vm_offset_t)_data_end)
			flags |= PTE_W | nx;			/* RW */
		else
			flags |= nx;				/* rodata, ksyms: R */
		*pte_create(pml4, va, PAGE_SIZE) = (va - KERNEL_BASE) | flags;
	}
}

pmap_paddr_t
pmap_bootstrap(const struct memmap *map)
{
	uint32_t r[4];
	pmap_paddr_t pml4;

	kpmap.nx = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
	cpuid(0x80000001, 0, r);
	kpmap.large_1g = (r[3] & (1u << 26)) != 0;

	pml4 = pt_page_alloc();
	physmap_build(pml4, map);
	image_map(pml4);
	/* The kernel_map's slot, empty but present: see the invariant above. */
	((uint64_t *)phystokv(pml4))[PML4_INDEX(VM_MIN_KERNEL_ADDRESS)] =
	    pt_page_alloc() | PTE_P | PTE_W;

	set_cr3(pml4);
	set_cr4(get_cr4() | CR4_PGE);
	kpmap.pml4 = pml4;
	kpmap.bootstrapped = true;
	kernel_pmap_store.pm_pml4 = pml4;
	return pml4;
}

void
pmap_kernel_image_phys(pmap_paddr_t *start, pmap_paddr_t *end)
{
	*start = (pmap_paddr_t)(uintptr_t)_boot_phys_start;
	*end = (pmap_paddr_t)((uintptr_t)_kernel_end - KERNEL_BASE);
}

/*
 * Walk the page tables at pml4 for va: the protection, and the physical
 * address in *pa. Never faults: tables are read through the direct map.
 */
static vm_prot_t
pmap_walk(pmap_paddr_t pml4, vm_offset_t va, pmap_paddr_t *pa)
{
	static const unsigned shifts[] = { 39, 30, 21, 12 };
	uint64_t *table = phystokv(pml4 & PTE_ADDR_MASK);
	bool writable = true, executable = true;

	/* Non-canonical addresses have no translation. */
	if ((int64_t)va >> 47 != 0 && (int64_t)va >> 47 != -1)
		return VM_PROT_NONE;
	for (unsigned level = 0; level < 4; level++) {
		uint64_t e = table[(va >> shifts[level]) & 511];

		if (!(e & PTE_P))
			return VM_PROT_NONE;
		writable = writable && (e & PTE_W);
		executable = executable && !(e & PTE_NX);
		if (level == 3 || (level > 0 && (e & PTE_PS))) {
			uint64_t size = 1ULL << shifts[level];

			if (pa != NULL)
				*pa = (e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
			return VM_PROT_READ | (writable ? VM_PROT_WRITE : 0) |
			    (executable ? VM_PROT_EXECUTE : 0);
		}
		if (!pmap_physmap_contains(e & PTE_ADDR_MASK, PAGE_SIZE))
			return VM_PROT_NONE;
		table = table_kv(e);
	}
	return VM_PROT_NONE;
}

vm_prot_t
pmap_kernel_prot(vm_offset_t va)
{
	return pmap_walk(get_cr3(), va, NULL);
}

pmap_paddr_t
kvtophys(vm_offset_t va)
{
	pmap_paddr_t pa = 0;

	if (va >= PHYSMAP_BASE && va < PHYSMAP_BASE + (1ULL << 46))
		return va - PHYSMAP_BASE;
	if (va >= KERNEL_BASE && va < (vm_offset_t)_kernel_end)
		return va - KERNEL_BASE;
	if (pmap_walk(get_cr3(), va, &pa) == VM_PROT_NONE)
		return 0;
	return pa;
}

/* --- pmap operations ------------------------------------------------------ */

static boolean_t
pmap_lock(pmap_t pmap)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&pmap->pm_lock);
	return s;
}

static void
pmap_unlock(pmap_t pmap, boolean_t s)
{
	hw_lock_unlock(&pmap->pm_lock);
	ml_set_interrupts_enabled(s);
}

/* The upper half: shared by every pmap, mapped global, never user. */
static bool
is_kernel_address(vm_offset_t va)
{
	return va >= PHYSMAP_BASE;
}

static bool
is_kext_region_address(vm_offset_t va)
{
	return va >= KEXT_REGION_BASE && va < KEXT_REGION_END;
}

/* Where pmap_enter may put kernel mappings: the kernel_map's range, the kext region. */
static bool
is_kernel_map_address(vm_offset_t va)
{
	return (va >= VM_MIN_KERNEL_ADDRESS && va < VM_MAX_KERNEL_ADDRESS) ||
	    is_kext_region_address(va);
}

/* --- Kernel Integrity Protection -------------------------------------------- */

/*
 * The locked ranges: text and rodata (adjacent in the image), and the
 * symbol table; each both at its image address and at its direct-map
 * alias. [I] once kip.locked is set.
 */
static struct {
	bool		locked;
	unsigned	nranges;
	struct { vm_offset_t start, end; } ranges[4];
} kip;

static bool
kip_overlaps(vm_offset_t start, vm_offset_t end)
{
	if (!__atomic_load_n(&kip.locked, __ATOMIC_ACQUIRE))
		return false;
	for (unsigned i = 0; i < kip.nranges; i++) {
		if (start < kip.ranges[i].end && end > kip.ranges[i].start)
			return true;
	}
	return false;
}

/* A call that would change a locked mapping is a kernel bug. */
static void
kip_check(const char *fn, vm_offset_t start, vm_offset_t end)
{
	if (kip_overlaps(start, end))
		panic("%s: 0x%lx-0x%lx overlaps the kernel's locked text and read-only "
		    "data (Kernel Integrity Protection)", fn, start, end);
}

/* A zeroed page-table page, or 0. Locks: may be called with a pmap locked. */
static pmap_paddr_t
pmap_pt_alloc(void)
{
	pmap_paddr_t pa;

	if (vm_page_alloc_contig(1, 1, VM_PAGE_USE_PAGETABLE, &pa) != KERN_SUCCESS)
		return 0;
	memset(phystokv(pa), 0, PAGE_SIZE);
	return pa;
}

/*
 * The leaf entry for va in pmap, creating the tables above it if create.
 * NULL if a table is missing (and !create), cannot be allocated, or va is
 * inside a large page. Locks: pmap locked.
 */
static uint64_t *
pmap_pte(pmap_t pmap, vm_offset_t va, bool create)
{
	static const unsigned shifts[] = { 39, 30, 21 };
	uint64_t *table = phystokv(pmap->pm_pml4);

	for (unsigned level = 0; level < 3; level++) {
		uint64_t *e = &table[(va >> shifts[level]) & 511];

		if (!(*e & PTE_P)) {
			pmap_paddr_t pt;

			if (!create)
				return NULL;
			/* The kernel half's top level never grows (see above). */
			if (level == 0 && is_kernel_address(va))
				panic("pmap_pte: no kernel PML4 entry for 0x%lx", va);
			if ((pt = pmap_pt_alloc()) == 0)
				return NULL;
			*e = pt | PTE_P | PTE_W | (is_kernel_address(va) ? 0 : PTE_U);
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = table_kv(*e);
	}
	return &table[PT_INDEX(va)];
}

void
pmap_tlb_flush_local(bool global, vm_offset_t start, vm_offset_t end)
{
	if (atop(end - start) <= TLB_FLUSH_PAGES) {
		for (vm_offset_t va = start; va < end; va += PAGE_SIZE)
			invlpg(va);
	} else if (global) {
		uint64_t cr4 = get_cr4();

		set_cr4(cr4 & ~CR4_PGE);	/* global entries go only this way */
		set_cr4(cr4);
	} else {
		set_cr3(get_cr3());
	}
}

/* Invalidate [start, end) of pmap wherever it may be cached. */
static void
pmap_tlb_flush(pmap_t pmap, vm_offset_t start, vm_offset_t end)
{
	bool kernel = pmap == kernel_pmap;

	if (kernel || (get_cr3() & PTE_ADDR_MASK) == pmap->pm_pml4)
		pmap_tlb_flush_local(kernel, start, end);
	if (kernel)
		mp_tlb_shootdown(mp_online_mask(), 0, start, end);
	else if (pmap->pm_cpus != 0)
		mp_tlb_shootdown(pmap->pm_cpus, pmap->pm_pml4, start, end);
}

pmap_paddr_t
kernel_pmap_pml4(void)
{
	return kernel_pmap->pm_pml4;
}

static uint64_t
pte_bits(pmap_t pmap, vm_offset_t va, vm_prot_t prot, unsigned flags)
{
	uint64_t bits = PTE_P;

	if (prot & VM_PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE) && kpmap.nx)
		bits |= PTE_NX;
	if (is_kernel_address(va))
		bits |= PTE_G;
	else if (pmap != kernel_pmap)
		bits |= PTE_U;
	if (flags & PMAP_CACHE_UNCACHED)
		bits |= PTE_PCD | PTE_PWT;
	else if (flags & PMAP_CACHE_WRITE_COMBINE)
		bits |= PTE_PWT;
	return bits;
}

/* --- mappings of object pages (pv entries) -------------------------------- */

/*
 * Every mapping of a page that belongs to a VM object is recorded on the
 * page (vmp_pv), so that the page can be write-protected or unmapped in
 * every pmap at once (pmap_page_protect) before the VM system copies over
 * it or frees it. Other pages (kmem, stacks, device memory) are not
 * tracked: whoever maps them unmaps them.
 *
 * One lock covers every page's list, taken before any pmap's lock; with
 * it held, a pmap's lock can be taken for any page's mappings.
 */
struct pv_entry {
	struct pv_entry	*pv_next;
	pmap_t		pv_pmap;
	vm_offset_t	pv_va;
};

static hw_lock_data_t pv_lock = HW_LOCK_INITIALIZER;
static zone_t pv_zone;

void
pmap_init(void)
{
	pv_zone = zinit(sizeof(struct pv_entry), 0, 0, "pmap pv entries");
	if (pv_zone == ZONE_NULL)
		panic("pmap_init: no memory for the pv zone");
}

/* The vm_page of an object page at pa, or NULL if pa is not tracked. */
static struct vm_page *
pv_page(pmap_paddr_t pa)
{
	struct vm_page *m = vm_page_lookup_phys(pa);

	return m != NULL && m->vmp_use == VM_PAGE_USE_OBJECT ? m : NULL;
}

/* Forget that pmap maps m at va. Locks: pv lock and pmap's lock held. */
static void
pv_remove(struct vm_page *m, pmap_t pmap, vm_offset_t va)
{
	for (struct pv_entry **pp = &m->vmp_pv; *pp != NULL; pp = &(*pp)->pv_next) {
		struct pv_entry *pv = *pp;

		if (pv->pv_pmap == pmap && pv->pv_va == va) {
			*pp = pv->pv_next;
			zfree(pv_zone, pv);
			return;
		}
	}
	panic("pmap: page 0x%llx is mapped at 0x%lx in pmap %p but has no pv entry",
	    (unsigned long long)vm_page_to_phys(m), va, pmap);
}

static boolean_t
pv_lock_take(pmap_t pmap)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&pv_lock);
	hw_lock_lock(&pmap->pm_lock);
	return s;
}

static void
pv_lock_drop(pmap_t pmap, boolean_t s)
{
	hw_lock_unlock(&pmap->pm_lock);
	hw_lock_unlock(&pv_lock);
	ml_set_interrupts_enabled(s);
}

/* --- pmap operations on any pmap ------------------------------------------- */

kern_return_t
pmap_enter(pmap_t pmap, vm_offset_t va, ppnum_t pn, vm_prot_t prot, unsigned flags)
{
	pmap_paddr_t pa = ptoa((pmap_paddr_t)pn);
	struct vm_page *m;
	struct pv_entry *pv = NULL;
	uint64_t *pte, old;
	boolean_t s;

	if (!page_aligned(va) || prot == VM_PROT_NONE)
		return KERN_INVALID_ARGUMENT;
	/* Never the image, the direct map or the other half: refused, not entered. */
	if (pmap == kernel_pmap ? !is_kernel_map_address(va)
				: va >= VM_MAX_USER_ADDRESS)
		return KERN_INVALID_ARGUMENT;
	/* The entry is allocated before the locks, and given back if unused. */
	if ((m = pv_page(pa)) != NULL && (pv = zalloc(pv_zone)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	s = pv_lock_take(pmap);
	pte = pmap_pte(pmap, va, true);
	if (pte == NULL) {
		pv_lock_drop(pmap, s);
		zfree(pv_zone, pv);
		return KERN_RESOURCE_SHORTAGE;
	}
	old = *pte;
	if ((old & PTE_P) && (old & PTE_ADDR_MASK) == pa) {
		/* The same page again, perhaps with other rights: no new pv. */
		zfree(pv_zone, pv);
		pv = NULL;
	} else if (old & PTE_P) {
		struct vm_page *oldm = pv_page(old & PTE_ADDR_MASK);

		if (oldm != NULL)
			pv_remove(oldm, pmap, va);
	} else {
		pmap->pm_resident++;
	}
	if (pv != NULL) {
		pv->pv_pmap = pmap;
		pv->pv_va = va;
		pv->pv_next = m->vmp_pv;
		m->vmp_pv = pv;
	}
	*pte = pa | pte_bits(pmap, va, prot, flags);
	if (old & PTE_P)
		pmap_tlb_flush(pmap, va, va + PAGE_SIZE);
	pv_lock_drop(pmap, s);
	return KERN_SUCCESS;
}

/*
 * Apply fn to every present leaf entry in [start, end), skipping whole
 * tables that are absent: a walk over a sparse range costs what is mapped,
 * not how large it is. Locks: pmap locked.
 */
static void
pmap_each_pte(pmap_t pmap, vm_offset_t start, vm_offset_t end,
    void (*fn)(pmap_t, vm_offset_t, uint64_t *, void *), void *arg)
{
	static const unsigned shifts[] = { 39, 30, 21 };
	vm_offset_t va = start;

	while (va < end && va >= start) {
		uint64_t *table = phystokv(pmap->pm_pml4);
		unsigned level;

		for (level = 0; level < 3; level++) {
			uint64_t e = table[(va >> shifts[level]) & 511];

			if (!(e & PTE_P) || (e & PTE_PS))
				break;
			table = table_kv(e);
		}
		if (level < 3) {
			/* Nothing below here (or a large page): the next table. */
			vm_offset_t span = 1UL << shifts[level];

			va = (va + span) & ~(span - 1);
			continue;
		}
		for (unsigned i = PT_INDEX(va); i < 512 && va < end; i++, va += PAGE_SIZE) {
			if (table[i] & PTE_P)
				fn(pmap, va, &table[i], arg);
		}
	}
}

static void
remove_one(pmap_t pmap, vm_offset_t va, uint64_t *pte, void *arg)
{
	struct vm_page *m = pv_page(*pte & PTE_ADDR_MASK);

	(void)arg;
	if (m != NULL)
		pv_remove(m, pmap, va);
	*pte = 0;
	pmap->pm_resident--;
}

void
pmap_remove(pmap_t pmap, vm_offset_t start, vm_offset_t end)
{
	boolean_t s;

	kip_check("pmap_remove", start, end);
	s = pv_lock_take(pmap);

	pmap_each_pte(pmap, start, end, remove_one, NULL);
	pmap_tlb_flush(pmap, start, end);
	pv_lock_drop(pmap, s);
}

static void
protect_one(pmap_t pmap, vm_offset_t va, uint64_t *pte, void *arg)
{
	vm_prot_t prot = *(vm_prot_t *)arg;

	(void)pmap;
	(void)va;
	if (!(prot & VM_PROT_WRITE))
		*pte &= ~PTE_W;
	if (!(prot & VM_PROT_EXECUTE) && kpmap.nx)
		*pte |= PTE_NX;
}

void
pmap_protect(pmap_t pmap, vm_offset_t start, vm_offset_t end, vm_prot_t prot)
{
	boolean_t s;

	kip_check("pmap_protect", start, end);
	if (!(prot & VM_PROT_READ)) {
		pmap_remove(pmap, start, end);
		return;
	}
	s = pmap_lock(pmap);
	pmap_each_pte(pmap, start, end, protect_one, &prot);
	pmap_tlb_flush(pmap, start, end);
	pmap_unlock(pmap, s);
}

void
pmap_page_protect(ppnum_t pn, vm_prot_t prot)
{
	pmap_paddr_t pa = ptoa((pmap_paddr_t)pn);
	struct vm_page *m = pv_page(pa);
	struct pv_entry **pp;
	boolean_t s;

	if (m == NULL || (prot & VM_PROT_WRITE))
		return;		/* nothing tracked, or nothing to take away */
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&pv_lock);
	pp = &m->vmp_pv;
	while (*pp != NULL) {
		struct pv_entry *pv = *pp;
		pmap_t pmap = pv->pv_pmap;
		uint64_t *pte;

		hw_lock_lock(&pmap->pm_lock);
		pte = pmap_pte(pmap, pv->pv_va, false);
		if (pte == NULL || !(*pte & PTE_P) || (*pte & PTE_ADDR_MASK) != pa)
			panic("pmap_page_protect: pv entry of page 0x%llx at 0x%lx in pmap "
			    "%p does not match its page table", (unsigned long long)pa,
			    pv->pv_va, pmap);
		if (prot & VM_PROT_READ) {
			*pte &= ~PTE_W;
			pp = &pv->pv_next;
		} else {
			*pte = 0;
			pmap->pm_resident--;
			*pp = pv->pv_next;
		}
		pmap_tlb_flush(pmap, pv->pv_va, pv->pv_va + PAGE_SIZE);
		hw_lock_unlock(&pmap->pm_lock);
		if (!(prot & VM_PROT_READ))
			zfree(pv_zone, pv);
	}
	hw_lock_unlock(&pv_lock);
	ml_set_interrupts_enabled(s);
}

void
pmap_disconnect(ppnum_t pn)
{
	pmap_page_protect(pn, VM_PROT_NONE);
}

boolean_t
pmap_page_is_mapped(ppnum_t pn)
{
	struct vm_page *m = pv_page(ptoa((pmap_paddr_t)pn));

	return m != NULL && __atomic_load_n(&m->vmp_pv, __ATOMIC_RELAXED) != NULL;
}

ppnum_t
pmap_find_phys(pmap_t pmap, vm_offset_t va)
{
	pmap_paddr_t pa;

	if (pmap_walk(pmap->pm_pml4, va, &pa) == VM_PROT_NONE)
		return 0;
	return (ppnum_t)atop(pa);
}

pmap_paddr_t
pmap_extract(pmap_t pmap, vm_offset_t va)
{
	pmap_paddr_t pa;

	if (pmap_walk(pmap->pm_pml4, va, &pa) == VM_PROT_NONE)
		return 0;
	return pa;
}

uint64_t
pmap_resident_count(pmap_t pmap)
{
	return __atomic_load_n(&pmap->pm_resident, __ATOMIC_RELAXED);
}

static void
count_pv_one(pmap_t pmap, vm_offset_t va, uint64_t *pte, void *arg)
{
	(void)pmap;
	(void)va;
	if (pv_page(*pte & PTE_ADDR_MASK) != NULL)
		(*(uint64_t *)arg)++;
}

uint64_t
pmap_pv_count(pmap_t pmap)
{
	uint64_t n = 0;
	boolean_t s = pv_lock_take(pmap);

	if (pmap == kernel_pmap) {
		pmap_each_pte(pmap, VM_MIN_KERNEL_ADDRESS, VM_MAX_KERNEL_ADDRESS, count_pv_one, &n);
		pmap_each_pte(pmap, KEXT_REGION_BASE, KEXT_REGION_END, count_pv_one, &n);
	} else
		pmap_each_pte(pmap, 0, VM_MAX_USER_ADDRESS, count_pv_one, &n);
	pv_lock_drop(pmap, s);
	return n;
}

pmap_t
pmap_create(void)
{
	pmap_t pmap = kheap_alloc(&kernel_heap, sizeof(*pmap));
	pmap_paddr_t pml4;

	if (pmap == NULL)
		return PMAP_NULL;
	if ((pml4 = pmap_pt_alloc()) == 0) {
		kheap_free(&kernel_heap, pmap);
		return PMAP_NULL;
	}
	/* The kernel's half, shared: those slots never change (see above). */
	memcpy((uint64_t *)phystokv(pml4) + 256,
	    (uint64_t *)phystokv(kernel_pmap->pm_pml4) + 256, 256 * sizeof(uint64_t));
	hw_lock_init(&pmap->pm_lock);
	pmap->pm_pml4 = pml4;
	pmap->pm_refcount = 1;
	pmap->pm_resident = 0;
	pmap->pm_cpus = 0;		/* loaded nowhere yet (the heap does not zero) */
	return pmap;
}

void
pmap_reference(pmap_t pmap)
{
	__atomic_add_fetch(&pmap->pm_refcount, 1, __ATOMIC_RELAXED);
}

/* Free the table at pa and, below level 3, the tables it points to. */
static void
pmap_free_table(pmap_paddr_t pa, unsigned level)
{
	uint64_t *table = phystokv(pa);

	if (level < 3) {
		for (unsigned i = 0; i < 512; i++) {
			if ((table[i] & PTE_P) && !(table[i] & PTE_PS))
				pmap_free_table(table[i] & PTE_ADDR_MASK, level + 1);
		}
	}
	vm_page_free_contig(pa, 1);
}

void
pmap_destroy(pmap_t pmap)
{
	uint64_t *pml4;
	boolean_t s;

	if (__atomic_sub_fetch(&pmap->pm_refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (pmap == kernel_pmap)
		panic("pmap_destroy: the kernel pmap lost its last reference");
	/* Whatever is still mapped (its pv entries go with it). */
	pmap_remove(pmap, 0, VM_MAX_USER_ADDRESS);
	/*
	 * CPUs that ran the pmap's threads keep it loaded while they run
	 * kernel threads (pmap_switch): make them let go of it.
	 */
	s = ml_set_interrupts_enabled(FALSE);
	pmap_release_local(pmap->pm_pml4);
	if (__atomic_load_n(&pmap->pm_cpus, __ATOMIC_ACQUIRE) != 0)
		mp_pmap_release(pmap->pm_cpus, pmap->pm_pml4);
	ml_set_interrupts_enabled(s);
	if (pmap->pm_cpus != 0 || (get_cr3() & PTE_ADDR_MASK) == pmap->pm_pml4)
		panic("pmap_destroy: pmap %p is still loaded (CPUs 0x%llx)", pmap,
		    (unsigned long long)pmap->pm_cpus);
	if (pmap->pm_resident != 0)
		panic("pmap_destroy: pmap %p still has %llu mappings", pmap,
		    (unsigned long long)pmap->pm_resident);
	pml4 = phystokv(pmap->pm_pml4);
	for (unsigned i = 0; i < 256; i++) {	/* the user half only */
		if (pml4[i] & PTE_P)
			pmap_free_table(pml4[i] & PTE_ADDR_MASK, 1);
	}
	vm_page_free_contig(pmap->pm_pml4, 1);
	kheap_free(&kernel_heap, pmap);
}

void
pmap_release_local(pmap_paddr_t pml4)
{
	struct cpu_data *cd = current_cpu_datap();

	if (cd->cpu_active_pmap != NULL && cd->cpu_active_pmap->pm_pml4 == pml4)
		pmap_switch(kernel_pmap);
}

/*
 * Locks: interrupts off (the context switch), so the CPU cannot change
 * under us. A CPU's bit is set in a user pmap's pm_cpus before its CR3 is
 * loaded and cleared only after it is replaced: a shootdown never misses
 * a CPU that may cache the pmap's entries.
 */
void
pmap_switch(pmap_t pmap)
{
	struct cpu_data *cd = current_cpu_datap();
	pmap_t old = cd->cpu_active_pmap != NULL ? cd->cpu_active_pmap : kernel_pmap;
	uint64_t me = 1ULL << cd->cpu_number;

	if (old == pmap)
		return;
	if (pmap != kernel_pmap)
		__atomic_or_fetch(&pmap->pm_cpus, me, __ATOMIC_ACQ_REL);
	/* -no_shared_cr3: the kernel's stays loaded; see pmap_load_cr3_for. */
	if (!pmap_no_shared_cr3)
		set_cr3(pmap->pm_pml4);
	else if ((get_cr3() & PTE_ADDR_MASK) == old->pm_pml4 && old != kernel_pmap)
		set_cr3(kernel_pmap->pm_pml4);	/* never left on the old one */
	if (old != kernel_pmap)
		__atomic_and_fetch(&old->pm_cpus, ~me, __ATOMIC_ACQ_REL);
	cd->cpu_active_pmap = pmap;
}

/* --- -no_shared_cr3 (pmap_md.h) ------------------------------------------------ */

bool pmap_no_shared_cr3 __hot_data;

BOOT_ARG(no_shared_cr3, "-no_shared_cr3", BOOT_ARG_FLAG, 0,
    "the kernel runs on page tables of its own, with no user memory mapped");

void
pmap_cr3_policy_init(void)
{
	int flag = 0;

	pmap_no_shared_cr3 = PE_parse_boot_argn("-no_shared_cr3", &flag, sizeof(flag)) &&
	    flag != 0;
	pmap_cr3_policy_cpu_init();
	if (pmap_no_shared_cr3)
		printf("pmap: -no_shared_cr3: the kernel runs on its own page tables\n");
}

void
pmap_cr3_policy_cpu_init(void)
{
	current_cpu_datap()->cpu_kernel_cr3 = pmap_no_shared_cr3 ? kernel_pmap->pm_pml4 : 0;
}

void
pmap_load_cr3_for(struct thread *thread)
{
	struct cpu_data *cd = current_cpu_datap();
	pmap_paddr_t want = kernel_pmap->pm_pml4;

	if (!pmap_no_shared_cr3)
		return;
	if (thread->machine.copyio_window != 0 && cd->cpu_active_pmap != NULL)
		want = cd->cpu_active_pmap->pm_pml4;
	if ((get_cr3() & PTE_ADDR_MASK) != want)
		set_cr3(want);
}

void
pmap_load_user_cr3(void)
{
	struct cpu_data *cd = current_cpu_datap();

	if (pmap_no_shared_cr3 && cd->cpu_active_pmap != NULL &&
	    (get_cr3() & PTE_ADDR_MASK) != cd->cpu_active_pmap->pm_pml4)
		set_cr3(cd->cpu_active_pmap->pm_pml4);
}

/* --- the kext region ---------------------------------------------------------- */

kern_return_t
pmap_expand_kernel(vm_offset_t start, vm_offset_t end)
{
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;

	if (end <= start || !is_kernel_map_address(start) || !is_kernel_map_address(end - 1))
		return KERN_INVALID_ADDRESS;
	s = pmap_lock(kernel_pmap);
	for (vm_offset_t va = ROUNDDOWN(start, NBPDE); va < end; va += NBPDE) {
		if (pmap_pte(kernel_pmap, va, true) == NULL) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
	}
	pmap_unlock(kernel_pmap, s);
	return kr;
}

static void
set_prot_one(pmap_t pmap, vm_offset_t va, uint64_t *pte, void *arg)
{
	vm_prot_t prot = *(vm_prot_t *)arg;
	uint64_t e = *pte & ~(PTE_W | PTE_NX);

	(void)pmap;
	(void)va;
	if (prot & VM_PROT_WRITE)
		e |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE) && kpmap.nx)
		e |= PTE_NX;
	*pte = e;
}

kern_return_t
pmap_kext_protect(vm_offset_t start, vm_offset_t end, vm_prot_t prot)
{
	boolean_t s;

	if (!page_aligned(start) || !page_aligned(end) || end <= start ||
	    !is_kext_region_address(start) || !is_kext_region_address(end - 1))
		return KERN_INVALID_ADDRESS;
	if ((prot & (VM_PROT_WRITE | VM_PROT_EXECUTE)) == (VM_PROT_WRITE | VM_PROT_EXECUTE))
		return KERN_PROTECTION_FAILURE;		/* never writable and executable */
	if (!(prot & VM_PROT_READ) || (prot & ~VM_PROT_ALL))
		return KERN_INVALID_ARGUMENT;
	s = pmap_lock(kernel_pmap);
	pmap_each_pte(kernel_pmap, start, end, set_prot_one, &prot);
	pmap_tlb_flush(kernel_pmap, start, end);
	pmap_unlock(kernel_pmap, s);
	return KERN_SUCCESS;
}

/* --- Kernel Integrity Protection: the lock ------------------------------------ */

/*
 * Replace the large page that *e maps (2 MiB or 1 GiB, at table level
 * level: 1 PDPT, 2 PD) by a table of 512 entries mapping the same memory
 * with the same attributes, one level down. Locks: kernel pmap locked.
 */
static void
physmap_split(uint64_t *e, unsigned level)
{
	uint64_t size = level == 1 ? NBPDPTE : NBPDE;
	uint64_t sub = size / 512;
	uint64_t base = *e & PTE_ADDR_MASK & ~(size - 1);
	uint64_t flags = *e & (PTE_P | PTE_W | PTE_PWT | PTE_PCD | PTE_G | PTE_NX);
	pmap_paddr_t pt = pmap_pt_alloc();
	uint64_t *table;

	/* The lock runs once, at boot: no memory for it is a broken boot. */
	if (pt == 0)
		panic("pmap_kip_lockdown: no memory for a page table");
	table = phystokv(pt);
	for (unsigned i = 0; i < 512; i++)
		table[i] = (base + i * sub) | flags | (level == 1 ? PTE_PS : 0);
	*e = pt | PTE_P | PTE_W;
}

/* Make the direct map's alias of physical page pa read-only. Locks: kernel pmap locked. */
static void
physmap_make_readonly(pmap_paddr_t pa)
{
	static const unsigned shifts[] = { 39, 30, 21, 12 };
	vm_offset_t va = PHYSMAP_BASE + pa;
	uint64_t *table = phystokv(kernel_pmap->pm_pml4);

	for (unsigned level = 0; level < 4; level++) {
		uint64_t *e = &table[(va >> shifts[level]) & 511];

		if (!(*e & PTE_P))
			panic("pmap_kip_lockdown: physical 0x%llx is not in the direct map",
			    (unsigned long long)pa);
		if (level == 3) {
			*e &= ~PTE_W;
			return;
		}
		if (level > 0 && (*e & PTE_PS))
			physmap_split(e, level);
		table = table_kv(*e);
	}
}

static void
kip_add(vm_offset_t start, vm_offset_t end)
{
	kip.ranges[kip.nranges].start = start;
	kip.ranges[kip.nranges].end = end;
	kip.nranges++;
}

void
pmap_kip_lockdown(void)
{
	const struct { vm_offset_t start, end; } locked[] = {
		{ (vm_offset_t)_text_start, (vm_offset_t)_rodata_end },
		{ (vm_offset_t)__ksyms_start, (vm_offset_t)_kernel_end },
	};
	boolean_t s;

	if (kip.locked)
		panic("pmap_kip_lockdown: the kernel is locked already");
	if (!(get_cr0() & CR0_WP))
		panic("pmap_kip_lockdown: CR0.WP is off: the kernel could write its own text");
	s = pmap_lock(kernel_pmap);
	for (unsigned i = 0; i < nitems(locked); i++) {
		for (vm_offset_t va = locked[i].start; va < locked[i].end; va += PAGE_SIZE)
			physmap_make_readonly(va - KERNEL_BASE);
		kip_add(locked[i].start, locked[i].end);
		kip_add(PHYSMAP_BASE + locked[i].start - KERNEL_BASE,
		    PHYSMAP_BASE + locked[i].end - KERNEL_BASE);
	}
	/* Every CPU drops the writable (and large, global) entries it may hold. */
	pmap_tlb_flush(kernel_pmap, PHYSMAP_BASE, PHYSMAP_BASE + ((vm_offset_t)_kernel_end -
	    KERNEL_BASE));
	__atomic_store_n(&kip.locked, true, __ATOMIC_RELEASE);
	pmap_unlock(kernel_pmap, s);
}

boolean_t
pmap_kip_locked(void)
{
	return __atomic_load_n(&kip.locked, __ATOMIC_ACQUIRE);
}

void
pmap_kip_check_wp(const char *where)
{
	if (__atomic_load_n(&kip.locked, __ATOMIC_RELAXED) && !(get_cr0() & CR0_WP))
		panic("%s: CR0.WP is off: the kernel's text and read-only data are writable "
		    "(Kernel Integrity Protection)", where);
}
