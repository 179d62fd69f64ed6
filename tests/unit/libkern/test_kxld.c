/*
 * test_kxld.c - libkern/kxld.c: planning, linking and refusing kexts.
 *
 * The kext is tests/unit/libkern/kxld_fixtures/ (two C files, ld -r'd into
 * one object), built by gcc and by clang in the kernel code model at -O0
 * and -O2, with -fno-plt, and as PIC (KXLD_FIXTURE_DIR; variants in
 * tests/unit/files.mk). Each is linked into a heap buffer as if it were
 * loaded at KEXT_BASE, with a resolver that places "the kernel" at
 * KERNEL_BASE, and then every relocation is read back and checked with this
 * file's own arithmetic. The PIC variants are also linked into executable
 * memory and run, calling back into this test. Refusals are made by
 * patching the fixtures; random patches and truncations check that nothing
 * a bad object does gets past a refusal with a message.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "libkern/elf.h"
#include "libkern/kxld.h"
#include "tests/unit/libkern/kxld_fixtures/kxld_fixture.h"

#ifndef KXLD_FIXTURE_DIR
#error "KXLD_FIXTURE_DIR must name the directory of the built fixtures"
#endif

#define KEXT_BASE	0xffffffffc0000000ULL
#define KERNEL_BASE	0xffffffff80200000ULL

static const char *const kernel_variants[] = {
	"gcc_O0", "gcc_O2", "gcc_noplt", "clang_O0", "clang_O2", "clang_noplt",
};
static const char *const all_variants[] = {
	"gcc_O0", "gcc_O2", "gcc_noplt", "gcc_pic", "clang_O0", "clang_O2", "clang_noplt",
	"clang_pic",
};

/* --- the fixture, opened -------------------------------------------------------- */

struct fixture {
	const char	*fx_name;
	uint8_t		*fx_buf;
	size_t		fx_len;
	struct elf_rel	fx_rel;
	struct elf_rel	fx_pristine;	/* as first opened, to find headers to patch */
	struct kxld_plan fx_plan;
	uint8_t		*fx_image;
};

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	cr_assert_not_null(f, "%s: cannot open (was it built?)", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_gt(n, 0, "%s is empty", path);
	rewind(f);
	buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Read the variant, open it and plan it; both must succeed. */
static void
fixture_open(struct fixture *fx, const char *variant)
{
	char path[256], err[KXLD_ERRLEN];

	memset(fx, 0, sizeof(*fx));
	fx->fx_name = variant;
	snprintf(path, sizeof(path), "%s/%s.o", KXLD_FIXTURE_DIR, variant);
	fx->fx_buf = slurp(path, &fx->fx_len);
	cr_assert_eq(elf_rel_open(&fx->fx_rel, fx->fx_buf, fx->fx_len, err, sizeof(err)),
	    KERN_SUCCESS, "%s: %s", variant, err);
	cr_assert_eq(kxld_plan(&fx->fx_rel, &fx->fx_plan, err, sizeof(err)), KERN_SUCCESS,
	    "%s: %s", variant, err);
	fx->fx_pristine = fx->fx_rel;
}

static void
fixture_close(struct fixture *fx)
{
	free(fx->fx_image);
	free(fx->fx_buf);
}

/* --- the resolver ------------------------------------------------------------------ */

struct resolver {
	const char	*rs_names[8];
	uint64_t	rs_addrs[8];
	unsigned	rs_count;
	unsigned	rs_calls;
};

static kern_return_t
resolve(void *ctx, const char *name, uint64_t *addr)
{
	struct resolver *rs = ctx;

	rs->rs_calls++;
	for (unsigned i = 0; i < rs->rs_count; i++) {
		if (strcmp(rs->rs_names[i], name) == 0) {
			*addr = rs->rs_addrs[i];
			return KERN_SUCCESS;
		}
	}
	return KERN_FAILURE;
}

static void
resolver_add(struct resolver *rs, const char *name, uint64_t addr)
{
	cr_assert_lt(rs->rs_count, 8);
	rs->rs_names[rs->rs_count] = name;
	rs->rs_addrs[rs->rs_count++] = addr;
}

/* The kernel's symbols at made-up addresses; kernel_optional only if asked. */
static void
resolver_kernel(struct resolver *rs, bool with_optional)
{
	memset(rs, 0, sizeof(*rs));
	resolver_add(rs, "kernel_counter", KERNEL_BASE + 0x1000);
	resolver_add(rs, "kernel_last_string", KERNEL_BASE + 0x1008);
	resolver_add(rs, "kernel_log", KERNEL_BASE + 0x40);
	resolver_add(rs, "kernel_add", KERNEL_BASE + 0x80);
	if (with_optional)
		resolver_add(rs, "kernel_optional", KERNEL_BASE + 0xc0);
}

/* Every name resolves, to an address made from its first byte. */
static kern_return_t
resolve_all(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	*addr = KERNEL_BASE + (uint64_t)(unsigned char)name[0] * 16;
	return KERN_SUCCESS;
}

static kern_return_t
fixture_link(struct fixture *fx, uint64_t load, kxld_resolve_fn fn, void *ctx, char *err,
    size_t errlen)
{
	free(fx->fx_image);
	fx->fx_image = calloc(1, fx->fx_plan.kp_size > 0 ? fx->fx_plan.kp_size : 1);
	cr_assert_not_null(fx->fx_image);
	return kxld_link(&fx->fx_rel, &fx->fx_plan, fx->fx_image, load, fn, ctx, err, errlen);
}

static void
fixture_link_ok(struct fixture *fx, struct resolver *rs)
{
	char err[KXLD_ERRLEN];

	cr_assert_eq(fixture_link(fx, KEXT_BASE, resolve, rs, err, sizeof(err)), KERN_SUCCESS,
	    "%s: %s", fx->fx_name, err);
}

/* --- what a plan promises ------------------------------------------------------------ */

static bool
contains(const uint8_t *hay, uint64_t len, const char *needle)
{
	size_t n = strlen(needle) + 1;

	for (uint64_t i = 0; n <= len && i <= len - n; i++) {
		if (memcmp(hay + i, needle, n) == 0)
			return true;
	}
	return false;
}

/* Every invariant of kxld.h's plan, against the object it was made from. */
static void
check_plan(const struct elf_rel *rel, const struct kxld_plan *plan, const char *what)
{
	const struct kxld_segment *seg = plan->kp_segments;
	struct elf_section sec;
	uint64_t prev_index = 0;

	cr_assert_eq(seg[KXLD_SEG_TEXT].ks_offset, 0, "%s", what);
	for (int s = 0; s < KXLD_NSEGS; s++) {
		cr_assert_eq(seg[s].ks_offset % KXLD_PAGE_SIZE, 0, "%s: segment %d", what, s);
		cr_assert_eq(seg[s].ks_size % KXLD_PAGE_SIZE, 0, "%s: segment %d", what, s);
		if (s > 0)
			cr_assert_eq(seg[s].ks_offset, seg[s - 1].ks_offset + seg[s - 1].ks_size,
			    "%s: segment %d", what, s);
	}
	cr_assert_eq(plan->kp_size, seg[KXLD_SEG_DATA].ks_offset + seg[KXLD_SEG_DATA].ks_size,
	    "%s", what);
	cr_assert_leq(plan->kp_nsections, KXLD_MAX_SECTIONS, "%s", what);
	for (uint32_t i = 0; i < plan->kp_nsections; i++) {
		const struct kxld_section *ks = &plan->kp_sections[i];
		const struct kxld_segment *sg = &seg[ks->ksc_seg];

		cr_assert_gt(ks->ksc_index, prev_index, "%s: sections out of order", what);
		prev_index = ks->ksc_index;
		cr_assert(elf_rel_section(rel, ks->ksc_index, &sec), "%s", what);
		cr_assert(sec.esh_flags & SHF_ALLOC, "%s: %s", what, sec.esh_name);
		cr_assert_str_eq(ks->ksc_name, sec.esh_name, "%s", what);
		cr_assert_eq(ks->ksc_size, sec.esh_size, "%s", what);
		cr_assert_eq(ks->ksc_offset % sec.esh_align, 0, "%s: %s misaligned", what, sec.esh_name);
		cr_assert(ks->ksc_offset >= sg->ks_offset &&
		    ks->ksc_offset + ks->ksc_size <= sg->ks_offset + sg->ks_size,
		    "%s: %s outside its segment", what, sec.esh_name);
		cr_assert_eq(ks->ksc_seg == KXLD_SEG_TEXT, (sec.esh_flags & SHF_EXECINSTR) != 0,
		    "%s: %s", what, sec.esh_name);
		cr_assert_eq(ks->ksc_seg == KXLD_SEG_DATA, (sec.esh_flags & SHF_WRITE) != 0,
		    "%s: %s", what, sec.esh_name);
		for (uint32_t j = 0; j < i; j++) {
			const struct kxld_section *o = &plan->kp_sections[j];

			cr_assert(o->ksc_size == 0 || ks->ksc_size == 0 ||
			    o->ksc_offset + o->ksc_size <= ks->ksc_offset ||
			    ks->ksc_offset + ks->ksc_size <= o->ksc_offset,
			    "%s: %s and %s overlap", what, o->ksc_name, ks->ksc_name);
		}
	}
	cr_assert(plan->kp_got_offset % 8 == 0 && plan->kp_got_offset >= seg[KXLD_SEG_DATA].ks_offset &&
	    plan->kp_got_offset + 8 * plan->kp_got_count <= plan->kp_size, "%s: GOT", what);
	cr_assert(plan->kp_common_offset >= seg[KXLD_SEG_DATA].ks_offset &&
	    plan->kp_common_offset + plan->kp_common_size <= plan->kp_size, "%s: COMMON", what);
	cr_assert(plan->kp_init_count == 0 || (plan->kp_init_offset >= seg[KXLD_SEG_DATA].ks_offset &&
	    plan->kp_init_offset + 8 * plan->kp_init_count <= plan->kp_size), "%s: init", what);
	cr_assert(plan->kp_fini_count == 0 || (plan->kp_fini_offset >= seg[KXLD_SEG_DATA].ks_offset &&
	    plan->kp_fini_offset + 8 * plan->kp_fini_count <= plan->kp_size), "%s: fini", what);
}

/* --- reading the image back ----------------------------------------------------------- */

static uint64_t
get_le(const uint8_t *p, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t
sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

static const struct kxld_section *
placed(const struct kxld_plan *plan, uint32_t index)
{
	for (uint32_t i = 0; i < plan->kp_nsections; i++) {
		if (plan->kp_sections[i].ksc_index == index)
			return &plan->kp_sections[i];
	}
	return NULL;
}

/* S, worked out here: sections from the plan, imports from the resolver's table. */
static uint64_t
expected_symbol(const struct fixture *fx, const struct resolver *rs, uint64_t load, uint32_t index)
{
	struct elf_symbol sym;
	const struct kxld_section *ks;
	uint64_t addr;

	if (index == 0)
		return 0;
	cr_assert(elf_rel_symbol(&fx->fx_rel, index, &sym));
	switch (sym.esym_kind) {
	case ELF_SYM_UNDEF:
		if (strcmp(sym.esym_name, "_GLOBAL_OFFSET_TABLE_") == 0)
			return load + fx->fx_plan.kp_got_offset;
		for (unsigned i = 0; i < rs->rs_count; i++) {
			if (strcmp(rs->rs_names[i], sym.esym_name) == 0)
				return rs->rs_addrs[i];
		}
		cr_assert_eq(sym.esym_bind, STB_WEAK, "%s: %s", fx->fx_name, sym.esym_name);
		return 0;
	case ELF_SYM_COMMON:
		cr_assert_eq(kxld_symbol_address(&fx->fx_rel, &fx->fx_plan, load, sym.esym_name, &addr),
		    KERN_SUCCESS);
		return addr;
	case ELF_SYM_ABS:
		return sym.esym_value;
	default:
		ks = placed(&fx->fx_plan, sym.esym_shndx);
		cr_assert_not_null(ks, "%s: symbol %u in an unplaced section", fx->fx_name, index);
		return load + ks->ksc_offset + sym.esym_value;
	}
}

/*
 * Every relocation in a loaded section, read back from the image: the
 * field holds what the psABI says (S + A, S + A - P, or for the GOT kinds
 * the displacement to an 8-byte slot in the GOT that holds S). Returns how
 * many were checked.
 */
static unsigned
check_relocations(const struct fixture *fx, const struct resolver *rs, uint64_t load)
{
	const struct kxld_plan *plan = &fx->fx_plan;
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	struct elf_section target;
	unsigned n = 0;

	elf_rel_reloc_iter_init(&it, &fx->fx_rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		const struct kxld_section *ks = placed(plan, rl.erl_target);
		uint64_t s, a = (uint64_t)rl.erl_addend, p, field, slot;
		const uint8_t *where;

		cr_assert(elf_rel_section(&fx->fx_rel, rl.erl_target, &target));
		if ((target.esh_flags & SHF_ALLOC) == 0) {
			cr_assert_null(ks);
			continue;
		}
		cr_assert_not_null(ks);
		s = expected_symbol(fx, rs, load, rl.erl_sym);
		p = load + ks->ksc_offset + rl.erl_offset;
		where = fx->fx_image + ks->ksc_offset + rl.erl_offset;
		field = get_le(where, rl.erl_width);
		switch (rl.erl_type) {
		case R_X86_64_64:
			cr_assert_eq(field, s + a, "%s: %s %llu", fx->fx_name, rl.erl_type_name,
			    (unsigned long long)rl.erl_index);
			break;
		case R_X86_64_32S:
			cr_assert_eq(sext32(field), s + a, "%s: 32S %llu", fx->fx_name,
			    (unsigned long long)rl.erl_index);
			break;
		case R_X86_64_32:
			cr_assert_eq(field, s + a, "%s: 32 %llu", fx->fx_name,
			    (unsigned long long)rl.erl_index);
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			cr_assert_eq(sext32(field), s + a - p, "%s: %s %llu", fx->fx_name,
			    rl.erl_type_name, (unsigned long long)rl.erl_index);
			break;
		case R_X86_64_GOTPCREL:
		case R_X86_64_GOTPCRELX:
		case R_X86_64_REX_GOTPCRELX:
			slot = sext32(field) + p - a;
			cr_assert(slot >= load + plan->kp_got_offset &&
			    slot < load + plan->kp_got_offset + 8 * plan->kp_got_count &&
			    (slot - load) % 8 == 0, "%s: %s %llu: slot 0x%llx", fx->fx_name,
			    rl.erl_type_name, (unsigned long long)rl.erl_index, (unsigned long long)slot);
			cr_assert_eq(get_le(fx->fx_image + (slot - load), 8), s, "%s: GOT slot",
			    fx->fx_name);
			break;
		default:
			cr_assert_fail("%s: unexpected %s", fx->fx_name, rl.erl_type_name);
		}
		n++;
	}
	return n;
}

static uint64_t
export_address(const struct fixture *fx, uint64_t load, const char *name)
{
	uint64_t addr = 0;

	cr_assert_eq(kxld_symbol_address(&fx->fx_rel, &fx->fx_plan, load, name, &addr),
	    KERN_SUCCESS, "%s: %s is not exported", fx->fx_name, name);
	return addr;
}

static uint8_t *
at(const struct fixture *fx, uint64_t load, uint64_t addr, uint64_t size)
{
	cr_assert(addr >= load && addr - load <= fx->fx_plan.kp_size &&
	    size <= fx->fx_plan.kp_size - (addr - load), "%s: 0x%llx outside the image",
	    fx->fx_name, (unsigned long long)addr);
	return fx->fx_image + (addr - load);
}

static bool
in_segment(const struct kxld_plan *plan, enum kxld_seg s, uint64_t load, uint64_t addr)
{
	return addr >= load + plan->kp_segments[s].ks_offset &&
	    addr < load + plan->kp_segments[s].ks_offset + plan->kp_segments[s].ks_size;
}

/* --- planning and linking ------------------------------------------------------------ */

Test(kxld_plan, every_fixture_is_laid_out_in_three_segments)
{
	struct fixture fx;
	struct elf_section sec;

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		check_plan(&fx.fx_rel, &fx.fx_plan, fx.fx_name);
		cr_assert_gt(fx.fx_plan.kp_segments[KXLD_SEG_TEXT].ks_size, 0, "%s", fx.fx_name);
		cr_assert_gt(fx.fx_plan.kp_segments[KXLD_SEG_RODATA].ks_size, 0, "%s", fx.fx_name);
		cr_assert_gt(fx.fx_plan.kp_segments[KXLD_SEG_DATA].ks_size, 0, "%s", fx.fx_name);
		cr_assert_eq(fx.fx_plan.kp_init_count, 2, "%s: two constructors", fx.fx_name);
		cr_assert_eq(fx.fx_plan.kp_fini_count, 1, "%s: one destructor", fx.fx_name);
		/* -fcommon: fixture_common and fixture_ctor_ran */
		cr_assert_eq(fx.fx_plan.kp_common_size, 2 * sizeof(int), "%s: COMMON", fx.fx_name);
		/* Debugging sections are not loaded. */
		if (elf_rel_find_section(&fx.fx_rel, ".debug_info", &sec))
			cr_assert_null(placed(&fx.fx_plan, sec.esh_index), "%s", fx.fx_name);
		fixture_close(&fx);
	}
}

Test(kxld_plan, got_slots_only_when_got_relocations_need_them)
{
	struct fixture fx;

	fixture_open(&fx, "gcc_O2");
	cr_assert_eq(fx.fx_plan.kp_got_count, 0);
	fixture_close(&fx);
	fixture_open(&fx, "clang_noplt");
	cr_assert_gt(fx.fx_plan.kp_got_count, 0);
	fixture_close(&fx);
}

Test(kxld_link, every_relocation_reads_back)
{
	struct fixture fx;
	struct resolver rs;

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		for (int optional = 0; optional < 2; optional++) {
			fixture_open(&fx, all_variants[v]);
			resolver_kernel(&rs, optional);
			fixture_link_ok(&fx, &rs);
			cr_assert_gt(check_relocations(&fx, &rs, KEXT_BASE), 20, "%s", fx.fx_name);
			fixture_close(&fx);
		}
	}
}

Test(kxld_link, kmod_info_and_function_pointers_hold_final_addresses)
{
	struct fixture fx;
	struct resolver rs;
	struct fixture_kmod_info ki;
	uint64_t ops[3];

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		resolver_kernel(&rs, false);
		fixture_link_ok(&fx, &rs);
		memcpy(&ki, at(&fx, KEXT_BASE, export_address(&fx, KEXT_BASE, "kmod_info"), sizeof(ki)),
		    sizeof(ki));
		cr_assert_str_eq(ki.name, "org.machina.test.fixture", "%s", fx.fx_name);
		cr_assert_eq(ki.version, 0x10203);
		cr_assert_eq((uint64_t)(uintptr_t)ki.start, export_address(&fx, KEXT_BASE, "fixture_start"),
		    "%s", fx.fx_name);
		cr_assert_eq((uint64_t)(uintptr_t)ki.stop, export_address(&fx, KEXT_BASE, "fixture_stop"));
		cr_assert(in_segment(&fx.fx_plan, KXLD_SEG_TEXT, KEXT_BASE, (uint64_t)(uintptr_t)ki.start));
		cr_assert(in_segment(&fx.fx_plan, KXLD_SEG_DATA, KEXT_BASE,
		    export_address(&fx, KEXT_BASE, "kmod_info")));
		memcpy(ops, at(&fx, KEXT_BASE, export_address(&fx, KEXT_BASE, "fixture_ops"), sizeof(ops)),
		    sizeof(ops));
		if (strstr(fx.fx_name, "pic") == NULL)	/* PIC puts them in .data.rel.ro */
			cr_assert(in_segment(&fx.fx_plan, KXLD_SEG_RODATA, KEXT_BASE,
			    export_address(&fx, KEXT_BASE, "fixture_ops")), "%s: const pointers",
			    fx.fx_name);
		cr_assert_eq(ops[0], export_address(&fx, KEXT_BASE, "fixture_util_twice"), "%s", fx.fx_name);
		cr_assert_eq(ops[1], export_address(&fx, KEXT_BASE, "fixture_classify"));
		cr_assert_eq(ops[2], export_address(&fx, KEXT_BASE, "fixture_util_store"));
		fixture_close(&fx);
	}
}

/* A call's displacement plus the next instruction's address is the callee. */
Test(kxld_link, calls_into_the_kernel_reach_their_targets)
{
	struct fixture fx;
	struct resolver rs;
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	struct elf_symbol sym;
	unsigned calls;

	for (size_t v = 0; v < sizeof(kernel_variants) / sizeof(kernel_variants[0]); v++) {
		fixture_open(&fx, kernel_variants[v]);
		resolver_kernel(&rs, true);
		fixture_link_ok(&fx, &rs);
		calls = 0;
		elf_rel_reloc_iter_init(&it, &fx.fx_rel, ELF_RELOC_ALL);
		while (elf_rel_reloc_next(&it, &rl)) {
			const struct kxld_section *ks = placed(&fx.fx_plan, rl.erl_target);
			uint64_t p, next;

			elf_rel_symbol(&fx.fx_rel, rl.erl_sym, &sym);
			if (ks == NULL || rl.erl_type != R_X86_64_PLT32 ||
			    strcmp(sym.esym_name, "kernel_log") != 0)
				continue;
			cr_assert_eq(rl.erl_addend, -4);
			p = KEXT_BASE + ks->ksc_offset + rl.erl_offset;
			next = p + 4;
			cr_assert(fx.fx_image[ks->ksc_offset + rl.erl_offset - 1] == 0xe8 ||
			    fx.fx_image[ks->ksc_offset + rl.erl_offset - 1] == 0xe9,
			    "%s: a call or a jmp", fx.fx_name);
			cr_assert_eq(next + sext32(get_le(fx.fx_image + ks->ksc_offset + rl.erl_offset, 4)),
			    KERNEL_BASE + 0x40, "%s", fx.fx_name);
			calls++;
		}
		if (strstr(kernel_variants[v], "noplt") == NULL)
			cr_assert_geq(calls, 1, "%s: no call to kernel_log", fx.fx_name);
		fixture_close(&fx);
	}
}

Test(kxld_link, sections_are_copied_and_bss_and_common_are_zero)
{
	struct fixture fx;
	struct resolver rs;
	uint64_t addr;

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		resolver_kernel(&rs, false);
		fixture_link_ok(&fx, &rs);
		cr_assert(contains(fx.fx_image + fx.fx_plan.kp_segments[KXLD_SEG_RODATA].ks_offset,
		    fx.fx_plan.kp_segments[KXLD_SEG_RODATA].ks_size, "hello from the fixture kext"),
		    "%s: string literal", fx.fx_name);
		addr = export_address(&fx, KEXT_BASE, "fixture_common");
		cr_assert(addr >= KEXT_BASE + fx.fx_plan.kp_common_offset &&
		    addr < KEXT_BASE + fx.fx_plan.kp_common_offset + fx.fx_plan.kp_common_size);
		cr_assert_eq(get_le(at(&fx, KEXT_BASE, addr, 4), 4), 0);
		addr = export_address(&fx, KEXT_BASE, "fixture_ctor_ran");
		cr_assert(in_segment(&fx.fx_plan, KXLD_SEG_DATA, KEXT_BASE, addr));
		cr_assert_eq(get_le(at(&fx, KEXT_BASE, addr, 4), 4), 0);
		/* Constructors and destructor: pointers into text. */
		for (uint64_t i = 0; i < fx.fx_plan.kp_init_count; i++) {
			addr = get_le(fx.fx_image + fx.fx_plan.kp_init_offset + 8 * i, 8);
			cr_assert(in_segment(&fx.fx_plan, KXLD_SEG_TEXT, KEXT_BASE, addr), "%s", fx.fx_name);
		}
		addr = get_le(fx.fx_image + fx.fx_plan.kp_fini_offset, 8);
		cr_assert(in_segment(&fx.fx_plan, KXLD_SEG_TEXT, KEXT_BASE, addr), "%s", fx.fx_name);
		fixture_close(&fx);
	}
}

Test(kxld_link, resolver_is_asked_about_every_import)
{
	struct fixture fx;
	struct resolver rs;

	fixture_open(&fx, "gcc_O2");
	resolver_kernel(&rs, false);
	fixture_link_ok(&fx, &rs);
	cr_assert_geq(rs.rs_calls, 5);
	fixture_close(&fx);
}

/* --- symbols -------------------------------------------------------------------------- */

Test(kxld_symbols, undefined_iterator_lists_the_imports)
{
	static const char *const want[] = {
		"kernel_add", "kernel_counter", "kernel_last_string", "kernel_log", "kernel_optional",
	};
	struct fixture fx;
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	unsigned seen, n;

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		seen = 0;
		n = 0;
		kxld_undefined_iter_init(&it, &fx.fx_rel);
		while (kxld_undefined_next(&it, &sym)) {
			bool found = false;

			for (unsigned i = 0; i < 5; i++) {
				if (strcmp(sym.esym_name, want[i]) == 0) {
					cr_assert_eq(seen & (1u << i), 0, "%s: %s twice", fx.fx_name, want[i]);
					seen |= 1u << i;
					found = true;
				}
			}
			cr_assert(found, "%s: unexpected import %s", fx.fx_name, sym.esym_name);
			cr_assert_eq(sym.esym_kind, ELF_SYM_UNDEF);
			cr_assert_eq(sym.esym_bind, strcmp(sym.esym_name, "kernel_optional") == 0 ?
			    STB_WEAK : STB_GLOBAL);
			n++;
		}
		cr_assert_eq(seen, 0x1f, "%s: imports 0x%x", fx.fx_name, seen);
		cr_assert_eq(n, 5);
		fixture_close(&fx);
	}
}

Test(kxld_symbols, exports_are_the_global_definitions)
{
	struct fixture fx;
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	uint64_t addr;
	unsigned n = 0;

	fixture_open(&fx, "clang_O2");
	kxld_export_iter_init(&it, &fx.fx_rel, &fx.fx_plan, KEXT_BASE);
	while (kxld_export_next(&it, &sym, &addr)) {
		cr_assert_neq(sym.esym_bind, STB_LOCAL);
		cr_assert_neq(sym.esym_kind, ELF_SYM_UNDEF);
		cr_assert(addr >= KEXT_BASE && addr < KEXT_BASE + fx.fx_plan.kp_size, "%s", sym.esym_name);
		n++;
	}
	/* kmod_info, fixture_ctor_ran, fixture_ops, fixture_common, 10 functions */
	cr_assert_eq(n, 4 + 10, "%u exports", n);
	cr_assert_eq(kxld_symbol_address(&fx.fx_rel, &fx.fx_plan, KEXT_BASE, "main_static", &addr),
	    KERN_NOT_FOUND);
	cr_assert_eq(kxld_symbol_address(&fx.fx_rel, &fx.fx_plan, KEXT_BASE, "kernel_log", &addr),
	    KERN_NOT_FOUND);
	cr_assert_eq(kxld_symbol_address(&fx.fx_rel, &fx.fx_plan, KEXT_BASE, "", &addr),
	    KERN_NOT_FOUND);
	fixture_close(&fx);
}

Test(kxld_symbols, sections_have_addresses_for_the_debugger)
{
	struct fixture fx;
	const char *name;
	uint64_t addr;
	bool text = false, data = false, bss = false;

	fixture_open(&fx, "gcc_O2");
	for (uint32_t i = 0; kxld_section_address(&fx.fx_plan, i, KEXT_BASE, &name, &addr); i++) {
		cr_assert(addr >= KEXT_BASE && addr <= KEXT_BASE + fx.fx_plan.kp_size);
		if (strcmp(name, ".text") == 0) {
			cr_assert_eq(addr, KEXT_BASE);
			text = true;
		}
		if (strcmp(name, ".data") == 0)
			data = in_segment(&fx.fx_plan, KXLD_SEG_DATA, KEXT_BASE, addr);
		if (strcmp(name, ".bss") == 0)
			bss = in_segment(&fx.fx_plan, KXLD_SEG_DATA, KEXT_BASE, addr);
	}
	cr_assert(text && data && bss);
	cr_assert(!kxld_section_address(&fx.fx_plan, fx.fx_plan.kp_nsections, KEXT_BASE, &name, &addr));
	fixture_close(&fx);
}

/* --- running a linked kext on the host ---------------------------------------------- */

/* "The kernel", as the PIC fixture sees it through the resolver. */
static int host_counter;
static const char *host_last_string;
static const char *host_log_msg;
static int host_log_value;

static int
host_log(const char *msg, int value)
{
	host_log_msg = msg;
	host_log_value = value;
	return 1000 + value;
}

static int
host_add(int a, int b)
{
	return a + b;
}

static int
host_optional(int x)
{
	return x * 3;
}

static void
resolver_host(struct resolver *rs, bool with_optional)
{
	memset(rs, 0, sizeof(*rs));
	resolver_add(rs, "kernel_counter", (uint64_t)(uintptr_t)&host_counter);
	resolver_add(rs, "kernel_last_string", (uint64_t)(uintptr_t)&host_last_string);
	resolver_add(rs, "kernel_log", (uint64_t)(uintptr_t)host_log);
	resolver_add(rs, "kernel_add", (uint64_t)(uintptr_t)host_add);
	if (with_optional)
		resolver_add(rs, "kernel_optional", (uint64_t)(uintptr_t)host_optional);
}

typedef int (*int_fn)(int);
typedef int (*void_fn)(void);
typedef const char *(*str_fn)(void);

/*
 * Link the PIC fixture into fresh memory, protect it as the kext manager
 * will (text RX, rodata R, data RW), run its constructor, and call it.
 */
static void
run_pic_fixture(const char *variant, bool with_optional)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];
	const struct kxld_segment *seg;
	uint8_t *mem;
	uint64_t load, ctor;
	struct fixture_kmod_info *ki;

	fixture_open(&fx, variant);
	resolver_host(&rs, with_optional);
	mem = mmap(NULL, fx.fx_plan.kp_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(mem, MAP_FAILED);
	load = (uint64_t)(uintptr_t)mem;
	cr_assert_eq(kxld_link(&fx.fx_rel, &fx.fx_plan, mem, load, resolve, &rs, err, sizeof(err)),
	    KERN_SUCCESS, "%s: %s", variant, err);
	seg = fx.fx_plan.kp_segments;
	cr_assert_eq(mprotect(mem, seg[KXLD_SEG_TEXT].ks_size, PROT_READ | PROT_EXEC), 0);
	if (seg[KXLD_SEG_RODATA].ks_size > 0)
		cr_assert_eq(mprotect(mem + seg[KXLD_SEG_RODATA].ks_offset,
		    seg[KXLD_SEG_RODATA].ks_size, PROT_READ), 0);

	host_counter = 10;
	host_last_string = NULL;
	for (uint64_t i = 0; i < fx.fx_plan.kp_init_count; i++) {
		memcpy(&ctor, mem + fx.fx_plan.kp_init_offset + 8 * i, 8);
		((void (*)(void))(uintptr_t)ctor)();
	}
	ki = (struct fixture_kmod_info *)(uintptr_t)export_address(&fx, load, "kmod_info");
	cr_assert_str_eq(ki->name, "org.machina.test.fixture");
	cr_assert_eq(ki->start(7), 1000 + 7 + 5, "%s", variant);
	cr_assert_str_eq(host_log_msg, "fixture started");
	cr_assert_eq(host_log_value, 12);
	cr_assert_eq(host_counter, 17);
	cr_assert_str_eq(host_last_string, "hello from the fixture kext");
	cr_assert_eq(ki->stop(1), 1 + 0x600d, "%s: the constructors ran, in order", variant);

	static const int classify[] = { 11, 22, 33, 49, 55, 66, 17, 88, -1 };
	int_fn fn = (int_fn)(uintptr_t)export_address(&fx, load, "fixture_classify");
	for (int i = 0; i < 9; i++)
		cr_assert_eq(fn(i), classify[i], "%s: classify(%d)", variant, i);
	/* twice(1) = 2 + 2; classify(2) = 33; store(3) = common += 3 */
	cr_assert_eq(((void_fn)(uintptr_t)export_address(&fx, load, "fixture_sum_table"))(), 4 + 33 + 3);
	cr_assert_eq(((void_fn)(uintptr_t)export_address(&fx, load, "fixture_bss_sum"))(), 0);
	cr_assert_eq(((void_fn)(uintptr_t)export_address(&fx, load, "fixture_bss_sum"))(), 1);
	fn = (int_fn)(uintptr_t)export_address(&fx, load, "fixture_call_optional");
	cr_assert_eq(fn(5), with_optional ? 15 : -2, "%s: weak import", variant);
	for (uint64_t i = fx.fx_plan.kp_fini_count; i-- > 0;) {
		memcpy(&ctor, mem + fx.fx_plan.kp_fini_offset + 8 * i, 8);
		((void (*)(void))(uintptr_t)ctor)();
	}
	cr_assert_eq(*(int *)(uintptr_t)export_address(&fx, load, "fixture_ctor_ran"), 0xdead,
	    "%s: the destructor ran", variant);
	cr_assert_eq(munmap(mem, fx.fx_plan.kp_size), 0);
	fixture_close(&fx);
}

Test(kxld_run, linked_pic_kext_runs_and_calls_back)
{
	run_pic_fixture("gcc_pic", true);
	run_pic_fixture("gcc_pic", false);
	run_pic_fixture("clang_pic", true);
	run_pic_fixture("clang_pic", false);
}

/* --- refusals -------------------------------------------------------------------------- */

Test(kxld_refuse, every_unresolved_symbol_is_named)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		memset(&rs, 0, sizeof(rs));
		resolver_add(&rs, "kernel_log", KERNEL_BASE);
		cr_assert_eq(fixture_link(&fx, KEXT_BASE, resolve, &rs, err, sizeof(err)), KERN_FAILURE);
		cr_assert(strncmp(err, "unresolved symbols: ", 20) == 0, "%s", err);
		cr_assert_not_null(strstr(err, "kernel_counter"), "%s", err);
		cr_assert_not_null(strstr(err, "kernel_last_string"), "%s", err);
		cr_assert_not_null(strstr(err, "kernel_add"), "%s", err);
		cr_assert_null(strstr(err, "kernel_log"), "%s", err);
		cr_assert_null(strstr(err, "kernel_optional"), "%s: weak", err);
		cr_assert_null(strstr(err, "more"), "%s", err);
		/* Nothing was written. */
		for (uint64_t i = 0; i < fx.fx_plan.kp_size; i++)
			cr_assert_eq(fx.fx_image[i], 0, "%s: byte 0x%llx written", fx.fx_name,
			    (unsigned long long)i);
		fixture_close(&fx);
	}
}

Test(kxld_refuse, a_single_unresolved_symbol)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];

	fixture_open(&fx, "gcc_O2");
	resolver_kernel(&rs, false);
	rs.rs_names[1] = "something_else";
	cr_assert_eq(fixture_link(&fx, KEXT_BASE, resolve, &rs, err, sizeof(err)), KERN_FAILURE);
	cr_assert_str_eq(err, "unresolved symbol: kernel_last_string");
	fixture_close(&fx);
}

Test(kxld_refuse, unresolved_list_is_cut_to_fit)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];
	size_t lens[] = { 40, 48, 60, 70 };

	fixture_open(&fx, "clang_O2");
	memset(&rs, 0, sizeof(rs));
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(err, 'X', sizeof(err));
		cr_assert_eq(fixture_link(&fx, KEXT_BASE, resolve, &rs, err, lens[i]), KERN_FAILURE);
		cr_assert_lt(strlen(err), lens[i], "%s", err);
		cr_assert(strncmp(err, "unresolved symbols: ", 20) == 0, "%s", err);
		cr_assert_not_null(strstr(err, " more)"), "%zu: %s", lens[i], err);
	}
	/* 20 + "kernel_counter" = 34; with room for the tail, one name fits in 60. */
	fixture_link(&fx, KEXT_BASE, resolve, &rs, err, 60);
	cr_assert(strchr(err, ',') == NULL && strstr(err, "(and 3 more)") != NULL, "%s", err);
	/* And err may be NULL. */
	cr_assert_eq(fixture_link(&fx, KEXT_BASE, resolve, &rs, NULL, 0), KERN_FAILURE);
	fixture_close(&fx);
}

Test(kxld_refuse, a_pc_relative_reference_out_of_range)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];

	fixture_open(&fx, "gcc_O2");
	resolver_kernel(&rs, false);
	rs.rs_addrs[0] = 0x7fff00001000ULL;	/* kernel_counter, far away */
	cr_assert_eq(fixture_link(&fx, KEXT_BASE, resolve, &rs, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	cr_assert(strncmp(err, "relocation ", 11) == 0, "%s", err);
	cr_assert_not_null(strstr(err, "in .rela.text (R_X86_64_PC32) against \"kernel_counter\": 0x"),
	    "%s", err);
	cr_assert_not_null(strstr(err, "does not fit in 32 signed bits"), "%s", err);
	fixture_close(&fx);
}

Test(kxld_refuse, an_absolute_32_bit_reference_out_of_range)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];

	fixture_open(&fx, "gcc_O2");
	resolver_kernel(&rs, false);
	/* Kernel and kext near each other, but above 2 GiB: PC-relative references fit, 32S do not. */
	for (unsigned i = 0; i < rs.rs_count; i++)
		rs.rs_addrs[i] = rs.rs_addrs[i] - KERNEL_BASE + 0x7fff00100000ULL;
	cr_assert_eq(fixture_link(&fx, 0x7fff00000000ULL, resolve, &rs, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(err, "(R_X86_64_32S) against "), "%s", err);
	cr_assert_not_null(strstr(err, ": 0x7fff00"), "%s", err);
	cr_assert_not_null(strstr(err, " does not fit in 32 signed bits"), "%s", err);
	fixture_close(&fx);
}

Test(kxld_refuse, a_misaligned_load_address)
{
	struct fixture fx;
	struct resolver rs;
	char err[KXLD_ERRLEN];

	fixture_open(&fx, "gcc_O2");
	resolver_kernel(&rs, false);
	cr_assert_eq(fixture_link(&fx, KEXT_BASE + 0x10, resolve, &rs, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(err, "not page-aligned"), "%s", err);
	cr_assert_eq(fixture_link(&fx, 0xfffffffffffff000ULL, resolve, &rs, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	fixture_close(&fx);
}

/* --- patched fixtures ------------------------------------------------------------------ */

/* A section header of the pristine fixture, in the file. */
static Elf64_Shdr *
shdr_of(struct fixture *fx, const char *name)
{
	struct elf_section sec;
	Elf64_Ehdr eh;

	cr_assert(elf_rel_find_section(&fx->fx_pristine, name, &sec), "%s: no %s", fx->fx_name, name);
	memcpy(&eh, fx->fx_buf, sizeof(eh));
	return (Elf64_Shdr *)(fx->fx_buf + eh.e_shoff + sec.esh_index * sizeof(Elf64_Shdr));
}

/* Reopen and replan after a patch; the result of the step that refused. */
static kern_return_t
repatched(struct fixture *fx, char *err, size_t errlen, bool *opened)
{
	struct resolver rs;
	kern_return_t kr;

	*opened = false;
	if ((kr = elf_rel_open(&fx->fx_rel, fx->fx_buf, fx->fx_len, err, errlen)) != KERN_SUCCESS)
		return kr;
	*opened = true;
	if ((kr = kxld_plan(&fx->fx_rel, &fx->fx_plan, err, errlen)) != KERN_SUCCESS)
		return kr;
	resolver_kernel(&rs, true);
	return fixture_link(fx, KEXT_BASE, resolve, &rs, err, errlen);
}

static Elf64_Rela *
rela_of(struct fixture *fx, const char *section, uint64_t j)
{
	Elf64_Shdr *sh = shdr_of(fx, section);

	cr_assert_lt(j, sh->sh_size / sizeof(Elf64_Rela));
	return (Elf64_Rela *)(fx->fx_buf + sh->sh_offset + j * sizeof(Elf64_Rela));
}

Test(kxld_refuse, relocation_types_outside_the_kernel_model)
{
	struct fixture fx;
	char err[KXLD_ERRLEN];
	bool opened;
	Elf64_Rela *r;

	fixture_open(&fx, "gcc_O2");
	r = rela_of(&fx, ".rela.text", 0);
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_SIZE32);
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_NOT_SUPPORTED, "%s", err);
	cr_assert_not_null(strstr(err, "relocation 0 in .rela.text (R_X86_64_SIZE32) against "), "%s", err);
	cr_assert_not_null(strstr(err, "type 32 is not supported"), "%s", err);
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_TPOFF32);
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_NOT_SUPPORTED, "%s", err);
	cr_assert_not_null(strstr(err, "thread-local storage"), "%s", err);
	/* A number the psABI does not have: the reader refuses it by number. */
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 200);
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_INVALID_ARGUMENT, "%s", err);
	cr_assert(!opened);
	cr_assert_not_null(strstr(err, "type 200 is not an x86-64 relocation type"), "%s", err);
	fixture_close(&fx);
}

Test(kxld_refuse, corrupt_relocations_never_reach_the_linker)
{
	struct fixture fx;
	char err[KXLD_ERRLEN];
	bool opened;
	Elf64_Rela *r, saved;

	fixture_open(&fx, "clang_O2");
	r = rela_of(&fx, ".rela.text", 1);
	saved = *r;
	r->r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r->r_info));
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_INVALID_ARGUMENT);
	cr_assert(!opened);
	cr_assert_not_null(strstr(err, "symbol index 100000 is out of range"), "%s", err);
	*r = saved;
	r->r_offset = shdr_of(&fx, ".text")->sh_size - 2;
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(err, "runs past the end of section"), "%s", err);
	*r = saved;
	shdr_of(&fx, ".rodata")->sh_offset = fx.fx_len - 4;
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_INVALID_ARGUMENT);
	cr_assert(!opened, "%s", err);
	fixture_close(&fx);
}

Test(kxld_refuse, sections_that_cannot_be_loaded)
{
	struct fixture fx;
	char err[KXLD_ERRLEN];
	bool opened;
	Elf64_Shdr *sh, saved;
	Elf64_Shdr *shstr;

	fixture_open(&fx, "gcc_O2");
	sh = shdr_of(&fx, ".text");
	saved = *sh;
	sh->sh_flags |= SHF_WRITE;
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_NOT_SUPPORTED);
	cr_assert_not_null(strstr(err, "(.text): writable code is not supported"), "%s", err);
	*sh = saved;
	sh->sh_addralign = 0x10000;
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_NOT_SUPPORTED);
	cr_assert_not_null(strstr(err, "alignment 0x10000 is more than a page"), "%s", err);
	*sh = saved;
	sh = shdr_of(&fx, ".data");
	saved = *sh;
	sh->sh_flags |= SHF_TLS;
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_NOT_SUPPORTED);
	cr_assert_not_null(strstr(err, "(.data): thread-local storage"), "%s", err);
	*sh = saved;
	/* .init_array renamed .ctors */
	sh = shdr_of(&fx, ".init_array");
	shstr = (Elf64_Shdr *)(fx.fx_buf + ((Elf64_Ehdr *)fx.fx_buf)->e_shoff +
	    ((Elf64_Ehdr *)fx.fx_buf)->e_shstrndx * sizeof(Elf64_Shdr));
	memcpy(fx.fx_buf + shstr->sh_offset + sh->sh_name, ".ctors", 7);
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_NOT_SUPPORTED);
	cr_assert_not_null(strstr(err, ".ctors and .dtors are not supported"), "%s", err);
	fixture_close(&fx);
}

Test(kxld_refuse, a_reference_into_a_section_that_is_not_loaded)
{
	struct fixture fx;
	char err[KXLD_ERRLEN];
	bool opened;
	struct elf_section rodata, comment;
	struct elf_symbol sym;
	Elf64_Shdr *symtab;
	Elf64_Sym *st;

	fixture_open(&fx, "gcc_O2");
	cr_assert(elf_rel_find_section(&fx.fx_rel, ".rodata", &rodata));
	cr_assert(elf_rel_find_section(&fx.fx_rel, ".comment", &comment));
	symtab = shdr_of(&fx, ".symtab");
	for (uint64_t i = 1; i < elf_rel_symbol_count(&fx.fx_rel); i++) {
		elf_rel_symbol(&fx.fx_rel, i, &sym);
		if (sym.esym_type != STT_SECTION || sym.esym_shndx != rodata.esh_index)
			continue;
		st = (Elf64_Sym *)(fx.fx_buf + symtab->sh_offset + i * sizeof(Elf64_Sym));
		st->st_shndx = (uint16_t)comment.esh_index;
	}
	cr_assert_eq(repatched(&fx, err, sizeof(err), &opened), KERN_INVALID_ARGUMENT, "%s", err);
	cr_assert_not_null(strstr(err, "against section .comment: the symbol is in section"), "%s", err);
	cr_assert_not_null(strstr(err, "which is not loaded"), "%s", err);
	fixture_close(&fx);
}

/* --- bad objects at random ------------------------------------------------------------- */

/*
 * The whole path on one buffer: open, plan, link. Whatever happens, a
 * refusal carries a message, and a success yields a plan that keeps every
 * promise.
 */
static void
try_object(const uint8_t *buf, size_t len, const char *what)
{
	struct elf_rel rel;
	struct kxld_plan *plan = malloc(sizeof(*plan));
	char err[KXLD_ERRLEN];
	uint8_t *copy = malloc(len > 0 ? len : 1), *image;
	kern_return_t kr;

	cr_assert(plan != NULL && copy != NULL);
	memcpy(copy, buf, len);
	err[0] = '\0';
	if (elf_rel_open(&rel, copy, len, err, sizeof(err)) != KERN_SUCCESS)
		goto out;
	if (kxld_plan(&rel, plan, err, sizeof(err)) != KERN_SUCCESS) {
		cr_assert_neq(err[0], '\0', "%s: plan refused without a message", what);
		goto out;
	}
	check_plan(&rel, plan, what);
	if (plan->kp_size > (64u << 20))
		goto out;
	image = calloc(1, plan->kp_size > 0 ? plan->kp_size : 1);
	cr_assert_not_null(image);
	err[0] = '\0';
	kr = kxld_link(&rel, plan, image, KEXT_BASE, resolve_all, NULL, err, sizeof(err));
	if (kr != KERN_SUCCESS)
		cr_assert_neq(err[0], '\0', "%s: link refused without a message", what);
	free(image);
out:
	free(copy);
	free(plan);
}

Test(kxld_fuzz, truncated_objects)
{
	struct fixture fx;
	char what[64];

	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		for (size_t len = 0; len <= fx.fx_len; len += 7) {
			snprintf(what, sizeof(what), "%s cut at %zu", fx.fx_name, len);
			try_object(fx.fx_buf, len, what);
		}
		fixture_close(&fx);
	}
}

Test(kxld_fuzz, mutated_objects)
{
	struct fixture fx;
	struct test_rand r;
	char what[96];
	uint8_t *buf;

	test_rand_seed(&r, 0x6b786c64);
	for (size_t v = 0; v < sizeof(all_variants) / sizeof(all_variants[0]); v++) {
		fixture_open(&fx, all_variants[v]);
		buf = malloc(fx.fx_len);
		cr_assert_not_null(buf);
		for (int step = 0; step < 1500; step++) {
			int flips = 1 + (int)(test_rand_next(&r) % 4);

			memcpy(buf, fx.fx_buf, fx.fx_len);
			for (int f = 0; f < flips; f++) {
				uint64_t x = test_rand_next(&r);

				buf[x % fx.fx_len] = (uint8_t)(x >> 32);
			}
			snprintf(what, sizeof(what), "%s step %d (seed 0x6b786c64)", fx.fx_name, step);
			try_object(buf, fx.fx_len, what);
		}
		free(buf);
		fixture_close(&fx);
	}
}
