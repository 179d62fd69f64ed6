/*
 * test_IOVirtioRing.c - the virtio family's split-virtqueue rings on the
 * host (iokit/Families/IOVirtioFamily/IOVirtioRing.c), against a fake
 * device that reads the available ring and descriptor chains the way a
 * device does and answers on the used ring: honestly, or breaking one rule
 * at a time (a used id out of range or not in flight, a length larger than
 * the chain's writable buffers, a used index that jumps). ASan watches that
 * the ring never reads outside its memory.
 */

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iokit/Families/IOVirtioFamily/IOVirtioRing.h"

struct fake {
	struct IOVirtioRing	ring;
	void			*mem;
	struct IOVirtioRingSlot	*slots;
	uint16_t		*freeNext;
	uint32_t		size;
	uint16_t		devAvail;	/* avail entries the device has taken */
	uint16_t		devUsed;	/* used entries it has written */
};

static void
fake_init(struct fake *f, uint32_t size)
{
	size_t bytes = IOVirtioRing_memorySize(size);

	memset(f, 0, sizeof(*f));
	f->size = size;
	f->mem = aligned_alloc(kIOVirtioRingAlign, bytes);
	f->slots = calloc(size, sizeof(*f->slots));
	f->freeNext = calloc(size, sizeof(*f->freeNext));
	cr_assert(f->mem != NULL && f->slots != NULL && f->freeNext != NULL);
	memset(f->mem, 0, bytes);
	IOVirtioRing_init(&f->ring, size, f->mem, f->slots, f->freeNext);
}

static void
fake_fini(struct fake *f)
{
	free(f->mem);
	free(f->slots);
	free(f->freeNext);
}

static volatile uint16_t *
avail(struct fake *f)
{
	return (volatile uint16_t *)((uint8_t *)f->mem + 16 * f->size);
}

static volatile uint16_t *
used_hdr(struct fake *f)
{
	return f->ring.vr_usedHdr;
}

/* The device's side: the next available head, or -1. */
static int
dev_take(struct fake *f)
{
	uint16_t idx = avail(f)[1];
	int head;

	if (idx == f->devAvail)
		return -1;
	head = avail(f)[2 + (f->devAvail & (f->size - 1))];
	f->devAvail++;
	return head;
}

/*
 * Walk head's chain as a device: write fill into every writable buffer
 * (their "physical" addresses are host pointers here); the bytes written.
 */
static uint32_t
dev_serve(struct fake *f, uint16_t head, uint8_t fill)
{
	volatile struct IOVirtioDesc *d = f->ring.vr_desc;
	uint32_t written = 0, steps = 0;
	uint16_t i = head;

	for (;;) {
		cr_assert_lt(i, f->size, "descriptor index in range");
		cr_assert_lt(steps++, f->size, "the chain ends");
		if (d[i].flags & kIOVirtioDescWrite) {
			memset((void *)(uintptr_t)d[i].addr, fill, d[i].len);
			written += d[i].len;
		}
		if (!(d[i].flags & kIOVirtioDescNext))
			break;
		i = d[i].next;
	}
	return written;
}

static void
dev_complete(struct fake *f, uint32_t id, uint32_t len)
{
	volatile struct IOVirtioUsedElem *u = f->ring.vr_used;

	u[f->devUsed & (f->size - 1)].id = id;
	u[f->devUsed & (f->size - 1)].len = len;
	f->devUsed++;
	used_hdr(f)[1] = f->devUsed;
}

static struct IOVirtioSegment
seg(void *p, uint32_t len)
{
	struct IOVirtioSegment s = { (uint64_t)(uintptr_t)p, len };

	return s;
}

Test(IOVirtioRing, sizes)
{
	const char *why;

	cr_expect(!IOVirtioRing_checkSize(0, &why));
	cr_expect_str_eq(why, "the queue size is 0");
	cr_expect(!IOVirtioRing_checkSize(3, &why));
	cr_expect_str_eq(why, "the queue size is not a power of two");
	cr_expect(!IOVirtioRing_checkSize(65536, &why));
	cr_expect(IOVirtioRing_checkSize(1, &why));
	cr_expect(IOVirtioRing_checkSize(256, NULL));
	cr_expect(IOVirtioRing_checkSize(32768, NULL));
	/* 256: 4096 of descriptors + 518 of avail -> used at 8192, 2054 bytes. */
	cr_expect_eq(IOVirtioRing_memorySize(256), 8192 + 4096);
	cr_expect_eq(IOVirtioRing_memorySize(1), 4096 + 4096);
}

Test(IOVirtioRing, layout)
{
	struct fake f;

	fake_init(&f, 256);
	cr_expect_eq((uint8_t *)f.ring.vr_avail - (uint8_t *)f.mem, 4096);
	cr_expect_eq((uint8_t *)f.ring.vr_usedHdr - (uint8_t *)f.mem, 8192);
	cr_expect_eq((uint8_t *)f.ring.vr_used - (uint8_t *)f.mem, 8196);
	fake_fini(&f);
}

Test(IOVirtioRing, request_round_trip)
{
	struct fake f;
	uint8_t hdr[16] = { 1, 2, 3 }, data[512], status = 0xff;
	struct IOVirtioSegment s[3] = { seg(hdr, sizeof hdr), seg(data, sizeof data),
					seg(&status, 1) };
	void *cookie = NULL;
	uint32_t len = 0;
	uint16_t head;
	int h;

	fake_init(&f, 8);
	cr_assert_eq(IOVirtioRing_getUsed(&f.ring, &cookie, &len), 0, "nothing pending");
	cr_assert_eq(IOVirtioRing_add(&f.ring, s, 1, 2, &f, &head), 0);
	cr_expect_eq(f.ring.vr_numFree, 5);
	cr_expect_eq(IOVirtioRing_inFlight(&f.ring), 1);
	cr_expect(IOVirtioRing_needsNotify(&f.ring));
	h = dev_take(&f);
	cr_assert_eq(h, head);
	cr_expect_eq(f.ring.vr_desc[head].flags, kIOVirtioDescNext, "the header is read-only");
	cr_expect_eq(dev_serve(&f, (uint16_t)h, 0xab), 513);
	dev_complete(&f, (uint32_t)h, 513);
	cr_assert_eq(IOVirtioRing_getUsed(&f.ring, &cookie, &len), 1);
	cr_expect_eq(cookie, &f);
	cr_expect_eq(len, 513);
	cr_expect_eq(data[0], 0xab);
	cr_expect_eq(status, 0xab);
	cr_expect_eq(hdr[0], 1, "the device-readable buffer was not written");
	cr_expect_eq(f.ring.vr_numFree, 8);
	cr_expect_eq(IOVirtioRing_getUsed(&f.ring, &cookie, &len), 0);
	used_hdr(&f)[0] = kIOVirtioUsedNoNotify;
	cr_expect(!IOVirtioRing_needsNotify(&f.ring));
	fake_fini(&f);
}

Test(IOVirtioRing, full_ring_and_bad_requests)
{
	struct fake f;
	uint8_t buf[4][8];
	struct IOVirtioSegment s[2] = { seg(buf[0], 8), seg(buf[1], 8) };
	struct IOVirtioSegment empty[1] = { seg(buf[2], 0) };

	fake_init(&f, 4);
	cr_expect_eq(IOVirtioRing_add(&f.ring, s, 0, 0, NULL, NULL), -1, "an empty request");
	cr_expect_eq(IOVirtioRing_add(&f.ring, empty, 0, 1, NULL, NULL), -1, "an empty buffer");
	cr_assert_eq(IOVirtioRing_add(&f.ring, s, 1, 1, (void *)1, NULL), 0);
	cr_assert_eq(IOVirtioRing_add(&f.ring, s, 0, 2, (void *)2, NULL), 0);
	cr_expect_eq(IOVirtioRing_add(&f.ring, s, 0, 1, (void *)3, NULL), -1, "no room");
	cr_expect_eq(f.ring.vr_numFree, 0);
	cr_expect(!f.ring.vr_broken, "a full ring is not broken");
	fake_fini(&f);
}

Test(IOVirtioRing, out_of_order_completion_recycles_descriptors)
{
	struct fake f;
	uint8_t buf[64];
	int heads[4];

	fake_init(&f, 8);
	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 4; i++) {
			struct IOVirtioSegment s[2] = { seg(buf, 8), seg(buf + 8 * (i + 1), 8) };

			cr_assert_eq(IOVirtioRing_add(&f.ring, s, 1, 1, (void *)(uintptr_t)(i + 1),
			    NULL), 0, "round %d request %d", round, i);
			heads[i] = dev_take(&f);
		}
		for (int i = 3; i >= 0; i--) {
			void *cookie;
			uint32_t len;

			dev_complete(&f, (uint32_t)heads[i], dev_serve(&f, (uint16_t)heads[i], 0));
			cr_assert_eq(IOVirtioRing_getUsed(&f.ring, &cookie, &len), 1);
			cr_expect_eq(cookie, (void *)(uintptr_t)(i + 1));
			cr_expect_eq(len, 8);
		}
		cr_assert_eq(f.ring.vr_numFree, 8);
	}
	fake_fini(&f);
}

/* One request in flight, then the device answers with (id, len). */
static int
misbehave(struct fake *f, uint32_t id_delta, uint32_t id_abs, bool use_abs, uint32_t len)
{
	uint8_t buf[16];
	struct IOVirtioSegment s[1] = { seg(buf, sizeof buf) };
	void *cookie = (void *)0x1234;
	uint32_t got = 0;
	int h, r;

	fake_init(f, 16);
	cr_assert_eq(IOVirtioRing_add(&f->ring, s, 0, 1, NULL, NULL), 0);
	h = dev_take(f);
	dev_complete(f, use_abs ? id_abs : (uint32_t)h + id_delta, len);
	r = IOVirtioRing_getUsed(&f->ring, &cookie, &got);
	cr_expect_eq(cookie, (void *)0x1234, "nothing handed back");
	cr_expect_eq(got, 0);
	return r;
}

Test(IOVirtioRing, used_id_out_of_range)
{
	struct fake f;

	cr_expect_eq(misbehave(&f, 0, 16, true, 4), -1);
	cr_expect(f.ring.vr_broken);
	cr_expect_str_eq(f.ring.vr_error, "a used id is out of range");
	fake_fini(&f);
	cr_expect_eq(misbehave(&f, 0, 0xffffffffu, true, 4), -1);
	fake_fini(&f);
}

Test(IOVirtioRing, used_id_not_in_flight)
{
	struct fake f;

	cr_expect_eq(misbehave(&f, 1, 0, false, 4), -1);
	cr_expect_str_eq(f.ring.vr_error, "a used id is not a chain in flight");
	fake_fini(&f);
}

Test(IOVirtioRing, used_length_too_large)
{
	struct fake f;

	cr_expect_eq(misbehave(&f, 0, 0, false, 17), -1);
	cr_expect_str_eq(f.ring.vr_error,
	    "a used length is larger than the chain's writable buffers");
	fake_fini(&f);
}

Test(IOVirtioRing, used_length_counts_only_writable_buffers)
{
	struct fake f;
	uint8_t out[64], in[4];
	struct IOVirtioSegment s[2] = { seg(out, sizeof out), seg(in, sizeof in) };
	int h;

	fake_init(&f, 4);
	cr_assert_eq(IOVirtioRing_add(&f.ring, s, 1, 1, NULL, NULL), 0);
	h = dev_take(&f);
	dev_complete(&f, (uint32_t)h, 68);
	cr_expect_eq(IOVirtioRing_getUsed(&f.ring, NULL, NULL), -1);
	fake_fini(&f);
}

Test(IOVirtioRing, used_index_jumps)
{
	struct fake f;
	uint8_t buf[16];
	struct IOVirtioSegment s[1] = { seg(buf, sizeof buf) };

	fake_init(&f, 16);
	cr_assert_eq(IOVirtioRing_add(&f.ring, s, 0, 1, NULL, NULL), 0);
	(void)dev_take(&f);
	used_hdr(&f)[1] = 17;		/* 17 completions of a 16-entry queue */
	cr_expect_eq(IOVirtioRing_getUsed(&f.ring, NULL, NULL), -1);
	cr_expect_str_eq(f.ring.vr_error, "the used index jumped by more than the queue size");
	fake_fini(&f);

	fake_init(&f, 16);
	cr_assert_eq(IOVirtioRing_add(&f.ring, s, 0, 1, NULL, NULL), 0);
	used_hdr(&f)[1] = 2;		/* two completions, one request */
	cr_expect_eq(IOVirtioRing_getUsed(&f.ring, NULL, NULL), -1);
	cr_expect_str_eq(f.ring.vr_error,
	    "the used index counts more chains than are in flight");
	fake_fini(&f);
}

Test(IOVirtioRing, broken_stays_broken)
{
	struct fake f;
	uint8_t buf[16];
	struct IOVirtioSegment s[1] = { seg(buf, sizeof buf) };

	cr_expect_eq(misbehave(&f, 0, 99, true, 1), -1);
	cr_expect_eq(IOVirtioRing_add(&f.ring, s, 0, 1, NULL, NULL), -1);
	cr_expect_eq(IOVirtioRing_getUsed(&f.ring, NULL, NULL), -1);
	cr_expect_str_eq(f.ring.vr_error, "a used id is out of range", "the first reason stays");
	fake_fini(&f);
}

/* A device that scribbles over the descriptor table cannot hurt the free list. */
Test(IOVirtioRing, scribbled_descriptors)
{
	struct fake f;
	uint8_t buf[3][8];
	struct IOVirtioSegment s[3] = { seg(buf[0], 8), seg(buf[1], 8), seg(buf[2], 8) };
	int h;

	fake_init(&f, 4);
	for (int round = 0; round < 10; round++) {
		cr_assert_eq(IOVirtioRing_add(&f.ring, s, 1, 2, NULL, NULL), 0);
		h = dev_take(&f);
		memset((void *)f.ring.vr_desc, 0xff, 16 * 4);
		dev_complete(&f, (uint32_t)h, 16);
		cr_assert_eq(IOVirtioRing_getUsed(&f.ring, NULL, NULL), 1);
		cr_assert_eq(f.ring.vr_numFree, 4);
	}
	fake_fini(&f);
}

/* Random requests and completions in random order, with random lies mixed in. */
Test(IOVirtioRing, random)
{
	uint8_t buf[32];

	srand(7);
	for (int run = 0; run < 200; run++) {
		struct fake f;
		uint32_t size = 1u << (rand() % 6);
		int held[64], nheld = 0;

		fake_init(&f, size);
		for (int step = 0; step < 200 && !f.ring.vr_broken; step++) {
			if (rand() % 2) {
				unsigned nout = (unsigned)rand() % 3, nin = (unsigned)rand() % 3;
				struct IOVirtioSegment s[6];

				for (unsigned i = 0; i < nout + nin; i++)
					s[i] = seg(buf, 1 + (uint32_t)rand() % 32);
				if (IOVirtioRing_add(&f.ring, s, nout, nin, NULL, NULL) == 0)
					held[nheld++] = dev_take(&f);
			} else if (nheld > 0) {
				int k = rand() % nheld, h = held[k];
				uint32_t len = dev_serve(&f, (uint16_t)h, 0);

				held[k] = held[--nheld];
				if (rand() % 50 == 0)
					len += 1;
				dev_complete(&f, rand() % 50 == 0 ? (uint32_t)rand() : (uint32_t)h, len);
				(void)IOVirtioRing_getUsed(&f.ring, NULL, NULL);
			}
			cr_assert(f.ring.vr_broken || f.ring.vr_numFree <= size);
		}
		fake_fini(&f);
	}
}
