/*
 * iokit.c - what the I/O Kit's sources need from Mach, IOLib and the kext
 * manager, for host tests (see shim.h).
 *
 *   lck_grp, lck_mtx, lck_rw	one thread: a lock records that it is held,
 *				and taking one that is held (a recursion or a
 *				missing unlock) or releasing one that is not
 *				panics, so lock-order slips show up as test
 *				failures rather than hangs
 *   lck_mtx_sleep*		nobody can wake a sleeper: with a deadline it
 *				times out at once, without one it panics
 *   thread_wakeup_prim		nothing to wake
 *   mach_absolute_time		a clock that moves a microsecond a call
 *   IOLog			appended to the console capture (shim_console_text)
 *   OSKextForEachCatalogPersonality	an empty catalog
 *   OSKextRegisterIOKitHooks	nobody unloads kexts: ignored
 *   OSKextGetIdentifier		no class belongs to a kext: NULL
 *   OSKextIsLoadedWithIdentifier	nothing is loaded: false
 *   OSKextLoadKextWithIdentifier	no kext exists: KERN_NOT_FOUND, and the
 *				identifier asked for is kept for the test
 *   IOMemoryDescriptor_getLength	no memory descriptors on the host: 0
 *				(IOUserClient.c, which IOService.c brings
 *				in, checks their sizes)
 *
 * All are weak, so a test that links the real thing gets that instead.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "libkern/OSKext.h"
#include "libkern/panic.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/sched_prim.h"

#define SHIM_HELD	((uintptr_t)1)

static char last_kext_request[128];

const char *
shim_last_kext_request(void)
{
	return last_kext_request;
}

__attribute__((weak)) void
lck_grp_init(lck_grp_t *grp, const char *name, lck_grp_attr_t *attr)
{
	memset(grp, 0, sizeof(*grp));
	snprintf(grp->lck_grp_name, sizeof(grp->lck_grp_name), "%s", name);
	(void)attr;
}

__attribute__((weak)) void
lck_mtx_init(lck_mtx_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	memset(lck, 0, sizeof(*lck));
	lck->lck_mtx_grp = grp;
	(void)attr;
}

__attribute__((weak)) void
lck_mtx_destroy(lck_mtx_t *lck, lck_grp_t *grp)
{
	if (lck->lck_mtx_owner != 0)
		panic("lck_mtx_destroy: %p is held", (void *)lck);
	(void)grp;
}

__attribute__((weak)) void
lck_mtx_lock(lck_mtx_t *lck)
{
	if (lck->lck_mtx_owner != 0)
		panic("lck_mtx_lock: %p is already held (one thread: a deadlock)", (void *)lck);
	lck->lck_mtx_owner = SHIM_HELD;
}

__attribute__((weak)) void
lck_mtx_unlock(lck_mtx_t *lck)
{
	if (lck->lck_mtx_owner == 0)
		panic("lck_mtx_unlock: %p is not held", (void *)lck);
	lck->lck_mtx_owner = 0;
}

__attribute__((weak)) wait_result_t
lck_mtx_sleep(lck_mtx_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible)
{
	(void)lck; (void)action; (void)event; (void)interruptible;
	panic("lck_mtx_sleep: one thread would sleep for ever");
}

__attribute__((weak)) wait_result_t
lck_mtx_sleep_deadline(lck_mtx_t *lck, lck_sleep_action_t action, event_t event,
    wait_interrupt_t interruptible, uint64_t deadline)
{
	if (lck->lck_mtx_owner == 0)
		panic("lck_mtx_sleep_deadline: %p is not held", (void *)lck);
	(void)action; (void)event; (void)interruptible; (void)deadline;
	return THREAD_TIMED_OUT;
}

__attribute__((weak)) void
lck_rw_init(lck_rw_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	memset(lck, 0, sizeof(*lck));
	lck->lck_rw_grp = grp;
	(void)attr;
}

__attribute__((weak)) void
lck_rw_lock_shared(lck_rw_t *lck)
{
	if (lck->lck_rw_writer != NULL)
		panic("lck_rw_lock_shared: %p is held exclusive (one thread: a deadlock)",
		    (void *)lck);
	lck->lck_rw_readers++;
}

__attribute__((weak)) void
lck_rw_unlock_shared(lck_rw_t *lck)
{
	if (lck->lck_rw_readers == 0)
		panic("lck_rw_unlock_shared: %p is not held shared", (void *)lck);
	lck->lck_rw_readers--;
}

__attribute__((weak)) void
lck_rw_lock_exclusive(lck_rw_t *lck)
{
	if (lck->lck_rw_writer != NULL || lck->lck_rw_readers != 0)
		panic("lck_rw_lock_exclusive: %p is held (one thread: a deadlock)", (void *)lck);
	lck->lck_rw_writer = (thread_t)SHIM_HELD;
}

__attribute__((weak)) void
lck_rw_unlock_exclusive(lck_rw_t *lck)
{
	if (lck->lck_rw_writer == NULL)
		panic("lck_rw_unlock_exclusive: %p is not held exclusive", (void *)lck);
	lck->lck_rw_writer = NULL;
}

__attribute__((weak)) kern_return_t
thread_wakeup_prim(event_t event, boolean_t one_thread, wait_result_t result)
{
	(void)event; (void)one_thread; (void)result;
	return KERN_SUCCESS;
}

__attribute__((weak)) uint64_t
mach_absolute_time(void)
{
	static uint64_t now;

	return now += 1000;
}

__attribute__((weak)) void
IOLog(const char *format, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, format);
	vsnprintf(line, sizeof(line), format, ap);
	va_end(ap);
	kern_printf("%s", line);
}

__attribute__((weak)) IOByteCount
IOMemoryDescriptor_getLength(const IOMemoryDescriptor *md)
{
	(void)md;
	return 0;
}

__attribute__((weak)) void
OSKextForEachCatalogPersonality(OSKextPersonalityFn fn, void *ctx)
{
	(void)fn; (void)ctx;
}

__attribute__((weak)) void
OSKextRegisterIOKitHooks(const struct OSKextIOKitHooks *hooks)
{
	(void)hooks;
}

__attribute__((weak)) bool
OSKextIsLoadedWithIdentifier(const char *identifier)
{
	(void)identifier;
	return false;
}

__attribute__((weak)) const char *
OSKextGetIdentifier(const OSKext *kext)
{
	(void)kext;
	return NULL;
}

__attribute__((weak)) kern_return_t
OSKextLoadKextWithIdentifier(const char *identifier, uint32_t flags, uint32_t *tag,
    char *msg, size_t msglen)
{
	(void)flags; (void)tag;
	snprintf(last_kext_request, sizeof(last_kext_request), "%s", identifier);
	if (msg != NULL && msglen > 0)
		snprintf(msg, msglen, "%s is not in the catalog", identifier);
	return KERN_NOT_FOUND;
}
