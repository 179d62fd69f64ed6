/*
 * boot_info.h - reading what the boot loader hands over into one struct
 * boot_args: the multiboot2 information (GRUB) or the PVH start_info (QEMU).
 *
 * The parsers are pure functions over memory the caller makes reachable, so
 * the host unit tests feed them well-formed and malformed input directly.
 * Nothing from the loader is trusted: sizes are checked against their
 * containers, counts clamped, strings bounded; what did not fit or made no
 * sense is recorded in ba_flags and ba_error for start-up to report.
 */

#ifndef KERNEL_X86_64_BOOT_INFO_H
#define KERNEL_X86_64_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_args.h"

#define MULTIBOOT2_BOOTLOADER_MAGIC	0x36d76289u
#define PVH_START_MAGIC			0x336ec578u

/* The largest multiboot2 information block believed. */
#define MULTIBOOT2_INFO_MAX		(1u << 20)

/*
 * boot_phys_map_t: make [pa, pa+len) readable; the pointer, or NULL if the
 * range cannot be reached. The kernel's maps through the early direct map.
 */
typedef const void *(*boot_phys_map_t)(uint64_t pa, uint64_t len);

/*
 * boot_info_parse_multiboot2: fill ba from the information at mbi. Returns 0,
 * or -1 if mbi is not multiboot2 information at all (ba_error says why).
 */
int	boot_info_parse_multiboot2(const void *mbi, struct boot_args *ba);

/* boot_info_parse_pvh: the same for an hvm_start_info at si. */
int	boot_info_parse_pvh(const void *si, boot_phys_map_t map, struct boot_args *ba);

#endif /* KERNEL_X86_64_BOOT_INFO_H */
