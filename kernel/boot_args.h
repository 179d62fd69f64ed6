/*
 * boot_args.h - what the boot loader told us, in one loader-independent form.
 *
 * Both ways in (multiboot2 from GRUB, PVH from QEMU -kernel) are parsed by
 * kernel/x86_64/boot_info.c into one struct boot_args, copied into the kernel
 * so that nothing the loader left in memory is needed afterwards except the
 * modules themselves (the initrd). kernel_bootstrap() receives it; the rest
 * of the kernel reads it through PE_state (kernel/pexpert.h).
 *
 * Everything in here came from outside the kernel: counts are clamped to the
 * arrays, strings are always NUL-terminated, and ba_flags says what had to be
 * cut or dropped so start-up can report it.
 */

#ifndef KERNEL_BOOT_ARGS_H
#define KERNEL_BOOT_ARGS_H

#include <stdint.h>

#define BOOT_LINE_LENGTH	1024	/* XNU's limit on the boot-args line */
#define BOOT_MEMMAP_MAX		128
#define BOOT_MODULES_MAX	16
#define BOOT_MODULE_CMDLINE_MAX	64
#define BOOT_LOADER_NAME_MAX	64
#define BOOT_RSDP_MAX		36	/* an ACPI 2.0 RSDP */

/* Who loaded us. The same values are in boot/boot.inc. */
enum boot_loader {
	BOOT_LOADER_MULTIBOOT2 = 1,
	BOOT_LOADER_PVH = 2,
};

/*
 * Memory types: the e820/multiboot2/PVH numbering (they agree), then the
 * kernel's own types for ranges it carves out of usable memory itself.
 */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
	BOOT_MEM_PERSISTENT = 7,
	BOOT_MEM_KERNEL = 0x100,	/* the kernel image */
	BOOT_MEM_MODULE = 0x101,	/* a boot module (the initrd) */
	BOOT_MEM_LOW = 0x102,		/* below 1 MiB, kept out of the allocator */
};

struct boot_mem_range {
	uint64_t	bmr_base;
	uint64_t	bmr_length;
	uint32_t	bmr_type;	/* enum boot_mem_type; others are reserved */
};

struct boot_module {
	uint64_t	bm_start;	/* physical, inclusive */
	uint64_t	bm_end;		/* physical, exclusive */
	char		bm_cmdline[BOOT_MODULE_CMDLINE_MAX];
};

enum boot_fb_type {
	BOOT_FB_NONE = 0,
	BOOT_FB_RGB = 1,		/* a linear graphics framebuffer */
	BOOT_FB_EGA_TEXT = 2,		/* 80x25-style text, two bytes a cell */
};

struct boot_framebuffer {
	uint64_t	bf_addr;	/* physical */
	uint32_t	bf_pitch;	/* bytes per line */
	uint32_t	bf_width;	/* pixels, or columns in text mode */
	uint32_t	bf_height;	/* pixels, or rows in text mode */
	uint8_t		bf_bpp;
	uint8_t		bf_type;	/* enum boot_fb_type */
};

/* ba_flags: what the loader gave that did not fit or made no sense. */
#define BOOT_ARGS_CMDLINE_TRUNCATED	0x01
#define BOOT_ARGS_MEMMAP_TRUNCATED	0x02
#define BOOT_ARGS_MODULES_TRUNCATED	0x04
#define BOOT_ARGS_MEMMAP_MISSING	0x08
#define BOOT_ARGS_MALFORMED		0x10	/* see ba_error */

struct boot_args {
	uint32_t		ba_loader;	/* enum boot_loader */
	uint32_t		ba_flags;
	char			ba_loader_name[BOOT_LOADER_NAME_MAX];
	char			ba_cmdline[BOOT_LINE_LENGTH];
	uint32_t		ba_nmemmap;
	struct boot_mem_range	ba_memmap[BOOT_MEMMAP_MAX];
	uint32_t		ba_nmodules;
	struct boot_module	ba_modules[BOOT_MODULES_MAX];
	struct boot_framebuffer	ba_framebuffer;
	uint64_t		ba_rsdp_paddr;	/* 0 if the loader gave none */
	uint32_t		ba_rsdp_len;	/* bytes valid in ba_rsdp */
	uint8_t			ba_rsdp[BOOT_RSDP_MAX];	/* a copy (multiboot2) */
	uint64_t		ba_tsc_entry;	/* TSC at the 32-bit entry */
	char			ba_error[96];	/* first malformation found */
};

#endif /* KERNEL_BOOT_ARGS_H */
