/*
 * IOPlatformExpert_test.c - the platform expert at the root has the
 * machine's ACPI tables and CPUs; and, run by name on machines without
 * the device (tests/iokit/test_platform.py), an absent COM1 or 8042 gets
 * no nub.
 */

#include "iokit/Kernel/IOPlatformExpert.h"

#include "iokit/Kernel/IOPlatformDevice.h"
#include "kernel/machine_routines.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "tests/ktest.h"

KTEST(IOPlatformExpert, root_has_the_machine)
{
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();
	IOService *pe = IOService_getPlatform();
	IORegistryEntry *dev;
	OSDictionary *tables;
	OSData *facp;

	KT_ASSERT_TRUE(pe != NULL);
	dev = IORegistryEntry_getParentEntry(&pe->sv_entry, gIOServicePlane);
	KT_ASSERT_TRUE(dev != NULL);
	KT_EXPECT_TRUE(OSDynamicCast(IOPlatformExpertDevice, dev) != NULL);
	KT_EXPECT_TRUE(IORegistryEntry_getParentEntry(dev, gIOServicePlane) == root);
	KT_EXPECT_TRUE(IORegistryEntry_getParentEntry(dev, gIODTPlane) == root);
	tables = OSDynamicCast(OSDictionary, IORegistryEntry_getProperty(dev,
	    kIOPlatformACPITablesKey));
	KT_ASSERT_TRUE(tables != NULL);
	facp = OSDynamicCast(OSData, OSDictionary_getObject(tables, "FACP"));
	KT_ASSERT_TRUE(facp != NULL);
	KT_EXPECT_TRUE(OSData_getLength(facp) >= 36);
	KT_EXPECT_TRUE(memcmp(OSData_getBytesNoCopy(facp), "FACP", 4) == 0);
	KT_EXPECT_TRUE(OSDictionary_getObject(tables, "APIC") != NULL);
}

KTEST(IOPlatformExpert, a_cpu_nub_per_cpu)
{
	for (unsigned n = 0; n < machine_cpu_count(); n++) {
		char name[16];
		IORegistryEntry *cpu;

		(void)snprintf(name, sizeof name, "CPU%u", n);
		cpu = IORegistryEntry_copyEntryWithName(gIOServicePlane, name);
		KT_EXPECT_TRUE(cpu != NULL && OSDynamicCast(IOCPU, cpu) != NULL);
		OSSafeReleaseNULL(cpu);
	}
}

/* Whether a nub of that name exists, and the device's port reads all ones. */
static void
expect_absent(const char *hid, uint16_t port)
{
	IORegistryEntry *nub = IORegistryEntry_copyEntryWithName(gIOServicePlane, hid);

	KT_EXPECT_TRUE(nub == NULL);
	KT_EXPECT_EQ(ml_io_read8(port), 0xff);
	OSSafeReleaseNULL(nub);
}

/* With -serial none: nothing at 0x3f8, so no PNP0501 and no 16550 driver. */
KTEST_EXPLICIT(IOPlatformExpert, absent_uart_is_not_published)
{
	expect_absent("PNP0501", 0x3ff);
}

/* With -machine i8042=off: no PNP0303 and no keyboard driver. */
KTEST_EXPLICIT(IOPlatformExpert, absent_kbc_is_not_published)
{
	expect_absent("PNP0303", 0x64);
}

