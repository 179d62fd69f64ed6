/*
 * vm_object.h - VM objects: the memory a map entry maps.
 *
 * A vm_object is a sized, offset-addressed container of pages. Anonymous
 * memory (vm_allocate) is an internal object whose pages appear zero-filled
 * on first touch. An object may be backed by another: the shadow chain.
 * A page missing from an object is looked up in its shadow (at offset +
 * vo_shadow_offset), and so on down the chain; a page found nowhere is
 * zero-filled into the top object.
 *
 * Copy-on-write is built from shadows, with XNU's symmetric strategy: a
 * copy makes both map entries point at the same object with needs_copy
 * set, and write-protects it in the source pmap. The first write through
 * either entry gives that entry a new, empty object shadowing the old one
 * (vm_object_shadow); a written page is copied up into it. The other side
 * keeps the old object, and does the same when it writes.
 *
 * Shadows nobody needs any more are collapsed: when an object's shadow is
 * referenced by that object alone, its pages that are still visible move
 * up, the rest are freed, and the chain gets one shorter
 * (vm_object_collapse). The fault handler tries it whenever it finds a
 * chain; vm_region reports the depth.
 *
 * An object mapped by more than one map without copy-on-write (shared
 * inheritance, named entries) is marked true_share: copies of it are then
 * made at once, page by page (vm_object_copy_slowly), since the symmetric
 * strategy cannot write-protect the other maps' mappings.
 *
 * kernel_object is special: it backs kernel_map's wired allocations
 * (kmem_alloc, stacks), whose pages are found through the kernel pmap and
 * are never in any object's page tree. It is never freed, and references
 * to it are not counted.
 *
 * Invariants:
 *   - a page is in at most one object, at one page-aligned offset, and
 *     vo_resident_page_count counts the object's pages;
 *   - ref_count counts map entries, named entries, shadowing objects and
 *     transient holders; an object is freed when it drops to 0, and its
 *     reference on its shadow goes with it;
 *   - an object's shadow is never true_share-d behind its back: sharing
 *     an object that has a shadow is allowed, but collapse only merges a
 *     shadow whose ref_count is 1.
 *
 * Locks for struct vm_object:
 *   [O] the object's lock (a lck_mtx; page copies are done holding it)
 *   [I] set at creation
 *   [a] atomic
 * Lock order: map lock, then object locks from the top of a shadow chain
 * down, then the pmap's locks, then the page queues, then vm_phys.
 */

#ifndef MACH_VM_VM_OBJECT_H
#define MACH_VM_VM_OBJECT_H

#include <stdint.h>

#include "libkern/queue.h"
#include "libkern/rbtree.h"
#include "mach/boolean.h"
#include "mach/kern/locks.h"
#include "mach/kern_return.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

/* The largest object: kernel_object spans the kernel_map. */
#define VM_MAX_KERNEL_OBJECT_SIZE	(1ULL << 39)

struct vm_page;

/* How a copy of the object is made (XNU's memory_object_copy_strategy_t). */
#define MEMORY_OBJECT_COPY_NONE		0	/* copy at once, page by page */
#define MEMORY_OBJECT_COPY_SYMMETRIC	2	/* shadows, both sides needs_copy */

struct vm_object {
	lck_mtx_t		Lock;
	uint32_t		ref_count;		/* [O] */
	uint32_t		vo_resident_page_count;	/* [O] pages in memq */
	vm_object_size_t	vo_size;		/* [O] bytes */
	struct rb_tree		memq;			/* [O] resident pages by offset */
	struct vm_object	*shadow;		/* [O] backing object, or NULL */
	vm_object_offset_t	vo_shadow_offset;	/* [O] our offset 0 in shadow */
	int			copy_strategy;		/* [O] MEMORY_OBJECT_COPY_* */
	boolean_t		internal;		/* [I] anonymous memory */
	boolean_t		true_share;		/* [O] mapped shared somewhere */
	boolean_t		named;			/* [O] a named entry refers to it */
	boolean_t		phys_contiguous;	/* [I] device memory, see below */
	pmap_paddr_t		vo_phys_base;		/* [I] phys_contiguous: offset 0 */
	unsigned		wimg_bits;		/* [I] PMAP_CACHE_* for its pages */
	TAILQ_ENTRY(vm_object)	vo_link;		/* every object, for debuggers */
};

typedef struct vm_object *vm_object_t;
#define VM_OBJECT_NULL	((vm_object_t)0)

extern vm_object_t kernel_object;

/* vm_object_bootstrap: the object zone, kernel_object. */
void		vm_object_bootstrap(void);

/*
 * vm_object_allocate: a new internal object of size bytes (page-aligned),
 * empty, with one reference. NULL if memory ran out.
 */
vm_object_t	vm_object_allocate(vm_object_size_t size);

/*
 * vm_object_allocate_phys: an object whose page at offset o is the device
 * or RAM page at base + o, never copied or freed (IOKit maps device memory
 * with it). The pages are not managed: no vm_page is touched.
 */
vm_object_t	vm_object_allocate_phys(pmap_paddr_t base, vm_object_size_t size,
		    unsigned wimg_bits);

void		vm_object_reference(vm_object_t object);

/*
 * vm_object_deallocate: drop a reference. The last one frees the object's
 * pages (none may still be mapped: every map entry that mapped them held
 * a reference and removed its mappings first) and drops its reference on
 * its shadow, iteratively down the chain.
 */
void		vm_object_deallocate(vm_object_t object);

#define vm_object_lock(o)	lck_mtx_lock(&(o)->Lock)
#define vm_object_unlock(o)	lck_mtx_unlock(&(o)->Lock)

/* vm_object_page_lookup: the page at offset, or NULL. Locks: [O] held. */
struct vm_page	*vm_object_page_lookup(vm_object_t object, vm_object_offset_t offset);

/*
 * vm_object_page_insert: put page m, which belongs to no object, at
 * offset. Locks: [O] held.
 */
void		vm_object_page_insert(vm_object_t object, struct vm_page *m,
		    vm_object_offset_t offset);

/*
 * vm_object_page_remove: take m out of its object and free it, removing
 * every mapping of it first. Locks: [O] held.
 */
void		vm_object_page_free(vm_object_t object, struct vm_page *m);

/*
 * vm_object_shadow: give *object a shadow, for a copy-on-write entry about
 * to be written: a new object of length bytes whose shadow is *object at
 * *offset. The entry's reference moves to the new object, which replaces
 * *object; *offset becomes 0. FALSE if memory ran out (nothing changed).
 */
boolean_t	vm_object_shadow(vm_object_t *object, vm_object_offset_t *offset,
		    vm_object_size_t length);

/*
 * vm_object_collapse: merge object's shadow into it, as long as the
 * shadow is referenced by object alone. Locks: [O] of object held; takes
 * the shadows' locks.
 */
void		vm_object_collapse(vm_object_t object);

/*
 * vm_object_copy_slowly: a new object of size bytes holding a copy of
 * what object shows at [offset, offset + size) (pages found down its
 * shadow chain are copied; absent ones stay absent, so they read as
 * zeros). KERN_RESOURCE_SHORTAGE if memory ran out (nothing is left
 * behind).
 */
kern_return_t	vm_object_copy_slowly(vm_object_t object, vm_object_offset_t offset,
		    vm_object_size_t size, vm_object_t *copy);

/*
 * vm_object_chain_lookup: the page object's shadow chain shows at offset
 * (the first object down the chain that has one), with the object it
 * belongs to in *owner, left locked for the caller unless it is object
 * itself; NULL (and *owner NULL) if no object has one. Locks: [O] of
 * object held; takes the shadows' locks on the way down.
 */
struct vm_page	*vm_object_chain_lookup(vm_object_t object, vm_object_offset_t offset,
		    vm_object_t *owner);

/*
 * vm_object_chain_foreach: call fn for every page object's chain shows in
 * [offset, offset + size) (each offset once, at the topmost object that
 * has a page there), with its offset in the window; returns how many.
 * The cost is the pages resident in the chain, not the window's size.
 * Only the first 64 objects of a chain are looked at. Locks: [O] of
 * object held; takes the shadows' locks for the walk; fn runs with the
 * whole chain locked and must not take any of those locks again.
 */
unsigned	vm_object_chain_foreach(vm_object_t object, vm_object_offset_t offset,
		    vm_object_size_t size,
		    void (*fn)(struct vm_page *m, vm_object_offset_t where, void *arg),
		    void *arg);

/* vm_object_shadow_depth: how many shadows lie below object. Locks: none held. */
unsigned	vm_object_shadow_depth(vm_object_t object);

/* Every object, for tests and debuggers. */
struct vm_object_stats {
	uint64_t	vos_objects;		/* live objects */
	uint64_t	vos_resident_pages;	/* pages in their trees */
	uint64_t	vos_collapses;		/* shadows merged away, ever */
};

void		vm_object_get_stats(struct vm_object_stats *out);

#endif /* MACH_VM_VM_OBJECT_H */
