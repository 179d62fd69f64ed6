/*
 * kern_futex.c - futex (kern_futex.h).
 */

#include "bsd/kern/kern_futex.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/user.h"
#include "kernel/copyio.h"
#include "libkern/queue.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/thread.h"

#define FUTEX_BUCKETS	64		/* a power of two */

struct futex_waiter {
	TAILQ_ENTRY(futex_waiter) fw_link;	/* [B] its bucket's list */
	vm_map_t	fw_map;			/* [I] */
	uint64_t	fw_uaddr;		/* [I] */
	uint32_t	fw_bitset;		/* [I] */
	int		fw_woken;		/* [B] */
};

static struct futex_bucket {
	lck_mtx_t			fb_lock;
	TAILQ_HEAD(, futex_waiter)	fb_waiters;	/* [B] */
} futex_buckets[FUTEX_BUCKETS];

static lck_grp_t futex_lck_grp;

void
futex_init(void)
{
	lck_grp_init(&futex_lck_grp, "futex", LCK_GRP_ATTR_NULL);
	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		lck_mtx_init(&futex_buckets[i].fb_lock, &futex_lck_grp, LCK_ATTR_NULL);
		TAILQ_INIT(&futex_buckets[i].fb_waiters);
	}
}

static struct futex_bucket *
futex_bucket(vm_map_t map, uint64_t uaddr)
{
	uint64_t h = (uaddr >> 2) ^ ((uint64_t)(uintptr_t)map >> 6);

	h ^= h >> 17;
	return &futex_buckets[h & (FUTEX_BUCKETS - 1)];
}

static int
futex_wake_bits(vm_map_t map, uint64_t uaddr, int n, uint32_t bitset)
{
	struct futex_bucket *b = futex_bucket(map, uaddr);
	struct futex_waiter *w, *next;
	int woken = 0;

	lck_mtx_lock(&b->fb_lock);
	for (w = TAILQ_FIRST(&b->fb_waiters); w != NULL && woken < n; w = next) {
		next = TAILQ_NEXT(w, fw_link);
		if (w->fw_map != map || w->fw_uaddr != uaddr || !(w->fw_bitset & bitset))
			continue;
		TAILQ_REMOVE(&b->fb_waiters, w, fw_link);
		w->fw_woken = 1;
		wakeup(w);
		woken++;
	}
	lck_mtx_unlock(&b->fb_lock);
	return woken;
}

int
futex_wake_map(vm_map_t map, uint64_t uaddr, int n)
{
	return futex_wake_bits(map, uaddr, n, ~0U);
}

/* Sleep on uaddr while it holds val, until deadline (absolute; 0: none). */
static int
futex_wait(vm_map_t map, uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	struct futex_bucket *b = futex_bucket(map, uaddr);
	struct futex_waiter w = {
		.fw_map = map, .fw_uaddr = uaddr, .fw_bitset = bitset,
	};
	uint32_t cur;
	int error;

	lck_mtx_lock(&b->fb_lock);
	error = copyin(uaddr, &cur, sizeof(cur));
	if (error == 0 && cur != val)
		error = EAGAIN;
	if (error != 0) {
		lck_mtx_unlock(&b->fb_lock);
		return error;
	}
	TAILQ_INSERT_TAIL(&b->fb_waiters, &w, fw_link);
	while (!w.fw_woken) {
		error = msleep0(&w, &b->fb_lock, PCATCH, "futex",
		    deadline != 0 ? deadline : TIMEOUT_WAIT_FOREVER);
		if (error != 0)
			break;
	}
	if (w.fw_woken)
		error = 0;		/* woken: that wins over a late timeout or signal */
	else
		TAILQ_REMOVE(&b->fb_waiters, &w, fw_link);
	lck_mtx_unlock(&b->fb_lock);
	if (error == EWOULDBLOCK)
		return ETIMEDOUT;
	return error;
}

/* The deadline of a FUTEX_WAIT timeout (relative) or a bitset one (absolute). */
static int
futex_deadline(user_addr_t uts, int relative, uint64_t *deadline)
{
	struct timespec ts;
	int error;

	*deadline = 0;
	if (uts == 0)
		return 0;
	error = copyin(uts, &ts, sizeof(ts));
	if (error != 0)
		return error;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return EINVAL;
	if (ts.tv_sec > (int64_t)(UINT64_MAX / NSEC_PER_SEC / 4))
		return 0;		/* as good as for ever */
	*deadline = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	if (relative)
		*deadline += mach_absolute_time();
	if (*deadline == 0 || *deadline == TIMEOUT_WAIT_FOREVER)
		*deadline = 1;
	return 0;
}

int
futex(struct proc *p, struct futex_args *uap, int64_t *retval)
{
	vm_map_t map = current_thread()->map;
	int cmd = (int)uap->op & FUTEX_CMD_MASK;
	uint64_t deadline;
	uint32_t bitset = ~0U;
	int error;

	(void)p;
	*retval = 0;
	if (uap->uaddr & 3)
		return EINVAL;
	switch (cmd) {
	case FUTEX_WAIT_BITSET:
		bitset = (uint32_t)uap->val3;
		if (bitset == 0)
			return EINVAL;
		/* FALLTHROUGH */
	case FUTEX_WAIT:
		error = futex_deadline(uap->timeout, cmd == FUTEX_WAIT, &deadline);
		if (error != 0)
			return error;
		return futex_wait(map, uap->uaddr, (uint32_t)uap->val, deadline, bitset);
	case FUTEX_WAKE_BITSET:
		bitset = (uint32_t)uap->val3;
		if (bitset == 0)
			return EINVAL;
		/* FALLTHROUGH */
	case FUTEX_WAKE:
		if ((int)uap->val < 0)
			return EINVAL;
		*retval = futex_wake_bits(map, uap->uaddr, (int)uap->val, bitset);
		return 0;
	default:
		return ENOSYS;
	}
}

void
futex_thread_exit(struct uthread *ut)
{
	uint32_t zero = 0;
	uint64_t addr = ut->uu_tid_address;

	if (addr == 0 || (addr & 3))
		return;
	ut->uu_tid_address = 0;
	if (copyout(&zero, addr, sizeof(zero)) == 0)
		(void)futex_wake_map(current_thread()->map, addr, 1);
}
