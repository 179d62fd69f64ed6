/*
 * OSSymbol.c - the symbol table: a fixed array of hash chains under one
 * spin lock. A lookup retains the symbol it finds only if its count is
 * still above zero (a compare-and-swap from n > 0 to n + 1), so it never
 * revives a symbol whose last release has begun; that symbol's free
 * method unlinks it.
 */

#include "libkern/OSSymbol.h"

#include "libkern/string.h"
#include "mach/kern/simple_lock.h"

/* Locks used in this file: [T] ossymbol_table.lock; [I] set before publication. */

#define OSSYMBOL_BUCKETS	256	/* a power of two */

static struct {
	hw_lock_data_t	lock;
	OSSymbol	*buckets[OSSYMBOL_BUCKETS];	/* [T] */
	uint32_t	count;				/* [T] */
} ossymbol_table = {
	.lock = HW_LOCK_INITIALIZER,
};

static boolean_t
ossymbol_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&ossymbol_table.lock);
	return s;
}

static void
ossymbol_unlock(boolean_t s)
{
	hw_lock_unlock(&ossymbol_table.lock);
	ml_set_interrupts_enabled(s);
}

/* FNV-1a. */
static uint32_t
ossymbol_hash(const char *bytes, size_t length)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < length; i++)
		h = (h ^ (uint8_t)bytes[i]) * 16777619u;
	return h;
}

static void
ossymbol_free(OSObject *obj)
{
	OSSymbol *sym = (OSSymbol *)obj, **link;
	boolean_t s;

	s = ossymbol_lock();
	if (sym->sym_interned) {
		link = &ossymbol_table.buckets[sym->sym_hash & (OSSYMBOL_BUCKETS - 1)];
		while (*link != sym)
			link = &(*link)->sym_next;
		*link = sym->sym_next;
		sym->sym_interned = false;
		ossymbol_table.count--;
	}
	ossymbol_unlock(s);
}

static const struct OSObject_methods ossymbol_methods = {
	.free = ossymbol_free,
};
OSDefineMetaClass(OSSymbol, OSString, &ossymbol_methods);

/* Retain obj unless its count has reached zero; whether it did. */
static bool
ossymbol_try_retain(OSSymbol *sym)
{
	volatile int32_t *rc = &sym->sym_str.str_os.retainCount;
	int32_t old = __atomic_load_n(rc, __ATOMIC_RELAXED);

	do {
		if (old <= 0)
			return false;
	} while (!__atomic_compare_exchange_n(rc, &old, old + 1, true,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

/* The live symbol for the bytes, retained, or NULL. Locks: [T]. */
static OSSymbol *
ossymbol_find_locked(const char *bytes, size_t length, uint32_t hash)
{
	OSSymbol *sym;

	for (sym = ossymbol_table.buckets[hash & (OSSYMBOL_BUCKETS - 1)]; sym != NULL;
	    sym = sym->sym_next) {
		if (sym->sym_hash == hash && sym->sym_str.str_length == length &&
		    memcmp(sym->sym_str.str_string, bytes, length) == 0 &&
		    ossymbol_try_retain(sym))
			return sym;
	}
	return NULL;
}

const OSSymbol *
OSSymbol_withCStringOfLength(const char *bytes, size_t length)
{
	uint32_t hash;
	OSSymbol *sym, *found;
	boolean_t s;

	if (bytes == NULL || length > OSSTRING_MAX_LENGTH ||
	    memchr(bytes, '\0', length) != NULL)
		return NULL;
	hash = ossymbol_hash(bytes, length);
	s = ossymbol_lock();
	found = ossymbol_find_locked(bytes, length, hash);
	ossymbol_unlock(s);
	if (found != NULL)
		return found;

	sym = OSTypeAlloc(OSSymbol);
	if (sym == NULL)
		return NULL;
	if (!OSString_initWithCStringOfLength(&sym->sym_str, bytes, length)) {
		OSObject_release(OSCOBJ(sym));
		return NULL;
	}
	sym->sym_hash = hash;

	/* Another thread may have made the same symbol meanwhile. */
	s = ossymbol_lock();
	found = ossymbol_find_locked(bytes, length, hash);
	if (found == NULL) {
		sym->sym_next = ossymbol_table.buckets[hash & (OSSYMBOL_BUCKETS - 1)];
		ossymbol_table.buckets[hash & (OSSYMBOL_BUCKETS - 1)] = sym;
		sym->sym_interned = true;
		ossymbol_table.count++;
	}
	ossymbol_unlock(s);
	if (found != NULL) {
		OSObject_release(OSCOBJ(sym));
		return found;
	}
	return sym;
}

const OSSymbol *
OSSymbol_withCString(const char *cString)
{
	if (cString == NULL)
		return NULL;
	return OSSymbol_withCStringOfLength(cString, strlen(cString));
}

const OSSymbol *
OSSymbol_withString(const OSString *aString)
{
	const OSSymbol *sym;

	if (aString == NULL)
		return NULL;
	sym = OSDynamicCast(OSSymbol, aString);
	if (sym != NULL) {
		OSObject_retain(OSCOBJ(sym));
		return sym;
	}
	return OSSymbol_withCStringOfLength(aString->str_string, aString->str_length);
}

const OSSymbol *
OSSymbol_existingSymbolForCString(const char *cString)
{
	size_t length;
	OSSymbol *found;
	boolean_t s;

	if (cString == NULL)
		return NULL;
	length = strlen(cString);
	s = ossymbol_lock();
	found = ossymbol_find_locked(cString, length, ossymbol_hash(cString, length));
	ossymbol_unlock(s);
	return found;
}

const char *
OSSymbol_getCStringNoCopy(const OSSymbol *sym)
{
	return sym->sym_str.str_string;
}

bool
OSSymbol_isEqualToCString(const OSSymbol *sym, const char *cString)
{
	return OSString_isEqualToCString(&sym->sym_str, cString);
}

uint32_t
OSSymbol_tableCount(void)
{
	uint32_t n;
	boolean_t s;

	s = ossymbol_lock();
	n = ossymbol_table.count;
	ossymbol_unlock(s);
	return n;
}
