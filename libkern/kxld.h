/*
 * kxld.h - the kext linker's core: lay out an ELF-64 relocatable object
 * (a kext's executable, checked by elf_rel_open()) in three segments and
 * relocate it to the address where it will run.
 *
 * The kext manager drives it in four steps:
 *
 *	elf_rel_open(&rel, file, len, ...)		the reader checks the file
 *	kxld_plan(&rel, &plan, ...)			where every section goes
 *	image = allocate plan.kp_size bytes, zeroed, at load_addr
 *	kxld_link(&rel, &plan, image, load_addr, resolve, ctx, ...)
 *
 * then protects each segment (kp_segments[]: text RX, rodata R, data RW),
 * runs the kp_init_count constructors at kp_init_offset, and calls
 * kmod_info->start (kxld_symbol_address() finds kmod_info).
 *
 * The image, from load_addr up, each segment starting on a page:
 *
 *	text	SHF_EXECINSTR sections
 *	rodata	the other read-only SHF_ALLOC sections (.rodata*, .eh_frame, notes)
 *	data	writable sections with contents (.data, .init_array, .fini_array),
 *		the GOT, then SHT_NOBITS sections (.bss), then COMMON symbols
 *
 * kxld_link checks before it acts: it resolves every undefined symbol and
 * computes and range-checks every relocation first, and writes the image
 * only once all of them are good. A refusal names the relocation, its
 * section, its type, the symbol and the value; unresolved symbols are
 * listed together. Nothing is allocated; the object is never written.
 *
 * Error codes:
 *	KERN_INVALID_ARGUMENT	the object cannot be linked as it is: a
 *				relocation out of range, a symbol in a section
 *				that is not loaded, more than KXLD_MAX_SECTIONS
 *				allocated sections, a misaligned load address
 *	KERN_NOT_SUPPORTED	well-formed, but asks for what the kernel does
 *				not do: TLS, a relocation type outside the
 *				kernel code model, .ctors/.dtors, .preinit_array,
 *				writable code, alignment beyond a page
 *	KERN_FAILURE		symbols that the resolver does not know
 *
 * Invariants
 *   - A plan describes the object it was made from, and only that one.
 *   - Segments and image size are multiples of KXLD_PAGE_SIZE; sections lie
 *     inside their segment at their own alignment; the constructor and
 *     destructor arrays are each contiguous.
 *   - After kxld_link fails, the image holds nothing the caller may run.
 *
 * Messages go to err (at most errlen bytes with the NUL; err may be NULL).
 * KXLD_ERRLEN bytes hold every message whole, except a list of unresolved
 * symbols, which is cut to fit and ends "(and N more)".
 */

#ifndef LIBKERN_KXLD_H
#define LIBKERN_KXLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkern/elf.h"
#include "mach/kern_return.h"

#define KXLD_ERRLEN		256
#define KXLD_PAGE_SIZE		0x1000ULL
#define KXLD_MAX_SECTIONS	128	/* SHF_ALLOC sections in one object */

enum kxld_seg {
	KXLD_SEG_TEXT,		/* read, execute */
	KXLD_SEG_RODATA,	/* read */
	KXLD_SEG_DATA,		/* read, write */
	KXLD_NSEGS
};

struct kxld_segment {
	uint64_t	ks_offset;	/* from the start of the image; page-aligned */
	uint64_t	ks_size;	/* a multiple of the page size; may be 0 */
};

/* One SHF_ALLOC section's place in the image. */
struct kxld_section {
	const char	*ksc_name;	/* in the object's section name table */
	uint32_t	ksc_index;	/* section header index in the object */
	enum kxld_seg	ksc_seg;
	uint64_t	ksc_offset;	/* from the start of the image */
	uint64_t	ksc_size;
	bool		ksc_nobits;	/* SHT_NOBITS: zeros, nothing copied */
};

struct kxld_plan {
	uint64_t	kp_size;		/* the whole image, page multiple */
	struct kxld_segment kp_segments[KXLD_NSEGS];
	uint32_t	kp_nsections;
	struct kxld_section kp_sections[KXLD_MAX_SECTIONS];	/* by ksc_index */
	uint64_t	kp_common_offset;	/* COMMON symbols, in the data segment */
	uint64_t	kp_common_size;
	uint64_t	kp_got_offset;		/* 8-byte slots, one per GOT relocation */
	uint64_t	kp_got_count;
	uint64_t	kp_init_offset;		/* .init_array: call 0 .. count - 1 */
	uint64_t	kp_init_count;
	uint64_t	kp_fini_offset;		/* .fini_array: call count - 1 .. 0 */
	uint64_t	kp_fini_count;
	const uint8_t	*kp_object;		/* the file planned, for assertions */
};

/*
 * kxld_plan: decide where every allocated section, the COMMON symbols and
 * the GOT go. Reads only the object; *plan is filled on success.
 * Returns: KERN_SUCCESS, KERN_INVALID_ARGUMENT, KERN_NOT_SUPPORTED.
 */
kern_return_t	kxld_plan(const struct elf_rel *rel, struct kxld_plan *plan,
		    char *err, size_t errlen);

/*
 * kxld_resolve_fn: the address of an undefined symbol, into *addr.
 * Returns KERN_SUCCESS, or anything else for "not known". It may be called
 * more than once for a name and must answer the same each time.
 */
typedef kern_return_t (*kxld_resolve_fn)(void *ctx, const char *name, uint64_t *addr);

/*
 * kxld_link: copy the sections into image (plan->kp_size bytes, zeroed by
 * the caller) and relocate them to run at load_addr (page-aligned).
 * Undefined symbols come from resolve; an undefined weak symbol that it
 * does not know is 0.
 * Returns: KERN_SUCCESS, KERN_INVALID_ARGUMENT, KERN_NOT_SUPPORTED,
 * KERN_FAILURE (unresolved symbols: every one is named).
 */
kern_return_t	kxld_link(const struct elf_rel *rel, const struct kxld_plan *plan,
		    void *image, uint64_t load_addr, kxld_resolve_fn resolve, void *ctx,
		    char *err, size_t errlen);

/* --- the object's symbols ----------------------------------------------------- */

/*
 * Walks symbols, by index. kxld_undefined_next yields every named global or
 * weak undefined symbol (what the object imports), without linking;
 * kxld_export_next every global or weak defined symbol of default or
 * protected visibility (what it exports), with its address at load_addr.
 */
struct kxld_sym_iter {
	const struct elf_rel	*ksi_rel;
	const struct kxld_plan	*ksi_plan;	/* NULL for undefined symbols */
	uint64_t		ksi_load_addr;
	uint64_t		ksi_next;	/* the next symbol index to look at */
};

void		kxld_undefined_iter_init(struct kxld_sym_iter *it, const struct elf_rel *rel);
bool		kxld_undefined_next(struct kxld_sym_iter *it, struct elf_symbol *sym);

void		kxld_export_iter_init(struct kxld_sym_iter *it, const struct elf_rel *rel,
		    const struct kxld_plan *plan, uint64_t load_addr);
bool		kxld_export_next(struct kxld_sym_iter *it, struct elf_symbol *sym,
		    uint64_t *addr);

/*
 * kxld_symbol_address: the address at load_addr of the exported symbol
 * name (see kxld_export_next).
 * Returns: KERN_SUCCESS, KERN_NOT_FOUND.
 */
kern_return_t	kxld_symbol_address(const struct elf_rel *rel, const struct kxld_plan *plan,
		    uint64_t load_addr, const char *name, uint64_t *addr);

/*
 * kxld_section_address: where allocated section number i (0 to
 * kp_nsections - 1, in section index order) lands at load_addr, for a
 * debugger's add-symbol-file -s NAME ADDR.
 */
bool		kxld_section_address(const struct kxld_plan *plan, uint32_t i,
		    uint64_t load_addr, const char **name, uint64_t *addr);

#endif /* LIBKERN_KXLD_H */
