/*
 * fuzz_kxld.c - libFuzzer target for the kext linker: every input is a
 * candidate kext binary, taken through the kext manager's path (the ELF
 * reader, kxld_plan, kxld_link) and through the symbol iterators.
 *
 * What must hold, or the target aborts:
 *   - nothing crashes, reads or writes out of bounds (ASan), or overflows
 *     where C says it must not (UBSan);
 *   - every refusal comes with a message;
 *   - an accepted plan keeps kxld.h's promises: page-aligned segments in
 *     order, every section inside its segment, the whole image covered;
 *   - kxld_link writes nothing outside the image (ASan: the buffer is
 *     exactly kp_size bytes).
 *
 * Each input is linked twice: once with a resolver that knows every name
 * (the relocation paths), once with one that knows only names of even
 * length (the unresolved-symbol list, weak symbols that become 0).
 *
 * The corpus is tests/fuzz/corpus/kxld/: the unit tests' fixture kext as
 * gcc and clang build it (tests/unit/files.mk, KXLD_FIXTURE_VARIANTS).
 * `make fuzz` builds and runs this through tests/fuzz/files.mk; by hand,
 * from the top of the tree:
 *
 *	mkdir -p build/fuzz-kxld && cd build/fuzz-kxld &&
 *	clang -g -O1 -fsanitize=fuzzer-no-link,address,undefined -std=gnu11 \
 *	    -I../.. -include tests/unit/shim/kern_names.h -ffreestanding \
 *	    -c ../../libkern/{kxld,elf,string,printf}.c &&
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 -I../.. \
 *	    ../../tests/fuzz/fuzz_kxld.c ../../tests/unit/shim/shim.c \
 *	    kxld.o elf.o string.o printf.o -o fuzz_kxld &&
 *	mkdir -p corpus && ./fuzz_kxld -max_total_time=60 corpus ../../tests/fuzz/corpus/kxld
 *
 * (panic() comes from tests/unit/shim/shim.c, as for the unit tests.)
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libkern/elf.h"
#include "libkern/kxld.h"

#define FUZZ_LOAD_ADDR	0xffffffffc0000000ULL	/* where kexts go: above the kernel */
#define FUZZ_KERNEL	0xffffffff80000000ULL
#define FUZZ_MAX_IMAGE	(16ULL << 20)		/* larger images are planned, not linked */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kern_return_t
resolve_every_name(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	*addr = FUZZ_KERNEL + 0x1000 + 16 * (uint64_t)strlen(name);
	return KERN_SUCCESS;
}

static kern_return_t
resolve_even_names(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	if (strlen(name) % 2 != 0)
		return KERN_FAILURE;
	*addr = FUZZ_KERNEL + 0x2000 + 8 * (uint64_t)strlen(name);
	return KERN_SUCCESS;
}

static void
check_plan(const struct kxld_plan *plan)
{
	const struct kxld_segment *seg = plan->kp_segments;

	if (seg[KXLD_SEG_TEXT].ks_offset != 0)
		abort();
	for (int s = 0; s < KXLD_NSEGS; s++) {
		if (seg[s].ks_offset % KXLD_PAGE_SIZE != 0 || seg[s].ks_size % KXLD_PAGE_SIZE != 0)
			abort();
		if (s > 0 && seg[s].ks_offset != seg[s - 1].ks_offset + seg[s - 1].ks_size)
			abort();
	}
	if (plan->kp_size != seg[KXLD_SEG_DATA].ks_offset + seg[KXLD_SEG_DATA].ks_size)
		abort();
	for (uint32_t i = 0; i < plan->kp_nsections; i++) {
		const struct kxld_section *ks = &plan->kp_sections[i];
		const struct kxld_segment *sg = &seg[ks->ksc_seg];

		if (ks->ksc_offset < sg->ks_offset || ks->ksc_size > sg->ks_size ||
		    ks->ksc_offset - sg->ks_offset > sg->ks_size - ks->ksc_size)
			abort();
	}
	if (plan->kp_got_count > (plan->kp_size - plan->kp_got_offset) / 8 ||
	    plan->kp_init_count > (plan->kp_size - plan->kp_init_offset) / 8 ||
	    plan->kp_fini_count > (plan->kp_size - plan->kp_fini_offset) / 8)
		abort();
}

/* The iterators only read; they must not fail on what the plan accepted. */
static void
walk_symbols(const struct elf_rel *rel, const struct kxld_plan *plan)
{
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	const char *name;
	uint64_t addr, found;

	kxld_undefined_iter_init(&it, rel);
	while (kxld_undefined_next(&it, &sym)) {
		if (sym.esym_kind != ELF_SYM_UNDEF)
			abort();
	}
	kxld_export_iter_init(&it, rel, plan, FUZZ_LOAD_ADDR);
	while (kxld_export_next(&it, &sym, &addr)) {
		if (kxld_symbol_address(rel, plan, FUZZ_LOAD_ADDR, sym.esym_name, &found) !=
		    KERN_SUCCESS)
			abort();
	}
	for (uint32_t i = 0; kxld_section_address(plan, i, FUZZ_LOAD_ADDR, &name, &addr); i++) {
		if (addr - FUZZ_LOAD_ADDR > plan->kp_size)
			abort();
	}
}

static void
link_once(const struct elf_rel *rel, const struct kxld_plan *plan, kxld_resolve_fn resolve)
{
	char err[KXLD_ERRLEN];
	uint8_t *image = calloc(1, plan->kp_size > 0 ? plan->kp_size : 1);

	if (image == NULL)
		abort();
	err[0] = '\0';
	if (kxld_link(rel, plan, image, FUZZ_LOAD_ADDR, resolve, NULL, err, sizeof(err)) !=
	    KERN_SUCCESS && err[0] == '\0')
		abort();
	free(image);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kxld_plan plan;	/* 5 KiB: off the stack */
	struct elf_rel rel;
	char err[KXLD_ERRLEN];

	if (elf_rel_open(&rel, data, size, err, sizeof(err)) != KERN_SUCCESS)
		return 0;
	err[0] = '\0';
	if (kxld_plan(&rel, &plan, err, sizeof(err)) != KERN_SUCCESS) {
		if (err[0] == '\0')
			abort();
		return 0;
	}
	check_plan(&plan);
	walk_symbols(&rel, &plan);
	if (plan.kp_size > FUZZ_MAX_IMAGE)
		return 0;
	link_once(&rel, &plan, resolve_every_name);
	link_once(&rel, &plan, resolve_even_names);
	return 0;
}
