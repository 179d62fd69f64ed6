/*
 * glob.h - shell-style name matching, for selecting tests and benchmarks by
 * name (tests=vm_phys.*,printf.width).
 */

#ifndef LIBKERN_GLOB_H
#define LIBKERN_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* glob_match: '*' matches any run, '?' any one character, all else itself. */
bool	glob_match(const char *pattern, size_t patlen, const char *name);

/* glob_match_list: name matches any of the comma-separated patterns. */
bool	glob_match_list(const char *patterns, const char *name);

/* glob_has_wildcard: the pattern holds '*' or '?'. */
bool	glob_has_wildcard(const char *pattern, size_t patlen);

#endif /* LIBKERN_GLOB_H */
