/*
 * ksyms.c - looking addresses up in the embedded symbol table.
 *
 * The table is built by the build, but it is still read defensively: a
 * truncated or corrupt table must not fault the panic path that uses it.
 */

#include "kernel/ksyms.h"

#include "libkern/string.h"

static const struct ksym *
table_syms(const struct ksyms_table *t, uint32_t *count)
{
	const struct ksyms_header *h = t->kt_hdr;

	if (h == NULL || t->kt_len < sizeof(*h) || h->kh_magic != KSYMS_MAGIC)
		return NULL;
	if ((uint64_t)h->kh_count * sizeof(struct ksym) > t->kt_len - sizeof(*h) ||
	    h->kh_strtab_off > t->kt_len || h->kh_strtab_size > t->kt_len - h->kh_strtab_off)
		return NULL;
	*count = h->kh_count;
	return (const struct ksym *)(h + 1);
}

/* The name of sym, or NULL if its offset is outside the strtab. */
static const char *
sym_name(const struct ksyms_table *t, const struct ksym *sym, char *type)
{
	const struct ksyms_header *h = t->kt_hdr;
	const char *strtab = (const char *)h + h->kh_strtab_off;

	if ((uint64_t)sym->ks_name + 1 >= h->kh_strtab_size)
		return NULL;
	/* The name starts after the type letter; its NUL must be in the table. */
	if (memchr(strtab + sym->ks_name + 1, '\0',
	    h->kh_strtab_size - sym->ks_name - 1) == NULL)
		return NULL;
	if (type != NULL)
		*type = strtab[sym->ks_name];
	return strtab + sym->ks_name + 1;
}

const char *
ksyms_table_lookup(const struct ksyms_table *t, uint64_t addr, uint64_t *offset,
    char *type)
{
	const struct ksym *syms;
	uint32_t count, lo, hi;

	syms = table_syms(t, &count);
	if (syms == NULL || count == 0 || addr < syms[0].ks_addr)
		return NULL;
	/* The last symbol with ks_addr <= addr. */
	lo = 0;
	hi = count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (syms[mid].ks_addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (lo == count - 1 && syms[lo].ks_size != 0 &&
	    addr - syms[lo].ks_addr >= syms[lo].ks_size)
		return NULL;
	if (offset != NULL)
		*offset = addr - syms[lo].ks_addr;
	return sym_name(t, &syms[lo], type);
}

bool
ksyms_table_find(const struct ksyms_table *t, const char *name, uint64_t *addr)
{
	const struct ksym *syms;
	uint32_t count;

	syms = table_syms(t, &count);
	if (syms == NULL)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		const char *n = sym_name(t, &syms[i], NULL);

		if (n != NULL && strcmp(n, name) == 0) {
			*addr = syms[i].ks_addr;
			return true;
		}
	}
	return false;
}
