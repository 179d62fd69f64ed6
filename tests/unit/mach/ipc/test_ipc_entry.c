/*
 * test_ipc_entry.c - mach/ipc/ipc_entry.c, an IPC space's name table, on
 * the host: names are index and generation, a freed name stops working and
 * its index comes back under another name, growth moves entries but keeps
 * names, the reverse hash follows growth, names picked by the caller,
 * limits, iteration, and a randomized run against a model.
 *
 * kalloc and kfree are the test's own (malloc), checking that every free
 * gives back the size that was allocated.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "mach/ipc/ipc_entry.h"
#include "mach/kern/kalloc.h"

/* --- the allocator ------------------------------------------------------- */

struct block {
	void		*addr;
	vm_size_t	size;
};

static struct block blocks[64];
static int fail_after = -1;		/* allocations left before one fails; -1: never */

void *
kalloc(vm_size_t size)
{
	void *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = malloc(size);
	for (int i = 0; i < 64; i++) {
		if (blocks[i].addr == NULL) {
			blocks[i].addr = p;
			blocks[i].size = size;
			return p;
		}
	}
	cr_assert_fail("too many blocks");
	return NULL;
}

void
kfree(void *addr, vm_size_t size)
{
	for (int i = 0; i < 64; i++) {
		if (blocks[i].addr == addr) {
			cr_assert_eq(blocks[i].size, size, "kfree of %p with size %zu, not %zu",
			    addr, (size_t)size, (size_t)blocks[i].size);
			blocks[i].addr = NULL;
			free(addr);
			return;
		}
	}
	cr_assert_fail("kfree of %p, never allocated", addr);
}

static int
blocks_live(void)
{
	int n = 0;

	for (int i = 0; i < 64; i++)
		n += blocks[i].addr != NULL;
	return n;
}

/* --- helpers ---------------------------------------------------------------- */

static struct ipc_entry_table table;
static int objects[4096];	/* stand-ins for ports: their addresses */

static void
setup(void)
{
	memset(blocks, 0, sizeof(blocks));
	fail_after = -1;
	cr_assert_eq(ipc_entry_table_init(&table, 1024), KERN_SUCCESS);
}

static void
teardown(void)
{
	ipc_entry_table_destroy(&table);
	cr_assert_eq(blocks_live(), 0, "the table left memory behind");
}

TestSuite(ipc_entry, .init = setup, .fini = teardown);

/* A name holding a send right to objects[i]. */
static mach_port_name_t
add_send(int i)
{
	struct ipc_entry *e;
	mach_port_name_t name;

	cr_assert_eq(ipc_entry_alloc(&table, &name, &e), KERN_SUCCESS);
	e->ie_object = &objects[i];
	e->ie_bits = MACH_PORT_TYPE_SEND | 1;
	ipc_hash_insert(&table, name);
	return name;
}

static void
remove_name(mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(&table, name);

	cr_assert_not_null(e);
	if (e->ie_bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE))
		ipc_hash_delete(&table, name);
	ipc_entry_dealloc(&table, name);
}

/* --- the cases --------------------------------------------------------------- */

Test(ipc_entry, init_refuses_sizes_that_are_no_power_of_two)
{
	struct ipc_entry_table t;

	cr_assert_eq(ipc_entry_table_init(&t, 1000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(ipc_entry_table_init(&t, 1), KERN_INVALID_ARGUMENT);
}

Test(ipc_entry, names_are_never_null_or_dead_and_look_up)
{
	mach_port_name_t name = add_send(0);
	struct ipc_entry *e = ipc_entry_lookup(&table, name);

	cr_assert(MACH_PORT_VALID(name));
	cr_assert_neq(MACH_PORT_INDEX(name), 0, "index 0 is never a name");
	cr_assert_not_null(e);
	cr_assert_eq(e->ie_object, &objects[0]);
	cr_assert_eq(ipc_entry_name(&table, e), name);
	cr_assert_null(ipc_entry_lookup(&table, MACH_PORT_NULL));
	cr_assert_null(ipc_entry_lookup(&table, MACH_PORT_DEAD));
	cr_assert_eq(table.it_inuse, 1);
}

Test(ipc_entry, a_freed_name_stops_working_and_its_index_comes_back_renamed)
{
	mach_port_name_t name = add_send(0), again;

	remove_name(name);
	cr_assert_null(ipc_entry_lookup(&table, name), "a freed name denotes nothing");
	again = add_send(1);
	cr_assert_eq(MACH_PORT_INDEX(again), MACH_PORT_INDEX(name), "the index is reused first");
	cr_assert_neq(again, name, "under another generation");
	cr_assert_null(ipc_entry_lookup(&table, name), "the old name still denotes nothing");
	cr_assert_eq(ipc_entry_lookup(&table, again)->ie_object, &objects[1]);
}

Test(ipc_entry, generations_wrap_without_making_a_dead_name)
{
	mach_port_name_t first = add_send(0), name = first;

	for (int i = 0; i < 600; i++) {
		remove_name(name);
		name = add_send(0);
		cr_assert(MACH_PORT_VALID(name));
		cr_assert_eq(MACH_PORT_INDEX(name), MACH_PORT_INDEX(first));
	}
}

Test(ipc_entry, growth_moves_entries_and_keeps_names)
{
	mach_port_name_t names[500];

	for (int i = 0; i < 500; i++)
		names[i] = add_send(i);
	cr_assert_geq(table.it_size, 501);
	for (int i = 0; i < 500; i++) {
		struct ipc_entry *e = ipc_entry_lookup(&table, names[i]);

		cr_assert_not_null(e, "name %d lost in growth", i);
		cr_assert_eq(e->ie_object, &objects[i]);
		cr_assert_eq(ipc_hash_lookup(&table, &objects[i]), names[i],
		    "the reverse hash follows growth (%d)", i);
	}
	for (int i = 0; i < 500; i++)
		remove_name(names[i]);
	cr_assert_eq(table.it_inuse, 0);
}

Test(ipc_entry, the_table_stops_at_its_maximum)
{
	mach_port_name_t name;
	struct ipc_entry *e;
	int n = 0;

	while (ipc_entry_alloc(&table, &name, &e) == KERN_SUCCESS) {
		e->ie_bits = MACH_PORT_TYPE_DEAD_NAME | 1;
		n++;
	}
	cr_assert_eq(n, 1023, "every index but 0 (got %d)", n);
	cr_assert_eq(ipc_entry_alloc(&table, &name, &e), KERN_NO_SPACE);
}

Test(ipc_entry, growth_that_runs_out_of_memory_changes_nothing)
{
	mach_port_name_t names[32], name;
	struct ipc_entry *e;
	int i;

	for (i = 0; i < 31; i++)
		names[i] = add_send(i);
	fail_after = 1;			/* the entries come, the hash does not */
	cr_assert_eq(ipc_entry_alloc(&table, &name, &e), KERN_RESOURCE_SHORTAGE);
	fail_after = -1;
	for (i = 0; i < 31; i++)
		cr_assert_eq(ipc_entry_lookup(&table, names[i])->ie_object, &objects[i]);
	cr_assert_eq(table.it_inuse, 31);
}

Test(ipc_entry, names_picked_by_the_caller)
{
	struct ipc_entry *e;
	mach_port_name_t name;

	cr_assert_eq(ipc_entry_alloc_name(&table, MACH_PORT_MAKE(700u, 5u << 24), &e),
	    KERN_SUCCESS, "a name past the table's size grows it");
	e->ie_bits = MACH_PORT_TYPE_DEAD_NAME | 1;
	cr_assert_not_null(ipc_entry_lookup(&table, MACH_PORT_MAKE(700u, 5u << 24)));
	cr_assert_eq(ipc_entry_alloc_name(&table, MACH_PORT_MAKE(700u, 5u << 24), &e),
	    KERN_NAME_EXISTS);
	cr_assert_eq(ipc_entry_alloc_name(&table, MACH_PORT_MAKE(700u, 6u << 24), &e),
	    KERN_NAME_EXISTS, "another generation of a used index is taken too");
	cr_assert_eq(ipc_entry_alloc_name(&table, MACH_PORT_NULL, &e), KERN_INVALID_VALUE);
	cr_assert_eq(ipc_entry_alloc_name(&table, MACH_PORT_DEAD, &e), KERN_INVALID_VALUE);
	cr_assert_eq(ipc_entry_alloc_name(&table, MACH_PORT_MAKE(5000u, 0u), &e), KERN_NO_SPACE);
	/* The picked index is off the free list: allocation never hands it out. */
	for (int i = 0; i < 1022; i++) {
		if (ipc_entry_alloc(&table, &name, &e) != KERN_SUCCESS)
			break;
		cr_assert_neq(MACH_PORT_INDEX(name), 700u);
		e->ie_bits = MACH_PORT_TYPE_DEAD_NAME | 1;
	}
}

Test(ipc_entry, the_reverse_hash_finds_only_what_is_in_it)
{
	mach_port_name_t a = add_send(1), b = add_send(2);

	cr_assert_eq(ipc_hash_lookup(&table, &objects[1]), a);
	cr_assert_eq(ipc_hash_lookup(&table, &objects[2]), b);
	cr_assert_eq(ipc_hash_lookup(&table, &objects[3]), MACH_PORT_NULL);
	remove_name(a);
	cr_assert_eq(ipc_hash_lookup(&table, &objects[1]), MACH_PORT_NULL);
	cr_assert_eq(ipc_hash_lookup(&table, &objects[2]), b);
}

Test(ipc_entry, iteration_visits_every_name_once)
{
	mach_port_name_t names[100], name;
	struct ipc_entry *e;
	uint32_t cursor = 0;
	int seen = 0;

	for (int i = 0; i < 100; i++)
		names[i] = add_send(i);
	for (int i = 0; i < 100; i += 3)
		remove_name(names[i]);
	while ((name = ipc_entry_next(&table, &cursor, &e)) != MACH_PORT_NULL) {
		int i = (int)(e->ie_object == NULL ? -1 : (int *)e->ie_object - objects);

		cr_assert(i >= 0 && i < 100 && i % 3 != 0 && names[i] == name);
		seen++;
	}
	cr_assert_eq(seen, 66);
}

/* A randomized run against a model: which object each live name holds. */
Test(ipc_entry, random_against_a_model)
{
	static mach_port_name_t live[1000];
	static int owner[1000];
	static bool used[4096];
	struct test_rand r;
	int n = 0;

	memset(used, 0, sizeof(used));
	test_rand_seed(&r, 12345);
	for (int step = 0; step < 20000; step++) {
		if (n < 1000 && (n == 0 || test_rand_below(&r, 3) != 0)) {
			int obj = (int)test_rand_below(&r, 4096);

			while (used[obj])
				obj = (obj + 1) % 4096;
			used[obj] = true;
			live[n] = add_send(obj);
			owner[n] = obj;
			n++;
		} else {
			int k = (int)test_rand_below(&r, (uint64_t)n);

			remove_name(live[k]);
			cr_assert_null(ipc_entry_lookup(&table, live[k]));
			used[owner[k]] = false;
			live[k] = live[n - 1];
			owner[k] = owner[n - 1];
			n--;
		}
		if (step % 997 == 0) {
			for (int k = 0; k < n; k++) {
				struct ipc_entry *e = ipc_entry_lookup(&table, live[k]);

				cr_assert_not_null(e);
				cr_assert_eq(e->ie_object, &objects[owner[k]]);
				cr_assert_eq(ipc_hash_lookup(&table, &objects[owner[k]]), live[k]);
			}
			cr_assert_eq(table.it_inuse, (uint32_t)n);
		}
	}
	while (n > 0)
		remove_name(live[--n]);
}
