/*
 * ipc_entry.h - the name table of an IPC space: what each port name of
 * one task denotes.
 *
 * A name is (index << 8) | generation (mach/port.h). The table is an array
 * of entries indexed by the name's index, so a lookup is one bounds check,
 * one array access and a generation compare. An entry in use holds one
 * kind or a combination of rights, as MACH_PORT_TYPE_* bits in ie_bits,
 * with a user-reference count in the low 16 bits (send and dead-name rights
 * count references; a receive, send-once or port-set right is one), and
 * points at its object (a port or a port set; NULL for a dead name). Free
 * entries form a list through ie_next; freeing an entry bumps its
 * generation, so the name it had stops working and the index's next name
 * differs from the old one.
 *
 * The table also answers the reverse question, which name a space already
 * has for a port (send and receive rights to one port share one name in a
 * space; a send-once right always gets a name of its own): a hash of
 * object pointers to indexes, chained through ie_hash_next. An entry is in
 * the hash exactly while it holds a send or receive right.
 *
 * Invariants:
 *   - index 0 is never used: no name is MACH_PORT_NULL, and no name is
 *     MACH_PORT_DEAD (the last generation of the last index is skipped);
 *   - an entry is free iff its type bits are 0, and then its object is NULL;
 *   - it_inuse counts the entries whose type bits are not 0.
 *
 * The table is a plain data structure: it takes no locks (its space's lock
 * covers it, ipc_space.h) and calls nothing but kalloc and kfree, so it
 * also compiles and is tested on the host (tests/unit/mach/ipc). Growing
 * the table moves the entries: a pointer to an entry is good only until
 * the next allocation in the same table.
 */

#ifndef MACH_IPC_IPC_ENTRY_H
#define MACH_IPC_IPC_ENTRY_H

#include <stdint.h>

#include "mach/kern_return.h"
#include "mach/port.h"

#define IE_BITS_UREFS_MASK	0x0000ffffu
#define IE_BITS_TYPE_MASK	0x001f0000u	/* MACH_PORT_TYPE_* of the rights held */
#define IE_BITS_UREFS(bits)	((bits) & IE_BITS_UREFS_MASK)
#define IE_BITS_TYPE(bits)	((bits) & IE_BITS_TYPE_MASK)

#define IPC_ENTRY_TABLE_MIN	32		/* entries a new table has */
#define IPC_ENTRY_TABLE_MAX	(1u << 18)	/* the most a space may hold */

struct ipc_entry {
	void		*ie_object;	/* the port or port set; NULL if dead or free */
	uint32_t	ie_bits;	/* type bits and user references */
	uint32_t	ie_next;	/* free: the next free index, 0 at the end */
	uint32_t	ie_hash_next;	/* in the hash: the next index in the chain */
	uint8_t		ie_gen;		/* the generation of its name */
	uint8_t		ie_dnrequest;	/* a dead-name request is armed on it */
	uint16_t	ie_pad;
};

struct ipc_entry_table {
	struct ipc_entry *it_entries;
	uint32_t	it_size;	/* entries in it_entries */
	uint32_t	it_max;		/* the most it may grow to */
	uint32_t	it_free;	/* the first free index, 0 if none */
	uint32_t	it_inuse;	/* entries holding rights */
	uint32_t	*it_hash;	/* it_size chain heads (indexes; 0 = none) */
};

/* ipc_entry_table_init: an empty table that may grow to max entries. */
kern_return_t	ipc_entry_table_init(struct ipc_entry_table *table, uint32_t max);

/* ipc_entry_table_destroy: free the arrays (the entries' rights are the caller's). */
void		ipc_entry_table_destroy(struct ipc_entry_table *table);

/*
 * ipc_entry_alloc: a free entry and its name, growing the table if needed.
 * The entry comes back with no type bits: the caller sets them.
 * KERN_NO_SPACE if the table is at its maximum, KERN_RESOURCE_SHORTAGE if
 * memory ran out.
 */
kern_return_t	ipc_entry_alloc(struct ipc_entry_table *table, mach_port_name_t *namep,
		    struct ipc_entry **entryp);

/*
 * ipc_entry_alloc_name: the entry for exactly name (mach_port_allocate_name).
 * KERN_NAME_EXISTS if it is in use, KERN_INVALID_VALUE for MACH_PORT_NULL or
 * MACH_PORT_DEAD, KERN_NO_SPACE beyond the maximum.
 */
kern_return_t	ipc_entry_alloc_name(struct ipc_entry_table *table, mach_port_name_t name,
		    struct ipc_entry **entryp);

/*
 * ipc_entry_claim: ipc_entry_alloc_name for name, or ipc_entry_alloc when
 * name is MACH_PORT_NULL; the name the entry has is in *namep either way.
 */
kern_return_t	ipc_entry_claim(struct ipc_entry_table *table, mach_port_name_t name,
		    mach_port_name_t *namep, struct ipc_entry **entryp);

/* ipc_entry_lookup: the entry name denotes now, or NULL. */
struct ipc_entry *ipc_entry_lookup(const struct ipc_entry_table *table, mach_port_name_t name);

/* ipc_entry_dealloc: free name's entry (which must be in use and unhashed). */
void		ipc_entry_dealloc(struct ipc_entry_table *table, mach_port_name_t name);

/* ipc_entry_name: the name entry has now. */
mach_port_name_t ipc_entry_name(const struct ipc_entry_table *table,
		    const struct ipc_entry *entry);

/* The reverse map, object -> name, for entries holding send or receive rights. */
void		ipc_hash_insert(struct ipc_entry_table *table, mach_port_name_t name);
void		ipc_hash_delete(struct ipc_entry_table *table, mach_port_name_t name);
/* ipc_hash_lookup: the name whose entry (hashed) points at object, or MACH_PORT_NULL. */
mach_port_name_t ipc_hash_lookup(const struct ipc_entry_table *table, const void *object);

/*
 * ipc_entry_next: iterate over the entries in use: start with *cursor 0;
 * each call gives the next one's name (and entry), MACH_PORT_NULL at the end.
 */
mach_port_name_t ipc_entry_next(const struct ipc_entry_table *table, uint32_t *cursor,
		    struct ipc_entry **entryp);

#endif /* MACH_IPC_IPC_ENTRY_H */
