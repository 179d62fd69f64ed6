/*
 * elf.h - a validating reader of ELF-64 x86-64 files: executables for the
 * program loader, relocatable objects (kext binaries) for the kext linker.
 *
 * The reader never trusts the file. Every header, table, offset, size,
 * index and string is checked against the file's length and against the
 * other fields it must agree with, with overflow-safe arithmetic, before
 * anything is reported. A file that fails a check is refused with an error
 * code and a message naming the field, its value and what it had to be:
 *
 *	program header 2: p_offset 0x1000 + p_filesz 0x5000 runs past the
 *	end of the file (0x3000 bytes)
 *
 * Error codes:
 *	KERN_INVALID_ARGUMENT	the file is malformed: truncated, a field out
 *				of range, tables running past the end, indices
 *				that name nothing, strings without a NUL
 *	KERN_NOT_SUPPORTED	well-formed, but not something Machina runs or
 *				links: another class, byte order, machine or
 *				OS ABI; a dynamic executable (PT_INTERP);
 *				PN_XNUM program header counts; more than
 *				ELF_EXEC_MAX_SEGMENTS PT_LOAD segments; SHT_REL
 *				sections
 *	KERN_INVALID_ADDRESS	an executable's segments (or a slide) fall
 *				outside the address range the caller allows
 *
 * Executables: elf_exec_parse() checks an ET_EXEC, or an ET_DYN static PIE
 * (one without PT_INTERP), and fills a struct elf_exec_info with everything
 * a loader needs: the entry point, the PT_LOAD segments sorted by address
 * with their protections, where the program headers sit in memory (AT_PHDR),
 * the stack's protection (PT_GNU_STACK) and the TLS template (PT_TLS). A
 * loader maps each segment es as
 *
 *	[trunc_page(es_vaddr), round_page(es_vaddr + es_memsz))  with es_prot,
 *	file bytes [es_offset, es_offset + es_filesz) at es_vaddr,
 *	zeros from es_vaddr + es_filesz to the end of the mapping,
 *
 * and the checks guarantee that this works: file ranges lie inside the
 * file, es_vaddr and es_offset agree modulo the page size, no two segments
 * share a page, every page lies inside [min_addr, max_addr), and the entry
 * point lies in the file-backed part of an executable segment. A static
 * PIE is parsed at its link addresses; elf_exec_slide() moves it to where
 * the loader wants it, with the same range check.
 *
 * Relocatable objects: elf_rel_open() checks an ET_REL from end to end
 * (every section header, string table, symbol and RELA relocation) and
 * keeps a small struct elf_rel; the accessors and the relocation iterator
 * then only walk what was checked, and cannot fail on the file's account.
 * Nothing is applied: the kext linker does that.
 *
 * Invariants
 *   - Nothing is allocated and the file is never written.
 *   - After a successful call, every pointer handed out (names, section
 *     data) points into the caller's buffer, and every name is
 *     NUL-terminated inside it.
 *   - An elf_rel is valid only while its buffer stays unchanged.
 *   - The reader runs on a little-endian machine, as the files it accepts
 *     are little-endian (ELFDATA2LSB).
 *
 * Messages go to err (at most errlen bytes with the NUL; err may be NULL).
 * ELF_ERRLEN bytes always hold a whole message. Names quoted in messages
 * are cut short and have unprintable bytes replaced.
 */

#ifndef LIBKERN_ELF_H
#define LIBKERN_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkern/elf64.h"
#include "mach/kern_return.h"
#include "mach/vm_prot.h"

#define ELF_ERRLEN		192
#define ELF_PAGE_SIZE		0x1000ULL	/* the AMD64 psABI's page size */
#define ELF_EXEC_MAX_SEGMENTS	16

/* --- the file header (both kinds) ----------------------------------------- */

/* The file header's fields, checked, with extended numbering resolved. */
struct elf_header {
	uint16_t	eh_type;	/* ET_REL, ET_EXEC, ET_DYN, ... */
	uint64_t	eh_entry;
	uint64_t	eh_phoff;
	uint16_t	eh_phnum;	/* never PN_XNUM */
	uint64_t	eh_shoff;
	uint32_t	eh_shnum;	/* 0 if there is no section header table */
	uint32_t	eh_shstrndx;	/* SHN_UNDEF if sections have no names */
};

/*
 * elf_header_check: check the identification and the file header, and that
 * the program and section header tables lie inside the file.
 * Returns: KERN_SUCCESS, KERN_INVALID_ARGUMENT, KERN_NOT_SUPPORTED.
 */
kern_return_t	elf_header_check(const void *buf, size_t len, struct elf_header *hdr,
		    char *err, size_t errlen);

/* --- executables ------------------------------------------------------------ */

/* A loadable segment (or the TLS template), from its program header. */
struct elf_segment {
	uint64_t	es_vaddr;	/* p_vaddr, plus any slide */
	uint64_t	es_memsz;
	uint64_t	es_offset;	/* file offset of the byte at es_vaddr */
	uint64_t	es_filesz;	/* <= es_memsz */
	uint64_t	es_align;	/* p_align; 1 when the header says 0 */
	vm_prot_t	es_prot;	/* from p_flags: PF_R, PF_W, PF_X */
	uint16_t	es_phindex;	/* which program header, for messages */
};

struct elf_exec_info {
	uint16_t	ei_type;	/* ET_EXEC, or ET_DYN for a static PIE */
	uint64_t	ei_entry;
	uint64_t	ei_slide;	/* what elf_exec_slide() added; 0 at first */
	uint64_t	ei_start;	/* first page of the lowest segment */
	uint64_t	ei_end;		/* end of the last page of the highest */
	uint64_t	ei_align;	/* largest p_align, at least the page size */
	uint64_t	ei_phdr;	/* program headers in memory (AT_PHDR); 0 if no segment loads them */
	uint16_t	ei_phentsize;	/* AT_PHENT */
	uint16_t	ei_phnum;	/* AT_PHNUM */
	unsigned	ei_nsegments;
	struct elf_segment ei_segments[ELF_EXEC_MAX_SEGMENTS];	/* sorted, disjoint pages */
	bool		ei_gnu_stack;	/* a PT_GNU_STACK header was present */
	vm_prot_t	ei_stack_prot;	/* its flags; without one, read and write only */
	uint64_t	ei_stack_size;	/* its p_memsz: 0 means no preference */
	bool		ei_has_tls;
	struct elf_segment ei_tls;	/* PT_TLS: the initial image lies inside a PT_LOAD */
};

/*
 * elf_exec_parse: check an executable and describe it for a loader. Every
 * page of every PT_LOAD segment must lie in [min_addr, max_addr) (for user
 * space, [0x1000, 0x00007ffffffff000)); a static PIE need only fit in that
 * range's size, and is placed with elf_exec_slide().
 * Returns: KERN_SUCCESS, KERN_INVALID_ARGUMENT, KERN_NOT_SUPPORTED,
 * KERN_INVALID_ADDRESS.
 */
kern_return_t	elf_exec_parse(const void *buf, size_t len, uint64_t min_addr,
		    uint64_t max_addr, struct elf_exec_info *info, char *err, size_t errlen);

/*
 * elf_exec_slide: move a parsed ET_DYN image by slide bytes (a multiple of
 * ei_align), so that it lies in [min_addr, max_addr). info is unchanged on
 * failure.
 * Returns: KERN_SUCCESS, KERN_INVALID_ARGUMENT (not ET_DYN, misaligned
 * slide), KERN_INVALID_ADDRESS.
 */
kern_return_t	elf_exec_slide(struct elf_exec_info *info, uint64_t slide, uint64_t min_addr,
		    uint64_t max_addr, char *err, size_t errlen);

/* --- relocatable objects ----------------------------------------------------- */

/* A checked ET_REL file. [I] after elf_rel_open(). */
struct elf_rel {
	const uint8_t	*er_base;
	size_t		er_len;
	uint64_t	er_shoff;
	uint32_t	er_shnum;
	uint32_t	er_shstrndx;
	uint32_t	er_symtab;	/* the SHT_SYMTAB section; 0 if none */
	uint32_t	er_strtab;	/* its string table */
	uint32_t	er_symtab_shndx; /* its SHT_SYMTAB_SHNDX; 0 if none */
	uint64_t	er_nsyms;	/* symbols, the null symbol 0 included */
	uint64_t	er_nrelocs;	/* RELA entries in all sections */
};

struct elf_section {
	uint32_t	esh_index;
	const char	*esh_name;	/* "" when unnamed */
	uint32_t	esh_type;
	uint64_t	esh_flags;
	uint64_t	esh_addr;
	uint64_t	esh_offset;
	uint64_t	esh_size;
	const void	*esh_data;	/* in the file; NULL for SHT_NOBITS */
	uint64_t	esh_align;	/* a power of two; 1 when the header says 0 */
	uint32_t	esh_link;
	uint32_t	esh_info;
	uint64_t	esh_entsize;
};

enum elf_sym_kind {
	ELF_SYM_UNDEF,		/* SHN_UNDEF: to be resolved by the linker */
	ELF_SYM_DEFINED,	/* in section esym_shndx, at offset esym_value */
	ELF_SYM_ABS,		/* SHN_ABS: esym_value is the value */
	ELF_SYM_COMMON		/* SHN_COMMON: esym_value is the alignment */
};

struct elf_symbol {
	uint64_t	esym_index;
	const char	*esym_name;	/* "" when unnamed */
	uint64_t	esym_value;
	uint64_t	esym_size;
	uint8_t		esym_bind;	/* STB_LOCAL, STB_GLOBAL, STB_WEAK */
	uint8_t		esym_type;	/* STT_NOTYPE .. STT_TLS */
	uint8_t		esym_visibility; /* STV_* */
	enum elf_sym_kind esym_kind;
	uint32_t	esym_shndx;	/* the section for ELF_SYM_DEFINED (SHN_XINDEX resolved) */
};

struct elf_reloc {
	uint32_t	erl_section;	/* the SHT_RELA section holding it */
	uint32_t	erl_target;	/* the section it patches (sh_info) */
	uint64_t	erl_index;	/* entry within erl_section */
	uint64_t	erl_offset;	/* where, in erl_target; the field fits inside */
	uint32_t	erl_type;	/* R_X86_64_* */
	const char	*erl_type_name;	/* "R_X86_64_PC32" */
	uint32_t	erl_width;	/* bytes of the field patched: 0, 1, 2, 4, 8 or 16 */
	uint32_t	erl_sym;	/* a symbol index < er_nsyms */
	int64_t		erl_addend;
};

/* Walks the relocations of one RELA section, or of all of them in section order. */
struct elf_reloc_iter {
	const struct elf_rel *eri_rel;
	uint32_t	eri_section;	/* current section; er_shnum when done */
	bool		eri_all;	/* move on to the next RELA section */
	uint64_t	eri_next;	/* next entry in eri_section */
};

#define ELF_RELOC_ALL	0	/* elf_rel_reloc_iter_init: every RELA section */

/*
 * elf_rel_open: check a relocatable object from end to end and fill *rel.
 * Returns: KERN_SUCCESS, KERN_INVALID_ARGUMENT, KERN_NOT_SUPPORTED.
 */
kern_return_t	elf_rel_open(struct elf_rel *rel, const void *buf, size_t len,
		    char *err, size_t errlen);

/* Sections are numbered 0 (the null section) to count - 1. false past the end. */
uint32_t	elf_rel_section_count(const struct elf_rel *rel);
bool		elf_rel_section(const struct elf_rel *rel, uint32_t index,
		    struct elf_section *sec);
bool		elf_rel_find_section(const struct elf_rel *rel, const char *name,
		    struct elf_section *sec);

/* Symbols are numbered 0 (the null symbol) to count - 1. false past the end. */
uint64_t	elf_rel_symbol_count(const struct elf_rel *rel);
bool		elf_rel_symbol(const struct elf_rel *rel, uint64_t index,
		    struct elf_symbol *sym);
/* elf_rel_find_symbol: the first global or weak symbol with that name. */
bool		elf_rel_find_symbol(const struct elf_rel *rel, const char *name,
		    struct elf_symbol *sym);

/* section: a SHT_RELA section's index, or ELF_RELOC_ALL. */
void		elf_rel_reloc_iter_init(struct elf_reloc_iter *it, const struct elf_rel *rel,
		    uint32_t section);
bool		elf_rel_reloc_next(struct elf_reloc_iter *it, struct elf_reloc *rl);

/* elf_reloc_type_name: "R_X86_64_PC32" for 2; NULL for a type the psABI lacks. */
const char	*elf_reloc_type_name(uint32_t type);

#endif /* LIBKERN_ELF_H */
