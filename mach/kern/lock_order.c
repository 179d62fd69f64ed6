/*
 * lock_order.c - the lock-order checker (lock_order.h).
 *
 * Two fixed tables. The group table gives each group name a slot (found
 * once, when the group is made, and kept in the lck_grp_t). The pair
 * table holds every A-before-B learnt, open-addressed by (A, B), with the
 * backtrace of the acquisition that taught it. Entries are only ever
 * added: a lookup reads without a lock (an entry's key is stored last,
 * with release order, after its backtrace), an insertion takes the table
 * lock, looks again and adds. The report of an inversion is claimed by a
 * flag on whichever of the two pairs has the smaller key, so each
 * unordered pair is reported once even if both orders are learnt at once.
 */

#include "mach/kern/lock_order.h"

#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "kernel/pexpert.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"

#define LOCKORDER_HOLD_MS_DEFAULT	1000

BOOT_ARG(lockorder, "lockorder", BOOT_ARG_NUMBER, 4,
    "1: run the lock-order checker (debug builds)");
BOOT_ARG(lockorder_hold_ms, "lockorder_hold_ms", BOOT_ARG_NUMBER, 4,
    "the lock-order checker counts holds longer than this (default 1000)");
BOOT_ARG(lockorder_panic, "lockorder_panic", BOOT_ARG_NUMBER, 4,
    "1: a lock-order inversion panics instead of being logged");

volatile int lockorder_enabled __hot_data;
volatile int lockorder_ever_enabled;

struct lockorder_group {
	char		og_name[LCK_GRP_MAX_NAME];
	uint64_t	og_max_hold;		/* [a] ns */
	uint64_t	og_long_holds;		/* [a] */
	uint32_t	og_kinds;		/* [a] bit per LOCKORDER_* seen */
	uint32_t	og_long_logged;		/* [a] the first long hold was logged */
};

struct lockorder_pair {
	volatile uint32_t	op_key;		/* (a << 16) | b, slots + 1; 0: empty */
	uint32_t		op_reported;	/* [a] the inversion was reported */
	uint32_t		op_nframes;
	struct backtrace_frame	op_frames[LOCKORDER_FRAMES];
};

static struct {
	hw_lock_data_t		lock;		/* [L] adding to the tables */
	uint32_t		ngroups;	/* [L] */
	struct lockorder_group	groups[LOCKORDER_GROUPS];
	struct lockorder_pair	pairs[LOCKORDER_PAIRS];
	struct lockorder_stats	stats;		/* [a] */
	boolean_t		panic_on_inversion;
	uint32_t		group_limit;	/* [L] LOCKORDER_GROUPS, or less (ktests) */
	uint32_t		pair_limit;	/* [L] LOCKORDER_PAIRS, or less */
} lo = { .lock = HW_LOCK_INITIALIZER, .group_limit = LOCKORDER_GROUPS,
	.pair_limit = LOCKORDER_PAIRS };

#define LO_INC(field)	__atomic_add_fetch(&lo.stats.field, 1, __ATOMIC_RELAXED)

void
lockorder_init(void)
{
	int on = 0, ms = LOCKORDER_HOLD_MS_DEFAULT, pan = 0;

	(void)PE_parse_boot_argn("lockorder", &on, sizeof(on));
	(void)PE_parse_boot_argn("lockorder_hold_ms", &ms, sizeof(ms));
	(void)PE_parse_boot_argn("lockorder_panic", &pan, sizeof(pan));
	if (ms <= 0)
		ms = LOCKORDER_HOLD_MS_DEFAULT;
	lo.stats.ls_hold_threshold_ns = (uint64_t)ms * 1000000ULL;
	lo.panic_on_inversion = pan != 0;
	if (on && MACHINA_DEBUG) {
		lockorder_ever_enabled = 1;
		lockorder_enabled = 1;
	}
}

boolean_t
lockorder_set_enabled(boolean_t on)
{
	boolean_t old = lockorder_enabled != 0;

	if (lo.stats.ls_hold_threshold_ns == 0)
		lo.stats.ls_hold_threshold_ns = LOCKORDER_HOLD_MS_DEFAULT * 1000000ULL;
	if (!MACHINA_DEBUG)
		return FALSE;
	if (on)
		__atomic_store_n(&lockorder_ever_enabled, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&lockorder_enabled, on ? 1 : 0, __ATOMIC_RELEASE);
	return old;
}

uint16_t
lockorder_grp_slot(const char *name)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	uint16_t slot = 0;

	hw_lock_lock(&lo.lock);
	for (uint32_t i = 0; i < lo.ngroups; i++) {
		if (strncmp(lo.groups[i].og_name, name, LCK_GRP_MAX_NAME) == 0) {
			slot = (uint16_t)(i + 1);
			break;
		}
	}
	if (slot == 0) {
		if (lo.ngroups < lo.group_limit) {
			strlcpy(lo.groups[lo.ngroups].og_name, name, LCK_GRP_MAX_NAME);
			slot = (uint16_t)(++lo.ngroups);
			LO_INC(ls_groups);
		} else {
			LO_INC(ls_groups_full);
		}
	}
	hw_lock_unlock(&lo.lock);
	ml_set_interrupts_enabled(s);
	return slot;
}

/* The calling thread's stack, or NULL where nothing is tracked. */
static struct lockorder_thread *
lo_thread(void)
{
	thread_t self = current_thread();

	if (self == THREAD_NULL || ml_at_interrupt_context())
		return NULL;
	if (self->th_lockorder.lt_busy)
		return NULL;
	return &self->th_lockorder;
}

static uint32_t
pair_key(uint16_t a, uint16_t b)
{
	return ((uint32_t)a << 16) | b;
}

static uint32_t
pair_hash(uint32_t key)
{
	return (key * 2654435761u) >> 20;	/* 12 bits: LOCKORDER_PAIRS */
}

_Static_assert(LOCKORDER_PAIRS == 4096, "pair_hash gives 12 bits");

/* The entry for key, or NULL. No lock. */
static struct lockorder_pair *
pair_find(uint32_t key)
{
	uint32_t h = pair_hash(key);

	for (uint32_t n = 0; n < LOCKORDER_PAIRS; n++) {
		struct lockorder_pair *p = &lo.pairs[(h + n) % LOCKORDER_PAIRS];
		uint32_t k = __atomic_load_n(&p->op_key, __ATOMIC_ACQUIRE);

		if (k == key)
			return p;
		if (k == 0)
			return NULL;
	}
	return NULL;
}

/* Add key with the current backtrace; NULL if the table is full. Locks: [L]. */
static struct lockorder_pair *
pair_add(uint32_t key)
{
	uint32_t h = pair_hash(key);

	if (lo.stats.ls_pairs >= lo.pair_limit)
		return pair_find(key);
	for (uint32_t n = 0; n < LOCKORDER_PAIRS; n++) {
		struct lockorder_pair *p = &lo.pairs[(h + n) % LOCKORDER_PAIRS];

		if (p->op_key == key)
			return p;
		if (p->op_key != 0)
			continue;
		p->op_nframes = machine_backtrace(NULL, p->op_frames, LOCKORDER_FRAMES);
		p->op_reported = 0;
		__atomic_store_n(&p->op_key, key, __ATOMIC_RELEASE);
		LO_INC(ls_pairs);
		return p;
	}
	return NULL;
}

static void
report_inversion(uint16_t a, uint16_t b, const struct lockorder_pair *ab,
    const struct lockorder_pair *ba)
{
	struct backtrace_frame fab[LOCKORDER_FRAMES], fba[LOCKORDER_FRAMES];
	unsigned nab = ab->op_nframes, nba = ba->op_nframes;

	memcpy(fab, ab->op_frames, sizeof(fab));
	memcpy(fba, ba->op_frames, sizeof(fba));
	printf("lockorder: inversion: group %s taken while holding %s, and %s while holding %s\n",
	    lo.groups[b - 1].og_name, lo.groups[a - 1].og_name, lo.groups[a - 1].og_name,
	    lo.groups[b - 1].og_name);
	printf("lockorder: %s before %s, first here:\n", lo.groups[a - 1].og_name,
	    lo.groups[b - 1].og_name);
	backtrace_print(fab, nab);
	printf("lockorder: %s before %s, first here:\n", lo.groups[b - 1].og_name,
	    lo.groups[a - 1].og_name);
	backtrace_print(fba, nba);
	if (lo.panic_on_inversion)
		panic("lockorder: inversion between %s and %s", lo.groups[a - 1].og_name,
		    lo.groups[b - 1].og_name);
}

/* Learn a-before-b; report it if b-before-a is known. */
static void
learn(uint16_t a, uint16_t b)
{
	uint32_t key = pair_key(a, b), rkey = pair_key(b, a);
	struct lockorder_pair *p, *r, *claim;
	boolean_t s;

	if (pair_find(key) != NULL)
		return;
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&lo.lock);
	p = pair_add(key);
	hw_lock_unlock(&lo.lock);
	ml_set_interrupts_enabled(s);
	if (p == NULL) {
		LO_INC(ls_pairs_full);
		return;
	}
	r = pair_find(rkey);
	if (r == NULL)
		return;
	claim = key < rkey ? p : r;
	if (__atomic_exchange_n(&claim->op_reported, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	LO_INC(ls_inversions);
	report_inversion(a, b, p, r);
}

void
lockorder_will_lock_slow(uint16_t slot)
{
	struct lockorder_thread *lt = lo_thread();

	if (lt == NULL || slot == 0)
		return;
	lt->lt_busy = 1;
	for (uint32_t i = 0; i < lt->lt_depth; i++) {
		uint16_t a = lt->lt_held[i].lh_slot;
		boolean_t seen = FALSE;

		if (a == 0 || a == slot)
			continue;	/* untracked, or the same group */
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = lt->lt_held[j].lh_slot == a;
		if (!seen)
			learn(a, slot);
	}
	lt->lt_busy = 0;
}

void
lockorder_locked_slow(const void *lock, uint16_t slot, int kind)
{
	struct lockorder_thread *lt = lo_thread();
	struct lockorder_held_lock *h;

	if (lt == NULL)
		return;
	if (lt->lt_depth >= LOCKORDER_HELD_MAX) {
		LO_INC(ls_stack_overflow);
		return;
	}
	h = &lt->lt_held[lt->lt_depth];
	h->lh_lock = lock;
	h->lh_slot = slot;
	h->lh_kind = (uint8_t)kind;
	h->lh_since = mach_absolute_time();
	h->lh_runq = current_thread()->runq_time;
	lt->lt_depth++;
}

/*
 * held: how long the lock was held, less the time its holder spent queued
 * for a CPU (runq, the same clock): a thread preempted while holding a
 * lock did not hold it for that long, the run queue did. Its whole time
 * is logged too.
 */
static void
note_hold(uint16_t slot, int kind, uint64_t held, uint64_t runq)
{
	struct lockorder_group *g;
	uint64_t max;

	if (slot == 0)
		return;
	max = __atomic_load_n(&lo.stats.ls_max_queued_ns, __ATOMIC_RELAXED);
	while (runq > max && !__atomic_compare_exchange_n(&lo.stats.ls_max_queued_ns, &max, runq,
	    TRUE, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
	g = &lo.groups[slot - 1];
	__atomic_or_fetch(&g->og_kinds, 1u << kind, __ATOMIC_RELAXED);
	max = __atomic_load_n(&g->og_max_hold, __ATOMIC_RELAXED);
	while (held > max && !__atomic_compare_exchange_n(&g->og_max_hold, &max, held, TRUE,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
	if (held <= lo.stats.ls_hold_threshold_ns)
		return;
	__atomic_add_fetch(&g->og_long_holds, 1, __ATOMIC_RELAXED);
	if (kind == LOCKORDER_SPIN)
		LO_INC(ls_long_spin);
	else
		LO_INC(ls_long_sleep);
	if (__atomic_exchange_n(&g->og_long_logged, 1, __ATOMIC_RELAXED) == 0) {
		printf("lockorder: a %s lock of group %s was held %llu us (over %llu us; "
		    "%llu us more queued for a CPU), released here:\n",
		    kind == LOCKORDER_SPIN ? "spin" : "sleeping", g->og_name,
		    (unsigned long long)(held / 1000),
		    (unsigned long long)(lo.stats.ls_hold_threshold_ns / 1000),
		    (unsigned long long)(runq / 1000));
		backtrace_here();
	}
}

void
lockorder_unlocked_slow(const void *lock)
{
	thread_t self = current_thread();
	struct lockorder_thread *lt;
	struct lockorder_held_lock h;
	uint64_t now, runq;
	uint32_t i;

	if (self == THREAD_NULL || self->th_lockorder.lt_depth == 0 ||
	    ml_at_interrupt_context())
		return;
	lt = &self->th_lockorder;
	for (i = lt->lt_depth; i > 0; i--) {
		if (lt->lt_held[i - 1].lh_lock == lock)
			break;
	}
	if (i == 0)
		return;		/* taken before the checker ran, or not pushed */
	h = lt->lt_held[i - 1];
	for (; i < lt->lt_depth; i++)
		lt->lt_held[i - 1] = lt->lt_held[i];
	lt->lt_depth--;
	if (!lockorder_enabled || lt->lt_busy)
		return;
	lt->lt_busy = 1;
	now = mach_absolute_time();
	runq = self->runq_time - h.lh_runq;
	note_hold(h.lh_slot, h.lh_kind, lockorder_hold_ns(h.lh_since, now, runq), runq);
	lt->lt_busy = 0;
}

void
lockorder_get_stats(struct lockorder_stats *st)
{
	*st = lo.stats;
	st->ls_enabled = lockorder_enabled != 0;
}

void
lockorder_foreach_group(void (*fn)(const struct lockorder_group_info *gi, void *ctx), void *ctx)
{
	uint32_t n = __atomic_load_n(&lo.ngroups, __ATOMIC_ACQUIRE);

	for (uint32_t i = 0; i < n; i++) {
		struct lockorder_group_info gi = {
			.lg_name = lo.groups[i].og_name,
			.lg_max_hold_ns = lo.groups[i].og_max_hold,
			.lg_long_holds = lo.groups[i].og_long_holds,
			.lg_kind_seen = lo.groups[i].og_kinds,
		};

		if (gi.lg_kind_seen != 0)
			fn(&gi, ctx);
	}
}

static uint16_t
slot_by_name(const char *name)
{
	uint32_t n = __atomic_load_n(&lo.ngroups, __ATOMIC_ACQUIRE);

	for (uint32_t i = 0; i < n; i++) {
		if (strncmp(lo.groups[i].og_name, name, LCK_GRP_MAX_NAME) == 0)
			return (uint16_t)(i + 1);
	}
	return 0;
}

unsigned
lockorder_pair_frames(const char *a, const char *b)
{
	uint16_t sa = slot_by_name(a), sb = slot_by_name(b);
	struct lockorder_pair *p;

	if (sa == 0 || sb == 0 || (p = pair_find(pair_key(sa, sb))) == NULL)
		return 0;
	return p->op_nframes > 0 ? p->op_nframes : 1;
}

void
lockorder_set_limits(uint32_t groups, uint32_t pairs)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&lo.lock);
	lo.group_limit = groups != 0 && groups < LOCKORDER_GROUPS ? groups : LOCKORDER_GROUPS;
	lo.pair_limit = pairs != 0 && pairs < LOCKORDER_PAIRS ? pairs : LOCKORDER_PAIRS;
	hw_lock_unlock(&lo.lock);
	ml_set_interrupts_enabled(s);
}

uint64_t
lockorder_set_hold_threshold(uint64_t ns)
{
	uint64_t old = lo.stats.ls_hold_threshold_ns;

	lo.stats.ls_hold_threshold_ns = ns;
	return old;
}

boolean_t
lockorder_pair_reported(const char *a, const char *b)
{
	uint16_t sa = slot_by_name(a), sb = slot_by_name(b);
	struct lockorder_pair *p, *r;

	if (sa == 0 || sb == 0)
		return FALSE;
	p = pair_find(pair_key(sa, sb));
	r = pair_find(pair_key(sb, sa));
	if (p == NULL || r == NULL)
		return FALSE;
	return (pair_key(sa, sb) < pair_key(sb, sa) ? p : r)->op_reported != 0;
}
