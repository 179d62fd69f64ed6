/*
 * test_glob.c - libkern/glob.c: '*' and '?' matching, comma lists.
 *
 * Besides the cases written out, every pattern up to five characters over
 * {a, b, *, ?} is matched against every name up to six characters over
 * {a, b} and compared with a dynamic-programming matcher written here, and
 * patterns that make naive recursive matchers exponential must finish at
 * once.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/shim/kern.h"

#include "libkern/glob.h"

static bool
match(const char *pattern, const char *name)
{
	return glob_match(pattern, strlen(pattern), name);
}

/* The reference: dp[i][j] = pattern[0..i) matches name[0..j). */
static bool
model_match(const char *pat, size_t plen, const char *name)
{
	size_t nlen = strlen(name);
	bool dp[16][16] = { { false } };

	cr_assert(plen < 16 && nlen < 16);
	dp[0][0] = true;
	for (size_t i = 1; i <= plen; i++) {
		for (size_t j = 0; j <= nlen; j++) {
			if (pat[i - 1] == '*')
				dp[i][j] = dp[i - 1][j] || (j > 0 && dp[i][j - 1]);
			else if (j > 0 && (pat[i - 1] == '?' ||
			    pat[i - 1] == name[j - 1]))
				dp[i][j] = dp[i - 1][j - 1];
		}
	}
	return dp[plen][nlen];
}

Test(glob, literal_patterns)
{
	cr_assert(match("vm_phys.alloc", "vm_phys.alloc"));
	cr_assert_not(match("vm_phys.alloc", "vm_phys.alloc2"));
	cr_assert_not(match("vm_phys.alloc", "vm_phys.allo"));
	cr_assert_not(match("vm_phys.alloc", "xm_phys.alloc"));
	cr_assert_not(match("abc", "ABC"), "matching is case-sensitive");
}

Test(glob, empty_pattern_matches_only_the_empty_name)
{
	cr_assert(match("", ""));
	cr_assert_not(match("", "a"));
	cr_assert(glob_match("anything", 0, ""), "patlen 0 is the empty pattern");
	cr_assert_not(glob_match("anything", 0, "x"));
}

Test(glob, star_matches_any_run_including_none)
{
	cr_assert(match("*", ""));
	cr_assert(match("*", "anything at all"));
	cr_assert(match("**", ""));
	cr_assert(match("vm_phys.*", "vm_phys."));
	cr_assert(match("vm_phys.*", "vm_phys.alloc_contiguous"));
	cr_assert_not(match("vm_phys.*", "vm_phys"));
	cr_assert(match("*.alloc", "kheap.alloc"));
	cr_assert_not(match("*.alloc", "kheap.alloc.big"));
	cr_assert(match("a*b*c", "abc"));
	cr_assert(match("a*b*c", "a123b456c"));
	cr_assert(match("a*b*c", "abbbcbc"));
	cr_assert_not(match("a*b*c", "a123b456"));
	cr_assert(match("*a*", "bab"));
	cr_assert_not(match("*a*", "bbb"));
}

Test(glob, question_mark_matches_exactly_one)
{
	cr_assert(match("?", "x"));
	cr_assert_not(match("?", ""));
	cr_assert_not(match("?", "xy"));
	cr_assert(match("t?st", "test"));
	cr_assert(match("t?st", "t?st"));
	cr_assert_not(match("t?st", "tst"));
	cr_assert(match("*?", "a"));
	cr_assert_not(match("*?", ""));
	cr_assert(match("?*?", "ab"));
	cr_assert_not(match("?*?", "a"));
}

/* Only patlen bytes of the pattern exist: nothing past them is read. */
Test(glob, pattern_is_bounded_by_patlen_not_a_nul)
{
	static const char text[] = "ab*,zz";
	char *pat = malloc(3);

	memcpy(pat, text, 3);		/* "ab*", no NUL */
	cr_assert(glob_match(pat, 3, "abcdef"));
	cr_assert(glob_match(pat, 3, "ab"));
	cr_assert_not(glob_match(pat, 3, "a"));
	cr_assert(glob_match(pat, 2, "ab"));
	cr_assert_not(glob_match(pat, 2, "abc"));
	cr_assert(glob_has_wildcard(pat, 3));
	cr_assert_not(glob_has_wildcard(pat, 2));
	free(pat);
}

static void
exhaustive(const char *alphabet, size_t maxlen, char *buf, size_t len,
    void (*fn)(const char *s, void *arg), void *arg)
{
	buf[len] = '\0';
	fn(buf, arg);
	if (len == maxlen)
		return;
	for (const char *a = alphabet; *a != '\0'; a++) {
		buf[len] = *a;
		exhaustive(alphabet, maxlen, buf, len + 1, fn, arg);
	}
}

static void
check_name(const char *name, void *arg)
{
	const char *pat = arg;

	cr_assert_eq(match(pat, name), model_match(pat, strlen(pat), name),
	    "pattern \"%s\" name \"%s\": kernel %d", pat, name, match(pat, name));
}

static void
check_pattern(const char *pat, void *arg)
{
	char name[8];

	(void)arg;
	exhaustive("ab", 6, name, 0, check_name, (void *)pat);
}

Test(glob, every_small_pattern_against_a_model)
{
	char pat[8];

	exhaustive("ab*?", 5, pat, 0, check_pattern, NULL);
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Exponential for naive recursion; at most patlen * namelen steps here. */
Test(glob, pathological_patterns_finish_quickly)
{
	size_t n = 20000;
	char *name = malloc(n + 2);
	double start = seconds();

	memset(name, 'a', n);
	name[n] = '\0';
	cr_assert_not(match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", name));
	cr_assert(match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", name));
	cr_assert_not(match("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a?b", name));
	name[n] = 'b';
	name[n + 1] = '\0';
	cr_assert(match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", name));
	cr_assert(match("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*b", name));
	cr_assert(seconds() - start < 5.0, "took %.1f s", seconds() - start);
	free(name);
}

Test(glob, match_list_tries_each_comma_separated_pattern)
{
	cr_assert(glob_match_list("vm_phys.*,printf.width", "vm_phys.alloc"));
	cr_assert(glob_match_list("vm_phys.*,printf.width", "printf.width"));
	cr_assert_not(glob_match_list("vm_phys.*,printf.width", "printf.widths"));
	cr_assert_not(glob_match_list("vm_phys.*,printf.width", "kheap.alloc"));
	cr_assert(glob_match_list("a", "a"));
	cr_assert(glob_match_list("x,y,z,*", "anything"));
	/* A pattern ends at its comma: "a" does not run on into ",b"... */
	cr_assert_not(glob_match_list("a,b", "a,b"));
	/* ... but a name may hold commas, which '*' matches like the rest. */
	cr_assert(glob_match_list("a*,q", "a,b"));
}

Test(glob, match_list_with_empty_entries)
{
	cr_assert(glob_match_list("", ""));
	cr_assert_not(glob_match_list("", "a"));
	cr_assert(glob_match_list("a,", ""), "a trailing comma is an empty pattern");
	cr_assert(glob_match_list(",a", ""));
	cr_assert(glob_match_list("x,,y", ""));
	cr_assert_not(glob_match_list("x,,y", "z"));
	cr_assert_not(glob_match_list(",,,", "a"));
	cr_assert(glob_match_list(",,,", ""));
}

Test(glob, has_wildcard)
{
	cr_assert(glob_has_wildcard("a*", 2));
	cr_assert(glob_has_wildcard("?", 1));
	cr_assert(glob_has_wildcard("abc?def", 7));
	cr_assert_not(glob_has_wildcard("abc", 3));
	cr_assert_not(glob_has_wildcard("", 0));
	cr_assert_not(glob_has_wildcard("abc*", 3), "only patlen bytes count");
	cr_assert_not(glob_has_wildcard("[a-z]", 5), "only * and ? are wildcards");
}
