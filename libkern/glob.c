/*
 * glob.c - '*' and '?' matching without recursion: on a mismatch, backtrack
 * to just after the last '*' and let it swallow one more character. Linear in
 * practice, and never deeper than one stack frame whatever the pattern.
 */

#include "libkern/glob.h"

#include "libkern/string.h"

bool
glob_match(const char *pattern, size_t patlen, const char *name)
{
	size_t p = 0, star_p = 0;
	const char *star_n = NULL;

	while (*name != '\0') {
		if (p < patlen && pattern[p] == '*') {
			star_p = ++p;
			star_n = name;
		} else if (p < patlen && (pattern[p] == '?' || pattern[p] == *name)) {
			p++;
			name++;
		} else if (star_n != NULL) {
			p = star_p;
			name = ++star_n;
		} else {
			return false;
		}
	}
	while (p < patlen && pattern[p] == '*')
		p++;
	return p == patlen;
}

bool
glob_match_list(const char *patterns, const char *name)
{
	const char *p = patterns, *comma;

	for (;;) {
		comma = strchr(p, ',');
		if (glob_match(p, comma != NULL ? (size_t)(comma - p) : strlen(p), name))
			return true;
		if (comma == NULL)
			return false;
		p = comma + 1;
	}
}

bool
glob_has_wildcard(const char *pattern, size_t patlen)
{
	for (size_t i = 0; i < patlen; i++) {
		if (pattern[i] == '*' || pattern[i] == '?')
			return true;
	}
	return false;
}
