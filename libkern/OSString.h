/*
 * OSString.h - an immutable string of bytes with a NUL at the end.
 *
 * The bytes are copied into memory the string owns (kalloc), except for a
 * string made by OSString_withCStringNoCopy, which points at the caller's
 * bytes: they must outlive the string. A string never holds a NUL byte
 * before its end; its length does not count the terminating NUL. Strings
 * are compared by their bytes (no Unicode normalisation).
 *
 * isEqualTo: equal to any OSString (or OSSymbol) with the same bytes.
 * Serialised as <string>, with & < > written as entities.
 *
 * Locks: none; a string does not change once made.
 */

#ifndef LIBKERN_OSSTRING_H
#define LIBKERN_OSSTRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkern/OSObject.h"

#define OSSTRING_NOCOPY		0x1	/* str_string is the caller's */
#define OSSTRING_MAX_LENGTH	0x7fffffffu

struct OSString {
	OSObject	str_os;
	const char	*str_string;	/* [I] length bytes, then a NUL */
	uint32_t	str_length;	/* [I] */
	uint32_t	str_flags;	/* [I] OSSTRING_* */
};
OSDeclareDefaultStructors(OSString);

/* New strings: NULL if out of memory, if cString is NULL or too long. */
OSString	*OSString_withCString(const char *cString);
OSString	*OSString_withCStringNoCopy(const char *cString);
OSString	*OSString_withString(const OSString *aString);
/* length bytes, which must not hold a NUL (NULL if they do). */
OSString	*OSString_withCStringOfLength(const char *bytes, size_t length);

/* For subclasses: fill a zero-filled string with a copy of the bytes. */
bool		OSString_initWithCStringOfLength(OSString *s, const char *bytes,
		    size_t length);

const char	*OSString_getCStringNoCopy(const OSString *s);
uint32_t	OSString_getLength(const OSString *s);
/* The byte at index; 0 past the end. */
char		OSString_getChar(const OSString *s, uint32_t index);

bool		OSString_isEqualToString(const OSString *s, const OSString *other);
bool		OSString_isEqualToCString(const OSString *s, const char *cString);

#endif /* LIBKERN_OSSTRING_H */
