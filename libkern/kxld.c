/*
 * kxld.c - the kext linker's core: planning an object's image, resolving
 * its symbols and applying its RELA relocations.
 *
 * The code is structured as follows:
 *
 *   plan_*	one pass over the section headers picks the SHF_ALLOC
 *		sections and refuses what cannot be loaded; a pass over the
 *		relocations counts GOT slots; then each section is given its
 *		place, rank by rank (text; rodata; data with contents;
 *		constructors; destructors; the GOT; .bss; COMMON symbols)
 *   link_*	resolve every undefined symbol and list the ones that do
 *		not resolve; compute and range-check every relocation
 *		without writing; then copy the sections and apply the
 *		relocations for real, which can no longer fail on the
 *		object's account
 *   kxld_*_iter, kxld_symbol_address
 *		the object's imports and exports
 *
 * The object was checked from end to end by elf_rel_open(): every index,
 * offset and name the reader hands out is good, and every relocation's
 * field lies inside its section. What is checked here is what only a
 * linker knows: sizes that must add up without wrapping, values that must
 * fit their fields, symbols that must exist.
 *
 * All arithmetic on addresses is modulo 2^64, as the processor's is: a
 * PC-relative displacement is checked as the signed difference the
 * processor will add to the instruction's address.
 */

#include "libkern/kxld.h"

#include <stdarg.h>

#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/printf.h"
#include "libkern/string.h"

#define KXLD_PAGE_MASK		(KXLD_PAGE_SIZE - 1)
#define KXLD_ROUND_PAGE(x)	(((x) + KXLD_PAGE_MASK) & ~KXLD_PAGE_MASK)
#define KXLD_MAX_IMAGE		0x40000000ULL	/* 1 GiB: kexts share 2 GiB with the kernel */
#define KXLD_NAME_MAX		64		/* bytes of a name quoted in a message */
#define KXLD_DEFAULT_PRIORITY	65536		/* .init_array without a .NNNNN suffix */
#define KXLD_GOT_ENTRY		8

/* Where messages go. */
struct kxld_ctx {
	char	*err;
	size_t	errlen;
};

static kern_return_t kxld_fail(struct kxld_ctx *cx, kern_return_t kr, const char *fmt, ...)
    __printflike(3, 4);

static kern_return_t
kxld_fail(struct kxld_ctx *cx, kern_return_t kr, const char *fmt, ...)
{
	va_list ap;

	if (cx->err != NULL && cx->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(cx->err, cx->errlen, fmt, ap);
		va_end(ap);
	}
	return kr;
}

/* A name fit for a message: cut at KXLD_NAME_MAX bytes, unprintable bytes as '?'. */
struct kxld_quoted {
	char	kq_buf[KXLD_NAME_MAX + 4];
};

static const char *
kxld_quote(struct kxld_quoted *q, const char *s)
{
	size_t n = 0;

	while (n < KXLD_NAME_MAX && s[n] != '\0') {
		unsigned char c = (unsigned char)s[n];

		q->kq_buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (n == KXLD_NAME_MAX && s[n] != '\0') {
		memcpy(q->kq_buf + n, "...", 3);
		n += 3;
	}
	q->kq_buf[n] = '\0';
	return q->kq_buf;
}

/* "section 5 (.rodata)" */
struct kxld_seclabel {
	char	ksl_buf[KXLD_NAME_MAX + 32];
};

static const char *
kxld_seclabel(struct kxld_seclabel *l, const struct elf_section *sec)
{
	struct kxld_quoted q;

	snprintf(l->ksl_buf, sizeof(l->ksl_buf), "section %u (%s)", sec->esh_index,
	    kxld_quote(&q, sec->esh_name));
	return l->ksl_buf;
}

static bool
is_got_type(uint32_t type)
{
	return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX ||
	    type == R_X86_64_REX_GOTPCRELX;
}

/* Sections that are loaded: SHF_ALLOC ones with a type. */
static bool
section_loaded(const struct elf_section *sec)
{
	return (sec->esh_flags & SHF_ALLOC) != 0 && sec->esh_type != SHT_NULL;
}

/* Is this relocation's target loaded? Debugging sections' relocations are not applied. */
static bool
reloc_target_loaded(const struct elf_rel *rel, const struct elf_reloc *rl)
{
	struct elf_section target;

	return elf_rel_section(rel, rl->erl_target, &target) && section_loaded(&target);
}

/* --- the plan: which sections ---------------------------------------------------- */

/* The order in which sections are placed; each rank sits after the one before. */
enum plan_rank {
	RANK_TEXT,
	RANK_RODATA,
	RANK_DATA,
	RANK_INIT,
	RANK_FINI,
	RANK_GOT,
	RANK_BSS,
	RANK_COMMON,
	RANK_COUNT
};

static const enum kxld_seg rank_seg[RANK_COUNT] = {
	[RANK_TEXT] = KXLD_SEG_TEXT,	[RANK_RODATA] = KXLD_SEG_RODATA,
	[RANK_DATA] = KXLD_SEG_DATA,	[RANK_INIT] = KXLD_SEG_DATA,
	[RANK_FINI] = KXLD_SEG_DATA,	[RANK_GOT] = KXLD_SEG_DATA,
	[RANK_BSS] = KXLD_SEG_DATA,	[RANK_COMMON] = KXLD_SEG_DATA,
};

static enum plan_rank
section_rank(const struct elf_section *sec)
{
	if (sec->esh_flags & SHF_EXECINSTR)
		return RANK_TEXT;
	if ((sec->esh_flags & SHF_WRITE) == 0)
		return RANK_RODATA;
	if (sec->esh_type == SHT_INIT_ARRAY)
		return RANK_INIT;
	if (sec->esh_type == SHT_FINI_ARRAY)
		return RANK_FINI;
	if (sec->esh_type == SHT_NOBITS)
		return RANK_BSS;
	return RANK_DATA;
}

/*
 * The priority of a constructor or destructor array: ".init_array.00101"
 * runs before ".init_array.00200", and both before plain ".init_array".
 */
static uint32_t
array_priority(const char *name)
{
	const char *dot = NULL;
	uint32_t prio = 0;

	for (const char *p = name + 1; *p != '\0'; p++) {
		if (*p == '.')
			dot = p;
	}
	if (dot == NULL || dot[1] == '\0')
		return KXLD_DEFAULT_PRIORITY;
	for (const char *p = dot + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || prio > KXLD_DEFAULT_PRIORITY)
			return KXLD_DEFAULT_PRIORITY;
		prio = prio * 10 + (uint32_t)(*p - '0');
	}
	return prio < KXLD_DEFAULT_PRIORITY ? prio : KXLD_DEFAULT_PRIORITY;
}

static kern_return_t
plan_check_type(struct kxld_ctx *cx, const struct elf_section *sec)
{
	struct kxld_seclabel l;

	switch (sec->esh_type) {
	case SHT_PROGBITS:
	case SHT_NOBITS:
	case SHT_NOTE:
	case SHT_X86_64_UNWIND:
		break;
	case SHT_INIT_ARRAY:
	case SHT_FINI_ARRAY:
		if (sec->esh_size % 8 != 0)
			return kxld_fail(cx, KERN_INVALID_ARGUMENT, "%s: a constructor or "
			    "destructor array of 0x%llx bytes, not a whole number of pointers",
			    kxld_seclabel(&l, sec), (unsigned long long)sec->esh_size);
		if ((sec->esh_flags & SHF_WRITE) == 0)
			return kxld_fail(cx, KERN_INVALID_ARGUMENT, "%s: a constructor or "
			    "destructor array must be writable (SHF_WRITE)", kxld_seclabel(&l, sec));
		/* The arrays are laid end to end: a wider alignment would leave a gap. */
		if (sec->esh_align > 8)
			return kxld_fail(cx, KERN_INVALID_ARGUMENT, "%s: a constructor or "
			    "destructor array aligned to 0x%llx bytes; such arrays hold 8-byte "
			    "pointers and are aligned to 8 at most", kxld_seclabel(&l, sec),
			    (unsigned long long)sec->esh_align);
		break;
	case SHT_PREINIT_ARRAY:
		return kxld_fail(cx, KERN_NOT_SUPPORTED, "%s: .preinit_array belongs to "
		    "executables; a kext has only constructors", kxld_seclabel(&l, sec));
	default:
		return kxld_fail(cx, KERN_INVALID_ARGUMENT, "%s: a section of type 0x%x "
		    "cannot be loaded (SHF_ALLOC)", kxld_seclabel(&l, sec), sec->esh_type);
	}
	return KERN_SUCCESS;
}

/* An SHF_ALLOC section that the kernel cannot load as it is. */
static kern_return_t
plan_check_section(struct kxld_ctx *cx, const struct elf_section *sec)
{
	struct kxld_seclabel l;

	if (sec->esh_flags & SHF_TLS)
		return kxld_fail(cx, KERN_NOT_SUPPORTED, "%s: thread-local storage is not "
		    "supported in kexts", kxld_seclabel(&l, sec));
	if ((sec->esh_flags & SHF_WRITE) && (sec->esh_flags & SHF_EXECINSTR))
		return kxld_fail(cx, KERN_NOT_SUPPORTED, "%s: writable code is not supported: "
		    "text is mapped read and execute", kxld_seclabel(&l, sec));
	if (strcmp(sec->esh_name, ".ctors") == 0 || strcmp(sec->esh_name, ".dtors") == 0 ||
	    strncmp(sec->esh_name, ".ctors.", 7) == 0 || strncmp(sec->esh_name, ".dtors.", 7) == 0)
		return kxld_fail(cx, KERN_NOT_SUPPORTED, "%s: .ctors and .dtors are not "
		    "supported; build with -fuse-init-array", kxld_seclabel(&l, sec));
	if (sec->esh_align > KXLD_PAGE_SIZE)
		return kxld_fail(cx, KERN_NOT_SUPPORTED, "%s: alignment 0x%llx is more than a "
		    "page", kxld_seclabel(&l, sec), (unsigned long long)sec->esh_align);
	return plan_check_type(cx, sec);
}

static kern_return_t
plan_collect(struct kxld_ctx *cx, const struct elf_rel *rel, struct kxld_plan *plan)
{
	struct elf_section sec;
	struct kxld_section *ks;
	kern_return_t kr;

	for (uint32_t i = 1; i < elf_rel_section_count(rel); i++) {
		if (!elf_rel_section(rel, i, &sec) || !section_loaded(&sec))
			continue;
		if ((kr = plan_check_section(cx, &sec)) != KERN_SUCCESS)
			return kr;
		if (plan->kp_nsections == KXLD_MAX_SECTIONS)
			return kxld_fail(cx, KERN_INVALID_ARGUMENT, "more than %u allocated "
			    "sections: merge them (build without -ffunction-sections and "
			    "-fdata-sections, or link with a script)", KXLD_MAX_SECTIONS);
		ks = &plan->kp_sections[plan->kp_nsections++];
		ks->ksc_name = sec.esh_name;
		ks->ksc_index = i;
		ks->ksc_seg = rank_seg[section_rank(&sec)];
		ks->ksc_size = sec.esh_size;
		ks->ksc_nobits = sec.esh_type == SHT_NOBITS;
	}
	return KERN_SUCCESS;
}

/* GOT-type relocations in loaded sections: one slot each. */
static uint64_t
plan_count_got(const struct elf_rel *rel)
{
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	uint64_t n = 0;

	elf_rel_reloc_iter_init(&it, rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		if (is_got_type(rl.erl_type) && reloc_target_loaded(rel, &rl))
			n++;
	}
	return n;
}

/* --- the plan: where ----------------------------------------------------------------- */

/* The image as it is laid out: the next free offset and the segment it is in. */
struct plan_cursor {
	uint64_t	pc_off;
	enum kxld_seg	pc_seg;
};

/* Put size bytes at alignment align at the cursor; their offset into *off. */
static kern_return_t
plan_take(struct kxld_ctx *cx, struct plan_cursor *pc, uint64_t size, uint64_t align,
    const char *what, uint64_t *off)
{
	uint64_t start = (pc->pc_off + align - 1) & ~(align - 1);

	assert(align != 0 && (align & (align - 1)) == 0 && align <= KXLD_PAGE_SIZE);
	assert(pc->pc_off <= KXLD_MAX_IMAGE);
	if (size > KXLD_MAX_IMAGE || start > KXLD_MAX_IMAGE - size)
		return kxld_fail(cx, KERN_INVALID_ARGUMENT, "%s: 0x%llx bytes at offset 0x%llx "
		    "would make the image larger than 0x%llx bytes", what,
		    (unsigned long long)size, (unsigned long long)start,
		    (unsigned long long)KXLD_MAX_IMAGE);
	*off = start;
	pc->pc_off = start + size;
	return KERN_SUCCESS;
}

/* Close segments until the cursor is in seg; each one ends on a page. */
static void
plan_enter_segment(struct kxld_plan *plan, struct plan_cursor *pc, enum kxld_seg seg)
{
	while (pc->pc_seg < seg) {
		struct kxld_segment *ks = &plan->kp_segments[pc->pc_seg];

		pc->pc_off = KXLD_ROUND_PAGE(pc->pc_off);
		ks->ks_size = pc->pc_off - ks->ks_offset;
		pc->pc_seg++;
		plan->kp_segments[pc->pc_seg].ks_offset = pc->pc_off;
	}
}

/* The unplaced section of this rank that goes first; NULL when none is left. */
static struct kxld_section *
plan_next_in_rank(const struct elf_rel *rel, struct kxld_plan *plan, enum plan_rank rank,
    const bool *placed)
{
	struct kxld_section *best = NULL;
	uint32_t best_prio = 0, prio;
	struct elf_section sec;

	for (uint32_t i = 0; i < plan->kp_nsections; i++) {
		if (placed[i] || !elf_rel_section(rel, plan->kp_sections[i].ksc_index, &sec) ||
		    section_rank(&sec) != rank)
			continue;
		prio = (rank == RANK_INIT || rank == RANK_FINI) ? array_priority(sec.esh_name) : 0;
		if (best == NULL || prio < best_prio) {
			best = &plan->kp_sections[i];
			best_prio = prio;
		}
	}
	return best;
}

static kern_return_t
plan_place_sections(struct kxld_ctx *cx, const struct elf_rel *rel, struct kxld_plan *plan,
    struct plan_cursor *pc, enum plan_rank rank, bool *placed)
{
	struct kxld_section *ks;
	struct elf_section sec;
	struct kxld_seclabel l;
	uint64_t align;
	kern_return_t kr;

	while ((ks = plan_next_in_rank(rel, plan, rank, placed)) != NULL) {
		placed[ks - plan->kp_sections] = true;
		elf_rel_section(rel, ks->ksc_index, &sec);
		align = sec.esh_align;
		if ((rank == RANK_INIT || rank == RANK_FINI) && align < 8)
			align = 8;	/* keeps the arrays contiguous */
		kr = plan_take(cx, pc, ks->ksc_size, align, kxld_seclabel(&l, &sec), &ks->ksc_offset);
		if (kr != KERN_SUCCESS)
			return kr;
		if (rank == RANK_INIT || rank == RANK_FINI) {
			uint64_t *off = rank == RANK_INIT ? &plan->kp_init_offset : &plan->kp_fini_offset;
			uint64_t *count = rank == RANK_INIT ? &plan->kp_init_count : &plan->kp_fini_count;

			if (*count == 0)
				*off = ks->ksc_offset;
			assert(*off + *count * 8 == ks->ksc_offset);
			*count += ks->ksc_size / 8;
		}
	}
	return KERN_SUCCESS;
}

/* COMMON symbols, in symbol order, each at its own alignment (st_value). */
static kern_return_t
plan_place_common(struct kxld_ctx *cx, const struct elf_rel *rel, struct kxld_plan *plan,
    struct plan_cursor *pc)
{
	struct elf_symbol sym;
	struct kxld_quoted q;
	uint64_t off, start = (pc->pc_off + 7) & ~7ULL;
	char what[KXLD_NAME_MAX + 48];
	kern_return_t kr;

	plan->kp_common_offset = start;
	for (uint64_t i = 1; i < elf_rel_symbol_count(rel); i++) {
		if (!elf_rel_symbol(rel, i, &sym) || sym.esym_kind != ELF_SYM_COMMON)
			continue;
		snprintf(what, sizeof(what), "symbol %llu (%s)", (unsigned long long)i,
		    kxld_quote(&q, sym.esym_name));
		if (sym.esym_value > KXLD_PAGE_SIZE)
			return kxld_fail(cx, KERN_NOT_SUPPORTED, "%s: COMMON alignment 0x%llx is "
			    "more than a page", what, (unsigned long long)sym.esym_value);
		if ((kr = plan_take(cx, pc, sym.esym_size, sym.esym_value, what, &off)) != KERN_SUCCESS)
			return kr;
		if (plan->kp_common_size == 0)
			plan->kp_common_offset = off;
		plan->kp_common_size = pc->pc_off - plan->kp_common_offset;
	}
	return KERN_SUCCESS;
}

static kern_return_t
plan_place_rank(struct kxld_ctx *cx, const struct elf_rel *rel, struct kxld_plan *plan,
    struct plan_cursor *pc, enum plan_rank rank, bool *placed)
{
	plan_enter_segment(plan, pc, rank_seg[rank]);
	switch (rank) {
	case RANK_GOT:
		return plan_take(cx, pc, plan->kp_got_count * KXLD_GOT_ENTRY, KXLD_GOT_ENTRY,
		    "the GOT", &plan->kp_got_offset);
	case RANK_COMMON:
		return plan_place_common(cx, rel, plan, pc);
	default:
		return plan_place_sections(cx, rel, plan, pc, rank, placed);
	}
}

kern_return_t
kxld_plan(const struct elf_rel *rel, struct kxld_plan *plan, char *err, size_t errlen)
{
	struct kxld_ctx cx = { err, errlen };
	struct plan_cursor pc = { 0, KXLD_SEG_TEXT };
	bool placed[KXLD_MAX_SECTIONS] = { false };
	kern_return_t kr;

	memset(plan, 0, sizeof(*plan));
	plan->kp_object = rel->er_base;
	if ((kr = plan_collect(&cx, rel, plan)) != KERN_SUCCESS)
		return kr;
	plan->kp_got_count = plan_count_got(rel);	/* at most er_nrelocs: no overflow */
	if (plan->kp_got_count > KXLD_MAX_IMAGE / KXLD_GOT_ENTRY)
		return kxld_fail(&cx, KERN_INVALID_ARGUMENT, "%llu GOT relocations: too many",
		    (unsigned long long)plan->kp_got_count);
	for (enum plan_rank r = 0; r < RANK_COUNT; r++) {
		if ((kr = plan_place_rank(&cx, rel, plan, &pc, r, placed)) != KERN_SUCCESS)
			return kr;
	}
	plan_enter_segment(plan, &pc, KXLD_SEG_DATA);
	pc.pc_off = KXLD_ROUND_PAGE(pc.pc_off);
	plan->kp_segments[KXLD_SEG_DATA].ks_size = pc.pc_off - plan->kp_segments[KXLD_SEG_DATA].ks_offset;
	plan->kp_size = pc.pc_off;
	return KERN_SUCCESS;
}

/* The placed section with this index; NULL if it is not loaded. */
static const struct kxld_section *
plan_find(const struct kxld_plan *plan, uint32_t index)
{
	uint32_t lo = 0, hi = plan->kp_nsections;

	/* kp_sections[] is sorted by ksc_index: plan_collect walks sections in order. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (plan->kp_sections[mid].ksc_index == index)
			return &plan->kp_sections[mid];
		if (plan->kp_sections[mid].ksc_index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The offset of COMMON symbol index in the image, as plan_place_common put it. */
static uint64_t
plan_common_offset(const struct elf_rel *rel, const struct kxld_plan *plan, uint64_t index)
{
	struct elf_symbol sym;
	uint64_t off = plan->kp_common_offset;

	for (uint64_t i = 1; i <= index; i++) {
		if (!elf_rel_symbol(rel, i, &sym) || sym.esym_kind != ELF_SYM_COMMON)
			continue;
		off = (off + sym.esym_value - 1) & ~(sym.esym_value - 1);
		if (i == index)
			break;
		off += sym.esym_size;
	}
	return off;
}

/* --- symbols -------------------------------------------------------------------------- */

/*
 * The assembler makes _GLOBAL_OFFSET_TABLE_ an undefined symbol of any
 * object that uses the GOT; the linker defines it, as the GOT's address.
 */
#define KXLD_GOT_SYMBOL		"_GLOBAL_OFFSET_TABLE_"

static bool
symbol_is_got(const struct elf_symbol *sym)
{
	return sym->esym_kind == ELF_SYM_UNDEF && strcmp(sym->esym_name, KXLD_GOT_SYMBOL) == 0;
}

/*
 * The address of a defined symbol at load_addr (false if its section is
 * not loaded). Undefined symbols are the resolver's business.
 */
static bool
symbol_defined_address(const struct elf_rel *rel, const struct kxld_plan *plan,
    uint64_t load_addr, const struct elf_symbol *sym, uint64_t *addr)
{
	const struct kxld_section *ks;

	switch (sym->esym_kind) {
	case ELF_SYM_ABS:
		*addr = sym->esym_value;
		return true;
	case ELF_SYM_COMMON:
		*addr = load_addr + plan_common_offset(rel, plan, sym->esym_index);
		return true;
	case ELF_SYM_DEFINED:
		if ((ks = plan_find(plan, sym->esym_shndx)) == NULL)
			return false;
		*addr = load_addr + ks->ksc_offset + sym->esym_value;
		return true;
	default:
		return false;
	}
}

void
kxld_undefined_iter_init(struct kxld_sym_iter *it, const struct elf_rel *rel)
{
	memset(it, 0, sizeof(*it));
	it->ksi_rel = rel;
	it->ksi_next = 1;
}

bool
kxld_undefined_next(struct kxld_sym_iter *it, struct elf_symbol *sym)
{
	while (it->ksi_next < elf_rel_symbol_count(it->ksi_rel)) {
		if (elf_rel_symbol(it->ksi_rel, it->ksi_next++, sym) &&
		    sym->esym_kind == ELF_SYM_UNDEF && sym->esym_bind != STB_LOCAL &&
		    sym->esym_name[0] != '\0' && !symbol_is_got(sym))
			return true;
	}
	return false;
}

void
kxld_export_iter_init(struct kxld_sym_iter *it, const struct elf_rel *rel,
    const struct kxld_plan *plan, uint64_t load_addr)
{
	assert(plan->kp_object == rel->er_base);
	it->ksi_rel = rel;
	it->ksi_plan = plan;
	it->ksi_load_addr = load_addr;
	it->ksi_next = 1;
}

static bool
symbol_is_export(const struct elf_symbol *sym)
{
	return sym->esym_bind != STB_LOCAL && sym->esym_name[0] != '\0' &&
	    sym->esym_kind != ELF_SYM_UNDEF && sym->esym_type != STT_TLS &&
	    sym->esym_type != STT_SECTION && sym->esym_type != STT_FILE &&
	    (sym->esym_visibility == STV_DEFAULT || sym->esym_visibility == STV_PROTECTED);
}

bool
kxld_export_next(struct kxld_sym_iter *it, struct elf_symbol *sym, uint64_t *addr)
{
	while (it->ksi_next < elf_rel_symbol_count(it->ksi_rel)) {
		if (elf_rel_symbol(it->ksi_rel, it->ksi_next++, sym) && symbol_is_export(sym) &&
		    symbol_defined_address(it->ksi_rel, it->ksi_plan, it->ksi_load_addr, sym, addr))
			return true;
	}
	return false;
}

kern_return_t
kxld_symbol_address(const struct elf_rel *rel, const struct kxld_plan *plan,
    uint64_t load_addr, const char *name, uint64_t *addr)
{
	struct kxld_sym_iter it;
	struct elf_symbol sym;

	kxld_export_iter_init(&it, rel, plan, load_addr);
	while (kxld_export_next(&it, &sym, addr)) {
		if (strcmp(sym.esym_name, name) == 0)
			return KERN_SUCCESS;
	}
	return KERN_NOT_FOUND;
}

bool
kxld_section_address(const struct kxld_plan *plan, uint32_t i, uint64_t load_addr,
    const char **name, uint64_t *addr)
{
	if (i >= plan->kp_nsections)
		return false;
	*name = plan->kp_sections[i].ksc_name;
	*addr = load_addr + plan->kp_sections[i].ksc_offset;
	return true;
}

/* --- linking ------------------------------------------------------------------------------ */

/* Everything a link needs, in one place. */
struct kxld_link_state {
	struct kxld_ctx		ls_cx;
	const struct elf_rel	*ls_rel;
	const struct kxld_plan	*ls_plan;
	uint8_t			*ls_image;
	uint64_t		ls_load_addr;
	kxld_resolve_fn		ls_resolve;
	void			*ls_ctx;
	bool			ls_write;	/* false: check only */
	uint64_t		ls_got_next;	/* the next GOT slot to use */
};

/* An undefined global symbol that the resolver does not know (weak ones are 0). */
static bool
symbol_unresolved(struct kxld_link_state *ls, const struct elf_symbol *sym)
{
	uint64_t addr;

	return sym->esym_kind == ELF_SYM_UNDEF && sym->esym_bind == STB_GLOBAL &&
	    !symbol_is_got(sym) && (sym->esym_name[0] == '\0' ||
	    ls->ls_resolve(ls->ls_ctx, sym->esym_name, &addr) != KERN_SUCCESS);
}

/* The length of " (and N more)". */
static size_t
more_length(uint64_t n)
{
	size_t len = sizeof(" (and  more)") - 1;

	do {
		len++;
		n /= 10;
	} while (n != 0);
	return len;
}

/*
 * ", name" onto the message at *pos, if it fits with room left for
 * " (and N more)" about the later ones.
 */
static bool
unresolved_append(struct kxld_link_state *ls, size_t *pos, const struct elf_symbol *sym,
    bool first, uint64_t later)
{
	struct kxld_quoted q;
	char name[KXLD_NAME_MAX + 24];
	const char *shown = name;
	size_t need;

	if (sym->esym_name[0] == '\0')
		snprintf(name, sizeof(name), "(symbol %llu)", (unsigned long long)sym->esym_index);
	else
		shown = kxld_quote(&q, sym->esym_name);
	need = (first ? 0 : 2) + strlen(shown) + (later == 0 ? 0 : more_length(later));
	if (ls->ls_cx.err == NULL || *pos + need >= ls->ls_cx.errlen)
		return false;
	*pos += (size_t)snprintf(ls->ls_cx.err + *pos, ls->ls_cx.errlen - *pos, "%s%s",
	    first ? "" : ", ", shown);
	return true;
}

/*
 * Ask the resolver about every undefined global symbol; name all that it
 * does not know, as many as fit, then "(and N more)".
 */
static kern_return_t
link_check_undefined(struct kxld_link_state *ls)
{
	const struct elf_rel *rel = ls->ls_rel;
	struct elf_symbol sym;
	uint64_t total = 0, listed = 0, seen = 0;
	size_t pos = 0;
	bool full = false;

	for (uint64_t i = 1; i < elf_rel_symbol_count(rel); i++) {
		if (elf_rel_symbol(rel, i, &sym) && symbol_unresolved(ls, &sym))
			total++;
	}
	if (total == 0)
		return KERN_SUCCESS;
	if (ls->ls_cx.err != NULL && ls->ls_cx.errlen > 0)
		pos = (size_t)snprintf(ls->ls_cx.err, ls->ls_cx.errlen, "unresolved symbol%s: ",
		    total == 1 ? "" : "s");
	if (pos >= ls->ls_cx.errlen)
		full = true;
	for (uint64_t i = 1; i < elf_rel_symbol_count(rel) && !full; i++) {
		if (!elf_rel_symbol(rel, i, &sym) || !symbol_unresolved(ls, &sym))
			continue;
		seen++;
		if (!unresolved_append(ls, &pos, &sym, listed == 0, total - seen))
			break;
		listed++;
	}
	if (listed < total && ls->ls_cx.err != NULL && pos < ls->ls_cx.errlen)
		snprintf(ls->ls_cx.err + pos, ls->ls_cx.errlen - pos, "%s(and %llu more)",
		    listed == 0 ? "" : " ", (unsigned long long)(total - listed));
	return KERN_FAILURE;
}

/* How a relocation names its symbol: "\"foo\"", "section .rodata", "symbol 7". */
struct kxld_symlabel {
	char	ksy_buf[KXLD_NAME_MAX + 32];
};

static const char *
kxld_symlabel(struct kxld_symlabel *l, const struct elf_rel *rel, uint32_t index)
{
	struct elf_symbol sym;
	struct elf_section sec;
	struct kxld_quoted q;

	if (index == 0 || !elf_rel_symbol(rel, index, &sym))
		snprintf(l->ksy_buf, sizeof(l->ksy_buf), "no symbol");
	else if (sym.esym_type == STT_SECTION && sym.esym_kind == ELF_SYM_DEFINED &&
	    elf_rel_section(rel, sym.esym_shndx, &sec))
		snprintf(l->ksy_buf, sizeof(l->ksy_buf), "section %s", kxld_quote(&q, sec.esh_name));
	else if (sym.esym_name[0] == '\0')
		snprintf(l->ksy_buf, sizeof(l->ksy_buf), "symbol %u", index);
	else
		snprintf(l->ksy_buf, sizeof(l->ksy_buf), "\"%s\"", kxld_quote(&q, sym.esym_name));
	return l->ksy_buf;
}

/* "relocation 4 in .rela.text (R_X86_64_32S) against \"far_symbol\"" */
struct kxld_rlabel {
	char	krl_buf[3 * KXLD_NAME_MAX + 96];
};

static const char *
kxld_rlabel(struct kxld_rlabel *l, const struct elf_rel *rel, const struct elf_reloc *rl)
{
	struct elf_section sec;
	struct kxld_quoted q;
	struct kxld_symlabel sl;

	elf_rel_section(rel, rl->erl_section, &sec);
	snprintf(l->krl_buf, sizeof(l->krl_buf), "relocation %llu in %s (%s) against %s",
	    (unsigned long long)rl->erl_index, kxld_quote(&q, sec.esh_name),
	    rl->erl_type_name != NULL ? rl->erl_type_name : "?",
	    kxld_symlabel(&sl, rel, rl->erl_sym));
	return l->krl_buf;
}

/* S: the value of the relocation's symbol. */
static kern_return_t
link_symbol_value(struct kxld_link_state *ls, const struct elf_reloc *rl, uint64_t *value)
{
	struct elf_symbol sym;
	struct kxld_rlabel l;

	*value = 0;
	if (rl->erl_sym == 0)
		return KERN_SUCCESS;
	elf_rel_symbol(ls->ls_rel, rl->erl_sym, &sym);
	if (sym.esym_type == STT_TLS)
		return kxld_fail(&ls->ls_cx, KERN_NOT_SUPPORTED, "%s: thread-local storage is "
		    "not supported in kexts", kxld_rlabel(&l, ls->ls_rel, rl));
	if (symbol_is_got(&sym)) {
		*value = ls->ls_load_addr + ls->ls_plan->kp_got_offset;
		return KERN_SUCCESS;
	}
	if (sym.esym_kind == ELF_SYM_UNDEF) {
		if (sym.esym_bind == STB_LOCAL)
			return kxld_fail(&ls->ls_cx, KERN_INVALID_ARGUMENT, "%s: a local symbol "
			    "cannot be undefined", kxld_rlabel(&l, ls->ls_rel, rl));
		if (sym.esym_name[0] != '\0' &&
		    ls->ls_resolve(ls->ls_ctx, sym.esym_name, value) == KERN_SUCCESS)
			return KERN_SUCCESS;
		*value = 0;
		if (sym.esym_bind == STB_WEAK)
			return KERN_SUCCESS;
		/* link_check_undefined asked first: the resolver changed its mind. */
		return kxld_fail(&ls->ls_cx, KERN_FAILURE, "%s: the symbol no longer resolves",
		    kxld_rlabel(&l, ls->ls_rel, rl));
	}
	if (!symbol_defined_address(ls->ls_rel, ls->ls_plan, ls->ls_load_addr, &sym, value))
		return kxld_fail(&ls->ls_cx, KERN_INVALID_ARGUMENT, "%s: the symbol is in "
		    "section %u, which is not loaded", kxld_rlabel(&l, ls->ls_rel, rl),
		    sym.esym_shndx);
	return KERN_SUCCESS;
}

/* Does v fit a field of width bytes, read as signed (sign-extended) or zero-extended? */
static bool
value_fits(uint64_t v, uint32_t width, bool is_signed)
{
	unsigned bits = width * 8;
	int64_t s = (int64_t)v;

	if (bits >= 64)
		return true;
	if (is_signed)
		return s >= -((int64_t)1 << (bits - 1)) && s < ((int64_t)1 << (bits - 1));
	return v < ((uint64_t)1 << bits);
}

static kern_return_t
link_overflow(struct kxld_link_state *ls, const struct elf_reloc *rl, uint64_t v, bool is_signed)
{
	struct kxld_rlabel l;
	int64_t s = (int64_t)v;

	if (is_signed && s < 0)
		return kxld_fail(&ls->ls_cx, KERN_INVALID_ARGUMENT, "%s: -0x%llx does not fit in "
		    "%u signed bits", kxld_rlabel(&l, ls->ls_rel, rl),
		    (unsigned long long)(0 - v), rl->erl_width * 8);
	return kxld_fail(&ls->ls_cx, KERN_INVALID_ARGUMENT, "%s: 0x%llx does not fit in %u %s "
	    "bits", kxld_rlabel(&l, ls->ls_rel, rl), (unsigned long long)v, rl->erl_width * 8,
	    is_signed ? "signed" : "unsigned");
}

static void
put_le(uint8_t *p, uint64_t v, uint32_t width)
{
	for (uint32_t i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The kinds of arithmetic, by type. */
enum reloc_calc {
	CALC_NONE,	/* R_X86_64_NONE */
	CALC_ABS,	/* S + A */
	CALC_PCREL,	/* S + A - P */
	CALC_GOTPCREL,	/* G + GOT + A - P, with S in the slot */
	CALC_TLS,	/* refused */
	CALC_OTHER	/* refused: not made for the kernel code model */
};

static enum reloc_calc
reloc_calc(uint32_t type, bool *is_signed)
{
	*is_signed = true;
	switch (type) {
	case R_X86_64_NONE:
		return CALC_NONE;
	case R_X86_64_64:
	case R_X86_64_32S:
		return CALC_ABS;
	case R_X86_64_32:
	case R_X86_64_16:
	case R_X86_64_8:
		*is_signed = false;
		return CALC_ABS;
	case R_X86_64_PC64:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC16:
	case R_X86_64_PC8:
		return CALC_PCREL;
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return CALC_GOTPCREL;
	case R_X86_64_DTPMOD64:
	case R_X86_64_DTPOFF64:
	case R_X86_64_TPOFF64:
	case R_X86_64_TLSGD:
	case R_X86_64_TLSLD:
	case R_X86_64_DTPOFF32:
	case R_X86_64_GOTTPOFF:
	case R_X86_64_TPOFF32:
	case R_X86_64_GOTPC32_TLSDESC:
	case R_X86_64_TLSDESC_CALL:
		return CALC_TLS;
	default:
		return CALC_OTHER;
	}
}

/*
 * One relocation: compute its value, check that it fits, and (when
 * writing) store it. P is the field's address at load_addr.
 */
static kern_return_t
link_one(struct kxld_link_state *ls, const struct elf_reloc *rl)
{
	const struct kxld_section *target = plan_find(ls->ls_plan, rl->erl_target);
	uint64_t place = target->ksc_offset + rl->erl_offset;
	uint64_t s, v, p = ls->ls_load_addr + place, slot;
	struct kxld_rlabel l;
	bool is_signed;
	enum reloc_calc calc = reloc_calc(rl->erl_type, &is_signed);
	kern_return_t kr;

	if (calc == CALC_NONE)
		return KERN_SUCCESS;
	if (calc == CALC_TLS)
		return kxld_fail(&ls->ls_cx, KERN_NOT_SUPPORTED, "%s: thread-local storage is "
		    "not supported in kexts", kxld_rlabel(&l, ls->ls_rel, rl));
	if (calc == CALC_OTHER)
		return kxld_fail(&ls->ls_cx, KERN_NOT_SUPPORTED, "%s: type %u is not supported: "
		    "kexts are built with -mcmodel=kernel -fno-pic", kxld_rlabel(&l, ls->ls_rel, rl),
		    rl->erl_type);
	if ((kr = link_symbol_value(ls, rl, &s)) != KERN_SUCCESS)
		return kr;
	switch (calc) {
	case CALC_ABS:
		v = s + (uint64_t)rl->erl_addend;
		break;
	case CALC_PCREL:
		v = s + (uint64_t)rl->erl_addend - p;
		break;
	default:	/* CALC_GOTPCREL */
		assert(ls->ls_got_next < ls->ls_plan->kp_got_count);
		slot = ls->ls_plan->kp_got_offset + KXLD_GOT_ENTRY * ls->ls_got_next++;
		if (ls->ls_write)
			put_le(ls->ls_image + slot, s, KXLD_GOT_ENTRY);
		v = ls->ls_load_addr + slot + (uint64_t)rl->erl_addend - p;
		break;
	}
	if (!value_fits(v, rl->erl_width, is_signed))
		return link_overflow(ls, rl, v, is_signed);
	if (ls->ls_write)
		put_le(ls->ls_image + place, v, rl->erl_width);
	return KERN_SUCCESS;
}

/* Every relocation of every loaded section, in order. */
static kern_return_t
link_relocate(struct kxld_link_state *ls, bool write)
{
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	kern_return_t kr;

	ls->ls_write = write;
	ls->ls_got_next = 0;
	elf_rel_reloc_iter_init(&it, ls->ls_rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		if (!reloc_target_loaded(ls->ls_rel, &rl))
			continue;
		if ((kr = link_one(ls, &rl)) != KERN_SUCCESS)
			return kr;
	}
	assert(ls->ls_got_next == ls->ls_plan->kp_got_count);
	return KERN_SUCCESS;
}

static void
link_copy_sections(struct kxld_link_state *ls)
{
	const struct kxld_plan *plan = ls->ls_plan;
	struct elf_section sec;

	for (uint32_t i = 0; i < plan->kp_nsections; i++) {
		const struct kxld_section *ks = &plan->kp_sections[i];

		if (ks->ksc_nobits || ks->ksc_size == 0)
			continue;
		elf_rel_section(ls->ls_rel, ks->ksc_index, &sec);
		memcpy(ls->ls_image + ks->ksc_offset, sec.esh_data, ks->ksc_size);
	}
}

kern_return_t
kxld_link(const struct elf_rel *rel, const struct kxld_plan *plan, void *image,
    uint64_t load_addr, kxld_resolve_fn resolve, void *ctx, char *err, size_t errlen)
{
	struct kxld_link_state ls;
	kern_return_t kr;

	assert(plan->kp_object == rel->er_base);
	memset(&ls, 0, sizeof(ls));
	ls.ls_cx.err = err;
	ls.ls_cx.errlen = errlen;
	ls.ls_rel = rel;
	ls.ls_plan = plan;
	ls.ls_image = image;
	ls.ls_load_addr = load_addr;
	ls.ls_resolve = resolve;
	ls.ls_ctx = ctx;
	if ((load_addr & KXLD_PAGE_MASK) != 0 || load_addr + plan->kp_size < load_addr)
		return kxld_fail(&ls.ls_cx, KERN_INVALID_ARGUMENT, "load address 0x%llx: not "
		    "page-aligned, or the image (0x%llx bytes) would wrap around",
		    (unsigned long long)load_addr, (unsigned long long)plan->kp_size);
	if ((kr = link_check_undefined(&ls)) != KERN_SUCCESS)
		return kr;
	if ((kr = link_relocate(&ls, false)) != KERN_SUCCESS)
		return kr;
	/* Checked: from here on, nothing depends on the object being good. */
	link_copy_sections(&ls);
	return link_relocate(&ls, true);
}
