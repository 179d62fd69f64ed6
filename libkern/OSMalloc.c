/*
 * OSMalloc.c - tags with reference counts, and blocks that name their tag.
 *
 * Every block OSMalloc returns sits just after a struct osmalloc_header in
 * one kalloc allocation of size + 16 bytes:
 *
 *   | tag | size | magic | the caller's size bytes ...
 *   ^ kalloc's pointer    ^ OSMalloc's pointer (16-byte aligned)
 *
 * The magic is cleared when the block is freed, so a second OSFree of it
 * (or an OSFree of memory OSMalloc never returned) finds no magic.
 *
 * A tag's omt_refcnt is 1 for the tag itself while it is live, plus 1 for
 * every outstanding block; whoever drops it to 0 unlinks the tag and frees
 * it. omt_state says whether OSMalloc_Tagfree has been called.
 */

#include "libkern/OSMalloc.h"

#include "kernel/console.h"
#include "libkern/assert.h"
#include "libkern/queue.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/simple_lock.h"

/* Locks used in this file: [L] osmalloc_globals.lock; [I] set before publication. */

#define OMT_LIVE	0x4f534d54u	/* "OSMT": a tag in use */
#define OMT_RELEASED	0x4f534d52u	/* "OSMR": OSMalloc_Tagfree was called */
#define OMH_MAGIC	0x4f53414cu	/* "OSAL": an outstanding block */

struct __OSMallocTag__ {
	TAILQ_ENTRY(__OSMallocTag__) omt_link;	/* [L] osmalloc_globals.tags */
	uint32_t	omt_state;		/* [L] OMT_LIVE or OMT_RELEASED */
	uint32_t	omt_flags;		/* [I] OSMT_* */
	uint64_t	omt_refcnt;		/* [L] */
	uint64_t	omt_allocations;	/* [L] outstanding blocks */
	uint64_t	omt_bytes;		/* [L] their sizes, as requested */
	char		omt_name[OSMT_MAX_NAME];	/* [I] */
};

/* In front of every block; [L] while the block is outstanding. */
struct osmalloc_header {
	OSMallocTag	omh_tag;
	uint32_t	omh_size;
	uint32_t	omh_magic;
};

static_assert(sizeof(struct osmalloc_header) == 16, "blocks stay 16-byte aligned");

static struct {
	hw_lock_data_t				lock;
	TAILQ_HEAD(, __OSMallocTag__)		tags;	/* [L] live and released tags */
	unsigned				ntags;	/* [L] */
} osmalloc_globals = {
	.lock = HW_LOCK_INITIALIZER,
	.tags = TAILQ_HEAD_INITIALIZER(osmalloc_globals.tags),
};

static boolean_t
osmalloc_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&osmalloc_globals.lock);
	return s;
}

static void
osmalloc_unlock(boolean_t s)
{
	hw_lock_unlock(&osmalloc_globals.lock);
	ml_set_interrupts_enabled(s);
}

/*
 * Panic unless tag is a tag that still exists (live, or released with
 * blocks outstanding); and unless it is live, if live_only. Locks: [L].
 */
static void
osmalloc_tag_check_locked(OSMallocTag tag, boolean_t live_only, const char *who)
{
	if (tag == NULL)
		panic("%s: the tag is NULL", who);
	if (tag->omt_state == OMT_RELEASED && live_only)
		panic("%s: tag \"%s\" was already freed with OSMalloc_Tagfree", who,
		    tag->omt_name);
	if (tag->omt_state != OMT_LIVE && tag->omt_state != OMT_RELEASED)
		panic("%s: %p is not an OSMalloc tag (freed already?)", who, (void *)tag);
}

/* Drop a reference; true if it was the last (the tag is then unlinked). Locks: [L]. */
static boolean_t
osmalloc_tag_release_locked(OSMallocTag tag)
{
	assert(tag->omt_refcnt > 0);
	if (--tag->omt_refcnt != 0)
		return FALSE;
	assert(tag->omt_state == OMT_RELEASED && tag->omt_allocations == 0);
	TAILQ_REMOVE(&osmalloc_globals.tags, tag, omt_link);
	osmalloc_globals.ntags--;
	return TRUE;
}

/* Free a tag whose last reference is gone. */
static void
osmalloc_tag_destroy(OSMallocTag tag)
{
	tag->omt_state = 0;
	kfree(tag, sizeof(*tag));
}

OSMallocTag
OSMalloc_Tagalloc(const char *name, uint32_t flags)
{
	OSMallocTag tag = kalloc(sizeof(*tag));
	boolean_t s;

	if (tag == NULL)
		return NULL;
	memset(tag, 0, sizeof(*tag));
	strlcpy(tag->omt_name, name != NULL ? name : "", sizeof(tag->omt_name));
	tag->omt_flags = flags;
	tag->omt_state = OMT_LIVE;
	tag->omt_refcnt = 1;
	s = osmalloc_lock();
	TAILQ_INSERT_TAIL(&osmalloc_globals.tags, tag, omt_link);
	osmalloc_globals.ntags++;
	osmalloc_unlock(s);
	return tag;
}

void
OSMalloc_Tagfree(OSMallocTag tag)
{
	char name[OSMT_MAX_NAME];
	uint64_t allocations, bytes;
	boolean_t s, last;

	s = osmalloc_lock();
	if (tag != NULL && tag->omt_state == OMT_RELEASED)
		panic("OSMalloc_Tagfree: tag \"%s\" freed twice", tag->omt_name);
	osmalloc_tag_check_locked(tag, TRUE, "OSMalloc_Tagfree");
	tag->omt_state = OMT_RELEASED;
	allocations = tag->omt_allocations;
	bytes = tag->omt_bytes;
	strlcpy(name, tag->omt_name, sizeof(name));
	last = osmalloc_tag_release_locked(tag);
	osmalloc_unlock(s);

	if (last)
		osmalloc_tag_destroy(tag);
	else
		printf("OSMalloc_Tagfree: tag \"%s\" freed with %llu allocations (%llu "
		    "bytes) outstanding; it goes when the last of them is freed\n", name,
		    (unsigned long long)allocations, (unsigned long long)bytes);
}

void *
OSMalloc(uint32_t size, OSMallocTag tag)
{
	struct osmalloc_header *h;
	boolean_t s;

	h = size != 0 ? kalloc((vm_size_t)size + sizeof(*h)) : NULL;
	s = osmalloc_lock();
	osmalloc_tag_check_locked(tag, TRUE, "OSMalloc");
	if (h != NULL) {
		h->omh_tag = tag;
		h->omh_size = size;
		h->omh_magic = OMH_MAGIC;
		tag->omt_refcnt++;
		tag->omt_allocations++;
		tag->omt_bytes += size;
	}
	osmalloc_unlock(s);
	return h != NULL ? h + 1 : NULL;
}

void *
OSMalloc_nowait(uint32_t size, OSMallocTag tag)
{
	return OSMalloc(size, tag);
}

void *
OSMalloc_noblock(uint32_t size, OSMallocTag tag)
{
	return OSMalloc(size, tag);
}

/*
 * Check that addr is an outstanding block of size bytes under tag, and
 * mark it freed. Panics, naming the block and the tags, if not. Locks: [L].
 */
static void
osmalloc_block_retire_locked(struct osmalloc_header *h, void *addr, uint32_t size,
    OSMallocTag tag)
{
	if (((uintptr_t)addr & (sizeof(*h) - 1)) != 0 || h->omh_magic != OMH_MAGIC)
		panic("OSFree: %p was not returned by OSMalloc, or was freed already",
		    addr);
	osmalloc_tag_check_locked(tag, FALSE, "OSFree");
	if (h->omh_tag != tag)
		panic("OSFree: %p was allocated with tag \"%s\" but freed with tag "
		    "\"%s\"", addr, h->omh_tag->omt_name, tag->omt_name);
	if (h->omh_size != size)
		panic("OSFree: %p (tag \"%s\") was allocated with %u bytes but freed "
		    "with %u", addr, tag->omt_name, h->omh_size, size);
	h->omh_magic = 0;
}

void
OSFree(void *addr, uint32_t size, OSMallocTag tag)
{
	struct osmalloc_header *h;
	boolean_t s, last;

	if (addr == NULL)
		return;
	h = (struct osmalloc_header *)addr - 1;
	s = osmalloc_lock();
	osmalloc_block_retire_locked(h, addr, size, tag);
	tag->omt_allocations--;
	tag->omt_bytes -= size;
	last = osmalloc_tag_release_locked(tag);
	osmalloc_unlock(s);

	kfree(h, (vm_size_t)size + sizeof(*h));
	if (last)
		osmalloc_tag_destroy(tag);
}

void
OSMalloc_Tag_getinfo(OSMallocTag tag, struct OSMalloc_tag_info *out)
{
	boolean_t s;

	memset(out, 0, sizeof(*out));
	s = osmalloc_lock();
	osmalloc_tag_check_locked(tag, FALSE, "OSMalloc_Tag_getinfo");
	strlcpy(out->omti_name, tag->omt_name, sizeof(out->omti_name));
	out->omti_flags = tag->omt_flags;
	out->omti_released = tag->omt_state == OMT_RELEASED;
	out->omti_refcnt = tag->omt_refcnt;
	out->omti_allocations = tag->omt_allocations;
	out->omti_bytes = tag->omt_bytes;
	osmalloc_unlock(s);
}
