/*
 * IOACPITables.c - the firmware's ACPI tables and address map, for the
 * I/O Kit's families (IOACPITables.h).
 */

#include "iokit/Kernel/IOACPITables.h"

#include <stddef.h>

#include "kernel/machine/acpi.h"
#include "mach/vm/vm_init.h"

const void *
IOACPIGetTable(const char *signature, unsigned instance, uint32_t *length)
{
	const struct acpi_header *h;

	if (signature == NULL)
		return NULL;
	for (unsigned i = 0; i < 4; i++) {
		if (signature[i] == '\0')
			return NULL;		/* shorter than a signature */
	}
	h = acpi_find_table(signature, instance);
	if (h != NULL && length != NULL)
		*length = h->length;
	return h;
}

bool
IOACPIAddressRangeIsFree(uint64_t base, uint64_t length)
{
	uint64_t end = base + length;

	if (length == 0 || end < base)
		return false;
	for (unsigned i = 0; i < vm_memmap.mm_count; i++) {
		const struct boot_mem_range *r = &vm_memmap.mm_ranges[i];
		uint64_t rend = r->bmr_base + r->bmr_length;

		if (r->bmr_base < end && base < rend)
			return false;
	}
	return true;
}
