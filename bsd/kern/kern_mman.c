/*
 * kern_mman.c - the memory system calls, Linux's (docs/vm.md, "The
 * memory calls"): mmap, munmap, mprotect, brk, madvise, msync, on the
 * task's Mach map.
 *
 * Anonymous memory is vm_map_enter with no object (zero-filled on first
 * touch); MAP_SHARED memory is inherited shared by a fork, MAP_PRIVATE
 * copied. A file is mapped through the object the VFS gives for it
 * (vn_mmap_object): the object itself for MAP_SHARED, a copy-on-write
 * copy for MAP_PRIVATE. Without a placement hint, mappings go at or above
 * the process's p_mmap_base (MMAP_BASE less its random slide, set at
 * exec: kern_aslr.h), far from the program's break, which grows up from
 * the end of its image (p_brk_start, set at exec).
 *
 * Locks: the map's own; p_brk_start and p_brk under proc_lock.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/kern/kern_aslr.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/file_internal.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/machine/vm_param.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_object.h"
#include "mach/vm_inherit.h"
#include "mach/vm_region.h"
#include "mach/vm_statistics.h"

#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define PROT_EXEC		0x4
#define PROT_GROWSDOWN		0x01000000
#define PROT_GROWSUP		0x02000000

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_KNOWN		(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | \
				 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | \
				 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | \
				 MAP_FIXED_NOREPLACE)

#define MS_ASYNC		1
#define MS_INVALIDATE		2
#define MS_SYNC			4

#define MADV_NORMAL		0
#define MADV_DONTNEED		4
#define MADV_FREE		8
#define MADV_HWPOISON		100

/* The most the heap may grow to (and RLIMIT_DATA, if lower). */
#define BRK_MAX_SIZE		(1UL << 40)

static int
mman_errno(kern_return_t kr)
{
	switch (kr) {
	case KERN_SUCCESS:
		return 0;
	case KERN_INVALID_ARGUMENT:
		return EINVAL;
	case KERN_PROTECTION_FAILURE:
		return EACCES;
	default:	/* KERN_NO_SPACE, KERN_INVALID_ADDRESS, KERN_RESOURCE_SHORTAGE */
		return ENOMEM;
	}
}

/* [addr, addr + len) rounded to pages, inside user space: 0, or EINVAL. */
static int
mman_range(uint64_t addr, uint64_t len, uint64_t *end)
{
	uint64_t rlen = round_page(len);

	if ((addr & PAGE_MASK) != 0 || rlen < len || addr + rlen < addr ||
	    addr + rlen > VM_MAX_USER_ADDRESS)
		return EINVAL;
	*end = addr + rlen;
	return 0;
}

/* The file behind fd, for mapping with prot as type says: its object. */
static int
mmap_file_object(proc_t p, int fd, uint64_t pos, uint64_t size, int type, int prot,
    vm_object_t *objp, vm_prot_t *maxprot)
{
	struct fileproc *fp;
	uint32_t fflag;
	int error = fp_lookup(p, fd, &fp, 0);

	if (error != 0)
		return error;
	fflag = fp_fg(fp)->fg_flag;
	*maxprot = VM_PROT_ALL;
	if (!(fflag & FREAD))
		error = EACCES;
	else if (type != MAP_PRIVATE && !(fflag & FWRITE)) {
		if (prot & PROT_WRITE)
			error = EACCES;
		*maxprot &= ~VM_PROT_WRITE;
	}
	if (error == 0)
		error = vn_mmap_object(fp_fg(fp), pos, size, objp);
	(void)fp_drop(p, fd, fp, 0);
	return error;
}

int
mmap(struct proc *p, struct mmap_args *uap, int64_t *retval)
{
	vm_map_t map = current_thread()->map;
	int flags = (int)uap->flags, prot = (int)uap->prot, type = flags & MAP_TYPE;
	uint64_t size = round_page(uap->len), addr = trunc_page(uap->addr), end;
	vm_object_t object = VM_OBJECT_NULL;
	vm_prot_t maxprot = VM_PROT_ALL;
	kern_return_t kr = KERN_NO_SPACE;
	int error;

	*retval = 0;
	if (uap->len == 0 || (uap->pos & PAGE_MASK) != 0)
		return EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN) != 0)
		return EOPNOTSUPP;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;	/* Linux ignores the others here */
	if (size < uap->len || (flags & MAP_HUGETLB))
		return size < uap->len ? ENOMEM : EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
	    ((uap->addr & PAGE_MASK) != 0 || mman_range(uap->addr, size, &end) != 0))
		return (uap->addr & PAGE_MASK) != 0 ? EINVAL : ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		if (uap->pos + size < uap->pos)
			return EOVERFLOW;
		error = mmap_file_object(p, (int)uap->fd, uap->pos, size, type, prot,
		    &object, &maxprot);
		if (error != 0)
			return error;
	}

	/* Placement: exactly, at the hint if it is free, or anywhere. */
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		kr = vm_map_enter(map, &addr, size, 0,
		    VM_FLAGS_FIXED | ((flags & MAP_FIXED_NOREPLACE) ? 0 : VM_FLAGS_OVERWRITE),
		    object, uap->pos, type == MAP_PRIVATE && object != VM_OBJECT_NULL,
		    (vm_prot_t)prot, maxprot, type == MAP_PRIVATE ? VM_INHERIT_COPY :
		    VM_INHERIT_SHARE);
		if (kr == KERN_NO_SPACE && (flags & MAP_FIXED_NOREPLACE))
			kr = KERN_NAME_EXISTS;
	} else {
		if (addr != 0 && mman_range(addr, size, &end) == 0)
			kr = vm_map_enter(map, &addr, size, 0, VM_FLAGS_FIXED, object, uap->pos,
			    type == MAP_PRIVATE && object != VM_OBJECT_NULL, (vm_prot_t)prot,
			    maxprot, type == MAP_PRIVATE ? VM_INHERIT_COPY : VM_INHERIT_SHARE);
		if (kr != KERN_SUCCESS) {
			addr = p->p_mmap_base != 0 ? p->p_mmap_base : MMAP_BASE;
			kr = vm_map_enter(map, &addr, size, 0, VM_FLAGS_ANYWHERE, object,
			    uap->pos, type == MAP_PRIVATE && object != VM_OBJECT_NULL,
			    (vm_prot_t)prot, maxprot,
			    type == MAP_PRIVATE ? VM_INHERIT_COPY : VM_INHERIT_SHARE);
		}
	}
	if (object != VM_OBJECT_NULL)
		vm_object_deallocate(object);	/* the map holds its own reference */
	if (kr == KERN_NAME_EXISTS)
		return EEXIST;
	if (kr != KERN_SUCCESS)
		return mman_errno(kr);
	*retval = (int64_t)addr;
	return 0;
}

int
munmap(struct proc *p, struct munmap_args *uap, int64_t *retval)
{
	uint64_t end;

	(void)p;
	*retval = 0;
	if (uap->len == 0 || mman_range(uap->addr, uap->len, &end) != 0)
		return EINVAL;
	return mman_errno(vm_map_remove(current_thread()->map, uap->addr, end));
}

int
mprotect(struct proc *p, struct mprotect_args *uap, int64_t *retval)
{
	int prot = (int)uap->prot;
	uint64_t end;

	(void)p;
	*retval = 0;
	if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)) != 0 ||
	    (prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return EINVAL;
	if ((uap->addr & PAGE_MASK) != 0)
		return EINVAL;
	if (mman_range(uap->addr, uap->len, &end) != 0)
		return ENOMEM;
	if (uap->len == 0)
		return 0;
	return mman_errno(vm_map_protect(current_thread()->map, uap->addr, end,
	    (vm_prot_t)(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)), FALSE));
}

/*
 * brk: move the break to addr and return it; with an address it cannot
 * move to (below the start, into another mapping, out of memory), the
 * break stays and the current one is returned: Linux's system call, which
 * the C library's brk and sbrk build on.
 */
int
brk(struct proc *p, struct brk_args *uap, int64_t *retval)
{
	vm_map_t map = current_thread()->map;
	uint64_t want = uap->addr, cur, old_end, new_end;
	kern_return_t kr = KERN_SUCCESS;

	proc_lock(p);
	cur = p->p_brk;
	if (p->p_brk_start == 0 || want < p->p_brk_start ||
	    want - p->p_brk_start > BRK_MAX_SIZE ||
	    want - p->p_brk_start > p->p_rlimit[RLIMIT_DATA].rlim_cur) {
		proc_unlock(p);
		*retval = (int64_t)cur;
		return 0;
	}
	old_end = round_page(cur);
	new_end = round_page(want);
	if (new_end > old_end) {
		vm_map_offset_t a = old_end;

		kr = vm_map_enter(map, &a, new_end - old_end, 0, VM_FLAGS_FIXED, VM_OBJECT_NULL,
		    0, FALSE, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, VM_INHERIT_COPY);
	} else if (new_end < old_end) {
		kr = vm_map_remove(map, new_end, old_end);
	}
	if (kr == KERN_SUCCESS)
		p->p_brk = want;
	*retval = (int64_t)p->p_brk;
	proc_unlock(p);
	return 0;
}

void
proc_brk_init(proc_t p, uint64_t image_end)
{
	proc_lock(p);
	p->p_brk_start = p->p_brk = round_page(image_end);
	proc_unlock(p);
}

/*
 * MADV_DONTNEED on [start, end): private writable memory reads back as
 * zeros from now on. Each mapped region of the range is replaced by fresh
 * anonymous memory with the same protections; shared and read-only
 * regions are left as they are (their contents come back from their
 * object, which is what Linux gives too). ENOMEM for a hole.
 */
static int
madvise_dontneed(vm_map_t map, uint64_t start, uint64_t end)
{
	uint64_t a = start;

	while (a < end) {
		vm_region_basic_info_data_64_t info;
		mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
		vm_map_offset_t rstart = a, rend;
		vm_map_size_t rsize;
		kern_return_t kr;

		kr = vm_map_region(map, &rstart, &rsize, VM_REGION_BASIC_INFO_64,
		    (vm_region_info_t)&info, &count);
		if (kr != KERN_SUCCESS || rstart > a)
			return ENOMEM;
		rend = rstart + rsize < end ? rstart + rsize : end;
		if (!info.shared && (info.protection & VM_PROT_WRITE) &&
		    info.user_wired_count == 0) {
			vm_map_offset_t at = a;

			kr = vm_map_enter(map, &at, rend - a, 0, VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE,
			    VM_OBJECT_NULL, 0, FALSE, info.protection, info.max_protection,
			    info.inheritance);
			if (kr != KERN_SUCCESS)
				return mman_errno(kr);
		}
		a = rend;
	}
	return 0;
}

int
madvise(struct proc *p, struct madvise_args *uap, int64_t *retval)
{
	int advice = (int)uap->advice;
	uint64_t end;

	(void)p;
	*retval = 0;
	if ((uap->addr & PAGE_MASK) != 0 || mman_range(uap->addr, uap->len, &end) != 0)
		return EINVAL;
	if (advice < MADV_NORMAL || (advice > MADV_DONTNEED && advice < MADV_FREE) ||
	    (advice > 25 && advice != MADV_HWPOISON))
		return EINVAL;
	if (advice == MADV_HWPOISON)
		return EPERM;
	if (uap->len == 0)
		return 0;
	if (advice == MADV_DONTNEED)
		return madvise_dontneed(current_thread()->map, uap->addr, end);
	return 0;		/* advice: taken note of, and nothing done */
}

/*
 * msync: nothing to write back (the files are in memory); the range must
 * be mapped throughout (ENOMEM otherwise) and the flags make sense.
 */
int
msync(struct proc *p, struct msync_args *uap, int64_t *retval)
{
	vm_map_t map = current_thread()->map;
	int flags = (int)uap->flags;
	uint64_t end, a;

	(void)p;
	*retval = 0;
	if ((uap->addr & PAGE_MASK) != 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC))
		return EINVAL;
	if (mman_range(uap->addr, uap->len, &end) != 0)
		return ENOMEM;
	for (a = uap->addr; a < end;) {
		vm_region_basic_info_data_64_t info;
		mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
		vm_map_offset_t rstart = a;
		vm_map_size_t rsize;

		if (vm_map_region(map, &rstart, &rsize, VM_REGION_BASIC_INFO_64,
		    (vm_region_info_t)&info, &count) != KERN_SUCCESS || rstart > a)
			return ENOMEM;
		a = rstart + rsize;
	}
	return 0;
}
