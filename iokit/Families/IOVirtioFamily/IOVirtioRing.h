/*
 * IOVirtioRing.h - a split virtqueue's rings, the driver's side: the
 * descriptor table, the available ring and the used ring in the legacy
 * layout (virtio 0.9.5 / 1.x section 2.7, "Split Virtqueues"), with the
 * bookkeeping that lets the driver trust nothing the device writes.
 *
 * No library calls and no kernel objects: the file compiles unchanged for
 * the kernel (IOVirtioQueue.c wraps it with the memory and the device) and
 * for the host (tests/unit/iokit/test_IOVirtioRing.c drives it with a fake
 * device).
 *
 * Memory (IOVirtioRing_memorySize bytes, physically contiguous, aligned to
 * kIOVirtioRingAlign, zeroed):
 *	0				struct IOVirtioDesc[size]
 *	16 * size			avail: flags, idx, ring[size], used_event
 *	align(above, 4096)		used: flags, idx, elem[size], avail_event
 *
 * A request is a chain of descriptors: the ones the device reads first
 * ("out"), then the ones it writes ("in"). The chain's head index is its
 * name; the driver remembers, per head, the chain's length, the bytes the
 * device may write and a cookie, in vr_slots (driver memory the device
 * cannot reach). Free descriptors are linked through vr_freeNext, also
 * driver memory, so a device scribbling on the descriptor table cannot
 * corrupt the free list.
 *
 * What the device hands back is checked before it is believed; the first
 * violation breaks the ring (vr_broken, with a reason in vr_error) and
 * every later call fails:
 *   - the used index moved by more than the queue size since last seen;
 *   - a used id that is not below the size, or is not the head of a chain
 *     in flight;
 *   - a used length larger than the chain's device-writable bytes.
 *
 * Invariants (while not broken):
 *   - vr_numFree + (descriptors in in-flight chains) == vr_entries;
 *   - vr_slots[h].vs_count != 0 exactly when h heads an in-flight chain;
 *   - (uint16_t)(vr_availIdx - vr_lastUsed) == chains in flight <= vr_entries.
 *
 * Locks: none; the owner serialises every call (the driver's work loop).
 */

#ifndef IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIORING_H
#define IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIORING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define kIOVirtioRingAlign	4096	/* the legacy transport's used-ring alignment */
#define kIOVirtioRingMaxSize	32768	/* the largest queue the spec allows */

/* Descriptor flags. */
#define kIOVirtioDescNext	1	/* the chain goes on at next */
#define kIOVirtioDescWrite	2	/* the device writes this buffer */

/* Ring flags. */
#define kIOVirtioUsedNoNotify	1	/* used.flags: the device needs no kick */
#define kIOVirtioAvailNoInterrupt 1	/* avail.flags: the driver needs no interrupt */

struct IOVirtioDesc {
	uint64_t	addr;		/* physical address */
	uint32_t	len;
	uint16_t	flags;
	uint16_t	next;
};
_Static_assert(sizeof(struct IOVirtioDesc) == 16, "the spec's layout");

struct IOVirtioUsedElem {
	uint32_t	id;		/* the chain's head */
	uint32_t	len;		/* bytes the device wrote */
};
_Static_assert(sizeof(struct IOVirtioUsedElem) == 8, "the spec's layout");

/* One buffer of a request: physical address and length. */
struct IOVirtioSegment {
	uint64_t	vs_addr;
	uint32_t	vs_len;
};

/* Per chain head: what the driver remembers of a request in flight. */
struct IOVirtioRingSlot {
	void		*vs_cookie;	/* the caller's */
	uint32_t	vs_writable;	/* bytes the device may write */
	uint16_t	vs_count;	/* descriptors in the chain; 0: not a head in flight */
};

struct IOVirtioRing {
	uint32_t		vr_entries;	/* [I] the queue size: a power of two, 1..32768 */
	volatile struct IOVirtioDesc *vr_desc;	/* [I] */
	volatile uint16_t	*vr_avail;	/* [I] flags, idx, ring[], used_event */
	volatile uint16_t	*vr_usedHdr;	/* [I] flags, idx */
	volatile struct IOVirtioUsedElem *vr_used; /* [I] elem[] */
	struct IOVirtioRingSlot	*vr_slots;	/* [I] vr_entries of them */
	uint16_t		*vr_freeNext;	/* [I] vr_entries links */
	uint16_t		vr_freeHead;	/* first free descriptor, if vr_numFree */
	uint32_t		vr_numFree;	/* descriptors on the free list */
	uint16_t		vr_availIdx;	/* next avail.idx to publish */
	uint16_t		vr_lastUsed;	/* used entries consumed */
	bool			vr_broken;	/* the device broke a rule; nothing more is done */
	const char		*vr_error;	/* why it broke */
};

/*
 * IOVirtioRing_checkSize: whether size is a queue size the driver accepts
 * (a power of two from 1 to 32768); *why (may be NULL) says why not.
 */
bool	IOVirtioRing_checkSize(uint32_t size, const char **why);

/* IOVirtioRing_memorySize: bytes the rings of a queue of this size take (legacy layout). */
size_t	IOVirtioRing_memorySize(uint32_t size);

/*
 * IOVirtioRing_init: lay the rings over mem (memorySize(size) zeroed bytes,
 * kIOVirtioRingAlign-aligned), with slots and freeNext arrays of size
 * entries each. size must pass checkSize.
 */
void	IOVirtioRing_init(struct IOVirtioRing *r, uint32_t size, void *mem,
	    struct IOVirtioRingSlot *slots, uint16_t *freeNext);

/*
 * IOVirtioRing_add: make a chain of nout device-readable then nin
 * device-writable segments, remember cookie for it, and publish it on the
 * available ring. *head (may be NULL) gets its head.
 * Returns 0; -1 if the ring is broken, the request is empty, a segment is
 * empty, or there are not enough free descriptors (nothing changed).
 */
int	IOVirtioRing_add(struct IOVirtioRing *r, const struct IOVirtioSegment *segs,
	    unsigned nout, unsigned nin, void *cookie, uint16_t *head);

/* IOVirtioRing_needsNotify: whether the device asked to be kicked (used.flags). */
bool	IOVirtioRing_needsNotify(const struct IOVirtioRing *r);

/*
 * IOVirtioRing_getUsed: take the next completed chain off the used ring:
 * its cookie and the bytes the device says it wrote; its descriptors go
 * back on the free list.
 * Returns 1 for a chain, 0 if none is pending, -1 if the ring is or has
 * just become broken (vr_error says why; nothing is returned).
 */
int	IOVirtioRing_getUsed(struct IOVirtioRing *r, void **cookie, uint32_t *len);

/* IOVirtioRing_inFlight: chains the device holds. */
uint32_t IOVirtioRing_inFlight(const struct IOVirtioRing *r);

#endif /* IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIORING_H */
