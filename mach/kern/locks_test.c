/*
 * locks_test.c - mutexes count exactly under contention; read-write locks
 * follow the guide's rules (readers share, writers exclude and are not
 * starved, an upgrade goes first, a second concurrent upgrade fails).
 */

#include "mach/kern/locks.h"

#include "iokit/Kernel/IOLib.h"
#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "libkern/bits.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

/* --- mutexes --------------------------------------------------------------- */

#define MTX_THREADS	4
#define MTX_ROUNDS	3000

struct counter {
	lck_mtx_t	*mtx;
	volatile uint64_t value;
	volatile int	done;
	volatile int	started;
	volatile uint64_t cpus;		/* the CPUs the workers ran on */
};

static void
counter_main(void *arg, int result)
{
	struct counter *c = arg;
	int n = __atomic_fetch_add(&c->started, 1, __ATOMIC_RELAXED);

	(void)result;
	/*
	 * The workers are spread over the CPUs by binding: left to the
	 * scheduler, a host that does not run one virtual CPU for a while
	 * would see them all run on the other.
	 */
	(void)thread_bind(&processor_array[(unsigned)n % processor_count]);
	thread_block(THREAD_CONTINUE_NULL);
	for (int i = 0; i < MTX_ROUNDS; i++) {
		lck_mtx_lock(c->mtx);
		uint64_t v = c->value;

		/* Give others a chance to find the lock held. */
		if (i % 64 == 0)
			thread_yield();
		c->value = v + 1;
		lck_mtx_unlock(c->mtx);
		__atomic_or_fetch(&c->cpus, 1ULL << cpu_number(), __ATOMIC_RELAXED);
	}
	(void)thread_bind(PROCESSOR_NULL);
	__atomic_add_fetch(&c->done, 1, __ATOMIC_RELEASE);
}

KTEST(locks, a_mutex_makes_a_shared_count_exact)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.mtx", LCK_GRP_ATTR_NULL);
	struct counter c = { .mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL) };
	thread_t t[MTX_THREADS];

	for (int i = 0; i < MTX_THREADS; i++)
		t[i] = ktest_thread_start(counter_main, &c, BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(c.done == MTX_THREADS, 20000));
	for (int i = 0; i < MTX_THREADS; i++)
		ktest_thread_join(t[i]);
	KT_EXPECT_EQ(c.value, MTX_THREADS * MTX_ROUNDS);
	/* On more than one CPU, if there are: the count was contended for in parallel. */
	KT_EXPECT_GE(bit_count(c.cpus), MIN(processor_count, 2));
	KT_EXPECT_EQ(grp->lck_grp_stats.mtx_acquires, MTX_THREADS * MTX_ROUNDS);
	KT_EXPECT_GT(grp->lck_grp_stats.mtx_contended, 0);	/* the yields made sure */
	lck_mtx_free(c.mtx, grp);
	lck_grp_free(grp);
}

KTEST(locks, try_lock_and_assert_know_the_owner)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.mtx2", LCK_GRP_ATTR_NULL);
	lck_mtx_t mtx;

	lck_mtx_init(&mtx, grp, LCK_ATTR_NULL);
	KT_EXPECT_TRUE(lck_mtx_try_lock(&mtx));
	lck_mtx_assert(&mtx, LCK_MTX_ASSERT_OWNED);
	KT_EXPECT_FALSE(lck_mtx_try_lock(&mtx));
	lck_mtx_unlock(&mtx);
	lck_mtx_assert(&mtx, LCK_MTX_ASSERT_NOTOWNED);
	lck_mtx_destroy(&mtx, grp);
	lck_grp_free(grp);
}

struct sleeper {
	lck_mtx_t	*mtx;
	volatile int	ready;
	volatile int	woke;
};

static void
mtx_sleeper_main(void *arg, int result)
{
	struct sleeper *s = arg;

	(void)result;
	lck_mtx_lock(s->mtx);
	while (!s->ready)
		(void)lck_mtx_sleep(s->mtx, LCK_SLEEP_DEFAULT, (event_t)&s->ready, THREAD_UNINT);
	lck_mtx_assert(s->mtx, LCK_MTX_ASSERT_OWNED);
	s->woke = 1;
	lck_mtx_unlock(s->mtx);
}

KTEST(locks, lck_mtx_sleep_releases_and_retakes)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.sleep", LCK_GRP_ATTR_NULL);
	struct sleeper s = { .mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL) };
	thread_t t = ktest_thread_start(mtx_sleeper_main, &s, BASEPRI_DEFAULT);

	IOSleep(20);
	lck_mtx_lock(s.mtx);		/* free: the sleeper let go */
	s.ready = 1;
	thread_wakeup((event_t)&s.ready);
	lck_mtx_unlock(s.mtx);
	KT_EXPECT_TRUE(ktest_wait_until(s.woke, 1000));
	ktest_thread_join(t);
	lck_mtx_free(s.mtx, grp);
	lck_grp_free(grp);
}

/* A thread asleep on the mutex's own address, as a pipe reader sleeps on its pipe. */
struct channel_sleeper {
	lck_mtx_t	*mtx;
	volatile int	woke;
	volatile int	locked;
};

static void
channel_sleeper_main(void *arg, int result)
{
	struct channel_sleeper *c = arg;

	(void)result;
	(void)assert_wait((event_t)c->mtx, THREAD_UNINT);
	(void)thread_block(THREAD_CONTINUE_NULL);
	c->woke = 1;
}

static void
mtx_waiter_main(void *arg, int result)
{
	struct channel_sleeper *c = arg;

	(void)result;
	lck_mtx_lock(c->mtx);
	c->locked = 1;
	lck_mtx_unlock(c->mtx);
}

/*
 * The wakeup an unlock sends goes to a thread waiting for the mutex, not
 * to one that sleeps on the mutex's address for reasons of its own.
 */
KTEST(locks, an_unlock_wakes_a_waiter_not_a_sleeper_on_the_same_address)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.alias", LCK_GRP_ATTR_NULL);
	struct channel_sleeper c = { .mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL) };
	thread_t sleeper, waiter;

	lck_mtx_lock(c.mtx);
	sleeper = ktest_thread_start(channel_sleeper_main, &c, BASEPRI_DEFAULT);
	IOSleep(20);				/* asleep first, at the head of the queue */
	waiter = ktest_thread_start(mtx_waiter_main, &c, BASEPRI_DEFAULT);
	IOSleep(20);				/* then blocked on the mutex */
	lck_mtx_unlock(c.mtx);
	KT_EXPECT_TRUE(ktest_wait_until(c.locked, 2000));
	KT_EXPECT_FALSE(c.woke);
	thread_wakeup((event_t)c.mtx);
	KT_EXPECT_TRUE(ktest_wait_until(c.woke, 2000));
	ktest_thread_join(waiter);
	ktest_thread_join(sleeper);
	lck_mtx_free(c.mtx, grp);
	lck_grp_free(grp);
}

KTEST(locks, groups_keep_statistics_when_asked)
{
	lck_grp_attr_t *attr = lck_grp_attr_alloc_init();
	lck_grp_t *grp;
	lck_mtx_t *mtx;

	lck_grp_attr_setstat(attr);
	grp = lck_grp_alloc_init("ktest.stat", attr);
	lck_grp_attr_free(attr);
	mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL);
	lck_mtx_lock(mtx);
	IODelay(2000);
	lck_mtx_unlock(mtx);
	KT_EXPECT_GE(grp->lck_grp_stats.held_ns, 2000ULL * 1000);
	KT_EXPECT_GE(grp->lck_grp_stats.held_ns_max, 2000ULL * 1000);
	lck_mtx_free(mtx, grp);
	lck_grp_free(grp);
}

/* --- read-write locks ------------------------------------------------------ */

struct rw_fixture {
	lck_grp_t	*grp;
	lck_rw_t	*rw;
	volatile int	inside;		/* readers holding it now */
	volatile int	most_inside;
	volatile int	release;
	volatile int	order[4];
	volatile int	norder;
	volatile int	upgraded[2];
	volatile int	upgrade_done[2];
};

static void
rw_fixture_init(struct rw_fixture *f, const char *name)
{
	*f = (struct rw_fixture){ .grp = lck_grp_alloc_init(name, LCK_GRP_ATTR_NULL) };
	f->rw = lck_rw_alloc_init(f->grp, LCK_ATTR_NULL);
}

static void
rw_fixture_fini(struct rw_fixture *f)
{
	lck_rw_free(f->rw, f->grp);
	lck_grp_free(f->grp);
}

static void
note(struct rw_fixture *f, int who)
{
	int slot = __atomic_fetch_add(&f->norder, 1, __ATOMIC_ACQ_REL);

	if (slot < 4)
		f->order[slot] = who;
}

static void
reader_main(void *arg, int result)
{
	struct rw_fixture *f = arg;
	int now;

	(void)result;
	lck_rw_lock_shared(f->rw);
	now = __atomic_add_fetch(&f->inside, 1, __ATOMIC_ACQ_REL);
	/* An atomic maximum: a plain compare-then-store can be overtaken. */
	for (int seen = __atomic_load_n(&f->most_inside, __ATOMIC_ACQUIRE); now > seen;) {
		if (__atomic_compare_exchange_n(&f->most_inside, &seen, now, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
	}
	note(f, 'R');
	while (!__atomic_load_n(&f->release, __ATOMIC_ACQUIRE))
		IOSleep(1);
	__atomic_sub_fetch(&f->inside, 1, __ATOMIC_ACQ_REL);
	lck_rw_unlock_shared(f->rw);
}

static void
writer_main(void *arg, int result)
{
	struct rw_fixture *f = arg;

	(void)result;
	lck_rw_lock_exclusive(f->rw);
	note(f, 'W');
	lck_rw_unlock_exclusive(f->rw);
}

KTEST(locks, readers_share_an_rw_lock)
{
	struct rw_fixture f;
	thread_t t[3];

	rw_fixture_init(&f, "ktest.rw1");
	for (int i = 0; i < 3; i++)
		t[i] = ktest_thread_start(reader_main, &f, BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(f.inside == 3, 2000));
	f.release = 1;
	for (int i = 0; i < 3; i++)
		ktest_thread_join(t[i]);
	KT_EXPECT_EQ(f.most_inside, 3);
	rw_fixture_fini(&f);
}

KTEST(locks, a_writer_excludes_readers)
{
	struct rw_fixture f;
	thread_t t;

	rw_fixture_init(&f, "ktest.rw2");
	f.release = 1;
	lck_rw_lock_exclusive(f.rw);
	t = ktest_thread_start(reader_main, &f, BASEPRI_DEFAULT);
	IOSleep(30);
	KT_EXPECT_EQ(f.norder, 0);			/* the reader is kept out */
	KT_EXPECT_FALSE(lck_rw_try_lock_shared(f.rw));
	lck_rw_unlock_exclusive(f.rw);
	KT_EXPECT_TRUE(ktest_wait_until(f.norder == 1, 1000));
	ktest_thread_join(t);
	rw_fixture_fini(&f);
}

KTEST(locks, a_waiting_writer_is_not_starved_by_new_readers)
{
	struct rw_fixture f;
	thread_t w, r;

	rw_fixture_init(&f, "ktest.rw3");
	lck_rw_lock_shared(f.rw);
	w = ktest_thread_start(writer_main, &f, BASEPRI_DEFAULT);
	IOSleep(30);					/* the writer now waits */
	KT_EXPECT_FALSE(lck_rw_try_lock_shared(f.rw));	/* so new readers do too */
	f.release = 1;
	r = ktest_thread_start(reader_main, &f, BASEPRI_DEFAULT);
	IOSleep(30);
	KT_EXPECT_EQ(f.norder, 0);
	lck_rw_unlock_shared(f.rw);
	KT_EXPECT_TRUE(ktest_wait_until(f.norder == 2, 1000));
	KT_EXPECT_EQ(f.order[0], 'W');			/* the writer first */
	KT_EXPECT_EQ(f.order[1], 'R');
	ktest_thread_join(w);
	ktest_thread_join(r);
	rw_fixture_fini(&f);
}

struct upgrader {
	struct rw_fixture *f;
	int		who;
	volatile int	holding;
	volatile int	go;
};

static void
upgrader_main(void *arg, int result)
{
	struct upgrader *u = arg;
	struct rw_fixture *f = u->f;

	(void)result;
	lck_rw_lock_shared(f->rw);
	u->holding = 1;
	while (!__atomic_load_n(&u->go, __ATOMIC_ACQUIRE))
		IOSleep(1);
	f->upgraded[u->who] = lck_rw_lock_shared_to_exclusive(f->rw);
	if (f->upgraded[u->who]) {
		note(f, 'U');
		lck_rw_unlock_exclusive(f->rw);
	}
	f->upgrade_done[u->who] = 1;
}

/*
 * Two readers hold the lock and a writer waits. The first reader to ask
 * for an upgrade gets the lock before the writer; the second, asking while
 * the first is still waiting for it, is refused and loses its read hold.
 */
KTEST(locks, an_upgrade_goes_first_and_a_second_one_fails)
{
	struct rw_fixture f;
	struct upgrader a, b;
	thread_t ta, tb, w;

	rw_fixture_init(&f, "ktest.rw4");
	a = (struct upgrader){ .f = &f, .who = 0 };
	b = (struct upgrader){ .f = &f, .who = 1 };
	ta = ktest_thread_start(upgrader_main, &a, BASEPRI_DEFAULT);
	tb = ktest_thread_start(upgrader_main, &b, BASEPRI_DEFAULT);
	KT_ASSERT_TRUE(ktest_wait_until(a.holding && b.holding, 1000));
	w = ktest_thread_start(writer_main, &f, BASEPRI_DEFAULT);
	IOSleep(30);					/* the writer waits for the readers */
	a.go = 1;					/* a upgrades; waits for b to leave */
	IOSleep(30);
	KT_EXPECT_FALSE(f.upgrade_done[0]);
	b.go = 1;					/* b's upgrade fails: b lets go */
	KT_EXPECT_TRUE(ktest_wait_until(f.upgrade_done[0] && f.upgrade_done[1] &&
	    f.norder == 2, 2000));
	KT_EXPECT_TRUE(f.upgraded[0]);
	KT_EXPECT_FALSE(f.upgraded[1]);
	KT_EXPECT_EQ(f.order[0], 'U');			/* ahead of the waiting writer */
	KT_EXPECT_EQ(f.order[1], 'W');
	ktest_thread_join(ta);
	ktest_thread_join(tb);
	ktest_thread_join(w);
	rw_fixture_fini(&f);
}

KTEST(locks, an_rw_lock_downgrades_and_reports_how_it_was_held)
{
	struct rw_fixture f;

	rw_fixture_init(&f, "ktest.rw5");
	lck_rw_lock_exclusive(f.rw);
	lck_rw_assert(f.rw, LCK_RW_ASSERT_EXCLUSIVE);
	lck_rw_lock_exclusive_to_shared(f.rw);
	lck_rw_assert(f.rw, LCK_RW_ASSERT_SHARED);
	KT_EXPECT_TRUE(lck_rw_try_lock_shared(f.rw));		/* shared is shared */
	KT_EXPECT_FALSE(lck_rw_try_lock_exclusive(f.rw));
	KT_EXPECT_EQ(lck_rw_done(f.rw), LCK_RW_TYPE_SHARED);
	KT_EXPECT_EQ(lck_rw_done(f.rw), LCK_RW_TYPE_SHARED);
	KT_EXPECT_TRUE(lck_rw_try_lock_exclusive(f.rw));
	KT_EXPECT_EQ(lck_rw_done(f.rw), LCK_RW_TYPE_EXCLUSIVE);
	rw_fixture_fini(&f);
}

/* --- spin locks ------------------------------------------------------------ */

KTEST(locks, a_spin_lock_holds_off_preemption)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.spin", LCK_GRP_ATTR_NULL);
	lck_spin_t *spin = lck_spin_alloc_init(grp, LCK_ATTR_NULL);
	int level = get_preemption_level();

	lck_spin_lock(spin);
	KT_EXPECT_EQ(get_preemption_level(), level + 1);
	KT_EXPECT_FALSE(lck_spin_try_lock(spin));
	KT_EXPECT_EQ(get_preemption_level(), level + 1);	/* a failed try gives it back */
	lck_spin_unlock(spin);
	KT_EXPECT_EQ(get_preemption_level(), level);
	KT_EXPECT_EQ(grp->lck_grp_stats.spin_acquires, 1);
	lck_spin_free(spin, grp);
	lck_grp_free(grp);
}

/* --- for the debugger -------------------------------------------------------- */

struct contender {
	lck_mtx_t	*mtx;
	volatile int	got;
};

static void
contender_main(void *arg, int result)
{
	struct contender *c = arg;

	(void)result;
	lck_mtx_lock(c->mtx);		/* sleeps: the test holds it */
	c->got = 1;
	lck_mtx_unlock(c->mtx);
}

/*
 * A contended mutex held still for the debugger: this thread holds it,
 * another sleeps on it, and PE_enter_debugger stops in gdb if one is
 * attached (the gdb tier runs `showlocks` there); then the mutex goes.
 * Only when named (tests=locks.a_contended_mutex_for_the_debugger).
 */
KTEST_EXPLICIT(locks, a_contended_mutex_for_the_debugger)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.contended", LCK_GRP_ATTR_NULL);
	struct contender c = { .mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL) };
	thread_t t;

	lck_mtx_lock(c.mtx);
	t = ktest_thread_start(contender_main, &c, BASEPRI_DEFAULT);
	thread_set_name(t, "contender");
	KT_EXPECT_TRUE(ktest_wait_until((t->state & TH_WAIT) && t->wait_message != NULL, 5000));
	PE_enter_debugger("locks: a contended mutex, held by the test, wanted by 'contender'");
	lck_mtx_unlock(c.mtx);
	ktest_thread_join(t);
	KT_EXPECT_EQ(c.got, 1);
	lck_mtx_free(c.mtx, grp);
	lck_grp_free(grp);
}
