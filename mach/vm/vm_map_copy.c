/*
 * vm_map_copy.c - copies of address-space ranges in transit (vm_map_copy.h).
 *
 * The code is in four parts: making and freeing the copy itself; copyin
 * (a kernel buffer filled by copyin(9) from the borrowed source map, or
 * an entry list captured under the source map's lock); copyout (a fresh
 * range: the bytes copied out, or map entries made on the pieces'
 * objects); and overwrite (bytes, through a bounce page).
 *
 * A copy is built completely before anything a task can see changes,
 * and given away completely or not at all: copyout links its entries with
 * references of their own and drops the copy's only once every one is in
 * place, so a failure halfway removes what it linked and hands the copy
 * back as it was.
 */

#include "mach/vm/vm_map_copy.h"

#include "bsd/sys/errno.h"
#include "kernel/copyio.h"
#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_map_internal.h"
#include "mach/vm/vm_page.h"

/* Locks: [I] set at bootstrap; [a] atomic. A copy itself has one owner. */
static struct {
	zone_t				copy_zone;	/* [I] struct vm_map_copy */
	zone_t				entry_zone;	/* [I] struct vm_map_copy_entry */
	struct vm_map_copy_stats	stats;		/* [a] */
} vmc;

#define STAT_ADD(field, n) \
	__atomic_add_fetch(&vmc.stats.field, (uint64_t)(n), __ATOMIC_RELAXED)
#define STAT_SUB(field, n) \
	__atomic_sub_fetch(&vmc.stats.field, (uint64_t)(n), __ATOMIC_RELAXED)

void
vm_map_copy_bootstrap(void)
{
	vmc.copy_zone = zinit(sizeof(struct vm_map_copy), 0, 0, "VM map copies");
	vmc.entry_zone = zinit(sizeof(struct vm_map_copy_entry), 0, 0, "VM map copy entries");
	if (vmc.copy_zone == ZONE_NULL || vmc.entry_zone == ZONE_NULL)
		panic("vm_map_copy_bootstrap: no memory for the copy zones");
}

/* --- copies -------------------------------------------------------------------- */

/* A new, empty copy of the given kind, or NULL if memory ran out. */
static vm_map_copy_t
copy_alloc(int type, vm_map_offset_t offset, vm_map_size_t size)
{
	vm_map_copy_t copy = zalloc(vmc.copy_zone);

	if (copy == VM_MAP_COPY_NULL)
		return VM_MAP_COPY_NULL;
	memset(copy, 0, sizeof(*copy));
	copy->cpy_type = type;
	copy->offset = offset;
	copy->size = size;
	STAT_ADD(vmcs_live, 1);
	STAT_ADD(vmcs_made, 1);
	return copy;
}

/* A kernel-buffer copy with room for size bytes (not yet filled), or NULL. */
static vm_map_copy_t
copy_alloc_kbuf(vm_map_size_t size)
{
	vm_map_copy_t copy;
	void *data = kalloc(size);

	if (data == NULL)
		return VM_MAP_COPY_NULL;
	copy = copy_alloc(VM_MAP_COPY_KERNEL_BUFFER, 0, size);
	if (copy == VM_MAP_COPY_NULL) {
		kfree(data, size);
		return VM_MAP_COPY_NULL;
	}
	copy->cpy_kdata = data;
	STAT_ADD(vmcs_kbuf_bytes, size);
	return copy;
}

/*
 * Free copy and its pieces; the pieces' object references must already be
 * gone (dropped, or handed to a map).
 */
static void
copy_free(vm_map_copy_t copy)
{
	struct vm_map_copy_entry *ce, *next;

	for (ce = copy->cpy_entries; ce != NULL; ce = next) {
		next = ce->vmce_next;
		zfree(vmc.entry_zone, ce);
		STAT_SUB(vmcs_entries, 1);
	}
	if (copy->cpy_kdata != NULL) {
		kfree(copy->cpy_kdata, copy->size);
		STAT_SUB(vmcs_kbuf_bytes, copy->size);
	}
	STAT_SUB(vmcs_live, 1);
	zfree(vmc.copy_zone, copy);
}

void
vm_map_copy_discard(vm_map_copy_t copy)
{
	if (copy == VM_MAP_COPY_NULL)
		return;
	for (struct vm_map_copy_entry *ce = copy->cpy_entries; ce != NULL; ce = ce->vmce_next) {
		vm_object_deallocate(ce->vmce_object);
		ce->vmce_object = VM_OBJECT_NULL;
	}
	copy_free(copy);
}

vm_map_size_t
vm_map_copy_size(vm_map_copy_t copy)
{
	return copy == VM_MAP_COPY_NULL ? 0 : copy->size;
}

void
vm_map_copy_get_stats(struct vm_map_copy_stats *out)
{
	out->vmcs_live = __atomic_load_n(&vmc.stats.vmcs_live, __ATOMIC_RELAXED);
	out->vmcs_entries = __atomic_load_n(&vmc.stats.vmcs_entries, __ATOMIC_RELAXED);
	out->vmcs_kbuf_bytes = __atomic_load_n(&vmc.stats.vmcs_kbuf_bytes, __ATOMIC_RELAXED);
	out->vmcs_made = __atomic_load_n(&vmc.stats.vmcs_made, __ATOMIC_RELAXED);
}

kern_return_t
vm_map_copy_kernel(vm_map_copy_t *copy_result, const void *kaddr, vm_map_size_t len)
{
	vm_map_copy_t copy;

	if (copy_result == NULL || (kaddr == NULL && len != 0))
		return KERN_INVALID_ARGUMENT;
	*copy_result = VM_MAP_COPY_NULL;
	if (len == 0)
		return KERN_SUCCESS;
	copy = copy_alloc_kbuf(len);
	if (copy == VM_MAP_COPY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(copy->cpy_kdata, kaddr, len);
	*copy_result = copy;
	return KERN_SUCCESS;
}

/* --- ranges ---------------------------------------------------------------------- */

/*
 * The pages [*start, *end) holding the bytes [addr, addr + len), len > 0,
 * if they lie inside map. KERN_INVALID_ADDRESS if the range wraps (or
 * does when rounded to pages) or leaves the map.
 */
static kern_return_t
page_range(vm_map_t map, vm_map_address_t addr, vm_map_size_t len, vm_map_offset_t *start,
    vm_map_offset_t *end)
{
	vm_map_address_t last = addr + len;

	if (last < addr || round_page(last) < last)
		return KERN_INVALID_ADDRESS;
	*start = trunc_page(addr);
	*end = round_page(last);
	if (*start < vm_map_min(map) || *end > vm_map_max(map))
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

/*
 * Is [start, end) mapped throughout, by entries that all allow prot and
 * map ordinary memory? KERN_INVALID_ADDRESS for a hole,
 * KERN_PROTECTION_FAILURE for a protection, KERN_INVALID_ARGUMENT for
 * kmem or device memory; whichever comes first going up. Locks: [M] held.
 */
static kern_return_t
range_check_locked(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end, vm_prot_t prot)
{
	vm_map_entry_t entry, next;

	if (!vm_map_lookup_entry(map, start, &entry))
		return KERN_INVALID_ADDRESS;
	for (;;) {
		vm_object_t object = entry->vme_object;

		if (object == kernel_object || (object != VM_OBJECT_NULL && object->phys_contiguous))
			return KERN_INVALID_ARGUMENT;
		if ((entry->protection & prot) != prot)
			return KERN_PROTECTION_FAILURE;
		if (entry->vme_end >= end)
			return KERN_SUCCESS;
		next = vm_map_entry_successor(entry);
		if (next == VM_MAP_ENTRY_NULL || next->vme_start != entry->vme_end)
			return KERN_INVALID_ADDRESS;
		entry = next;
	}
}

/* As range_check_locked, taking map's lock shared for it. */
static kern_return_t
range_check(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end, vm_prot_t prot)
{
	kern_return_t kr;

	vm_map_lock_read(map);
	kr = range_check_locked(map, start, end, prot);
	vm_map_unlock_read(map);
	return kr;
}

/* --- copyin ---------------------------------------------------------------------- */

/*
 * A kernel-buffer copy of [addr, addr + len), whose pages are [start,
 * end): checked under the map's lock, then copied with copyin(9) in the
 * borrowed map, so that faults bring in what is not resident. A fault
 * here means the range changed since the check (KERN_INVALID_ADDRESS).
 */
static kern_return_t
copyin_kernel_buffer(vm_map_t map, vm_map_address_t addr, vm_map_size_t len,
    vm_map_offset_t start, vm_map_offset_t end, boolean_t src_destroy,
    vm_map_copy_t *copy_result)
{
	vm_map_copy_t copy;
	vm_map_t old;
	kern_return_t kr;
	int error;

	if ((kr = range_check(map, start, end, VM_PROT_READ)) != KERN_SUCCESS)
		return kr;
	copy = copy_alloc_kbuf(len);
	if (copy == VM_MAP_COPY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	old = vm_map_switch(map);
	error = copyin(addr, copy->cpy_kdata, len);
	(void)vm_map_switch(old);
	if (error != 0) {
		copy_free(copy);
		return KERN_INVALID_ADDRESS;
	}
	if (src_destroy && (kr = vm_map_remove(map, start, end)) != KERN_SUCCESS) {
		copy_free(copy);
		return kr;
	}
	*copy_result = copy;
	return KERN_SUCCESS;
}

/*
 * Capture one source entry in ce: a reference on its object, shared
 * copy-on-write (the entry marked needs_copy and write-protected in the
 * pmap), or a copy of its pages made now when its object cannot be shared
 * that way. Locks: [M] exclusive. KERN_RESOURCE_SHORTAGE if a copy made
 * now found no memory (the entry is unchanged).
 */
static kern_return_t
capture_entry_locked(vm_map_t map, vm_map_entry_t entry, struct vm_map_copy_entry *ce)
{
	vm_object_t object = entry->vme_object;
	vm_map_size_t size = entry->vme_end - entry->vme_start;
	boolean_t slowly;

	ce->vmce_size = size;
	if (object == VM_OBJECT_NULL)
		return KERN_SUCCESS;		/* never touched: zeros */
	/*
	 * Memory someone else writes in place (a shared range: a MAP_SHARED
	 * file's object is written by write(2) too, and is not marked
	 * true_share until a fork shares it) cannot be made copy-on-write
	 * behind their back; nor can wired pages, which must stay writable.
	 */
	vm_object_lock(object);
	slowly = object->true_share || entry->wired_count != 0 || entry->is_shared ||
	    entry->inheritance == VM_INHERIT_SHARE;
	if (!slowly) {
		/* A shadow nobody else needs goes first, as vm_map_fork does. */
		if (object->shadow != VM_OBJECT_NULL)
			vm_object_collapse(object);
		object->ref_count++;
	}
	vm_object_unlock(object);
	if (slowly) {
		ce->vmce_offset = 0;
		return vm_object_copy_slowly(object, entry->vme_offset, size, &ce->vmce_object);
	}
	/* A needs_copy entry has no writable mapping already (vm_fault). */
	if ((entry->protection & VM_PROT_WRITE) && !entry->needs_copy)
		pmap_protect(map->pmap, entry->vme_start, entry->vme_end,
		    entry->protection & ~VM_PROT_WRITE);
	entry->needs_copy = TRUE;
	ce->vmce_object = object;
	ce->vmce_offset = entry->vme_offset;
	return KERN_SUCCESS;
}

/*
 * Capture the entries from first up to end (clipped to end there) as
 * copy's pieces. Locks: [M] exclusive. On failure the pieces made so far
 * stay on copy, for the caller to discard.
 */
static kern_return_t
capture_range_locked(vm_map_t map, vm_map_entry_t first, vm_map_offset_t end,
    vm_map_copy_t copy)
{
	struct vm_map_copy_entry **tail = &copy->cpy_entries;
	kern_return_t kr;

	for (vm_map_entry_t e = first; e != VM_MAP_ENTRY_NULL && e->vme_start < end;
	    e = vm_map_entry_successor(e)) {
		struct vm_map_copy_entry *ce = zalloc(vmc.entry_zone);

		if (ce == NULL)
			return KERN_RESOURCE_SHORTAGE;
		memset(ce, 0, sizeof(*ce));
		STAT_ADD(vmcs_entries, 1);
		*tail = ce;
		tail = &ce->vmce_next;
		if ((kr = capture_entry_locked(map, e, ce)) != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

/*
 * An entry-list copy of [addr, addr + len), whose pages are [start, end):
 * everything checked, the ends clipped, each entry captured, then (with
 * src_destroy) the range removed, all under the map's lock held
 * exclusive. A failure leaves entries marked needs_copy, which nobody
 * can tell from before: the next write takes the object as it is.
 */
static kern_return_t
copyin_entry_list(vm_map_t map, vm_map_address_t addr, vm_map_size_t len,
    vm_map_offset_t start, vm_map_offset_t end, boolean_t src_destroy,
    vm_map_copy_t *copy_result)
{
	vm_map_copy_t copy = copy_alloc(VM_MAP_COPY_ENTRY_LIST, addr, len);
	vm_map_entry_t first;
	kern_return_t kr;

	if (copy == VM_MAP_COPY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	vm_map_lock(map);
	kr = range_check_locked(map, start, end, VM_PROT_READ);
	if (kr == KERN_SUCCESS) {
		first = vm_map_clip_range_locked(map, start, end, &kr);
		if (first != VM_MAP_ENTRY_NULL)
			kr = capture_range_locked(map, first, end, copy);
	}
	if (kr == KERN_SUCCESS && src_destroy)
		kr = vm_map_delete_locked(map, start, end);	/* clipped already: cannot fail */
	else
		vm_map_simplify_range_locked(map, start, end);
	vm_map_unlock(map);
	if (kr != KERN_SUCCESS) {
		vm_map_copy_discard(copy);
		return kr;
	}
	*copy_result = copy;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_copyin(vm_map_t src_map, vm_map_address_t src_addr, vm_map_size_t len,
    boolean_t src_destroy, vm_map_copy_t *copy_result)
{
	vm_map_offset_t start, end;
	kern_return_t kr;

	if (copy_result == NULL || src_map == VM_MAP_NULL || src_map == kernel_map)
		return KERN_INVALID_ARGUMENT;
	*copy_result = VM_MAP_COPY_NULL;
	if (len == 0)
		return KERN_SUCCESS;
	if ((kr = page_range(src_map, src_addr, len, &start, &end)) != KERN_SUCCESS)
		return kr;
	if (len <= VM_MAP_COPY_KBUF_MAX)
		return copyin_kernel_buffer(src_map, src_addr, len, start, end, src_destroy,
		    copy_result);
	return copyin_entry_list(src_map, src_addr, len, start, end, src_destroy, copy_result);
}

/* --- copyout ---------------------------------------------------------------------- */

/* Copy len bytes from the kernel to uaddr of map, borrowing it. 0 or EFAULT. */
static int
write_user(vm_map_t map, vm_map_address_t uaddr, const void *kaddr, vm_map_size_t len)
{
	vm_map_t old = vm_map_switch(map);
	int error = copyout(kaddr, uaddr, len);

	(void)vm_map_switch(old);
	return error;
}

static kern_return_t
copyout_kernel_buffer(vm_map_t map, vm_map_address_t *dst_addr, vm_map_copy_t copy)
{
	vm_map_offset_t addr = 0;
	vm_map_size_t size = round_page(copy->size);
	kern_return_t kr;

	kr = vm_map_enter(map, &addr, size, 0, VM_FLAGS_ANYWHERE, VM_OBJECT_NULL, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT);
	if (kr != KERN_SUCCESS)
		return kr;
	if (write_user(map, addr, copy->cpy_kdata, copy->size) != 0) {
		/* Another thread of the task unmapped it, or no page was free. */
		(void)vm_map_remove(map, addr, addr + size);
		return KERN_RESOURCE_SHORTAGE;
	}
	copy_free(copy);
	*dst_addr = addr;
	return KERN_SUCCESS;
}

/*
 * Map each piece of copy in turn from start: a new entry on the piece's
 * object with a reference of its own (the copy keeps its reference until
 * the whole copy is in place). On failure returns where it stopped in
 * *linked_end. Locks: [M] exclusive; [start, start + the pieces' size) free.
 */
static kern_return_t
copyout_link_locked(vm_map_t map, vm_map_entry_t after, vm_map_offset_t start,
    vm_map_copy_t copy, vm_map_offset_t *linked_end)
{
	vm_map_offset_t addr = start;

	for (struct vm_map_copy_entry *ce = copy->cpy_entries; ce != NULL; ce = ce->vmce_next) {
		vm_map_entry_t entry = vm_map_entry_create();

		if (entry == VM_MAP_ENTRY_NULL) {
			*linked_end = addr;
			return KERN_RESOURCE_SHORTAGE;
		}
		entry->vme_object = ce->vmce_object;
		entry->vme_offset = ce->vmce_offset;
		entry->protection = VM_PROT_DEFAULT;
		entry->max_protection = VM_PROT_ALL;
		entry->inheritance = VM_INHERIT_DEFAULT;
		/* Shared with the source (or a copy only this entry has: taken as is). */
		entry->needs_copy = ce->vmce_object != VM_OBJECT_NULL;
		vm_object_reference(ce->vmce_object);
		vm_map_entry_insert_locked(map, after, entry, addr, ce->vmce_size);
		after = entry;
		addr += ce->vmce_size;
	}
	*linked_end = addr;
	return KERN_SUCCESS;
}

static kern_return_t
copyout_entry_list(vm_map_t map, vm_map_address_t *dst_addr, vm_map_copy_t copy)
{
	vm_map_size_t size = round_page((copy->offset & PAGE_MASK) + copy->size);
	vm_map_offset_t start, linked_end;
	vm_map_entry_t after;
	kern_return_t kr;

	vm_map_lock(map);
	kr = vm_map_find_space_anywhere_locked(map, size, &start, &after);
	if (kr == KERN_SUCCESS) {
		kr = copyout_link_locked(map, after, start, copy, &linked_end);
		if (kr != KERN_SUCCESS)
			(void)vm_map_delete_locked(map, start, linked_end);	/* whole entries */
		else
			vm_map_simplify_range_locked(map, start, start + size);
	}
	vm_map_unlock(map);
	if (kr != KERN_SUCCESS)
		return kr;
	assert(linked_end == start + size);
	*dst_addr = start + (copy->offset & PAGE_MASK);
	/* The map holds its own references now: the copy's go. */
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}

kern_return_t
vm_map_copyout(vm_map_t dst_map, vm_map_address_t *dst_addr, vm_map_copy_t copy)
{
	if (dst_map == VM_MAP_NULL || dst_addr == NULL || dst_map == kernel_map)
		return KERN_INVALID_ARGUMENT;
	if (copy == VM_MAP_COPY_NULL) {
		*dst_addr = 0;
		return KERN_SUCCESS;
	}
	if (copy->cpy_type == VM_MAP_COPY_KERNEL_BUFFER)
		return copyout_kernel_buffer(dst_map, dst_addr, copy);
	if (copy->cpy_type != VM_MAP_COPY_ENTRY_LIST)
		panic("vm_map_copyout: copy %p has no kind (%d)", copy, copy->cpy_type);
	return copyout_entry_list(dst_map, dst_addr, copy);
}

/* --- overwrite ------------------------------------------------------------------- */

/*
 * Read n bytes at offset off of piece ce (not crossing a page) into buf:
 * the page its object's chain shows there, or zeros. Locks: none held;
 * takes the chain's.
 */
static void
piece_read(struct vm_map_copy_entry *ce, vm_map_offset_t off, void *buf, vm_map_size_t n)
{
	vm_object_t object = ce->vmce_object, owner;
	struct vm_page *m;

	assert((off & PAGE_MASK) + n <= PAGE_SIZE);
	if (object == VM_OBJECT_NULL) {
		memset(buf, 0, n);
		return;
	}
	vm_object_lock(object);
	m = vm_object_chain_lookup(object, ce->vmce_offset + trunc_page(off), &owner);
	if (m != NULL)
		memcpy(buf, (const char *)phystokv(vm_page_to_phys(m)) + (off & PAGE_MASK), n);
	else
		memset(buf, 0, n);
	if (owner != VM_OBJECT_NULL && owner != object)
		vm_object_unlock(owner);
	vm_object_unlock(object);
}

/*
 * Write an entry list's bytes at uaddr of the current map, a page of the
 * source at a time through bounce (no object lock is held while copyout
 * faults). 0 or EFAULT.
 */
static int
overwrite_entry_list(vm_map_copy_t copy, vm_map_address_t uaddr, void *bounce)
{
	vm_map_size_t left = copy->size;
	vm_map_offset_t off = copy->offset & PAGE_MASK;

	for (struct vm_map_copy_entry *ce = copy->cpy_entries; ce != NULL && left != 0;
	    ce = ce->vmce_next) {
		for (; off < ce->vmce_size && left != 0; ) {
			vm_map_size_t n = MIN(PAGE_SIZE - (off & PAGE_MASK), left);

			piece_read(ce, off, bounce, n);
			if (copyout(bounce, uaddr, n) != 0)
				return EFAULT;
			off += n;
			uaddr += n;
			left -= n;
		}
		off = 0;
	}
	return 0;
}

kern_return_t
vm_map_copy_overwrite(vm_map_t dst_map, vm_map_address_t dst_addr, vm_map_copy_t copy,
    boolean_t interruptible)
{
	vm_map_offset_t start, end;
	kern_return_t kr;
	void *bounce;
	vm_map_t old;
	int error;

	(void)interruptible;
	if (copy == VM_MAP_COPY_NULL)
		return KERN_SUCCESS;
	if (dst_map == VM_MAP_NULL || dst_map == kernel_map)
		return KERN_INVALID_ARGUMENT;
	if ((kr = page_range(dst_map, dst_addr, copy->size, &start, &end)) != KERN_SUCCESS)
		return kr;
	if ((kr = range_check(dst_map, start, end, VM_PROT_WRITE)) != KERN_SUCCESS)
		return kr;
	if (copy->cpy_type == VM_MAP_COPY_KERNEL_BUFFER) {
		error = write_user(dst_map, dst_addr, copy->cpy_kdata, copy->size);
	} else {
		bounce = kalloc(PAGE_SIZE);
		if (bounce == NULL)
			return KERN_RESOURCE_SHORTAGE;
		old = vm_map_switch(dst_map);
		error = overwrite_entry_list(copy, dst_addr, bounce);
		(void)vm_map_switch(old);
		kfree(bounce, PAGE_SIZE);
	}
	if (error != 0)
		return KERN_INVALID_ADDRESS;
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}
