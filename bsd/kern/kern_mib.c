/*
 * kern_mib.c - the standard MIB nodes that describe the system: kern.*
 * (names, versions, limits, the boot time, the boot-args, the kernel
 * log), hw.* (CPUs, memory, the machine), machdep.cpu.*, vm.* (pages,
 * zones, the load average) and debug.lock_stats. kern.proc is kern_sysctl_proc.c's;
 * kern.hostname, kern.domainname kern_utsname.c's; kern.securelevel
 * kern_sysctl.c's. docs/sysctl.md lists them all.
 *
 * Everything here is read-only; the handlers copy what they report into
 * a kernel buffer under whatever lock covers it, then give it out with
 * no lock held (SYSCTL_OUT may fault).
 */

#include "bsd/sys/sysctl.h"

#include "bsd/kern/elf_loader.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/resourcevar.h"
#include "kernel/kheap.h"
#include "kernel/machine_routines.h"
#include "kernel/msgbuf.h"
#include "kernel/pexpert.h"
#include "kernel/version.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/processor.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_page.h"

#define RO	(CTLFLAG_RD | CTLFLAG_LOCKED)

/* --- kern ----------------------------------------------------------------- */

SYSCTL_STRING(_kern, KERN_OSTYPE, ostype, RO, ostype, 0, "the operating system's name");
SYSCTL_STRING(_kern, KERN_OSRELEASE, osrelease, RO, osrelease, 0, "its release");
SYSCTL_INT(_kern, KERN_OSREV, osrevision, RO, NULL, 1, "its revision");
SYSCTL_STRING(_kern, KERN_VERSION, version, RO, version, 0, "the kernel's version line");
SYSCTL_INT(_kern, KERN_MAXPROC, maxproc, RO, NULL, PID_MAX - 1, "the most processes");
SYSCTL_INT(_kern, KERN_MAXFILES, maxfiles, RO, NULL, FD_MAX_HARD,
    "the most open files (per process: the hard RLIMIT_NOFILE ceiling)");
SYSCTL_INT(_kern, KERN_ARGMAX, argmax, RO, NULL, ELF_ARG_MAX,
    "the most bytes of arguments and environment exec takes");
SYSCTL_INT(_kern, 18, ngroups, RO, NULL, NGROUPS, "supplementary groups kept");
SYSCTL_INT(_kern, 29, maxfilesperproc, RO, NULL, FD_MAX_HARD, "the most open files per process");

static int
sysctl_kern_boottime SYSCTL_HANDLER_ARGS
{
	uint64_t ns = clock_get_boottime_ns();
	struct timeval tv = {
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC),
	};

	(void)oidp;
	(void)arg1;
	(void)arg2;
	return SYSCTL_OUT(req, &tv, sizeof(tv));
}

SYSCTL_PROC(_kern, KERN_BOOTTIME, boottime, CTLTYPE_STRUCT | RO, NULL, 0,
    sysctl_kern_boottime, "S,timeval", "when the system booted (calendar time)");

static int
sysctl_kern_bootargs SYSCTL_HANDLER_ARGS
{
	const char *s = PE_boot_args();

	(void)oidp;
	(void)arg1;
	(void)arg2;
	return SYSCTL_OUT(req, s, strlen(s) + 1);
}

SYSCTL_PROC(_kern, OID_AUTO, bootargs, CTLTYPE_STRING | RO, NULL, 0,
    sysctl_kern_bootargs, "A", "the boot-args line");

/* kern.msgbuf: the kernel log, oldest first, as far back as the ring keeps it. */
static int
sysctl_kern_msgbuf SYSCTL_HANDLER_ARGS
{
	uint64_t end = __atomic_load_n(&msgbuf.msg_bufx, __ATOMIC_RELAXED);
	uint64_t cursor = end > MSG_BSIZE ? end - MSG_BSIZE : 0;
	size_t len = (size_t)(end - cursor), got = 0, n;
	char *buf;
	int error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	if (req->oldptr == USER_ADDR_NULL)
		return SYSCTL_OUT(req, NULL, len);
	buf = kheap_alloc(&kernel_heap, MSG_BSIZE);
	if (buf == NULL)
		return ENOMEM;
	while (got < len && (n = msgbuf_read(&cursor, buf + got, len - got)) > 0)
		got += n;
	error = SYSCTL_OUT(req, buf, got);
	kheap_free(&kernel_heap, buf);
	return error;
}

SYSCTL_PROC(_kern, OID_AUTO, msgbuf, CTLTYPE_STRING | RO, NULL, 0,
    sysctl_kern_msgbuf, "A", "the kernel log");

/* --- hw, machdep ---------------------------------------------------------- */

static int
sysctl_hw_ncpu SYSCTL_HANDLER_ARGS
{
	int n = (int)processor_count;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	return SYSCTL_OUT(req, &n, sizeof(n));
}

static int
sysctl_hw_quad SYSCTL_HANDLER_ARGS
{
	struct vm_page_stats ps;
	int64_t v = 0;

	(void)oidp;
	(void)arg1;
	switch (arg2) {
	case HW_MEMSIZE:
	case HW_PHYSMEM:
		vm_page_get_stats(&ps);
		v = (int64_t)(ps.vps_total * PAGE_SIZE);
		break;
	case HW_CPU_FREQ:
		v = (int64_t)rtclock_tsc_hz();
		break;
	}
	return SYSCTL_OUT(req, &v, sizeof(v));
}

static int
sysctl_cpu_brand SYSCTL_HANDLER_ARGS
{
	char buf[49];

	(void)oidp;
	(void)arg1;
	(void)arg2;
	ml_cpu_brand_string(buf, sizeof(buf));
	return SYSCTL_OUT(req, buf, strlen(buf) + 1);
}

SYSCTL_STRING(_hw, HW_MACHINE, machine, RO, "x86_64", 0, "the machine class");
SYSCTL_PROC(_hw, HW_MODEL, model, CTLTYPE_STRING | RO, NULL, 0, sysctl_cpu_brand, "A",
    "the processor model");
SYSCTL_PROC(_hw, HW_NCPU, ncpu, CTLTYPE_INT | RO, NULL, 0, sysctl_hw_ncpu, "I",
    "processors");
SYSCTL_INT(_hw, HW_BYTEORDER, byteorder, RO, NULL, 1234, "little-endian");
SYSCTL_PROC(_hw, HW_PHYSMEM, physmem, CTLTYPE_QUAD | RO, NULL, HW_PHYSMEM, sysctl_hw_quad,
    "Q", "bytes of memory the kernel manages");
SYSCTL_INT(_hw, HW_PAGESIZE, pagesize, RO, NULL, PAGE_SIZE, "the page size");
SYSCTL_PROC(_hw, HW_CPU_FREQ, cpufrequency, CTLTYPE_QUAD | RO, NULL, HW_CPU_FREQ,
    sysctl_hw_quad, "Q", "the time-stamp counter's frequency, Hz");
SYSCTL_PROC(_hw, HW_MEMSIZE, memsize, CTLTYPE_QUAD | RO, NULL, HW_MEMSIZE, sysctl_hw_quad,
    "Q", "bytes of memory the kernel manages");
SYSCTL_PROC(_hw, HW_AVAILCPU, activecpu, CTLTYPE_INT | RO, NULL, 0, sysctl_hw_ncpu, "I",
    "processors running");

SYSCTL_NODE(_machdep, OID_AUTO, cpu, RO, NULL, "the processor");
SYSCTL_PROC(_machdep_cpu, OID_AUTO, brand_string, CTLTYPE_STRING | RO, NULL, 0,
    sysctl_cpu_brand, "A", "CPUID's brand string");

/* --- vm ------------------------------------------------------------------- */

static int
sysctl_vm_pages SYSCTL_HANDLER_ARGS
{
	struct vm_page_stats ps;
	uint64_t v;

	(void)oidp;
	(void)arg1;
	vm_page_get_stats(&ps);
	switch (arg2) {
	case 0:
		v = ps.vps_total;
		break;
	case 1:
		v = ps.vps_free;
		break;
	default:
		v = ps.vps_wired;
		break;
	}
	return SYSCTL_OUT(req, &v, sizeof(v));
}

SYSCTL_PROC(_vm, OID_AUTO, pages, CTLTYPE_QUAD | RO, NULL, 0, sysctl_vm_pages, "QU",
    "pages the kernel manages");
SYSCTL_PROC(_vm, OID_AUTO, page_free_count, CTLTYPE_QUAD | RO, NULL, 1, sysctl_vm_pages,
    "QU", "free pages");
SYSCTL_PROC(_vm, OID_AUTO, page_wire_count, CTLTYPE_QUAD | RO, NULL, 2, sysctl_vm_pages,
    "QU", "wired pages");

static int
sysctl_vm_loadavg SYSCTL_HANDLER_ARGS
{
	struct loadavg la = { .fscale = FSCALE };

	(void)oidp;
	(void)arg1;
	(void)arg2;
	loadav_get(la.ldavg);
	return SYSCTL_OUT(req, &la, sizeof(la));
}

SYSCTL_PROC(_vm, VM_LOADAVG, loadavg, CTLTYPE_STRUCT | RO, NULL, 0, sysctl_vm_loadavg,
    "S,loadavg", "the load average: runnable threads over 1, 5 and 15 minutes");

/* An array filled under a spin lock: room for cap entries, n filled, total seen. */
struct mib_fill {
	void		*buf;
	unsigned	cap;
	unsigned	n;
	unsigned	total;
};

static void
mib_count_zone(zone_t zone, void *arg)
{
	(void)zone;
	((struct mib_fill *)arg)->total++;
}

static void
mib_fill_zone(zone_t zone, void *arg)
{
	struct mib_fill *f = arg;
	struct sysctl_zone_info *out;
	struct zone_info zi;

	if (f->n >= f->cap)
		return;
	zone_get_info(zone, &zi);
	out = (struct sysctl_zone_info *)f->buf + f->n++;
	_Static_assert(sizeof(*out) == sizeof(zi), "sysctl_zone_info mirrors zone_info");
	memcpy(out, &zi, sizeof(zi));
}

static void
mib_count_grp(const lck_grp_t *grp, void *arg)
{
	(void)grp;
	((struct mib_fill *)arg)->total++;
}

static void
mib_fill_grp(const lck_grp_t *grp, void *arg)
{
	struct mib_fill *f = arg;
	struct sysctl_lock_group *lg;
	const struct lck_grp_stats *st = &grp->lck_grp_stats;

	if (f->n >= f->cap)
		return;
	lg = (struct sysctl_lock_group *)f->buf + f->n++;
	memset(lg, 0, sizeof(*lg));
	strlcpy(lg->lg_name, grp->lck_grp_name, sizeof(lg->lg_name));
	lg->lg_locks = grp->lck_grp_refcnt > 0 ? grp->lck_grp_refcnt - 1 : 0;
	lg->lg_spin_acquires = st->spin_acquires;
	lg->lg_spin_contended = st->spin_contended;
	lg->lg_mtx_acquires = st->mtx_acquires;
	lg->lg_mtx_contended = st->mtx_contended;
	lg->lg_mtx_blocked = st->mtx_blocked;
	lg->lg_rw_shared_acquires = st->rw_shared_acquires;
	lg->lg_rw_exclusive_acquires = st->rw_exclusive_acquires;
	lg->lg_rw_blocked = st->rw_blocked;
	lg->lg_held_ns = st->held_ns;
	lg->lg_held_ns_max = st->held_ns_max;
}

/* arg2: 0 for the zones, 1 for the lock groups. */
static int
sysctl_mib_array SYSCTL_HANDLER_ARGS
{
	struct mib_fill f = { 0 };
	size_t size = arg2 == 0 ? sizeof(struct sysctl_zone_info) :
	    sizeof(struct sysctl_lock_group);
	int error;

	(void)oidp;
	(void)arg1;
	if (arg2 == 0)
		zone_iterate(mib_count_zone, &f);
	else
		lck_grp_foreach(mib_count_grp, &f);
	if (req->oldptr == USER_ADDR_NULL)
		return SYSCTL_OUT(req, NULL, (f.total + 4) * size);
	f.cap = f.total + 4;		/* room for a few made meanwhile */
	f.buf = kheap_alloc(&kernel_heap, f.cap * size);
	if (f.buf == NULL)
		return ENOMEM;
	if (arg2 == 0)
		zone_iterate(mib_fill_zone, &f);
	else
		lck_grp_foreach(mib_fill_grp, &f);
	error = SYSCTL_OUT(req, f.buf, f.n * size);
	kheap_free(&kernel_heap, f.buf);
	return error;
}

/* Mach IPC's live objects, for leak checks: arg2 says which. */
static int
sysctl_ipc_count SYSCTL_HANDLER_ARGS
{
	int n;

	(void)oidp;
	(void)arg1;
	switch (arg2) {
	case 0:
		n = (int)ipc_port_count();
		break;
	case 1:
		n = (int)ipc_pset_count();
		break;
	case 2:
		n = (int)ipc_space_count();
		break;
	case 4:
		n = (int)ipc_kmsg_cached();
		break;
	default:
		n = (int)ipc_kmsg_count();
		break;
	}
	return SYSCTL_OUT(req, &n, sizeof(n));
}

SYSCTL_NODE(_debug, OID_AUTO, ipc, RO, NULL, "Mach IPC's objects");
SYSCTL_PROC(_debug_ipc, OID_AUTO, ports, CTLTYPE_INT | RO, NULL, 0, sysctl_ipc_count, "I",
    "ports that exist");
SYSCTL_PROC(_debug_ipc, OID_AUTO, port_sets, CTLTYPE_INT | RO, NULL, 1, sysctl_ipc_count, "I",
    "port sets that exist");
SYSCTL_PROC(_debug_ipc, OID_AUTO, spaces, CTLTYPE_INT | RO, NULL, 2, sysctl_ipc_count, "I",
    "IPC spaces that exist");
SYSCTL_PROC(_debug_ipc, OID_AUTO, kmsgs, CTLTYPE_INT | RO, NULL, 3, sysctl_ipc_count, "I",
    "messages held in the kernel");
SYSCTL_PROC(_debug_ipc, OID_AUTO, kmsgs_cached, CTLTYPE_INT | RO, NULL, 4, sysctl_ipc_count,
    "I", "free small kmsgs the CPUs keep, each one ipc.kmsgs element in use");

/* Object pages mapped by the caller's own pmap (0) or the kernel's (1). */
static int
sysctl_pmap_pv SYSCTL_HANDLER_ARGS
{
	uint64_t n;

	(void)oidp;
	(void)arg1;
	n = pmap_pv_count(arg2 == 0 ? vm_map_pmap(current_thread()->map) : kernel_pmap);
	return SYSCTL_OUT(req, &n, sizeof(n));
}

SYSCTL_NODE(_debug, OID_AUTO, pmap, RO, NULL, "the pmap layer");
SYSCTL_PROC(_debug_pmap, OID_AUTO, pv_self, CTLTYPE_QUAD | RO, NULL, 0, sysctl_pmap_pv, "Q",
    "pv entries of the caller's own address space");
SYSCTL_PROC(_debug_pmap, OID_AUTO, pv_kernel, CTLTYPE_QUAD | RO, NULL, 1, sysctl_pmap_pv, "Q",
    "pv entries of the kernel's address space");

SYSCTL_PROC(_vm, OID_AUTO, zones, CTLTYPE_STRUCT | RO, NULL, 0, sysctl_mib_array,
    "S,sysctl_zone_info", "every zone's counters (zprint)");
SYSCTL_PROC(_debug, OID_AUTO, lock_stats, CTLTYPE_STRUCT | RO, NULL, 1, sysctl_mib_array,
    "S,sysctl_lock_group", "every lock group's statistics");
