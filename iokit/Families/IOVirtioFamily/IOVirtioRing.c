/*
 * IOVirtioRing.c - the split virtqueue's rings (IOVirtioRing.h). No library
 * calls: the file compiles unchanged for the kernel and for the host.
 *
 * Ordering: the driver fills descriptors, then the avail ring entry, then
 * (after a release fence) avail.idx; the device reads them in that order.
 * The device writes used elements, then used.idx: the driver reads used.idx
 * with acquire semantics before it reads the elements.
 */

#include "iokit/Families/IOVirtioFamily/IOVirtioRing.h"

#define AVAIL_FLAGS	0
#define AVAIL_IDX	1
#define AVAIL_RING	2	/* avail ring entries start at this uint16_t */
#define USED_FLAGS	0
#define USED_IDX	1

static size_t
align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* Bytes of the descriptor table and the avail ring (with used_event). */
static size_t
first_part(uint32_t size)
{
	return 16 * (size_t)size + 2 * (3 + (size_t)size);
}

bool
IOVirtioRing_checkSize(uint32_t size, const char **why)
{
	const char *r = NULL;

	if (size == 0)
		r = "the queue size is 0";
	else if ((size & (size - 1)) != 0)
		r = "the queue size is not a power of two";
	else if (size > kIOVirtioRingMaxSize)
		r = "the queue size is over 32768";
	if (why != NULL)
		*why = r;
	return r == NULL;
}

size_t
IOVirtioRing_memorySize(uint32_t size)
{
	return align_up(first_part(size), kIOVirtioRingAlign) +
	    align_up(2 * 3 + 8 * (size_t)size, kIOVirtioRingAlign);
}

void
IOVirtioRing_init(struct IOVirtioRing *r, uint32_t size, void *mem,
    struct IOVirtioRingSlot *slots, uint16_t *freeNext)
{
	uint8_t *base = mem;

	r->vr_entries = size;
	r->vr_desc = (volatile struct IOVirtioDesc *)base;
	r->vr_avail = (volatile uint16_t *)(base + 16 * (size_t)size);
	r->vr_usedHdr = (volatile uint16_t *)(base + align_up(first_part(size),
	    kIOVirtioRingAlign));
	r->vr_used = (volatile struct IOVirtioUsedElem *)(r->vr_usedHdr + 2);
	r->vr_slots = slots;
	r->vr_freeNext = freeNext;
	for (uint32_t i = 0; i < size; i++) {
		slots[i].vs_cookie = NULL;
		slots[i].vs_writable = 0;
		slots[i].vs_count = 0;
		freeNext[i] = (uint16_t)(i + 1);	/* the last one is never followed */
	}
	r->vr_freeHead = 0;
	r->vr_numFree = size;
	r->vr_availIdx = 0;
	r->vr_lastUsed = 0;
	r->vr_broken = false;
	r->vr_error = NULL;
}

static void
ring_break(struct IOVirtioRing *r, const char *why)
{
	if (!r->vr_broken) {
		r->vr_broken = true;
		r->vr_error = why;
	}
}

/* Take n descriptors off the free list, filling them from segs; the head. */
static uint16_t
fill_chain(struct IOVirtioRing *r, const struct IOVirtioSegment *segs, unsigned nout,
    unsigned n, uint32_t *writable)
{
	uint16_t head = r->vr_freeHead, d = head;

	*writable = 0;
	for (unsigned i = 0; i < n; i++) {
		uint16_t next = r->vr_freeNext[d];
		uint16_t flags = 0;

		if (i >= nout) {
			flags |= kIOVirtioDescWrite;
			*writable += segs[i].vs_len;
		}
		if (i + 1 < n)
			flags |= kIOVirtioDescNext;
		r->vr_desc[d].addr = segs[i].vs_addr;
		r->vr_desc[d].len = segs[i].vs_len;
		r->vr_desc[d].flags = flags;
		r->vr_desc[d].next = i + 1 < n ? next : 0;
		if (i + 1 < n)
			d = next;
		else
			r->vr_freeHead = next;
	}
	r->vr_numFree -= n;
	return head;
}

int
IOVirtioRing_add(struct IOVirtioRing *r, const struct IOVirtioSegment *segs,
    unsigned nout, unsigned nin, void *cookie, uint16_t *head)
{
	unsigned n = nout + nin;
	uint64_t writable = 0;
	uint32_t w;
	uint16_t h;

	if (r->vr_broken || n == 0 || n > r->vr_numFree || n < nout)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (segs[i].vs_len == 0)
			return -1;
		if (i >= nout)
			writable += segs[i].vs_len;
	}
	if (writable > UINT32_MAX)
		return -1;
	h = fill_chain(r, segs, nout, n, &w);
	r->vr_slots[h].vs_cookie = cookie;
	r->vr_slots[h].vs_writable = w;
	r->vr_slots[h].vs_count = (uint16_t)n;
	r->vr_avail[AVAIL_RING + (r->vr_availIdx & (r->vr_entries - 1))] = h;
	r->vr_availIdx++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the ring entry before the index */
	r->vr_avail[AVAIL_IDX] = r->vr_availIdx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the index before the kick */
	if (head != NULL)
		*head = h;
	return 0;
}

bool
IOVirtioRing_needsNotify(const struct IOVirtioRing *r)
{
	return (r->vr_usedHdr[USED_FLAGS] & kIOVirtioUsedNoNotify) == 0;
}

uint32_t
IOVirtioRing_inFlight(const struct IOVirtioRing *r)
{
	return (uint16_t)(r->vr_availIdx - r->vr_lastUsed);
}

/* Put head's chain back on the free list; it is known to be in flight. */
static void
free_chain(struct IOVirtioRing *r, uint16_t head)
{
	struct IOVirtioRingSlot *s = &r->vr_slots[head];
	uint16_t d = head;

	/*
	 * The chain's descriptors are found through vr_freeNext, which still
	 * links them as fill_chain took them (the table's next fields are the
	 * device's to scribble on): count - 1 steps from the head.
	 */
	for (unsigned i = 1; i < s->vs_count; i++)
		d = r->vr_freeNext[d];
	r->vr_freeNext[d] = r->vr_freeHead;
	r->vr_freeHead = head;
	r->vr_numFree += s->vs_count;
	s->vs_count = 0;
	s->vs_writable = 0;
	s->vs_cookie = NULL;
}

int
IOVirtioRing_getUsed(struct IOVirtioRing *r, void **cookie, uint32_t *len)
{
	uint16_t usedIdx, pending;
	struct IOVirtioUsedElem e;

	if (r->vr_broken)
		return -1;
	usedIdx = __atomic_load_n(&r->vr_usedHdr[USED_IDX], __ATOMIC_ACQUIRE);
	pending = (uint16_t)(usedIdx - r->vr_lastUsed);
	if (pending == 0)
		return 0;
	if (pending > IOVirtioRing_inFlight(r)) {
		ring_break(r, pending > r->vr_entries ?
		    "the used index jumped by more than the queue size" :
		    "the used index counts more chains than are in flight");
		return -1;
	}
	e.id = r->vr_used[r->vr_lastUsed & (r->vr_entries - 1)].id;
	e.len = r->vr_used[r->vr_lastUsed & (r->vr_entries - 1)].len;
	if (e.id >= r->vr_entries) {
		ring_break(r, "a used id is out of range");
		return -1;
	}
	if (r->vr_slots[e.id].vs_count == 0) {
		ring_break(r, "a used id is not a chain in flight");
		return -1;
	}
	if (e.len > r->vr_slots[e.id].vs_writable) {
		ring_break(r, "a used length is larger than the chain's writable buffers");
		return -1;
	}
	r->vr_lastUsed++;
	if (cookie != NULL)
		*cookie = r->vr_slots[e.id].vs_cookie;
	if (len != NULL)
		*len = e.len;
	free_chain(r, (uint16_t)e.id);
	return 1;
}
