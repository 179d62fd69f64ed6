/*
 * timer_call_test.c - timers fire no earlier than their deadlines, in
 * deadline order, and not at all once cancelled; the time services built
 * on them keep their promises.
 */

#include "mach/kern/timer_call.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "iokit/Kernel/IOLib.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "tests/ktest.h"

struct fired {
	volatile int	count;
	int		order[4];
	uint64_t	deadline[4];
	uint64_t	at[4];
};

static void
record(void *p0, void *p1)
{
	struct fired *f = p0;
	int n = f->count;

	if (n < 4) {
		f->order[n] = (int)(uintptr_t)p1;
		f->at[n] = mach_absolute_time();
	}
	__atomic_store_n(&f->count, n + 1, __ATOMIC_RELEASE);
}

KTEST(timer, calls_fire_in_order_and_not_early)
{
	static const uint64_t ms[3] = { 30, 10, 20 };
	timer_call_data_t calls[4];
	struct fired f = { .count = 0 };
	uint64_t now = mach_absolute_time();

	for (int i = 0; i < 3; i++) {
		timer_call_setup(&calls[i], record, &f);
		f.deadline[i] = now + ms[i] * NSEC_PER_MSEC;
		(void)timer_call_enter1(&calls[i], (void *)(uintptr_t)i, f.deadline[i], 0);
	}
	/* A fourth, cancelled before its time: it must never fire. */
	timer_call_setup(&calls[3], record, &f);
	(void)timer_call_enter1(&calls[3], (void *)3, now + 15 * NSEC_PER_MSEC, 0);
	KT_EXPECT_TRUE(timer_call_cancel(&calls[3]));
	KT_EXPECT_FALSE(timer_call_cancel(&calls[3]));

	KT_EXPECT_TRUE(ktest_wait_until(f.count == 3, 2000));
	IOSleep(30);
	KT_EXPECT_EQ(f.count, 3);
	KT_EXPECT_EQ(f.order[0], 1);
	KT_EXPECT_EQ(f.order[1], 2);
	KT_EXPECT_EQ(f.order[2], 0);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_GE(f.at[i], f.deadline[f.order[i]]);
}

KTEST(timer, sleeps_and_delays_last_at_least_as_long_as_asked)
{
	uint64_t t0 = mach_absolute_time(), t1, t2;

	IOSleep(20);
	t1 = mach_absolute_time();
	IODelay(3000);
	t2 = mach_absolute_time();
	KT_EXPECT_GE(t1 - t0, 20 * NSEC_PER_MSEC);
	KT_EXPECT_GE(t2 - t1, 3 * NSEC_PER_MSEC);
}

KTEST(timer, msleep_times_out_or_is_woken)
{
	lck_grp_t *grp = lck_grp_alloc_init("ktest.msleep", LCK_GRP_ATTR_NULL);
	lck_mtx_t *mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL);
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int chan;

	lck_mtx_lock(mtx);
	KT_EXPECT_EQ(msleep(&chan, mtx, 0, "ktest", &ts), EWOULDBLOCK);
	lck_mtx_assert(mtx, LCK_MTX_ASSERT_OWNED);
	KT_EXPECT_EQ(msleep(&chan, mtx, PDROP, "ktest", &ts), EWOULDBLOCK);
	lck_mtx_assert(mtx, LCK_MTX_ASSERT_NOTOWNED);
	ts.tv_nsec = -1;
	KT_EXPECT_EQ(msleep(&chan, NULL, 0, "ktest", &ts), EINVAL);
	lck_mtx_free(mtx, grp);
	lck_grp_free(grp);
}

KTEST(clock, calendar_time_comes_from_the_rtc)
{
	uint32_t secs, nsecs, usecs, up;

	clock_get_calendar_nanotime(&secs, &nsecs);
	KT_EXPECT_GT(secs, 1577836800u);	/* after 2020-01-01 */
	KT_EXPECT_LT(nsecs, 1000000000u);
	clock_get_calendar_microtime(&secs, &usecs);
	KT_EXPECT_LT(usecs, 1000000u);
	clock_get_system_nanotime(&up, &nsecs);
	KT_EXPECT_LT(up, 3600u);		/* a test boot is young */
}
