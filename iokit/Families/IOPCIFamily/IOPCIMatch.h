/*
 * IOPCIMatch.h - the PCI family's match strings, parsed and compared: a
 * pure function of its arguments (no allocation, no locks, no kernel
 * calls), so the same file compiles into the kext and into the host unit
 * tests (tests/unit/iokit/test_IOPCIMatch.c).
 *
 * A match string is one or more words separated by blanks (spaces, tabs,
 * newlines). A word is a hexadecimal value, "0x" optional, 1 to 8 digits,
 * optionally followed by "&" and a mask in the same form: "0x10001af4",
 * "0x10001af4&0xfff0ffff", "0x0c030000&0xffff0000". A word matches a
 * value v when (v & mask) == (word & mask); the mask is 0xffffffff when
 * none is given. The string matches when any word matches any of the
 * values it is compared with.
 *
 * Anything else (an empty string, a word that is not hex, more than 8
 * digits, a lone "&", text after the mask) makes the string malformed:
 * it matches nothing and the caller is told why.
 */

#ifndef IOKIT_FAMILIES_IOPCIFAMILY_IOPCIMATCH_H
#define IOKIT_FAMILIES_IOPCIFAMILY_IOPCIMATCH_H

#include <stdint.h>

/* IOPCIMatchString's results. */
#define kIOPCIMatchNo		0	/* well formed; no word matches */
#define kIOPCIMatchYes		1	/* a word matches a value */
#define kIOPCIMatchMalformed	(-1)	/* *why says what is wrong */

/*
 * IOPCIMatchString: compare the match string s (NUL-terminated) with
 * values[0..count). Returns kIOPCIMatchYes, kIOPCIMatchNo or
 * kIOPCIMatchMalformed; on the last, *why (if why is not NULL) is a
 * static sentence saying why, and *at (if not NULL) the offset in s where
 * the problem is. The whole string is checked even after a match, so a
 * malformed string never matches.
 */
int	IOPCIMatchString(const char *s, const uint32_t *values, unsigned count,
	    const char **why, unsigned *at);

#endif /* IOKIT_FAMILIES_IOPCIFAMILY_IOPCIMATCH_H */
