/*
 * IOPlatformDevice_test.c - a platform nub refuses bad ranges, keeps a
 * driver to its own ports (out of range reads all ones, writes are
 * dropped, both counted).
 */

#include "iokit/Kernel/IOPlatformDevice.h"

#include "kernel/machine_routines.h"
#include "libkern/OSArray.h"
#include "tests/ktest.h"

KTEST(IOPlatformDevice, bad_ranges_are_refused)
{
	static const struct IOPlatformDevicePortRange empty = { 0x300, 0 };
	static const struct IOPlatformDevicePortRange past_end = { 0xfffe, 4 };
	static const struct IOPlatformDevicePortRange ok = { 0x300, 2 };
	struct IOPlatformDevicePortRange many[IOPLATFORMDEVICE_MAX_RANGES + 1];

	for (unsigned i = 0; i < IOPLATFORMDEVICE_MAX_RANGES + 1; i++)
		many[i] = ok;
	KT_EXPECT_TRUE(IOPlatformDevice_withHID("PNP0000", &empty, 1, NULL, 0) == NULL);
	KT_EXPECT_TRUE(IOPlatformDevice_withHID("PNP0000", &past_end, 1, NULL, 0) == NULL);
	KT_EXPECT_TRUE(IOPlatformDevice_withHID("PNP0000", NULL, 0, NULL, 0) == NULL);
	KT_EXPECT_TRUE(IOPlatformDevice_withHID("PNP0000", many,
	    IOPLATFORMDEVICE_MAX_RANGES + 1, NULL, 0) == NULL);
	KT_EXPECT_TRUE(IOPlatformDevice_withHID(NULL, &ok, 1, NULL, 0) == NULL);
	KT_EXPECT_TRUE(IOPlatformDevice_withHID("PNP0000", &ok, 1, NULL, 1) == NULL);
}

KTEST(IOPlatformDevice, range_checks)
{
	static const struct IOPlatformDevicePortRange ranges[2] = { { 0x60, 1 }, { 0x64, 1 } };
	unsigned lines[2] = { 1, 12 }, line;
	IOPlatformDevice *dev = IOPlatformDevice_withHID("PNP0303", ranges, 2, lines, 2);
	OSArray *prop;

	KT_ASSERT_TRUE(dev != NULL);
	KT_EXPECT_TRUE(IOPlatformDevice_inRange(dev, 0x60, 1));
	KT_EXPECT_TRUE(IOPlatformDevice_inRange(dev, 0x64, 1));
	KT_EXPECT_FALSE(IOPlatformDevice_inRange(dev, 0x60, 2));	/* runs past the range */
	KT_EXPECT_FALSE(IOPlatformDevice_inRange(dev, 0x61, 1));
	KT_EXPECT_FALSE(IOPlatformDevice_inRange(dev, 0x5f, 1));
	KT_EXPECT_FALSE(IOPlatformDevice_inRange(dev, 0x63, 2));
	KT_EXPECT_FALSE(IOPlatformDevice_inRange(NULL, 0x60, 1));
	/* Out of range: all ones, nothing touched, counted. */
	KT_EXPECT_EQ(IOPlatformDevice_ioRead8(dev, 0x61), 0xff);
	KT_EXPECT_EQ(IOPlatformDevice_ioRead16(dev, 0x64), 0xffff);
	KT_EXPECT_EQ(IOPlatformDevice_ioRead32(dev, 0x70), 0xffffffffU);
	IOPlatformDevice_ioWrite8(dev, 0x70, 0x0f);
	IOPlatformDevice_ioWrite16(dev, 0x60, 0);
	IOPlatformDevice_ioWrite32(dev, 0x3f8, 0);
	KT_EXPECT_EQ(IOPlatformDevice_getRefusedCount(dev), 6);
	KT_EXPECT_EQ(IOPlatformDevice_ioRead8(NULL, 0x60), 0xff);
	/* The nub says what it is. */
	KT_EXPECT_TRUE(IORegistryEntry_compareName(&dev->pd_service.sv_entry, "PNP0303"));
	prop = OSDynamicCast(OSArray, IORegistryEntry_getProperty(&dev->pd_service.sv_entry,
	    kIOPlatformDevicePortRangesKey));
	KT_EXPECT_TRUE(prop != NULL && OSArray_getCount(prop) == 2);
	KT_EXPECT_EQ(IOService_getInterruptLine(&dev->pd_service, 1, &line), kIOReturnSuccess);
	KT_EXPECT_EQ(line, 12);
	OSObject_release(OSOBJ(dev));
}

/* COM1's scratch register, through a nub of that one port: in range goes through. */
KTEST(IOPlatformDevice, in_range_reaches_the_port)
{
	static const struct IOPlatformDevicePortRange scratch = { 0x3ff, 1 };
	IOPlatformDevice *dev = IOPlatformDevice_withHID("PNP0501", &scratch, 1, NULL, 0);
	uint8_t saved;

	KT_ASSERT_TRUE(dev != NULL);
	saved = IOPlatformDevice_ioRead8(dev, 0x3ff);
	IOPlatformDevice_ioWrite8(dev, 0x3ff, 0x42);
	KT_EXPECT_EQ(IOPlatformDevice_ioRead8(dev, 0x3ff), 0x42);
	IOPlatformDevice_ioWrite8(dev, 0x3ff, saved);
	KT_EXPECT_EQ(IOPlatformDevice_getRefusedCount(dev), 0);
	OSObject_release(OSOBJ(dev));
}
