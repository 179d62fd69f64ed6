/*
 * ksyms.h - the kernel's own symbol table, embedded in the image.
 *
 * The build links the kernel twice: the first link's symbols (nm -n -S)
 * become a table (tools/mkksyms.py) that the second link places in the
 * .ksyms section, after everything else so that it moves no other symbol.
 * Backtraces, panics and the fault-address report name code with it, with
 * no debugger attached and nothing read from disk.
 *
 * Layout (all little-endian, in .ksyms):
 *	struct ksyms_header
 *	struct ksym[kh_count]		sorted by ks_addr
 *	strtab				per symbol: its nm type letter, then
 *					the NUL-terminated name
 */

#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KSYMS_MAGIC	0x4d59534bu	/* "KSYM" */

struct ksyms_header {
	uint32_t	kh_magic;
	uint32_t	kh_count;
	uint32_t	kh_strtab_off;	/* from the start of the header */
	uint32_t	kh_strtab_size;
};

struct ksym {
	uint64_t	ks_addr;
	uint32_t	ks_size;	/* 0 when unknown (assembly labels) */
	uint32_t	ks_name;	/* offset of the type letter in strtab */
};

struct ksyms_table {
	const struct ksyms_header	*kt_hdr;
	size_t				kt_len;	/* bytes available */
};

/*
 * ksyms_table_lookup: the symbol at or before addr, and addr's offset into
 * it. NULL if the table is empty or malformed, or addr lies before the
 * first symbol or past the end of the last sized one.
 */
const char	*ksyms_table_lookup(const struct ksyms_table *t, uint64_t addr,
		    uint64_t *offset, char *type);

/* ksyms_table_find: a symbol's address by name. */
bool		ksyms_table_find(const struct ksyms_table *t, const char *name,
		    uint64_t *addr);

/* The kernel's table: lookups for addresses in the kernel image. */
const char	*ksyms_lookup(uint64_t addr, uint64_t *offset);
bool		ksyms_find(const char *name, uint64_t *addr);
unsigned	ksyms_count(void);

#endif /* KERNEL_KSYMS_H */
