/*
 * IOPCIConfigSpace.c - configuration mechanism #1 and ECAM (IOPCIConfigSpace.h).
 *
 * MCFG (PCI Firmware Specification 3.0, 4.1.2): the ACPI header, 8
 * reserved bytes, then 16-byte entries: the window's base address (64
 * bits), the segment group (16), the first and last bus it decodes (8 and
 * 8), 4 reserved bytes. Bus b, device d, function f, register r of the
 * window is at base + (b << 20 | d << 15 | f << 12 | r): the base is where bus
 * 0 would be even when the first bus is not 0 (as Linux reads it).
 */

#include "iokit/Families/IOPCIFamily/IOPCIConfigSpace.h"

#include <stddef.h>

#include "iokit/Kernel/IOACPITables.h"
#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOLocks.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"

#define CONFIG_ADDRESS	0xcf8
#define CONFIG_DATA	0xcfc
#define CONFIG_ENABLE	0x80000000u

#define MCFG_ENTRIES	44	/* the first entry's offset in the table */
#define MCFG_ENTRY_SIZE	16
#define ECAM_BUS_SIZE	(1u << 20)

static struct {
	IOSimpleLock	*lock;
	bool		ecam;			/* [I] MCFG gave a window */
	uint64_t	ecamBase;		/* [I] its physical address */
	uint8_t		startBus, endBus;	/* [I] the buses it decodes */
	IOMemoryMap	*busMaps[256];		/* [c] each bus's mapped megabyte */
} cfg;

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Look for segment 0's window in MCFG; take it if it is sane. */
static void
config_find_ecam(void)
{
	uint32_t length = 0;
	const uint8_t *mcfg = IOACPIGetTable("MCFG", 0, &length);

	if (mcfg == NULL)
		return;
	for (uint32_t off = MCFG_ENTRIES; off + MCFG_ENTRY_SIZE <= length; off += MCFG_ENTRY_SIZE) {
		const uint8_t *e = mcfg + off;
		uint64_t base = rd32(e) | (uint64_t)rd32(e + 4) << 32;
		unsigned segment = e[8] | e[9] << 8, start = e[10], end = e[11];

		if (segment != 0)
			continue;
		if (base == 0 || (base & (ECAM_BUS_SIZE - 1)) != 0 || end < start) {
			IOLog("IOPCIFamily: MCFG entry for segment 0 is malformed (base 0x%llx, "
			    "buses %u-%u); using configuration mechanism #1\n",
			    (unsigned long long)base, start, end);
			return;
		}
		cfg.ecam = true;
		cfg.ecamBase = base;
		cfg.startBus = (uint8_t)start;
		cfg.endBus = (uint8_t)end;
		return;
	}
}

bool
IOPCIConfigSpace_init(void)
{
	cfg.lock = IOSimpleLockAlloc();
	if (cfg.lock == NULL)
		return false;
	config_find_ecam();
	return true;
}

void
IOPCIConfigSpace_free(void)
{
	for (unsigned b = 0; b < 256; b++)
		OSSafeReleaseNULL(cfg.busMaps[b]);
	if (cfg.lock != NULL)
		IOSimpleLockFree(cfg.lock);
	cfg.lock = NULL;
	cfg.ecam = false;
}

bool
IOPCIConfigSpace_hasECAM(uint8_t bus)
{
	return cfg.ecam && bus >= cfg.startBus && bus <= cfg.endBus;
}

uint64_t
IOPCIConfigSpace_ecamBase(void)
{
	return cfg.ecam ? cfg.ecamBase : 0;
}

uint8_t
IOPCIConfigSpace_ecamStartBus(void)
{
	return cfg.startBus;
}

uint8_t
IOPCIConfigSpace_ecamEndBus(void)
{
	return cfg.endBus;
}

/* The bus's map, made if needed (outside the lock: mapping may sleep). */
static IOMemoryMap *
config_bus_map(uint8_t bus)
{
	IOMemoryDescriptor *md;
	IOMemoryMap *map, *old;
	IOInterruptState is;

	is = IOSimpleLockLockDisableInterrupt(cfg.lock);
	map = cfg.busMaps[bus];
	IOSimpleLockUnlockEnableInterrupt(cfg.lock, is);
	if (map != NULL)
		return map;
	md = IOMemoryDescriptor_withPhysicalAddress(cfg.ecamBase +
	    (uint64_t)bus * ECAM_BUS_SIZE, ECAM_BUS_SIZE, kIODirectionInOut);
	map = md != NULL ? IOMemoryDescriptor_map(md, kIOMapAnywhere | kIOMapInhibitCache) : NULL;
	OSSafeReleaseNULL(md);
	if (map == NULL) {
		IOLog("IOPCIFamily: cannot map the ECAM window of bus %u\n", bus);
		return NULL;
	}
	is = IOSimpleLockLockDisableInterrupt(cfg.lock);
	old = cfg.busMaps[bus];
	if (old == NULL)
		cfg.busMaps[bus] = map;
	IOSimpleLockUnlockEnableInterrupt(cfg.lock, is);
	if (old != NULL) {		/* another thread mapped it first */
		OSSafeReleaseNULL(map);
		return old;
	}
	return map;
}

volatile uint8_t *
IOPCIConfigSpace_ecamWindow(uint8_t bus, uint8_t device, uint8_t function)
{
	IOMemoryMap *map;

	if (!IOPCIConfigSpace_hasECAM(bus) || device > 31 || function > 7)
		return NULL;
	if ((map = config_bus_map(bus)) == NULL)
		return NULL;
	return (volatile uint8_t *)(IOMemoryMap_getVirtualAddress(map) +
	    ((uint32_t)device << 15 | (uint32_t)function << 12));
}

static uint32_t
config_address(uint8_t bus, uint8_t device, uint8_t function, uint32_t offset)
{
	return CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)(device & 31) << 11 |
	    (uint32_t)(function & 7) << 8 | (offset & 0xfc);
}

uint32_t
IOPCIConfigSpace_read(uint8_t bus, uint8_t device, uint8_t function,
    volatile uint8_t *ecam, uint32_t offset, unsigned width)
{
	IOInterruptState is;
	uint32_t v;
	uint16_t port = (uint16_t)(CONFIG_DATA + (offset & 3));

	is = IOSimpleLockLockDisableInterrupt(cfg.lock);
	if (ecam != NULL) {
		if (width == 4)
			v = *(volatile uint32_t *)(ecam + offset);
		else if (width == 2)
			v = *(volatile uint16_t *)(ecam + offset);
		else
			v = ecam[offset];
	} else {
		iopci_outl(CONFIG_ADDRESS, config_address(bus, device, function, offset));
		if (width == 4)
			v = iopci_inl(port);
		else if (width == 2)
			v = iopci_inw(port);
		else
			v = iopci_inb(port);
	}
	IOSimpleLockUnlockEnableInterrupt(cfg.lock, is);
	return v;
}

void
IOPCIConfigSpace_write(uint8_t bus, uint8_t device, uint8_t function,
    volatile uint8_t *ecam, uint32_t offset, unsigned width, uint32_t value)
{
	IOInterruptState is;
	uint16_t port = (uint16_t)(CONFIG_DATA + (offset & 3));

	is = IOSimpleLockLockDisableInterrupt(cfg.lock);
	if (ecam != NULL) {
		if (width == 4)
			*(volatile uint32_t *)(ecam + offset) = value;
		else if (width == 2)
			*(volatile uint16_t *)(ecam + offset) = (uint16_t)value;
		else
			ecam[offset] = (uint8_t)value;
	} else {
		iopci_outl(CONFIG_ADDRESS, config_address(bus, device, function, offset));
		if (width == 4)
			iopci_outl(port, value);
		else if (width == 2)
			iopci_outw(port, (uint16_t)value);
		else
			iopci_outb(port, (uint8_t)value);
	}
	IOSimpleLockUnlockEnableInterrupt(cfg.lock, is);
}
