/*
 * test_rbtree.c - libkern/rbtree.c: the intrusive red-black tree.
 *
 * Hand-written cases cover the shapes that exercise each repair case
 * (ascending and descending runs, removal of every position of small
 * trees) and the edges of the API. Randomized runs hold the tree against
 * a model, an array saying which items are in, checking after every step
 * that rb_verify() passes and that in-order iteration, both ways, gives
 * exactly the model's keys sorted. An augmented tree (subtree sizes, and
 * subtree maxima of values changed in place) is checked the same way, and
 * rb_verify() itself is shown to catch each kind of damage.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "libkern/cdefs.h"
#include "libkern/rbtree.h"

struct item {
	struct rb_node	it_node;
	uint64_t	it_key;
	uint64_t	it_seq;		/* insertion order, for equal keys */
	bool		it_in;		/* the model: is it in the tree? */
	uint64_t	it_size;	/* augmented: nodes in subtree */
	uint64_t	it_value;	/* augmented: own value ... */
	uint64_t	it_max;		/* ... and the subtree's largest */
};

static struct item *
ITEM(const struct rb_node *n)
{
	return n == NULL ? NULL : container_of(n, struct item, it_node);
}

static int
item_cmp(const struct rb_node *a, const struct rb_node *b)
{
	uint64_t ka = ITEM(a)->it_key, kb = ITEM(b)->it_key;

	return ka < kb ? -1 : ka > kb;
}

static int
key_cmp(const void *key, const struct rb_node *n)
{
	uint64_t k = *(const uint64_t *)key, kn = ITEM(n)->it_key;

	return k < kn ? -1 : k > kn;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* --- checking against the model -------------------------------------------- */

static uint64_t *scratch;
static size_t scratch_len;

static uint64_t *
scratch_get(size_t n)
{
	if (n > scratch_len) {
		scratch = realloc(scratch, n * sizeof(*scratch));
		cr_assert_not_null(scratch);
		scratch_len = n;
	}
	return scratch;
}

/*
 * The tree holds exactly the items of items[0..n) marked it_in, in key
 * order both ways, and passes rb_verify. Returns the black height.
 */
static int
check_tree(const struct rb_tree *t, const struct item *items, size_t n,
    const char *what, uint64_t step)
{
	uint64_t *keys = scratch_get(n + 1);
	size_t m = 0, i;
	struct rb_node *node;
	int bh;

	bh = rb_verify(t, item_cmp);
	cr_assert_geq(bh, 0, "%s: step %llu: rb_verify failed", what,
	    (unsigned long long)step);
	for (i = 0; i < n; i++) {
		if (items[i].it_in)
			keys[m++] = items[i].it_key;
	}
	qsort(keys, m, sizeof(*keys), u64_cmp);

	i = 0;
	for (node = rb_first(t); node != NULL; node = rb_next(node)) {
		cr_assert_lt(i, m, "%s: step %llu: tree has extra nodes", what,
		    (unsigned long long)step);
		cr_assert_eq(ITEM(node)->it_key, keys[i], "%s: step %llu: key %zu",
		    what, (unsigned long long)step, i);
		i++;
	}
	cr_assert_eq(i, m, "%s: step %llu: tree has %zu nodes, model %zu", what,
	    (unsigned long long)step, i, m);
	for (node = rb_last(t); node != NULL; node = rb_prev(node))
		cr_assert_eq(ITEM(node)->it_key, keys[--i]);
	cr_assert_eq(i, 0u);
	cr_assert_eq(rb_empty(t), m == 0);
	return bh;
}

/* The deepest node's depth (root: 1), walking parent pointers. */
static unsigned
tree_height(const struct rb_tree *t)
{
	unsigned h = 0, d;
	const struct rb_node *n, *p;

	for (n = rb_first(t); n != NULL; n = rb_next(n)) {
		for (d = 0, p = n; p != NULL; p = rb_parent(p))
			d++;
		if (d > h)
			h = d;
	}
	return h;
}

/* 2 log2(n + 1), the red-black bound on height. */
static unsigned
height_bound(size_t n)
{
	unsigned lg = 0;

	while ((1ULL << lg) < n + 1)
		lg++;
	return 2 * lg;
}

static struct item *
items_new(size_t n)
{
	struct item *items = calloc(n, sizeof(*items));

	cr_assert_not_null(items);
	return items;
}

static void
insert(struct rb_tree *t, struct item *it)
{
	static uint64_t seq;

	cr_assert(!it->it_in);
	it->it_seq = seq++;
	rb_insert(t, &it->it_node, item_cmp);
	it->it_in = true;
}

static void
remove_item(struct rb_tree *t, struct item *it)
{
	cr_assert(it->it_in);
	rb_remove(t, &it->it_node);
	it->it_in = false;
}

/* --- hand-written cases ---------------------------------------------------- */

Test(rbtree, empty_tree)
{
	struct rb_tree t = RB_TREE_INITIALIZER;
	uint64_t k = 1;

	cr_assert(rb_empty(&t));
	cr_assert_null(rb_first(&t));
	cr_assert_null(rb_last(&t));
	cr_assert_null(rb_find(&t, &k, key_cmp));
	cr_assert_eq(rb_verify(&t, item_cmp), 0);
	rb_init(&t);
	cr_assert(rb_empty(&t));
}

Test(rbtree, single_node_in_and_out)
{
	struct rb_tree t;
	struct item it = { .it_key = 7 };

	rb_init(&t);
	insert(&t, &it);
	cr_assert_eq(t.rbt_root, &it.it_node);
	cr_assert_eq(rb_color(&it.it_node), RB_BLACK, "the root is black");
	cr_assert_null(rb_parent(&it.it_node));
	cr_assert_eq(rb_first(&t), &it.it_node);
	cr_assert_eq(rb_last(&t), &it.it_node);
	cr_assert_null(rb_next(&it.it_node));
	cr_assert_null(rb_prev(&it.it_node));
	cr_assert_eq(rb_verify(&t, item_cmp), 1);
	remove_item(&t, &it);
	cr_assert(rb_empty(&t));
	cr_assert_eq(it.it_node.rb_parent_color, 0u, "a removed node is cleared");
	cr_assert_null(rb_left(&it.it_node));
	cr_assert_null(rb_right(&it.it_node));
}

/* Sorted runs are the worst case for an unbalanced tree. */
static void
sorted_run(bool ascending, size_t n)
{
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct item *items = items_new(n);

	for (size_t i = 0; i < n; i++) {
		items[i].it_key = ascending ? i : n - i;
		insert(&t, &items[i]);
		if (i % 97 == 0)
			check_tree(&t, items, n, "sorted", i);
	}
	check_tree(&t, items, n, "sorted", n);
	cr_assert_leq(tree_height(&t), height_bound(n), "height %u for %zu nodes",
	    tree_height(&t), n);
	free(items);
}

Test(rbtree, ascending_inserts_stay_balanced)
{
	sorted_run(true, 4096);
}

Test(rbtree, descending_inserts_stay_balanced)
{
	sorted_run(false, 4096);
}

/*
 * Every way of removing one node from trees of 1..40 nodes built in
 * ascending, descending and interleaved order: each removal case (red
 * leaf, black leaf, one child, two children, successor adjacent or not,
 * root) comes up.
 */
Test(rbtree, remove_each_position_of_small_trees)
{
	struct item items[40];
	struct rb_tree t;

	for (size_t n = 1; n <= nitems(items); n++) {
		for (int order = 0; order < 3; order++) {
			for (size_t victim = 0; victim < n; victim++) {
				memset(items, 0, sizeof(items));
				rb_init(&t);
				for (size_t i = 0; i < n; i++) {
					size_t j = order == 0 ? i : order == 1 ? n - 1 - i :
					    (i % 2 == 0 ? i / 2 : n - 1 - i / 2);

					items[j].it_key = j;
					insert(&t, &items[j]);
				}
				check_tree(&t, items, n, "built", n);
				remove_item(&t, &items[victim]);
				check_tree(&t, items, n, "removed", victim);
				/* And the rest, in order, down to empty. */
				for (size_t i = 0; i < n; i++) {
					if (items[i].it_in) {
						remove_item(&t, &items[i]);
						check_tree(&t, items, n, "drain", i);
					}
				}
				cr_assert(rb_empty(&t));
			}
		}
	}
}

Test(rbtree, find_returns_first_of_equals_or_null)
{
	struct item items[30];
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct rb_node *n;
	uint64_t k;

	memset(items, 0, sizeof(items));
	/* Keys 0, 0, 0, 10, 10, 10, 20, ...: three of each. */
	for (size_t i = 0; i < nitems(items); i++) {
		items[i].it_key = (i / 3) * 10;
		insert(&t, &items[i]);
	}
	check_tree(&t, items, nitems(items), "find", 0);
	for (k = 0; k <= 95; k += 5) {
		n = rb_find(&t, &k, key_cmp);
		if (k % 10 != 0) {
			cr_assert_null(n, "key %llu is absent", (unsigned long long)k);
			continue;
		}
		cr_assert_not_null(n, "key %llu", (unsigned long long)k);
		cr_assert_eq(ITEM(n)->it_key, k);
		cr_assert(rb_prev(n) == NULL || ITEM(rb_prev(n))->it_key < k,
		    "rb_find returned a later one of the equal keys");
	}
	k = 1000;
	cr_assert_null(rb_find(&t, &k, key_cmp));
}

Test(rbtree, equal_keys_keep_insertion_order)
{
	struct item items[200];
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct test_rand r;
	struct rb_node *n, *p;

	memset(items, 0, sizeof(items));
	test_rand_seed(&r, 42);
	for (size_t i = 0; i < nitems(items); i++) {
		items[i].it_key = test_rand_below(&r, 8);
		insert(&t, &items[i]);
	}
	/* Removing some must not reorder the others. */
	for (size_t i = 0; i < nitems(items); i += 3)
		remove_item(&t, &items[i]);
	check_tree(&t, items, nitems(items), "dups", 0);
	for (p = rb_first(&t), n = rb_next(p); n != NULL; p = n, n = rb_next(n)) {
		if (ITEM(p)->it_key == ITEM(n)->it_key)
			cr_assert_lt(ITEM(p)->it_seq, ITEM(n)->it_seq);
	}
}

/* The two-step insertion, with the caller's own search. */
Test(rbtree, link_and_fixup_with_own_search)
{
	struct item items[500];
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct test_rand r;

	memset(items, 0, sizeof(items));
	test_rand_seed(&r, 7);
	for (size_t i = 0; i < nitems(items); i++) {
		struct rb_node **link = &t.rbt_root, *parent = NULL;

		items[i].it_key = test_rand_next(&r);
		while (*link != NULL) {
			parent = *link;
			link = &parent->rb_child[items[i].it_key < ITEM(parent)->it_key ?
			    RB_LEFT : RB_RIGHT];
		}
		rb_link(&items[i].it_node, parent, link);
		rb_insert_fixup(&t, &items[i].it_node);
		items[i].it_in = true;
	}
	check_tree(&t, items, nitems(items), "link", 0);
}

/* --- randomized against the model ------------------------------------------ */

static void
random_run(uint64_t seed, size_t nitems_, uint64_t key_range, uint64_t steps)
{
	struct item *items = items_new(nitems_);
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct test_rand r;

	test_rand_seed(&r, seed);
	for (uint64_t s = 0; s < steps; s++) {
		struct item *it = &items[test_rand_below(&r, nitems_)];

		if (it->it_in) {
			remove_item(&t, it);
		} else {
			it->it_key = test_rand_below(&r, key_range);
			insert(&t, it);
		}
		check_tree(&t, items, nitems_, "random", s);
	}
	free(items);
}

Test(rbtree, random_small_trees_against_model)
{
	for (uint64_t seed = 1; seed <= 40; seed++)
		random_run(seed, 16, 32, 2000);
}

Test(rbtree, random_medium_tree_against_model)
{
	random_run(0xfeed, 600, 1000, 30000);
}

/* 100k nodes: the ASan run watches every pointer the repairs touch. */
Test(rbtree, stress_100k)
{
	const size_t n = 100000;
	struct item *items = items_new(n);
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct test_rand r;
	size_t *order = calloc(n, sizeof(*order));
	int bh;

	cr_assert_not_null(order);
	test_rand_seed(&r, 100000);
	for (size_t i = 0; i < n; i++) {
		items[i].it_key = test_rand_next(&r);
		insert(&t, &items[i]);
		order[i] = i;
	}
	bh = check_tree(&t, items, n, "stress", 0);
	cr_assert_gt(bh, 0);
	cr_assert_leq(tree_height(&t), height_bound(n));

	/* Remove in a random order, checking every so often. */
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = test_rand_below(&r, i + 1), tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	for (size_t i = 0; i < n; i++) {
		remove_item(&t, &items[order[i]]);
		if (i % 10007 == 0 || n - i < 50)
			check_tree(&t, items, n, "stress drain", i);
	}
	cr_assert(rb_empty(&t));
	free(order);
	free(items);
}

/* --- augmented trees ------------------------------------------------------- */

/* Subtree size and subtree maximum of it_value, from the children. */
static void
item_augment(struct rb_node *n)
{
	struct item *it = ITEM(n);
	struct item *l = ITEM(rb_left(n)), *r = ITEM(rb_right(n));

	it->it_size = 1 + (l != NULL ? l->it_size : 0) + (r != NULL ? r->it_size : 0);
	it->it_max = it->it_value;
	if (l != NULL && l->it_max > it->it_max)
		it->it_max = l->it_max;
	if (r != NULL && r->it_max > it->it_max)
		it->it_max = r->it_max;
}

/* Every node's augmented values, recomputed by brute force. */
static uint64_t
check_augment(const struct rb_node *n, uint64_t *max)
{
	uint64_t ls = 0, rs = 0, lm = 0, rm = 0;
	const struct item *it;

	if (n == NULL) {
		*max = 0;
		return 0;
	}
	it = ITEM(n);
	ls = check_augment(rb_left(n), &lm);
	rs = check_augment(rb_right(n), &rm);
	*max = it->it_value;
	if (lm > *max)
		*max = lm;
	if (rm > *max)
		*max = rm;
	cr_assert_eq(it->it_size, 1 + ls + rs, "size of key %llu",
	    (unsigned long long)it->it_key);
	cr_assert_eq(it->it_max, *max, "max of key %llu",
	    (unsigned long long)it->it_key);
	return 1 + ls + rs;
}

/* The k-th node in order (0-based), through the subtree sizes. */
static struct rb_node *
select_kth(const struct rb_tree *t, uint64_t k)
{
	struct rb_node *n = t->rbt_root;

	while (n != NULL) {
		uint64_t ls = rb_left(n) != NULL ? ITEM(rb_left(n))->it_size : 0;

		if (k < ls) {
			n = rb_left(n);
		} else if (k == ls) {
			return n;
		} else {
			k -= ls + 1;
			n = rb_right(n);
		}
	}
	return NULL;
}

static void
aug_insert(struct rb_tree *t, struct item *it)
{
	struct rb_node **link = &t->rbt_root, *parent = NULL;

	while (*link != NULL) {
		parent = *link;
		link = &parent->rb_child[item_cmp(&it->it_node, parent) < 0 ?
		    RB_LEFT : RB_RIGHT];
	}
	rb_link(&it->it_node, parent, link);
	rb_insert_fixup_augmented(t, &it->it_node, item_augment);
	it->it_in = true;
}

Test(rbtree, augmented_values_follow_every_change)
{
	const size_t n = 400;
	struct item *items = items_new(n);
	struct rb_tree t = RB_TREE_INITIALIZER;
	struct test_rand r;
	uint64_t max, count = 0;

	test_rand_seed(&r, 0xa6);
	for (uint64_t s = 0; s < 20000; s++) {
		struct item *it = &items[test_rand_below(&r, n)];

		switch (test_rand_below(&r, 3)) {
		case 0:		/* insert or remove */
		case 1:
			if (it->it_in) {
				rb_remove_augmented(&t, &it->it_node, item_augment);
				it->it_in = false;
				count--;
			} else {
				it->it_key = test_rand_below(&r, 5000);
				it->it_value = test_rand_below(&r, 1000000);
				aug_insert(&t, it);
				count++;
			}
			break;
		default:	/* change a value in place */
			if (!it->it_in)
				break;
			it->it_value = test_rand_below(&r, 1000000);
			rb_augment_propagate(&it->it_node, item_augment);
			break;
		}
		cr_assert_geq(rb_verify(&t, item_cmp), 0, "step %llu",
		    (unsigned long long)s);
		cr_assert_eq(check_augment(t.rbt_root, &max), count);
	}
	/* Order statistics come out right. */
	check_tree(&t, items, n, "augment", 0);
	{
		struct rb_node *node = rb_first(&t);

		for (uint64_t k = 0; k < count; k++, node = rb_next(node))
			cr_assert_eq(select_kth(&t, k), node, "k = %llu",
			    (unsigned long long)k);
	}
	free(items);
}

/* --- rb_verify catches damage ---------------------------------------------- */

static struct item vitems[15];
static struct rb_tree vtree;

/* A perfect tree of 15 nodes, keys 0..14, all black: height 4. */
static void
build_perfect(void)
{
	memset(vitems, 0, sizeof(vitems));
	rb_init(&vtree);
	for (size_t i = 0; i < nitems(vitems); i++) {
		vitems[i].it_key = i;
		insert(&vtree, &vitems[i]);
	}
	cr_assert_geq(rb_verify(&vtree, item_cmp), 0);
}

static void
paint(struct rb_node *n, unsigned color)
{
	n->rb_parent_color = (n->rb_parent_color & ~(uintptr_t)1) | color;
}

Test(rbtree, verify_catches_red_root)
{
	build_perfect();
	paint(vtree.rbt_root, RB_RED);
	cr_assert_eq(rb_verify(&vtree, NULL), -1);
}

Test(rbtree, verify_catches_red_red)
{
	struct rb_node *n;

	build_perfect();
	/* Find a red node with a child, or make one: paint a parent and child. */
	n = rb_left(vtree.rbt_root);
	paint(n, RB_RED);
	paint(rb_left(n), RB_RED);
	cr_assert_eq(rb_verify(&vtree, NULL), -1);
}

Test(rbtree, verify_catches_unequal_black_height)
{
	struct rb_node *n;

	build_perfect();
	/* Flip one leaf's colour: its paths gain or lose one black. */
	for (n = vtree.rbt_root; rb_left(n) != NULL; n = rb_left(n))
		continue;
	paint(n, rb_color(n) == RB_RED ? RB_BLACK : RB_RED);
	cr_assert_eq(rb_verify(&vtree, NULL), -1);
}

Test(rbtree, verify_catches_bad_parent_pointer)
{
	struct rb_node *n;

	build_perfect();
	n = rb_right(rb_left(vtree.rbt_root));
	n->rb_parent_color = (uintptr_t)vtree.rbt_root | rb_color(n);
	cr_assert_eq(rb_verify(&vtree, NULL), -1);
}

Test(rbtree, verify_catches_disorder_only_with_cmp)
{
	build_perfect();
	vitems[3].it_key = 100;
	cr_assert_geq(rb_verify(&vtree, NULL), 0, "structure is still sound");
	cr_assert_eq(rb_verify(&vtree, item_cmp), -1);
}

Test(rbtree, verify_survives_a_cycle)
{
	struct rb_node *n;

	build_perfect();
	/* A leaf pointing back at the root: must end in -1, not loop. */
	for (n = vtree.rbt_root; rb_left(n) != NULL; n = rb_left(n))
		continue;
	n->rb_child[RB_LEFT] = vtree.rbt_root;
	cr_assert_eq(rb_verify(&vtree, NULL), -1);
}
