/*
 * OSMalloc.h - tagged kernel memory for kernel extensions (Apple's KPI).
 *
 * A kext allocates a tag once, names it after itself, and passes it with
 * every allocation and free; the tag counts what is outstanding, so that
 * unloading a kext can report (or refuse over) the memory it leaked:
 *
 *	static OSMallocTag tag;
 *
 *	tag = OSMalloc_Tagalloc("com.example.driver", OSMT_DEFAULT);
 *	buf = OSMalloc(len, tag);
 *	...
 *	OSFree(buf, len, tag);
 *	OSMalloc_Tagfree(tag);
 *
 * Memory comes from kalloc, with a 16-byte header in front of each block
 * that records the tag and the size; OSFree checks both against what it is
 * given, so a free with the wrong tag or size, of a pointer OSMalloc did
 * not return, or of one already freed, is caught and panics naming the
 * pointer and the tags (it is a bug in kernel code; carrying on would
 * corrupt memory). Blocks are 16-byte aligned and not zeroed.
 *
 * Tag lifetime (Apple's semantics): a tag holds one reference for itself
 * and one for every outstanding allocation. OSMalloc_Tagfree drops the
 * tag's own; the tag is released when the last reference goes, so a tag
 * freed while allocations are outstanding lives on, marked released, until
 * the last of them is freed. Allocating with a released tag, or freeing a
 * tag twice, panics.
 *
 * OSMT_PAGEABLE is accepted and recorded, but Machina's kernel memory is
 * always wired: pageable tags get wired memory. None of the three
 * allocation calls ever blocks here: OSMalloc, OSMalloc_nowait and
 * OSMalloc_noblock are the same call, which returns NULL when memory runs
 * out. Requests above KALLOC_MAX_ZONE_SIZE - 16 bytes use kmem_alloc and
 * must not come from interrupt context.
 *
 * Locks: one spin lock (interrupts off) covers every tag's counters and
 * the list of tags; it is a leaf (kalloc is called outside it).
 */

#ifndef LIBKERN_OSMALLOC_H
#define LIBKERN_OSMALLOC_H

#include <stdint.h>

#include "mach/boolean.h"

typedef struct __OSMallocTag__	*OSMallocTag;
typedef struct __OSMallocTag__	*OSMallocTag_t;

#define OSMT_DEFAULT	0x00
#define OSMT_PAGEABLE	0x01	/* accepted; memory is wired all the same */

#define OSMT_MAX_NAME	64	/* bytes of a tag's name kept, with the NUL */

/* OSMalloc_Tagalloc: a new tag; name is copied. NULL if out of memory. */
OSMallocTag	OSMalloc_Tagalloc(const char *name, uint32_t flags);

/* OSMalloc_Tagfree: drop the tag's own reference (see above). */
void		OSMalloc_Tagfree(OSMallocTag tag);

/* OSMalloc: size bytes charged to tag; NULL if size is 0 or memory ran out. */
void		*OSMalloc(uint32_t size, OSMallocTag tag);
void		*OSMalloc_nowait(uint32_t size, OSMallocTag tag);
void		*OSMalloc_noblock(uint32_t size, OSMallocTag tag);

/* OSFree: give back a block with the size and tag it was allocated with. */
void		OSFree(void *addr, uint32_t size, OSMallocTag tag);

/*
 * What a tag holds, for kext unload and diagnostics (the kernel's own
 * interface; not part of the KPI kexts link against).
 */
struct OSMalloc_tag_info {
	char		omti_name[OSMT_MAX_NAME];
	uint32_t	omti_flags;		/* OSMT_* as given */
	boolean_t	omti_released;		/* OSMalloc_Tagfree was called */
	uint64_t	omti_refcnt;		/* the tag's own + one per allocation */
	uint64_t	omti_allocations;	/* outstanding */
	uint64_t	omti_bytes;		/* outstanding, as requested */
};

void		OSMalloc_Tag_getinfo(OSMallocTag tag, struct OSMalloc_tag_info *out);

#endif /* LIBKERN_OSMALLOC_H */
