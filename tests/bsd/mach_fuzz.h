/*
 * mach_fuzz.h - the typed half of the Mach message fuzzer (syscall_fuzz -m,
 * docs/fuzzing.md).
 *
 * Builds well-formed requests of the routines the kernel serves from the
 * table tools/mig/mig.py --fuzz-table generates from the same .defs as the
 * kernel's servers (mach_fuzz_table.h): the routine's id, its descriptors
 * of the right kind and count, its inline fields in order with values
 * drawn by kind (port names, rights, flavors, addresses in the fuzzer's
 * own scratch pages, sizes, strings), sent to a port of the kind its
 * request port must be (the task for task and VM routines, the host,
 * threads, semaphores, IOKit objects) with a send-once reply right, and
 * takes the reply: a reply with KERN_SUCCESS or a routine's own error is
 * an accepted message, MIG_BAD_ID, MIG_BAD_ARGUMENTS or a send failure is
 * not. The counts, by routine, live in pages shared with the parent.
 * One request in eight gets one thing wrong (mfz_mutate) and is counted
 * apart; one in sixteen goes to the user server instead.
 *
 * Routines that would end the fuzzer (task_terminate of itself,
 * thread_terminate of its threads, destroying the ports it works with,
 * unmapping its buffer) are steered by tame_request(): they get a
 * sacrificial thread, spare ports, the victim pages, or a port of the
 * wrong kind.
 *
 * This is part of syscall_fuzz.c, included once after its generators
 * (rnd, below, fill, bad_length), its buffers (buf, victim, unmapped) and
 * its ports (ports, p_recv, p_server, p_reply, p_set, p_sema). No lock:
 * the child's fuzzing thread owns every variable here, except that the
 * sacrificial thread sets mfz_thread before mfz_thread_ready (which the
 * child waits for), the server thread only reads the table (mfz_known),
 * and the parent reads the counts only once the children have gone.
 */

#ifndef _MACH_FUZZ_H_
#define _MACH_FUZZ_H_

#include <IOKit/IOKitLib.h>
#include <sched.h>
#include <mach/mig.h>

#include "mach_fuzz_table.h"

#define MFZ_SPARES	4
#define MFZ_POOL	4

/* What parent and children share: the typed messages' outcome. */
struct mfz_stats {
	uint64_t	sent[MFZ_ROUTINE_COUNT];	/* well-formed requests sent */
	uint64_t	accepted[MFZ_ROUTINE_COUNT];	/* answered by the routine */
	uint64_t	success[MFZ_ROUTINE_COUNT];	/* of which KERN_SUCCESS */
	uint64_t	bad_args, bad_id, mig_other;	/* refused by MIG's checks */
	uint64_t	send_failed, no_reply;
	uint64_t	user_sent, user_answered;	/* to the user server */
	uint64_t	mutated, mutated_refused;	/* one thing wrong; MIG refused it */
};

static struct mfz_stats *mfz;

/* What the child holds for the typed messages. */
static mach_port_t mfz_spare[MFZ_SPARES];
static mach_port_t mfz_io_master, mfz_io_object[MFZ_POOL], mfz_io_connect[MFZ_POOL];
static mach_port_t mfz_mem_entry[MFZ_POOL];
static mach_port_t mfz_reply, mfz_sema;	/* its own: no malformed message names them */
static mach_port_t mfz_thread;			/* the sacrificial thread */
static volatile int mfz_thread_ready;
static int mfz_thread_gone;

static uint32_t mfz_off[MFZ_FIELDS_MAX];	/* where each field of the last request is */

static const char *const mfz_strings[] = {
	"IOService", "IORegistryEntry", "IOUserClient", "IOProviderClass", "IOService:/",
	"IOService:/IOResources", "IODeviceTree", "IOPower", "", "nonexistent",
	"<dict><key>IOProviderClass</key><string>IOService</string></dict>",
	"<dict><key>IOProviderClass</key><string>IOResources</string></dict>",
	"<dict><key>IONameMatch</key><string>x</string></dict>", "<dict>", "<array/>",
};

/* The parent: the counts, shared with every child. */
static int
mfz_init(void)
{
	mfz = mmap(NULL, sizeof(*mfz), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return mfz == MAP_FAILED ? -1 : 0;
}

static void
mfz_reset(void)
{
	memset(mfz, 0, sizeof(*mfz));
}

/*
 * The sacrificial thread: waits for good, on a port nobody sends to, to be
 * suspended, aborted (it waits again), given new registers (it is then
 * terminated before it can run them) or terminated (another is started).
 */
static void *
mfz_victim_thread(void *arg)
{
	mach_port_t port = MACH_PORT_NULL;
	union {
		mach_msg_header_t	h;
		unsigned char		b[256];
	} m;

	(void)arg;
	mfz_thread = mach_thread_self();
	(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mfz_thread_ready = 1;
	for (;;)
		(void)mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), port, 0, MACH_PORT_NULL);
	return NULL;
}

static void
mfz_spares(void)
{
	mach_port_t self = mach_task_self();
	mach_port_type_t type;

	for (int i = 0; i < MFZ_SPARES; i++) {
		if (mfz_spare[i] != MACH_PORT_NULL &&
		    mach_port_type(self, mfz_spare[i], &type) == KERN_SUCCESS &&
		    (type & MACH_PORT_TYPE_RECEIVE))
			continue;
		mfz_spare[i] = MACH_PORT_NULL;
		if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &mfz_spare[i]) == KERN_SUCCESS)
			(void)mach_port_insert_right(self, mfz_spare[i], mfz_spare[i],
			    MACH_MSG_TYPE_MAKE_SEND);
	}
}

static void
mfz_victim_start(void)
{
	pthread_t th;

	mfz_thread = MACH_PORT_NULL;
	mfz_thread_ready = 0;
	mfz_thread_gone = 0;
	if (pthread_create(&th, NULL, mfz_victim_thread, NULL) == 0) {
		for (int i = 0; i < 1000 && !mfz_thread_ready; i++)
			sched_yield();
		pthread_detach(th);
	}
}

/* The child: IOKit objects to talk to, spare ports, the sacrificial thread. */
static void
mfz_child_setup(void)
{
	io_iterator_t it = MACH_PORT_NULL;

	memset(mfz_spare, 0, sizeof(mfz_spare));
	memset(mfz_io_object, 0, sizeof(mfz_io_object));
	memset(mfz_io_connect, 0, sizeof(mfz_io_connect));
	memset(mfz_mem_entry, 0, sizeof(mfz_mem_entry));
	mfz_spares();
	mfz_reply = mach_reply_port();
	mfz_sema = MACH_PORT_NULL;
	(void)semaphore_create(mach_task_self(), &mfz_sema, 0, 0);
	mfz_io_master = MACH_PORT_NULL;
	(void)IOMasterPort(MACH_PORT_NULL, &mfz_io_master);
	if (mfz_io_master != MACH_PORT_NULL) {
		mfz_io_object[0] = IORegistryGetRootEntry(mfz_io_master);
		if (mfz_io_object[0] != MACH_PORT_NULL &&
		    IORegistryEntryGetChildIterator(mfz_io_object[0], "IOService", &it) ==
		    KERN_SUCCESS) {
			mfz_io_object[1] = it;
			mfz_io_object[2] = IOIteratorNext(it);
		}
	}
	mfz_victim_start();
}

/* Every 32 messages: what earlier ones took away comes back. */
static void
mfz_refresh(void)
{
	mfz_spares();
	if (mfz_thread_gone) {
		if (MACH_PORT_VALID(mfz_thread))
			(void)mach_port_deallocate(mach_task_self(), mfz_thread);
		mfz_victim_start();
	}
	/* The victim pages, which the VM routines may unmap or protect. */
	(void)mmap(victim, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED, -1, 0);
}

static mach_port_t
mfz_pick(const mach_port_t *pool, int n)
{
	mach_port_t p = pool[below((uint64_t)n)];

	for (int i = 0; i < n && p == MACH_PORT_NULL; i++)
		p = pool[i];
	return p;
}

/* A port of the kind asked for, most of the time; else any or a made-up one. */
static mach_port_t
mfz_port(int target)
{
	if (below(32) == 0)
		return ports[below(8)];
	switch (target) {
	/*
	 * The traps, not the cached names: a malformed message may have
	 * moved the send right away (the name is the same when it is back).
	 */
	case MFZ_T_TASK:	return task_self_trap();
	case MFZ_T_THREAD:	return below(2) && mfz_thread ? mfz_thread : mach_thread_self();
	case MFZ_T_HOST:	return mach_host_self();
	case MFZ_T_SEMAPHORE:	return mfz_sema;
	case MFZ_T_IO_MASTER:	return mfz_io_master;
	case MFZ_T_IO_OBJECT:	return mfz_pick(mfz_io_object, MFZ_POOL);
	case MFZ_T_IO_CONNECT:
		return mfz_io_connect[0] ? mfz_pick(mfz_io_connect, MFZ_POOL) :
		    mfz_pick(mfz_io_object, MFZ_POOL);
	case MFZ_T_MEM_ENTRY:
		return below(2) ? MACH_PORT_NULL : mfz_pick(mfz_mem_entry, MFZ_POOL);
	case MFZ_T_SEND_ONCE:	return p_recv;
	default:		return ports[below(8)];
	}
}

/* A name for a mach_port_* routine: its own, spares, made-up ones. */
static uint32_t
mfz_name(int destructive)
{
	switch (below(destructive ? 4 : 6)) {
	case 0: case 1: return mfz_spare[below(MFZ_SPARES)];
	case 2: return below(2) ? (uint32_t)rnd() | 0x10000000u : (uint32_t)below(4);
	case 3: return (uint32_t)below(8) ? p_set : MACH_PORT_DEAD;
	default: return ports[below(8)];
	}
}

/* An address: in the victim pages, else outside anything the fuzzer uses. */
static uint64_t
mfz_addr(void)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return 0xffff800000000000ULL + below(1ULL << 30) * PAGE;
	case 2: return unmapped;
	case 3: return 0x0000800000000000ULL + PAGE * below(2);	/* past the top */
	case 4: return (uintptr_t)victim + below(16 * PAGE);		/* unaligned */
	default: return (uintptr_t)victim + below(16) * PAGE;
	}
}

static uint64_t
mfz_size(void)
{
	switch (below(10)) {
	case 0: return bad_length();
	case 1: return below(PAGE * 2);
	case 2: return 0;
	default: return PAGE * (1 + below(4));
	}
}

static uint64_t
mfz_scalar(int value, uint16_t max, const uint32_t *oolcnt)
{
	switch (value) {
	case MFZ_V_FLAGS:	return below(4) ? below(4) : 1ULL << below(32);
	case MFZ_V_FLAVOR:	return below(8) ? below(16) : below(4) ? below(256) : rnd();
	case MFZ_V_NAME:	return mfz_name(0);
	case MFZ_V_RIGHT:	return below(8) ? below(5) : below(64);
	case MFZ_V_DISP:	return below(8) ? 16 + below(7) : below(64);
	case MFZ_V_ADDR:	return mfz_addr();
	case MFZ_V_SIZE:	return mfz_size();
	case MFZ_V_OFFSET:	return below(2) ? 0 : below(2) ? below(4) * PAGE : mfz_addr();
	case MFZ_V_PROT:	return below(8) ? below(8) : rnd();
	case MFZ_V_INHERIT:	return below(8) ? below(3) : rnd();
	case MFZ_V_BOOL:	return below(8) ? below(2) : rnd();
	case MFZ_V_DELTA:	return (uint64_t)((int64_t)below(5) - 2);
	case MFZ_V_OOLCNT:	return oolcnt[max < MFZ_FIELDS_MAX ? max : 0];
	case MFZ_V_OUTCNT:	return below(4) ? max : below((uint64_t)max + 2);
	default:		return below(4) ? below(8) : below(2) ? below(1 << 16) : rnd();
	}
}

/* Whether the table has a routine of this id (the user server's answer). */
static int
mfz_known(mach_msg_id_t id)
{
	for (int i = 0; i < MFZ_ROUTINE_COUNT; i++)
		if (mfz_routines[i].id == id)
			return 1;
	return 0;
}

static int
mfz_is(const struct mfz_routine *r, const char *name)
{
	return strcmp(r->name, name) == 0;
}

/*
 * Keep the fuzzer alive: a routine that would end it, or take away what
 * it works with, gets something it may break instead. *target is the
 * request port chosen; fields are the encoded values (scalars by index).
 */
static void
tame_request(const struct mfz_routine *r, mach_port_t *target, uint64_t *val)
{
	/* The task itself: a port of the wrong kind (the routine refuses it). */
	if ((mfz_is(r, "task_terminate") || mfz_is(r, "task_suspend")) &&
	    *target == mach_task_self())
		*target = mach_host_self();
	/* Its threads: only the sacrificial one. */
	if (r->target == MFZ_T_THREAD && *target == mach_thread_self() &&
	    (mfz_is(r, "thread_terminate") || mfz_is(r, "thread_suspend") ||
	    mfz_is(r, "thread_abort") || mfz_is(r, "thread_abort_safely") ||
	    mfz_is(r, "thread_set_state")))
		*target = mfz_thread;
	if (mfz_is(r, "task_set_special_port"))
		for (int i = 0; i < r->nfields; i++)
			if (r->field[i].kind == MFZ_SCALAR && val[i] == 1 /* TASK_KERNEL_PORT */)
				val[i] = 4;
	/*
	 * Memory: what the VM routines may change is the victim pages. An
	 * address in them gets a size that ends there, another user address
	 * (0, the unmapped page) a size of a page at most; sizes past the top
	 * of user space stay: the kernel must refuse those.
	 */
	if (strncmp(r->name, "mach_vm_", 8) == 0) {
		uint64_t lo = (uintptr_t)victim, hi = lo + 16 * PAGE, room = 16 * PAGE;

		for (int i = 0; i < r->nfields; i++)
			if (r->field[i].kind == MFZ_SCALAR && r->field[i].value == MFZ_V_ADDR &&
			    val[i] >= lo && val[i] < hi && hi - val[i] < room)
				room = hi - val[i];
			else if (r->field[i].kind == MFZ_SCALAR && r->field[i].value == MFZ_V_ADDR &&
			    (val[i] < lo || val[i] >= hi) && val[i] < (1ULL << 47))
				room = PAGE;
		for (int i = 0; i < r->nfields; i++)
			if (r->field[i].kind == MFZ_SCALAR && r->field[i].value == MFZ_V_SIZE &&
			    val[i] > room && val[i] < (1ULL << 47))
				val[i] = room;
		if (mfz_is(r, "mach_vm_write") && room < 16 * PAGE) {
			/* The data's descriptor and its count: no more than room. */
			mach_msg_ool_descriptor_t *d = (mach_msg_ool_descriptor_t *)(buf +
			    sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t));

			if (d->size > room)
				d->size = (mach_msg_size_t)room;
			for (int i = 0; i < r->nfields; i++)
				if (r->field[i].value == MFZ_V_OOLCNT)
					val[i] = d->size;
			val[0] = d->size;
		}
	}
	/* Names that would lose a port it works with: the spares instead. */
	if (mfz_is(r, "mach_port_destroy") || mfz_is(r, "mach_port_deallocate") ||
	    mfz_is(r, "mach_port_mod_refs") || mfz_is(r, "mach_port_extract_right") ||
	    mfz_is(r, "mach_port_move_member") || mfz_is(r, "mach_port_insert_member") ||
	    mfz_is(r, "mach_port_set_attributes") || mfz_is(r, "mach_port_insert_right")) {
		for (int i = 0; i < r->nfields; i++)
			if (r->field[i].kind == MFZ_SCALAR && r->field[i].value == MFZ_V_NAME &&
			    !mfz_is(r, "mach_port_insert_right") &&
			    !(mfz_is(r, "mach_port_move_member") && i == 1))
				val[i] = mfz_name(1);
	}
}

/*
 * Append one well-formed request of routine r at buf; its size. vals
 * holds the values drawn for each field (scalars, counts) for the log.
 */
static uint32_t
mfz_build(const struct mfz_routine *r, mach_port_t target, uint64_t *val)
{
	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	unsigned char *p = buf + sizeof(*h);
	uint32_t oolcnt[MFZ_FIELDS_MAX] = { 0 };
	mach_port_t *arr = (mach_port_t *)(buf + BUF_SIZE - 256);
	int inline_started = 0;

	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_remote_port = target;
	h->msgh_local_port = mfz_reply;
	h->msgh_voucher_port = MACH_PORT_NULL;
	h->msgh_id = r->id;
	if (r->ndesc) {
		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		((mach_msg_body_t *)p)->msgh_descriptor_count = r->ndesc;
		p += sizeof(mach_msg_body_t);
	}
	for (int i = 0; i < r->nfields; i++) {
		const struct mfz_field *f = &r->field[i];
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;
		uint32_t c;

		mfz_off[i] = (uint32_t)(p - buf);
		if (f->kind >= MFZ_SCALAR && !inline_started) {
			static const unsigned char ndr[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };

			memcpy(p, ndr, sizeof(ndr));
			p += sizeof(ndr);
			inline_started = 1;
		}
		switch (f->kind) {
		case MFZ_PORT: {
			mach_msg_type_name_t disp = f->disp;

			memset(&d->port, 0, sizeof(d->port));
			d->port.name = mfz_port(f->target);
			/* A right it keeps: a copy of a send, a new send-once. */
			if (disp == MACH_MSG_TYPE_MOVE_SEND || disp == 0)
				disp = below(2) ? MACH_MSG_TYPE_COPY_SEND : MACH_MSG_TYPE_MAKE_SEND;
			if (disp == MACH_MSG_TYPE_MOVE_SEND_ONCE) {
				disp = MACH_MSG_TYPE_MAKE_SEND_ONCE;
				d->port.name = below(2) ? p_recv : mfz_spare[below(MFZ_SPARES)];
			}
			if (disp == MACH_MSG_TYPE_MAKE_SEND && d->port.name != p_recv &&
			    d->port.name != p_server)
				d->port.name = mfz_spare[below(MFZ_SPARES)];
			d->port.disposition = disp;
			d->port.type = MACH_MSG_PORT_DESCRIPTOR;
			val[i] = d->port.name;
			p += sizeof(d->port);
			break;
		}
		case MFZ_OOL:
			/* The data: the buffer's upper half (not the message), or the victim pages. */
			c = (uint32_t)(below(4) ? below(PAGE * 2) : below(16 * PAGE)) / f->elem;
			memset(&d->out_of_line, 0, sizeof(d->out_of_line));
			if (below(2)) {
				d->out_of_line.address = buf + BUF_SIZE / 2;
				if (c * f->elem > BUF_SIZE / 2 - 256)
					c = (uint32_t)(BUF_SIZE / 2 - 256) / f->elem;
				fill(buf + BUF_SIZE / 2, 256);
			} else {
				d->out_of_line.address = victim;
			}
			d->out_of_line.size = c * f->elem;
			d->out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
			d->out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
			oolcnt[i] = c;
			val[i] = c;
			p += sizeof(d->out_of_line);
			break;
		case MFZ_OOL_PORTS:
			c = (uint32_t)below(8);
			for (uint32_t j = 0; j < c; j++)
				arr[j] = mfz_port(f->target);
			memset(&d->ool_ports, 0, sizeof(d->ool_ports));
			d->ool_ports.address = arr;
			d->ool_ports.count = c;
			d->ool_ports.disposition = MACH_MSG_TYPE_COPY_SEND;
			d->ool_ports.copy = MACH_MSG_VIRTUAL_COPY;
			d->ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
			oolcnt[i] = c;
			val[i] = c;
			p += sizeof(d->ool_ports);
			break;
		case MFZ_SCALAR:
			val[i] = mfz_scalar(f->value, f->max, oolcnt);
			break;
		case MFZ_BYTES:
			val[i] = f->max;
			break;
		case MFZ_VAR:
			val[i] = below(4) ? below((uint64_t)f->max + 1) : f->max;
			if (val[i] * f->elem > 2048)
				val[i] = 2048 / f->elem;
			break;
		case MFZ_STRING:
			val[i] = below(sizeof(mfz_strings) / sizeof(mfz_strings[0]));
			break;
		}
	}
	return (uint32_t)(p - buf);
}

/* The inline part, once the scalars are drawn (and tamed): its end. */
static uint32_t
mfz_encode(const struct mfz_routine *r, uint32_t off, const uint64_t *val)
{
	unsigned char *p = buf + off;

	for (int i = 0; i < r->nfields; i++) {
		const struct mfz_field *f = &r->field[i];
		uint32_t c, len;

		if (f->kind >= MFZ_SCALAR)
			mfz_off[i] = (uint32_t)(p - buf);
		switch (f->kind) {
		case MFZ_SCALAR:
			memcpy(p, &val[i], f->elem);
			p += (f->elem + 3) & ~3u;
			break;
		case MFZ_BYTES:
			fill(p, f->max);
			p += (f->max + 3) & ~3u;
			break;
		case MFZ_VAR:
			c = (uint32_t)val[i];
			memcpy(p, &c, 4);
			fill(p + 4, (size_t)c * f->elem);
			p += 4 + ((c * f->elem + 3) & ~3u);
			break;
		case MFZ_STRING: {
			const char *s = mfz_strings[val[i]];

			len = (uint32_t)strlen(s) + 1;
			if (len > f->max)
				len = f->max;
			memcpy(p + 4, s, len);
			p[4 + len - 1] = 0;
			memcpy(p, &len, 4);
			p += 4 + ((len + 3) & ~3u);
			break;
		}
		default:
			break;
		}
	}
	return (uint32_t)(p - buf);
}

/* Keep a port a reply brought if it is one to talk to later. */
static int
mfz_keep(const struct mfz_routine *r, mach_port_t port)
{
	mach_port_t *pool = NULL;
	mach_port_t old;
	int i;

	if (mfz_is(r, "io_service_open"))
		pool = mfz_io_connect;
	else if (mfz_is(r, "_mach_make_memory_entry"))
		pool = mfz_mem_entry;
	else if (strncmp(r->name, "io_", 3) == 0)
		pool = mfz_io_object;
	if (pool == NULL || !MACH_PORT_VALID(port))
		return 0;
	i = 1 + (int)below(MFZ_POOL - 1);		/* [0] stays: the root */
	old = pool[i];
	pool[i] = port;
	if (MACH_PORT_VALID(old))
		(void)mach_port_deallocate(mach_task_self(), old);
	return 1;
}

/* What a reply says; the reply is then let go (what is kept, kept). */
static void
mfz_answer(const struct mfz_routine *r, int ri, uint32_t mr)
{
	mach_msg_header_t *h = (mach_msg_header_t *)buf;

	if (mr != MACH_MSG_SUCCESS) {
		if ((mr & 0x4000) == 0)
			mfz->send_failed++;
		else
			mfz->no_reply++;
		return;
	}
	if (h->msgh_id != r->id + 100) {
		mfz->mig_other++;
		mach_msg_destroy(h);
		return;
	}
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_body_t *b = (mach_msg_body_t *)(h + 1);
		mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)(b + 1);

		mfz->accepted[ri]++;
		mfz->success[ri]++;
		if (b->msgh_descriptor_count >= 1 && d->type == MACH_MSG_PORT_DESCRIPTOR &&
		    mfz_keep(r, d->name))
			d->name = MACH_PORT_NULL;
		mach_msg_destroy(h);
		return;
	}
	if (h->msgh_size >= sizeof(mig_reply_error_t)) {
		kern_return_t rc = ((mig_reply_error_t *)h)->RetCode;

		if (rc == MIG_BAD_ARGUMENTS)
			mfz->bad_args++;
		else if (rc == MIG_BAD_ID)
			mfz->bad_id++;
		else if (rc <= -300 && rc >= -309)
			mfz->mig_other++;
		else {
			mfz->accepted[ri]++;
			if (rc == KERN_SUCCESS)
				mfz->success[ri]++;
		}
	} else {
		mfz->mig_other++;
	}
	mach_msg_destroy(h);
}

/*
 * One thing wrong with a well-formed request, of the kinds MIG's checks
 * are there for; the new size. The request's own rights stay its own.
 */
static uint32_t
mfz_mutate(const struct mfz_routine *r, uint32_t size)
{
	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	int i = r->nfields ? (int)below(r->nfields) : 0;
	const struct mfz_field *f = &r->field[i];
	uint32_t v;

	switch (below(8)) {
	case 0:					/* a word short */
		return size >= sizeof(*h) + 4 ? size - 4 : size;
	case 1:					/* a word too many */
		return size + 4;
	case 2:					/* the complex bit flipped */
		h->msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
		return size;
	case 3:					/* a descriptor count one off */
		if (r->ndesc)
			((mach_msg_body_t *)(h + 1))->msgh_descriptor_count += below(2) ? 1 : -1;
		else
			h->msgh_id = r->id + 1;	/* else the next routine's id */
		return size;
	case 4:					/* a count past its maximum */
		if (r->nfields && (f->kind == MFZ_VAR || f->kind == MFZ_STRING)) {
			v = f->max + 1 + (uint32_t)below(2) * (uint32_t)rnd();
			memcpy(buf + mfz_off[i], &v, 4);
		} else if (r->nfields && f->kind == MFZ_SCALAR && f->value == MFZ_V_OOLCNT) {
			memcpy(buf + mfz_off[i], &(uint32_t){ (uint32_t)rnd() }, 4);
		}
		return size;
	case 5:					/* a string without its NUL */
		for (int j = 0; j < r->nfields; j++)
			if (r->field[j].kind == MFZ_STRING) {
				uint32_t len;

				memcpy(&len, buf + mfz_off[j], 4);
				if (len)
					buf[mfz_off[j] + 4 + len - 1] = 'x';
			}
		return size;
	case 6:					/* a descriptor of another type */
		if (r->nfields && f->kind <= MFZ_OOL_PORTS)
			((mach_msg_type_descriptor_t *)(buf + mfz_off[i]))->type =
			    (f->kind == MFZ_PORT ? MACH_MSG_OOL_DESCRIPTOR : MACH_MSG_PORT_DESCRIPTOR);
		return size;
	default:				/* a right of another kind */
		if (r->nfields && f->kind == MFZ_PORT) {
			mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)(buf +
			    mfz_off[i]);

			d->name = below(2) ? p_recv : mfz_spare[below(MFZ_SPARES)];
			d->disposition = below(2) ? MACH_MSG_TYPE_MAKE_SEND_ONCE :
			    MACH_MSG_TYPE_MAKE_SEND;
		} else {
			h->msgh_id = r->id + 1;
		}
		return size;
	}
}

/*
 * One well-formed request of a routine drawn from the table, to a port of
 * its kind (or, one in 16, to the user server), with the reply taken.
 */
static void
mfz_one(uint64_t n, struct ring_ent *e)
{
	int ri = (int)below(MFZ_ROUTINE_COUNT);
	const struct mfz_routine *r = &mfz_routines[ri];
	uint64_t val[MFZ_FIELDS_MAX];
	mach_port_t target = mfz_port(r->target);
	uint32_t off, size, option, mr;
	int user = below(16) == 0, mutated;
	mach_port_t fresh = MACH_PORT_NULL;

	/* A late answer of the user server must not pass for this one's. */
	while (mach_msg((mach_msg_header_t *)buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 16384,
	    mfz_reply, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		mach_msg_destroy((mach_msg_header_t *)buf);
	memset(buf, 0, 4096);
	memset(val, 0, sizeof(val));
	if (user)
		target = p_server;
	off = mfz_build(r, target, val);
	if (!user) {
		tame_request(r, &target, val);
		((mach_msg_header_t *)buf)->msgh_remote_port = target;
	}
	/* semaphore_destroy takes a semaphore of its own, made for it. */
	if (mfz_is(r, "semaphore_destroy") &&
	    semaphore_create(task_self_trap(), &fresh, 0, 0) == KERN_SUCCESS) {
		mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)(buf +
		    sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t));

		d->name = fresh;
		d->disposition = MACH_MSG_TYPE_MOVE_SEND;
	}
	size = mfz_encode(r, off, val);
	mutated = !user && below(8) == 0;
	if (mutated)
		size = mfz_mutate(r, size);
	((mach_msg_header_t *)buf)->msgh_size = size;
	option = MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	e->n = n;
	e->cls = 1;
	e->number = (uint32_t)r->id;
	e->name = r->name;
	e->nargs = (uint8_t)(r->nfields + 2 < 8 ? r->nfields + 2 : 8);
	e->arg[0] = target;
	e->arg[1] = size;
	for (int i = 0; i + 2 < e->nargs; i++)
		e->arg[i + 2] = val[i];
	sh->progress = n + 1;
	if (verbose || n % period == 0)
		log_call(e, user ? "user " : mutated ? "mutated " : "");
	mr = (uint32_t)fuzz_trap(0x1000000 + 32, (long)buf, option, size, 16384, mfz_reply,
	    user ? 50 : 10, 0, 0);
	if (verbose) {
		char line[64];
		int len = snprintf(line, sizeof(line), "  -> 0x%x id %d size %u ret %d\n", mr,
		    ((mach_msg_header_t *)buf)->msgh_id, ((mach_msg_header_t *)buf)->msgh_size,
		    mr ? 0 : ((mig_reply_error_t *)buf)->RetCode);

		(void)!write(LOG_FD, line, (size_t)len);
	}
	if (user) {
		mfz->user_sent++;
		if (mr == MACH_MSG_SUCCESS) {
			if (((mach_msg_header_t *)buf)->msgh_id == r->id + 100 &&
			    ((mig_reply_error_t *)buf)->RetCode == KERN_SUCCESS)
				mfz->user_answered++;
			mach_msg_destroy((mach_msg_header_t *)buf);
		}
		return;
	}
	if (target == mfz_thread && mr == MACH_MSG_SUCCESS &&
	    ((mig_reply_error_t *)buf)->RetCode == KERN_SUCCESS) {
		/* New registers would kill the task when it runs them: it never does. */
		if (mfz_is(r, "thread_set_state"))
			(void)thread_terminate(mfz_thread);
		if (mfz_is(r, "thread_terminate") || mfz_is(r, "thread_set_state"))
			mfz_thread_gone = 1;
	}
	if (mutated) {
		/* Not counted with the well-formed ones: MIG should refuse most. */
		mfz->mutated++;
		if (mr == MACH_MSG_SUCCESS) {
			if (!(((mach_msg_header_t *)buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
			    ((mig_reply_error_t *)buf)->RetCode >= -309 &&
			    ((mig_reply_error_t *)buf)->RetCode <= -300)
				mfz->mutated_refused++;
			mach_msg_destroy((mach_msg_header_t *)buf);
		} else {
			mfz->mutated_refused++;
		}
		goto out;
	}
	mfz->sent[ri]++;
	mfz_answer(r, ri, mr);
out:
	if (fresh != MACH_PORT_NULL)		/* if the request did not take it */
		(void)mach_port_deallocate(mach_task_self(), fresh);
}

/* The parent: the typed messages' figures, and whether most were accepted. */
static void
mfz_report(const char *what, int all)
{
	uint64_t sent = 0, acc = 0, ok = 0;
	char name[128];

	for (int i = 0; i < MFZ_ROUTINE_COUNT; i++) {
		sent += mfz->sent[i];
		acc += mfz->accepted[i];
		ok += mfz->success[i];
		if (all && mfz->sent[i])
			tap_diag("  %-40s sent %llu accepted %llu succeeded %llu\n",
			    mfz_routines[i].name, (unsigned long long)mfz->sent[i],
			    (unsigned long long)mfz->accepted[i], (unsigned long long)mfz->success[i]);
	}
	tap_diag("%s: typed requests %llu, accepted %llu (%llu%%), KERN_SUCCESS %llu; refused: "
	    "MIG_BAD_ARGUMENTS %llu, MIG_BAD_ID %llu, other MIG %llu, send failed %llu, no "
	    "reply %llu; user server %llu of %llu answered; mutated %llu, refused %llu\n", what,
	    (unsigned long long)sent,
	    (unsigned long long)acc, (unsigned long long)(sent ? acc * 100 / sent : 0),
	    (unsigned long long)ok, (unsigned long long)mfz->bad_args,
	    (unsigned long long)mfz->bad_id, (unsigned long long)mfz->mig_other,
	    (unsigned long long)mfz->send_failed, (unsigned long long)mfz->no_reply,
	    (unsigned long long)mfz->user_answered, (unsigned long long)mfz->user_sent,
	    (unsigned long long)mfz->mutated, (unsigned long long)mfz->mutated_refused);
	snprintf(name, sizeof(name), "%s: most typed requests are accepted by their routines",
	    what);
	tap_ok(sent > 0 && acc * 2 > sent, name, "%llu of %llu", (unsigned long long)acc,
	    (unsigned long long)sent);
}

#endif /* _MACH_FUZZ_H_ */
