/*
 * string.c - memory and string functions for a freestanding kernel.
 *
 * Plain, portable C: the compiler's own memcpy and memset lowering calls
 * these, so they must not call themselves (the kernel is built with
 * -fno-tree-loop-distribute-patterns for that reason). The bulk loops move
 * machine words once both pointers are aligned.
 */

#include "libkern/string.h"

#include <stdint.h>

#define WORD		sizeof(uintptr_t)
#define WORD_ALIGNED(p)	(((uintptr_t)(p) & (WORD - 1)) == 0)

/*
 * The bulk functions start on a 256-byte boundary, and each is shorter
 * than that, so that none of their loops crosses a 4 KiB page. Under
 * QEMU's TCG a loop whose body crosses a page cannot jump straight back
 * to itself: each turn goes through QEMU's main loop. Where memset's word
 * loop happened to cross one, zeroing a page cost about 10 us more, which
 * was most of a page fault's cost (docs/performance.md). The kernel tier
 * checks the placement (kernel.bulk_loops_stay_in_one_page).
 */
#define BULK_LOOP	__attribute__((aligned(256)))

BULK_LOOP void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (WORD_ALIGNED(d) && WORD_ALIGNED(s)) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uintptr_t *)(void *)d = *(const uintptr_t *)(const void *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

BULK_LOOP void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d + n <= s || d >= s + n)
		return memcpy(dst, src, n);	/* no overlap */
	if (d < s) {
		/* Overlapping, dst below src: forwards, a byte at a time. */
		while (n-- > 0)
			*d++ = *s++;
		return dst;
	}
	/* Overlapping, dst above src: backwards. */
	d += n;
	s += n;
	while (n-- > 0)
		*--d = *--s;
	return dst;
}

BULK_LOOP void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uintptr_t pattern;

	if (n >= 2 * WORD) {
		while (!WORD_ALIGNED(d)) {
			*d++ = (unsigned char)c;
			n--;
		}
		pattern = (unsigned char)c;
		pattern |= pattern << 8;
		pattern |= pattern << 16;
		pattern |= (pattern << 16) << 16;
		for (; n >= WORD; n -= WORD, d += WORD)
			*(uintptr_t *)(void *)d = pattern;
	}
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

void
bzero(void *dst, size_t n)
{
	memset(dst, 0, n);
}

BULK_LOOP int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
	}
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	}
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (int)(unsigned char)*a - (int)(unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)(uintptr_t)last;
	}
}

char *
strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)(uintptr_t)haystack;
	for (; *haystack != '\0'; haystack++) {
		if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
			return (char *)(uintptr_t)haystack;
	}
	return NULL;
}

size_t
strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}
