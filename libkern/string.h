/*
 * string.h - the kernel's string and memory functions.
 *
 * The C library's names and contracts, plus the BSD bounded copies (strlcpy,
 * strlcat) that the kernel uses instead of strcpy and strcat, which it does
 * not have. Freestanding: the compiler may also emit calls to memcpy,
 * memmove, memset and memcmp on its own, so these must always exist.
 */

#ifndef LIBKERN_STRING_H
#define LIBKERN_STRING_H

#include <stddef.h>

void	*memcpy(void *restrict dst, const void *restrict src, size_t n);
void	*memmove(void *dst, const void *src, size_t n);
void	*memset(void *dst, int c, size_t n);
int	 memcmp(const void *a, const void *b, size_t n);
void	*memchr(const void *s, int c, size_t n);
void	 bzero(void *dst, size_t n);

size_t	 strlen(const char *s);
size_t	 strnlen(const char *s, size_t max);
int	 strcmp(const char *a, const char *b);
int	 strncmp(const char *a, const char *b, size_t n);
char	*strchr(const char *s, int c);
char	*strrchr(const char *s, int c);
char	*strstr(const char *haystack, const char *needle);

/*
 * strlcpy, strlcat: copy or append, always NUL-terminating when size > 0.
 * Return the length of the string they tried to create; a result >= size
 * means the output was truncated.
 */
size_t	 strlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t	 strlcat(char *restrict dst, const char *restrict src, size_t size);

#endif /* LIBKERN_STRING_H */
