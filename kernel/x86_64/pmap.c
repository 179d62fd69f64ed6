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
 * and nothing else: page zero and the identity map are gone, so a NULL
 * pointer faults. Page-table pages come from vm_phys below 4 GiB (reached
 * through the loader's physmap alias while the new tables are built).
 */

#include "mach/vm/pmap.h"

#include <stdbool.h>

#include "kernel/debug.h"
#include "kernel/console.h"
#include "kernel/memmap.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/string.h"
#include "mach/vm/vm_phys.h"

#define MAX_HIGH_RANGES	32

extern const char _boot_phys_start[], _kernel_start[], _kernel_end[];
extern const char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern const char _data_start[], _data_end[];

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

	set_cr3(pml4);
	set_cr4(get_cr4() | CR4_PGE);
	kpmap.pml4 = pml4;
	kpmap.bootstrapped = true;
	return pml4;
}

void
pmap_kernel_image_phys(pmap_paddr_t *start, pmap_paddr_t *end)
{
	*start = (pmap_paddr_t)(uintptr_t)_boot_phys_start;
	*end = (pmap_paddr_t)((uintptr_t)_kernel_end - KERNEL_BASE);
}

/*
 * Walk the current page tables for va: the protection, and the physical
 * address in *pa. Never faults: tables are read through the direct map.
 */
static vm_prot_t
pmap_walk(vm_offset_t va, pmap_paddr_t *pa)
{
	static const unsigned shifts[] = { 39, 30, 21, 12 };
	uint64_t *table = phystokv(get_cr3() & PTE_ADDR_MASK);
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
	return pmap_walk(va, NULL);
}

pmap_paddr_t
kvtophys(vm_offset_t va)
{
	pmap_paddr_t pa = 0;

	if (va >= PHYSMAP_BASE && va < PHYSMAP_BASE + (1ULL << 46))
		return va - PHYSMAP_BASE;
	if (va >= KERNEL_BASE)
		return va - KERNEL_BASE;
	(void)pmap_walk(va, &pa);
	return pa;
}
