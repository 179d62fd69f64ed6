/*
 * test_elf.c - libkern/elf.c: checking executables and relocatable objects.
 *
 * Three sources of files:
 *   - synthetic ones built here field by field (struct fexec for
 *     executables, struct frel for relocatable objects), so that each field
 *     can be made wrong on purpose and the message checked;
 *   - real ones made by the host toolchain at build time (ELF_FIXTURE_DIR:
 *     kext-shaped objects in four code models, static executables with
 *     TLS, a dynamic program) and the user test programs (USER_BUILD_DIR);
 *   - random mutations of all of these.
 *
 * Every image handed to the reader sits in a heap buffer of exactly its
 * length, so ASan reports any read past the end. The rule under test is
 * the one in elf.h: a bad file gets an error code and a message, never a
 * crash, and what an accepted file yields always lies inside the file and
 * satisfies the promises the header makes.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "libkern/elf.h"

#ifndef ELF_FIXTURE_DIR
#error "ELF_FIXTURE_DIR must name the directory of the built fixtures"
#endif
#ifndef USER_BUILD_DIR
#error "USER_BUILD_DIR must name the directory of the built user programs"
#endif

#define USER_MIN	0x1000ULL
#define USER_MAX	0x00007ffffffff000ULL
#define PAGE		0x1000ULL

/* --- files from disk ---------------------------------------------------------- */

/* The whole file, in a buffer of exactly its size. */
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

static uint8_t *
exact_copy(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len > 0 ? len : 1);

	cr_assert_not_null(c);
	if (len > 0)
		memcpy(c, p, len);
	return c;
}

/* --- what an accepted file must satisfy ----------------------------------------- */

static bool
in_file(uint64_t off, uint64_t size, size_t len)
{
	return size <= len && off <= len - size;
}

/* Every promise elf.h makes about a struct elf_exec_info. */
static void
check_exec_info(const uint8_t *buf, size_t len, const struct elf_exec_info *info,
    uint64_t min, uint64_t max, const char *what)
{
	const struct elf_segment *es, *prev = NULL;
	bool entry_ok = false;

	(void)buf;
	cr_assert(info->ei_nsegments >= 1 && info->ei_nsegments <= ELF_EXEC_MAX_SEGMENTS, "%s", what);
	for (unsigned i = 0; i < info->ei_nsegments; i++) {
		es = &info->ei_segments[i];
		cr_assert(in_file(es->es_offset, es->es_filesz, len), "%s: segment %u outside the file", what, i);
		cr_assert(es->es_filesz <= es->es_memsz && es->es_memsz > 0, "%s: segment %u sizes", what, i);
		cr_assert(((es->es_vaddr - es->es_offset) & (PAGE - 1)) == 0, "%s: segment %u congruence", what, i);
		cr_assert(es->es_vaddr + es->es_memsz > es->es_vaddr, "%s: segment %u wraps", what, i);
		cr_assert((es->es_align & (es->es_align - 1)) == 0, "%s: segment %u align", what, i);
		if (prev != NULL)
			cr_assert(((prev->es_vaddr + prev->es_memsz + PAGE - 1) & ~(PAGE - 1)) <=
			    (es->es_vaddr & ~(PAGE - 1)), "%s: segments %u and %u share a page", what, i - 1, i);
		if ((es->es_prot & VM_PROT_EXECUTE) && info->ei_entry >= es->es_vaddr &&
		    info->ei_entry - es->es_vaddr < es->es_filesz)
			entry_ok = true;
		prev = es;
	}
	cr_assert(entry_ok, "%s: entry 0x%llx not in an executable segment's file bytes", what,
	    (unsigned long long)info->ei_entry);
	cr_assert_eq(info->ei_start, info->ei_segments[0].es_vaddr & ~(PAGE - 1), "%s", what);
	cr_assert_eq(info->ei_end, (prev->es_vaddr + prev->es_memsz + PAGE - 1) & ~(PAGE - 1), "%s", what);
	if (info->ei_type == ET_EXEC)
		cr_assert(info->ei_start >= min && info->ei_end <= max, "%s: outside the range", what);
	else
		cr_assert(info->ei_end - info->ei_start <= max - min, "%s: PIE too big", what);
	if (info->ei_has_tls) {
		cr_assert(in_file(info->ei_tls.es_offset, info->ei_tls.es_filesz, len), "%s: TLS", what);
		cr_assert(info->ei_tls.es_filesz <= info->ei_tls.es_memsz, "%s: TLS sizes", what);
	}
}

/* Walk everything an accepted object offers; every pointer must be inside it. */
static void
check_rel(const uint8_t *buf, size_t len, const struct elf_rel *rel, const char *what)
{
	const uint8_t *end = buf + len;
	struct elf_section sec, target;
	struct elf_symbol sym;
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	uint64_t nrelocs = 0;

	cr_assert(!elf_rel_section(rel, elf_rel_section_count(rel), &sec), "%s", what);
	for (uint32_t i = 0; i < elf_rel_section_count(rel); i++) {
		cr_assert(elf_rel_section(rel, i, &sec), "%s", what);
		cr_assert((const uint8_t *)sec.esh_name >= buf || i == 0, "%s", what);
		if (i > 0)
			cr_assert_not_null(memchr(sec.esh_name, 0, (size_t)(end - (const uint8_t *)sec.esh_name)),
			    "%s: section %u name", what, i);
		if (sec.esh_data != NULL)
			cr_assert((const uint8_t *)sec.esh_data >= buf &&
			    sec.esh_size <= (uint64_t)(end - (const uint8_t *)sec.esh_data),
			    "%s: section %u data", what, i);
		cr_assert((sec.esh_align & (sec.esh_align - 1)) == 0, "%s", what);
	}
	cr_assert(!elf_rel_symbol(rel, elf_rel_symbol_count(rel), &sym), "%s", what);
	for (uint64_t i = 0; i < elf_rel_symbol_count(rel); i++) {
		cr_assert(elf_rel_symbol(rel, i, &sym), "%s", what);
		cr_assert((const uint8_t *)sym.esym_name >= buf &&
		    memchr(sym.esym_name, 0, (size_t)(end - (const uint8_t *)sym.esym_name)) != NULL,
		    "%s: symbol %llu name", what, (unsigned long long)i);
		if (sym.esym_kind == ELF_SYM_DEFINED) {
			cr_assert(sym.esym_shndx > 0 && sym.esym_shndx < elf_rel_section_count(rel), "%s", what);
			cr_assert(elf_rel_section(rel, sym.esym_shndx, &sec));
			cr_assert(sym.esym_value <= sec.esh_size, "%s: symbol %llu value", what,
			    (unsigned long long)i);
		}
	}
	elf_rel_reloc_iter_init(&it, rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		nrelocs++;
		cr_assert_not_null(rl.erl_type_name, "%s", what);
		cr_assert(rl.erl_sym < elf_rel_symbol_count(rel), "%s", what);
		cr_assert(elf_rel_section(rel, rl.erl_target, &target), "%s", what);
		cr_assert(in_file(rl.erl_offset, rl.erl_width, target.esh_size), "%s: reloc field", what);
	}
	cr_assert_eq(nrelocs, rel->er_nrelocs, "%s", what);
}

/* --- synthetic executables -------------------------------------------------------- */

/*
 * The default: three PT_LOAD segments and a PT_GNU_STACK in a 0x3000-byte
 * file. Headers and read-only data at 0x400000, text at 0x401000, data and
 * bss at 0x402000-0x405000.
 */
#define FX_MAXPH	24

struct fexec {
	Elf64_Ehdr	eh;
	Elf64_Phdr	ph[FX_MAXPH];
	size_t		len;
};

static Elf64_Phdr
phdr(uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz,
    uint64_t memsz, uint64_t align)
{
	Elf64_Phdr ph = { type, flags, off, vaddr, vaddr, filesz, memsz, align };

	return ph;
}

static void
fexec_init(struct fexec *x)
{
	memset(x, 0, sizeof(*x));
	memcpy(x->eh.e_ident, "\177ELF", 4);
	x->eh.e_ident[EI_CLASS] = ELFCLASS64;
	x->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	x->eh.e_ident[EI_VERSION] = EV_CURRENT;
	x->eh.e_type = ET_EXEC;
	x->eh.e_machine = EM_X86_64;
	x->eh.e_version = EV_CURRENT;
	x->eh.e_entry = 0x401000;
	x->eh.e_phoff = sizeof(Elf64_Ehdr);
	x->eh.e_ehsize = sizeof(Elf64_Ehdr);
	x->eh.e_phentsize = sizeof(Elf64_Phdr);
	x->eh.e_phnum = 4;
	x->eh.e_shentsize = sizeof(Elf64_Shdr);
	x->ph[0] = phdr(PT_LOAD, PF_R, 0, 0x400000, 0x1000, 0x1000, 0x1000);
	x->ph[1] = phdr(PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800, 0x1000);
	x->ph[2] = phdr(PT_LOAD, PF_R | PF_W, 0x2000, 0x402000, 0x1000, 0x3000, 0x1000);
	x->ph[3] = phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0x10);
	x->len = 0x3000;
}

/* The file: headers where e_phoff says (as far as they fit), zeros elsewhere. */
static uint8_t *
fexec_image(const struct fexec *x)
{
	uint8_t *img = calloc(1, x->len > 0 ? x->len : 1);

	cr_assert_not_null(img);
	memcpy(img, &x->eh, MIN(sizeof(x->eh), x->len));
	for (unsigned i = 0; i < x->eh.e_phnum && i < FX_MAXPH; i++) {
		uint64_t at = (uint64_t)i * sizeof(Elf64_Phdr);

		if (x->eh.e_phoff <= x->len && in_file(at, sizeof(Elf64_Phdr), x->len - x->eh.e_phoff))
			memcpy(img + x->eh.e_phoff + at, &x->ph[i], sizeof(Elf64_Phdr));
	}
	return img;
}

static kern_return_t
fexec_parse_in(const struct fexec *x, uint64_t min, uint64_t max, struct elf_exec_info *info,
    char *err)
{
	uint8_t *img = fexec_image(x);
	kern_return_t kr;

	memset(err, 'X', ELF_ERRLEN);
	kr = elf_exec_parse(img, x->len, min, max, info, err, ELF_ERRLEN);
	if (kr == KERN_SUCCESS)
		check_exec_info(img, x->len, info, min, max, "synthetic");
	free(img);
	return kr;
}

static kern_return_t
fexec_parse(const struct fexec *x, struct elf_exec_info *info, char *err)
{
	return fexec_parse_in(x, USER_MIN, USER_MAX, info, err);
}

static void
expect_exec_refused(const struct fexec *x, kern_return_t want, const char *msg)
{
	struct elf_exec_info info;
	char err[ELF_ERRLEN];
	kern_return_t kr = fexec_parse(x, &info, err);

	cr_assert_eq(kr, want, "got %d (%s), wanted %d (%s)", kr,
	    kr == KERN_SUCCESS ? "accepted" : err, want, msg);
	cr_assert_not_null(memchr(err, '\0', sizeof(err)), "message not terminated");
	cr_assert(strstr(err, msg) != NULL, "message \"%s\" lacks \"%s\"", err, msg);
}

static void
expect_exec_accepted(const struct fexec *x, struct elf_exec_info *info)
{
	char err[ELF_ERRLEN];
	kern_return_t kr = fexec_parse(x, info, err);

	cr_assert_eq(kr, KERN_SUCCESS, "refused: %s", err);
}

/* --- executables: what is accepted, and what is reported ------------------------- */

Test(elf_exec, well_formed_executable_is_described)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_type, ET_EXEC);
	cr_assert_eq(info.ei_entry, 0x401000);
	cr_assert_eq(info.ei_nsegments, 3);
	cr_assert_eq(info.ei_segments[0].es_vaddr, 0x400000);
	cr_assert_eq(info.ei_segments[0].es_prot, VM_PROT_READ);
	cr_assert_eq(info.ei_segments[1].es_vaddr, 0x401000);
	cr_assert_eq(info.ei_segments[1].es_filesz, 0x800);
	cr_assert_eq(info.ei_segments[1].es_prot, VM_PROT_READ | VM_PROT_EXECUTE);
	cr_assert_eq(info.ei_segments[2].es_offset, 0x2000);
	cr_assert_eq(info.ei_segments[2].es_filesz, 0x1000);
	cr_assert_eq(info.ei_segments[2].es_memsz, 0x3000);
	cr_assert_eq(info.ei_segments[2].es_prot, VM_PROT_READ | VM_PROT_WRITE);
	cr_assert_eq(info.ei_segments[2].es_phindex, 2);
	cr_assert_eq(info.ei_start, 0x400000);
	cr_assert_eq(info.ei_end, 0x405000);
	cr_assert_eq(info.ei_align, 0x1000);
	cr_assert_eq(info.ei_phdr, 0x400040);
	cr_assert_eq(info.ei_phnum, 4);
	cr_assert_eq(info.ei_phentsize, 56);
	cr_assert(info.ei_gnu_stack);
	cr_assert_eq(info.ei_stack_prot, VM_PROT_READ | VM_PROT_WRITE);
	cr_assert(!info.ei_has_tls);
	cr_assert_eq(info.ei_slide, 0);
}

Test(elf_exec, stack_flags_and_size_are_reported)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	x.ph[3] = phdr(PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0x100000, 0x10);
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_stack_prot, VM_PROT_ALL);
	cr_assert_eq(info.ei_stack_size, 0x100000);

	/* Without PT_GNU_STACK: a stack that is not executable. */
	x.eh.e_phnum = 3;
	expect_exec_accepted(&x, &info);
	cr_assert(!info.ei_gnu_stack);
	cr_assert_eq(info.ei_stack_prot, VM_PROT_READ | VM_PROT_WRITE);

	x.eh.e_phnum = 5;
	x.ph[4] = x.ph[3] = phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0x10);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "program header 4: a second PT_GNU_STACK");
}

Test(elf_exec, tls_template_is_reported)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	x.eh.e_phnum = 5;
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2100, 0x402100, 0x10, 0x30, 8);
	expect_exec_accepted(&x, &info);
	cr_assert(info.ei_has_tls);
	cr_assert_eq(info.ei_tls.es_vaddr, 0x402100);
	cr_assert_eq(info.ei_tls.es_offset, 0x2100);
	cr_assert_eq(info.ei_tls.es_filesz, 0x10);
	cr_assert_eq(info.ei_tls.es_memsz, 0x30);
	cr_assert_eq(info.ei_tls.es_align, 8);
	cr_assert_eq(info.ei_tls.es_phindex, 4);

	/* Only tbss: no bytes to load, so no place is required. */
	x.ph[4] = phdr(PT_TLS, PF_R, 0, 0x900000, 0, 0x30, 8);
	expect_exec_accepted(&x, &info);

	/* Template bytes in zero-filled memory, or read from other file bytes. */
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2f00, 0x403000, 0x10, 0x30, 8);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 4: the PT_TLS template [0x403000, 0x403010) is not loaded");
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2200, 0x402100, 0x10, 0x30, 8);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "PT_TLS template");
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2100, 0x402100, 0x40, 0x30, 8);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 4: p_filesz 0x40 is larger than p_memsz 0x30");
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2100, 0x402100, 0x10, 0x30, 12);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "p_align 0xc is not a power of two");

	x.eh.e_phnum = 6;
	x.ph[4] = x.ph[5] = phdr(PT_TLS, PF_R, 0x2100, 0x402100, 0x10, 0x30, 8);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 5: a second PT_TLS (the first is program header 4)");
}

Test(elf_exec, other_program_headers_are_ignored)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	x.eh.e_phnum = 8;
	/* Nothing is loaded from these, so even nonsense offsets do no harm. */
	x.ph[4] = phdr(PT_NOTE, PF_R, UINT64_MAX, 0, 0x100, 0x100, 4);
	x.ph[5] = phdr(PT_GNU_RELRO, PF_R, 0x2000, 0x402000, 0x800, 0x800, 1);
	x.ph[6] = phdr(PT_NULL, 0, 0, 0, 0, 0, 0);
	x.ph[7] = phdr(0x6fffffff, 0, 0, 0, 0, 0, 0);
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_nsegments, 3);
}

Test(elf_exec, osabi_gnu_is_accepted)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	x.eh.e_ident[EI_OSABI] = ELFOSABI_GNU;
	expect_exec_accepted(&x, &info);
}

/* --- executables: the identification and the file header ------------------------- */

Test(elf_exec, truncated_at_every_length_is_refused)
{
	struct fexec x;
	uint8_t *full;
	char err[ELF_ERRLEN];
	struct elf_exec_info info;

	fexec_init(&x);
	full = fexec_image(&x);
	for (size_t len = 0; len < x.len; len++) {
		uint8_t *img = exact_copy(full, len);
		kern_return_t kr = elf_exec_parse(img, len, USER_MIN, USER_MAX, &info, err, sizeof(err));
		const char *want = len < 16 ? "too short for an ELF identification" :
		    len < 64 ? "too short for the ELF header (64 bytes)" :
		    len < 64 + 4 * 56 ? "program header table (e_phoff 0x40, 4 entries of 56 bytes) runs past the end" :
		    "runs past the end of the file";

		cr_assert_eq(kr, KERN_INVALID_ARGUMENT, "length %zu accepted", len);
		cr_assert(strstr(err, want) != NULL, "length %zu: \"%s\" lacks \"%s\"", len, err, want);
		free(img);
	}
	free(full);
}

Test(elf_exec, bad_identification_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.eh.e_ident[EI_MAG1] = 'Z';
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "bad magic 7f 5a 4c 46: not an ELF file");

	fexec_init(&x);
	x.eh.e_ident[EI_CLASS] = ELFCLASS32;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "EI_CLASS 1 (ELFCLASS32): only ELFCLASS64");
	x.eh.e_ident[EI_CLASS] = 7;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "EI_CLASS 7 is not a valid class");

	fexec_init(&x);
	x.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "big-endian");
	x.eh.e_ident[EI_DATA] = 0;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "EI_DATA 0 is not a valid byte order");

	fexec_init(&x);
	x.eh.e_ident[EI_VERSION] = 0;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "EI_VERSION 0: expected 1");

	fexec_init(&x);
	x.eh.e_ident[EI_OSABI] = 9;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "EI_OSABI 9");
}

Test(elf_exec, bad_file_header_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.eh.e_version = 2;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_version 2: expected 1");

	fexec_init(&x);
	x.eh.e_machine = EM_AARCH64;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED,
	    "e_machine 183 (EM_AARCH64): only EM_X86_64 (62) is supported");
	x.eh.e_machine = EM_386;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "e_machine 3 (EM_386)");

	fexec_init(&x);
	x.eh.e_ehsize = 52;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_ehsize 52: expected 64");

	fexec_init(&x);
	x.eh.e_type = ET_REL;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_type 1 (ET_REL): not an executable");
	x.eh.e_type = ET_CORE;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_type 4 (ET_CORE)");
	x.eh.e_type = 0xfe00;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "(unknown)");
}

Test(elf_exec, bad_program_header_table_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.eh.e_phentsize = 32;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_phentsize 32: expected 56");

	fexec_init(&x);
	x.eh.e_phnum = 0;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_phnum is 0");

	fexec_init(&x);
	x.eh.e_phnum = PN_XNUM;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "PN_XNUM");

	/* phnum x phentsize beyond the file, and offsets that would wrap a sum. */
	fexec_init(&x);
	x.eh.e_phnum = 0xfffe;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header table (e_phoff 0x40, 65534 entries of 56 bytes) runs past the end "
	    "of the file (0x3000 bytes)");
	fexec_init(&x);
	x.eh.e_phoff = 0x3000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "program header table (e_phoff 0x3000");
	x.eh.e_phoff = UINT64_MAX - 8;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_phoff 0xfffffffffffffff7");
	x.eh.e_phoff = UINT64_MAX - 4 * 56 + 1;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "runs past the end of the file");
}

Test(elf_exec, bad_section_header_table_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.eh.e_shnum = 3;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_shnum 3, but e_shoff is 0");
	fexec_init(&x);
	x.eh.e_shstrndx = 1;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_shstrndx 1, but there is no section");

	fexec_init(&x);
	x.eh.e_shoff = 0x2f80;
	x.eh.e_shnum = 4;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "section header table (e_shoff 0x2f80, 4 entries of 64 bytes) runs past the end");
	x.eh.e_shoff = 0x3000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_shoff 0x3000: the section header table "
	    "starts past the end of the file");
	x.eh.e_shoff = UINT64_MAX - 63;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "starts past the end of the file");

	fexec_init(&x);
	x.eh.e_shoff = 0x2000;		/* zeros: section 0 is a null header */
	x.eh.e_shnum = 2;
	x.eh.e_shentsize = 40;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_shentsize 40: expected 64");
	x.eh.e_shentsize = 64;
	x.eh.e_shstrndx = 2;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_shstrndx 2 is out of range (2 sections)");
	x.eh.e_shstrndx = 0xff05;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_shstrndx 0xff05 is a reserved section index");
	/* Extended numbering with nothing in section 0. */
	x.eh.e_shstrndx = 0;
	x.eh.e_shnum = 0;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "section 0's sh_size is 0 too");
	x.eh.e_shnum = 2;
	x.eh.e_shstrndx = SHN_XINDEX;
	expect_exec_accepted(&x, &(struct elf_exec_info){ 0 });	/* sh_link 0: no names */
}

/* --- executables: PT_LOAD ----------------------------------------------------------- */

Test(elf_exec, segment_file_range_is_checked)
{
	struct fexec x;

	fexec_init(&x);
	x.ph[2].p_offset = 0x1000;
	x.ph[2].p_filesz = 0x5000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 2: p_offset 0x1000 + p_filesz 0x5000 runs past the end of the file "
	    "(0x3000 bytes)");

	fexec_init(&x);
	x.ph[1].p_offset = UINT64_MAX - 0x10;	/* the sum would wrap to a small number */
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "program header 1: p_offset 0xffffffffffffffef");
	x.ph[1].p_offset = 0x1000;
	x.ph[1].p_filesz = UINT64_MAX;
	x.ph[1].p_memsz = UINT64_MAX;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "runs past the end of the file");

	fexec_init(&x);
	x.ph[1].p_filesz = 0x900;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 1: p_filesz 0x900 is larger than p_memsz 0x800");
}

Test(elf_exec, wrapping_addresses_are_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.ph[2].p_vaddr = 0xfffffffffffff000;
	x.ph[2].p_offset = 0x2000;
	x.ph[2].p_memsz = 0x2000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 2: p_vaddr 0xfffffffffffff000 + p_memsz 0x2000 wraps around the "
	    "address space");
	/* The end itself fits, but rounding it up to a page would wrap. */
	x.ph[2].p_memsz = 0x1800;
	x.ph[2].p_filesz = 0x800;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "wraps around the address space");
}

Test(elf_exec, empty_segment_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.ph[2].p_filesz = 0;
	x.ph[2].p_memsz = 0;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "program header 2: a PT_LOAD segment with p_memsz 0");
}

Test(elf_exec, misaligned_segments_are_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.ph[1].p_align = 0x3000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 1: p_align 0x3000 is not a power of two");

	fexec_init(&x);
	x.ph[1].p_align = 0x800000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 1: p_vaddr 0x401000 and p_offset 0x1000 differ modulo p_align 0x800000");

	fexec_init(&x);
	x.ph[1].p_vaddr = 0x401100;
	x.eh.e_entry = 0x401100;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "differ modulo p_align 0x1000");
	x.ph[1].p_align = 0;		/* no alignment asked: the page size still binds */
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 1: p_vaddr 0x401100 and p_offset 0x1000 differ modulo the page size "
	    "(0x1000): the segment cannot be mapped from the file");
}

Test(elf_exec, segment_alignment_is_reported)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	x.ph[2].p_align = 0x2000;
	x.ph[2].p_vaddr = 0x404000;
	x.ph[2].p_offset = 0x2000;
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_align, 0x2000);
	cr_assert_eq(info.ei_segments[2].es_align, 0x2000);
	x.ph[1].p_align = 0;
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_segments[1].es_align, 1);
}

Test(elf_exec, unsorted_overlapping_and_page_sharing_segments_are_refused)
{
	struct fexec x;
	Elf64_Phdr t;

	fexec_init(&x);
	t = x.ph[1];
	x.ph[1] = x.ph[2];
	x.ph[2] = t;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 2: PT_LOAD at 0x401000 comes after one at 0x402000 (program header 1); "
	    "PT_LOAD segments must be sorted by address");

	fexec_init(&x);
	x.ph[1].p_memsz = 0x1800;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 2: [0x402000, 0x405000) overlaps program header 1's segment "
	    "[0x401000, 0x402800)");

	fexec_init(&x);
	x.ph[2].p_vaddr = 0x401000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "overlaps program header 1's segment");

	fexec_init(&x);
	x.ph[2] = phdr(PT_LOAD, PF_R | PF_W, 0x2800, 0x401800, 0x800, 0x800, 0x1000);
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "program header 2: its first page 0x401000 is also the last page of program header "
	    "1's segment, which ends at 0x401800; segments may not share a page");
}

Test(elf_exec, too_many_segments_are_refused)
{
	struct fexec x;
	struct elf_exec_info info;

	fexec_init(&x);
	x.len = 0x20000;
	x.eh.e_phnum = ELF_EXEC_MAX_SEGMENTS;
	for (unsigned i = 1; i < ELF_EXEC_MAX_SEGMENTS; i++)
		x.ph[i] = phdr(PT_LOAD, PF_R | PF_X, i * 0x1000, 0x400000 + i * 0x1000, 0x10, 0x10, 0x1000);
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_nsegments, ELF_EXEC_MAX_SEGMENTS);

	x.eh.e_phnum = ELF_EXEC_MAX_SEGMENTS + 1;
	x.ph[ELF_EXEC_MAX_SEGMENTS] = phdr(PT_LOAD, PF_R, 0x11000, 0x411000, 0x10, 0x10, 0x1000);
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "program header 16: more than 16 PT_LOAD segments");
}

Test(elf_exec, no_loadable_segment_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.ph[0] = x.ph[3];
	x.eh.e_phnum = 1;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "no PT_LOAD segments: there is nothing to load");
}

Test(elf_exec, entry_outside_executable_segment_is_refused)
{
	struct fexec x;

	fexec_init(&x);
	x.eh.e_entry = 0x500000;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_entry 0x500000 is not inside any PT_LOAD segment");
	x.eh.e_entry = 0;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "e_entry 0x0 is not inside any PT_LOAD segment");
	x.eh.e_entry = 0x402010;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "e_entry 0x402010 lies in program header 2's segment, which is not executable (rw-)");
	x.eh.e_entry = 0x400040;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT, "not executable (r--)");

	fexec_init(&x);
	x.ph[1].p_memsz = 0x1000;
	x.eh.e_entry = 0x401800;
	expect_exec_refused(&x, KERN_INVALID_ARGUMENT,
	    "e_entry 0x401800 lies past the end of program header 1's file contents (0x401800), "
	    "in zero-filled memory");
}

Test(elf_exec, addresses_outside_the_range_are_refused)
{
	struct fexec x;
	struct elf_exec_info info;
	char err[ELF_ERRLEN];

	/* A kernel-half program. */
	fexec_init(&x);
	for (unsigned i = 0; i < 3; i++)
		x.ph[i].p_vaddr += 0xffffffff80000000 - 0x400000;
	x.eh.e_entry = 0xffffffff80001000;
	expect_exec_refused(&x, KERN_INVALID_ADDRESS,
	    "program header 2: [0xffffffff80002000, 0xffffffff80005000) lies outside the allowed "
	    "range [0x1000, 0x7ffffffff000)");

	/* The never-mapped first page. */
	fexec_init(&x);
	x.ph[0].p_vaddr = 0;
	expect_exec_refused(&x, KERN_INVALID_ADDRESS, "program header 0: [0x0, 0x1000) lies outside");

	/* Past the end of user space (the top page is kept out, too). */
	fexec_init(&x);
	x.ph[2].p_vaddr = 0x7fffffffe000;
	expect_exec_refused(&x, KERN_INVALID_ADDRESS, "program header 2: [0x7fffffffe000, 0x800000001000)");
	x.ph[2].p_vaddr = 0x7fffffffc000;
	expect_exec_accepted(&x, &info);
	x.ph[2].p_vaddr = 0x800000000000;	/* the start of the non-canonical hole */
	expect_exec_refused(&x, KERN_INVALID_ADDRESS, "lies outside the allowed range");

	/* A narrower range from the caller. */
	fexec_init(&x);
	cr_assert_eq(fexec_parse_in(&x, 0x400000, 0x404000, &info, err), KERN_INVALID_ADDRESS);
	cr_assert_eq(fexec_parse_in(&x, 0x400000, 0x405000, &info, err), KERN_SUCCESS);
	cr_assert_eq(fexec_parse_in(&x, 0x401000, 0x405000, &info, err), KERN_INVALID_ADDRESS);

	/* And a range that is no range. */
	cr_assert_eq(fexec_parse_in(&x, 0x5000, 0x5000, &info, err), KERN_INVALID_ARGUMENT);
	cr_assert(strstr(err, "the allowed range [0x5000, 0x5000) is empty or not page-aligned"));
	cr_assert_eq(fexec_parse_in(&x, 0x1001, 0x5000, &info, err), KERN_INVALID_ARGUMENT);
}

Test(elf_exec, interpreter_is_refused_by_name)
{
	struct fexec x;
	uint8_t *img;
	struct elf_exec_info info;
	char err[ELF_ERRLEN];
	static const char interp[] = "/lib64/ld-linux-x86-64.so.2";

	fexec_init(&x);
	x.eh.e_phnum = 5;
	x.ph[4] = x.ph[3];
	x.ph[3] = phdr(PT_INTERP, PF_R, 0x200, 0x400200, sizeof(interp), sizeof(interp), 1);
	img = fexec_image(&x);
	memcpy(img + 0x200, interp, sizeof(interp));
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, err, sizeof(err)),
	    KERN_NOT_SUPPORTED);
	cr_assert_str_eq(err, "program header 3: PT_INTERP asks for the interpreter "
	    "\"/lib64/ld-linux-x86-64.so.2\": dynamic executables are not supported");

	/* Unprintable bytes are not echoed; a long name is cut short. */
	memcpy(img + 0x200, "\033[2Jevil", 8);
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, err, sizeof(err)),
	    KERN_NOT_SUPPORTED);
	cr_assert(strstr(err, "\"?[2Jevil") != NULL, "%s", err);
	free(img);

	x.ph[3].p_filesz = 0x100;
	x.ph[3].p_memsz = 0x100;
	img = fexec_image(&x);
	memset(img + 0x200, 'a', 0xff);
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, err, sizeof(err)),
	    KERN_NOT_SUPPORTED);
	cr_assert(strstr(err, "aaaa...\": dynamic") != NULL, "%s", err);
	free(img);

	/* No NUL, or past the end of the file: refused all the same. */
	x.ph[3].p_filesz = 0x10;
	x.ph[3].p_memsz = 0x10;
	img = fexec_image(&x);
	memset(img + 0x200, 'x', 0x10);
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, err, sizeof(err)),
	    KERN_NOT_SUPPORTED);
	cr_assert_str_eq(err, "program header 3: PT_INTERP (with a malformed path): dynamic "
	    "executables are not supported");
	free(img);
	x.ph[3].p_offset = 0x10000;
	expect_exec_refused(&x, KERN_NOT_SUPPORTED, "dynamic executables are not supported");
}

Test(elf_exec, messages_fit_any_buffer)
{
	struct fexec x;
	struct elf_exec_info info;
	uint8_t *img;
	char *small = malloc(8);

	fexec_init(&x);
	x.ph[2].p_offset = 0x1000;
	x.ph[2].p_filesz = 0x5000;
	img = fexec_image(&x);
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, NULL, 0),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, small, 0),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(elf_exec_parse(img, x.len, USER_MIN, USER_MAX, &info, small, 8),
	    KERN_INVALID_ARGUMENT);
	cr_assert_str_eq(small, "program");
	free(small);
	free(img);
}

/* --- static PIEs and sliding ------------------------------------------------------ */

static void
fexec_init_pie(struct fexec *x)
{
	fexec_init(x);
	x->eh.e_type = ET_DYN;
	x->eh.e_entry -= 0x400000;
	for (unsigned i = 0; i < 3; i++)
		x->ph[i].p_vaddr -= 0x400000;
}

Test(elf_exec, static_pie_is_accepted_and_slides)
{
	struct fexec x;
	struct elf_exec_info info, before;
	char err[ELF_ERRLEN];

	fexec_init_pie(&x);
	x.eh.e_phnum = 5;
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2100, 0x2100, 0x10, 0x30, 8);
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_type, ET_DYN);
	cr_assert_eq(info.ei_start, 0);
	cr_assert_eq(info.ei_end, 0x5000);
	cr_assert_eq(info.ei_entry, 0x1000);
	cr_assert_eq(info.ei_phdr, 0x40);

	before = info;
	cr_assert_eq(elf_exec_slide(&info, 0x555555554000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_SUCCESS, "%s", err);
	cr_assert_eq(info.ei_slide, 0x555555554000);
	cr_assert_eq(info.ei_entry, 0x555555555000);
	cr_assert_eq(info.ei_start, 0x555555554000);
	cr_assert_eq(info.ei_end, 0x555555559000);
	cr_assert_eq(info.ei_phdr, 0x555555554040);
	cr_assert_eq(info.ei_tls.es_vaddr, 0x555555556100);
	for (unsigned i = 0; i < info.ei_nsegments; i++) {
		cr_assert_eq(info.ei_segments[i].es_vaddr, before.ei_segments[i].es_vaddr + 0x555555554000);
		cr_assert_eq(info.ei_segments[i].es_offset, before.ei_segments[i].es_offset);
	}

	/* Refusals leave info as it was. */
	memcpy(&before, &info, sizeof(info));
	cr_assert_eq(elf_exec_slide(&info, 0x800, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_str_eq(err, "slide 0x800 is not a multiple of the image's alignment 0x1000");
	cr_assert_eq(elf_exec_slide(&info, 0x7fff00000000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_INVALID_ADDRESS);
	cr_assert(strstr(err, "would lie outside the allowed range"), "%s", err);
	cr_assert_eq(elf_exec_slide(&info, 0xfffffffffffff000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_INVALID_ADDRESS);
	cr_assert_eq(memcmp(&info, &before, sizeof(info)), 0);
}

Test(elf_exec, slide_needs_a_pie_and_enough_room)
{
	struct fexec x;
	struct elf_exec_info info;
	char err[ELF_ERRLEN];

	fexec_init(&x);
	expect_exec_accepted(&x, &info);
	cr_assert_eq(elf_exec_slide(&info, 0x1000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_str_eq(err, "only an ET_DYN image can slide; this one is ET_EXEC");

	/* A PIE is checked for size only, at its link addresses (here 0). */
	fexec_init_pie(&x);
	cr_assert_eq(fexec_parse_in(&x, 0x10000, 0x14000, &info, err), KERN_INVALID_ADDRESS);
	cr_assert_str_eq(err, "the image spans 0x5000 bytes, more than the allowed range "
	    "[0x10000, 0x14000) holds");
	cr_assert_eq(fexec_parse_in(&x, 0x10000, 0x15000, &info, err), KERN_SUCCESS);

	/* A large p_align binds the slide. */
	x.ph[0].p_align = 0x200000;
	expect_exec_accepted(&x, &info);
	cr_assert_eq(info.ei_align, 0x200000);
	cr_assert_eq(elf_exec_slide(&info, 0x401000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(elf_exec_slide(&info, 0x400000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_SUCCESS);
}

/* --- executables built by the host toolchain --------------------------------------- */

static kern_return_t
parse_file(const char *path, struct elf_exec_info *info, char *err, uint8_t **imgp, size_t *lenp)
{
	kern_return_t kr;

	*imgp = slurp(path, lenp);
	kr = elf_exec_parse(*imgp, *lenp, USER_MIN, USER_MAX, info, err, ELF_ERRLEN);
	if (kr == KERN_SUCCESS)
		check_exec_info(*imgp, *lenp, info, USER_MIN, USER_MAX, path);
	return kr;
}

Test(elf_exec, user_programs_are_static_executables)
{
	static const char *const progs[] = { "hello", "exit_status", "fault", "spin", "trap_bench" };

	for (size_t p = 0; p < nitems(progs); p++) {
		char path[256], err[ELF_ERRLEN];
		struct elf_exec_info info;
		uint8_t *img;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", USER_BUILD_DIR, progs[p]);
		cr_assert_eq(parse_file(path, &info, err, &img, &len), KERN_SUCCESS, "%s: %s", path, err);
		cr_assert_eq(info.ei_type, ET_EXEC, "%s", path);
		cr_assert_eq(info.ei_start, 0x400000, "%s", path);
		cr_assert(info.ei_gnu_stack && !(info.ei_stack_prot & VM_PROT_EXECUTE), "%s", path);
		cr_assert_neq(info.ei_phdr, 0, "%s", path);
		cr_assert(!info.ei_has_tls, "%s", path);
		for (unsigned i = 0; i < info.ei_nsegments; i++)
			cr_assert_neq(info.ei_segments[i].es_prot & (VM_PROT_WRITE | VM_PROT_EXECUTE),
			    VM_PROT_WRITE | VM_PROT_EXECUTE, "%s: a writable, executable segment", path);
		free(img);
	}
}

Test(elf_exec, toolchain_tls_executable_and_static_pie)
{
	struct elf_exec_info info;
	char err[ELF_ERRLEN];
	uint8_t *img;
	size_t len;

	cr_assert_eq(parse_file(ELF_FIXTURE_DIR "/tls_exec", &info, err, &img, &len), KERN_SUCCESS,
	    "%s", err);
	cr_assert_eq(info.ei_type, ET_EXEC);
	cr_assert(info.ei_has_tls);
	cr_assert_eq(info.ei_tls.es_filesz, 4);
	cr_assert_eq(info.ei_tls.es_memsz, 8);
	free(img);

	cr_assert_eq(parse_file(ELF_FIXTURE_DIR "/tls_pie", &info, err, &img, &len), KERN_SUCCESS,
	    "%s", err);
	cr_assert_eq(info.ei_type, ET_DYN);
	cr_assert(info.ei_has_tls);
	cr_assert_eq(info.ei_start, 0);
	cr_assert_eq(elf_exec_slide(&info, 0x400000, USER_MIN, USER_MAX, err, sizeof(err)),
	    KERN_SUCCESS, "%s", err);
	check_exec_info(img, len, &info, USER_MIN, USER_MAX, "slid tls_pie");
	free(img);
}

Test(elf_exec, toolchain_dynamic_program_is_refused)
{
	struct elf_exec_info info;
	char err[ELF_ERRLEN];
	uint8_t *img;
	size_t len;

	cr_assert_eq(parse_file(ELF_FIXTURE_DIR "/dynamic", &info, err, &img, &len),
	    KERN_NOT_SUPPORTED);
	cr_assert(strstr(err, "PT_INTERP asks for the interpreter \"/lib") != NULL, "%s", err);
	cr_assert(strstr(err, "dynamic executables are not supported") != NULL, "%s", err);
	free(img);
}

/* --- synthetic relocatable objects ------------------------------------------------- */

/*
 * Sections, symbols and relocations of the synthetic object. Symbols 0-2 are
 * local (sh_info = Y_START); .rela.text patches .text.
 */
enum { S_NULL, S_TEXT, S_DATA, S_BSS, S_SYMTAB, S_STRTAB, S_SHNDX, S_RELA_TEXT, S_SHSTRTAB,
	S_COUNT };
enum { Y_NULL, Y_SECTION_TEXT, Y_LOCAL_FN, Y_START, Y_DATA, Y_PRINTF, Y_ABS, Y_COMMON, Y_COUNT };
#define FR_NRELA	4

struct frel {
	Elf64_Ehdr	eh;
	Elf64_Shdr	sh[S_COUNT];
	Elf64_Sym	sym[Y_COUNT];
	Elf64_Rela	rela[FR_NRELA];
	uint32_t	shndx[Y_COUNT];
	char		strtab[128];
	char		shstrtab[128];
	uint64_t	home[S_COUNT];	/* where each section's bytes are written */
	uint64_t	home_shoff;
	size_t		len;
};

static uint32_t
str_add(char *table, size_t *used, const char *s)
{
	uint32_t off = (uint32_t)*used;

	memcpy(table + off, s, strlen(s) + 1);
	*used += strlen(s) + 1;
	return off;
}

static void
frel_sections(struct frel *x, size_t *shstr_used)
{
	static const char *const names[S_COUNT] = { "", ".text", ".data", ".bss", ".symtab",
		".strtab", ".symtab_shndx", ".rela.text", ".shstrtab" };
	static const uint32_t types[S_COUNT] = { SHT_NULL, SHT_PROGBITS, SHT_PROGBITS, SHT_NOBITS,
		SHT_SYMTAB, SHT_STRTAB, SHT_SYMTAB_SHNDX, SHT_RELA, SHT_STRTAB };

	for (unsigned i = 1; i < S_COUNT; i++) {
		x->sh[i].sh_name = str_add(x->shstrtab, shstr_used, names[i]);
		x->sh[i].sh_type = types[i];
		x->sh[i].sh_addralign = 8;
	}
	x->sh[S_TEXT].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
	x->sh[S_TEXT].sh_size = 16;
	x->sh[S_DATA].sh_flags = SHF_ALLOC | SHF_WRITE;
	x->sh[S_DATA].sh_size = 16;
	x->sh[S_BSS].sh_flags = SHF_ALLOC | SHF_WRITE;
	x->sh[S_BSS].sh_size = 32;
	x->sh[S_SYMTAB].sh_size = sizeof(x->sym);
	x->sh[S_SYMTAB].sh_entsize = sizeof(Elf64_Sym);
	x->sh[S_SYMTAB].sh_link = S_STRTAB;
	x->sh[S_SYMTAB].sh_info = Y_START;
	x->sh[S_SHNDX].sh_size = sizeof(x->shndx);
	x->sh[S_SHNDX].sh_entsize = 4;
	x->sh[S_SHNDX].sh_link = S_SYMTAB;
	x->sh[S_RELA_TEXT].sh_flags = SHF_INFO_LINK;
	x->sh[S_RELA_TEXT].sh_size = sizeof(x->rela);
	x->sh[S_RELA_TEXT].sh_entsize = sizeof(Elf64_Rela);
	x->sh[S_RELA_TEXT].sh_link = S_SYMTAB;
	x->sh[S_RELA_TEXT].sh_info = S_TEXT;
}

static Elf64_Sym
sym(uint32_t name, unsigned bind, unsigned type, uint16_t shndx, uint64_t value, uint64_t size)
{
	Elf64_Sym s = { name, (unsigned char)ELF64_ST_INFO(bind, type), STV_DEFAULT, shndx, value, size };

	return s;
}

static void
frel_symbols(struct frel *x, size_t *str_used)
{
	x->sym[Y_SECTION_TEXT] = sym(0, STB_LOCAL, STT_SECTION, S_TEXT, 0, 0);
	x->sym[Y_LOCAL_FN] = sym(str_add(x->strtab, str_used, "local_fn"), STB_LOCAL, STT_FUNC, S_TEXT, 8, 8);
	x->sym[Y_START] = sym(str_add(x->strtab, str_used, "fixture_start"), STB_GLOBAL, STT_FUNC,
	    S_TEXT, 0, 8);
	x->sym[Y_DATA] = sym(str_add(x->strtab, str_used, "data"), STB_GLOBAL, STT_OBJECT, S_DATA, 4, 4);
	x->sym[Y_PRINTF] = sym(str_add(x->strtab, str_used, "printf"), STB_GLOBAL, STT_NOTYPE,
	    SHN_UNDEF, 0, 0);
	x->sym[Y_ABS] = sym(str_add(x->strtab, str_used, "abs_sym"), STB_WEAK, STT_NOTYPE, SHN_ABS,
	    0x1234, 0);
	x->sym[Y_COMMON] = sym(str_add(x->strtab, str_used, "common_sym"), STB_GLOBAL, STT_OBJECT,
	    SHN_COMMON, 16, 64);
	x->rela[0] = (Elf64_Rela){ 1, ELF64_R_INFO(Y_PRINTF, R_X86_64_PLT32), -4 };
	x->rela[1] = (Elf64_Rela){ 5, ELF64_R_INFO(Y_DATA, R_X86_64_PC32), -4 };
	x->rela[2] = (Elf64_Rela){ 8, ELF64_R_INFO(Y_SECTION_TEXT, R_X86_64_64), 8 };
	x->rela[3] = (Elf64_Rela){ 12, ELF64_R_INFO(Y_ABS, R_X86_64_32S), 0 };
}

/* Section contents one after the other, 8-aligned, then the section header table. */
static void
frel_layout(struct frel *x, size_t str_used, size_t shstr_used)
{
	uint64_t off = sizeof(Elf64_Ehdr);

	x->sh[S_STRTAB].sh_size = str_used;
	x->sh[S_SHSTRTAB].sh_size = shstr_used;
	for (unsigned i = 1; i < S_COUNT; i++) {
		x->home[i] = off;
		x->sh[i].sh_offset = off;
		if (x->sh[i].sh_type != SHT_NOBITS)
			off = (off + x->sh[i].sh_size + 7) & ~7ULL;
	}
	x->home_shoff = off;
	x->eh.e_shoff = off;
	x->len = off + sizeof(x->sh);
}

static void
frel_init(struct frel *x)
{
	size_t str_used = 1, shstr_used = 1;

	memset(x, 0, sizeof(*x));
	memcpy(x->eh.e_ident, "\177ELF", 4);
	x->eh.e_ident[EI_CLASS] = ELFCLASS64;
	x->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	x->eh.e_ident[EI_VERSION] = EV_CURRENT;
	x->eh.e_type = ET_REL;
	x->eh.e_machine = EM_X86_64;
	x->eh.e_version = EV_CURRENT;
	x->eh.e_ehsize = sizeof(Elf64_Ehdr);
	x->eh.e_shentsize = sizeof(Elf64_Shdr);
	x->eh.e_shnum = S_COUNT;
	x->eh.e_shstrndx = S_SHSTRTAB;
	frel_sections(x, &shstr_used);
	frel_symbols(x, &str_used);
	frel_layout(x, str_used, shstr_used);
}

static uint8_t *
frel_image(const struct frel *x)
{
	uint8_t *img = calloc(1, x->len);
	const void *contents[S_COUNT] = { NULL, "\xe8\0\0\0\0\x8b\x05\0\0\0\0\x90\0\0\0\0",
		"0123456789abcdef", NULL, x->sym, x->strtab, x->shndx, x->rela, x->shstrtab };
	const size_t sizes[S_COUNT] = { 0, 16, 16, 0, sizeof(x->sym), 128, sizeof(x->shndx),
		sizeof(x->rela), 128 };

	cr_assert_not_null(img);
	memcpy(img, &x->eh, sizeof(x->eh));
	for (unsigned i = 1; i < S_COUNT; i++) {
		if (contents[i] != NULL)
			memcpy(img + x->home[i], contents[i],
			    MIN(sizes[i], (size_t)(x->home_shoff - x->home[i])));
	}
	memcpy(img + x->home_shoff, x->sh, sizeof(x->sh));
	return img;
}

static kern_return_t
frel_open(const struct frel *x, struct elf_rel *rel, char *err, uint8_t **imgp)
{
	uint8_t *img = frel_image(x);
	kern_return_t kr;

	memset(err, 'X', ELF_ERRLEN);
	kr = elf_rel_open(rel, img, x->len, err, ELF_ERRLEN);
	if (kr == KERN_SUCCESS)
		check_rel(img, x->len, rel, "synthetic object");
	if (imgp != NULL)
		*imgp = img;
	else
		free(img);
	return kr;
}

static void
expect_rel_refused(const struct frel *x, kern_return_t want, const char *msg)
{
	struct elf_rel rel;
	char err[ELF_ERRLEN];
	kern_return_t kr = frel_open(x, &rel, err, NULL);

	cr_assert_eq(kr, want, "got %d (%s), wanted %d (%s)", kr,
	    kr == KERN_SUCCESS ? "accepted" : err, want, msg);
	cr_assert_not_null(memchr(err, '\0', sizeof(err)), "message not terminated");
	cr_assert(strstr(err, msg) != NULL, "message \"%s\" lacks \"%s\"", err, msg);
}

static void
expect_rel_accepted(const struct frel *x)
{
	struct elf_rel rel;
	char err[ELF_ERRLEN];

	cr_assert_eq(frel_open(x, &rel, err, NULL), KERN_SUCCESS, "refused: %s", err);
}

/* --- relocatable objects: what is accepted, and what is reported ------------------ */

Test(elf_rel, well_formed_object_is_described)
{
	struct frel x;
	struct elf_rel rel;
	struct elf_section sec;
	char err[ELF_ERRLEN];
	uint8_t *img;

	frel_init(&x);
	cr_assert_eq(frel_open(&x, &rel, err, &img), KERN_SUCCESS, "%s", err);
	cr_assert_eq(elf_rel_section_count(&rel), S_COUNT);
	cr_assert_eq(elf_rel_symbol_count(&rel), Y_COUNT);
	cr_assert_eq(rel.er_symtab, S_SYMTAB);
	cr_assert_eq(rel.er_strtab, S_STRTAB);
	cr_assert_eq(rel.er_symtab_shndx, S_SHNDX);
	cr_assert_eq(rel.er_nrelocs, FR_NRELA);

	cr_assert(elf_rel_section(&rel, 0, &sec));
	cr_assert_str_eq(sec.esh_name, "");
	cr_assert_null(sec.esh_data);
	cr_assert(elf_rel_find_section(&rel, ".text", &sec));
	cr_assert_eq(sec.esh_index, S_TEXT);
	cr_assert_eq(sec.esh_size, 16);
	cr_assert_eq(sec.esh_data, img + x.home[S_TEXT]);
	cr_assert_eq(sec.esh_flags, SHF_ALLOC | SHF_EXECINSTR);
	cr_assert_eq(sec.esh_align, 8);
	cr_assert(elf_rel_find_section(&rel, ".bss", &sec));
	cr_assert_eq(sec.esh_type, SHT_NOBITS);
	cr_assert_null(sec.esh_data);
	cr_assert_eq(sec.esh_size, 32);
	cr_assert(!elf_rel_find_section(&rel, ".nothere", &sec));
	cr_assert(!elf_rel_section(&rel, S_COUNT, &sec));
	free(img);
}

Test(elf_rel, symbols_are_decoded)
{
	struct frel x;
	struct elf_rel rel;
	struct elf_symbol s;
	char err[ELF_ERRLEN];
	uint8_t *img;

	frel_init(&x);
	cr_assert_eq(frel_open(&x, &rel, err, &img), KERN_SUCCESS, "%s", err);
	cr_assert(elf_rel_symbol(&rel, Y_LOCAL_FN, &s));
	cr_assert_str_eq(s.esym_name, "local_fn");
	cr_assert_eq(s.esym_bind, STB_LOCAL);
	cr_assert_eq(s.esym_type, STT_FUNC);
	cr_assert_eq(s.esym_kind, ELF_SYM_DEFINED);
	cr_assert_eq(s.esym_shndx, S_TEXT);
	cr_assert_eq(s.esym_value, 8);
	cr_assert_eq(s.esym_size, 8);
	cr_assert(elf_rel_symbol(&rel, Y_PRINTF, &s));
	cr_assert_eq(s.esym_kind, ELF_SYM_UNDEF);
	cr_assert(elf_rel_symbol(&rel, Y_ABS, &s));
	cr_assert_eq(s.esym_kind, ELF_SYM_ABS);
	cr_assert_eq(s.esym_bind, STB_WEAK);
	cr_assert_eq(s.esym_value, 0x1234);
	cr_assert(elf_rel_symbol(&rel, Y_COMMON, &s));
	cr_assert_eq(s.esym_kind, ELF_SYM_COMMON);
	cr_assert_eq(s.esym_value, 16);
	cr_assert(elf_rel_symbol(&rel, Y_NULL, &s));
	cr_assert_str_eq(s.esym_name, "");
	cr_assert_eq(s.esym_kind, ELF_SYM_UNDEF);
	cr_assert(!elf_rel_symbol(&rel, Y_COUNT, &s));

	cr_assert(elf_rel_find_symbol(&rel, "data", &s));
	cr_assert_eq(s.esym_index, Y_DATA);
	cr_assert_eq(s.esym_shndx, S_DATA);
	/* Only globals and weak symbols are found by name. */
	cr_assert(!elf_rel_find_symbol(&rel, "local_fn", &s));
	cr_assert(elf_rel_find_symbol(&rel, "abs_sym", &s));
	free(img);
}

Test(elf_rel, relocations_are_iterated_with_their_types)
{
	static const struct { uint64_t off; uint32_t type, sym, width; const char *name; } want[] = {
		{ 1, R_X86_64_PLT32, Y_PRINTF, 4, "R_X86_64_PLT32" },
		{ 5, R_X86_64_PC32, Y_DATA, 4, "R_X86_64_PC32" },
		{ 8, R_X86_64_64, Y_SECTION_TEXT, 8, "R_X86_64_64" },
		{ 12, R_X86_64_32S, Y_ABS, 4, "R_X86_64_32S" },
	};
	struct frel x;
	struct elf_rel rel;
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	char err[ELF_ERRLEN];
	uint8_t *img;
	unsigned n = 0;

	frel_init(&x);
	cr_assert_eq(frel_open(&x, &rel, err, &img), KERN_SUCCESS, "%s", err);
	elf_rel_reloc_iter_init(&it, &rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		cr_assert_lt(n, nitems(want));
		cr_assert_eq(rl.erl_section, S_RELA_TEXT);
		cr_assert_eq(rl.erl_target, S_TEXT);
		cr_assert_eq(rl.erl_index, n);
		cr_assert_eq(rl.erl_offset, want[n].off);
		cr_assert_eq(rl.erl_type, want[n].type);
		cr_assert_str_eq(rl.erl_type_name, want[n].name);
		cr_assert_eq(rl.erl_width, want[n].width);
		cr_assert_eq(rl.erl_sym, want[n].sym);
		n++;
	}
	cr_assert_eq(n, nitems(want));
	cr_assert(!elf_rel_reloc_next(&it, &rl), "the iterator stays at its end");
	cr_assert_eq(x.rela[0].r_addend, -4);

	/* One section at a time; a section that holds no relocations yields none. */
	elf_rel_reloc_iter_init(&it, &rel, S_RELA_TEXT);
	for (n = 0; elf_rel_reloc_next(&it, &rl); n++)
		;
	cr_assert_eq(n, nitems(want));
	elf_rel_reloc_iter_init(&it, &rel, S_TEXT);
	cr_assert(!elf_rel_reloc_next(&it, &rl));
	elf_rel_reloc_iter_init(&it, &rel, 1000);
	cr_assert(!elf_rel_reloc_next(&it, &rl));
	free(img);
}

Test(elf_rel, relocation_types_are_named)
{
	static const struct { uint32_t type; const char *name; } names[] = {
		{ R_X86_64_NONE, "R_X86_64_NONE" }, { R_X86_64_64, "R_X86_64_64" },
		{ R_X86_64_PC32, "R_X86_64_PC32" }, { R_X86_64_PLT32, "R_X86_64_PLT32" },
		{ R_X86_64_32, "R_X86_64_32" }, { R_X86_64_32S, "R_X86_64_32S" },
		{ R_X86_64_GOTPCREL, "R_X86_64_GOTPCREL" }, { R_X86_64_GOTPCRELX, "R_X86_64_GOTPCRELX" },
		{ R_X86_64_REX_GOTPCRELX, "R_X86_64_REX_GOTPCRELX" }, { R_X86_64_PC64, "R_X86_64_PC64" },
		{ R_X86_64_TPOFF32, "R_X86_64_TPOFF32" }, { R_X86_64_SIZE64, "R_X86_64_SIZE64" },
		{ R_X86_64_RELATIVE, "R_X86_64_RELATIVE" },
	};

	for (size_t i = 0; i < nitems(names); i++)
		cr_assert_str_eq(elf_reloc_type_name(names[i].type), names[i].name);
	cr_assert_null(elf_reloc_type_name(39));
	cr_assert_null(elf_reloc_type_name(40));
	cr_assert_null(elf_reloc_type_name(43));
	cr_assert_null(elf_reloc_type_name(UINT32_MAX));
}

Test(elf_rel, extended_section_numbering_is_read)
{
	struct frel x;
	struct elf_rel rel;
	char err[ELF_ERRLEN];

	frel_init(&x);
	x.eh.e_shnum = 0;
	x.sh[0].sh_size = S_COUNT;
	x.eh.e_shstrndx = SHN_XINDEX;
	x.sh[0].sh_link = S_SHSTRTAB;
	cr_assert_eq(frel_open(&x, &rel, err, NULL), KERN_SUCCESS, "%s", err);
	cr_assert_eq(elf_rel_section_count(&rel), S_COUNT);
	cr_assert_eq(rel.er_shstrndx, S_SHSTRTAB);

	x.sh[0].sh_link = S_COUNT;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "e_shstrndx 9 (from section 0's sh_link) is out of range (9 sections)");
	x.sh[0].sh_link = S_SHSTRTAB;
	x.sh[0].sh_size = 1000;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "1000 entries of 64 bytes) runs past the end");
}

Test(elf_rel, extended_symbol_section_index_is_resolved)
{
	struct frel x;
	struct elf_rel rel;
	struct elf_symbol s;
	char err[ELF_ERRLEN];
	uint8_t *img;

	frel_init(&x);
	x.sym[Y_DATA].st_shndx = SHN_XINDEX;
	x.shndx[Y_DATA] = S_DATA;
	cr_assert_eq(frel_open(&x, &rel, err, &img), KERN_SUCCESS, "%s", err);
	cr_assert(elf_rel_symbol(&rel, Y_DATA, &s));
	cr_assert_eq(s.esym_kind, ELF_SYM_DEFINED);
	cr_assert_eq(s.esym_shndx, S_DATA);
	free(img);

	x.shndx[Y_DATA] = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "symbol 4 (data): its extended section index is 0");
	x.shndx[Y_DATA] = 77;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 4 (data): section index 77 is out of range (9 sections)");
	x.shndx[Y_DATA] = S_DATA;
	x.sh[S_SHNDX].sh_size -= 4;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 6 (.symtab_shndx): sh_size 0x1c, but the symbol table has 8 symbols");
	frel_init(&x);
	x.sh[S_SHNDX].sh_link = S_STRTAB;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 6 (.symtab_shndx): sh_link 5 names a section of type 3, not the symbol table");
	frel_init(&x);
	x.sh[S_SHNDX].sh_type = SHT_PROGBITS;
	x.sym[Y_DATA].st_shndx = SHN_XINDEX;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 4 (data): st_shndx is SHN_XINDEX, but there is no SHT_SYMTAB_SHNDX section");
}

/* --- relocatable objects: headers and sections -------------------------------------- */

Test(elf_rel, truncated_at_every_length_is_refused)
{
	struct frel x;
	struct elf_rel rel;
	char err[ELF_ERRLEN];
	uint8_t *full;

	frel_init(&x);
	full = frel_image(&x);
	for (size_t len = 0; len < x.len; len++) {
		uint8_t *img = exact_copy(full, len);

		cr_assert_eq(elf_rel_open(&rel, img, len, err, sizeof(err)), KERN_INVALID_ARGUMENT,
		    "length %zu accepted", len);
		cr_assert(err[0] != '\0');
		free(img);
	}
	free(full);
}

Test(elf_rel, not_a_relocatable_object_is_refused)
{
	struct frel x;

	frel_init(&x);
	x.eh.e_type = ET_EXEC;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "e_type 2 (ET_EXEC): not a relocatable object (ET_REL)");
	x.eh.e_type = ET_REL;
	x.eh.e_machine = EM_RISCV;
	expect_rel_refused(&x, KERN_NOT_SUPPORTED, "e_machine 243 (EM_RISCV)");

	frel_init(&x);
	x.eh.e_shoff = 0;
	x.eh.e_shnum = 0;
	x.eh.e_shstrndx = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "e_shoff is 0: a relocatable object needs section headers");
	frel_init(&x);
	x.eh.e_shstrndx = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "e_shstrndx is SHN_UNDEF");
}

Test(elf_rel, bad_section_name_table_is_refused)
{
	struct frel x;

	frel_init(&x);
	x.eh.e_shstrndx = S_TEXT;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "e_shstrndx 1 names a section of type 1, not a string table (SHT_STRTAB)");

	frel_init(&x);
	x.sh[S_SHSTRTAB].sh_size += 1;	/* now ends in a name's first byte */
	x.shstrtab[x.sh[S_SHSTRTAB].sh_size - 1] = 'z';
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 8 (the section name table): a string table must begin and end with a NUL");
	frel_init(&x);
	x.shstrtab[0] = '.';
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "must begin and end with a NUL");
	frel_init(&x);
	x.sh[S_SHSTRTAB].sh_size = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "must begin and end with a NUL");
	frel_init(&x);
	x.sh[S_SHSTRTAB].sh_offset = x.len - 4;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 8 (the section name table): sh_offset");

	frel_init(&x);
	x.sh[S_DATA].sh_name = 1000;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 2: sh_name 1000 lies past the end of the section name table");
}

Test(elf_rel, bad_section_headers_are_refused)
{
	struct frel x;

	frel_init(&x);
	x.sh[S_DATA].sh_offset = x.len - 8;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "section 2 (.data): sh_offset");
	x.sh[S_DATA].sh_offset = UINT64_MAX - 4;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "runs past the end of the file");

	/* SHT_NOBITS occupies no file space: its offset and size are not file bounds. */
	frel_init(&x);
	x.sh[S_BSS].sh_offset = UINT64_MAX;
	x.sh[S_BSS].sh_size = 1ULL << 40;
	expect_rel_accepted(&x);

	frel_init(&x);
	x.sh[S_TEXT].sh_addralign = 24;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "section 1 (.text): sh_addralign 0x18 is not a power of two");

	frel_init(&x);
	x.sh[S_TEXT].sh_link = 99;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "section 1 (.text): sh_link 99 is out of range (9 sections)");

	frel_init(&x);
	x.sh[S_DATA].sh_flags |= SHF_INFO_LINK;
	x.sh[S_DATA].sh_info = 9;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "section 2 (.data): sh_info 9 (SHF_INFO_LINK) is out of range");

	frel_init(&x);
	x.sh[S_DATA].sh_type = SHT_REL;
	expect_rel_refused(&x, KERN_NOT_SUPPORTED, "section 2 (.data): SHT_REL relocations");

	frel_init(&x);
	x.sh[S_STRTAB].sh_size -= 1;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "section 5 (.strtab): the string table does not end with a NUL");
	frel_init(&x);
	x.strtab[0] = 'x';
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "section 5 (.strtab): the string table does not begin with a NUL");
}

Test(elf_rel, bad_symbol_table_is_refused)
{
	struct frel x;

	frel_init(&x);
	x.sh[S_SYMTAB].sh_entsize = 16;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 4 (.symtab): sh_entsize 16, expected 24 (sizeof(Elf64_Sym))");
	frel_init(&x);
	x.sh[S_SYMTAB].sh_size -= 1;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "sh_size 0xbf is not a multiple of sh_entsize 24");
	frel_init(&x);
	x.sh[S_SYMTAB].sh_size = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "an empty symbol table");
	frel_init(&x);
	x.sh[S_SYMTAB].sh_link = S_TEXT;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 4 (.symtab): sh_link 1 names a section of type 1, not a string table");
	frel_init(&x);
	x.sh[S_SYMTAB].sh_link = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "sh_link 0 names a section of type 0");
	frel_init(&x);
	x.sh[S_SYMTAB].sh_info = Y_COUNT + 1;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 4 (.symtab): sh_info 9 (one past the last local symbol) is beyond the table's 8 symbols");
	frel_init(&x);
	x.sh[S_RELA_TEXT].sh_type = SHT_SYMTAB;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 7 (.rela.text): a second symbol table (the first is section 4)");
}

Test(elf_rel, bad_symbols_are_refused)
{
	struct frel x;

	frel_init(&x);
	x.sym[Y_START].st_name = 500;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 3: st_name 500 lies past the end of the string table (section 5, ");

	frel_init(&x);
	x.sym[Y_DATA].st_shndx = 50;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "symbol 4 (data): section index 50 is out of range (9 sections)");
	x.sym[Y_DATA].st_shndx = 0xff10;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "symbol 4 (data): st_shndx 0xff10 is a reserved index");

	frel_init(&x);
	x.sym[Y_DATA].st_value = 17;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 4 (data): st_value 0x11 lies past the end of section 2 (.data), which is 0x10 bytes");
	x.sym[Y_DATA].st_value = 16;		/* a label at the very end is fine */
	x.sym[Y_DATA].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
	expect_rel_accepted(&x);
	x.sym[Y_DATA].st_value = 8;
	x.sym[Y_DATA].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
	x.sym[Y_DATA].st_size = UINT64_MAX;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 4 (data): st_value 0x8 + st_size 0xffffffffffffffff runs past the end of section 2");

	frel_init(&x);
	x.sym[Y_COMMON].st_value = 12;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 7 (common_sym): SHN_COMMON with alignment (st_value) 0xc, not a power of two");

	frel_init(&x);
	x.sh[S_DATA].sh_type = SHT_NULL;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "symbol 4 (data): defined in section 2 (.data), which is SHT_NULL");
}

Test(elf_rel, unsupported_bindings_and_types_are_refused)
{
	struct frel x;

	frel_init(&x);
	x.sym[Y_START].st_info = ELF64_ST_INFO(STB_GNU_UNIQUE, STT_OBJECT);
	expect_rel_refused(&x, KERN_NOT_SUPPORTED,
	    "symbol 3 (fixture_start): binding 10 (STB_GNU_UNIQUE) is not supported");
	x.sym[Y_START].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_GNU_IFUNC);
	expect_rel_refused(&x, KERN_NOT_SUPPORTED, "type 10 (STT_GNU_IFUNC) is not supported");
	x.sym[Y_START].st_info = ELF64_ST_INFO(STB_GLOBAL, 7);
	expect_rel_refused(&x, KERN_NOT_SUPPORTED, "type 7 (unknown)");
}

Test(elf_rel, locals_must_come_first)
{
	struct frel x;

	frel_init(&x);
	x.sym[Y_COMMON].st_info = ELF64_ST_INFO(STB_LOCAL, STT_OBJECT);
	x.sym[Y_COMMON].st_shndx = S_BSS;
	x.sym[Y_COMMON].st_value = 0;
	x.sym[Y_COMMON].st_size = 8;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 7 (common_sym): STB_LOCAL, but the symbol table's sh_info (3) says the locals end before it");
	frel_init(&x);
	x.sym[Y_LOCAL_FN].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "symbol 2 (local_fn): not STB_LOCAL, but the symbol table's sh_info (3) places it among the locals");
	frel_init(&x);
	x.sh[S_SYMTAB].sh_info = 0;	/* even the null symbol is local */
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "symbol 0: STB_LOCAL");
}

Test(elf_rel, bad_relocation_sections_are_refused)
{
	struct frel x;

	frel_init(&x);
	x.sh[S_RELA_TEXT].sh_entsize = 16;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 7 (.rela.text): sh_entsize 16, expected 24 (sizeof(Elf64_Rela))");
	frel_init(&x);
	x.sh[S_RELA_TEXT].sh_entsize = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "sh_entsize 0, expected 24");
	frel_init(&x);
	x.sh[S_RELA_TEXT].sh_size = 30;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "sh_size 0x1e is not a multiple of sh_entsize 24");
	frel_init(&x);
	x.sh[S_RELA_TEXT].sh_link = S_STRTAB;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 7 (.rela.text): sh_link 5 names a section of type 3, not the symbol table");
	frel_init(&x);
	x.sh[S_RELA_TEXT].sh_info = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 7 (.rela.text): sh_info 0 does not name a section to relocate");
	x.sh[S_RELA_TEXT].sh_info = 200;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "sh_info 200 (SHF_INFO_LINK) is out of range");
	x.sh[S_RELA_TEXT].sh_flags = 0;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "sh_info 200 does not name a section to relocate");
	x.sh[S_RELA_TEXT].sh_info = S_BSS;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "section 7 (.rela.text): relocates section 3 (.bss), of type 8, which has no contents to patch");
	x.sh[S_RELA_TEXT].sh_info = S_SYMTAB;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "relocates section 4 (.symtab)");
}

Test(elf_rel, bad_relocations_are_refused)
{
	struct frel x;

	frel_init(&x);
	x.rela[2].r_info = ELF64_R_INFO(Y_COUNT, R_X86_64_64);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "relocation 2 in section 7 (.rela.text): symbol index 8 is out of range (8 symbols)");
	x.rela[2].r_info = ELF64_R_INFO(0xffffffff, R_X86_64_64);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "symbol index 4294967295 is out of range");

	frel_init(&x);
	x.rela[1].r_info = ELF64_R_INFO(Y_DATA, 39);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "relocation 1 in section 7 (.rela.text): type 39 is not an x86-64 relocation type");
	x.rela[1].r_info = ELF64_R_INFO(Y_DATA, 0x10000);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "type 65536 is not an x86-64 relocation type");
	x.rela[1].r_info = ELF64_R_INFO(Y_DATA, R_X86_64_RELATIVE);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "R_X86_64_RELATIVE is a dynamic relocation, out of place in a relocatable object");
	x.rela[1].r_info = ELF64_R_INFO(Y_DATA, R_X86_64_JUMP_SLOT);
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "R_X86_64_JUMP_SLOT is a dynamic relocation");

	frel_init(&x);
	x.rela[2].r_offset = 9;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT,
	    "relocation 2 in section 7 (.rela.text): r_offset 0x9 + 8 bytes (R_X86_64_64) runs past "
	    "the end of section 1 (.text), which is 0x10 bytes");
	x.rela[2].r_offset = UINT64_MAX - 2;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "r_offset 0xfffffffffffffffd + 8 bytes");
	x.rela[2].r_offset = 8;
	x.rela[3].r_offset = 13;
	expect_rel_refused(&x, KERN_INVALID_ARGUMENT, "relocation 3 in section 7 (.rela.text): r_offset 0xd + 4 bytes (R_X86_64_32S)");
	x.rela[3].r_offset = 12;
	x.rela[3].r_info = ELF64_R_INFO(Y_ABS, R_X86_64_NONE);
	x.rela[3].r_offset = 16;	/* R_X86_64_NONE patches nothing, even at the end */
	expect_rel_accepted(&x);
}

Test(elf_rel, names_in_messages_are_made_printable)
{
	struct frel x;
	struct elf_rel rel;
	char err[ELF_ERRLEN];

	frel_init(&x);
	x.sym[Y_DATA].st_shndx = 50;
	memcpy(x.strtab + x.sym[Y_DATA].st_name, "d\x1b\n", 3);	/* "d", ESC, LF, then "a" */
	cr_assert_eq(frel_open(&x, &rel, err, NULL), KERN_INVALID_ARGUMENT);
	cr_assert(strstr(err, "symbol 4 (d??a)") != NULL, "%s", err);
}

/* --- relocatable objects built by the host toolchain -------------------------------- */

static void
expect_fixture_relocs(const char *name, const char *const *types, size_t ntypes)
{
	char path[256], err[ELF_ERRLEN];
	struct elf_rel rel;
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	struct elf_symbol s;
	bool seen[8] = { false };
	uint8_t *img;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", ELF_FIXTURE_DIR, name);
	img = slurp(path, &len);
	cr_assert_eq(elf_rel_open(&rel, img, len, err, sizeof(err)), KERN_SUCCESS, "%s: %s", path, err);
	check_rel(img, len, &rel, path);
	elf_rel_reloc_iter_init(&it, &rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		for (size_t t = 0; t < ntypes; t++)
			seen[t] |= strcmp(rl.erl_type_name, types[t]) == 0;
	}
	for (size_t t = 0; t < ntypes; t++)
		cr_assert(seen[t], "%s: no %s relocation", name, types[t]);

	cr_assert(elf_rel_find_symbol(&rel, "fixture_start", &s), "%s", name);
	cr_assert_eq(s.esym_kind, ELF_SYM_DEFINED);
	cr_assert_eq(s.esym_type, STT_FUNC);
	cr_assert(elf_rel_find_symbol(&rel, "fixture_extern_call", &s), "%s", name);
	cr_assert_eq(s.esym_kind, ELF_SYM_UNDEF);
	cr_assert(elf_rel_find_symbol(&rel, "fixture_pointers", &s), "%s", name);
	cr_assert_eq(s.esym_size, 3 * sizeof(void *));
	cr_assert(!elf_rel_find_symbol(&rel, "fixture_local", &s), "%s: a local by name", name);
	free(img);
}

Test(elf_rel, toolchain_kernel_model_object)
{
	static const char *const t[] = { "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_PLT32",
		"R_X86_64_32S" };

	expect_fixture_relocs("kext_kernel.o", t, nitems(t));
}

Test(elf_rel, toolchain_small_model_object)
{
	static const char *const t[] = { "R_X86_64_64", "R_X86_64_32" };

	expect_fixture_relocs("kext_small.o", t, nitems(t));
}

Test(elf_rel, toolchain_pic_objects)
{
	static const char *const relaxed[] = { "R_X86_64_GOTPCRELX", "R_X86_64_REX_GOTPCRELX" };
	static const char *const plain[] = { "R_X86_64_GOTPCREL" };

	expect_fixture_relocs("kext_pic.o", relaxed, nitems(relaxed));
	expect_fixture_relocs("kext_pic_norelax.o", plain, nitems(plain));
}

/* --- random mutations ---------------------------------------------------------------- */

#define MUTATIONS	6000

/*
 * Mutate a copy of base many times, in the headers most of the time (where
 * the reader's decisions are), and feed each to both entry points. Each
 * must accept or refuse with a message; what is accepted must hold up.
 */
static void
mutate_and_parse(const uint8_t *base, size_t len, uint64_t hot_start, uint64_t hot_len, uint64_t seed)
{
	struct test_rand r;
	struct elf_exec_info info;
	struct elf_rel rel;
	char err[ELF_ERRLEN], what[96];
	static const uint8_t interesting[] = { 0x00, 0x01, 0x02, 0x03, 0x07, 0x08, 0x10, 0x18, 0x38,
		0x40, 0x7f, 0x80, 0xfe, 0xff };

	test_rand_seed(&r, seed);
	for (unsigned step = 0; step < MUTATIONS; step++) {
		size_t n = len, flips = 1 + test_rand_below(&r, 6);
		uint8_t *img;

		if (test_rand_below(&r, 8) == 0)
			n = test_rand_below(&r, len + 1);
		img = exact_copy(base, n);
		for (size_t f = 0; f < flips && n > 0; f++) {
			uint64_t at = test_rand_below(&r, 4) != 0 && hot_start < n ?
			    hot_start + test_rand_below(&r, MIN(hot_len, n - hot_start)) :
			    test_rand_below(&r, n);
			uint64_t how = test_rand_below(&r, 3);

			img[at] = how == 0 ? (uint8_t)test_rand_next(&r) :
			    how == 1 ? interesting[test_rand_below(&r, nitems(interesting))] :
			    (uint8_t)(img[at] ^ (1u << test_rand_below(&r, 8)));
		}
		snprintf(what, sizeof(what), "seed 0x%llx step %u", (unsigned long long)seed, step);

		err[0] = '\0';
		if (elf_exec_parse(img, n, USER_MIN, USER_MAX, &info, err, sizeof(err)) == KERN_SUCCESS)
			check_exec_info(img, n, &info, USER_MIN, USER_MAX, what);
		else
			cr_assert(err[0] != '\0' && memchr(err, 0, sizeof(err)), "%s: no message", what);
		err[0] = '\0';
		if (elf_rel_open(&rel, img, n, err, sizeof(err)) == KERN_SUCCESS)
			check_rel(img, n, &rel, what);
		else
			cr_assert(err[0] != '\0' && memchr(err, 0, sizeof(err)), "%s: no message", what);
		free(img);
	}
}

Test(elf_fuzz, synthetic_executable)
{
	struct fexec x;
	uint8_t *img;

	fexec_init(&x);
	x.eh.e_phnum = 5;
	x.ph[4] = phdr(PT_TLS, PF_R, 0x2100, 0x402100, 0x10, 0x30, 8);
	img = fexec_image(&x);
	mutate_and_parse(img, x.len, 0, 64 + 5 * 56, 0x5eed0001);
	free(img);
}

Test(elf_fuzz, synthetic_object)
{
	struct frel x;
	uint8_t *img;

	frel_init(&x);
	img = frel_image(&x);
	mutate_and_parse(img, x.len, 0, x.len, 0x5eed0002);
	free(img);
}

Test(elf_fuzz, user_program)
{
	size_t len;
	uint8_t *img = slurp(USER_BUILD_DIR "/hello", &len);

	mutate_and_parse(img, len, 0, 64 + 8 * 56, 0x5eed0003);
	free(img);
}

Test(elf_fuzz, toolchain_static_pie)
{
	size_t len;
	uint8_t *img = slurp(ELF_FIXTURE_DIR "/tls_pie", &len);

	mutate_and_parse(img, len, 0, 64 + 12 * 56, 0x5eed0004);
	free(img);
}

Test(elf_fuzz, toolchain_object)
{
	Elf64_Ehdr eh;
	size_t len;
	uint8_t *img = slurp(ELF_FIXTURE_DIR "/kext_kernel.o", &len);

	/* The section header table and, half the time, anything else. */
	memcpy(&eh, img, sizeof(eh));
	cr_assert_lt(eh.e_shoff, len);
	mutate_and_parse(img, len, eh.e_shoff, len - eh.e_shoff, 0x5eed0005);
	mutate_and_parse(img, len, 0, len, 0x5eed0006);
	free(img);
}
