/*
 * ksyms_kernel.c - the kernel's own table, found through the linker script.
 */

#include "kernel/ksyms.h"

extern const char __ksyms_start[], __ksyms_end[];
extern const char _kernel_start[], _kernel_end[];

static struct ksyms_table
kernel_table(void)
{
	return (struct ksyms_table){
		.kt_hdr = (const struct ksyms_header *)(const void *)__ksyms_start,
		.kt_len = (size_t)(__ksyms_end - __ksyms_start),
	};
}

const char *
ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	struct ksyms_table t = kernel_table();

	if (addr < (uint64_t)_kernel_start || addr >= (uint64_t)_kernel_end)
		return NULL;
	return ksyms_table_lookup(&t, addr, offset, NULL);
}

bool
ksyms_find(const char *name, uint64_t *addr)
{
	struct ksyms_table t = kernel_table();

	return ksyms_table_find(&t, name, addr);
}

unsigned
ksyms_count(void)
{
	struct ksyms_table t = kernel_table();

	return t.kt_len >= sizeof(struct ksyms_header) &&
	    t.kt_hdr->kh_magic == KSYMS_MAGIC ? t.kt_hdr->kh_count : 0;
}
