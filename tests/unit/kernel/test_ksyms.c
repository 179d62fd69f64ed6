/*
 * test_ksyms.c - kernel/ksyms.c: address and name lookups in a symbol table
 * laid out as kernel/ksyms.h describes, built here.
 *
 * Tables sit in heap buffers of exactly their size (kt_len), so ASan sees
 * any read past the end. ksyms.c promises to read them defensively, since
 * the panic path uses it: a malformed table yields no answer, never a fault,
 * and every name it returns is NUL-terminated inside the table.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "kernel/ksyms.h"

struct sym {
	uint64_t	addr;
	uint32_t	size;
	char		type;
	const char	*name;
};

/* Lay out header, symbols and strtab; the buffer is exactly the table. */
static struct ksyms_table
build(const struct sym *syms, uint32_t n)
{
	size_t strsize = 0, off;
	struct ksyms_header h;
	uint8_t *buf;

	for (uint32_t i = 0; i < n; i++)
		strsize += 1 + strlen(syms[i].name) + 1;
	off = sizeof(h) + n * sizeof(struct ksym);
	buf = malloc(off + strsize + (off + strsize == 0));
	h = (struct ksyms_header){ .kh_magic = KSYMS_MAGIC, .kh_count = n,
		.kh_strtab_off = (uint32_t)off, .kh_strtab_size = (uint32_t)strsize };
	memcpy(buf, &h, sizeof(h));
	strsize = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct ksym k = { .ks_addr = syms[i].addr, .ks_size = syms[i].size,
			.ks_name = (uint32_t)strsize };

		memcpy(buf + sizeof(h) + i * sizeof(k), &k, sizeof(k));
		buf[off + strsize] = (uint8_t)syms[i].type;
		memcpy(buf + off + strsize + 1, syms[i].name, strlen(syms[i].name) + 1);
		strsize += 1 + strlen(syms[i].name) + 1;
	}
	return (struct ksyms_table){ .kt_hdr = (const void *)buf,
		.kt_len = off + strsize };
}

static uint8_t *
bytes(const struct ksyms_table *t)
{
	return (uint8_t *)(uintptr_t)t->kt_hdr;
}

static struct ksyms_header *
header(const struct ksyms_table *t)
{
	return (struct ksyms_header *)(uintptr_t)t->kt_hdr;
}

static struct ksym *
ksym_at(const struct ksyms_table *t, uint32_t i)
{
	return (struct ksym *)(uintptr_t)(t->kt_hdr + 1) + i;
}

/* A name the table returned is NUL-terminated before the table ends. */
static void
check_name_inside(const struct ksyms_table *t, const char *name)
{
	const uint8_t *base = bytes(t), *p = (const uint8_t *)name;

	if (name == NULL)
		return;
	cr_assert(p >= base && p < base + t->kt_len, "name outside the table");
	cr_assert_not_null(memchr(p, '\0', (size_t)(base + t->kt_len - p)),
	    "a returned name runs past the end of the table");
}

static const struct sym sample[] = {
	{ 0xffffffff80100000, 0x40, 'T', "_start" },
	{ 0xffffffff80100040, 0x100, 'T', "kernel_bootstrap" },
	{ 0xffffffff80100200, 0x80, 't', "static_helper" },
	{ 0xffffffff80100300, 0, 'T', "asm_label" },
	{ 0xffffffff80200000, 0x1000, 'D', "kernel_heap" },
};
#define NSAMPLE	((uint32_t)(sizeof(sample) / sizeof(sample[0])))

static const char *
lookup(const struct ksyms_table *t, uint64_t addr, uint64_t *offset, char *type)
{
	const char *name = ksyms_table_lookup(t, addr, offset, type);

	check_name_inside(t, name);
	return name;
}

/* --- well-formed tables ---------------------------------------------------- */

Test(ksyms, lookup_exact_and_inside)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	uint64_t off = 99;
	char type = '?';

	cr_assert_str_eq(lookup(&t, 0xffffffff80100000, &off, &type), "_start");
	cr_assert_eq(off, 0u);
	cr_assert_eq(type, 'T');
	cr_assert_str_eq(lookup(&t, 0xffffffff80100055, &off, &type), "kernel_bootstrap");
	cr_assert_eq(off, 0x15u);
	cr_assert_str_eq(lookup(&t, 0xffffffff802000ff, &off, &type), "kernel_heap");
	cr_assert_eq(off, 0xffu);
	cr_assert_eq(type, 'D');
	cr_assert_str_eq(lookup(&t, 0xffffffff80100200, NULL, &type), "static_helper");
	cr_assert_eq(type, 't');
	cr_assert_str_eq(lookup(&t, 0xffffffff80100201, &off, NULL), "static_helper");
	free(bytes(&t));
}

/* Between symbols, the one before counts, whatever its size says. */
Test(ksyms, lookup_in_a_gap_names_the_symbol_before)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	uint64_t off;

	cr_assert_str_eq(lookup(&t, 0xffffffff80100180, &off, NULL), "kernel_bootstrap");
	cr_assert_eq(off, 0x140u);
	cr_assert_str_eq(lookup(&t, 0xffffffff801fffff, &off, NULL), "asm_label");
	free(bytes(&t));
}

Test(ksyms, lookup_before_the_first_or_past_the_last)
{
	struct ksyms_table t = build(sample, NSAMPLE);

	cr_assert_null(lookup(&t, 0, NULL, NULL));
	cr_assert_null(lookup(&t, 0xffffffff800fffff, NULL, NULL));
	cr_assert_null(lookup(&t, 0xffffffff80201000, NULL, NULL),
	    "past kernel_heap's end");
	cr_assert_null(lookup(&t, UINT64_MAX, NULL, NULL));
	cr_assert_not_null(lookup(&t, 0xffffffff80200fff, NULL, NULL));
	free(bytes(&t));
}

/* A last symbol of unknown size covers everything after it. */
Test(ksyms, unsized_last_symbol_covers_the_rest)
{
	const struct sym syms[] = {
		{ 0x1000, 0x10, 'T', "a" }, { 0x2000, 0, 'T', "end_label" },
	};
	struct ksyms_table t = build(syms, 2);
	uint64_t off;

	cr_assert_str_eq(lookup(&t, UINT64_MAX, &off, NULL), "end_label");
	cr_assert_eq(off, UINT64_MAX - 0x2000);
	free(bytes(&t));
}

Test(ksyms, empty_table_has_no_answers)
{
	struct ksyms_table t = build(NULL, 0);
	uint64_t addr = 7;

	cr_assert_eq(t.kt_len, sizeof(struct ksyms_header));
	cr_assert_null(lookup(&t, 0x1000, NULL, NULL));
	cr_assert_not(ksyms_table_find(&t, "x", &addr));
	cr_assert_eq(addr, 7u);
	free(bytes(&t));
}

Test(ksyms, find_by_name)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	uint64_t addr = 0;

	cr_assert(ksyms_table_find(&t, "kernel_heap", &addr));
	cr_assert_eq(addr, 0xffffffff80200000u);
	cr_assert(ksyms_table_find(&t, "_start", &addr));
	cr_assert_eq(addr, 0xffffffff80100000u);
	addr = 5;
	cr_assert_not(ksyms_table_find(&t, "kernel", &addr), "a prefix is not a name");
	cr_assert_not(ksyms_table_find(&t, "kernel_heap2", &addr));
	cr_assert_not(ksyms_table_find(&t, "", &addr));
	cr_assert_not(ksyms_table_find(&t, "T_start", &addr),
	    "the type letter is not part of the name");
	cr_assert_eq(addr, 5u);
	free(bytes(&t));
}

/* Many symbols, aliases included: binary search against a linear scan. */
Test(ksyms, random_tables_against_a_linear_scan)
{
	static struct sym syms[2000];
	static char names[2000][16];
	struct test_rand r;

	test_rand_seed(&r, 0x5e4b);
	for (int round = 0; round < 20; round++) {
		uint32_t n = 1 + (uint32_t)test_rand_below(&r, 2000);
		uint64_t addr = 0x1000;
		struct ksyms_table t;

		for (uint32_t i = 0; i < n; i++) {
			/* One symbol in ten is an alias of the one before. */
			if (i > 0 && test_rand_below(&r, 10) != 0)
				addr += 1 + test_rand_below(&r, 300);
			snprintf(names[i], sizeof(names[i]), "sym%u", i);
			syms[i] = (struct sym){ .addr = addr,
				.size = (uint32_t)test_rand_below(&r, 400),
				.type = "TtDdBbRr"[test_rand_below(&r, 8)],
				.name = names[i] };
		}
		t = build(syms, n);
		for (int q = 0; q < 2000; q++) {
			uint64_t a = 0xf00 + test_rand_below(&r, addr - 0xf00 + 500), off;
			const char *name = lookup(&t, a, &off, NULL);
			int64_t want = -1;

			for (uint32_t i = 0; i < n && syms[i].addr <= a; i++)
				want = i;
			if (want == (int64_t)n - 1 && syms[want].size != 0 &&
			    a - syms[want].addr >= syms[want].size)
				want = -1;
			if (want < 0) {
				cr_assert_null(name, "round %d: %#llx", round,
				    (unsigned long long)a);
				continue;
			}
			cr_assert_not_null(name, "round %d: %#llx", round,
			    (unsigned long long)a);
			cr_assert_str_eq(name, syms[want].name, "round %d: %#llx", round,
			    (unsigned long long)a);
			cr_assert_eq(off, a - syms[want].addr);
		}
		free(bytes(&t));
	}
}

/* --- malformed tables ------------------------------------------------------ */

/* No answers from t, and nothing read out of bounds. */
static void
expect_no_answers(const struct ksyms_table *t, const char *why)
{
	uint64_t addr = 42;

	cr_assert_null(ksyms_table_lookup(t, 0xffffffff80100000, NULL, NULL), "%s", why);
	cr_assert_null(ksyms_table_lookup(t, 0xffffffff80200000, NULL, NULL), "%s", why);
	cr_assert_not(ksyms_table_find(t, "_start", &addr), "%s", why);
	cr_assert_not(ksyms_table_find(t, "kernel_heap", &addr), "%s", why);
	cr_assert_eq(addr, 42u);
}

Test(ksyms, null_or_short_table)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	struct ksyms_table none = { .kt_hdr = NULL, .kt_len = 1000 };
	struct ksyms_table shorter = t;

	expect_no_answers(&none, "NULL header");
	for (size_t len = 0; len < sizeof(struct ksyms_header); len++) {
		shorter.kt_len = len;
		expect_no_answers(&shorter, "shorter than a header");
	}
	free(bytes(&t));
}

Test(ksyms, bad_magic)
{
	struct ksyms_table t = build(sample, NSAMPLE);

	header(&t)->kh_magic = 0x4b53594d;	/* byte-swapped */
	expect_no_answers(&t, "bad magic");
	header(&t)->kh_magic = 0;
	expect_no_answers(&t, "zero magic");
	free(bytes(&t));
}

Test(ksyms, count_past_the_end)
{
	static const uint32_t counts[] = { NSAMPLE + 100, 0x10000000, 0x0fffffff,
		0x7fffffff, UINT32_MAX };
	struct ksyms_table t = build(sample, NSAMPLE);

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		header(&t)->kh_count = counts[i];
		expect_no_answers(&t, "count past the end");
	}
	free(bytes(&t));
}

/* The table as the loader found it, cut short at every length. */
Test(ksyms, truncated_table)
{
	struct ksyms_table t = build(sample, NSAMPLE);

	for (size_t len = 0; len < t.kt_len; len++) {
		uint8_t *cut = malloc(len + 1);
		struct ksyms_table c = { .kt_hdr = (const void *)cut, .kt_len = len };
		uint64_t addr;

		memcpy(cut, bytes(&t), len);
		(void)lookup(&c, 0xffffffff80100000, NULL, NULL);
		(void)lookup(&c, 0xffffffff80200010, NULL, NULL);
		(void)ksyms_table_find(&c, "kernel_heap", &addr);
		(void)ksyms_table_find(&c, "nothing", &addr);
		free(cut);
	}
	free(bytes(&t));
}

Test(ksyms, strtab_past_the_end)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	uint32_t off = header(&t)->kh_strtab_off, size = header(&t)->kh_strtab_size;

	header(&t)->kh_strtab_off = (uint32_t)t.kt_len + 1;
	expect_no_answers(&t, "strtab starts past the end");
	header(&t)->kh_strtab_off = UINT32_MAX;
	expect_no_answers(&t, "strtab starts far past the end");
	header(&t)->kh_strtab_off = off;
	header(&t)->kh_strtab_size = size + 1;
	expect_no_answers(&t, "strtab ends past the end");
	header(&t)->kh_strtab_size = UINT32_MAX;
	expect_no_answers(&t, "huge strtab");
	header(&t)->kh_strtab_off = off + 8;
	header(&t)->kh_strtab_size = size;
	expect_no_answers(&t, "strtab moved past the end");
	free(bytes(&t));
}

Test(ksyms, name_offset_past_the_strtab)
{
	static const uint32_t offsets[] = {
		1000, 0x7fffffff, UINT32_MAX, UINT32_MAX - 1,
	};
	struct ksyms_table t = build(sample, NSAMPLE);
	uint32_t size = header(&t)->kh_strtab_size;
	uint64_t addr;

	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		ksym_at(&t, 1)->ks_name = offsets[i];
		cr_assert_null(lookup(&t, 0xffffffff80100050, NULL, NULL));
		cr_assert_not(ksyms_table_find(&t, "kernel_bootstrap", &addr));
		cr_assert(ksyms_table_find(&t, "kernel_heap", &addr),
		    "the others still work");
	}
	/* The last byte of the strtab holds a type letter but no name. */
	ksym_at(&t, 1)->ks_name = size - 1;
	cr_assert_null(lookup(&t, 0xffffffff80100050, NULL, NULL));
	ksym_at(&t, 1)->ks_name = size;
	cr_assert_null(lookup(&t, 0xffffffff80100050, NULL, NULL));
	free(bytes(&t));
}

/* The strtab's last name without its NUL: never read past the table. */
Test(ksyms, missing_nul_at_the_end_of_the_strtab)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	uint64_t addr;

	bytes(&t)[t.kt_len - 1] = 'X';		/* "kernel_heapX", unterminated */
	cr_assert_null(lookup(&t, 0xffffffff80200000, NULL, NULL));
	cr_assert_not(ksyms_table_find(&t, "kernel_heapX", &addr));
	cr_assert_not(ksyms_table_find(&t, "kernel_heap", &addr));
	cr_assert(ksyms_table_find(&t, "_start", &addr));
	free(bytes(&t));
}

/*
 * A symbol whose type letter is a NUL: the NUL found there must not count
 * as the end of its name, or the name runs on past the table.
 */
Test(ksyms, nul_type_letter_does_not_terminate_the_name)
{
	struct ksyms_table t = build(sample, NSAMPLE);
	uint32_t last = ksym_at(&t, NSAMPLE - 1)->ks_name;
	uint64_t addr;

	bytes(&t)[header(&t)->kh_strtab_off + last] = '\0';	/* the type letter */
	bytes(&t)[t.kt_len - 1] = 'X';				/* the name's NUL */
	cr_assert_null(lookup(&t, 0xffffffff80200000, NULL, NULL),
	    "an unterminated name was returned");
	cr_assert_not(ksyms_table_find(&t, "kernel_heapX", &addr));
	free(bytes(&t));
}

/* Random damage anywhere: no fault, every returned name inside the table. */
Test(ksyms, random_corruption_never_reads_out_of_bounds)
{
	struct test_rand r;

	test_rand_seed(&r, 0xba55);
	for (int step = 0; step < 20000; step++) {
		struct ksyms_table t = build(sample, NSAMPLE);
		int hits = 1 + (int)test_rand_below(&r, 3);
		uint64_t addr;

		for (int h = 0; h < hits; h++) {
			size_t at = (size_t)test_rand_below(&r, t.kt_len);

			bytes(&t)[at] = test_rand_below(&r, 3) == 0 ? 0 :
			    (uint8_t)test_rand_next(&r);
		}
		for (unsigned i = 0; i < NSAMPLE; i++) {
			uint64_t a = sample[i].addr + test_rand_below(&r, 0x50);

			(void)lookup(&t, a, NULL, NULL);
			(void)ksyms_table_find(&t, sample[i].name, &addr);
		}
		free(bytes(&t));
	}
}
