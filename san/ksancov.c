/*
 * ksancov.c - /dev/ksancov and the trace-pc hook (san/ksancov.h).
 *
 * This file is never built with -fsanitize-coverage: the hook must not
 * call itself. Neither is anything it calls: it calls nothing but inline
 * functions of headers and ml_at_interrupt_context (kernel/x86_64).
 */

#include "san/ksancov.h"

#include "bsd/miscfs/devfs/devfs.h"
#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/ksancov.h"
#include "kernel/console.h"
#include "kernel/machine_routines.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_object.h"
#include "mach/vm/vm_page.h"
#include "mach/vm_inherit.h"
#include "mach/vm_prot.h"
#include "mach/vm_statistics.h"

#define KSANCOV_PAGE_SHIFT	12
#define KSANCOV_PAGE_MASK	((1u << KSANCOV_PAGE_SHIFT) - 1)

enum ksancov_mode {
	KS_MODE_NONE = 0,	/* no buffer yet */
	KS_MODE_TRACE,		/* a buffer of PCs */
};

/* Locks: [L] ksancov_lock; [I] set by TRACE, then fixed; [a] atomic. */
struct ksancov_dev {
	uint32_t		kd_refs;	/* [a] the open device, the attached thread */
	enum ksancov_mode	kd_mode;	/* [L] */
	uint64_t		kd_maxent;	/* [I] entries the buffer holds */
	uint64_t		kd_npages;	/* [I] pages of the buffer */
	vm_object_t		kd_object;	/* [I] the buffer's pages */
	uint8_t			**kd_kva;	/* [I] each page in the direct map */
	struct ksancov_trace	*kd_trace;	/* [I] the header, through kd_kva[0] */
	boolean_t		kd_mapped;	/* [L] MAP was done */
	thread_t		kd_thread;	/* [L] the attached thread; compared only */
};

static lck_grp_t ksancov_lck_grp;
static lck_mtx_t ksancov_lock;
static struct ksancov_dev *ksancov_open_dev;	/* [L] the device of the open node */
static int ksancov_major = -1;

/*
 * Threads attached anywhere: the hook's first test, so that it costs one
 * load until someone records. In .data, so that code run before the BSS
 * is cleared reads a real zero.
 */
static uint32_t ksancov_attached __attribute__((section(".data")));

/* --- the hook ------------------------------------------------------------ */

/*
 * __sanitizer_cov_trace_pc: append the caller's PC to the current thread's
 * buffer. Safe from anywhere instrumented: nothing is read through GS until
 * some thread has attached (by then every CPU is up), interrupt handlers
 * are not recorded, and a thread without a device records nothing.
 */
void
__sanitizer_cov_trace_pc(void)
{
	struct ksancov_dev *d;
	thread_t self;
	uint64_t idx, off;

	if (__builtin_expect(__atomic_load_n(&ksancov_attached, __ATOMIC_RELAXED) == 0, 1))
		return;
	self = current_thread();
	if (self == THREAD_NULL || (d = self->th_kcov) == NULL)
		return;
	if (__atomic_load_n(&d->kd_trace->kt_hdr.kh_enabled, __ATOMIC_RELAXED) == 0 ||
	    ml_at_interrupt_context())
		return;
	idx = __atomic_fetch_add(&d->kd_trace->kt_head, 1, __ATOMIC_RELAXED);
	if (idx >= d->kd_maxent)
		return;
	off = offsetof(struct ksancov_trace, kt_entries) + idx * sizeof(uint64_t);
	*(volatile uint64_t *)(d->kd_kva[off >> KSANCOV_PAGE_SHIFT] + (off & KSANCOV_PAGE_MASK)) =
	    (uint64_t)(uintptr_t)__builtin_return_address(0);
}

/* --- devices ------------------------------------------------------------- */

static void
ksancov_dev_free(struct ksancov_dev *d)
{
	if (d->kd_object != VM_OBJECT_NULL)
		vm_object_deallocate(d->kd_object);	/* a mapping keeps its own */
	if (d->kd_kva != NULL)
		kfree(d->kd_kva, d->kd_npages * sizeof(d->kd_kva[0]));
	kfree(d, sizeof(*d));
}

static void
ksancov_dev_release(struct ksancov_dev *d)
{
	if (__atomic_sub_fetch(&d->kd_refs, 1, __ATOMIC_ACQ_REL) == 0)
		ksancov_dev_free(d);
}

/*
 * Detach the current thread from its device. Returns the device, whose
 * reference the caller drops once ksancov_lock is released.
 * Locks: ksancov_lock held.
 */
static struct ksancov_dev *
ksancov_detach_self_locked(void)
{
	thread_t self = current_thread();
	struct ksancov_dev *d = self->th_kcov;

	if (d == NULL)
		return NULL;
	self->th_kcov = NULL;
	d->kd_thread = THREAD_NULL;
	__atomic_sub_fetch(&ksancov_attached, 1, __ATOMIC_RELAXED);
	return d;
}

/* TRACE: a buffer of maxent PCs, zeroed, with its header written. */
static int
ksancov_trace_alloc(struct ksancov_dev *d, uint64_t maxent)
{
	uint64_t bytes, npages;

	if (d->kd_mode != KS_MODE_NONE)
		return EBUSY;
	if (maxent == 0 || maxent > KSANCOV_MAX_PCS)
		return EINVAL;
	bytes = offsetof(struct ksancov_trace, kt_entries) + maxent * sizeof(uint64_t);
	npages = (bytes + KSANCOV_PAGE_MASK) >> KSANCOV_PAGE_SHIFT;
	d->kd_kva = kalloc(npages * sizeof(d->kd_kva[0]));
	d->kd_object = vm_object_allocate(npages << KSANCOV_PAGE_SHIFT);
	d->kd_npages = npages;
	if (d->kd_kva == NULL || d->kd_object == VM_OBJECT_NULL)
		goto nomem;
	vm_object_lock(d->kd_object);
	/* Mapped shared: never collapsed into a shadow, its pages never moved. */
	d->kd_object->true_share = TRUE;
	for (uint64_t i = 0; i < npages; i++) {
		struct vm_page *m = vm_page_grab_zeroed(VM_PAGE_USE_OBJECT);

		if (m == NULL) {
			vm_object_unlock(d->kd_object);
			goto nomem;
		}
		vm_object_page_insert(d->kd_object, m, i << KSANCOV_PAGE_SHIFT);
		d->kd_kva[i] = phystokv(vm_page_to_phys(m));
	}
	vm_object_unlock(d->kd_object);
	d->kd_maxent = maxent;
	d->kd_trace = (struct ksancov_trace *)(void *)d->kd_kva[0];
	d->kd_trace->kt_hdr.kh_magic = KSANCOV_TRACE_MAGIC;
	d->kd_trace->kt_maxent = maxent;
	d->kd_mode = KS_MODE_TRACE;
	return 0;
nomem:
	/* The object frees whatever pages it was given. */
	if (d->kd_object != VM_OBJECT_NULL)
		vm_object_deallocate(d->kd_object);
	if (d->kd_kva != NULL)
		kfree(d->kd_kva, npages * sizeof(d->kd_kva[0]));
	d->kd_object = VM_OBJECT_NULL;
	d->kd_kva = NULL;
	d->kd_npages = 0;
	return ENOMEM;
}

/* MAP: the buffer, shared, into the caller's address space (once). */
static int
ksancov_map(struct ksancov_dev *d, struct ksancov_buf_desc *mc)
{
	vm_map_offset_t addr = 0;
	vm_size_t size;
	kern_return_t kr;

	if (d->kd_mode == KS_MODE_NONE)
		return EINVAL;
	if (d->kd_mapped)
		return EBUSY;
	size = d->kd_npages << KSANCOV_PAGE_SHIFT;
	kr = vm_map_enter(current_thread()->map, &addr, size, 0, VM_FLAGS_ANYWHERE, d->kd_object,
	    0, FALSE, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_READ | VM_PROT_WRITE,
	    VM_INHERIT_SHARE);
	if (kr != KERN_SUCCESS)
		return ENOMEM;
	d->kd_mapped = TRUE;
	mc->ptr = addr;
	mc->sz = size;
	return 0;
}

/* START: the calling thread records into d. */
static int
ksancov_start(struct ksancov_dev *d, struct ksancov_dev **old)
{
	thread_t self = current_thread();

	if (d->kd_mode == KS_MODE_NONE)
		return EINVAL;
	if (d->kd_thread == self)
		return 0;
	if (d->kd_thread != THREAD_NULL)
		return EBUSY;
	*old = ksancov_detach_self_locked();	/* a device it recorded into before */
	__atomic_add_fetch(&d->kd_refs, 1, __ATOMIC_RELAXED);
	d->kd_thread = self;
	self->th_kcov = d;
	__atomic_add_fetch(&ksancov_attached, 1, __ATOMIC_RELAXED);
	return 0;
}

/* --- the driver ---------------------------------------------------------- */

static int
ksancov_open(dev_t dev, int flags, int devtype, proc_t p)
{
	struct ksancov_dev *d;

	(void)flags, (void)devtype, (void)p;
	if (minor(dev) != 0)
		return ENXIO;
	d = kalloc(sizeof(*d));
	if (d == NULL)
		return ENOMEM;
	memset(d, 0, sizeof(*d));
	d->kd_refs = 1;
	lck_mtx_lock(&ksancov_lock);
	if (ksancov_open_dev != NULL) {
		lck_mtx_unlock(&ksancov_lock);
		kfree(d, sizeof(*d));
		return EBUSY;
	}
	ksancov_open_dev = d;
	lck_mtx_unlock(&ksancov_lock);
	return 0;
}

/* The last close: the device goes once no thread records into it. */
static int
ksancov_close(dev_t dev, int flags, int devtype, proc_t p)
{
	struct ksancov_dev *d, *mine = NULL;

	(void)dev, (void)flags, (void)devtype, (void)p;
	lck_mtx_lock(&ksancov_lock);
	d = ksancov_open_dev;
	ksancov_open_dev = NULL;
	if (d != NULL && d->kd_thread == current_thread())
		mine = ksancov_detach_self_locked();
	lck_mtx_unlock(&ksancov_lock);
	if (mine != NULL)
		ksancov_dev_release(mine);
	if (d != NULL)
		ksancov_dev_release(d);
	return 0;
}

static int
ksancov_ioctl(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p)
{
	struct ksancov_dev *d, *old = NULL;
	uint64_t arg;
	int error;

	(void)dev, (void)fflag, (void)p;
	memcpy(&arg, data, sizeof(arg));
	lck_mtx_lock(&ksancov_lock);
	d = ksancov_open_dev;
	if (d == NULL) {
		error = ENXIO;
	} else if (cmd == KSANCOV_IOC_TRACE) {
		error = ksancov_trace_alloc(d, arg);
	} else if (cmd == KSANCOV_IOC_MAP) {
		error = ksancov_map(d, data);
	} else if (cmd == KSANCOV_IOC_START) {
		error = arg != 0 ? EINVAL : ksancov_start(d, &old);
	} else if (cmd == KSANCOV_IOC_STOP) {
		error = arg != 0 ? EINVAL : d->kd_thread != current_thread() ? EINVAL : 0;
		if (error == 0)
			old = ksancov_detach_self_locked();
	} else {
		error = ENOTTY;
	}
	lck_mtx_unlock(&ksancov_lock);
	if (old != NULL)
		ksancov_dev_release(old);
	return error;
}

void
ksancov_thread_exit(thread_t thread)
{
	struct ksancov_dev *d;

	if (thread != current_thread() || thread->th_kcov == NULL)
		return;
	lck_mtx_lock(&ksancov_lock);
	d = ksancov_detach_self_locked();
	lck_mtx_unlock(&ksancov_lock);
	if (d != NULL)
		ksancov_dev_release(d);
}

static const struct cdevsw ksancov_cdevsw = {
	.d_open = ksancov_open,
	.d_close = ksancov_close,
	.d_read = enodev_rw,
	.d_write = enodev_rw,
	.d_ioctl = ksancov_ioctl,
	.d_type = D_CHAR,
};

void
ksancov_init(void)
{
	lck_grp_init(&ksancov_lck_grp, "ksancov", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&ksancov_lock, &ksancov_lck_grp, LCK_ATTR_NULL);
	ksancov_major = cdevsw_add(-1, &ksancov_cdevsw);
	if (ksancov_major < 0) {
		printf("ksancov: no major left; no /dev/ksancov\n");
		return;
	}
	(void)devfs_make_node(makedev(ksancov_major, 0), DEVFS_CHAR, UID_ROOT, GID_WHEEL, 0666,
	    "ksancov");
	printf("ksancov: /dev/ksancov, coverage of the instrumented kernel\n");
}
