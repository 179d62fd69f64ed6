/*
 * vm_object.c - VM objects (vm_object.h): pages by offset, shadow chains,
 * their collapse, and copies made at once.
 */

#include "mach/vm/vm_object.h"

#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"

static lck_grp_t vm_object_lck_grp;
static zone_t vm_object_zone;
static struct vm_object kernel_object_store;
vm_object_t kernel_object;

/* Every object, and counts. [L] the list lock, a leaf; [a] atomic. */
static struct {
	hw_lock_data_t		lock;
	TAILQ_HEAD(, vm_object)	all;		/* [L] */
	uint64_t		objects;	/* [L] */
	uint64_t		resident;	/* [a] */
	uint64_t		collapses;	/* [a] */
} vmo = { .lock = HW_LOCK_INITIALIZER };

static void
object_list_add(vm_object_t object)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&vmo.lock);
	TAILQ_INSERT_TAIL(&vmo.all, object, vo_link);
	vmo.objects++;
	hw_lock_unlock(&vmo.lock);
	ml_set_interrupts_enabled(s);
}

static void
object_list_remove(vm_object_t object)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&vmo.lock);
	TAILQ_REMOVE(&vmo.all, object, vo_link);
	vmo.objects--;
	hw_lock_unlock(&vmo.lock);
	ml_set_interrupts_enabled(s);
}

static void
object_init(vm_object_t object, vm_object_size_t size)
{
	memset(object, 0, sizeof(*object));
	lck_mtx_init(&object->Lock, &vm_object_lck_grp, LCK_ATTR_NULL);
	object->ref_count = 1;
	object->vo_size = size;
	rb_init(&object->memq);
	object->copy_strategy = MEMORY_OBJECT_COPY_SYMMETRIC;
	object->internal = TRUE;
}

void
vm_object_bootstrap(void)
{
	lck_grp_init(&vm_object_lck_grp, "vm_object", LCK_GRP_ATTR_NULL);
	TAILQ_INIT(&vmo.all);
	vm_object_zone = zinit(sizeof(struct vm_object), 0, 0, "vm objects");
	if (vm_object_zone == ZONE_NULL)
		panic("vm_object_bootstrap: no memory for the object zone");
	/* kernel_object: pages found through the kernel pmap, never in memq. */
	object_init(&kernel_object_store, VM_MAX_KERNEL_OBJECT_SIZE);
	kernel_object_store.copy_strategy = MEMORY_OBJECT_COPY_NONE;
	kernel_object = &kernel_object_store;
	object_list_add(kernel_object);
}

vm_object_t
vm_object_allocate(vm_object_size_t size)
{
	vm_object_t object = zalloc(vm_object_zone);

	if (object == VM_OBJECT_NULL)
		return VM_OBJECT_NULL;
	object_init(object, round_page(size));
	object_list_add(object);
	return object;
}

vm_object_t
vm_object_allocate_phys(pmap_paddr_t base, vm_object_size_t size, unsigned wimg_bits)
{
	vm_object_t object = vm_object_allocate(size);

	if (object == VM_OBJECT_NULL)
		return VM_OBJECT_NULL;
	object->internal = FALSE;
	object->phys_contiguous = TRUE;
	object->vo_phys_base = trunc_page(base);
	object->wimg_bits = wimg_bits;
	object->copy_strategy = MEMORY_OBJECT_COPY_NONE;
	return object;
}

void
vm_object_reference(vm_object_t object)
{
	/* kernel_object lives forever; kmem may run before locks may block. */
	if (object == VM_OBJECT_NULL || object == kernel_object)
		return;
	vm_object_lock(object);
	assert(object->ref_count > 0);
	object->ref_count++;
	vm_object_unlock(object);
}

/* --- pages ------------------------------------------------------------------ */

static int
page_offset_cmp(const void *key, const struct rb_node *node)
{
	vm_object_offset_t offset = *(const vm_object_offset_t *)key;
	const struct vm_page *m = container_of(node, struct vm_page, vmp_node);

	return offset < m->vmp_offset ? -1 : offset > m->vmp_offset;
}

struct vm_page *
vm_object_page_lookup(vm_object_t object, vm_object_offset_t offset)
{
	struct rb_node *node = rb_find(&object->memq, &offset, page_offset_cmp);

	return node != NULL ? container_of(node, struct vm_page, vmp_node) : NULL;
}

void
vm_object_page_insert(vm_object_t object, struct vm_page *m, vm_object_offset_t offset)
{
	struct rb_node **link = &object->memq.rbt_root, *parent = NULL;

	assert(m->vmp_object == VM_OBJECT_NULL && page_aligned(offset));
	while (*link != NULL) {
		struct vm_page *p = container_of(*link, struct vm_page, vmp_node);

		parent = *link;
		if (offset == p->vmp_offset)
			panic("vm_object_page_insert: object %p already has a page at 0x%llx",
			    object, (unsigned long long)offset);
		link = &parent->rb_child[offset < p->vmp_offset ? RB_LEFT : RB_RIGHT];
	}
	m->vmp_object = object;
	m->vmp_offset = offset;
	rb_link(&m->vmp_node, parent, link);
	rb_insert_fixup(&object->memq, &m->vmp_node);
	object->vo_resident_page_count++;
	__atomic_add_fetch(&vmo.resident, 1, __ATOMIC_RELAXED);
}

/* Take m out of object (it stays allocated). Locks: [O] held. */
static void
page_remove(vm_object_t object, struct vm_page *m)
{
	assert(m->vmp_object == object);
	rb_remove(&object->memq, &m->vmp_node);
	m->vmp_object = VM_OBJECT_NULL;
	object->vo_resident_page_count--;
	__atomic_sub_fetch(&vmo.resident, 1, __ATOMIC_RELAXED);
}

void
vm_object_page_free(vm_object_t object, struct vm_page *m)
{
	pmap_disconnect(m->vmp_phys_page);
	page_remove(object, m);
	vm_page_release(m);
}

/* --- references and termination -------------------------------------------- */

/* Free every page of object, its last reference gone. Locks: [O] held. */
static void
object_free_pages(vm_object_t object)
{
	struct rb_node *node;

	while ((node = rb_first(&object->memq)) != NULL)
		vm_object_page_free(object, container_of(node, struct vm_page, vmp_node));
}

void
vm_object_deallocate(vm_object_t object)
{
	/* Iteratively down the chain: each freed object held a reference on its shadow. */
	while (object != VM_OBJECT_NULL && object != kernel_object) {
		vm_object_t shadow;

		vm_object_lock(object);
		assert(object->ref_count > 0);
		if (--object->ref_count > 0) {
			vm_object_unlock(object);
			return;
		}
		shadow = object->shadow;
		object->shadow = VM_OBJECT_NULL;
		object_free_pages(object);
		vm_object_unlock(object);
		object_list_remove(object);
		lck_mtx_destroy(&object->Lock, &vm_object_lck_grp);
		zfree(vm_object_zone, object);
		object = shadow;
	}
}

/* --- shadows ---------------------------------------------------------------- */

boolean_t
vm_object_shadow(vm_object_t *object, vm_object_offset_t *offset, vm_object_size_t length)
{
	vm_object_t source = *object, result;

	result = vm_object_allocate(length);
	if (result == VM_OBJECT_NULL)
		return FALSE;
	/* The caller's reference on source becomes result's. */
	result->shadow = source;
	result->vo_shadow_offset = *offset;
	*object = result;
	*offset = 0;
	return TRUE;
}

/*
 * May object's shadow be merged into it? Only if nobody else can see the
 * shadow: object's reference is its only one, and it was never handed
 * out. Locks: [O] of both held.
 */
static boolean_t
collapse_allowed(vm_object_t backing)
{
	return backing->ref_count == 1 && !backing->true_share && !backing->named &&
	    backing->internal && !backing->phys_contiguous;
}

void
vm_object_collapse(vm_object_t object)
{
	vm_object_t backing;

	while ((backing = object->shadow) != VM_OBJECT_NULL) {
		vm_object_offset_t base = object->vo_shadow_offset;
		struct rb_node *node;

		vm_object_lock(backing);
		if (!collapse_allowed(backing)) {
			vm_object_unlock(backing);
			return;
		}
		/*
		 * Pages object can see move up; pages it cannot see (outside
		 * its window, or under a page of its own) are freed. A page that
		 * moves keeps its mappings: they were made through object's
		 * chain, for the same offset, and stay right.
		 */
		while ((node = rb_first(&backing->memq)) != NULL) {
			struct vm_page *m = container_of(node, struct vm_page, vmp_node);
			vm_object_offset_t off = m->vmp_offset;

			if (off >= base && off - base < object->vo_size &&
			    vm_object_page_lookup(object, off - base) == NULL) {
				page_remove(backing, m);
				vm_object_page_insert(object, m, off - base);
			} else {
				vm_object_page_free(backing, m);
			}
		}
		/* object takes over backing's reference on its shadow. */
		object->shadow = backing->shadow;
		object->vo_shadow_offset = base + backing->vo_shadow_offset;
		backing->shadow = VM_OBJECT_NULL;
		backing->ref_count = 0;
		vm_object_unlock(backing);
		object_list_remove(backing);
		lck_mtx_destroy(&backing->Lock, &vm_object_lck_grp);
		zfree(vm_object_zone, backing);
		__atomic_add_fetch(&vmo.collapses, 1, __ATOMIC_RELAXED);
	}
}

/*
 * The page object's chain shows at offset, and the object it belongs to,
 * locked (left locked for the caller, unless it is object itself, which
 * the caller holds). NULL if no object in the chain has one (every
 * object passed on the way is unlocked again). Locks: [O] of object held.
 */
struct vm_page *
vm_object_chain_lookup(vm_object_t object, vm_object_offset_t offset, vm_object_t *owner)
{
	vm_object_t o = object;

	for (;;) {
		struct vm_page *m = vm_object_page_lookup(o, offset);
		vm_object_t next;

		if (m != NULL) {
			*owner = o;
			return m;
		}
		next = o->shadow;
		if (next == VM_OBJECT_NULL) {
			if (o != object)
				vm_object_unlock(o);
			*owner = VM_OBJECT_NULL;
			return NULL;
		}
		vm_object_lock(next);
		offset += o->vo_shadow_offset;
		if (o != object)
			vm_object_unlock(o);
		o = next;
	}
}

/* The first page of object at or above offset, or NULL. Locks: [O] held. */
static struct vm_page *
page_at_or_after(vm_object_t object, vm_object_offset_t offset)
{
	struct rb_node *node = object->memq.rbt_root, *best = NULL;

	while (node != NULL) {
		struct vm_page *m = container_of(node, struct vm_page, vmp_node);

		if (m->vmp_offset >= offset) {
			best = node;
			node = node->rb_child[RB_LEFT];
		} else {
			node = node->rb_child[RB_RIGHT];
		}
	}
	return best != NULL ? container_of(best, struct vm_page, vmp_node) : NULL;
}

unsigned
vm_object_chain_foreach(vm_object_t object, vm_object_offset_t offset, vm_object_size_t size,
    void (*fn)(struct vm_page *m, vm_object_offset_t where, void *arg), void *arg)
{
	enum { MAX_DEPTH = 64 };
	vm_object_t chain[MAX_DEPTH];
	vm_object_offset_t base[MAX_DEPTH];	/* offset of the window in chain[i] */
	unsigned depth = 0, seen = 0;

	/* Lock the whole chain, top down (object itself is the caller's). */
	for (vm_object_t o = object; o != VM_OBJECT_NULL && depth < MAX_DEPTH; o = o->shadow) {
		if (o != object)
			vm_object_lock(o);
		base[depth] = depth == 0 ? offset : base[depth - 1] + chain[depth - 1]->vo_shadow_offset;
		chain[depth++] = o;
	}
	/*
	 * Each object's pages in the window, in offset order; one is visible
	 * unless an object above has a page at the same place. The cost is
	 * what is resident, not the window's size.
	 */
	for (unsigned d = 0; d < depth; d++) {
		struct vm_page *m = page_at_or_after(chain[d], base[d]);

		for (; m != NULL && m->vmp_offset - base[d] < size;
		    m = rb_next(&m->vmp_node) != NULL ?
		    container_of(rb_next(&m->vmp_node), struct vm_page, vmp_node) : NULL) {
			vm_object_offset_t where = m->vmp_offset - base[d];
			bool covered = false;

			for (unsigned up = 0; up < d && !covered; up++)
				covered = vm_object_page_lookup(chain[up], base[up] + where) != NULL;
			if (covered)
				continue;
			seen++;
			if (fn != NULL)
				fn(m, where, arg);
		}
	}
	for (unsigned d = depth; d-- > 1; )
		vm_object_unlock(chain[d]);
	return seen;
}

struct copy_ctx {
	vm_object_t	result;
	boolean_t	failed;
};

static void
copy_one(struct vm_page *src, vm_object_offset_t where, void *arg)
{
	struct copy_ctx *c = arg;
	struct vm_page *dst;

	if (c->failed)
		return;
	dst = vm_page_grab(VM_PAGE_USE_OBJECT);
	if (dst == NULL) {
		c->failed = TRUE;
		return;
	}
	memcpy(phystokv(vm_page_to_phys(dst)), phystokv(vm_page_to_phys(src)), PAGE_SIZE);
	/* result is new and seen by nobody else: its lock is only for form. */
	vm_object_lock(c->result);
	vm_object_page_insert(c->result, dst, where);
	vm_object_unlock(c->result);
}

kern_return_t
vm_object_copy_slowly(vm_object_t object, vm_object_offset_t offset, vm_object_size_t size,
    vm_object_t *copy)
{
	struct copy_ctx c;

	size = round_page(size);
	c.result = vm_object_allocate(size);
	c.failed = FALSE;
	if (c.result == VM_OBJECT_NULL)
		return KERN_RESOURCE_SHORTAGE;
	vm_object_lock(object);
	(void)vm_object_chain_foreach(object, offset, size, copy_one, &c);
	vm_object_unlock(object);
	if (c.failed) {
		vm_object_deallocate(c.result);
		return KERN_RESOURCE_SHORTAGE;
	}
	*copy = c.result;
	return KERN_SUCCESS;
}

unsigned
vm_object_shadow_depth(vm_object_t object)
{
	unsigned depth = 0;
	vm_object_t o = object;

	vm_object_lock(o);
	while (o->shadow != VM_OBJECT_NULL) {
		vm_object_t next = o->shadow;

		vm_object_lock(next);
		vm_object_unlock(o);
		o = next;
		depth++;
	}
	vm_object_unlock(o);
	return depth;
}

void
vm_object_get_stats(struct vm_object_stats *out)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&vmo.lock);
	out->vos_objects = vmo.objects;
	hw_lock_unlock(&vmo.lock);
	ml_set_interrupts_enabled(s);
	out->vos_resident_pages = __atomic_load_n(&vmo.resident, __ATOMIC_RELAXED);
	out->vos_collapses = __atomic_load_n(&vmo.collapses, __ATOMIC_RELAXED);
}
