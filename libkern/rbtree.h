/*
 * rbtree.h - intrusive red-black trees.
 *
 * A red-black tree is a binary search tree whose nodes are coloured red or
 * black so that no path from the root to a leaf is more than twice as long
 * as any other: with n nodes the height is at most 2 log2(n + 1), and
 * search, insertion and removal are O(log n).
 *
 * The tree is intrusive: the user embeds a struct rb_node in its own
 * structure and gets back to it with container_of() (libkern/cdefs.h).
 * Nothing here allocates, locks or recurses deeper than the tree is high;
 * whoever owns the struct rb_tree says which lock covers it.
 *
 * Order is the user's business. rb_insert() places a node with a comparison
 * function; callers that search anyway (or know the neighbour already) find
 * the empty child slot themselves and do it in two steps:
 *
 *	struct rb_node **link = &tree->rbt_root, *parent = NULL;
 *
 *	while (*link != NULL) {
 *		parent = *link;
 *		link = &parent->rb_child[key < KEY(parent) ? RB_LEFT : RB_RIGHT];
 *	}
 *	rb_link(node, parent, link);
 *	rb_insert_fixup(tree, node);
 *
 * Invariants (checked by rb_verify):
 *   1. every node is red or black; the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node down to an empty child slot passes the same
 *	number of black nodes (the black height);
 *   4. a node's children name it as their parent; the root has none;
 *   5. in-order, nodes are sorted by the user's order (rb_verify checks
 *	this when given a comparison function).
 *
 * Augmented trees. A node may carry a value computed from its own data
 * and its children's values (the largest gap below it, a subtree count).
 * The _augmented variants take an rb_augment_t that recomputes one node's
 * value from its children; the tree calls it on the nodes whose subtrees a
 * rotation changed, and on the path from a changed node to the root. When a
 * user changes a node's own data in place, rb_augment_propagate() brings
 * the node and its ancestors up to date. The plain variants are the
 * augmented ones with no callback.
 */

#ifndef LIBKERN_RBTREE_H
#define LIBKERN_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_LEFT		0
#define RB_RIGHT	1

#define RB_RED		0u
#define RB_BLACK	1u

/*
 * A node. The parent pointer and the colour share a word: nodes are at
 * least pointer-aligned, so bit 0 of the parent's address is free to hold
 * the colour. Read them with rb_parent() and rb_color().
 */
struct rb_node {
	uintptr_t	rb_parent_color;	/* parent | colour (bit 0) */
	struct rb_node	*rb_child[2];		/* [RB_LEFT], [RB_RIGHT] */
};

struct rb_tree {
	struct rb_node	*rbt_root;		/* NULL when empty */
};

#define RB_TREE_INITIALIZER	{ NULL }

/* Order of two nodes: negative, zero or positive, as strcmp. */
typedef int	(*rb_cmp_t)(const struct rb_node *a, const struct rb_node *b);

/* Order of a key against a node, for rb_find. */
typedef int	(*rb_key_cmp_t)(const void *key, const struct rb_node *node);

/* Recompute node's augmented value from its own data and its children. */
typedef void	(*rb_augment_t)(struct rb_node *node);

static inline void
rb_init(struct rb_tree *tree)
{
	tree->rbt_root = NULL;
}

static inline bool
rb_empty(const struct rb_tree *tree)
{
	return tree->rbt_root == NULL;
}

static inline struct rb_node *
rb_parent(const struct rb_node *node)
{
	return (struct rb_node *)(node->rb_parent_color & ~(uintptr_t)1);
}

static inline unsigned
rb_color(const struct rb_node *node)
{
	return (unsigned)(node->rb_parent_color & 1);
}

static inline struct rb_node *
rb_left(const struct rb_node *node)
{
	return node->rb_child[RB_LEFT];
}

static inline struct rb_node *
rb_right(const struct rb_node *node)
{
	return node->rb_child[RB_RIGHT];
}

/*
 * rb_link: hang node, with no children, in the empty slot *link below
 * parent (NULL and &tree->rbt_root for an empty tree), coloured red.
 * The tree is not balanced again until rb_insert_fixup().
 */
static inline void
rb_link(struct rb_node *node, struct rb_node *parent, struct rb_node **link)
{
	node->rb_parent_color = (uintptr_t)parent | RB_RED;
	node->rb_child[RB_LEFT] = NULL;
	node->rb_child[RB_RIGHT] = NULL;
	*link = node;
}

/* rb_insert_fixup: restore the invariants after rb_link(node). */
void		rb_insert_fixup(struct rb_tree *tree, struct rb_node *node);
void		rb_insert_fixup_augmented(struct rb_tree *tree, struct rb_node *node,
		    rb_augment_t augment);

/*
 * rb_insert: search for node's place with cmp and insert it. A node equal
 * to ones already in the tree goes after them.
 */
void		rb_insert(struct rb_tree *tree, struct rb_node *node, rb_cmp_t cmp);

/* rb_remove: take node, which must be in tree, out of it; clears its links. */
void		rb_remove(struct rb_tree *tree, struct rb_node *node);
void		rb_remove_augmented(struct rb_tree *tree, struct rb_node *node,
		    rb_augment_t augment);

/* rb_augment_propagate: recompute node's value, then each ancestor's. */
void		rb_augment_propagate(struct rb_node *node, rb_augment_t augment);

/* rb_find: a node equal to key (the first such in order), or NULL. */
struct rb_node	*rb_find(const struct rb_tree *tree, const void *key,
		    rb_key_cmp_t cmp);

/* In-order iteration; each step is O(1) amortized, O(log n) at worst. */
struct rb_node	*rb_first(const struct rb_tree *tree);
struct rb_node	*rb_last(const struct rb_tree *tree);
struct rb_node	*rb_next(const struct rb_node *node);
struct rb_node	*rb_prev(const struct rb_node *node);

/*
 * rb_verify: check invariants 1-4, and 5 if cmp is not NULL. Returns the
 * black height (0 for an empty tree) or -1 if an invariant is broken. For
 * tests and debugging: O(n) time, O(log n) stack, and it gives up rather
 * than loop on a tree more than 128 levels deep.
 */
int		rb_verify(const struct rb_tree *tree, rb_cmp_t cmp);

#endif /* LIBKERN_RBTREE_H */
