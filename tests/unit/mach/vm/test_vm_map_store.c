/*
 * test_vm_map_store.c - mach/vm/vm_map_store.c: a map's entries, their
 * lookup, insertion, removal, clipping, resizing, and finding free space.
 *
 * Hand-written cases pin down each contract in vm_map_store.h and each
 * refusal, at address 0, at the top of the 64-bit space and in maps with
 * bounds. Randomized runs hold the store against a model that records,
 * page by page, which entry owns each page of a small map: every step
 * (including refused ones) is checked against what the model predicts,
 * then vm_map_store_verify() must pass and the entries, walked both ways,
 * must be the model's. find_space is checked against a brute-force search
 * over every aligned candidate. A map of 10^5 entries shows that lookup
 * and find_space stay logarithmic.
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "libkern/cdefs.h"
#include "mach/vm/vm_map_store.h"

#define P(n)		((vm_offset_t)(n) * PAGE_SIZE)
#define TOP		((vm_offset_t)0xfffffffffffff000ULL)	/* highest max */

/* A map entry as the vm_map layer will have it: the links first. */
struct tentry {
	struct vm_map_links	te_links;
	bool			te_in;		/* model: in the map */
	vm_offset_t		te_start;	/* model: its range */
	vm_offset_t		te_end;
};

static struct tentry *
TE(struct vm_map_links *l)
{
	return l == NULL ? NULL : container_of(l, struct tentry, te_links);
}

static struct vm_map_links *
L(struct tentry *e)
{
	return e == NULL ? NULL : &e->te_links;
}

static struct vm_map_links *
mkentry(struct tentry *e, vm_offset_t start, vm_offset_t end)
{
	memset(e, 0xa5, sizeof(*e));	/* the store must not rely on zeroes */
	e->te_links.vml_start = start;
	e->te_links.vml_end = end;
	e->te_in = false;
	return &e->te_links;
}

static void
verify_ok(const struct vm_map_header *h)
{
	cr_assert_eq(vm_map_store_verify(h), 0, "vm_map_store_verify: %d",
	    vm_map_store_verify(h));
}

/* Insert [start, end) after whatever lookup says is below it. */
static kern_return_t
insert_at(struct vm_map_header *h, struct tentry *e, vm_offset_t start,
    vm_offset_t end)
{
	struct vm_map_links *after;

	(void)vm_map_store_lookup(h, start, &after);
	return vm_map_store_insert(h, after, mkentry(e, start, end));
}

static void
insert_ok(struct vm_map_header *h, struct tentry *e, vm_offset_t start,
    vm_offset_t end)
{
	cr_assert_eq(insert_at(h, e, start, end), KERN_SUCCESS, "insert [%#lx, %#lx)",
	    start, end);
	verify_ok(h);
}

/* --- init and lookup ------------------------------------------------------- */

Test(vm_map_store, init_refuses_bad_bounds)
{
	struct vm_map_header h;

	cr_assert_eq(vm_map_store_init(&h, P(1), P(1)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_init(&h, P(2), P(1)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_init(&h, 1, P(1)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_init(&h, 0, P(1) + 1), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_init(&h, 0, TOP), KERN_SUCCESS);
	verify_ok(&h);
	cr_assert_eq(vm_map_store_count(&h), 0u);
	cr_assert_null(vm_map_store_first(&h));
	cr_assert_null(vm_map_store_last(&h));
}

Test(vm_map_store, lookup_in_empty_map)
{
	struct vm_map_header h;
	struct vm_map_links *e = (void *)1;

	cr_assert_eq(vm_map_store_init(&h, 0, P(16)), KERN_SUCCESS);
	cr_assert_eq(vm_map_store_lookup(&h, P(3), &e), FALSE);
	cr_assert_null(e);
}

Test(vm_map_store, lookup_contract)
{
	struct vm_map_header h;
	struct tentry a, b, c;
	struct vm_map_links *e;

	cr_assert_eq(vm_map_store_init(&h, 0, P(100)), KERN_SUCCESS);
	insert_ok(&h, &b, P(10), P(20));
	insert_ok(&h, &a, P(0), P(2));
	insert_ok(&h, &c, P(20), P(21));

	/* Inside: TRUE and the entry, whatever the offset in the page. */
	cr_assert(vm_map_store_lookup(&h, 0, &e));
	cr_assert_eq(e, L(&a));
	cr_assert(vm_map_store_lookup(&h, P(2) - 1, &e));
	cr_assert_eq(e, L(&a));
	cr_assert(vm_map_store_lookup(&h, P(10), &e));
	cr_assert_eq(e, L(&b));
	cr_assert(vm_map_store_lookup(&h, P(15) + 123, &e));
	cr_assert_eq(e, L(&b));
	cr_assert(vm_map_store_lookup(&h, P(20), &e), "end is exclusive");
	cr_assert_eq(e, L(&c));

	/* Outside: FALSE and the entry below. */
	cr_assert_not(vm_map_store_lookup(&h, P(2), &e));
	cr_assert_eq(e, L(&a));
	cr_assert_not(vm_map_store_lookup(&h, P(10) - 1, &e));
	cr_assert_eq(e, L(&a));
	cr_assert_not(vm_map_store_lookup(&h, P(21), &e));
	cr_assert_eq(e, L(&c));
	cr_assert_not(vm_map_store_lookup(&h, ~(vm_offset_t)0, &e));
	cr_assert_eq(e, L(&c));

	/* Nothing below the first entry, once it no longer starts at 0. */
	vm_map_store_remove(&h, L(&a));
	cr_assert_not(vm_map_store_lookup(&h, 0, &e));
	cr_assert_null(e);
	cr_assert_not(vm_map_store_lookup(&h, P(9), &e));
	cr_assert_null(e);
	verify_ok(&h);
}

Test(vm_map_store, walk_both_ways)
{
	struct vm_map_header h;
	struct tentry e[10];
	struct vm_map_links *l;
	int i;

	cr_assert_eq(vm_map_store_init(&h, 0, P(100)), KERN_SUCCESS);
	for (i = 9; i >= 0; i -= 2)
		insert_ok(&h, &e[i], P(i * 10), P(i * 10 + 5));
	for (i = 0; i < 10; i += 2)
		insert_ok(&h, &e[i], P(i * 10), P(i * 10 + 5));
	cr_assert_eq(vm_map_store_count(&h), 10u);
	for (i = 0, l = vm_map_store_first(&h); l != NULL; l = vm_map_store_next(l))
		cr_assert_eq(l, L(&e[i++]));
	cr_assert_eq(i, 10);
	for (l = vm_map_store_last(&h); l != NULL; l = vm_map_store_prev(l))
		cr_assert_eq(l, L(&e[--i]));
	cr_assert_eq(i, 0);
}

/* --- insert and remove ----------------------------------------------------- */

Test(vm_map_store, insert_refusals_change_nothing)
{
	struct vm_map_header h;
	struct tentry a, b, x;

	cr_assert_eq(vm_map_store_init(&h, P(16), P(64)), KERN_SUCCESS);
	insert_ok(&h, &a, P(20), P(30));
	insert_ok(&h, &b, P(40), P(50));

	/* Malformed. */
	cr_assert_eq(insert_at(&h, &x, P(32) + 1, P(33)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(insert_at(&h, &x, P(32), P(33) - 1), KERN_INVALID_ARGUMENT);
	cr_assert_eq(insert_at(&h, &x, P(33), P(33)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(insert_at(&h, &x, P(34), P(33)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_insert(&h, NULL, NULL), KERN_INVALID_ARGUMENT);

	/* Outside the map's bounds. */
	cr_assert_eq(insert_at(&h, &x, P(15), P(17)), KERN_INVALID_ADDRESS);
	cr_assert_eq(insert_at(&h, &x, P(0), P(1)), KERN_INVALID_ADDRESS);
	cr_assert_eq(insert_at(&h, &x, P(63), P(65)), KERN_INVALID_ADDRESS);
	cr_assert_eq(insert_at(&h, &x, P(64), P(65)), KERN_INVALID_ADDRESS);

	/* Overlapping, every way round. */
	cr_assert_eq(insert_at(&h, &x, P(19), P(21)), KERN_NO_SPACE);
	cr_assert_eq(insert_at(&h, &x, P(29), P(31)), KERN_NO_SPACE);
	cr_assert_eq(insert_at(&h, &x, P(22), P(23)), KERN_NO_SPACE);
	cr_assert_eq(insert_at(&h, &x, P(18), P(32)), KERN_NO_SPACE);
	cr_assert_eq(insert_at(&h, &x, P(25), P(45)), KERN_NO_SPACE);
	cr_assert_eq(insert_at(&h, &x, P(16), P(64)), KERN_NO_SPACE);

	/* An `after` that is not the entry below the range. */
	cr_assert_eq(vm_map_store_insert(&h, NULL, mkentry(&x, P(32), P(33))),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_insert(&h, L(&b), mkentry(&x, P(32), P(33))),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_insert(&h, L(&a), mkentry(&x, P(52), P(53))),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_insert(&h, L(&a), L(&a)), KERN_INVALID_ARGUMENT);

	verify_ok(&h);
	cr_assert_eq(vm_map_store_count(&h), 2u);

	/* Exactly filling the holes works. */
	insert_ok(&h, &x, P(30), P(40));
	cr_assert_eq(vm_map_store_count(&h), 3u);
}

Test(vm_map_store, entries_at_both_ends_of_the_address_space)
{
	struct vm_map_header h;
	struct tentry lo, hi, mid, x;
	struct vm_map_links *e;

	cr_assert_eq(vm_map_store_init(&h, 0, TOP), KERN_SUCCESS);
	insert_ok(&h, &lo, 0, P(1));
	insert_ok(&h, &hi, TOP - P(1), TOP);
	insert_ok(&h, &mid, P(1), TOP - P(1));
	cr_assert(vm_map_store_lookup(&h, 0, &e));
	cr_assert_eq(e, L(&lo));
	cr_assert(vm_map_store_lookup(&h, TOP - 1, &e));
	cr_assert_eq(e, L(&hi));
	cr_assert_not(vm_map_store_lookup(&h, TOP, &e));
	cr_assert_eq(e, L(&hi));
	cr_assert_not(vm_map_store_lookup(&h, ~(vm_offset_t)0, &e));
	cr_assert_eq(e, L(&hi));

	/* The map is full: a page at the very top cannot go in. */
	cr_assert_eq(insert_at(&h, &x, TOP, TOP + PAGE_SIZE), KERN_INVALID_ARGUMENT,
	    "TOP + PAGE_SIZE wraps to 0: an empty range");
	vm_map_store_remove(&h, L(&mid));
	vm_map_store_remove(&h, L(&lo));
	vm_map_store_remove(&h, L(&hi));
	verify_ok(&h);
	cr_assert_eq(vm_map_store_count(&h), 0u);
}

Test(vm_map_store, remove_of_a_stranger_panics, .signal = SIGABRT)
{
	struct vm_map_header h, other;
	struct tentry a, b;

	cr_assert_eq(vm_map_store_init(&h, 0, P(16)), KERN_SUCCESS);
	cr_assert_eq(vm_map_store_init(&other, 0, P(16)), KERN_SUCCESS);
	insert_ok(&h, &a, P(1), P(2));
	insert_ok(&other, &b, P(1), P(2));
	shim_expect_panic("is not in map");
	vm_map_store_remove(&h, L(&b));
}

Test(vm_map_store, double_remove_panics, .signal = SIGABRT)
{
	struct vm_map_header h;
	struct tentry a, b;

	cr_assert_eq(vm_map_store_init(&h, 0, P(16)), KERN_SUCCESS);
	insert_ok(&h, &a, P(1), P(2));
	insert_ok(&h, &b, P(3), P(4));
	vm_map_store_remove(&h, L(&a));
	shim_expect_panic("is not in map");
	vm_map_store_remove(&h, L(&a));
}

/* --- clipping and resizing ------------------------------------------------- */

Test(vm_map_store, clip_start_and_end)
{
	struct vm_map_header h;
	struct tentry a, lo, hi, before, after;
	struct vm_map_links *e;

	cr_assert_eq(vm_map_store_init(&h, 0, P(64)), KERN_SUCCESS);
	insert_ok(&h, &before, P(0), P(2));
	insert_ok(&h, &a, P(10), P(20));
	insert_ok(&h, &after, P(30), P(31));

	cr_assert_eq(vm_map_store_clip_start(&h, L(&a), P(12), mkentry(&lo, 0, 0)),
	    KERN_SUCCESS);
	verify_ok(&h);
	cr_assert_eq(lo.te_links.vml_start, P(10));
	cr_assert_eq(lo.te_links.vml_end, P(12));
	cr_assert_eq(a.te_links.vml_start, P(12));
	cr_assert_eq(vm_map_store_next(L(&lo)), L(&a));
	cr_assert_eq(vm_map_store_prev(L(&lo)), L(&before));

	cr_assert_eq(vm_map_store_clip_end(&h, L(&a), P(15), mkentry(&hi, 0, 0)),
	    KERN_SUCCESS);
	verify_ok(&h);
	cr_assert_eq(a.te_links.vml_end, P(15));
	cr_assert_eq(hi.te_links.vml_start, P(15));
	cr_assert_eq(hi.te_links.vml_end, P(20));
	cr_assert_eq(vm_map_store_next(L(&a)), L(&hi));
	cr_assert_eq(vm_map_store_next(L(&hi)), L(&after));
	cr_assert_eq(vm_map_store_count(&h), 5u);
	cr_assert(vm_map_store_lookup(&h, P(19), &e));
	cr_assert_eq(e, L(&hi));
	cr_assert(vm_map_store_lookup(&h, P(11), &e));
	cr_assert_eq(e, L(&lo));
}

Test(vm_map_store, clip_refusals)
{
	struct vm_map_header h;
	struct tentry a, n;

	cr_assert_eq(vm_map_store_init(&h, 0, P(64)), KERN_SUCCESS);
	insert_ok(&h, &a, P(10), P(20));
	cr_assert_eq(vm_map_store_clip_start(&h, L(&a), P(10), L(&n)),
	    KERN_INVALID_ARGUMENT, "at the start: nothing to split");
	cr_assert_eq(vm_map_store_clip_end(&h, L(&a), P(20), L(&n)),
	    KERN_INVALID_ARGUMENT, "at the end");
	cr_assert_eq(vm_map_store_clip_start(&h, L(&a), P(9), L(&n)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_clip_end(&h, L(&a), P(21), L(&n)),
	    KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_clip_end(&h, L(&a), P(15) + 8, L(&n)),
	    KERN_INVALID_ARGUMENT, "unaligned");
	cr_assert_eq(vm_map_store_clip_end(&h, L(&a), P(15), L(&a)),
	    KERN_INVALID_ARGUMENT, "new entry is the entry");
	cr_assert_eq(vm_map_store_clip_end(&h, L(&a), P(15), NULL),
	    KERN_INVALID_ARGUMENT);
	verify_ok(&h);
	cr_assert_eq(vm_map_store_count(&h), 1u);
	cr_assert_eq(a.te_links.vml_start, P(10));
	cr_assert_eq(a.te_links.vml_end, P(20));
}

Test(vm_map_store, resize_grows_and_shrinks_between_neighbours)
{
	struct vm_map_header h;
	struct tentry a, b, c;
	vm_offset_t s;
	struct vm_map_links *after;

	cr_assert_eq(vm_map_store_init(&h, P(1), P(64)), KERN_SUCCESS);
	insert_ok(&h, &a, P(1), P(5));
	insert_ok(&h, &b, P(10), P(20));
	insert_ok(&h, &c, P(30), P(40));

	cr_assert_eq(vm_map_store_resize(&h, L(&b), P(5), P(30)), KERN_SUCCESS);
	verify_ok(&h);
	cr_assert_eq(vm_map_store_resize(&h, L(&b), P(4), P(30)), KERN_NO_SPACE);
	cr_assert_eq(vm_map_store_resize(&h, L(&b), P(5), P(31)), KERN_NO_SPACE);
	cr_assert_eq(vm_map_store_resize(&h, L(&a), 0, P(5)), KERN_INVALID_ADDRESS);
	cr_assert_eq(vm_map_store_resize(&h, L(&c), P(30), P(65)), KERN_INVALID_ADDRESS);
	cr_assert_eq(vm_map_store_resize(&h, L(&c), P(30), P(30)), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_map_store_resize(&h, L(&c), P(30) + 1, P(31)),
	    KERN_INVALID_ARGUMENT);
	verify_ok(&h);
	cr_assert_eq(b.te_links.vml_start, P(5));
	cr_assert_eq(b.te_links.vml_end, P(30));

	/* The gaps follow: the only room left for 20 pages is at the top. */
	cr_assert_eq(vm_map_store_find_space(&h, P(20), 0, 0, ~(vm_offset_t)0, &s,
	    &after), KERN_SUCCESS);
	cr_assert_eq(s, P(40));
	cr_assert_eq(after, L(&c));
	cr_assert_eq(vm_map_store_resize(&h, L(&b), P(6), P(7)), KERN_SUCCESS);
	verify_ok(&h);
	cr_assert_eq(vm_map_store_find_space(&h, P(20), 0, 0, ~(vm_offset_t)0, &s,
	    &after), KERN_SUCCESS);
	cr_assert_eq(s, P(7));
	cr_assert_eq(after, L(&b));
}

/* --- find_space ------------------------------------------------------------ */

static kern_return_t
find(const struct vm_map_header *h, vm_size_t size, vm_offset_t mask,
    vm_offset_t lo, vm_offset_t hi, vm_offset_t *s, struct vm_map_links **after)
{
	*s = 0xdead;
	*after = (void *)0xdead;
	return vm_map_store_find_space(h, size, mask, lo, hi, s, after);
}

Test(vm_map_store, find_space_first_fit)
{
	struct vm_map_header h;
	struct tentry a, b, c;
	struct vm_map_links *after;
	vm_offset_t s;
	const vm_offset_t ANY = ~(vm_offset_t)0;

	cr_assert_eq(vm_map_store_init(&h, 0, P(100)), KERN_SUCCESS);
	cr_assert_eq(find(&h, P(100), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, 0u);
	cr_assert_null(after);
	cr_assert_eq(find(&h, P(101), 0, 0, ANY, &s, &after), KERN_NO_SPACE);

	insert_ok(&h, &a, P(2), P(10));	/* holes: [0,2) [10,20) [25,50) [60,100) */
	insert_ok(&h, &b, P(20), P(25));
	insert_ok(&h, &c, P(50), P(60));

	cr_assert_eq(find(&h, P(2), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, 0u);
	cr_assert_null(after);
	cr_assert_eq(find(&h, P(3), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(10));
	cr_assert_eq(after, L(&a));
	cr_assert_eq(find(&h, P(11), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(25));
	cr_assert_eq(after, L(&b));
	cr_assert_eq(find(&h, P(30), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(60));
	cr_assert_eq(after, L(&c));
	cr_assert_eq(find(&h, P(41), 0, 0, ANY, &s, &after), KERN_NO_SPACE);

	/* Hints: a floor inside a hole, a ceiling that cuts one short. */
	cr_assert_eq(find(&h, P(2), 0, P(13), ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(13));
	cr_assert_eq(after, L(&a));
	cr_assert_eq(find(&h, P(2), 0, P(19), ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(25), "[19,21) would overlap b");
	cr_assert_eq(find(&h, P(2), 0, P(13) + 1, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(14), "floor rounds up");
	cr_assert_eq(find(&h, P(21), 0, 0, P(46) - 1, &s, &after), KERN_NO_SPACE,
	    "ceiling rounds down to 45: [25, 45) is one page short");
	cr_assert_eq(find(&h, P(21), 0, 0, P(46), &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(25), "exactly enough");
	cr_assert_eq(after, L(&b));
	cr_assert_eq(find(&h, P(1), 0, P(60), P(60), &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, P(1), 0, P(70), P(60), &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, P(1), 0, P(99), ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(99));
	cr_assert_eq(find(&h, P(1), 0, P(100), ANY, &s, &after), KERN_NO_SPACE);
}

Test(vm_map_store, find_space_alignment)
{
	struct vm_map_header h;
	struct tentry a, b;
	struct vm_map_links *after;
	vm_offset_t s;
	const vm_offset_t ANY = ~(vm_offset_t)0;

	cr_assert_eq(vm_map_store_init(&h, P(1), P(4096)), KERN_SUCCESS);
	insert_ok(&h, &a, P(1), P(3));
	insert_ok(&h, &b, P(17), P(40));	/* holes: [3,17) [40,4096) */

	cr_assert_eq(find(&h, P(4), P(4) - 1, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(4));
	cr_assert_eq(after, L(&a));
	cr_assert_eq(find(&h, P(4), P(8) - 1, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(8));
	cr_assert_eq(find(&h, P(4), P(16) - 1, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(48), "[16,20) hits b; next 16-page boundary past 40");
	cr_assert_eq(after, L(&b));
	cr_assert_eq(find(&h, P(1), P(1024) - 1, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(1024));
	cr_assert_eq(find(&h, P(1), P(8192) - 1, 0, ANY, &s, &after), KERN_NO_SPACE);

	/* Below PAGE_MASK, a mask still means page alignment. */
	cr_assert_eq(find(&h, P(1), 0xff, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(3));

	/* Bad requests. */
	cr_assert_eq(find(&h, 0, 0, 0, ANY, &s, &after), KERN_INVALID_ARGUMENT);
	cr_assert_eq(find(&h, P(1) + 1, 0, 0, ANY, &s, &after), KERN_INVALID_ARGUMENT);
	cr_assert_eq(find(&h, P(1), 0x5000, 0, ANY, &s, &after), KERN_INVALID_ARGUMENT);
	cr_assert_eq(find(&h, P(1), P(3) - 1, 0, ANY, &s, &after), KERN_INVALID_ARGUMENT);
}

Test(vm_map_store, find_space_at_zero_and_with_whole_space_masks)
{
	struct vm_map_header h;
	struct tentry a;
	struct vm_map_links *after;
	vm_offset_t s;
	const vm_offset_t ANY = ~(vm_offset_t)0;

	cr_assert_eq(vm_map_store_init(&h, 0, TOP), KERN_SUCCESS);
	/* mask ~0: only address 0 is aligned enough. */
	cr_assert_eq(find(&h, P(1), ANY, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, 0u);
	cr_assert_null(after);
	insert_ok(&h, &a, 0, P(1));
	cr_assert_eq(find(&h, P(1), ANY, 0, ANY, &s, &after), KERN_NO_SPACE);
	/* 2^63 alignment: 1 << 63 is the one candidate left. */
	cr_assert_eq(find(&h, P(1), ANY >> 1, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, (vm_offset_t)1 << 63);
	cr_assert_eq(after, L(&a));
	cr_assert_eq(find(&h, P(1), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(1));
	/* The whole space but the first page, and not a page more. */
	cr_assert_eq(find(&h, TOP - P(1), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(1));
	cr_assert_eq(find(&h, TOP, 0, 0, ANY, &s, &after), KERN_NO_SPACE);
}

/* Sizes and alignments whose sums overflow must fail, never wrap and fit. */
Test(vm_map_store, find_space_at_the_top_never_wraps)
{
	struct vm_map_header h;
	struct tentry a;
	struct vm_map_links *after;
	vm_offset_t s;
	const vm_offset_t ANY = ~(vm_offset_t)0, MIN = TOP - P(64);

	cr_assert_eq(vm_map_store_init(&h, MIN, TOP), KERN_SUCCESS);
	insert_ok(&h, &a, MIN, MIN + P(8));

	cr_assert_eq(find(&h, P(56), 0, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, MIN + P(8));
	cr_assert_eq(after, L(&a));
	cr_assert_eq(find(&h, P(57), 0, 0, ANY, &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, TOP, 0, 0, ANY, &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, (vm_size_t)1 << 63, 0, 0, ANY, &s, &after),
	    KERN_NO_SPACE);
	cr_assert_eq(find(&h, P(1), 0, TOP - P(1), ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, TOP - P(1));
	cr_assert_eq(find(&h, P(2), 0, TOP - P(1), ANY, &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, P(1), 0, TOP, ANY, &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, P(1), 0, TOP + 1, ANY, &s, &after), KERN_NO_SPACE,
	    "a floor that rounds up past the top");
	cr_assert_eq(find(&h, P(1), 0, ANY, ANY, &s, &after), KERN_NO_SPACE);
	/* Aligning up from inside the map would wrap to 0. */
	cr_assert_eq(find(&h, P(1), ANY >> 1, 0, ANY, &s, &after), KERN_NO_SPACE);
	cr_assert_eq(find(&h, P(1), ANY, 0, ANY, &s, &after), KERN_NO_SPACE);
	/* 32-page alignment: the last such address, 2^64 - 32 pages, has 31 below TOP. */
	cr_assert_eq(find(&h, P(31), P(32) - 1, 0, ANY, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, TOP - P(31));
	cr_assert_eq(find(&h, P(32), P(32) - 1, 0, ANY, &s, &after), KERN_NO_SPACE);
}

Test(vm_map_store, full_map_has_no_space)
{
	struct vm_map_header h;
	struct tentry e[16];
	struct vm_map_links *after;
	vm_offset_t s;

	cr_assert_eq(vm_map_store_init(&h, P(16), P(32)), KERN_SUCCESS);
	for (int i = 0; i < 16; i++) {
		cr_assert_eq(find(&h, P(1), 0, 0, ~(vm_offset_t)0, &s, &after),
		    KERN_SUCCESS);
		cr_assert_eq(s, P(16 + i));
		cr_assert_eq(vm_map_store_insert(&h, after, mkentry(&e[i], s, s + P(1))),
		    KERN_SUCCESS);
		verify_ok(&h);
	}
	cr_assert_eq(find(&h, P(1), 0, 0, ~(vm_offset_t)0, &s, &after), KERN_NO_SPACE);
	/* Free one in the middle: exactly that page is found again. */
	vm_map_store_remove(&h, L(&e[7]));
	verify_ok(&h);
	cr_assert_eq(find(&h, P(1), 0, 0, ~(vm_offset_t)0, &s, &after), KERN_SUCCESS);
	cr_assert_eq(s, P(23));
	cr_assert_eq(after, L(&e[6]));
	cr_assert_eq(find(&h, P(2), 0, 0, ~(vm_offset_t)0, &s, &after), KERN_NO_SPACE);
}

/* --- verify catches damage ------------------------------------------------- */

static struct vm_map_header vh;
static struct tentry ve[8];

static void
build_eight(void)
{
	cr_assert_eq(vm_map_store_init(&vh, 0, P(100)), KERN_SUCCESS);
	for (int i = 0; i < 8; i++)
		insert_ok(&vh, &ve[i], P(i * 10), P(i * 10 + 4));
}

Test(vm_map_store, verify_catches_damage)
{
	build_eight();
	ve[3].te_links.vml_end = P(50);
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_OVERLAP);

	build_eight();
	ve[3].te_links.vml_end = P(35);
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_GAP,
	    "an end moved behind the store's back");

	build_eight();
	ve[3].te_links.vml_end = P(33) + 1;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_ENTRY);

	build_eight();
	ve[3].te_links.vml_start = ve[3].te_links.vml_end;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_ENTRY);

	build_eight();
	vh.vmh_max = P(60);
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_OUT_OF_BOUNDS);

	build_eight();
	vh.vmh_min = vh.vmh_max;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_BOUNDS);

	build_eight();
	vh.vmh_nentries = 7;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_COUNT);

	build_eight();
	vh.vmh_nentries = 9;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_COUNT);

	build_eight();
	ve[4].te_links.vml_prev = L(&ve[2]);
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_LIST);

	build_eight();
	vh.vmh_last = L(&ve[6]);
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_LIST);

	build_eight();
	/* Drop entry 5 from the list only. */
	ve[4].te_links.vml_next = L(&ve[6]);
	ve[6].te_links.vml_prev = L(&ve[4]);
	vh.vmh_nentries--;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_LIST_TREE);

	build_eight();
	vh.vmh_tree.rbt_root->rb_parent_color =
	    (vh.vmh_tree.rbt_root->rb_parent_color & ~(uintptr_t)1) | RB_RED;
	cr_assert_eq(vm_map_store_verify(&vh), VM_MAP_STORE_BAD_TREE);

	build_eight();
	ve[7].te_links.vml_next = L(&ve[0]);	/* a cycle */
	cr_assert_lt(vm_map_store_verify(&vh), 0);
}

/* --- randomized against a model -------------------------------------------- */

/*
 * The model: which pool entry owns each page of the map (-1: free). Maps
 * are small (at most MODEL_PAGES pages) so that brute force is cheap.
 */
#define MODEL_PAGES	512
#define MODEL_POOL	96

struct model {
	struct vm_map_header	m_hdr;
	vm_offset_t		m_min;
	vm_offset_t		m_max;
	uint64_t		m_npages;
	int			m_owner[MODEL_PAGES];
	struct tentry		m_pool[MODEL_POOL];
	uint64_t		m_count;
	struct test_rand	m_rand;
	uint64_t		m_step;
};

static void
model_init(struct model *m, vm_offset_t min, uint64_t npages, uint64_t seed)
{
	memset(m, 0, sizeof(*m));
	cr_assert_leq(npages, MODEL_PAGES);
	m->m_min = min;
	m->m_max = min + P(npages);
	m->m_npages = npages;
	for (uint64_t i = 0; i < npages; i++)
		m->m_owner[i] = -1;
	test_rand_seed(&m->m_rand, seed);
	cr_assert_eq(vm_map_store_init(&m->m_hdr, m->m_min, m->m_max), KERN_SUCCESS);
}

static bool
model_in_map(const struct model *m, vm_offset_t a)
{
	return a >= m->m_min && a < m->m_max;
}

/* Pool index owning address a, or -1. */
static int
model_owner(const struct model *m, vm_offset_t a)
{
	return model_in_map(m, a) ? m->m_owner[(a - m->m_min) / PAGE_SIZE] : -1;
}

/* Is [s, e) inside the map and free? (s < e, both aligned) */
static bool
model_free(const struct model *m, vm_offset_t s, vm_offset_t e)
{
	if (s < m->m_min || e > m->m_max)
		return false;
	for (vm_offset_t a = s; a < e; a += PAGE_SIZE) {
		if (model_owner(m, a) >= 0)
			return false;
	}
	return true;
}

static void
model_set(struct model *m, int idx, vm_offset_t s, vm_offset_t e)
{
	for (vm_offset_t a = s; a < e; a += PAGE_SIZE)
		m->m_owner[(a - m->m_min) / PAGE_SIZE] = idx;
	if (idx >= 0) {
		m->m_pool[idx].te_start = s;
		m->m_pool[idx].te_end = e;
	}
}

/* The pool entry with the highest start at or below addr's page, or -1. */
static int
model_below(const struct model *m, vm_offset_t addr)
{
	int best = -1;

	for (int i = 0; i < MODEL_POOL; i++) {
		const struct tentry *e = &m->m_pool[i];

		if (e->te_in && e->te_end <= addr &&
		    (best < 0 || e->te_start > m->m_pool[best].te_start))
			best = i;
	}
	return best;
}

/* The lowest aligned start in [lo, hi) with [s, s + size) free. */
static bool
model_find(const struct model *m, vm_size_t size, vm_offset_t mask,
    vm_offset_t hint_lo, vm_offset_t hint_hi, vm_offset_t *out)
{
	vm_offset_t lo = m->m_min, hi = m->m_max, s;

	mask |= PAGE_MASK;
	if (hint_lo > lo)
		lo = hint_lo;
	if (hint_hi < hi)
		hi = hint_hi;
	/* Every aligned address in the map, in order. */
	for (s = m->m_min; s < m->m_max; s += PAGE_SIZE) {
		if ((s & mask) != 0 || s < lo || s >= hi || hi - s < size)
			continue;
		if (model_free(m, s, s + size)) {
			*out = s;
			return true;
		}
	}
	return false;
}

static void
model_check(struct model *m)
{
	struct vm_map_links *l, *e;
	uint64_t n = 0;
	int idx;
	vm_offset_t a;
	boolean_t found;

	cr_assert_eq(vm_map_store_verify(&m->m_hdr), 0, "step %llu: verify %d",
	    (unsigned long long)m->m_step, vm_map_store_verify(&m->m_hdr));
	cr_assert_eq(vm_map_store_count(&m->m_hdr), m->m_count);
	for (l = vm_map_store_first(&m->m_hdr); l != NULL; l = vm_map_store_next(l)) {
		struct tentry *t = TE(l);

		cr_assert(t->te_in, "step %llu: entry not in the model",
		    (unsigned long long)m->m_step);
		cr_assert_eq(l->vml_start, t->te_start, "step %llu",
		    (unsigned long long)m->m_step);
		cr_assert_eq(l->vml_end, t->te_end);
		n++;
	}
	cr_assert_eq(n, m->m_count);

	/* Lookups of a few addresses, in pages and between them. */
	for (int k = 0; k < 8; k++) {
		a = m->m_min + test_rand_below(&m->m_rand, P(m->m_npages + 2));
		if (a < m->m_min)
			a = m->m_max;	/* wrapped at the top of the space */
		found = vm_map_store_lookup(&m->m_hdr, a, &e);
		idx = model_owner(m, a);
		if (idx >= 0) {
			cr_assert(found, "step %llu: lookup %#lx", (unsigned long long)m->m_step,
			    a);
			cr_assert_eq(e, L(&m->m_pool[idx]));
		} else {
			cr_assert_not(found, "step %llu: lookup %#lx",
			    (unsigned long long)m->m_step, a);
			idx = model_below(m, a);
			cr_assert_eq(e, idx < 0 ? NULL : L(&m->m_pool[idx]),
			    "step %llu: below %#lx", (unsigned long long)m->m_step, a);
		}
	}
}

/* A pool slot not in the map, or -1. */
static int
model_spare(struct model *m)
{
	int i = (int)test_rand_below(&m->m_rand, MODEL_POOL);

	for (int k = 0; k < MODEL_POOL; k++, i = (i + 1) % MODEL_POOL) {
		if (!m->m_pool[i].te_in)
			return i;
	}
	return -1;
}

/* A pool slot in the map, or -1. */
static int
model_used(struct model *m)
{
	int i = (int)test_rand_below(&m->m_rand, MODEL_POOL);

	for (int k = 0; k < MODEL_POOL; k++, i = (i + 1) % MODEL_POOL) {
		if (m->m_pool[i].te_in)
			return i;
	}
	return -1;
}

static vm_size_t
random_size(struct model *m)
{
	uint64_t r = test_rand_below(&m->m_rand, 16);

	if (r < 12)
		return P(1 + test_rand_below(&m->m_rand, 4));
	if (r < 15)
		return P(1 + test_rand_below(&m->m_rand, 32));
	return P(1 + test_rand_below(&m->m_rand, m->m_npages + 1));
}

/* Insert a random range, possibly bad or overlapping: the model decides. */
static void
step_insert(struct model *m)
{
	int idx = model_spare(m);
	vm_offset_t s, e;
	kern_return_t kr, want;

	if (idx < 0)
		return;
	s = m->m_min - P(2) + P(test_rand_below(&m->m_rand, m->m_npages + 4));
	e = s + random_size(m);
	if (test_rand_below(&m->m_rand, 20) == 0)
		s += 8;	/* unaligned */
	if (!page_aligned(s) || !page_aligned(e) || s >= e)
		want = KERN_INVALID_ARGUMENT;
	else if (s < m->m_min || e > m->m_max)
		want = KERN_INVALID_ADDRESS;
	else if (!model_free(m, s, e))
		want = KERN_NO_SPACE;
	else
		want = KERN_SUCCESS;
	kr = insert_at(&m->m_hdr, &m->m_pool[idx], s, e);
	cr_assert_eq(kr, want, "step %llu: insert [%#lx, %#lx): %d, want %d",
	    (unsigned long long)m->m_step, s, e, kr, want);
	if (kr == KERN_SUCCESS) {
		model_set(m, idx, s, e);
		m->m_pool[idx].te_in = true;
		m->m_count++;
	}
}

/* Find space with random size, alignment and hints; insert the result. */
static void
step_find(struct model *m)
{
	static const vm_offset_t masks[] = { 0, 0, 0, P(2) - 1, P(4) - 1, P(8) - 1,
	    P(64) - 1, P(512) - 1, 0x3ff };
	int idx = model_spare(m);
	vm_size_t size = random_size(m);
	vm_offset_t mask = masks[test_rand_below(&m->m_rand, nitems(masks))];
	vm_offset_t lo = 0, hi = ~(vm_offset_t)0, s, want_s;
	struct vm_map_links *after;
	kern_return_t kr;
	bool want;

	if (test_rand_below(&m->m_rand, 2) == 0)
		lo = m->m_min + test_rand_below(&m->m_rand, P(m->m_npages));
	if (test_rand_below(&m->m_rand, 2) == 0)
		hi = m->m_min + test_rand_below(&m->m_rand, P(m->m_npages + 1));
	want = model_find(m, size, mask, round_page(lo), trunc_page(hi), &want_s);
	kr = vm_map_store_find_space(&m->m_hdr, size, mask, lo, hi, &s, &after);
	cr_assert_eq(kr, want ? KERN_SUCCESS : KERN_NO_SPACE,
	    "step %llu: find %#lx mask %#lx in [%#lx, %#lx): %d",
	    (unsigned long long)m->m_step, size, mask, lo, hi, kr);
	if (!want)
		return;
	cr_assert_eq(s, want_s, "step %llu: find %#lx mask %#lx in [%#lx, %#lx)",
	    (unsigned long long)m->m_step, size, mask, lo, hi);
	{
		int below = model_below(m, s);

		cr_assert_eq(after, below < 0 ? NULL : L(&m->m_pool[below]));
	}
	if (idx < 0)
		return;
	kr = vm_map_store_insert(&m->m_hdr, after, mkentry(&m->m_pool[idx], s,
	    s + size));
	cr_assert_eq(kr, KERN_SUCCESS);
	model_set(m, idx, s, s + size);
	m->m_pool[idx].te_in = true;
	m->m_count++;
}

static void
step_remove(struct model *m)
{
	int idx = model_used(m);

	if (idx < 0)
		return;
	vm_map_store_remove(&m->m_hdr, L(&m->m_pool[idx]));
	model_set(m, -1, m->m_pool[idx].te_start, m->m_pool[idx].te_end);
	m->m_pool[idx].te_in = false;
	m->m_count--;
}

static void
step_clip(struct model *m, bool at_start)
{
	int idx = model_used(m), nidx = model_spare(m);
	struct tentry *t, *n;
	vm_offset_t a;
	uint64_t pages;
	kern_return_t kr, want;

	if (idx < 0 || nidx < 0)
		return;
	t = &m->m_pool[idx];
	n = &m->m_pool[nidx];
	pages = (t->te_end - t->te_start) / PAGE_SIZE;
	/* Anywhere from the start to the end inclusive: the ends are refused. */
	a = t->te_start + P(test_rand_below(&m->m_rand, pages + 1));
	want = a > t->te_start && a < t->te_end ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
	memset(&n->te_links, 0x5a, sizeof(n->te_links));
	kr = at_start ? vm_map_store_clip_start(&m->m_hdr, L(t), a, L(n)) :
	    vm_map_store_clip_end(&m->m_hdr, L(t), a, L(n));
	cr_assert_eq(kr, want, "step %llu: clip at %#lx", (unsigned long long)m->m_step,
	    a);
	if (kr != KERN_SUCCESS)
		return;
	if (at_start) {
		model_set(m, nidx, t->te_start, a);
		model_set(m, idx, a, t->te_end);
	} else {
		model_set(m, nidx, a, t->te_end);
		model_set(m, idx, t->te_start, a);
	}
	n->te_in = true;
	m->m_count++;
}

static void
step_resize(struct model *m)
{
	int idx = model_used(m);
	struct tentry *t;
	vm_offset_t s, e;
	kern_return_t kr, want;

	if (idx < 0)
		return;
	t = &m->m_pool[idx];
	s = t->te_start + P(test_rand_below(&m->m_rand, 7)) - P(3);
	e = t->te_end + P(test_rand_below(&m->m_rand, 7)) - P(3);
	if (s >= e)
		want = KERN_INVALID_ARGUMENT;
	else if (s < m->m_min || e > m->m_max)
		want = KERN_INVALID_ADDRESS;
	else {
		/*
		 * The entry stays between its neighbours: from the lower of
		 * the old and new starts to the higher of the ends, no page
		 * may belong to another entry.
		 */
		want = KERN_SUCCESS;
		for (vm_offset_t a = MIN(s, t->te_start); a < MAX(e, t->te_end);
		    a += PAGE_SIZE) {
			int o = model_owner(m, a);

			if (o >= 0 && o != idx)
				want = KERN_NO_SPACE;
		}
	}
	kr = vm_map_store_resize(&m->m_hdr, L(t), s, e);
	cr_assert_eq(kr, want, "step %llu: resize [%#lx, %#lx) to [%#lx, %#lx): %d, want %d",
	    (unsigned long long)m->m_step, t->te_start, t->te_end, s, e, kr, want);
	if (kr != KERN_SUCCESS)
		return;
	model_set(m, -1, t->te_start, t->te_end);
	model_set(m, idx, s, e);
}

static void
model_run(vm_offset_t min, uint64_t npages, uint64_t seed, uint64_t steps)
{
	static struct model m;

	model_init(&m, min, npages, seed);
	for (m.m_step = 0; m.m_step < steps; m.m_step++) {
		switch (test_rand_below(&m.m_rand, 10)) {
		case 0: case 1: step_insert(&m); break;
		case 2: case 3: step_find(&m); break;
		case 4: case 5: step_remove(&m); break;
		case 6: step_clip(&m, true); break;
		case 7: step_clip(&m, false); break;
		default: step_resize(&m); break;
		}
		model_check(&m);
	}
}

Test(vm_map_store, random_against_model_from_zero)
{
	for (uint64_t seed = 1; seed <= 8; seed++)
		model_run(0, 128, seed, 10000);
}

Test(vm_map_store, random_against_model_with_bounds)
{
	for (uint64_t seed = 100; seed <= 104; seed++)
		model_run(0x40000000 + P(3), 509, seed, 10000);
}

Test(vm_map_store, random_against_model_at_the_top)
{
	for (uint64_t seed = 200; seed <= 207; seed++)
		model_run(TOP - P(256), 256, seed, 10000);
}

/* --- 10^5 entries ---------------------------------------------------------- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * 10^5 one-page entries with one-page holes, placed by find_space. If
 * lookup or find_space walked the entries, the 10^6 lookups and 10^4
 * searches below would take minutes (10^11 steps); logarithmic, they take
 * milliseconds. The time limit is set far above the latter.
 */
Test(vm_map_store, hundred_thousand_entries)
{
	const uint64_t n = 100000;
	struct tentry *e = calloc(n + 1, sizeof(*e));
	struct vm_map_header h;
	struct vm_map_links *after, *l;
	struct test_rand r;
	vm_offset_t s;
	double t0;
	uint64_t i;
	int height;

	cr_assert_not_null(e);
	cr_assert_eq(vm_map_store_init(&h, P(1), P(2 * n + 1) + P(16)), KERN_SUCCESS);
	for (i = 0; i < n; i++) {
		/* Each entry leaves a hole of one page below it. */
		cr_assert_eq(vm_map_store_find_space(&h, P(2), 0, 0, ~(vm_offset_t)0, &s,
		    &after), KERN_SUCCESS);
		cr_assert_eq(s, P(2 * i + 1));
		cr_assert_eq(vm_map_store_insert(&h, after, mkentry(&e[i], s + P(1),
		    s + P(2))), KERN_SUCCESS);
	}
	verify_ok(&h);
	cr_assert_eq(vm_map_store_count(&h), n);
	height = rb_verify(&h.vmh_tree, NULL);
	cr_assert_gt(height, 0);
	cr_assert_leq(height, 17, "black height %d for 10^5 nodes", height);

	test_rand_seed(&r, 5);
	t0 = now();
	for (i = 0; i < 1000000; i++) {
		uint64_t k = test_rand_below(&r, n);

		cr_assert(vm_map_store_lookup(&h, P(2 * k + 2) + 5, &l));
		if (l != L(&e[k]))
			cr_assert_fail("lookup of entry %llu", (unsigned long long)k);
	}
	/* A hole of 2 pages exists only at the top: every search crosses all. */
	for (i = 0; i < 10000; i++) {
		cr_assert_eq(vm_map_store_find_space(&h, P(2), 0, 0, ~(vm_offset_t)0, &s,
		    &after), KERN_SUCCESS);
		cr_assert_eq(s, P(2 * n + 1));
	}
	cr_assert_lt(now() - t0, 20.0, "lookups or searches are not logarithmic");

	/* Free every other entry, then the two-page holes are found first. */
	for (i = 0; i < n; i += 2)
		vm_map_store_remove(&h, L(&e[i]));
	verify_ok(&h);
	cr_assert_eq(vm_map_store_find_space(&h, P(3), 0, 0, ~(vm_offset_t)0, &s,
	    &after), KERN_SUCCESS);
	cr_assert_eq(s, P(1));
	cr_assert_null(after);
	cr_assert_eq(vm_map_store_find_space(&h, P(3), 0, P(2), ~(vm_offset_t)0, &s,
	    &after), KERN_SUCCESS);
	cr_assert_eq(s, P(5), "[2,4) is too small; [5,8) is next");
	cr_assert_eq(after, L(&e[1]));
	free(e);
}
