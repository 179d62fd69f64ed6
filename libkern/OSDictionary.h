/*
 * OSDictionary.h - objects stored under string keys, in insertion order.
 *
 * A key is an OSSymbol or an OSString, compared by its bytes; the C-string
 * calls (OSDictionary_setObject, OSDictionary_getObject) make or compare
 * with a symbol. Setting a key already present replaces its value and
 * keeps the key's place. The dictionary retains keys and values and
 * releases them when they are removed, replaced or it is freed; the gets
 * lend. Lookups walk the entries (a dictionary holds the tens of keys of a
 * property list, not thousands).
 *
 * isEqualTo: another OSDictionary with the same keys whose values are
 * equal (isEqualTo), in any order. Serialised as <dict>, keys in order.
 * Iterating (OSCollectionIterator) yields the keys.
 *
 * Locks: none (OSCollection.h).
 */

#ifndef LIBKERN_OSDICTIONARY_H
#define LIBKERN_OSDICTIONARY_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSCollection.h"
#include "libkern/OSString.h"

struct OSDictionary_entry {
	const OSString	*key;		/* an OSString or OSSymbol, retained */
	OSObject	*value;		/* retained */
};

struct OSDictionary {
	OSCollection			dict_coll;
	struct OSDictionary_entry	*dict_entries;	/* dict_capacity slots */
	uint32_t			dict_count;
	uint32_t			dict_capacity;
};
OSDeclareDefaultStructors(OSDictionary);

/* New dictionaries; NULL if out of memory. */
OSDictionary	*OSDictionary_withCapacity(uint32_t capacity);
/* Same keys and values, retained again (a shallow copy). */
OSDictionary	*OSDictionary_withDictionary(const OSDictionary *dict, uint32_t capacity);

/* Store obj under key; false if either is NULL or out of memory. */
bool		OSDictionary_setObject(OSDictionary *d, const char *key, const OSObject *obj);
bool		OSDictionary_setObjectForKey(OSDictionary *d, const OSString *key,
		    const OSObject *obj);
/* Every entry of other, replacing values under keys d already has. */
bool		OSDictionary_merge(OSDictionary *d, const OSDictionary *other);

/* The value under key, not retained; NULL if none. */
OSObject	*OSDictionary_getObject(const OSDictionary *d, const char *key);
OSObject	*OSDictionary_getObjectForKey(const OSDictionary *d, const OSString *key);

/* Remove (and release) key and its value; no-op if absent. */
void		OSDictionary_removeObject(OSDictionary *d, const char *key);
void		OSDictionary_removeObjectForKey(OSDictionary *d, const OSString *key);
void		OSDictionary_flushCollection(OSDictionary *d);

uint32_t	OSDictionary_getCount(const OSDictionary *d);
uint32_t	OSDictionary_getCapacity(const OSDictionary *d);
/* The key and value at position index in insertion order; NULL past the end. */
const OSString	*OSDictionary_getKeyAtIndex(const OSDictionary *d, uint32_t index);
OSObject	*OSDictionary_getObjectAtIndex(const OSDictionary *d, uint32_t index);
bool		OSDictionary_isEqualToDictionary(const OSDictionary *d,
		    const OSDictionary *other);

#endif /* LIBKERN_OSDICTIONARY_H */
