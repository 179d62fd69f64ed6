/*
 * acpi.h - finding and reading the firmware's ACPI tables.
 *
 * The tables come from firmware and are read as untrusted input: each is
 * checked for its signature, a sane length, that it lies in mapped memory,
 * and its checksum, before anything in it is used. A bad table is reported
 * and skipped; the kernel goes on without it.
 */

#ifndef KERNEL_X86_64_ACPI_H
#define KERNEL_X86_64_ACPI_H

#include <stdint.h>

#include "kernel/boot_args.h"

struct __attribute__((packed)) acpi_header {
	char		signature[4];
	uint32_t	length;
	uint8_t		revision;
	uint8_t		checksum;
	char		oem_id[6];
	char		oem_table_id[8];
	uint32_t	oem_revision;
	uint32_t	creator_id;
	uint32_t	creator_revision;
};

/* acpi_init: find the RSDP (from the loader, else by scanning) and the tables. */
void	acpi_init(const struct boot_args *args);

/* acpi_find_table: the instance'th valid table with this signature, or NULL. */
const struct acpi_header *acpi_find_table(const char signature[4], unsigned instance);

/* acpi_table_count: valid tables found. */
unsigned acpi_table_count(void);

/* acpi_table_at: the index'th valid table, in the order found, or NULL. */
const struct acpi_header *acpi_table_at(unsigned index);

/* acpi_poweroff: enter S5 if the tables say how; returns if it did not work. */
void	acpi_poweroff(void);

/* acpi_reset: the FADT reset register, if there is one; returns if not. */
void	acpi_reset(void);

/*
 * acpi_parse_s5: SLP_TYPa and SLP_TYPb from the \_S5 package in an AML byte
 * stream (the DSDT's body). 0 on success, -1 if absent or malformed.
 * Exposed for the tests.
 */
int	acpi_parse_s5(const uint8_t *aml, uint32_t len, uint8_t *slp_typa,
	    uint8_t *slp_typb);

#endif /* KERNEL_X86_64_ACPI_H */
