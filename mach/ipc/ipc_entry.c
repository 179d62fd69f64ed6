/*
 * ipc_entry.c - the name table of an IPC space (ipc_entry.h).
 */

#include "mach/ipc/ipc_entry.h"

#include "libkern/string.h"
#include "mach/kern/kalloc.h"

#define NAME_INDEX(name)	((name) >> 8)
#define NAME_GEN(name)		((uint8_t)((name) & 0xffu))
#define MAKE_NAME(index, gen)	(((mach_port_name_t)(index) << 8) | (gen))

static uint32_t
hash_slot(const struct ipc_entry_table *table, const void *object)
{
	uint64_t h = (uint64_t)(uintptr_t)object >> 4;

	h *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32) & (table->it_size - 1);
}

static int
entry_hashed(const struct ipc_entry *entry)
{
	return (entry->ie_bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)) != 0;
}

/* Put indexes [from, to) on the free list, lowest first. */
static void
free_range(struct ipc_entry_table *table, uint32_t from, uint32_t to)
{
	for (uint32_t i = to; i > from; i--) {
		struct ipc_entry *e = &table->it_entries[i - 1];

		e->ie_next = table->it_free;
		table->it_free = i - 1;
	}
}

static void
rehash(struct ipc_entry_table *table)
{
	memset(table->it_hash, 0, table->it_size * sizeof(uint32_t));
	for (uint32_t i = 1; i < table->it_size; i++) {
		struct ipc_entry *e = &table->it_entries[i];

		if (IE_BITS_TYPE(e->ie_bits) != 0 && entry_hashed(e)) {
			uint32_t slot = hash_slot(table, e->ie_object);

			e->ie_hash_next = table->it_hash[slot];
			table->it_hash[slot] = i;
		}
	}
}

/* Grow the table to at least need entries (doubling). */
static kern_return_t
table_grow(struct ipc_entry_table *table, uint32_t need)
{
	uint32_t size = table->it_size;

	if (need > table->it_max)
		return KERN_NO_SPACE;
	while (size < need)
		size *= 2;
	if (size > table->it_max)
		size = table->it_max;

	struct ipc_entry *entries = kalloc(size * sizeof(*entries));
	uint32_t *hash = kalloc(size * sizeof(*hash));

	if (entries == NULL || hash == NULL) {
		if (entries != NULL)
			kfree(entries, size * sizeof(*entries));
		if (hash != NULL)
			kfree(hash, size * sizeof(*hash));
		return KERN_RESOURCE_SHORTAGE;
	}
	memcpy(entries, table->it_entries, table->it_size * sizeof(*entries));
	memset(&entries[table->it_size], 0, (size - table->it_size) * sizeof(*entries));
	kfree(table->it_entries, table->it_size * sizeof(*entries));
	kfree(table->it_hash, table->it_size * sizeof(*hash));

	uint32_t old = table->it_size;

	table->it_entries = entries;
	table->it_hash = hash;
	table->it_size = size;
	free_range(table, old, size);
	rehash(table);
	return KERN_SUCCESS;
}

kern_return_t
ipc_entry_table_init(struct ipc_entry_table *table, uint32_t max)
{
	uint32_t size = IPC_ENTRY_TABLE_MIN;

	if (max < 2 || (max & (max - 1)) != 0)
		return KERN_INVALID_ARGUMENT;
	if (size > max)
		size = max;
	memset(table, 0, sizeof(*table));
	table->it_entries = kalloc(size * sizeof(struct ipc_entry));
	table->it_hash = kalloc(size * sizeof(uint32_t));
	if (table->it_entries == NULL || table->it_hash == NULL) {
		if (table->it_entries != NULL)
			kfree(table->it_entries, size * sizeof(struct ipc_entry));
		if (table->it_hash != NULL)
			kfree(table->it_hash, size * sizeof(uint32_t));
		table->it_entries = NULL;
		table->it_hash = NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(table->it_entries, 0, size * sizeof(struct ipc_entry));
	memset(table->it_hash, 0, size * sizeof(uint32_t));
	table->it_size = size;
	table->it_max = max;
	free_range(table, 1, size);	/* index 0 is never a name */
	return KERN_SUCCESS;
}

void
ipc_entry_table_destroy(struct ipc_entry_table *table)
{
	if (table->it_entries != NULL)
		kfree(table->it_entries, table->it_size * sizeof(struct ipc_entry));
	if (table->it_hash != NULL)
		kfree(table->it_hash, table->it_size * sizeof(uint32_t));
	memset(table, 0, sizeof(*table));
}

kern_return_t
ipc_entry_alloc(struct ipc_entry_table *table, mach_port_name_t *namep,
    struct ipc_entry **entryp)
{
	if (table->it_free == 0) {
		kern_return_t kr = table_grow(table, table->it_size + 1);

		if (kr != KERN_SUCCESS)
			return kr;
	}

	uint32_t index = table->it_free;
	struct ipc_entry *e = &table->it_entries[index];

	table->it_free = e->ie_next;
	e->ie_next = 0;
	e->ie_bits = 0;
	e->ie_object = NULL;
	e->ie_dnrequest = 0;
	table->it_inuse++;
	*namep = MAKE_NAME(index, e->ie_gen);
	*entryp = e;
	return KERN_SUCCESS;
}

kern_return_t
ipc_entry_alloc_name(struct ipc_entry_table *table, mach_port_name_t name,
    struct ipc_entry **entryp)
{
	uint32_t index = NAME_INDEX(name);

	if (!MACH_PORT_VALID(name) || index == 0)
		return KERN_INVALID_VALUE;
	if (index >= table->it_max)
		return KERN_NO_SPACE;
	if (index >= table->it_size) {
		kern_return_t kr = table_grow(table, index + 1);

		if (kr != KERN_SUCCESS)
			return kr;
	}

	struct ipc_entry *e = &table->it_entries[index];

	if (IE_BITS_TYPE(e->ie_bits) != 0)
		return KERN_NAME_EXISTS;

	/* Take it off the free list. */
	uint32_t *link = &table->it_free;

	while (*link != 0 && *link != index)
		link = &table->it_entries[*link].ie_next;
	if (*link == index)
		*link = e->ie_next;
	e->ie_next = 0;
	e->ie_bits = 0;
	e->ie_object = NULL;
	e->ie_dnrequest = 0;
	e->ie_gen = NAME_GEN(name);
	table->it_inuse++;
	*entryp = e;
	return KERN_SUCCESS;
}

kern_return_t
ipc_entry_claim(struct ipc_entry_table *table, mach_port_name_t name, mach_port_name_t *namep,
    struct ipc_entry **entryp)
{
	if (name == MACH_PORT_NULL)
		return ipc_entry_alloc(table, namep, entryp);
	*namep = name;
	return ipc_entry_alloc_name(table, name, entryp);
}

struct ipc_entry *
ipc_entry_lookup(const struct ipc_entry_table *table, mach_port_name_t name)
{
	uint32_t index = NAME_INDEX(name);
	struct ipc_entry *e;

	if (index == 0 || index >= table->it_size)
		return NULL;
	e = &table->it_entries[index];
	if (IE_BITS_TYPE(e->ie_bits) == 0 || e->ie_gen != NAME_GEN(name))
		return NULL;
	return e;
}

mach_port_name_t
ipc_entry_name(const struct ipc_entry_table *table, const struct ipc_entry *entry)
{
	uint32_t index = (uint32_t)(entry - table->it_entries);

	return MAKE_NAME(index, entry->ie_gen);
}

void
ipc_entry_dealloc(struct ipc_entry_table *table, mach_port_name_t name)
{
	uint32_t index = NAME_INDEX(name);
	struct ipc_entry *e = &table->it_entries[index];

	e->ie_bits = 0;
	e->ie_object = NULL;
	e->ie_dnrequest = 0;
	e->ie_gen++;
	if (MAKE_NAME(index, e->ie_gen) == MACH_PORT_DEAD)
		e->ie_gen = 0;
	e->ie_next = table->it_free;
	table->it_free = index;
	table->it_inuse--;
}

void
ipc_hash_insert(struct ipc_entry_table *table, mach_port_name_t name)
{
	uint32_t index = NAME_INDEX(name);
	struct ipc_entry *e = &table->it_entries[index];
	uint32_t slot = hash_slot(table, e->ie_object);

	e->ie_hash_next = table->it_hash[slot];
	table->it_hash[slot] = index;
}

void
ipc_hash_delete(struct ipc_entry_table *table, mach_port_name_t name)
{
	uint32_t index = NAME_INDEX(name);
	struct ipc_entry *e = &table->it_entries[index];
	uint32_t *link = &table->it_hash[hash_slot(table, e->ie_object)];

	while (*link != 0 && *link != index)
		link = &table->it_entries[*link].ie_hash_next;
	if (*link == index)
		*link = e->ie_hash_next;
	e->ie_hash_next = 0;
}

mach_port_name_t
ipc_hash_lookup(const struct ipc_entry_table *table, const void *object)
{
	uint32_t index = table->it_hash[hash_slot(table, object)];

	while (index != 0) {
		const struct ipc_entry *e = &table->it_entries[index];

		if (e->ie_object == object)
			return MAKE_NAME(index, e->ie_gen);
		index = e->ie_hash_next;
	}
	return MACH_PORT_NULL;
}

mach_port_name_t
ipc_entry_next(const struct ipc_entry_table *table, uint32_t *cursor, struct ipc_entry **entryp)
{
	uint32_t i = *cursor == 0 ? 1 : *cursor;

	for (; i < table->it_size; i++) {
		struct ipc_entry *e = &table->it_entries[i];

		if (IE_BITS_TYPE(e->ie_bits) != 0) {
			*cursor = i + 1;
			if (entryp != NULL)
				*entryp = e;
			return MAKE_NAME(i, e->ie_gen);
		}
	}
	*cursor = table->it_size;
	return MACH_PORT_NULL;
}
