/*
 * test_string.c - libkern/string.c against the C library.
 *
 * The kernel's memcpy, memset and memmove move machine words once both
 * pointers are aligned, so every function is run at every source and
 * destination alignment within a word and at sizes on both sides of each
 * word boundary, with guard bytes around the destination to catch a write
 * one past the end (ASan catches reads past the source). strlcpy and strlcat
 * are not in glibc 2.36; they are checked against the BSD contract written
 * out below.
 */

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#define SPAN		96	/* sizes 0..SPAN-1 cover several words */
#define ALIGNS		16	/* offsets 0..ALIGNS-1 cover two words */
#define GUARD		16
#define BUFSZ		(GUARD + ALIGNS + SPAN + GUARD)

static void
fill_pattern(unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 3));
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

Test(string, memcpy_every_alignment_and_size)
{
	unsigned char src[BUFSZ], dst[BUFSZ], want[BUFSZ];

	for (size_t so = 0; so < ALIGNS; so++) {
		for (size_t doff = 0; doff < ALIGNS; doff++) {
			for (size_t n = 0; n < SPAN; n++) {
				void *ret;

				fill_pattern(src, sizeof(src), 1);
				fill_pattern(dst, sizeof(dst), 2);
				memcpy(want, dst, sizeof(want));
				memcpy(want + GUARD + doff, src + GUARD + so, n);
				ret = kern_memcpy(dst + GUARD + doff, src + GUARD + so,
				    n);
				cr_assert_eq(ret, dst + GUARD + doff,
				    "memcpy returned the wrong pointer");
				cr_assert(memcmp(dst, want, sizeof(dst)) == 0,
				    "memcpy src+%zu dst+%zu n=%zu differs", so, doff, n);
			}
		}
	}
}

/* memmove within one buffer, dst = src + shift, both directions. */
Test(string, memmove_overlapping_both_directions)
{
	unsigned char buf[BUFSZ + 64], want[BUFSZ + 64];

	for (int shift = -40; shift <= 40; shift++) {
		for (size_t so = 0; so < ALIGNS; so++) {
			for (size_t n = 0; n < SPAN; n += (n < 20 ? 1 : 3)) {
				size_t s = 40 + GUARD + so;
				size_t d = (size_t)((long)s + shift);
				void *ret;

				fill_pattern(buf, sizeof(buf), (unsigned)n);
				memcpy(want, buf, sizeof(want));
				memmove(want + d, want + s, n);
				ret = kern_memmove(buf + d, buf + s, n);
				cr_assert_eq(ret, buf + d, "memmove returned the wrong "
				    "pointer");
				cr_assert(memcmp(buf, want, sizeof(buf)) == 0,
				    "memmove src+%zu shift %d n=%zu differs", so, shift,
				    n);
			}
		}
	}
}

Test(string, memmove_between_separate_buffers)
{
	unsigned char src[BUFSZ], dst[BUFSZ], want[BUFSZ];

	for (size_t so = 0; so < ALIGNS; so++) {
		for (size_t n = 0; n < SPAN; n++) {
			fill_pattern(src, sizeof(src), 3);
			fill_pattern(dst, sizeof(dst), 4);
			memcpy(want, dst, sizeof(want));
			memcpy(want + GUARD + 5, src + GUARD + so, n);
			kern_memmove(dst + GUARD + 5, src + GUARD + so, n);
			cr_assert(memcmp(dst, want, sizeof(dst)) == 0,
			    "memmove src+%zu n=%zu differs", so, n);
		}
	}
}

Test(string, memset_every_alignment_size_and_value)
{
	static const int values[] = { 0, 1, 0x7f, 0x80, 0xff, 0x1a5, -1, -0x80 };
	unsigned char buf[BUFSZ], want[BUFSZ];

	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (size_t off = 0; off < ALIGNS; off++) {
			for (size_t n = 0; n < SPAN; n++) {
				void *ret;

				fill_pattern(buf, sizeof(buf), 5);
				memcpy(want, buf, sizeof(want));
				memset(want + GUARD + off, values[v], n);
				ret = kern_memset(buf + GUARD + off, values[v], n);
				cr_assert_eq(ret, buf + GUARD + off);
				cr_assert(memcmp(buf, want, sizeof(buf)) == 0,
				    "memset(+%zu, %#x, %zu) differs", off, values[v], n);
			}
		}
	}
}

Test(string, bzero_clears_exactly_n_bytes)
{
	unsigned char buf[BUFSZ], want[BUFSZ];

	for (size_t off = 0; off < ALIGNS; off++) {
		for (size_t n = 0; n < SPAN; n++) {
			fill_pattern(buf, sizeof(buf), 6);
			memcpy(want, buf, sizeof(want));
			memset(want + GUARD + off, 0, n);
			kern_bzero(buf + GUARD + off, n);
			cr_assert(memcmp(buf, want, sizeof(buf)) == 0,
			    "bzero(+%zu, %zu) differs", off, n);
		}
	}
}

Test(string, memcmp_sign_matches_libc)
{
	unsigned char a[SPAN] = { 0 }, b[SPAN] = { 0 };

	cr_assert_eq(kern_memcmp(a, b, 0), 0, "n = 0 compares nothing");
	for (size_t n = 1; n < SPAN; n++) {
		for (size_t at = 0; at < n; at++) {
			static const unsigned char pairs[][2] = {
				{ 1, 2 }, { 2, 1 }, { 0x7f, 0x80 }, { 0x80, 0x7f },
				{ 0x00, 0xff }, { 0xff, 0x00 },
			};

			for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
				fill_pattern(a, n, 7);
				memcpy(b, a, n);
				a[at] = pairs[k][0];
				b[at] = pairs[k][1];
				cr_assert_eq(sign(kern_memcmp(a, b, n)),
				    sign(memcmp(a, b, n)),
				    "memcmp n=%zu differing at %zu (%#x vs %#x)", n, at,
				    pairs[k][0], pairs[k][1]);
				/* A difference past n is not seen. */
				cr_assert_eq(kern_memcmp(a, b, at), 0);
			}
		}
	}
}

Test(string, memchr_finds_first_within_n_only)
{
	unsigned char buf[SPAN];

	for (size_t n = 0; n < SPAN; n++) {
		for (size_t at = 0; at < SPAN; at++) {
			memset(buf, 'x', sizeof(buf));
			buf[at] = 0xa5;
			cr_assert_eq(kern_memchr(buf, 0xa5, n), memchr(buf, 0xa5, n),
			    "memchr n=%zu byte at %zu", n, at);
			/* Only the low byte of c counts, as in the standard. */
			cr_assert_eq(kern_memchr(buf, 0x3a5, n), memchr(buf, 0x3a5, n));
			cr_assert_eq(kern_memchr(buf, -0x5b, n), memchr(buf, -0x5b, n));
		}
	}
	memset(buf, 'y', sizeof(buf));
	buf[10] = 'z';
	buf[20] = 'z';
	cr_assert_eq(kern_memchr(buf, 'z', sizeof(buf)), buf + 10, "the first one");
	cr_assert_null(kern_memchr(buf, 0, sizeof(buf)));
}

Test(string, strlen_and_strnlen_at_every_alignment)
{
	char buf[BUFSZ];

	for (size_t off = 0; off < ALIGNS; off++) {
		for (size_t len = 0; len < SPAN; len++) {
			memset(buf, 'a', sizeof(buf));
			buf[off + len] = '\0';
			cr_assert_eq(kern_strlen(buf + off), len);
			for (size_t max = 0; max <= len + 2; max++) {
				cr_assert_eq(kern_strnlen(buf + off, max),
				    strnlen(buf + off, max), "strnlen(len %zu, max %zu)",
				    len, max);
			}
		}
	}
}

/* strnlen must not look past max even when there is no NUL at all. */
Test(string, strnlen_stops_at_max_without_a_nul)
{
	char *buf = malloc(8);

	memset(buf, 'q', 8);
	cr_assert_eq(kern_strnlen(buf, 8), 8u);
	cr_assert_eq(kern_strnlen(buf, 3), 3u);
	cr_assert_eq(kern_strnlen(buf, 0), 0u);
	free(buf);
}

Test(string, strcmp_and_strncmp_sign_matches_libc)
{
	static const char *const strs[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "ABC", "\x7f", "\x80",
		"\xff", "a\xff", "a\x01", "zzzzzzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzzzzzy",
	};
	size_t n = sizeof(strs) / sizeof(strs[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			cr_assert_eq(sign(kern_strcmp(strs[i], strs[j])),
			    sign(strcmp(strs[i], strs[j])), "strcmp(\"%s\", \"%s\")",
			    strs[i], strs[j]);
			for (size_t k = 0; k < 24; k++) {
				cr_assert_eq(sign(kern_strncmp(strs[i], strs[j], k)),
				    sign(strncmp(strs[i], strs[j], k)),
				    "strncmp(\"%s\", \"%s\", %zu)", strs[i], strs[j], k);
			}
		}
	}
}

Test(string, strchr_and_strrchr_match_libc)
{
	static const char s[] = "hello, world; hello again";
	static const int cs[] = { 'h', 'o', 'l', ';', 'n', 'z', '\0', 'h' + 0x100,
		'\xff' };

	for (size_t off = 0; off < sizeof(s); off++) {
		for (size_t k = 0; k < sizeof(cs) / sizeof(cs[0]); k++) {
			cr_assert_eq(kern_strchr(s + off, cs[k]),
			    strchr(s + off, cs[k]), "strchr(s+%zu, %#x)", off, cs[k]);
			cr_assert_eq(kern_strrchr(s + off, cs[k]),
			    strrchr(s + off, cs[k]), "strrchr(s+%zu, %#x)", off, cs[k]);
		}
	}
	/* The terminator is part of the string for both. */
	cr_assert_eq(kern_strchr(s, '\0'), s + sizeof(s) - 1);
	cr_assert_eq(kern_strrchr("", '\0'), kern_strchr("", '\0'));
}

Test(string, strstr_matches_libc)
{
	static const char *const hay[] = {
		"", "a", "aaab", "abababc", "the quick brown fox", "needle", "nee",
		"xxneedlexxneedle", "mississippi",
	};
	static const char *const needles[] = {
		"", "a", "aab", "ababc", "abc", "fox", "needle", "needles", "issip",
		"ssi", "x", "quick brown", "mississippi!",
	};

	for (size_t i = 0; i < sizeof(hay) / sizeof(hay[0]); i++) {
		for (size_t j = 0; j < sizeof(needles) / sizeof(needles[0]); j++) {
			cr_assert_eq(kern_strstr(hay[i], needles[j]),
			    strstr(hay[i], needles[j]), "strstr(\"%s\", \"%s\")", hay[i],
			    needles[j]);
		}
	}
}

/*
 * The BSD contract, from the C library's own parts: snprintf with "%s"
 * copies, truncates, NUL-terminates when size > 0 and returns the length
 * it tried for, which is exactly what strlcpy promises. Nothing here shares
 * code with the implementation under test.
 */
static size_t
model_strlcpy(char *dst, const char *src, size_t size)
{
	return (size_t)snprintf(dst, size, "%s", src);
}

/* strlcat: as strlcpy after the existing string, if it ends within size. */
static size_t
model_strlcat(char *dst, const char *src, size_t size)
{
	const char *nul = memchr(dst, '\0', size);

	if (nul == NULL)
		return size + strlen(src);
	return (size_t)(nul - dst) + model_strlcpy(dst + (nul - dst), src,
	    size - (size_t)(nul - dst));
}

Test(string, strlcpy_truncates_and_returns_source_length)
{
	static const char *const srcs[] = { "", "x", "hello", "0123456789abcdef" };
	char got[40], want[40];

	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		for (size_t size = 0; size < 24; size++) {
			memset(got, '#', sizeof(got));
			memset(want, '#', sizeof(want));
			cr_assert_eq(kern_strlcpy(got, srcs[i], size),
			    model_strlcpy(want, srcs[i], size),
			    "strlcpy return, size %zu", size);
			cr_assert(memcmp(got, want, sizeof(got)) == 0,
			    "strlcpy(\"%s\", %zu) wrote the wrong bytes", srcs[i], size);
		}
	}
	/* size 0 writes nothing at all; dst may even be NULL. */
	cr_assert_eq(kern_strlcpy(NULL, "abc", 0), 3u);
}

Test(string, strlcat_truncates_and_returns_the_length_tried)
{
	static const char *const starts[] = { "", "ab", "abcdefgh" };
	static const char *const srcs[] = { "", "x", "uvwxyz", "0123456789" };
	char got[40], want[40];

	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		for (size_t j = 0; j < sizeof(srcs) / sizeof(srcs[0]); j++) {
			for (size_t size = 0; size < 24; size++) {
				memset(got, '#', sizeof(got));
				strcpy(got, starts[i]);
				memcpy(want, got, sizeof(want));
				cr_assert_eq(kern_strlcat(got, srcs[j], size),
				    model_strlcat(want, srcs[j], size),
				    "strlcat(\"%s\", \"%s\", %zu) return", starts[i],
				    srcs[j], size);
				cr_assert(memcmp(got, want, sizeof(got)) == 0,
				    "strlcat(\"%s\", \"%s\", %zu) wrote the wrong bytes",
				    starts[i], srcs[j], size);
			}
		}
	}
}

/* dst holds no NUL within size: nothing is written, size + strlen(src). */
Test(string, strlcat_with_unterminated_destination)
{
	char *dst = malloc(6);

	memcpy(dst, "abcdef", 6);
	cr_assert_eq(kern_strlcat(dst, "xyz", 6), 9u);
	cr_assert(memcmp(dst, "abcdef", 6) == 0);
	cr_assert_eq(kern_strlcat(dst, "xyz", 4), 7u);
	free(dst);
}

/* Random lengths, offsets and overlaps, against glibc. */
Test(string, random_copies_against_libc)
{
	static unsigned char a[4096], b[4096];
	struct test_rand r;

	test_rand_seed(&r, 0x5eed0001);
	for (int step = 0; step < 20000; step++) {
		size_t n = (size_t)test_rand_below(&r, 600);
		size_t s = (size_t)test_rand_below(&r, sizeof(a) - n);
		size_t d = (size_t)test_rand_below(&r, sizeof(a) - n);
		int c = (int)test_rand_below(&r, 256);

		fill_pattern(a, sizeof(a), (unsigned)step);
		memcpy(b, a, sizeof(b));
		switch (step % 3) {
		case 0:
			kern_memmove(a + d, a + s, n);
			memmove(b + d, b + s, n);
			break;
		case 1:
			kern_memset(a + d, c, n);
			memset(b + d, c, n);
			break;
		default:
			if (s < d + n && d < s + n)
				continue;	/* memcpy needs disjoint ranges */
			kern_memcpy(a + d, a + s, n);
			memcpy(b + d, b + s, n);
			break;
		}
		cr_assert(memcmp(a, b, sizeof(a)) == 0,
		    "step %d (seed 0x5eed0001): op %d s=%zu d=%zu n=%zu", step, step % 3,
		    s, d, n);
		cr_assert_eq(sign(kern_memcmp(a + s, a + d, n)),
		    sign(memcmp(a + s, a + d, n)));
	}
}
