/*
 * kern_lockorder.c - debug.lockorder: the lock-order checker's counters
 * and every group's longest hold (mach/kern/lock_order.h,
 * docs/locking.md), and debug.tasks and debug.vnodes, the live Mach
 * tasks and vnodes, for the soak's end-of-run leak checks, and
 * debug.kernel_stacks_cached, the free kernel stacks kept mapped
 * (mach/kern/stack.h), each one VM map entry the zone counts show.
 */

#include "bsd/sys/sysctl.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/kheap.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/lock_order.h"
#include "mach/kern/stack.h"
#include "mach/kern/task.h"

#define HOLDS_TEXT_MAX	(32 * 1024)
#define RO		(CTLFLAG_RD | CTLFLAG_LOCKED)

/* arg2 picks the counter. */
static int
sysctl_lockorder_stat SYSCTL_HANDLER_ARGS
{
	struct lockorder_stats st;
	uint64_t v;

	(void)oidp;
	(void)arg1;
	lockorder_get_stats(&st);
	switch (arg2) {
	case 0: v = st.ls_enabled; break;
	case 1: v = st.ls_inversions; break;
	case 2: v = st.ls_pairs; break;
	case 3: v = st.ls_groups; break;
	case 4: v = st.ls_pairs_full; break;
	case 5: v = st.ls_groups_full; break;
	case 6: v = st.ls_stack_overflow; break;
	case 7: v = st.ls_long_spin; break;
	case 8: v = st.ls_long_sleep; break;
	case 10: v = st.ls_max_queued_ns / 1000; break;
	default: v = st.ls_hold_threshold_ns / 1000; break;
	}
	return SYSCTL_OUT(req, &v, sizeof(v));
}

struct holds_text {
	char	*buf;
	size_t	len;
};

static void
holds_line(const struct lockorder_group_info *gi, void *ctx)
{
	struct holds_text *t = ctx;
	int n;

	if (t->len >= HOLDS_TEXT_MAX)
		return;
	n = snprintf(t->buf + t->len, HOLDS_TEXT_MAX - t->len, "%s %s %llu %llu\n",
	    gi->lg_name, (gi->lg_kind_seen & (1u << LOCKORDER_SPIN)) ? "spin" : "sleep",
	    (unsigned long long)gi->lg_max_hold_ns, (unsigned long long)gi->lg_long_holds);
	if (n > 0)
		t->len += (size_t)n;
	if (t->len > HOLDS_TEXT_MAX - 1)
		t->len = HOLDS_TEXT_MAX - 1;
}

/* One line a group: "name spin|sleep max_hold_ns long_holds". */
static int
sysctl_lockorder_holds SYSCTL_HANDLER_ARGS
{
	struct holds_text t = { kheap_alloc(&kernel_heap, HOLDS_TEXT_MAX), 0 };
	int error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	if (t.buf == NULL)
		return ENOMEM;
	t.buf[0] = '\0';
	lockorder_foreach_group(holds_line, &t);
	error = SYSCTL_OUT(req, t.buf, t.len + 1);
	kheap_free(&kernel_heap, t.buf);
	return error;
}

static int
sysctl_live_count SYSCTL_HANDLER_ARGS
{
	uint64_t v = arg2 == 0 ? task_count() : arg2 == 1 ? vnode_count() : stack_cache_count();

	(void)oidp;
	(void)arg1;
	return SYSCTL_OUT(req, &v, sizeof(v));
}

SYSCTL_NODE(_debug, OID_AUTO, lockorder, RO, NULL, "the lock-order checker");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, enabled, CTLTYPE_QUAD | RO, NULL, 0,
    sysctl_lockorder_stat, "Q", "1 if it runs (boot-arg lockorder=1)");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, inversions, CTLTYPE_QUAD | RO, NULL, 1,
    sysctl_lockorder_stat, "Q", "pairs of groups taken in both orders");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, pairs, CTLTYPE_QUAD | RO, NULL, 2,
    sysctl_lockorder_stat, "Q", "orders learnt");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, groups, CTLTYPE_QUAD | RO, NULL, 3,
    sysctl_lockorder_stat, "Q", "group names tracked");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, pairs_full, CTLTYPE_QUAD | RO, NULL, 4,
    sysctl_lockorder_stat, "Q", "orders not learnt: the table was full");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, groups_full, CTLTYPE_QUAD | RO, NULL, 5,
    sysctl_lockorder_stat, "Q", "groups not tracked: the table was full");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, stack_overflow, CTLTYPE_QUAD | RO, NULL, 6,
    sysctl_lockorder_stat, "Q", "locks not tracked: a thread held too many");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, long_spin_holds, CTLTYPE_QUAD | RO, NULL, 7,
    sysctl_lockorder_stat, "Q", "spin-lock holds over the threshold");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, long_sleep_holds, CTLTYPE_QUAD | RO, NULL, 8,
    sysctl_lockorder_stat, "Q", "mutex and rw-lock holds over the threshold");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, hold_threshold_us, CTLTYPE_QUAD | RO, NULL, 9,
    sysctl_lockorder_stat, "Q", "a hold longer than this is counted (lockorder_hold_ms)");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, max_queued_us, CTLTYPE_QUAD | RO, NULL, 10,
    sysctl_lockorder_stat, "Q", "the longest a lock's holder waited for a CPU (not held)");
SYSCTL_PROC(_debug_lockorder, OID_AUTO, holds, CTLTYPE_STRING | RO, NULL, 0,
    sysctl_lockorder_holds, "A", "each group's longest hold: name kind ns long-holds");
SYSCTL_PROC(_debug, OID_AUTO, tasks, CTLTYPE_QUAD | RO, NULL, 0, sysctl_live_count, "Q",
    "user tasks alive");
SYSCTL_PROC(_debug, OID_AUTO, vnodes, CTLTYPE_QUAD | RO, NULL, 1, sysctl_live_count, "Q",
    "vnodes alive");
SYSCTL_PROC(_debug, OID_AUTO, kernel_stacks_cached, CTLTYPE_QUAD | RO, NULL, 2,
    sysctl_live_count, "Q", "free kernel stacks kept mapped for reuse");
