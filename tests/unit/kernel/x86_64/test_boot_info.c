/*
 * test_boot_info.c - kernel/x86_64/boot_info.c: multiboot2 information and
 * the PVH start_info, well-formed and not, parsed into struct boot_args.
 *
 * Multiboot2 information is built tag by tag (Multiboot2 specification,
 * section 3.6) into a heap buffer of exactly its total size. PVH structures
 * (Xen's hvm_start_info, version 0 and 1) live in fake RAM, reached through
 * a map callback that refuses any range outside it, as the kernel's early
 * map does for memory it cannot reach. Either way a read past what the
 * loader handed over is an ASan report.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "kernel/x86_64/boot_info.h"
#include "mach/vm/pmap.h"

/* Every string in ba is NUL-terminated and every count within its array. */
static void
check_sane(const struct boot_args *ba)
{
	cr_assert_not_null(memchr(ba->ba_cmdline, '\0', sizeof(ba->ba_cmdline)));
	cr_assert_not_null(memchr(ba->ba_loader_name, '\0', sizeof(ba->ba_loader_name)));
	cr_assert_not_null(memchr(ba->ba_error, '\0', sizeof(ba->ba_error)));
	cr_assert_leq(ba->ba_nmemmap, BOOT_MEMMAP_MAX);
	cr_assert_leq(ba->ba_nmodules, BOOT_MODULES_MAX);
	cr_assert_leq(ba->ba_rsdp_len, BOOT_RSDP_MAX);
	for (uint32_t i = 0; i < ba->ba_nmodules; i++) {
		cr_assert_not_null(memchr(ba->ba_modules[i].bm_cmdline, '\0',
		    sizeof(ba->ba_modules[i].bm_cmdline)));
		cr_assert_leq(ba->ba_modules[i].bm_start, ba->ba_modules[i].bm_end);
	}
	cr_assert_eq((ba->ba_flags & BOOT_ARGS_MALFORMED) != 0, ba->ba_error[0] != '\0',
	    "BOOT_ARGS_MALFORMED and ba_error disagree");
}

/* --- building multiboot2 information --------------------------------------- */

struct mb2 {
	uint8_t	*m_buf;
	size_t	m_len;
	size_t	m_cap;
};

static void
mb2_put(struct mb2 *m, const void *p, size_t n)
{
	if (m->m_len + n > m->m_cap) {
		m->m_cap = (m->m_len + n) * 2 + 64;
		m->m_buf = realloc(m->m_buf, m->m_cap);
		cr_assert_not_null(m->m_buf);
	}
	if (n > 0)
		memcpy(m->m_buf + m->m_len, p, n);
	m->m_len += n;
}

static void
mb2_put32(struct mb2 *m, uint32_t v)
{
	mb2_put(m, &v, 4);
}

static void
mb2_pad8(struct mb2 *m)
{
	static const uint8_t zeros[8];

	mb2_put(m, zeros, (8 - m->m_len % 8) % 8);
}

static void
mb2_begin(struct mb2 *m)
{
	memset(m, 0, sizeof(*m));
	mb2_put32(m, 0);		/* total_size, set by mb2_finish */
	mb2_put32(m, 0);		/* reserved */
}

/* A tag: type, size (8 + payload unless size_override), payload, padding. */
static void
mb2_tag_sized(struct mb2 *m, uint32_t type, const void *payload, size_t n, uint32_t size)
{
	mb2_put32(m, type);
	mb2_put32(m, size);
	mb2_put(m, payload, n);
	mb2_pad8(m);
}

static void
mb2_tag(struct mb2 *m, uint32_t type, const void *payload, size_t n)
{
	mb2_tag_sized(m, type, payload, n, (uint32_t)(8 + n));
}

static void
mb2_string_tag(struct mb2 *m, uint32_t type, const char *s)
{
	mb2_tag(m, type, s, strlen(s) + 1);
}

static void
mb2_module(struct mb2 *m, uint32_t start, uint32_t end, const char *cmdline)
{
	uint8_t p[128];
	size_t n = strlen(cmdline) + 1;

	cr_assert_leq(n, sizeof(p) - 8);
	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, cmdline, n);
	mb2_tag(m, 3, p, 8 + n);
}

struct mb2_mmap_entry {
	uint64_t	base;
	uint64_t	length;
	uint32_t	type;
};

/* A memory map tag with entries esize bytes apart (24 in the spec). */
static void
mb2_mmap(struct mb2 *m, const struct mb2_mmap_entry *e, unsigned n, uint32_t esize)
{
	size_t start = m->m_len;
	uint32_t size = (uint32_t)(16 + n * esize);

	mb2_put32(m, 6);
	mb2_put32(m, size);
	mb2_put32(m, esize);
	mb2_put32(m, 0);		/* entry_version */
	for (unsigned i = 0; i < n; i++) {
		uint8_t entry[64] = { 0 };

		memcpy(entry, &e[i].base, 8);
		memcpy(entry + 8, &e[i].length, 8);
		memcpy(entry + 16, &e[i].type, 4);
		mb2_put(m, entry, esize);
	}
	cr_assert_eq(m->m_len - start, size);
	mb2_pad8(m);
}

static void
mb2_meminfo(struct mb2 *m, uint32_t lower_kib, uint32_t upper_kib)
{
	uint32_t p[2] = { lower_kib, upper_kib };

	mb2_tag(m, 4, p, sizeof(p));
}

static void
mb2_framebuffer(struct mb2 *m, uint64_t addr, uint32_t pitch, uint32_t w, uint32_t h,
    uint8_t bpp, uint8_t type)
{
	uint8_t p[24] = { 0 };

	memcpy(p, &addr, 8);
	memcpy(p + 8, &pitch, 4);
	memcpy(p + 12, &w, 4);
	memcpy(p + 16, &h, 4);
	p[20] = bpp;
	p[21] = type;
	mb2_tag(m, 8, p, 24);
}

/* The end tag, the total size, and an exact-size copy to parse. */
static uint8_t *
mb2_finish(struct mb2 *m, bool end_tag)
{
	uint32_t total;
	uint8_t *info;

	if (end_tag)
		mb2_tag(m, 0, NULL, 0);
	total = (uint32_t)m->m_len;
	memcpy(m->m_buf, &total, 4);
	info = malloc(m->m_len);
	memcpy(info, m->m_buf, m->m_len);
	free(m->m_buf);
	return info;
}

static int
parse_mb2(const uint8_t *info, struct boot_args *ba)
{
	int rc;

	memset(ba, 0, sizeof(*ba));
	rc = boot_info_parse_multiboot2(info, ba);
	check_sane(ba);
	cr_assert_eq(ba->ba_loader, BOOT_LOADER_MULTIBOOT2);
	return rc;
}

static uint8_t rsdp_v2[36], rsdp_v1[20];

static void
fill_rsdps(void)
{
	memcpy(rsdp_v2, "RSD PTR ", 8);
	rsdp_v2[15] = 2;
	for (size_t i = 16; i < sizeof(rsdp_v2); i++)
		rsdp_v2[i] = (uint8_t)i;
	memcpy(rsdp_v1, "RSD PTR ", 8);
	rsdp_v1[19] = 0x77;
}

/* --- multiboot2: well-formed ----------------------------------------------- */

Test(multiboot2, everything)
{
	const struct mb2_mmap_entry mm[] = {
		{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0x100000, 0x7ee0000, 1 },
		{ 0x100000000, 0x40000000, 1 },
	};
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	fill_rsdps();
	mb2_begin(&m);
	mb2_string_tag(&m, 1, "console=com1 -v tests=\"a b\"");
	mb2_string_tag(&m, 2, "GRUB 2.06-13");
	mb2_module(&m, 0x200000, 0x280000, "initrd.cpio");
	mb2_module(&m, 0x300000, 0x300000, "");
	mb2_meminfo(&m, 639, 130048);
	mb2_mmap(&m, mm, 4, 24);
	mb2_framebuffer(&m, 0xfd000000, 4096, 1024, 768, 32, 1);
	mb2_tag(&m, 14, rsdp_v1, sizeof(rsdp_v1));
	mb2_tag(&m, 15, rsdp_v2, sizeof(rsdp_v2));
	mb2_tag(&m, 21, "ignored", 7);		/* a tag Machina has no use for */
	info = mb2_finish(&m, true);

	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_eq(ba.ba_flags, 0u, "flags %#x, error \"%s\"", ba.ba_flags,
	    ba.ba_error);
	cr_assert_str_eq(ba.ba_cmdline, "console=com1 -v tests=\"a b\"");
	cr_assert_str_eq(ba.ba_loader_name, "GRUB 2.06-13");
	cr_assert_eq(ba.ba_nmodules, 2u);
	cr_assert_eq(ba.ba_modules[0].bm_start, 0x200000u);
	cr_assert_eq(ba.ba_modules[0].bm_end, 0x280000u);
	cr_assert_str_eq(ba.ba_modules[0].bm_cmdline, "initrd.cpio");
	cr_assert_eq(ba.ba_modules[1].bm_end, 0x300000u);
	cr_assert_str_eq(ba.ba_modules[1].bm_cmdline, "");
	cr_assert_eq(ba.ba_nmemmap, 4u, "the memory map, not the basic sizes");
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(ba.ba_memmap[i].bmr_base, mm[i].base);
		cr_assert_eq(ba.ba_memmap[i].bmr_length, mm[i].length);
		cr_assert_eq(ba.ba_memmap[i].bmr_type, mm[i].type);
	}
	cr_assert_eq(ba.ba_framebuffer.bf_addr, 0xfd000000u);
	cr_assert_eq(ba.ba_framebuffer.bf_pitch, 4096u);
	cr_assert_eq(ba.ba_framebuffer.bf_width, 1024u);
	cr_assert_eq(ba.ba_framebuffer.bf_height, 768u);
	cr_assert_eq(ba.ba_framebuffer.bf_bpp, 32);
	cr_assert_eq(ba.ba_framebuffer.bf_type, BOOT_FB_RGB);
	cr_assert_eq(ba.ba_rsdp_len, 36u, "the ACPI 2.0 copy wins");
	cr_assert(memcmp(ba.ba_rsdp, rsdp_v2, 36) == 0);
	free(info);
}

Test(multiboot2, minimal_info)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_eq(ba.ba_flags, BOOT_ARGS_MEMMAP_MISSING);
	cr_assert_str_eq(ba.ba_cmdline, "");
	cr_assert_eq(ba.ba_nmodules, 0u);
	cr_assert_eq(ba.ba_nmemmap, 0u);
	free(info);
}

Test(multiboot2, basic_meminfo_when_there_is_no_map)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_meminfo(&m, 639, 130048);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_eq(ba.ba_flags, 0u);
	cr_assert_eq(ba.ba_nmemmap, 2u);
	cr_assert_eq(ba.ba_memmap[0].bmr_base, 0u);
	cr_assert_eq(ba.ba_memmap[0].bmr_length, 639u * 1024);
	cr_assert_eq(ba.ba_memmap[0].bmr_type, BOOT_MEM_USABLE);
	cr_assert_eq(ba.ba_memmap[1].bmr_base, 0x100000u);
	cr_assert_eq(ba.ba_memmap[1].bmr_length, 130048u * 1024);
	cr_assert_eq(ba.ba_memmap[1].bmr_type, BOOT_MEM_USABLE);
	free(info);
}

/* Larger entries than 24 bytes are allowed; the extra bytes are skipped. */
Test(multiboot2, mmap_with_larger_entries)
{
	const struct mb2_mmap_entry mm[] = {
		{ 0x0, 0x9f000, 1 }, { 0x100000, 0x1000000, 3 }, { 0x2000000, 0x1000, 4 },
	};
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_mmap(&m, mm, 3, 40);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_eq(ba.ba_flags, 0u);
	cr_assert_eq(ba.ba_nmemmap, 3u);
	cr_assert_eq(ba.ba_memmap[2].bmr_base, 0x2000000u);
	cr_assert_eq(ba.ba_memmap[2].bmr_type, 4u);
	free(info);
}

Test(multiboot2, acpi_copies_in_either_order)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	fill_rsdps();
	mb2_begin(&m);
	mb2_tag(&m, 15, rsdp_v2, sizeof(rsdp_v2));
	mb2_tag(&m, 14, rsdp_v1, sizeof(rsdp_v1));
	info = mb2_finish(&m, true);
	parse_mb2(info, &ba);
	cr_assert_eq(ba.ba_rsdp_len, 36u, "the newer copy wins even when first");
	cr_assert(memcmp(ba.ba_rsdp, rsdp_v2, 36) == 0);
	free(info);

	mb2_begin(&m);
	mb2_tag(&m, 14, rsdp_v1, sizeof(rsdp_v1));
	info = mb2_finish(&m, true);
	parse_mb2(info, &ba);
	cr_assert_eq(ba.ba_rsdp_len, 20u);
	cr_assert(memcmp(ba.ba_rsdp, rsdp_v1, 20) == 0);
	free(info);

	/* A copy longer than BOOT_RSDP_MAX is cut to it. */
	mb2_begin(&m);
	{
		uint8_t big[64];

		memset(big, 0x42, sizeof(big));
		mb2_tag(&m, 15, big, sizeof(big));
	}
	info = mb2_finish(&m, true);
	parse_mb2(info, &ba);
	cr_assert_eq(ba.ba_rsdp_len, (uint32_t)BOOT_RSDP_MAX);
	free(info);
}

/* --- multiboot2: malformed ------------------------------------------------- */

static void
expect_malformed(const struct boot_args *ba, const char *what)
{
	cr_assert(ba->ba_flags & BOOT_ARGS_MALFORMED, "not flagged malformed (%s)", what);
	cr_assert(strstr(ba->ba_error, what) != NULL, "error \"%s\" does not say \"%s\"",
	    ba->ba_error, what);
}

Test(multiboot2, total_size_too_small)
{
	static const uint32_t totals[] = { 0, 1, 8, 15 };
	struct boot_args ba;

	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		uint8_t *info = calloc(1, 16);

		memcpy(info, &totals[i], 4);
		cr_assert_eq(parse_mb2(info, &ba), -1, "total %u", totals[i]);
		expect_malformed(&ba, "bytes");
		free(info);
	}
}

/* Only the 8-byte header exists; nothing past it may be read. */
Test(multiboot2, total_size_huge)
{
	static const uint32_t totals[] = {
		MULTIBOOT2_INFO_MAX + 1, 0x7fffffff, UINT32_MAX,
	};
	struct boot_args ba;

	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		uint8_t *info = calloc(1, 8);

		memcpy(info, &totals[i], 4);
		cr_assert_eq(parse_mb2(info, &ba), -1, "total %u", totals[i]);
		expect_malformed(&ba, "bytes");
		free(info);
	}
}

Test(multiboot2, tag_smaller_than_its_header)
{
	static const uint32_t sizes[] = { 0, 1, 7 };
	struct boot_args ba;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct mb2 m;
		uint8_t *info;

		mb2_begin(&m);
		mb2_string_tag(&m, 1, "kept");
		mb2_tag_sized(&m, 2, "xxxxxxxx", 8, sizes[i]);
		mb2_string_tag(&m, 2, "not reached");
		info = mb2_finish(&m, true);
		cr_assert_eq(parse_mb2(info, &ba), 0, "still multiboot2 information");
		expect_malformed(&ba, "has size");
		cr_assert_str_eq(ba.ba_cmdline, "kept", "tags before it count");
		cr_assert_str_eq(ba.ba_loader_name, "", "the walk stops at it");
		free(info);
	}
}

Test(multiboot2, tag_past_the_end)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_tag_sized(&m, 1, "console=com1", 13, 4096);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "has size 4096");
	cr_assert_str_eq(ba.ba_cmdline, "");
	free(info);

	/* Ends one byte past the total size. */
	mb2_begin(&m);
	mb2_tag_sized(&m, 1, "abcdefg", 8, 16);
	{
		uint32_t total = (uint32_t)m.m_len - 1;

		memcpy(m.m_buf, &total, 4);
		info = malloc(total);
		memcpy(info, m.m_buf, total);
		free(m.m_buf);
	}
	memset(&ba, 0, sizeof(ba));
	cr_assert_eq(boot_info_parse_multiboot2(info, &ba), 0);
	check_sane(&ba);
	expect_malformed(&ba, "has size 16");
	free(info);
}

Test(multiboot2, missing_end_tag)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_string_tag(&m, 1, "-v");
	info = mb2_finish(&m, false);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "no end tag");
	cr_assert_str_eq(ba.ba_cmdline, "-v", "what came before still counts");
	free(info);
}

Test(multiboot2, mmap_entry_size_too_small)
{
	static const uint32_t esizes[] = { 0, 8, 16, 20, 23 };
	const struct mb2_mmap_entry mm[] = { { 0x0, 0x1000, 1 } };
	struct boot_args ba;

	for (size_t i = 0; i < sizeof(esizes) / sizeof(esizes[0]); i++) {
		struct mb2 m;
		uint8_t *info;

		mb2_begin(&m);
		mb2_mmap(&m, mm, 1, 24);
		memcpy(m.m_buf + 8 + 8, &esizes[i], 4);
		info = mb2_finish(&m, true);
		cr_assert_eq(parse_mb2(info, &ba), 0);
		expect_malformed(&ba, "entry size");
		cr_assert_eq(ba.ba_nmemmap, 0u);
		cr_assert(ba.ba_flags & BOOT_ARGS_MEMMAP_MISSING);
		free(info);
	}
}

/* An entry size larger than the tag, or a tag too short for its header. */
Test(multiboot2, mmap_entry_size_past_the_tag)
{
	const struct mb2_mmap_entry mm[] = { { 0x0, 0x1000, 1 } };
	uint32_t big = 1000, tiny = 12;
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_mmap(&m, mm, 1, 24);
	memcpy(m.m_buf + 8 + 8, &big, 4);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "entry size 1000");
	free(info);

	mb2_begin(&m);
	mb2_tag_sized(&m, 6, "\x18\0\0\0", 4, tiny);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "entry size");
	free(info);
}

/* A partial last entry is not read. */
Test(multiboot2, mmap_partial_entry_is_ignored)
{
	const struct mb2_mmap_entry mm[] = { { 0x0, 0x1000, 1 }, { 0x2000, 0x1000, 1 } };
	struct boot_args ba;
	struct mb2 m;
	uint32_t size = 16 + 24 + 20;
	uint8_t *info;

	mb2_begin(&m);
	mb2_mmap(&m, mm, 2, 24);
	memcpy(m.m_buf + 8 + 4, &size, 4);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_eq(ba.ba_nmemmap, 1u);
	free(info);
}

Test(multiboot2, overlong_cmdline_is_truncated)
{
	struct boot_args ba;
	struct mb2 m;
	char *line = malloc(2001);
	uint8_t *info;

	memset(line, 'a', 2000);
	line[2000] = '\0';
	mb2_begin(&m);
	mb2_string_tag(&m, 1, line);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_CMDLINE_TRUNCATED);
	cr_assert_eq(strlen(ba.ba_cmdline), BOOT_LINE_LENGTH - 1u);
	free(info);

	/* Exactly BOOT_LINE_LENGTH - 1 characters fit. */
	line[BOOT_LINE_LENGTH - 1] = '\0';
	mb2_begin(&m);
	mb2_string_tag(&m, 1, line);
	info = mb2_finish(&m, true);
	parse_mb2(info, &ba);
	cr_assert_not(ba.ba_flags & BOOT_ARGS_CMDLINE_TRUNCATED);
	cr_assert_eq(strlen(ba.ba_cmdline), BOOT_LINE_LENGTH - 1u);
	free(info);
	free(line);
}

/* Strings without their NUL are bounded by the tag. */
Test(multiboot2, strings_without_nul)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_tag(&m, 1, "-v debug=8", 10);
	mb2_tag(&m, 2, "GRUB", 4);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_str_eq(ba.ba_cmdline, "-v debug=8");
	cr_assert_str_eq(ba.ba_loader_name, "GRUB");
	free(info);

	/* The very last bytes of the information, unterminated. */
	mb2_begin(&m);
	mb2_tag(&m, 1, "12345678", 8);
	info = mb2_finish(&m, false);
	parse_mb2(info, &ba);
	cr_assert_str_eq(ba.ba_cmdline, "12345678");
	free(info);
}

Test(multiboot2, overlong_loader_name_and_module_cmdline)
{
	struct boot_args ba;
	struct mb2 m;
	char text[101];
	uint8_t *info;

	memset(text, 'n', 100);
	text[100] = '\0';
	mb2_begin(&m);
	mb2_string_tag(&m, 2, text);
	mb2_module(&m, 0x1000, 0x2000, text);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert_eq(strlen(ba.ba_loader_name), BOOT_LOADER_NAME_MAX - 1u);
	cr_assert_eq(strlen(ba.ba_modules[0].bm_cmdline), BOOT_MODULE_CMDLINE_MAX - 1u);
	cr_assert_eq(ba.ba_flags & BOOT_ARGS_CMDLINE_TRUNCATED, 0u,
	    "only the boot-args line sets the flag");
	free(info);
}

Test(multiboot2, too_many_modules)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	for (uint32_t i = 0; i < BOOT_MODULES_MAX + 4; i++)
		mb2_module(&m, 0x100000 * (i + 1), 0x100000 * (i + 1) + 0x1000, "m");
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_MODULES_TRUNCATED);
	cr_assert_eq(ba.ba_nmodules, (uint32_t)BOOT_MODULES_MAX);
	cr_assert_eq(ba.ba_modules[BOOT_MODULES_MAX - 1].bm_start,
	    0x100000u * BOOT_MODULES_MAX, "the first ones are kept");
	free(info);
}

Test(multiboot2, too_many_ranges)
{
	struct mb2_mmap_entry mm[BOOT_MEMMAP_MAX + 30];
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	for (unsigned i = 0; i < BOOT_MEMMAP_MAX + 30; i++)
		mm[i] = (struct mb2_mmap_entry){ 0x2000 * (uint64_t)i, 0x1000, 1 };
	mb2_begin(&m);
	mb2_mmap(&m, mm, BOOT_MEMMAP_MAX + 30, 24);
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_MEMMAP_TRUNCATED);
	cr_assert_eq(ba.ba_nmemmap, (uint32_t)BOOT_MEMMAP_MAX);
	cr_assert_eq(ba.ba_memmap[BOOT_MEMMAP_MAX - 1].bmr_base,
	    0x2000u * (BOOT_MEMMAP_MAX - 1));
	free(info);
}

Test(multiboot2, module_ending_before_it_starts)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_module(&m, 0x300000, 0x200000, "backwards");
	mb2_module(&m, 0x400000, 0x401000, "fine");
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "ends before it starts");
	cr_assert_eq(ba.ba_nmodules, 1u);
	cr_assert_str_eq(ba.ba_modules[0].bm_cmdline, "fine");
	free(info);
}

Test(multiboot2, short_module_and_framebuffer_tags)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_tag(&m, 3, "\0\0\x10\0", 4);	/* 12 bytes: no end address */
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "module tag too short");
	cr_assert_eq(ba.ba_nmodules, 0u);
	free(info);

	mb2_begin(&m);
	mb2_tag(&m, 8, "0123456789abcdefghijk", 21);	/* 29 bytes */
	info = mb2_finish(&m, true);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "framebuffer tag too short");
	cr_assert_eq(ba.ba_framebuffer.bf_type, BOOT_FB_NONE);
	free(info);
}

Test(multiboot2, unknown_framebuffer_type_is_none)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_framebuffer(&m, 0xb8000, 160, 80, 25, 16, 2);
	info = mb2_finish(&m, true);
	parse_mb2(info, &ba);
	cr_assert_eq(ba.ba_framebuffer.bf_type, BOOT_FB_EGA_TEXT);
	free(info);

	mb2_begin(&m);
	mb2_framebuffer(&m, 0xb8000, 160, 80, 25, 16, 7);
	info = mb2_finish(&m, true);
	parse_mb2(info, &ba);
	cr_assert_eq(ba.ba_framebuffer.bf_type, BOOT_FB_NONE);
	free(info);
}

Test(multiboot2, keeps_the_first_error)
{
	struct boot_args ba;
	struct mb2 m;
	uint8_t *info;

	mb2_begin(&m);
	mb2_module(&m, 0x3000, 0x2000, "backwards");
	mb2_tag(&m, 8, "short", 5);
	info = mb2_finish(&m, false);
	cr_assert_eq(parse_mb2(info, &ba), 0);
	expect_malformed(&ba, "ends before it starts");
	free(info);
}

/* Random damage to valid information: any outcome but a bad read or insanity. */
Test(multiboot2, random_corruption)
{
	const struct mb2_mmap_entry mm[] = {
		{ 0x0, 0x9fc00, 1 }, { 0x100000, 0x100000, 1 },
	};
	struct test_rand r;
	struct mb2 m;
	uint8_t *good, *info;
	size_t len;

	fill_rsdps();
	mb2_begin(&m);
	mb2_string_tag(&m, 1, "-v tests=all");
	mb2_string_tag(&m, 2, "GRUB");
	mb2_module(&m, 0x200000, 0x280000, "initrd");
	mb2_mmap(&m, mm, 2, 24);
	mb2_framebuffer(&m, 0xfd000000, 4096, 1024, 768, 32, 1);
	mb2_tag(&m, 15, rsdp_v2, sizeof(rsdp_v2));
	len = m.m_len + 8;
	good = mb2_finish(&m, true);
	test_rand_seed(&r, 0x3b2);
	for (int step = 0; step < 20000; step++) {
		struct boot_args ba;
		int hits = 1 + (int)test_rand_below(&r, 3);

		info = malloc(len);
		memcpy(info, good, len);
		for (int h = 0; h < hits; h++) {
			size_t at = 8 + (size_t)test_rand_below(&r, len - 8);

			info[at] = test_rand_below(&r, 2) ? (uint8_t)test_rand_next(&r) :
			    (uint8_t)test_rand_below(&r, 48);
		}
		(void)parse_mb2(info, &ba);
		free(info);
	}
	free(good);
}

/* --- PVH ------------------------------------------------------------------- */

#define GUEST_PA	0x10000ULL
#define GUEST_SIZE	0x10000ULL		/* the fake RAM the map reaches */

static uint8_t *guest;

static const void *
guest_map(uint64_t pa, uint64_t len)
{
	return pmap_physmap_contains(pa, len) ? phystokv(pa) : NULL;
}

static void
pvh_setup(void)
{
	guest = fake_ram_add(GUEST_PA, GUEST_SIZE);
}

static uint8_t *
at(uint64_t pa)
{
	cr_assert(pa >= GUEST_PA && pa < GUEST_PA + GUEST_SIZE);
	return guest + (pa - GUEST_PA);
}

static void
put32(uint64_t pa, uint32_t v)
{
	memcpy(at(pa), &v, 4);
}

static void
put64(uint64_t pa, uint64_t v)
{
	memcpy(at(pa), &v, 8);
}

static void
put_string(uint64_t pa, const char *s)
{
	memcpy(at(pa), s, strlen(s) + 1);
}

/* hvm_start_info at si: the fields by their offsets. */
static void
pvh_start_info(uint64_t si, uint32_t version, uint32_t nmods, uint64_t modlist,
    uint64_t cmdline, uint64_t rsdp, uint64_t memmap, uint32_t nmem)
{
	put32(si + 0, PVH_START_MAGIC);
	put32(si + 4, version);
	put32(si + 8, 0);			/* flags */
	put32(si + 12, nmods);
	put64(si + 16, modlist);
	put64(si + 24, cmdline);
	put64(si + 32, rsdp);
	if (version >= 1) {
		put64(si + 40, memmap);
		put32(si + 48, nmem);
		put32(si + 52, 0);
	}
}

static void
pvh_module(uint64_t list, unsigned i, uint64_t paddr, uint64_t size, uint64_t cmdline)
{
	uint64_t e = list + 32 * (uint64_t)i;

	put64(e, paddr);
	put64(e + 8, size);
	put64(e + 16, cmdline);
	put64(e + 24, 0);
}

static void
pvh_range(uint64_t map, unsigned i, uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t e = map + 24 * (uint64_t)i;

	put64(e, addr);
	put64(e + 8, size);
	put32(e + 16, type);
	put32(e + 20, 0);
}

static int
parse_pvh(uint64_t si, struct boot_args *ba)
{
	int rc;

	memset(ba, 0, sizeof(*ba));
	rc = boot_info_parse_pvh(at(si), guest_map, ba);
	check_sane(ba);
	cr_assert_eq(ba->ba_loader, BOOT_LOADER_PVH);
	cr_assert_str_eq(ba->ba_loader_name, "PVH");
	return rc;
}

#define SI	(GUEST_PA + 0x100)
#define MODS	(GUEST_PA + 0x200)
#define MMAP	(GUEST_PA + 0x400)
#define STRS	(GUEST_PA + 0x1000)
#define GUEST_END (GUEST_PA + GUEST_SIZE)

TestSuite(pvh, .init = pvh_setup);

Test(pvh, everything)
{
	struct boot_args ba;

	put_string(STRS, "console=com1 -v");
	put_string(STRS + 0x100, "initrd");
	pvh_module(MODS, 0, 0x200000, 0x80000, STRS + 0x100);
	pvh_module(MODS, 1, 0x300000, 0, 0);
	pvh_range(MMAP, 0, 0x0, 0x9fc00, 1);
	pvh_range(MMAP, 1, 0x100000, 0x7f00000, 1);
	pvh_range(MMAP, 2, 0xfeffc000, 0x4000, 2);
	pvh_start_info(SI, 1, 2, MODS, STRS, 0xf5a40, MMAP, 3);

	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert_eq(ba.ba_flags, 0u, "flags %#x error \"%s\"", ba.ba_flags, ba.ba_error);
	cr_assert_str_eq(ba.ba_cmdline, "console=com1 -v");
	cr_assert_eq(ba.ba_rsdp_paddr, 0xf5a40u);
	cr_assert_eq(ba.ba_rsdp_len, 0u, "PVH gives an address, not a copy");
	cr_assert_eq(ba.ba_nmodules, 2u);
	cr_assert_eq(ba.ba_modules[0].bm_start, 0x200000u);
	cr_assert_eq(ba.ba_modules[0].bm_end, 0x280000u);
	cr_assert_str_eq(ba.ba_modules[0].bm_cmdline, "initrd");
	cr_assert_eq(ba.ba_modules[1].bm_start, ba.ba_modules[1].bm_end);
	cr_assert_str_eq(ba.ba_modules[1].bm_cmdline, "");
	cr_assert_eq(ba.ba_nmemmap, 3u);
	cr_assert_eq(ba.ba_memmap[1].bmr_base, 0x100000u);
	cr_assert_eq(ba.ba_memmap[1].bmr_length, 0x7f00000u);
	cr_assert_eq(ba.ba_memmap[2].bmr_type, 2u);
}

Test(pvh, bad_magic)
{
	struct boot_args ba;

	pvh_start_info(SI, 1, 0, 0, 0, 0, 0, 0);
	put32(SI, 0x336ec577);
	cr_assert_eq(parse_pvh(SI, &ba), -1);
	expect_malformed(&ba, "magic");
}

/*
 * Version 0 has no memory map fields: a 40-byte start_info at the very end
 * of memory must be read no further than that.
 */
Test(pvh, version_0_has_no_memory_map)
{
	struct boot_args ba;
	uint64_t si = GUEST_END - 40;

	put_string(STRS, "-v");
	pvh_start_info(si, 0, 0, 0, STRS, 0, 0, 0);
	cr_assert_eq(parse_pvh(si, &ba), 0);
	cr_assert_eq(ba.ba_flags, BOOT_ARGS_MEMMAP_MISSING);
	cr_assert_str_eq(ba.ba_cmdline, "-v");
}

Test(pvh, no_cmdline_and_unreachable_cmdline)
{
	struct boot_args ba;

	pvh_range(MMAP, 0, 0x0, 0x9fc00, 1);
	pvh_start_info(SI, 1, 0, 0, 0, 0, MMAP, 1);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert_str_eq(ba.ba_cmdline, "");
	cr_assert_eq(ba.ba_flags, 0u);

	pvh_start_info(SI, 1, 0, 0, 0x7fff0000, 0, MMAP, 1);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert_str_eq(ba.ba_cmdline, "");
}

Test(pvh, overlong_cmdline_is_truncated)
{
	struct boot_args ba;

	memset(at(STRS), 'c', 3000);
	at(STRS)[3000] = '\0';
	pvh_start_info(SI, 1, 0, 0, STRS, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_CMDLINE_TRUNCATED);
	cr_assert_eq(strlen(ba.ba_cmdline), BOOT_LINE_LENGTH - 1u);
}

/* A short line in the last bytes of memory: what is there is taken. */
Test(pvh, cmdline_at_the_end_of_memory)
{
	struct boot_args ba;

	put_string(GUEST_END - 6, "-v x=");
	pvh_start_info(SI, 1, 0, 0, GUEST_END - 6, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert_str_eq(ba.ba_cmdline, "-v x=");
}

/*
 * The same without its NUL: the map said only the bytes up to the end of
 * memory are there, so the copy must stop at the end and not read past it.
 */
Test(pvh, unterminated_cmdline_at_the_end_of_memory)
{
	struct boot_args ba;

	memcpy(at(GUEST_END - 5), "-v -x", 5);
	pvh_start_info(SI, 1, 0, 0, GUEST_END - 5, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert_str_eq(ba.ba_cmdline, "-v -x");
}

Test(pvh, unreachable_module_list)
{
	struct boot_args ba;

	pvh_start_info(SI, 1, 2, 0x7fff0000, 0, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	expect_malformed(&ba, "unreachable");
	cr_assert_eq(ba.ba_nmodules, 0u);

	/* The list starts inside memory but runs past its end. */
	pvh_start_info(SI, 1, 2, GUEST_END - 48, 0, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	expect_malformed(&ba, "unreachable");
}

Test(pvh, module_that_wraps_around_memory)
{
	struct boot_args ba;

	pvh_module(MODS, 0, 0xfffffffffffff000, 0x2000, 0);
	pvh_module(MODS, 1, 0x200000, 0x1000, 0);
	pvh_module(MODS, 2, 0x1000, UINT64_MAX, 0);
	pvh_start_info(SI, 1, 3, MODS, 0, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	expect_malformed(&ba, "wraps");
	cr_assert_eq(ba.ba_nmodules, 1u);
	cr_assert_eq(ba.ba_modules[0].bm_start, 0x200000u);
	cr_assert_eq(ba.ba_modules[0].bm_end, 0x201000u);
}

Test(pvh, module_cmdline_unreachable_or_overlong)
{
	struct boot_args ba;

	memset(at(STRS), 'm', 200);
	at(STRS)[200] = '\0';
	pvh_module(MODS, 0, 0x200000, 0x1000, 0x7fff0000);
	pvh_module(MODS, 1, 0x300000, 0x1000, STRS);
	pvh_start_info(SI, 1, 2, MODS, 0, 0, 0, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert_eq(ba.ba_nmodules, 2u);
	cr_assert_str_eq(ba.ba_modules[0].bm_cmdline, "");
	cr_assert_eq(strlen(ba.ba_modules[1].bm_cmdline), BOOT_MODULE_CMDLINE_MAX - 1u);
}

Test(pvh, too_many_modules)
{
	struct boot_args ba;

	for (unsigned i = 0; i < BOOT_MODULES_MAX; i++)
		pvh_module(MODS, i, 0x100000 * (uint64_t)(i + 1), 0x1000, 0);
	/* Only BOOT_MODULES_MAX entries exist: the rest must not be read. */
	pvh_start_info(SI, 1, 1000, GUEST_END - 32 * BOOT_MODULES_MAX, 0, 0, 0, 0);
	memmove(at(GUEST_END - 32 * BOOT_MODULES_MAX), at(MODS), 32 * BOOT_MODULES_MAX);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_MODULES_TRUNCATED);
	cr_assert_eq(ba.ba_nmodules, (uint32_t)BOOT_MODULES_MAX);
}

Test(pvh, unreachable_or_empty_memory_map)
{
	struct boot_args ba;

	pvh_start_info(SI, 1, 0, 0, 0, 0, 0x7fff0000, 4);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_MEMMAP_MISSING);
	cr_assert_eq(ba.ba_nmemmap, 0u);

	pvh_start_info(SI, 1, 0, 0, 0, 0, MMAP, 0);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_MEMMAP_MISSING);
}

Test(pvh, too_many_ranges)
{
	uint64_t map = GUEST_END - 24 * BOOT_MEMMAP_MAX;
	struct boot_args ba;

	for (unsigned i = 0; i < BOOT_MEMMAP_MAX; i++)
		pvh_range(map, i, 0x2000 * (uint64_t)i, 0x1000, 1);
	pvh_start_info(SI, 1, 0, 0, 0, 0, map, UINT32_MAX);
	cr_assert_eq(parse_pvh(SI, &ba), 0);
	cr_assert(ba.ba_flags & BOOT_ARGS_MEMMAP_TRUNCATED);
	cr_assert_eq(ba.ba_nmemmap, (uint32_t)BOOT_MEMMAP_MAX);
	cr_assert_eq(ba.ba_memmap[BOOT_MEMMAP_MAX - 1].bmr_base,
	    0x2000u * (BOOT_MEMMAP_MAX - 1));
}
