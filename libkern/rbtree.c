/*
 * rbtree.c - red-black tree balancing, removal, iteration and checking.
 *
 * Left and right are mirror images, so the code is written once, for a
 * direction `dir` (RB_LEFT or RB_RIGHT) and its opposite `!dir`, on the
 * rb_child[] array. Empty child slots count as black.
 *
 * Insertion hangs a red leaf and repairs red-red violations upwards.
 * Removal first makes the node to remove have at most one child (by
 * swapping it with its in-order successor, which keeps every other node
 * where it was: the tree is intrusive, so nodes move, data does not), then
 * unlinks it and, if it was black, repairs the missing black upwards.
 * Both repairs do O(1) rotations and O(log n) recolourings.
 */

#include "libkern/rbtree.h"

#include "libkern/assert.h"

/* A node more than this many levels down means the tree is corrupt. */
#define RB_MAX_DEPTH	128

static inline bool
rb_is_red(const struct rb_node *node)
{
	return node != NULL && rb_color(node) == RB_RED;
}

static inline bool
rb_is_black(const struct rb_node *node)
{
	return !rb_is_red(node);
}

static inline void
rb_set_parent(struct rb_node *node, struct rb_node *parent)
{
	node->rb_parent_color = (uintptr_t)parent | rb_color(node);
}

static inline void
rb_set_color(struct rb_node *node, unsigned color)
{
	node->rb_parent_color = (node->rb_parent_color & ~(uintptr_t)1) | color;
}

/* Which child of its parent node is; node must have a parent. */
static inline int
rb_dir(const struct rb_node *node, const struct rb_node *parent)
{
	return parent->rb_child[RB_LEFT] == node ? RB_LEFT : RB_RIGHT;
}

/* Make new take old's place under parent (or as the root). */
static inline void
rb_replace_child(struct rb_tree *tree, struct rb_node *parent,
    struct rb_node *old, struct rb_node *new)
{
	if (parent == NULL)
		tree->rbt_root = new;
	else
		parent->rb_child[rb_dir(old, parent)] = new;
}

/*
 * Rotate x down towards dir: its child on the other side, y, takes its
 * place and x becomes y's dir child. In-order sequence is unchanged; only
 * x's and y's subtrees change, so only they are recomputed, x first.
 */
static void
rb_rotate(struct rb_tree *tree, struct rb_node *x, int dir, rb_augment_t augment)
{
	struct rb_node *y = x->rb_child[!dir];
	struct rb_node *p = rb_parent(x);
	struct rb_node *inner = y->rb_child[dir];

	x->rb_child[!dir] = inner;
	if (inner != NULL)
		rb_set_parent(inner, x);
	rb_replace_child(tree, p, x, y);
	rb_set_parent(y, p);
	y->rb_child[dir] = x;
	rb_set_parent(x, y);
	if (augment != NULL) {
		augment(x);
		augment(y);
	}
}

void
rb_augment_propagate(struct rb_node *node, rb_augment_t augment)
{
	for (; node != NULL; node = rb_parent(node))
		augment(node);
}

/* --- insertion ------------------------------------------------------------- */

void
rb_insert_fixup_augmented(struct rb_tree *tree, struct rb_node *node,
    rb_augment_t augment)
{
	struct rb_node *parent, *gparent, *uncle;
	int dir;

	/* The new leaf changed every subtree on its way to the root. */
	if (augment != NULL)
		rb_augment_propagate(node, augment);

	/*
	 * Loop invariant: node is red and the only possible violation is
	 * node and its parent both red (or node a red root).
	 */
	while ((parent = rb_parent(node)) != NULL && rb_is_red(parent)) {
		/* A red node is never the root, so the grandparent exists. */
		gparent = rb_parent(parent);
		dir = rb_dir(parent, gparent);
		uncle = gparent->rb_child[!dir];
		if (rb_is_red(uncle)) {
			/* Push the grandparent's black down a level; go on up. */
			rb_set_color(parent, RB_BLACK);
			rb_set_color(uncle, RB_BLACK);
			rb_set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}
		if (node == parent->rb_child[!dir]) {
			/* Inner grandchild: rotate it to the outside first. */
			rb_rotate(tree, parent, dir, augment);
			node = parent;
			parent = rb_parent(node);
		}
		/* Outer grandchild: parent takes gparent's place, black. */
		rb_rotate(tree, gparent, !dir, augment);
		rb_set_color(parent, RB_BLACK);
		rb_set_color(gparent, RB_RED);
		break;
	}
	rb_set_color(tree->rbt_root, RB_BLACK);
}

void
rb_insert_fixup(struct rb_tree *tree, struct rb_node *node)
{
	rb_insert_fixup_augmented(tree, node, NULL);
}

void
rb_insert(struct rb_tree *tree, struct rb_node *node, rb_cmp_t cmp)
{
	struct rb_node **link = &tree->rbt_root, *parent = NULL;

	while (*link != NULL) {
		parent = *link;
		link = &parent->rb_child[cmp(node, parent) < 0 ? RB_LEFT : RB_RIGHT];
	}
	rb_link(node, parent, link);
	rb_insert_fixup(tree, node);
}

/* --- removal --------------------------------------------------------------- */

/*
 * Exchange the places (and colours) of node, which has two children, and
 * its in-order successor succ, the leftmost node of its right subtree.
 * Afterwards node has no left child, and succ sits where node was.
 */
static void
rb_swap_with_successor(struct rb_tree *tree, struct rb_node *node,
    struct rb_node *succ)
{
	struct rb_node *parent = rb_parent(node);
	struct rb_node *left = node->rb_child[RB_LEFT];
	struct rb_node *right = node->rb_child[RB_RIGHT];
	struct rb_node *succ_parent = rb_parent(succ);
	struct rb_node *succ_right = succ->rb_child[RB_RIGHT];
	unsigned node_color = rb_color(node), succ_color = rb_color(succ);

	assert(succ->rb_child[RB_LEFT] == NULL);

	/* succ into node's place, with node's colour and left subtree. */
	rb_replace_child(tree, parent, node, succ);
	succ->rb_parent_color = (uintptr_t)parent | node_color;
	succ->rb_child[RB_LEFT] = left;
	rb_set_parent(left, succ);

	/* node into succ's place, with succ's colour and right subtree. */
	if (succ == right) {
		succ->rb_child[RB_RIGHT] = node;
		node->rb_parent_color = (uintptr_t)succ | succ_color;
	} else {
		succ->rb_child[RB_RIGHT] = right;
		rb_set_parent(right, succ);
		succ_parent->rb_child[RB_LEFT] = node;
		node->rb_parent_color = (uintptr_t)succ_parent | succ_color;
	}
	node->rb_child[RB_LEFT] = NULL;
	node->rb_child[RB_RIGHT] = succ_right;
	if (succ_right != NULL)
		rb_set_parent(succ_right, node);
}

/*
 * A black node was unlinked from above x (x may be an empty slot, hence
 * parent is passed): every path through x is one black short. Push the
 * deficit up, or end it with a rotation.
 */
static void
rb_remove_fixup(struct rb_tree *tree, struct rb_node *x, struct rb_node *parent,
    rb_augment_t augment)
{
	struct rb_node *sib, *far, *near;
	int dir;

	while (x != tree->rbt_root && rb_is_black(x)) {
		dir = parent->rb_child[RB_LEFT] == x ? RB_LEFT : RB_RIGHT;
		/* The other side has black height >= 1: sib exists. */
		sib = parent->rb_child[!dir];
		if (rb_is_red(sib)) {
			/* Make the sibling black: rotate the red one up. */
			rb_set_color(sib, RB_BLACK);
			rb_set_color(parent, RB_RED);
			rb_rotate(tree, parent, dir, augment);
			sib = parent->rb_child[!dir];
		}
		far = sib->rb_child[!dir];
		near = sib->rb_child[dir];
		if (rb_is_black(far) && rb_is_black(near)) {
			/* Take a black off the sibling's side too; go up. */
			rb_set_color(sib, RB_RED);
			x = parent;
			parent = rb_parent(x);
			continue;
		}
		if (rb_is_black(far)) {
			/* Near nephew red: rotate it up to be the far one. */
			rb_set_color(near, RB_BLACK);
			rb_set_color(sib, RB_RED);
			rb_rotate(tree, sib, !dir, augment);
			sib = parent->rb_child[!dir];
			far = sib->rb_child[!dir];
		}
		/* Far nephew red: one rotation at parent adds the black. */
		rb_set_color(sib, rb_color(parent));
		rb_set_color(parent, RB_BLACK);
		rb_set_color(far, RB_BLACK);
		rb_rotate(tree, parent, dir, augment);
		x = tree->rbt_root;
		break;
	}
	if (x != NULL)
		rb_set_color(x, RB_BLACK);
}

void
rb_remove_augmented(struct rb_tree *tree, struct rb_node *node,
    rb_augment_t augment)
{
	struct rb_node *child, *parent, *succ;

	if (node->rb_child[RB_LEFT] != NULL && node->rb_child[RB_RIGHT] != NULL) {
		succ = node->rb_child[RB_RIGHT];
		while (succ->rb_child[RB_LEFT] != NULL)
			succ = succ->rb_child[RB_LEFT];
		rb_swap_with_successor(tree, node, succ);
	}

	/* node has at most one child now; if one, it is red and node black. */
	child = node->rb_child[node->rb_child[RB_LEFT] != NULL ? RB_LEFT : RB_RIGHT];
	parent = rb_parent(node);
	rb_replace_child(tree, parent, node, child);
	if (child != NULL)
		rb_set_parent(child, parent);

	/*
	 * Every subtree from parent up lost node (and the successor, if it
	 * moved, sits on that path with a value from its old place).
	 * Recompute them before rebalancing: rotations keep correct values
	 * correct, they do not repair stale ones.
	 */
	if (augment != NULL && parent != NULL)
		rb_augment_propagate(parent, augment);
	if (rb_color(node) == RB_BLACK)
		rb_remove_fixup(tree, child, parent, augment);

	node->rb_parent_color = 0;
	node->rb_child[RB_LEFT] = NULL;
	node->rb_child[RB_RIGHT] = NULL;
}

void
rb_remove(struct rb_tree *tree, struct rb_node *node)
{
	rb_remove_augmented(tree, node, NULL);
}

/* --- search and iteration -------------------------------------------------- */

struct rb_node *
rb_find(const struct rb_tree *tree, const void *key, rb_key_cmp_t cmp)
{
	struct rb_node *node = tree->rbt_root, *found = NULL;
	int c;

	while (node != NULL) {
		c = cmp(key, node);
		if (c == 0)
			found = node;	/* keep looking left for an earlier equal */
		node = node->rb_child[c <= 0 ? RB_LEFT : RB_RIGHT];
	}
	return found;
}

/* The last node reached going dir from node as far as possible. */
static struct rb_node *
rb_extreme(struct rb_node *node, int dir)
{
	if (node == NULL)
		return NULL;
	while (node->rb_child[dir] != NULL)
		node = node->rb_child[dir];
	return node;
}

/* node's in-order neighbour towards dir (RB_RIGHT: next), or NULL. */
static struct rb_node *
rb_step(const struct rb_node *node, int dir)
{
	struct rb_node *parent;

	if (node->rb_child[dir] != NULL)
		return rb_extreme(node->rb_child[dir], !dir);
	/* Climb while we are the dir child; the parent then is the one. */
	while ((parent = rb_parent(node)) != NULL && parent->rb_child[dir] == node)
		node = parent;
	return parent;
}

struct rb_node *
rb_first(const struct rb_tree *tree)
{
	return rb_extreme(tree->rbt_root, RB_LEFT);
}

struct rb_node *
rb_last(const struct rb_tree *tree)
{
	return rb_extreme(tree->rbt_root, RB_RIGHT);
}

struct rb_node *
rb_next(const struct rb_node *node)
{
	return rb_step(node, RB_RIGHT);
}

struct rb_node *
rb_prev(const struct rb_node *node)
{
	return rb_step(node, RB_LEFT);
}

/* --- checking -------------------------------------------------------------- */

/*
 * The black height of the subtree at node, whose parent should be parent,
 * or -1. Recursion is bounded by RB_MAX_DEPTH, so a corrupt tree (even a
 * cycle) ends in -1, not in a stack overflow.
 */
static int
rb_verify_subtree(const struct rb_node *node, const struct rb_node *parent,
    int depth)
{
	int lh, rh;

	if (node == NULL)
		return 0;
	if (depth > RB_MAX_DEPTH || rb_parent(node) != parent)
		return -1;
	if (rb_is_red(node) && (rb_is_red(node->rb_child[RB_LEFT]) ||
	    rb_is_red(node->rb_child[RB_RIGHT])))
		return -1;
	lh = rb_verify_subtree(node->rb_child[RB_LEFT], node, depth + 1);
	if (lh < 0)
		return -1;
	rh = rb_verify_subtree(node->rb_child[RB_RIGHT], node, depth + 1);
	if (rh < 0 || lh != rh)
		return -1;
	return lh + (rb_is_black(node) ? 1 : 0);
}

int
rb_verify(const struct rb_tree *tree, rb_cmp_t cmp)
{
	const struct rb_node *node, *prev = NULL;
	int height;

	if (rb_is_red(tree->rbt_root))
		return -1;
	height = rb_verify_subtree(tree->rbt_root, NULL, 0);
	if (height < 0 || cmp == NULL)
		return height;
	/* The structure is sound, so in-order iteration terminates. */
	for (node = rb_first(tree); node != NULL; node = rb_next(node)) {
		if (prev != NULL && cmp(prev, node) > 0)
			return -1;
		prev = node;
	}
	return height;
}
