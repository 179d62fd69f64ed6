/*
 * OSSymbol.h - interned strings: one OSSymbol per distinct string, so that
 * two symbols are equal exactly when they are the same object.
 *
 * OSSymbol is a subclass of OSString (every OSString_ call works on it)
 * kept in a global table. OSSymbol_withCString returns the table's symbol
 * for the string, retained, making it if there is none; a symbol leaves the
 * table when its last reference is released. Dictionary keys made from C
 * strings are symbols.
 *
 * Invariants
 *   - the table holds at most one symbol with a non-zero retain count per
 *     string (a symbol whose count has reached zero is dying: lookups pass
 *     over it, its free method takes it out);
 *   - a symbol's bytes never change.
 *
 * Locks: one spin lock (hw_lock, interrupts off) over the table; a leaf.
 * Symbols are allocated and freed outside it. Keys on the fields below:
 *   [T] the table lock	[I] set before the symbol is in the table
 */

#ifndef LIBKERN_OSSYMBOL_H
#define LIBKERN_OSSYMBOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkern/OSString.h"

struct OSSymbol {
	OSString	sym_str;
	struct OSSymbol	*sym_next;	/* [T] hash chain */
	uint32_t	sym_hash;	/* [I] */
	bool		sym_interned;	/* [T] on a chain */
};
OSDeclareDefaultStructors(OSSymbol);

/* The symbol for a string, retained; NULL if out of memory or a bad string. */
const OSSymbol	*OSSymbol_withCString(const char *cString);
const OSSymbol	*OSSymbol_withCStringOfLength(const char *bytes, size_t length);
const OSSymbol	*OSSymbol_withString(const OSString *aString);

/* The symbol for cString if one exists, retained; else NULL. */
const OSSymbol	*OSSymbol_existingSymbolForCString(const char *cString);

const char	*OSSymbol_getCStringNoCopy(const OSSymbol *sym);
bool		OSSymbol_isEqualToCString(const OSSymbol *sym, const char *cString);

/* Symbols in the table (dying ones included), for tests and diagnostics. */
uint32_t	OSSymbol_tableCount(void);

#endif /* LIBKERN_OSSYMBOL_H */
