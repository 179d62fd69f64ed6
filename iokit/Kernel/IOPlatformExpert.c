/*
 * IOPlatformExpert.c - the machine at the top of the registry: its nub,
 * its CPUs, its ACPI tables, its legacy devices, and the shutdown hooks
 * run before it powers off or restarts (IOPlatformExpert.h).
 */

#include "iokit/Kernel/IOPlatformExpert.h"

#include <stddef.h>

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOLocks.h"
#include "iokit/Kernel/IOPlatformDevice.h"
#include "kernel/machine_routines.h"
#include "kernel/memmap.h"
#include "kernel/pexpert.h"
#include "libkern/OSArray.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_init.h"

#define PE_MODEL	"PC"

/* A registered shutdown hook: an IONotifier IONotifier_remove knows. */
struct IOPlatformInterestNotifier {
	IONotifier		pin_notifier;		/* the superclass, first */
	IOServiceInterestHandler pin_handler;		/* [I] */
	char			pin_owner[64];		/* [I] the driver's name */
};
OSDeclareDefaultStructors(IOPlatformInterestNotifier);

OSDefineMetaClass(IOPlatformExpertDevice, IOService, OS_NO_METHODS);
OSDefineMetaClass(IOCPU, IOService, OS_NO_METHODS);
OSDefineMetaClass(IOPlatformInterestNotifier, IONotifier, OS_NO_METHODS);

static bool pe_start(IOService *self, IOService *provider);

static const struct IOService_methods pe_methods = {
	.start = pe_start,
};
OSDefineMetaClass(IOPlatformExpert, IOService, &pe_methods);

/* The platform expert's state: [P] pe.lock; [I] set once at start-up. */
static struct {
	IOLock			*lock;
	IOPlatformExpertDevice	*device;	/* [I] */
	IOPlatformExpert	*expert;	/* [I] */
	OSArray			*hooks;		/* [P] IOPlatformInterestNotifier */
	bool			shutting_down;	/* [P] the hooks have been run */
} pe;

/* --- the machine's properties -------------------------------------------------------- */

static bool
pe_set_number(IORegistryEntry *e, const char *key, uint64_t value, uint32_t bits)
{
	OSNumber *n = OSNumber_withNumber(value, bits);
	bool ok = n != NULL && IORegistryEntry_setProperty(e, key, OSOBJ(n));

	OSSafeReleaseNULL(n);
	return ok;
}

static bool
pe_set_string(IORegistryEntry *e, const char *key, const char *value)
{
	OSString *s = OSString_withCString(value);
	bool ok = s != NULL && IORegistryEntry_setProperty(e, key, OSOBJ(s));

	OSSafeReleaseNULL(s);
	return ok;
}

/*
 * The "ACPI Tables" dictionary: signature -> the table's bytes. A table
 * whose signature is not four printable characters is left out, logged.
 */
static OSDictionary *
pe_acpi_tables(char oem[7])
{
	OSDictionary *d = OSDictionary_withCapacity(16);
	const uint8_t *t;
	uint32_t len;

	oem[0] = '\0';
	for (unsigned i = 0; d != NULL && (t = ml_firmware_table(i, &len)) != NULL; i++) {
		char key[16];
		OSData *data;
		unsigned n = 0;

		if (len < 36 || t[0] < 0x20 || t[0] > 0x7e || t[1] < 0x20 || t[1] > 0x7e ||
		    t[2] < 0x20 || t[2] > 0x7e || t[3] < 0x20 || t[3] > 0x7e) {
			IOLog("IOPlatformExpert: ACPI table %u has no usable signature; left out\n", i);
			continue;
		}
		if (oem[0] == '\0') {
			memcpy(oem, t + 10, 6);
			oem[6] = '\0';
			for (int j = 5; j >= 0 && (oem[j] == ' ' || oem[j] == '\0'); j--)
				oem[j] = '\0';
		}
		(void)snprintf(key, sizeof key, "%.4s", (const char *)t);
		while (OSDictionary_getObject(d, key) != NULL)
			(void)snprintf(key, sizeof key, "%.4s-%u", (const char *)t, ++n);
		data = OSData_withBytes(t, len);
		if (data == NULL || !OSDictionary_setObject(d, key, OSOBJ(data)))
			OSSafeReleaseNULL(d);
		OSSafeReleaseNULL(data);
	}
	return d;
}

static bool
pe_device_properties(IOPlatformExpertDevice *dev)
{
	IORegistryEntry *e = &dev->ped_service.sv_entry;
	char oem[7];
	OSDictionary *tables = pe_acpi_tables(oem);
	bool ok;

	ok = tables != NULL &&
	    IORegistryEntry_setProperty(e, kIOPlatformACPITablesKey, OSOBJ(tables)) &&
	    IORegistryEntry_setName(e, PE_MODEL, NULL) &&
	    pe_set_string(e, "model", PE_MODEL) &&
	    pe_set_string(e, kIOCompatibleKey, PE_MODEL) &&
	    pe_set_string(e, "manufacturer", oem[0] != '\0' ? oem : "unknown") &&
	    pe_set_number(e, "cpu-count", machine_cpu_count(), 32) &&
	    pe_set_number(e, "memory-size", memmap_usable_bytes(&vm_memmap), 64);
	OSSafeReleaseNULL(tables);
	return ok;
}

/* --- the CPUs ---------------------------------------------------------------------------- */

static bool
pe_publish_cpu(IOPlatformExpert *expert, unsigned n)
{
	IOCPU *cpu = OSTypeAlloc(IOCPU);
	IORegistryEntry *e;
	char name[16], loc[16];
	bool ok;

	if (cpu == NULL)
		return false;
	e = &cpu->cpu_service.sv_entry;
	(void)snprintf(name, sizeof name, "CPU%u", n);
	(void)snprintf(loc, sizeof loc, "%u", n);
	ok = IOService_init(&cpu->cpu_service, NULL) && IORegistryEntry_setName(e, name, NULL) &&
	    IORegistryEntry_setLocation(e, loc, NULL) &&
	    pe_set_number(e, "cpu-number", n, 32) &&
	    pe_set_number(e, "apic-id", ml_cpu_apic_id(n), 32) &&
	    IOService_attach(&cpu->cpu_service, &expert->pe_service) &&
	    IORegistryEntry_attachToParent(e, &pe.device->ped_service.sv_entry, gIODTPlane) ==
	    kIOReturnSuccess;
	if (ok)
		IOService_registerService(&cpu->cpu_service, 0);
	OSObject_release(OSOBJ(cpu));	/* the links hold it */
	return ok;
}

/* --- the legacy devices ------------------------------------------------------------------ */

#define COM1_BASE	0x3f8
#define COM1_SCRATCH	(COM1_BASE + 7)
#define KBC_DATA	0x60
#define KBC_STATUS	0x64
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_STATUS_A	0x0a
#define CMOS_NMI_OFF	0x80

/* A 16550 keeps what is written to its scratch register; no device reads all ones. */
static bool
pe_com1_present(void)
{
	uint8_t saved = ml_io_read8(COM1_SCRATCH), a, b;

	ml_io_write8(COM1_SCRATCH, 0x5a);
	a = ml_io_read8(COM1_SCRATCH);
	ml_io_write8(COM1_SCRATCH, 0xa5);
	b = ml_io_read8(COM1_SCRATCH);
	ml_io_write8(COM1_SCRATCH, saved);
	return a == 0x5a && b == 0xa5;
}

static bool
pe_kbc_present(void)
{
	return ml_io_read8(KBC_STATUS) != 0xff;
}

static bool
pe_rtc_present(void)
{
	ml_io_write8(CMOS_INDEX, CMOS_NMI_OFF | CMOS_STATUS_A);
	return ml_io_read8(CMOS_DATA) != 0xff;
}

struct pe_legacy_device {
	const char	*hid;
	const char	*what;
	bool		(*present)(void);
	struct IOPlatformDevicePortRange ranges[2];
	unsigned	nranges;
	unsigned	lines[2];
	unsigned	nlines;
};

static const struct pe_legacy_device pe_legacy[] = {
	{ "PNP0501", "COM1 16550 UART", pe_com1_present, { { COM1_BASE, 8 } }, 1, { 4 }, 1 },
	{ "PNP0303", "8042 PS/2 controller", pe_kbc_present,
	  { { KBC_DATA, 1 }, { KBC_STATUS, 1 } }, 2, { 1, 12 }, 2 },
	{ "PNP0B00", "CMOS RTC", pe_rtc_present, { { CMOS_INDEX, 2 } }, 1, { 8 }, 1 },
};

static void
pe_publish_legacy(IOPlatformExpert *expert, const struct pe_legacy_device *ld)
{
	IOPlatformDevice *dev;

	if (!ld->present()) {
		IOLog("IOPlatformExpert: no %s at port 0x%x; %s not published\n", ld->what,
		    ld->ranges[0].pr_base, ld->hid);
		return;
	}
	dev = IOPlatformDevice_withHID(ld->hid, ld->ranges, ld->nranges, ld->lines, ld->nlines);
	if (dev == NULL || !IOService_attach(&dev->pd_service, &expert->pe_service) ||
	    IORegistryEntry_attachToParent(&dev->pd_service.sv_entry,
	    &pe.device->ped_service.sv_entry, gIODTPlane) != kIOReturnSuccess) {
		IOLog("IOPlatformExpert: no memory for the %s nub\n", ld->hid);
		if (dev != NULL)
			IOService_detach(&dev->pd_service, &expert->pe_service);
		OSSafeReleaseNULL(dev);
		return;
	}
	IOService_registerService(&dev->pd_service, 0);
	OSObject_release(OSOBJ(dev));	/* the links hold it */
}

/* --- shutdown hooks ---------------------------------------------------------------------- */

struct pe_hook_call {
	IOPlatformInterestNotifier *notifier;	/* retained */
	uint32_t		message;
	volatile bool		done;		/* [P] */
};

static void
pe_hook_thread(void *arg, wait_result_t wr)
{
	struct pe_hook_call *call = arg;
	IOPlatformInterestNotifier *pin = call->notifier;

	(void)wr;
	(void)pin->pin_handler(pin->pin_notifier.nt_target, pin->pin_notifier.nt_ref,
	    call->message, &pe.expert->pe_service, NULL, 0);
	IOLockLock(pe.lock);
	call->done = true;
	IOLockWakeup(pe.lock, call, false);
	IOLockUnlock(pe.lock);
}

/*
 * Call one hook in a thread of its own and wait for it, up to the bound.
 * A call that did not finish is left to its thread (its memory with it).
 */
static void
pe_run_hook(IOPlatformInterestNotifier *pin, uint32_t message)
{
	struct pe_hook_call *call = kalloc(sizeof *call);
	uint64_t deadline;
	thread_t t;
	bool done;

	if (call == NULL) {
		IOLog("IOPlatformExpert: no memory to call %s's shutdown hook\n", pin->pin_owner);
		return;
	}
	call->notifier = pin;
	call->message = message;
	call->done = false;
	if (kernel_thread_start(pe_hook_thread, call, &t) != KERN_SUCCESS) {
		IOLog("IOPlatformExpert: no thread to call %s's shutdown hook\n", pin->pin_owner);
		kfree(call, sizeof *call);
		return;
	}
	thread_deallocate(t);
	clock_interval_to_deadline(kIOPEShutdownHookTimeoutMS, 1000000, &deadline);
	IOLockLock(pe.lock);
	while (!call->done && mach_absolute_time() < deadline)
		(void)IOLockSleepDeadline(pe.lock, call, deadline, THREAD_UNINT);
	done = call->done;
	IOLockUnlock(pe.lock);
	if (!done) {
		IOLog("IOPlatformExpert: %s's shutdown hook did not return within %u ms;"
		    " going on without it\n", pin->pin_owner, kIOPEShutdownHookTimeoutMS);
		return;
	}
	kfree(call, sizeof *call);
}

/* PE_halt_restart_notify: every hook, once, in the order registered. */
static void
pe_halt_restart_notify(unsigned int type)
{
	uint32_t message = type == kPERestartCPU ? kIOMessageSystemWillRestart
						  : kIOMessageSystemWillPowerOff;
	OSArray *hooks;

	IOLockLock(pe.lock);
	if (pe.shutting_down) {
		IOLockUnlock(pe.lock);
		return;
	}
	pe.shutting_down = true;
	hooks = pe.hooks;	/* no more are added once shutting_down is set */
	IOLockUnlock(pe.lock);
	for (uint32_t i = 0; i < OSArray_getCount(hooks); i++) {
		IOPlatformInterestNotifier *pin =
		    (IOPlatformInterestNotifier *)OSArray_getObject(hooks, i);

		if (__atomic_load_n(&pin->pin_notifier.nt_removed, __ATOMIC_ACQUIRE))
			continue;
		pe_run_hook(pin, message);
	}
}

/* Drop the hooks IONotifier_remove has marked. Locks: pe.lock held. */
static void
pe_prune_hooks_locked(void)
{
	for (uint32_t i = OSArray_getCount(pe.hooks); i-- > 0;) {
		IOPlatformInterestNotifier *pin =
		    (IOPlatformInterestNotifier *)OSArray_getObject(pe.hooks, i);

		if (__atomic_load_n(&pin->pin_notifier.nt_removed, __ATOMIC_ACQUIRE))
			OSArray_removeObject(pe.hooks, i);
	}
}

IONotifier *
IOService_registerPrioritySleepWakeInterest(IOService *s, IOServiceInterestHandler handler,
    void *target, void *ref)
{
	IOPlatformInterestNotifier *pin;
	bool ok;

	if (handler == NULL || pe.lock == NULL)
		return NULL;
	pin = OSTypeAlloc(IOPlatformInterestNotifier);
	if (pin == NULL)
		return NULL;
	pin->pin_notifier.nt_type = "IOPriorityPowerStateInterest";
	pin->pin_notifier.nt_target = target;
	pin->pin_notifier.nt_ref = ref;
	pin->pin_handler = handler;
	if (s != NULL)
		(void)IORegistryEntry_getName(&s->sv_entry, NULL, pin->pin_owner,
		    sizeof pin->pin_owner);
	else
		strlcpy(pin->pin_owner, "a driver", sizeof pin->pin_owner);
	IOLockLock(pe.lock);
	/* Once shutting down, the list is the hooks' walk's: left as it is. */
	if (!pe.shutting_down)
		pe_prune_hooks_locked();
	ok = !pe.shutting_down && OSArray_setObject(pe.hooks, OSOBJ(pin));
	IOLockUnlock(pe.lock);
	OSObject_release(OSOBJ(pin));	/* the list holds it until it is removed */
	return ok ? &pin->pin_notifier : NULL;
}

/* --- the driver -------------------------------------------------------------------------- */

static bool
pe_start(IOService *self, IOService *provider)
{
	IOPlatformExpert *expert = (IOPlatformExpert *)self;

	(void)provider;
	for (unsigned n = 0; n < machine_cpu_count(); n++) {
		if (!pe_publish_cpu(expert, n))
			IOLog("IOPlatformExpert: no memory for CPU%u's nub\n", n);
	}
	for (size_t i = 0; i < sizeof pe_legacy / sizeof pe_legacy[0]; i++)
		pe_publish_legacy(expert, &pe_legacy[i]);
	__atomic_store_n(&PE_halt_restart_notify, pe_halt_restart_notify, __ATOMIC_RELEASE);
	(void)IOService_publishResource(kIOPlatformExpertClass, NULL);
	return true;
}

IOService *
IOService_getPlatform(void)
{
	return pe.expert != NULL ? &pe.expert->pe_service : NULL;
}

void
IOPlatformExpert_initialize(void)
{
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();
	IOPlatformExpertDevice *dev;
	IOPlatformExpert *expert;

	if (OSMetaClass_register(&IOPlatformExpertDevice_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IOPlatformExpert_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IOCPU_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IOPlatformDevice_metaClass) != KERN_SUCCESS ||
	    OSMetaClass_register(&IOPlatformInterestNotifier_metaClass) != KERN_SUCCESS)
		panic("IOPlatformExpert_initialize: cannot register the platform classes");
	pe.lock = IOLockAlloc();
	pe.hooks = OSArray_withCapacity(8);
	dev = OSTypeAlloc(IOPlatformExpertDevice);
	expert = OSTypeAlloc(IOPlatformExpert);
	if (pe.lock == NULL || pe.hooks == NULL || dev == NULL || expert == NULL ||
	    !IOService_init(&dev->ped_service, NULL) || !pe_device_properties(dev) ||
	    IORegistryEntry_attachToParent(&dev->ped_service.sv_entry, root, gIOServicePlane) !=
	    kIOReturnSuccess ||
	    IORegistryEntry_attachToParent(&dev->ped_service.sv_entry, root, gIODTPlane) !=
	    kIOReturnSuccess ||
	    !IOService_init(&expert->pe_service, NULL) ||
	    !IORegistryEntry_setName(&expert->pe_service.sv_entry, kIOPlatformExpertClass, NULL) ||
	    !IOService_attach(&expert->pe_service, &dev->ped_service))
		panic("IOPlatformExpert_initialize: no memory for the platform expert");
	pe.device = dev;	/* the registry's links keep both; so does this */
	pe.expert = expert;
	IOService_registerService(&dev->ped_service, 0);
	if (!IOService_start(&expert->pe_service, &dev->ped_service))
		IOLog("IOPlatformExpert: the platform expert did not start\n");
	IOService_registerService(&expert->pe_service, 0);
}
