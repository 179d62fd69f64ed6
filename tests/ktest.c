/*
 * ktest.c - the in-kernel test and benchmark runners.
 *
 * Output is TAP version 13 on the console:
 *
 *	TAP version 13
 *	1..3
 *	ok 1 - printf.widths
 *	not ok 2 - vm_phys.double_free_caught
 *	#   mach/vm/vm_phys_test.c:40: expected rc == 0 (0x5 vs 0x0)
 *	ok 3 - kheap.grows
 *	# ktest: 2 passed, 1 failed
 *
 * then the machine powers off with MACHINE_EXIT_SUCCESS or _FAILURE. Tests
 * run one at a time on the boot CPU, in the order the linker placed them.
 */

#include "tests/ktest.h"

#include <stdarg.h>

#include "bsd/sys/namei.h"
#include "kernel/console.h"
#include "kernel/kheap.h"
#include "kernel/machine_routines.h"
#include "kernel/msgbuf.h"
#include "libkern/glob.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/stack.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_phys.h"
#include "iokit/Kernel/IOLib.h"

#define KTEST_MAX	1024

extern const struct ktest *const __ktests_start[], *const __ktests_end[];
extern const struct kbench *const __kbench_start[], *const __kbench_end[];

/* The running test's record: [boot CPU only, one test at a time]. */
static struct {
	unsigned	failures;
} current;

bool
ktest_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	current.failures++;
	printf("#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

/*
 * Does a test match? Explicit tests only when a pattern names them exactly;
 * the others when any pattern matches.
 */
static bool
ktest_selected(const struct ktest *t, const char *globs)
{
	char full[128];
	const char *p = globs, *comma;

	snprintf(full, sizeof(full), "%s.%s", t->kt_suite, t->kt_name);
	if (!(t->kt_flags & KTEST_F_EXPLICIT))
		return glob_match_list(globs, full);
	for (;;) {
		size_t len;

		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == strlen(full) && memcmp(p, full, len) == 0)
			return true;
		if (comma == NULL)
			return false;
		p = comma + 1;
	}
}

/*
 * What a test must give back: physical pages (counting the heap's arenas as
 * still free, since the heap keeps them for reuse) and heap bytes. Zones
 * keep wholly free chunks (their pages, and their bookkeeping on the heap)
 * for reuse, so a test that freed every element it took may still leave
 * one behind in a zone the kernel keeps (maps, FPU state, kalloc's): every
 * zone gives its empty chunks back first, before and after the test, so
 * that what is compared is what the test really kept. The name cache is
 * emptied first too: it grows by the names a test looks up (by a page
 * whenever its zone fills one), and a cache that grows is not a leak.
 * So are the free kernel stacks kept for reuse (stack_collect), and the
 * free kmsgs the CPUs keep for their next message (ipc_kmsg_collect).
 */
static void
resources(uint64_t *pages, uint64_t *heap_bytes)
{
	struct kheap_stats st;

	cache_purge_all();
	stack_collect();
	ipc_kmsg_collect();
	zone_gc();
	kheap_get_stats(&kernel_heap, &st);
	*pages = vm_phys_free_pages(&vm_phys_kernel) + atop(st.khs_arena_bytes);
	*heap_bytes = st.khs_inuse_bytes;
}

/*
 * Which zones a leaking test left elements in: the zones' counts of
 * elements in use, before and after, so that "leaked 1 physical pages"
 * comes with the zone that kept them.
 */
#define KTEST_ZONES	256

struct ktest_zone_snap {
	unsigned	n;
	zone_t		zone[KTEST_ZONES];
	uint64_t	inuse[KTEST_ZONES];
};

static struct ktest_zone_snap zones_before, zones_after;

static void
ktest_zone_snap_one(zone_t zone, void *arg)
{
	struct ktest_zone_snap *snap = arg;
	struct zone_info zi;

	if (snap->n == KTEST_ZONES)
		return;
	zone_get_info(zone, &zi);
	snap->zone[snap->n] = zone;
	snap->inuse[snap->n++] = zi.zi_elems_inuse;
}

static void
ktest_zone_snap(struct ktest_zone_snap *snap)
{
	snap->n = 0;
	zone_iterate(ktest_zone_snap_one, snap);
}

static void
ktest_zone_report(void)
{
	for (unsigned i = 0; i < zones_after.n; i++) {
		uint64_t before = 0;

		for (unsigned j = 0; j < zones_before.n; j++) {
			if (zones_before.zone[j] == zones_after.zone[i])
				before = zones_before.inuse[j];
		}
		if (zones_after.inuse[i] > before)
			printf("#   zone %s: %llu more elements in use\n",
			    zone_name(zones_after.zone[i]),
			    (unsigned long long)(zones_after.inuse[i] - before));
	}
}

/* Run one test; returns true if it passed. */
static bool
ktest_run_one(const struct ktest *t, unsigned index)
{
	uint64_t pages_before, heap_before, pages_after, heap_after;

	current.failures = 0;
	printf("# %s.%s\n", t->kt_suite, t->kt_name);
	resources(&pages_before, &heap_before);
	ktest_zone_snap(&zones_before);
	t->kt_fn();
	resources(&pages_after, &heap_after);
	if (pages_after != pages_before) {
		(void)ktest_check(false, t->kt_file, t->kt_line,
		    "leaked %lld physical pages", (long long)(pages_before - pages_after));
		ktest_zone_snap(&zones_after);
		ktest_zone_report();
	}
	if (heap_after != heap_before)
		(void)ktest_check(false, t->kt_file, t->kt_line,
		    "leaked %lld heap bytes", (long long)(heap_after - heap_before));
	printf("%s %u - %s.%s\n", current.failures == 0 ? "ok" : "not ok", index,
	    t->kt_suite, t->kt_name);
	return current.failures == 0;
}

uint64_t
ktest_log_cursor(void)
{
	return __atomic_load_n(&msgbuf.msg_bufx, __ATOMIC_ACQUIRE);
}

bool
ktest_log_has(uint64_t cursor, const char *needle)
{
	static char buf[8192];
	size_t n = msgbuf_read(&cursor, buf, sizeof(buf) - 1);

	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

/* Source order: by file, then line, whatever order the linker chose. */
static bool
ktest_before(const struct ktest *a, const struct ktest *b)
{
	int c = strcmp(a->kt_file, b->kt_file);

	return c < 0 || (c == 0 && a->kt_line < b->kt_line);
}

void
ktest_main(const char *globs)
{
	static const struct ktest *selected[KTEST_MAX];
	unsigned total = 0, passed = 0;

	for (const struct ktest *const *t = __ktests_start; t < __ktests_end; t++) {
		unsigned i;

		if (!ktest_selected(*t, globs))
			continue;
		if (total == KTEST_MAX) {
			printf("# ktest: more than %d tests; the rest do not run\n", KTEST_MAX);
			break;
		}
		for (i = total++; i > 0 && ktest_before(*t, selected[i - 1]); i--)
			selected[i] = selected[i - 1];
		selected[i] = *t;
	}
	printf("TAP version 13\n1..%u\n", total);
	for (unsigned i = 0; i < total; i++)
		passed += ktest_run_one(selected[i], i + 1);
	if (total == 0)
		printf("# ktest: no test matches \"%s\"\n", globs);
	printf("# ktest: %u passed, %u failed\n", passed, total - passed);
	/* Naming no test at all is a mistake worth failing on. */
	machine_exit(total > 0 && passed == total ? MACHINE_EXIT_SUCCESS
						  : MACHINE_EXIT_FAILURE);
}

void
kbench_report(const char *name, uint64_t value, const char *unit)
{
	printf("%s %llu %s\n", name, (unsigned long long)value, unit);
}

void
kbench_main(const char *globs)
{
	unsigned n = 0;

	printf("# kbench: %s\n", globs);
	for (const struct kbench *const *b = __kbench_start; b < __kbench_end; b++) {
		if (glob_match_list(globs, (*b)->kb_name)) {
			(*b)->kb_fn();
			n++;
		}
	}
	if (n == 0)
		printf("# kbench: no benchmark matches \"%s\"\n", globs);
	printf("# kbench: done\n");
	machine_exit(MACHINE_EXIT_SUCCESS);
}

struct thread *
ktest_thread_start(void (*fn)(void *arg, int result), void *arg, int pri)
{
	thread_t t;

	if (kernel_thread_create((thread_continue_t)fn, arg, pri, &t) != KERN_SUCCESS)
		panic("ktest_thread_start: no memory for a test thread");
	thread_set_name(t, "ktest");
	thread_start(t);
	return t;
}

void
ktest_thread_join(struct thread *t)
{
	/*
	 * Ours is the last reference once the terminate daemon has freed the
	 * stack and dropped the thread's own: then ours frees the structure.
	 */
	while (__atomic_load_n(&t->ref_count, __ATOMIC_ACQUIRE) != 1 ||
	    __atomic_load_n(&t->kernel_stack, __ATOMIC_ACQUIRE) != 0)
		IOSleep(1);
	thread_deallocate(t);
}

void
ktest_sleep_ms(unsigned ms)
{
	IOSleep(ms);
}
