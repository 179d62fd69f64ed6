/*
 * IOACPITables.h - what the firmware says about the machine, for the
 * families that need it before a platform expert can tell them: its ACPI
 * tables (the PCI family reads MCFG to find ECAM), and which physical
 * addresses the firmware's address map (ACPI's "system address map", the
 * E820 map) leaves unclaimed, where a bus may place device registers.
 *
 * Both read what the kernel found at start-up and never change after it:
 * no locks. The tables were checked (signature, length, checksum) when the
 * kernel found them; their contents are still firmware input, to be
 * checked by whoever parses them.
 */

#ifndef IOKIT_KERNEL_IOACPITABLES_H
#define IOKIT_KERNEL_IOACPITABLES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * IOACPIGetTable: the instance'th (from 0) valid table with this 4-byte
 * signature ("MCFG", "APIC", ...), read-only, its whole length (header
 * included) in *length if length is not NULL. NULL if there is none, or
 * if signature is shorter than 4 bytes.
 */
const void	*IOACPIGetTable(const char *signature, unsigned instance, uint32_t *length);

/*
 * IOACPIAddressRangeIsFree: whether no range of the firmware's address map
 * (RAM of any kind, reserved, ACPI, the kernel's own) overlaps
 * [base, base + length). False for an empty or wrapping range.
 */
bool		IOACPIAddressRangeIsFree(uint64_t base, uint64_t length);

#endif /* IOKIT_KERNEL_IOACPITABLES_H */
