/*
 * test_cpio.c - libkern/cpio.c: walking and searching newc archives.
 *
 * Archives are built here, header by header, so that each field can be made
 * wrong on purpose; real ones come from GNU cpio, run on a scratch tree. Every
 * archive handed to the reader sits in a heap buffer of exactly its length,
 * so ASan reports any read past the end. The rule under test is the one in
 * cpio.h: a malformed archive yields CPIO_ERROR with a message, never a
 * read out of bounds, never a member that does not lie inside the archive.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "libkern/cpio.h"

/* --- building archives ----------------------------------------------------- */

enum { H_INO, H_MODE, H_UID, H_GID, H_NLINK, H_MTIME, H_FILESIZE, H_DEVMAJOR,
	H_DEVMINOR, H_RDEVMAJOR, H_RDEVMINOR, H_NAMESIZE, H_CHECK, H_NFIELDS };

struct archive {
	uint8_t	*a_buf;
	size_t	a_len;
	size_t	a_cap;
};

static void
ar_put(struct archive *a, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (a->a_len + n > a->a_cap) {
		a->a_cap = (a->a_len + n) * 2 + 256;
		a->a_buf = realloc(a->a_buf, a->a_cap);
		cr_assert_not_null(a->a_buf);
	}
	memcpy(a->a_buf + a->a_len, p, n);
	a->a_len += n;
}

static void
ar_pad4(struct archive *a)
{
	static const uint8_t zeros[4];

	ar_put(a, zeros, (4 - a->a_len % 4) % 4);
}

/* The 110-byte header: magic and the thirteen fields, 8 hex digits each. */
static void
ar_header(struct archive *a, const char *magic, const uint32_t f[H_NFIELDS])
{
	char h[CPIO_NEWC_HEADER_SIZE + 1];
	int n = snprintf(h, sizeof(h), "%s", magic);

	for (int i = 0; i < H_NFIELDS; i++)
		n += snprintf(h + n, sizeof(h) - (size_t)n, "%08X", f[i]);
	cr_assert_eq(n, CPIO_NEWC_HEADER_SIZE);
	ar_put(a, h, CPIO_NEWC_HEADER_SIZE);
}

static void
ar_member(struct archive *a, const char *name, uint32_t mode, const void *data,
    size_t size)
{
	uint32_t f[H_NFIELDS] = { 0 };

	f[H_INO] = (uint32_t)a->a_len + 1;
	f[H_MODE] = mode;
	f[H_NLINK] = 1;
	f[H_FILESIZE] = (uint32_t)size;
	f[H_NAMESIZE] = (uint32_t)strlen(name) + 1;
	ar_header(a, "070701", f);
	ar_put(a, name, strlen(name) + 1);
	ar_pad4(a);
	ar_put(a, data, size);
	ar_pad4(a);
}

static void
ar_file(struct archive *a, const char *name, const char *text)
{
	ar_member(a, name, CPIO_S_IFREG | 0644, text, strlen(text));
}

static void
ar_trailer(struct archive *a)
{
	ar_member(a, "TRAILER!!!", 0, NULL, 0);
}

/* A heap copy of the first len bytes, exactly len long. */
static uint8_t *
exact_copy(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len > 0 ? len : 1);

	cr_assert_not_null(c);
	if (len > 0)
		memcpy(c, p, len);
	return c;
}

/* The archive most tests start from, with the offsets of its members. */
struct sample {
	struct archive	s_ar;
	size_t		s_off[5];	/* start of each member, trailer last */
};

static void
sample_build(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	s->s_off[0] = s->s_ar.a_len;
	ar_member(&s->s_ar, "etc", CPIO_S_IFDIR | 0755, NULL, 0);
	s->s_off[1] = s->s_ar.a_len;
	ar_file(&s->s_ar, "etc/motd", "Welcome to Machina.\n");
	s->s_off[2] = s->s_ar.a_len;
	ar_member(&s->s_ar, "etc/link", CPIO_S_IFLNK | 0777, "motd", 4);
	s->s_off[3] = s->s_ar.a_len;
	ar_file(&s->s_ar, "bin/x", "abc");
	s->s_off[4] = s->s_ar.a_len;
	ar_trailer(&s->s_ar);
}

/* --- checking what the reader returns -------------------------------------- */

/* The entry lies inside [base, base+len), its name NUL-terminated there. */
static void
check_entry_in_bounds(const uint8_t *base, size_t len, const struct cpio_entry *e)
{
	const uint8_t *name = (const uint8_t *)e->ce_name;
	const uint8_t *data = e->ce_data;

	cr_assert(name >= base && name < base + len, "name outside the archive");
	cr_assert_not_null(memchr(name, '\0', (size_t)(base + len - name)),
	    "name not terminated inside the archive");
	cr_assert(data >= base && data <= base + len, "data outside the archive");
	cr_assert(e->ce_size <= (size_t)(base + len - data), "data runs past the end");
}

/*
 * Walk the whole archive; returns the final status and the member count.
 * Stops after a bounded number of steps so a reader that loops fails.
 */
static enum cpio_status
walk(const uint8_t *buf, size_t len, unsigned *count, char *error, size_t errlen)
{
	struct cpio_iter it;
	struct cpio_entry e;
	enum cpio_status st;
	unsigned n = 0;

	cpio_iter_init(&it, buf, len);
	while ((st = cpio_next(&it, &e)) == CPIO_ENTRY) {
		check_entry_in_bounds(buf, len, &e);
		cr_assert_lt(n++, len / 4 + 2, "the walk does not end");
	}
	if (st == CPIO_END)
		check_entry_in_bounds(buf, len, &e);
	if (st == CPIO_ERROR)
		cr_assert_neq(it.ci_error[0], '\0', "CPIO_ERROR without a message");
	if (error != NULL)
		snprintf(error, errlen, "%s", it.ci_error);
	if (count != NULL)
		*count = n;
	return st;
}

/* The archive is malformed: the walk ends in CPIO_ERROR mentioning `why`. */
static void
expect_error(const uint8_t *p, size_t len, const char *why)
{
	uint8_t *buf = exact_copy(p, len);
	char error[128];
	enum cpio_status st = walk(buf, len, NULL, error, sizeof(error));

	cr_assert_eq(st, CPIO_ERROR, "a malformed archive walked to %d", st);
	cr_assert(strstr(error, why) != NULL, "error \"%s\" does not say \"%s\"", error,
	    why);
	free(buf);
}

/* --- well-formed archives -------------------------------------------------- */

Test(cpio, walks_every_member_then_the_trailer)
{
	struct sample s;
	struct cpio_iter it;
	struct cpio_entry e;
	uint8_t *buf;

	sample_build(&s);
	buf = exact_copy(s.s_ar.a_buf, s.s_ar.a_len);
	cpio_iter_init(&it, buf, s.s_ar.a_len);

	cr_assert_eq(cpio_next(&it, &e), CPIO_ENTRY);
	cr_assert_str_eq(e.ce_name, "etc");
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	cr_assert_eq(e.ce_size, 0u);

	cr_assert_eq(cpio_next(&it, &e), CPIO_ENTRY);
	cr_assert_str_eq(e.ce_name, "etc/motd");
	cr_assert_eq(e.ce_mode, CPIO_S_IFREG | 0644);
	cr_assert_eq(e.ce_size, 20u);
	cr_assert(memcmp(e.ce_data, "Welcome to Machina.\n", 20) == 0);
	cr_assert_eq(it.ci_off, s.s_off[2], "the next header is 4-byte aligned");

	cr_assert_eq(cpio_next(&it, &e), CPIO_ENTRY);
	cr_assert_str_eq(e.ce_name, "etc/link");
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFLNK);
	cr_assert(memcmp(e.ce_data, "motd", 4) == 0);

	cr_assert_eq(cpio_next(&it, &e), CPIO_ENTRY);
	cr_assert_str_eq(e.ce_name, "bin/x");
	cr_assert(memcmp(e.ce_data, "abc", 3) == 0);

	cr_assert_eq(cpio_next(&it, &e), CPIO_END);
	cr_assert_str_eq(e.ce_name, "TRAILER!!!");
	cr_assert_eq(it.ci_error[0], '\0');
	free(buf);
	free(s.s_ar.a_buf);
}

/* Names and data of every length 0..9 exercise both paddings. */
Test(cpio, every_padding_of_names_and_data)
{
	static const char digits[] = "0123456789";
	struct archive a = { 0 };
	char name[16];
	unsigned count;
	uint8_t *buf;

	for (size_t nl = 1; nl <= 9; nl++) {
		for (size_t dl = 0; dl <= 9; dl++) {
			memset(name, 'n', nl);
			snprintf(name + nl, sizeof(name) - nl, "%zu", dl);
			ar_member(&a, name, CPIO_S_IFREG | 0600, digits, dl);
		}
	}
	ar_trailer(&a);
	buf = exact_copy(a.a_buf, a.a_len);
	cr_assert_eq(walk(buf, a.a_len, &count, NULL, 0), CPIO_END);
	cr_assert_eq(count, 90u);
	for (size_t nl = 1; nl <= 9; nl++) {
		for (size_t dl = 0; dl <= 9; dl++) {
			struct cpio_entry e;

			memset(name, 'n', nl);
			snprintf(name + nl, sizeof(name) - nl, "%zu", dl);
			cr_assert_eq(cpio_find(buf, a.a_len, name, &e), 0, "%s", name);
			cr_assert_eq(e.ce_size, dl);
			cr_assert(memcmp(e.ce_data, digits, dl) == 0);
		}
	}
	free(buf);
	free(a.a_buf);
}

Test(cpio, crc_magic_and_uppercase_or_lowercase_hex)
{
	struct archive a = { 0 };
	uint32_t f[H_NFIELDS] = { 0 };
	struct cpio_entry e;
	uint8_t *buf;

	f[H_MODE] = CPIO_S_IFREG | 0644;
	f[H_FILESIZE] = 2;
	f[H_NAMESIZE] = 2;
	ar_header(&a, "070702", f);
	/* Lowercase the mode field's hex digits: both cases are hex. */
	for (size_t i = 6 + 8 * H_MODE; i < 6 + 8 * (H_MODE + 1); i++)
		a.a_buf[i] = (uint8_t)(a.a_buf[i] >= 'A' ? a.a_buf[i] + 32 : a.a_buf[i]);
	ar_put(&a, "f", 2);
	ar_pad4(&a);
	ar_put(&a, "hi", 2);
	ar_pad4(&a);
	ar_trailer(&a);
	buf = exact_copy(a.a_buf, a.a_len);
	cr_assert_eq(cpio_find(buf, a.a_len, "f", &e), 0);
	cr_assert_eq(e.ce_mode, CPIO_S_IFREG | 0644);
	cr_assert_eq(walk(buf, a.a_len, NULL, NULL, 0), CPIO_END);
	free(buf);
	free(a.a_buf);
}

Test(cpio, find_with_and_without_leading_slash_or_dot)
{
	static const char *const ways[] = {
		"etc/motd", "/etc/motd", "./etc/motd", "//etc/motd", "././etc/motd",
		"/./etc/motd", ".//etc/motd",
	};
	struct sample s;
	struct cpio_entry e;
	uint8_t *buf;

	sample_build(&s);
	buf = exact_copy(s.s_ar.a_buf, s.s_ar.a_len);
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		memset(&e, 0, sizeof(e));
		cr_assert_eq(cpio_find(buf, s.s_ar.a_len, ways[i], &e), 0, "%s", ways[i]);
		cr_assert_str_eq(e.ce_name, "etc/motd");
	}
	cr_assert_eq(cpio_find(buf, s.s_ar.a_len, "etc", &e), 0, "a directory");
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	cr_assert_eq(cpio_find(buf, s.s_ar.a_len, "etc/mot", &e), -1);
	cr_assert_eq(cpio_find(buf, s.s_ar.a_len, "etc/motd2", &e), -1);
	cr_assert_eq(cpio_find(buf, s.s_ar.a_len, "motd", &e), -1);
	cr_assert_eq(cpio_find(buf, s.s_ar.a_len, "TRAILER!!!", &e), -1,
	    "the trailer is not a member");
	free(buf);
	free(s.s_ar.a_buf);
}

/* Archives written by "find . | cpio" name members "./etc/motd". */
Test(cpio, find_matches_members_stored_with_a_dot_prefix)
{
	struct archive a = { 0 };
	struct cpio_entry e;
	uint8_t *buf;

	ar_member(&a, ".", CPIO_S_IFDIR | 0755, NULL, 0);
	ar_file(&a, "./etc/motd", "hello");
	ar_file(&a, "/abs/path", "x");
	ar_trailer(&a);
	buf = exact_copy(a.a_buf, a.a_len);
	cr_assert_eq(cpio_find(buf, a.a_len, "etc/motd", &e), 0);
	cr_assert_eq(e.ce_size, 5u);
	cr_assert_eq(cpio_find(buf, a.a_len, "/etc/motd", &e), 0);
	cr_assert_eq(cpio_find(buf, a.a_len, "abs/path", &e), 0);
	free(buf);
	free(a.a_buf);
}

/* --- malformed archives ---------------------------------------------------- */

Test(cpio, empty_or_truncated_header)
{
	struct sample s;

	sample_build(&s);
	expect_error(s.s_ar.a_buf, 0, "without a TRAILER");
	expect_error(s.s_ar.a_buf, 1, "without a TRAILER");
	expect_error(s.s_ar.a_buf, CPIO_NEWC_HEADER_SIZE - 1, "without a TRAILER");
	free(s.s_ar.a_buf);
}

Test(cpio, bad_magic)
{
	static const char *const magics[] = { "070707", "070700", "070703", "170701",
		"07070", "\0\0\0\0\0\0" };
	struct sample s;

	sample_build(&s);
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		memcpy(s.s_ar.a_buf, magics[i], 6);
		expect_error(s.s_ar.a_buf, s.s_ar.a_len, "bad magic");
	}
	free(s.s_ar.a_buf);
}

Test(cpio, non_hex_digit_in_any_field)
{
	static const char bad[] = {
		'g', 'G', ' ', 'x', '-', '\0', '\xff', ':', '@', '`',
	};
	struct sample s;

	sample_build(&s);
	for (int field = 0; field < H_NFIELDS; field++) {
		for (size_t k = 0; k < sizeof(bad); k++) {
			size_t at = 6 + 8 * (size_t)field + k % 8;
			uint8_t saved = s.s_ar.a_buf[at];

			s.s_ar.a_buf[at] = (uint8_t)bad[k];
			expect_error(s.s_ar.a_buf, s.s_ar.a_len, "not hexadecimal");
			s.s_ar.a_buf[at] = saved;
		}
	}
	free(s.s_ar.a_buf);
}

/* Rewrite one header field of the member at off. */
static void
set_field(uint8_t *ar, size_t off, int field, uint32_t value)
{
	char hex[9];

	snprintf(hex, sizeof(hex), "%08X", value);
	memcpy(ar + off + 6 + 8 * field, hex, 8);
}

Test(cpio, name_size_zero_or_huge)
{
	static const uint32_t sizes[] = { 0, CPIO_MAX_NAME + 1, 0x10000, 0x7fffffff,
		0xffffffff };
	struct sample s;

	sample_build(&s);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		set_field(s.s_ar.a_buf, s.s_off[1], H_NAMESIZE, sizes[i]);
		expect_error(s.s_ar.a_buf, s.s_ar.a_len, "name size out of range");
	}
	free(s.s_ar.a_buf);
}

Test(cpio, name_runs_past_the_end)
{
	struct sample s;

	sample_build(&s);
	/* The last member's name, cut short. */
	expect_error(s.s_ar.a_buf, s.s_off[4] + CPIO_NEWC_HEADER_SIZE + 5,
	    "name runs past");
	/* A name size within CPIO_MAX_NAME but longer than what is left. */
	set_field(s.s_ar.a_buf, s.s_off[3], H_NAMESIZE, CPIO_MAX_NAME);
	expect_error(s.s_ar.a_buf, s.s_ar.a_len, "name runs past");
	free(s.s_ar.a_buf);
}

Test(cpio, name_not_nul_terminated)
{
	struct sample s;

	sample_build(&s);
	/* "etc/motd" has name size 9; claim 8, so its last byte is 'd'. */
	set_field(s.s_ar.a_buf, s.s_off[1], H_NAMESIZE, 8);
	expect_error(s.s_ar.a_buf, s.s_ar.a_len, "not NUL-terminated");
	free(s.s_ar.a_buf);
}

Test(cpio, file_size_past_the_end)
{
	static const uint32_t sizes[] = { 0x1000, 0x7fffffff, 0xffffffff };
	struct sample s;
	size_t to_end;

	sample_build(&s);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		set_field(s.s_ar.a_buf, s.s_off[1], H_FILESIZE, sizes[i]);
		expect_error(s.s_ar.a_buf, s.s_ar.a_len, "runs past the end");
	}
	/*
	 * Data that reaches exactly to the end is inside: "bin/x" is read,
	 * swallowing the trailer, and the archive then has none.
	 */
	set_field(s.s_ar.a_buf, s.s_off[1], H_FILESIZE, 20);
	to_end = s.s_ar.a_len - s.s_off[3] - (CPIO_NEWC_HEADER_SIZE + 6 + 3) / 4 * 4;
	set_field(s.s_ar.a_buf, s.s_off[3], H_FILESIZE, (uint32_t)to_end);
	expect_error(s.s_ar.a_buf, s.s_ar.a_len, "without a TRAILER");
	/* One byte more is past it. */
	set_field(s.s_ar.a_buf, s.s_off[3], H_FILESIZE, (uint32_t)to_end + 1);
	expect_error(s.s_ar.a_buf, s.s_ar.a_len, "file data runs past");
	free(s.s_ar.a_buf);
}

Test(cpio, missing_trailer)
{
	struct sample s;
	unsigned count;
	char error[128];
	uint8_t *buf;

	sample_build(&s);
	buf = exact_copy(s.s_ar.a_buf, s.s_off[4]);
	cr_assert_eq(walk(buf, s.s_off[4], &count, error, sizeof(error)), CPIO_ERROR);
	cr_assert_eq(count, 4u, "the members before the end are still read");
	cr_assert(strstr(error, "without a TRAILER") != NULL, "%s", error);
	free(buf);
	free(s.s_ar.a_buf);
}

/* "TRAILER!!!" is 11 bytes with its NUL; its 3 bytes of padding may not go. */
Test(cpio, truncated_trailer_padding)
{
	struct sample s;
	size_t trailer_end;

	sample_build(&s);
	trailer_end = s.s_off[4] + CPIO_NEWC_HEADER_SIZE + 11;
	cr_assert_eq(s.s_ar.a_len, trailer_end + 3);
	for (size_t cut = 1; cut <= 3; cut++)
		expect_error(s.s_ar.a_buf, s.s_ar.a_len - cut, "name runs past");
	free(s.s_ar.a_buf);
}

/* The last member's data padding may be cut short; it is still read. */
Test(cpio, truncated_data_padding_of_the_last_member)
{
	struct archive a = { 0 };
	struct cpio_iter it;
	struct cpio_entry e;
	uint8_t *buf;

	ar_file(&a, "f", "abcde");		/* 5 bytes, 3 of padding */
	buf = exact_copy(a.a_buf, a.a_len - 3);
	cpio_iter_init(&it, buf, a.a_len - 3);
	cr_assert_eq(cpio_next(&it, &e), CPIO_ENTRY);
	cr_assert_eq(e.ce_size, 5u);
	cr_assert_eq(cpio_next(&it, &e), CPIO_ERROR);
	cr_assert_eq(cpio_next(&it, &e), CPIO_ERROR, "an error stays an error");
	free(buf);
	free(a.a_buf);
}

/* Every proper prefix of a valid archive is malformed, and read in bounds. */
Test(cpio, every_truncation_is_an_error)
{
	struct sample s;

	sample_build(&s);
	for (size_t len = 0; len < s.s_ar.a_len; len++) {
		uint8_t *buf = exact_copy(s.s_ar.a_buf, len);
		enum cpio_status st = walk(buf, len, NULL, NULL, 0);

		cr_assert_eq(st, CPIO_ERROR, "prefix of %zu bytes walked to %d", len, st);
		free(buf);
	}
	free(s.s_ar.a_buf);
}

/* Random damage: any outcome but a read out of bounds or an endless walk. */
Test(cpio, random_corruption_never_reads_out_of_bounds)
{
	struct test_rand r;
	struct sample s;

	test_rand_seed(&r, 0xc910);
	sample_build(&s);
	for (int step = 0; step < 20000; step++) {
		size_t len = s.s_ar.a_len - (size_t)test_rand_below(&r, 8);
		uint8_t *buf = exact_copy(s.s_ar.a_buf, len);
		int hits = 1 + (int)test_rand_below(&r, 4);
		struct cpio_entry e;

		for (int h = 0; h < hits; h++) {
			size_t at = (size_t)test_rand_below(&r, len);
			static const char pool[] = "0123456789abcdefABCDEFxyz\0\377";

			buf[at] = test_rand_below(&r, 2) ?
			    (uint8_t)pool[test_rand_below(&r, sizeof(pool))] :
			    (uint8_t)test_rand_next(&r);
		}
		(void)walk(buf, len, NULL, NULL, 0);
		(void)cpio_find(buf, len, "etc/motd", &e);
		free(buf);
	}
	free(s.s_ar.a_buf);
}

Test(cpio, error_names_the_offset)
{
	struct sample s;
	char want[64];

	sample_build(&s);
	s.s_ar.a_buf[s.s_off[2]] = 'X';
	snprintf(want, sizeof(want), "at offset %zu", s.s_off[2]);
	expect_error(s.s_ar.a_buf, s.s_ar.a_len, want);
	free(s.s_ar.a_buf);
}

/* --- archives written by GNU cpio ------------------------------------------ */

static void
write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot create %s", path);
	if (len > 0)
		cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Run cpio -o -H newc over dir; the archive in a malloc'd buffer. */
static uint8_t *
gnu_cpio(const char *dir, size_t *len)
{
	char cmd[768];
	struct archive a = { 0 };
	uint8_t chunk[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -mindepth 1 | LC_ALL=C sort | "
	    "sed 's|^\\./||' | cpio --quiet -o -H newc 2>/dev/null", dir);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run cpio");
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		ar_put(&a, chunk, n);
	cr_assert_eq(pclose(p), 0, "cpio failed (is GNU cpio installed?)");
	*len = a.a_len;
	return a.a_buf;
}

Test(cpio, reads_archives_written_by_gnu_cpio)
{
	char dir[] = "/tmp/machina-cpio-XXXXXX", path[600];
	static uint8_t big[70000];
	struct cpio_entry e;
	unsigned count;
	uint8_t *ar, *buf;
	size_t len;

	cr_assert_not_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 9));
	snprintf(path, sizeof(path), "%s/etc", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	write_file(dir, "etc/motd", "Welcome to Machina.\n", 20);
	write_file(dir, "etc/empty", "", 0);
	write_file(dir, "a", "1", 1);
	write_file(dir, "ab", "12", 2);
	write_file(dir, "abc", "123", 3);
	write_file(dir, "big.bin", big, sizeof(big));
	snprintf(path, sizeof(path), "%s/etc/link", dir);
	cr_assert_eq(symlink("motd", path), 0);

	ar = gnu_cpio(dir, &len);
	buf = exact_copy(ar, len);
	cr_assert_eq(walk(buf, len, &count, NULL, 0), CPIO_END);
	cr_assert_eq(count, 8u, "7 files and the directory");

	cr_assert_eq(cpio_find(buf, len, "/etc/motd", &e), 0);
	cr_assert_eq(e.ce_size, 20u);
	cr_assert(memcmp(e.ce_data, "Welcome to Machina.\n", 20) == 0);
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFREG);
	cr_assert_eq(cpio_find(buf, len, "etc/empty", &e), 0);
	cr_assert_eq(e.ce_size, 0u);
	cr_assert_eq(cpio_find(buf, len, "abc", &e), 0);
	cr_assert(memcmp(e.ce_data, "123", 3) == 0);
	cr_assert_eq(cpio_find(buf, len, "big.bin", &e), 0);
	cr_assert_eq(e.ce_size, sizeof(big));
	cr_assert(memcmp(e.ce_data, big, sizeof(big)) == 0);
	cr_assert_eq(cpio_find(buf, len, "./etc/link", &e), 0);
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFLNK);
	cr_assert_eq(e.ce_size, 4u);
	cr_assert_eq(cpio_find(buf, len, "etc", &e), 0);
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFDIR);

	/* GNU cpio pads the archive to 512 bytes; the reader stops at the trailer. */
	cr_assert_eq(len % 512, 0u);
	free(buf);
	free(ar);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	cr_assert_eq(system(path), 0);
}
