/*
 * kern_names_undo.h - end the renaming that kern_names.h started, so that
 * code after it sees the C library's memcpy, strlen, snprintf, ... again.
 * Declarations made in between keep their kern_ names.
 *
 * No include guard, like kern_names.h; the two list the same names.
 */

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef bzero
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strlcpy
#undef strlcat

#undef snprintf
#undef vsnprintf

#undef printf
#undef vprintf

#undef isdigit
#undef islower
#undef isupper
#undef isalpha
#undef isalnum
#undef isspace
#undef isprint
#undef isxdigit
#undef tolower
#undef toupper
