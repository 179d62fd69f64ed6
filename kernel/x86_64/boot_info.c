/*
 * boot_info.c - multiboot2 and PVH, parsed into struct boot_args.
 *
 * Field offsets follow the Multiboot2 specification (section 3.6) and Xen's
 * public/arch-x86/hvm/start_info.h. Every read goes through rd32/rd64 on a
 * bounds-checked offset, so misaligned or truncated input cannot fault.
 */

#include "kernel/x86_64/boot_info.h"

#include <stdbool.h>

#include "libkern/cdefs.h"
#include "libkern/printf.h"
#include "libkern/string.h"

/* Multiboot2 tag types. */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

/* PVH start_info offsets (version 1). */
#define PVH_MAGIC		0
#define PVH_VERSION		4
#define PVH_NR_MODULES		12
#define PVH_MODLIST		16
#define PVH_CMDLINE		24
#define PVH_RSDP		32
#define PVH_MEMMAP		40
#define PVH_MEMMAP_ENTRIES	48
#define PVH_SIZE_V0		40
#define PVH_SIZE_V1		56
#define PVH_MODLIST_ENTRY	32
#define PVH_MEMMAP_ENTRY	24

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void
malformed(struct boot_args *ba, const char *fmt, ...)
{
	va_list ap;

	ba->ba_flags |= BOOT_ARGS_MALFORMED;
	if (ba->ba_error[0] != '\0')
		return;		/* keep the first */
	va_start(ap, fmt);
	vsnprintf(ba->ba_error, sizeof(ba->ba_error), fmt, ap);
	va_end(ap);
}

/* Copy a string of at most max source bytes; true if it had to be cut. */
static bool
copy_string(char *dst, size_t dstlen, const char *src, size_t max)
{
	size_t n = strnlen(src, max);
	bool cut = n >= dstlen;

	if (cut)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return cut;
}

static void
add_range(struct boot_args *ba, uint64_t base, uint64_t length, uint32_t type)
{
	if (ba->ba_nmemmap == BOOT_MEMMAP_MAX) {
		ba->ba_flags |= BOOT_ARGS_MEMMAP_TRUNCATED;
		return;
	}
	ba->ba_memmap[ba->ba_nmemmap++] = (struct boot_mem_range){
		.bmr_base = base, .bmr_length = length, .bmr_type = type };
}

static void
add_module(struct boot_args *ba, uint64_t start, uint64_t end, const char *cmdline,
    size_t max)
{
	struct boot_module *m;

	if (end < start) {
		malformed(ba, "module at 0x%llx ends before it starts",
		    (unsigned long long)start);
		return;
	}
	if (ba->ba_nmodules == BOOT_MODULES_MAX) {
		ba->ba_flags |= BOOT_ARGS_MODULES_TRUNCATED;
		return;
	}
	m = &ba->ba_modules[ba->ba_nmodules++];
	m->bm_start = start;
	m->bm_end = end;
	if (cmdline != NULL)
		(void)copy_string(m->bm_cmdline, sizeof(m->bm_cmdline), cmdline, max);
	else
		m->bm_cmdline[0] = '\0';
}

/* One multiboot2 tag: type at t, size bytes long (size >= 8, in bounds). */
static void
mb2_tag(struct boot_args *ba, const uint8_t *t, uint32_t size, bool *have_mmap,
    uint32_t *mem_lower, uint32_t *mem_upper)
{
	uint32_t type = rd32(t), esize, n;

	switch (type) {
	case MB2_TAG_CMDLINE:
		if (copy_string(ba->ba_cmdline, sizeof(ba->ba_cmdline),
		    (const char *)t + 8, size - 8))
			ba->ba_flags |= BOOT_ARGS_CMDLINE_TRUNCATED;
		break;
	case MB2_TAG_LOADER_NAME:
		(void)copy_string(ba->ba_loader_name, sizeof(ba->ba_loader_name),
		    (const char *)t + 8, size - 8);
		break;
	case MB2_TAG_MODULE:
		if (size < 16) {
			malformed(ba, "multiboot2 module tag too short (%u bytes)", size);
			break;
		}
		add_module(ba, rd32(t + 8), rd32(t + 12), (const char *)t + 16, size - 16);
		break;
	case MB2_TAG_BASIC_MEMINFO:
		if (size >= 16) {
			*mem_lower = rd32(t + 8);
			*mem_upper = rd32(t + 12);
		}
		break;
	case MB2_TAG_MMAP:
		esize = size >= 16 ? rd32(t + 8) : 0;
		if (esize < 24 || esize > size) {
			malformed(ba, "multiboot2 memory map with entry size %u", esize);
			break;
		}
		*have_mmap = true;
		n = (size - 16) / esize;
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *e = t + 16 + (size_t)i * esize;

			add_range(ba, rd64(e), rd64(e + 8), rd32(e + 16));
		}
		break;
	case MB2_TAG_FRAMEBUFFER:
		if (size < 30) {
			malformed(ba, "multiboot2 framebuffer tag too short (%u bytes)", size);
			break;
		}
		ba->ba_framebuffer = (struct boot_framebuffer){
			.bf_addr = rd64(t + 8), .bf_pitch = rd32(t + 16),
			.bf_width = rd32(t + 20), .bf_height = rd32(t + 24),
			.bf_bpp = t[28], .bf_type = t[29] };
		if (ba->ba_framebuffer.bf_type > BOOT_FB_EGA_TEXT)
			ba->ba_framebuffer.bf_type = BOOT_FB_NONE;
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/* A copy of the RSDP; the newer one wins whatever the order. */
		if (ba->ba_rsdp_len > 20 && type == MB2_TAG_ACPI_OLD)
			break;
		ba->ba_rsdp_len = MIN(size - 8, BOOT_RSDP_MAX);
		memcpy(ba->ba_rsdp, t + 8, ba->ba_rsdp_len);
		break;
	default:
		break;		/* tags Machina has no use for */
	}
}

int
boot_info_parse_multiboot2(const void *mbi, struct boot_args *ba)
{
	const uint8_t *p = mbi;
	uint32_t total, off, mem_lower = 0, mem_upper = 0;
	bool have_mmap = false, ended = false;

	ba->ba_loader = BOOT_LOADER_MULTIBOOT2;
	total = rd32(p);
	if (total < 16 || total > MULTIBOOT2_INFO_MAX) {
		malformed(ba, "multiboot2 information of %u bytes", total);
		return -1;
	}
	for (off = 8; off + 8 <= total; off = (off + (uint32_t)ROUNDUP(rd32(p + off + 4), 8))) {
		uint32_t size = rd32(p + off + 4);

		if (rd32(p + off) == MB2_TAG_END) {
			ended = true;
			break;
		}
		if (size < 8 || size > total - off) {
			malformed(ba, "multiboot2 tag %u at offset %u has size %u",
			    rd32(p + off), off, size);
			break;
		}
		mb2_tag(ba, p + off, size, &have_mmap, &mem_lower, &mem_upper);
	}
	if (!ended)
		malformed(ba, "multiboot2 information has no end tag");
	if (!have_mmap && mem_upper != 0) {
		/* Only the basic sizes: conventional memory and what follows 1 MiB. */
		add_range(ba, 0, (uint64_t)mem_lower * 1024, BOOT_MEM_USABLE);
		add_range(ba, 0x100000, (uint64_t)mem_upper * 1024, BOOT_MEM_USABLE);
	} else if (!have_mmap) {
		ba->ba_flags |= BOOT_ARGS_MEMMAP_MISSING;
	}
	return 0;
}

/* A string in guest memory at pa, copied; nothing if pa is 0 or unreachable. */
static bool
pvh_string(boot_phys_map_t map, uint64_t pa, char *dst, size_t dstlen)
{
	size_t lo = 0, hi = dstlen;

	dst[0] = '\0';
	if (pa == 0)
		return false;
	/* Near the end of memory, read only as much as is there: the most. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (map(pa, mid) != NULL)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (lo == 0)
		return false;
	return copy_string(dst, dstlen, map(pa, lo), lo);
}

int
boot_info_parse_pvh(const void *si, boot_phys_map_t map, struct boot_args *ba)
{
	const uint8_t *p = si;
	uint32_t version, nmods, nmem;
	const uint8_t *list;

	ba->ba_loader = BOOT_LOADER_PVH;
	strlcpy(ba->ba_loader_name, "PVH", sizeof(ba->ba_loader_name));
	if (rd32(p + PVH_MAGIC) != PVH_START_MAGIC) {
		malformed(ba, "PVH start_info magic is 0x%x", rd32(p + PVH_MAGIC));
		return -1;
	}
	version = rd32(p + PVH_VERSION);
	if (pvh_string(map, rd64(p + PVH_CMDLINE), ba->ba_cmdline, sizeof(ba->ba_cmdline)))
		ba->ba_flags |= BOOT_ARGS_CMDLINE_TRUNCATED;
	ba->ba_rsdp_paddr = rd64(p + PVH_RSDP);

	nmods = rd32(p + PVH_NR_MODULES);
	if (nmods > BOOT_MODULES_MAX) {
		ba->ba_flags |= BOOT_ARGS_MODULES_TRUNCATED;
		nmods = BOOT_MODULES_MAX;
	}
	list = nmods != 0 ? map(rd64(p + PVH_MODLIST), (uint64_t)nmods * PVH_MODLIST_ENTRY) : NULL;
	if (nmods != 0 && list == NULL)
		malformed(ba, "PVH module list at 0x%llx is unreachable",
		    (unsigned long long)rd64(p + PVH_MODLIST));
	for (uint32_t i = 0; list != NULL && i < nmods; i++) {
		const uint8_t *m = list + (size_t)i * PVH_MODLIST_ENTRY;
		uint64_t start = rd64(m), size = rd64(m + 8);
		char cmdline[BOOT_MODULE_CMDLINE_MAX];

		(void)pvh_string(map, rd64(m + 16), cmdline, sizeof(cmdline));
		if (start + size < start) {
			malformed(ba, "PVH module %u wraps around memory", i);
			continue;
		}
		add_module(ba, start, start + size, cmdline, sizeof(cmdline));
	}

	nmem = version >= 1 ? rd32(p + PVH_MEMMAP_ENTRIES) : 0;
	if (nmem > BOOT_MEMMAP_MAX) {
		ba->ba_flags |= BOOT_ARGS_MEMMAP_TRUNCATED;
		nmem = BOOT_MEMMAP_MAX;
	}
	list = nmem != 0 ? map(rd64(p + PVH_MEMMAP), (uint64_t)nmem * PVH_MEMMAP_ENTRY) : NULL;
	if (list == NULL) {
		ba->ba_flags |= BOOT_ARGS_MEMMAP_MISSING;
		return 0;
	}
	for (uint32_t i = 0; i < nmem; i++) {
		const uint8_t *e = list + (size_t)i * PVH_MEMMAP_ENTRY;

		add_range(ba, rd64(e), rd64(e + 8), rd32(e + 16));
	}
	return 0;
}
