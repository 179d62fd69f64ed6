/*
 * kern_names.h - the host names of libkern's C-library-named functions.
 *
 * The kernel has no C library, so libkern defines memcpy, strlen, snprintf,
 * isdigit and the rest under the standard names. On the host those names
 * belong to glibc and to the sanitizers' interceptors, and the two must not
 * meet. Every kernel source built for the unit tests is therefore compiled
 * with "-include tests/unit/shim/kern_names.h": its definitions and calls
 * become kern_memcpy, kern_strlen, kern_snprintf, ..., while glibc and ASan
 * keep theirs. Tests reach the kernel's versions through shim/kern.h under
 * the kern_ names.
 *
 * Only names that clash with the C library are here. kern_names_undo.h
 * lists the same names and must be kept in step with this file.
 *
 * No include guard: each inclusion (re)establishes the renaming.
 */

/* libkern/string.h */
#undef memcpy
#define memcpy		kern_memcpy
#undef memmove
#define memmove		kern_memmove
#undef memset
#define memset		kern_memset
#undef memcmp
#define memcmp		kern_memcmp
#undef memchr
#define memchr		kern_memchr
#undef bzero
#define bzero		kern_bzero
#undef strlen
#define strlen		kern_strlen
#undef strnlen
#define strnlen		kern_strnlen
#undef strcmp
#define strcmp		kern_strcmp
#undef strncmp
#define strncmp		kern_strncmp
#undef strchr
#define strchr		kern_strchr
#undef strrchr
#define strrchr		kern_strrchr
#undef strstr
#define strstr		kern_strstr
#undef strlcpy
#define strlcpy		kern_strlcpy
#undef strlcat
#define strlcat		kern_strlcat

/* libkern/printf.h */
#undef snprintf
#define snprintf	kern_snprintf
#undef vsnprintf
#define vsnprintf	kern_vsnprintf

/* kernel/console.h */
#undef printf
#define printf		kern_printf
#undef vprintf
#define vprintf		kern_vprintf

/* libkern/ctype.h (static inline, but glibc may define these as macros) */
#undef isdigit
#define isdigit		kern_isdigit
#undef islower
#define islower		kern_islower
#undef isupper
#define isupper		kern_isupper
#undef isalpha
#define isalpha		kern_isalpha
#undef isalnum
#define isalnum		kern_isalnum
#undef isspace
#define isspace		kern_isspace
#undef isprint
#define isprint		kern_isprint
#undef isxdigit
#define isxdigit	kern_isxdigit
#undef tolower
#define tolower		kern_tolower
#undef toupper
#define toupper		kern_toupper
