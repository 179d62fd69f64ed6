/*
 * vm_map_copy.h - copies of address-space ranges in transit: the VM side of
 * out-of-line IPC memory and of vm_read, vm_write and vm_copy.
 *
 * A vm_map_copy holds the contents of a range taken out of one map
 * (vm_map_copyin) until it is put into another (vm_map_copyout: a fresh
 * range; vm_map_copy_overwrite: over an existing one) or thrown away
 * (vm_map_copy_discard). It belongs to no map and no task; whoever holds
 * the pointer owns it, and exactly one of copyout, overwrite or discard
 * ends it. A message carrying out-of-line memory holds one per
 * descriptor between send and receive.
 *
 * Two kinds, as in XNU:
 *
 *   VM_MAP_COPY_KERNEL_BUFFER	the bytes themselves, in kalloc memory:
 *				for copies of at most VM_MAP_COPY_KBUF_MAX
 *				bytes (copying a few pages costs less than
 *				setting up copy-on-write and the faults it
 *				brings), and for the kernel's own data
 *				(vm_map_copy_kernel). Taken at copyin.
 *   VM_MAP_COPY_ENTRY_LIST	a list of pieces of VM objects, one per
 *				source map entry, for anything larger: no
 *				page is copied at copyin. Each source entry
 *				is marked needs_copy and write-protected in
 *				the source pmap, exactly as vm_map_fork does
 *				for VM_INHERIT_COPY, and the copy takes a
 *				reference on its object; copyout makes map
 *				entries on those objects, needs_copy too.
 *				The first write on either side gives that
 *				side a shadow and copies the one page
 *				(vm_object.h's symmetric strategy), so the
 *				sender's later writes never show in the
 *				copy or the receiver's range, nor the
 *				receiver's in the sender's. Objects that
 *				cannot be shared that way (true_share, a
 *				range with VM_INHERIT_SHARE or is_shared,
 *				which others may write in place, or a wired
 *				range) are copied at copyin, page by page,
 *				their resident pages only
 *				(vm_object_copy_slowly). A range never
 *				touched is carried as "zeros" (no object).
 *
 * With src_destroy (deallocate-on-send) the source range is removed at
 * copyin: the copy then holds the objects' only references, and the
 * receiver's first write takes an object as it is, without a shadow or a
 * page copy (vm_map_entry_make_private): the pages moved.
 *
 * Where the data lands (vm_map_copyout): *dst_addr is always the address
 * of the first byte of the data. An entry-list copy is mapped from a
 * page-aligned start, and the data keeps its page offset:
 *	*dst_addr == start + (src_addr & PAGE_MASK)
 * and the new range is round_page((src_addr & PAGE_MASK) + size) bytes
 * from start. A kernel-buffer copy lands at a page-aligned *dst_addr, in
 * round_page(size) bytes. Either way the receiver frees it with
 * vm_deallocate(trunc_page(*dst_addr), round_page((*dst_addr & PAGE_MASK)
 * + size)). Bytes around the data within those pages (before the offset,
 * after the end) are the source's neighbouring bytes for an entry list,
 * zeros for a kernel buffer.
 *
 * Not done: copies out of kernel_map (and so of wired kmem) by copyin
 * (use vm_map_copy_kernel); device memory (phys_contiguous objects) is
 * refused; there are no submaps. vm_map_copy_overwrite copies bytes, page
 * by page, even for entry lists: it never replaces the destination's
 * objects (XNU does for large aligned overwrites).
 *
 * Invariants:
 *   - a copy of size 0 is never made: VM_MAP_COPY_NULL stands for it;
 *   - entry list: the pieces are page-aligned, in source order, and their
 *     sizes add up to round_page((offset & PAGE_MASK) + size); each holds
 *     one reference on its object (or has none: zeros);
 *   - kernel buffer: offset is 0 and cpy_kdata holds size bytes;
 *   - vm_map_copy_get_stats counts every copy made and not yet ended.
 *
 * Locks: a copy has one owner and no lock of its own. copyin takes the
 * source map's lock exclusive (then the objects', as vm_map.h orders
 * them); copyout the destination map's. Neither holds two maps at once,
 * nor any map or object lock across copyin/copyout of user bytes.
 * The caller holds no map or object lock.
 */

#ifndef MACH_VM_VM_MAP_COPY_H
#define MACH_VM_VM_MAP_COPY_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern_return.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_object.h"
#include "mach/vm_types.h"

/* Copies of at most this many bytes are kernel buffers (XNU's msg_ool_size_small). */
#define VM_MAP_COPY_KBUF_MAX		(2 * PAGE_SIZE)

/* Kinds (cpy_type). */
#define VM_MAP_COPY_ENTRY_LIST		1
#define VM_MAP_COPY_KERNEL_BUFFER	3

/* One piece of an entry-list copy. */
struct vm_map_copy_entry {
	struct vm_map_copy_entry *vmce_next;	/* the piece above, or NULL */
	vm_object_t		vmce_object;	/* its data; NULL: zeros */
	vm_object_offset_t	vmce_offset;	/* of the piece's start in vmce_object */
	vm_map_size_t		vmce_size;	/* bytes, a page multiple */
};

struct vm_map_copy {
	int			cpy_type;	/* VM_MAP_COPY_* */
	vm_map_offset_t		offset;		/* entry list: the source address */
	vm_map_size_t		size;		/* bytes of data */
	struct vm_map_copy_entry *cpy_entries;	/* entry list: the first piece */
	void			*cpy_kdata;	/* kernel buffer: the bytes */
};

typedef struct vm_map_copy *vm_map_copy_t;
#define VM_MAP_COPY_NULL	((vm_map_copy_t)0)

/* vm_map_copy_bootstrap: the zones of copies and their pieces. After vm_map_bootstrap. */
void		vm_map_copy_bootstrap(void);

/*
 * vm_map_copyin: capture [src_addr, src_addr + len) of src_map (any
 * alignment) in *copy_result; with src_destroy, then remove the pages
 * holding it from src_map (whole pages: the bytes around the range in its
 * first and last page go too, as in XNU).
 * Returns KERN_SUCCESS (len 0: *copy_result is VM_MAP_COPY_NULL);
 *   KERN_INVALID_ARGUMENT	src_map or copy_result NULL, src_map is
 *				kernel_map, or the range maps device memory;
 *   KERN_INVALID_ADDRESS	the range wraps, leaves the map, or has a hole;
 *   KERN_PROTECTION_FAILURE	part of it is not readable;
 *   KERN_RESOURCE_SHORTAGE	memory ran out.
 * On failure src_map is as it was and nothing is held.
 * Locks: none held; takes src_map's (exclusive for an entry list).
 */
kern_return_t	vm_map_copyin(vm_map_t src_map, vm_map_address_t src_addr, vm_map_size_t len,
		    boolean_t src_destroy, vm_map_copy_t *copy_result);

/*
 * vm_map_copyout: map copy into dst_map at a fresh range chosen anywhere,
 * VM_PROT_DEFAULT (max VM_PROT_ALL), VM_INHERIT_DEFAULT; *dst_addr is the
 * first byte of the data (see above). Consumes copy on success only; on
 * failure the caller still owns it, unchanged. VM_MAP_COPY_NULL gives
 * *dst_addr 0 and success.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (dst_map or dst_addr NULL,
 * dst_map is kernel_map); KERN_NO_SPACE; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t	vm_map_copyout(vm_map_t dst_map, vm_map_address_t *dst_addr,
		    vm_map_copy_t copy);

/*
 * vm_map_copy_overwrite: write copy's size bytes at dst_addr (any
 * alignment) of dst_map, over memory that must be mapped and writable
 * throughout; byte copies, page by page, through the destination's own
 * faults (so its copy-on-write ranges get their private pages).
 * Consumes copy on success only. VM_MAP_COPY_NULL: success, nothing done.
 * interruptible is accepted and ignored: nothing here waits.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (dst_map NULL or
 * kernel_map); KERN_INVALID_ADDRESS (wraps, outside the map, a hole);
 * KERN_PROTECTION_FAILURE (not writable); checked before any byte is
 * written. KERN_RESOURCE_SHORTAGE if memory ran out while writing, or
 * KERN_INVALID_ADDRESS if another thread unmapped the range meanwhile:
 * the destination may then be partly written.
 */
kern_return_t	vm_map_copy_overwrite(vm_map_t dst_map, vm_map_address_t dst_addr,
		    vm_map_copy_t copy, boolean_t interruptible);

/* vm_map_copy_discard: end copy unused (a message destroyed unreceived). NULL is fine. */
void		vm_map_copy_discard(vm_map_copy_t copy);

/*
 * vm_map_copy_kernel: a kernel-buffer copy of len bytes at kaddr (kernel
 * memory the caller may read), for the kernel's own replies (vm_read's,
 * task_threads' arrays). len 0 gives VM_MAP_COPY_NULL. KERN_INVALID_
 * ARGUMENT (copy_result NULL, or kaddr NULL with len), KERN_RESOURCE_
 * SHORTAGE.
 */
kern_return_t	vm_map_copy_kernel(vm_map_copy_t *copy_result, const void *kaddr,
		    vm_map_size_t len);

/* The data's size in bytes (0 for VM_MAP_COPY_NULL). */
vm_map_size_t	vm_map_copy_size(vm_map_copy_t copy);

/* Copies alive (made and not yet ended), for tests and leak checks. */
struct vm_map_copy_stats {
	uint64_t	vmcs_live;		/* copies */
	uint64_t	vmcs_entries;		/* entry-list pieces */
	uint64_t	vmcs_kbuf_bytes;	/* bytes held in kernel buffers */
	uint64_t	vmcs_made;		/* copies made, ever */
};

void		vm_map_copy_get_stats(struct vm_map_copy_stats *out);

#endif /* MACH_VM_VM_MAP_COPY_H */
