/*
 * IOPCIBridge.c - the host bridge's driver: scan, BAR assignment, nubs
 * (IOPCIBridge.h has the order of things).
 */

#include "iokit/Families/IOPCIFamily/IOPCIBridge.h"

#include <stddef.h>

#include "iokit/Families/IOPCIFamily/IOPCIConfigSpace.h"
#include "iokit/Families/IOPCIFamily/IOPCIDevice.h"
#include "iokit/Families/IOPCIFamily/IOPCIFamilyPrivate.h"
#include "iokit/Kernel/IOACPITables.h"
#include "iokit/Kernel/IOLib.h"
#include "libkern/libkern.h"
#include "mach/kern/clock.h"

#define MAX_FUNCTIONS	256
#define MAX_DEPTH	16		/* bridges below bridges */
#define MAX_RANGES	(MAX_FUNCTIONS + 8)

/* Where unassigned BARs go (IOPCIBridge.h). */
#define MEM_WINDOW_START	0x80000000ull
#define MEM_WINDOW_END		0xfec00000ull	/* the I/O APIC, HPET, local APIC above */
#define MEM_MIN_ALIGN		0x1000ull	/* a page each: nothing shares a mapping */
#define IO_WINDOW_START		0xc000u
#define IO_WINDOW_END		0x10000u

#define PCI_HEADER_NORMAL	0
#define PCI_HEADER_BRIDGE	1
#define PCI_MULTIFUNCTION	0x80
#define PCI_BRIDGE_BUSES	0x18	/* primary, secondary, subordinate, latency */
#define PCI_BRIDGE_SUBORDINATE	0x1a

struct scan_function {
	uint8_t			sf_bus, sf_device, sf_function;
	int			sf_parent;	/* the bridge function above, or -1 */
	volatile uint8_t	*sf_ecam;
	IOPCIDevice		*sf_nub;	/* ours until start returns */
	struct IOPCIFamilyPrivate sf_info;
};

struct range {
	uint64_t	base, end;		/* [base, end) */
};

struct scan {
	struct scan_function	fn[MAX_FUNCTIONS];
	unsigned		count;
	unsigned		nextBus;	/* for bridges the firmware did not number */
	uint8_t			visited[256 / 8];
	bool			full;		/* MAX_FUNCTIONS reached (logged) */
	struct range		busyMem[MAX_RANGES], busyIO[MAX_RANGES];
	unsigned		nbusyMem, nbusyIO;
};

/* --- configuration space of a function being scanned ---------------------------------- */

static uint32_t
rd(const struct scan_function *f, uint32_t off, unsigned width)
{
	return IOPCIConfigSpace_read(f->sf_bus, f->sf_device, f->sf_function, f->sf_ecam, off,
	    width);
}

static void
wr(const struct scan_function *f, uint32_t off, unsigned width, uint32_t v)
{
	IOPCIConfigSpace_write(f->sf_bus, f->sf_device, f->sf_function, f->sf_ecam, off, width, v);
}

/* --- BARs ------------------------------------------------------------------------------ */

/*
 * Size one BAR from what it held (lo, hi) and what it read back after
 * all-ones were written (szlo, szhi). Returns its length, 0 if it reads
 * back no size.
 */
static uint64_t
bar_length(uint32_t szlo, uint32_t szhi, uint8_t type)
{
	uint64_t mask;

	if (type == kIOPCIBARIO) {
		mask = szlo & ~3u;
		if (mask == 0)
			return 0;
		if ((mask & 0xffff0000u) == 0)	/* upper half hardwired to 0 */
			mask |= 0xffff0000u;
		return (uint32_t)(~(uint32_t)mask + 1u);
	}
	mask = szlo & ~0xfu;
	if (type == kIOPCIBARMemory64)
		mask |= (uint64_t)szhi << 32;
	else if (mask != 0)
		mask |= 0xffffffff00000000ull;
	if (mask == 0)
		return 0;
	return ~mask + 1;
}

static void
describe(const struct scan_function *f, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%02x:%02x.%x (%04x:%04x)", f->sf_bus, f->sf_device,
	    f->sf_function, f->sf_info.pp_vendor, f->sf_info.pp_device);
}

/* Probe the BAR at reg; how many registers it took (1, or 2 for 64-bit). */
static unsigned
probe_bar(struct scan_function *f, uint8_t reg, bool lastRegister)
{
	uint32_t lo, szlo, hi = 0, szhi = 0;
	struct IOPCIBAR bar = { .bar_reg = reg };
	char name[48];
	unsigned used = 1;

	lo = rd(f, reg, 4);
	wr(f, reg, 4, 0xffffffffu);
	szlo = rd(f, reg, 4);
	wr(f, reg, 4, lo);
	if (szlo == 0)
		return 1;			/* not implemented */
	if (szlo & 1) {
		bar.bar_type = kIOPCIBARIO;
		bar.bar_address = lo & ~3u;
	} else {
		bar.bar_type = ((szlo >> 1) & 3) == 2 && !lastRegister ? kIOPCIBARMemory64
								       : kIOPCIBARMemory32;
		bar.bar_prefetchable = (szlo & 8) != 0;
		bar.bar_address = lo & ~0xfu;
		if (bar.bar_type == kIOPCIBARMemory64) {
			hi = rd(f, reg + 4u, 4);
			wr(f, reg + 4u, 4, 0xffffffffu);
			szhi = rd(f, reg + 4u, 4);
			wr(f, reg + 4u, 4, hi);
			bar.bar_address |= (uint64_t)hi << 32;
			used = 2;
		}
	}
	bar.bar_length = bar_length(szlo, szhi, bar.bar_type);
	describe(f, name, sizeof name);
	if (bar.bar_length == 0 || (bar.bar_length & (bar.bar_length - 1)) != 0 ||
	    (bar.bar_type == kIOPCIBARIO && bar.bar_length > 0x10000)) {
		IOLog("IOPCIFamily: %s: BAR at 0x%x reads back a size of %s (0x%x); not listed\n",
		    name, reg, bar.bar_length == 0 ? "zero" : "no power of two", szlo);
		return used;
	}
	f->sf_info.pp_bars[f->sf_info.pp_nbars++] = bar;
	return used;
}

/* Every BAR of the function, with its decoding off while they are probed. */
static void
probe_bars(struct scan_function *f, unsigned nregs)
{
	uint16_t cmd = (uint16_t)rd(f, kIOPCIConfigCommand, 2);

	wr(f, kIOPCIConfigCommand, 2,
	    cmd & (uint16_t)~(kIOPCICommandIOSpace | kIOPCICommandMemorySpace));
	for (unsigned i = 0; i < nregs; ) {
		uint8_t reg = (uint8_t)(kIOPCIConfigBaseAddress0 + 4 * i);

		i += probe_bar(f, reg, i + 1 == nregs);
	}
	wr(f, kIOPCIConfigCommand, 2, cmd);
}

/* --- the scan ------------------------------------------------------------------------- */

static unsigned
interrupt_line(const struct scan_function *f)
{
	uint8_t pin = (uint8_t)rd(f, kIOPCIConfigInterruptPin, 1);
	uint8_t line = (uint8_t)rd(f, kIOPCIConfigInterruptLine, 1);

	/*
	 * No pin: no INTx. Firmware writes the 8259 line it routed the pin to;
	 * 0xff or past the 8259's lines means it did not, and 0 (the timer)
	 * and 2 (the cascade) are never a PCI line: a register left at reset.
	 */
	if (pin == 0 || pin > 4 || line == 0xff || line >= 16 || line == 0 || line == 2)
		return kIOPCINoInterrupt;
	return line;
}

/*
 * INTx routing on the i440FX machine. The PIIX ISA bridge (function 0 of
 * the chipset's south bridge) has four PIRQ route registers at 0x60-0x63:
 * PIRQ A-D to an 8259 line, bit 7 set when the PIRQ is not routed. A pin
 * reaches a PIRQ by its slot: pin INTA-INTD (0-3) of the device in slot s
 * of bus 0 is PIRQ (pin + s - 1) & 3, and a device behind a PCI-to-PCI
 * bridge has its pin swizzled by its device number at each bridge up to
 * bus 0 (the PCI-to-PCI bridge specification). The chipset is the truth:
 * firmware's Interrupt Line registers can be wrong (qboot's are, for the
 * even slots), and a driver listening on the wrong line never hears its
 * device. What the chipset says replaces the register, which is written
 * back so that both agree; any difference is logged.
 */
#define PIIX_PIRQ_ROUTE		0x60
#define PIIX_PIRQ_DISABLED	0x80

static bool
is_piix_isa(const struct scan_function *f)
{
	return f->sf_bus == 0 && f->sf_function == 0 && f->sf_info.pp_vendor == 0x8086 &&
	    (f->sf_info.pp_device == 0x7000 || f->sf_info.pp_device == 0x7110) &&
	    (f->sf_info.pp_classCode >> 8) == 0x0601;	/* an ISA bridge */
}

static void
route_intx_piix(struct scan *sc)
{
	const struct scan_function *isa = NULL;
	uint8_t route[4];
	char name[48];

	for (unsigned i = 0; i < sc->count && isa == NULL; i++) {
		if (is_piix_isa(&sc->fn[i]))
			isa = &sc->fn[i];
	}
	if (isa == NULL)
		return;
	for (unsigned p = 0; p < 4; p++)
		route[p] = (uint8_t)rd(isa, PIIX_PIRQ_ROUTE + p, 1);
	for (unsigned i = 0; i < sc->count; i++) {
		struct scan_function *f = &sc->fn[i];
		const struct scan_function *g = f;
		uint8_t pin, r;
		unsigned intx, line, depth = 0;

		if (f->sf_info.pp_headerType > PCI_HEADER_BRIDGE)
			continue;
		pin = (uint8_t)rd(f, kIOPCIConfigInterruptPin, 1);
		if (pin == 0 || pin > 4)
			continue;
		intx = pin - 1u;
		while (g->sf_parent >= 0 && depth++ < MAX_FUNCTIONS) {
			intx = (intx + g->sf_device) & 3;
			g = &sc->fn[g->sf_parent];
		}
		if (g->sf_bus != 0 || g->sf_device == 0)
			continue;		/* not below bus 0's slots: leave it */
		r = route[(intx + g->sf_device - 1u) & 3];
		line = (r & PIIX_PIRQ_DISABLED) != 0 || r >= 16 || r == 0 || r == 2 ?
		    kIOPCINoInterrupt : r;
		if (line == f->sf_info.pp_interruptLine)
			continue;
		describe(f, name, sizeof name);
		if (line == kIOPCINoInterrupt)
			IOLog("IOPCIFamily: %s: INT%c is not routed by the chipset (PIRQ%c 0x%02x); "
			    "no interrupt\n", name, 'A' + pin - 1, 'A' + (int)((intx + g->sf_device - 1u) & 3),
			    r);
		else
			IOLog("IOPCIFamily: %s: INT%c is routed to line %u, not %u as the firmware "
			    "wrote; using %u\n", name, 'A' + pin - 1, line,
			    f->sf_info.pp_interruptLine == kIOPCINoInterrupt ? 255u :
			    f->sf_info.pp_interruptLine, line);
		f->sf_info.pp_interruptLine = line;
		wr(f, kIOPCIConfigInterruptLine, 1, line == kIOPCINoInterrupt ? 0xff : line);
	}
}

/* The function at bus/device/function into the table; false if there is none. */
static bool
probe_function(struct scan *sc, uint8_t bus, uint8_t dev, uint8_t fn, int parent,
    uint8_t *headerType)
{
	struct scan_function *f;
	uint32_t id, cls, hdr, sub;
	char name[48];

	if (sc->count == MAX_FUNCTIONS) {
		if (!sc->full)
			IOLog("IOPCIFamily: more than %u functions; the rest are ignored\n",
			    MAX_FUNCTIONS);
		sc->full = true;
		return false;
	}
	f = &sc->fn[sc->count];
	*f = (struct scan_function){ .sf_bus = bus, .sf_device = dev, .sf_function = fn,
		.sf_parent = parent, .sf_ecam = IOPCIConfigSpace_ecamWindow(bus, dev, fn) };
	id = rd(f, kIOPCIConfigVendorID, 4);
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return false;
	cls = rd(f, kIOPCIConfigRevisionID, 4);
	hdr = rd(f, kIOPCIConfigCacheLineSize, 4);
	f->sf_info.pp_vendor = (uint16_t)id;
	f->sf_info.pp_device = (uint16_t)(id >> 16);
	if (id == 0xffffffffu || (cls == 0xffffffffu && hdr == 0xffffffffu)) {
		describe(f, name, sizeof name);
		IOLog("IOPCIFamily: %s reads as all-ones; skipped\n", name);
		return false;
	}
	*headerType = (uint8_t)(hdr >> 16);
	f->sf_info.pp_revision = (uint8_t)cls;
	f->sf_info.pp_classCode = cls >> 8;
	f->sf_info.pp_headerType = *headerType & 0x7f;
	if (f->sf_info.pp_headerType == PCI_HEADER_NORMAL) {
		sub = rd(f, kIOPCIConfigSubSystemVendorID, 4);
		f->sf_info.pp_subVendor = (uint16_t)sub;
		f->sf_info.pp_subDevice = (uint16_t)(sub >> 16);
	}
	f->sf_info.pp_interruptLine = f->sf_info.pp_headerType <= PCI_HEADER_BRIDGE ?
	    interrupt_line(f) : kIOPCINoInterrupt;
	if (f->sf_info.pp_headerType == PCI_HEADER_NORMAL)
		probe_bars(f, 6);
	else if (f->sf_info.pp_headerType == PCI_HEADER_BRIDGE)
		probe_bars(f, 2);
	sc->count++;
	return true;
}

static void scan_bus(struct scan *sc, uint8_t bus, int parent, unsigned depth);

static bool
visited(const struct scan *sc, unsigned bus)
{
	return (sc->visited[bus / 8] >> (bus % 8)) & 1;
}

/* Follow the PCI-to-PCI bridge at index i to its secondary bus. */
static void
scan_bridge(struct scan *sc, int i, unsigned depth)
{
	struct scan_function *f = &sc->fn[i];
	uint32_t buses = rd(f, PCI_BRIDGE_BUSES, 4);
	unsigned secondary = (buses >> 8) & 0xff, subordinate = (buses >> 16) & 0xff;
	char name[48];

	describe(f, name, sizeof name);
	if (depth >= MAX_DEPTH) {
		IOLog("IOPCIFamily: %s: bridges nest deeper than %u; not followed\n", name,
		    MAX_DEPTH);
		return;
	}
	if (secondary > f->sf_bus && !visited(sc, secondary)) {
		if (subordinate + 1u > sc->nextBus)
			sc->nextBus = subordinate + 1u;
		scan_bus(sc, (uint8_t)secondary, i, depth + 1);
		return;
	}
	/* Unnumbered (or numbered into a loop): give it the next free bus. */
	if (sc->nextBus > 255) {
		IOLog("IOPCIFamily: %s: no bus number left for its secondary bus\n", name);
		return;
	}
	secondary = sc->nextBus++;
	wr(f, PCI_BRIDGE_BUSES, 4, (buses & 0xff000000u) | 0x00ff0000u | secondary << 8 |
	    f->sf_bus);
	scan_bus(sc, (uint8_t)secondary, i, depth + 1);
	wr(f, PCI_BRIDGE_SUBORDINATE, 1, sc->nextBus - 1u);
}

static void
scan_bus(struct scan *sc, uint8_t bus, int parent, unsigned depth)
{
	sc->visited[bus / 8] |= (uint8_t)(1u << (bus % 8));
	for (uint8_t dev = 0; dev < 32; dev++) {
		uint8_t functions = 1, headerType;

		for (uint8_t fn = 0; fn < functions; fn++) {
			if (!probe_function(sc, bus, dev, fn, parent, &headerType))
				continue;
			if (fn == 0 && (headerType & PCI_MULTIFUNCTION))
				functions = 8;
			if ((headerType & 0x7f) == PCI_HEADER_BRIDGE)
				scan_bridge(sc, (int)sc->count - 1, depth);
		}
	}
}

/* --- BAR assignment -------------------------------------------------------------- */

static bool
add_range(struct range *list, unsigned *n, uint64_t base, uint64_t length)
{
	if (*n == MAX_RANGES)
		return false;
	list[*n].base = base;
	list[(*n)++].end = base + length;
	return true;
}

/* The busy range overlapping [base, base + length), or NULL. */
static const struct range *
overlap(const struct range *list, unsigned n, uint64_t base, uint64_t length)
{
	for (unsigned i = 0; i < n; i++) {
		if (list[i].base < base + length && base < list[i].end)
			return &list[i];
	}
	return NULL;
}

/* Memory for a BAR of length bytes, top-down; 0 if the window is full. */
static uint64_t
alloc_memory(struct scan *sc, uint64_t length)
{
	uint64_t align = length < MEM_MIN_ALIGN ? MEM_MIN_ALIGN : length;
	uint64_t top = MEM_WINDOW_END;
	const struct range *r;

	while (top >= MEM_WINDOW_START + align) {
		uint64_t a = (top - align) & ~(align - 1);

		if (a < MEM_WINDOW_START)
			break;
		if ((r = overlap(sc->busyMem, sc->nbusyMem, a, align)) != NULL) {
			top = r->base;
			continue;
		}
		if (!IOACPIAddressRangeIsFree(a, align)) {
			top = a;
			continue;
		}
		return add_range(sc->busyMem, &sc->nbusyMem, a, align) ? a : 0;
	}
	return 0;
}

/* Ports for a BAR of length bytes, bottom-up; 0 if none are left. */
static uint64_t
alloc_io(struct scan *sc, uint64_t length)
{
	uint64_t a = IO_WINDOW_START;
	const struct range *r;

	while (a + length <= IO_WINDOW_END) {
		if ((r = overlap(sc->busyIO, sc->nbusyIO, a, length)) == NULL)
			return add_range(sc->busyIO, &sc->nbusyIO, a, length) ? a : 0;
		a = (r->end + length - 1) & ~(length - 1);
	}
	return 0;
}

static void
write_bar(struct scan_function *f, const struct IOPCIBAR *bar)
{
	uint16_t cmd = (uint16_t)rd(f, kIOPCIConfigCommand, 2);
	uint32_t flags = rd(f, bar->bar_reg, 4) & (bar->bar_type == kIOPCIBARIO ? 3u : 0xfu);

	wr(f, kIOPCIConfigCommand, 2,
	    cmd & (uint16_t)~(kIOPCICommandIOSpace | kIOPCICommandMemorySpace));
	wr(f, bar->bar_reg, 4, (uint32_t)bar->bar_address | flags);
	if (bar->bar_type == kIOPCIBARMemory64)
		wr(f, bar->bar_reg + 4u, 4, (uint32_t)(bar->bar_address >> 32));
	wr(f, kIOPCIConfigCommand, 2, cmd);
}

/* Record what the firmware placed (and ECAM), so nothing lands on it. */
static void
note_busy(struct scan *sc)
{
	uint64_t ecam = IOPCIConfigSpace_ecamBase();

	if (ecam != 0)
		(void)add_range(sc->busyMem, &sc->nbusyMem,
		    ecam + ((uint64_t)IOPCIConfigSpace_ecamStartBus() << 20),
		    ((uint64_t)IOPCIConfigSpace_ecamEndBus() - IOPCIConfigSpace_ecamStartBus() + 1)
		    << 20);
	for (unsigned i = 0; i < sc->count; i++) {
		const struct IOPCIFamilyPrivate *p = &sc->fn[i].sf_info;

		for (unsigned b = 0; b < p->pp_nbars; b++) {
			const struct IOPCIBAR *bar = &p->pp_bars[b];

			if (bar->bar_address == 0)
				continue;
			if (bar->bar_type == kIOPCIBARIO)
				(void)add_range(sc->busyIO, &sc->nbusyIO, bar->bar_address,
				    bar->bar_length);
			else
				(void)add_range(sc->busyMem, &sc->nbusyMem, bar->bar_address,
				    bar->bar_length);
		}
	}
}

/* The largest unassigned BAR on bus 0 not yet tried; false when none is left. */
static bool
next_unassigned(struct scan *sc, const uint8_t *tried, unsigned *fi, unsigned *bi)
{
	uint64_t best = 0;

	for (unsigned i = 0; i < sc->count; i++) {
		const struct IOPCIFamilyPrivate *p = &sc->fn[i].sf_info;

		for (unsigned b = 0; b < p->pp_nbars; b++) {
			if (p->pp_bars[b].bar_address != 0 || (tried[i] >> b) & 1 ||
			    p->pp_bars[b].bar_length <= best)
				continue;
			best = p->pp_bars[b].bar_length;
			*fi = i;
			*bi = b;
		}
	}
	return best != 0;
}

static void
assign_bars(struct scan *sc)
{
	uint8_t tried[MAX_FUNCTIONS] = { 0 };
	unsigned fi = 0, bi = 0;
	char name[48];

	note_busy(sc);
	while (next_unassigned(sc, tried, &fi, &bi)) {
		struct scan_function *f = &sc->fn[fi];
		struct IOPCIBAR *bar = &f->sf_info.pp_bars[bi];
		uint64_t a;

		tried[fi] |= (uint8_t)(1u << bi);
		describe(f, name, sizeof name);
		if (f->sf_bus != 0) {
			IOLog("IOPCIFamily: %s: BAR at 0x%x is unassigned behind a bridge; "
			    "left so\n", name, bar->bar_reg);
			continue;
		}
		a = bar->bar_type == kIOPCIBARIO ? alloc_io(sc, bar->bar_length)
						 : alloc_memory(sc, bar->bar_length);
		if (a == 0) {
			IOLog("IOPCIFamily: %s: no room for the BAR at 0x%x (0x%llx bytes)\n",
			    name, bar->bar_reg, (unsigned long long)bar->bar_length);
			continue;
		}
		bar->bar_address = a;
		write_bar(f, bar);
		IOLog("IOPCIFamily: %s: BAR at 0x%x assigned %s 0x%llx (0x%llx bytes)\n", name,
		    bar->bar_reg, bar->bar_type == kIOPCIBARIO ? "ports" : "memory",
		    (unsigned long long)a, (unsigned long long)bar->bar_length);
	}
}

/* --- nubs ------------------------------------------------------------------------ */

static void
publish(IOPCIBridge *bridge, struct scan *sc)
{
	for (unsigned i = 0; i < sc->count; i++) {
		struct scan_function *f = &sc->fn[i];
		IOService *parent = &bridge->pb_service;
		IOPCIDevice *nub;

		if (f->sf_parent >= 0 && sc->fn[f->sf_parent].sf_nub != NULL)
			parent = &sc->fn[f->sf_parent].sf_nub->pd_service;
		nub = IOPCIDevice_withFunction(f->sf_bus, f->sf_device, f->sf_function,
		    f->sf_ecam, &f->sf_info);
		if (nub == NULL)
			continue;
		if (!IOService_attach(&nub->pd_service, parent) ||
		    IORegistryEntry_attachToParent(&nub->pd_service.sv_entry, &parent->sv_entry,
		    gIODTPlane) != kIOReturnSuccess) {
			IOLog("IOPCIFamily: cannot attach the nub of %02x:%02x.%x\n", f->sf_bus,
			    f->sf_device, f->sf_function);
			IOService_detach(&nub->pd_service, parent);
			OSSafeReleaseNULL(nub);
			continue;
		}
		f->sf_nub = nub;
		IOService_registerService(&nub->pd_service, 0);
	}
	for (unsigned i = 0; i < sc->count; i++)
		OSSafeReleaseNULL(sc->fn[i].sf_nub);
}

/*
 * The bridge's parent in IODeviceTree: the machine's own node (the platform
 * expert's device) when the provider is in that plane, else the root.
 */
static IORegistryEntry *
dt_parent(IOService *provider)
{
	if (provider != NULL && IORegistryEntry_inPlane(&provider->sv_entry, gIODTPlane))
		return &provider->sv_entry;
	return IORegistryEntry_getRegistryRoot();
}

static bool
IOPCIBridge_start(IOService *self, IOService *provider)
{
	IOPCIBridge *bridge = (IOPCIBridge *)self;
	IORegistryEntry *e = &self->sv_entry;
	uint64_t t0 = mach_absolute_time(), ns;
	struct scan *sc;

	if (!IOPCIConfigSpace_init()) {
		IOLog("IOPCIFamily: out of memory\n");
		return false;
	}
	bridge->pb_configured = true;
	if ((sc = OSMalloc(sizeof(*sc), gIOPCIFamilyTag)) == NULL) {
		IOLog("IOPCIFamily: out of memory for the scan\n");
		return false;
	}
	memset(sc, 0, sizeof(*sc));
	sc->nextBus = 1;
	(void)IORegistryEntry_setName(e, "pci", NULL);
	(void)IORegistryEntry_setLocation(e, "0", NULL);
	if (IORegistryEntry_attachToParent(e, dt_parent(provider), gIODTPlane) != kIOReturnSuccess)
		IOLog("IOPCIFamily: the bridge is not in IODeviceTree\n");
	IOLog("IOPCIFamily: configuration through %s\n", IOPCIConfigSpace_hasECAM(0) ?
	    "ECAM (MCFG)" : "mechanism #1 (0xcf8)");
	scan_bus(sc, 0, -1, 0);
	assign_bars(sc);
	route_intx_piix(sc);
	bridge->pb_functions = sc->count;
	IOService_registerService(self, 0);
	publish(bridge, sc);
	OSFree(sc, sizeof(*sc), gIOPCIFamilyTag);
	absolutetime_to_nanoseconds(mach_absolute_time() - t0, &ns);
	bridge->pb_scanNanoseconds = ns;
	IOLog("IOPCIFamily: %u functions; scanned and matched in %llu us\n",
	    bridge->pb_functions, (unsigned long long)(ns / 1000));
	return true;
}

static void
IOPCIBridge_stop(IOService *self, IOService *provider)
{
	IORegistryEntry_detachFromParent(&self->sv_entry, dt_parent(provider), gIODTPlane);
}

static void
IOPCIBridge_free(OSObject *obj)
{
	if (((IOPCIBridge *)obj)->pb_configured)
		IOPCIConfigSpace_free();
}

static const struct IOService_methods IOPCIBridge_methods = {
	.re.os.free = IOPCIBridge_free,
	.start = IOPCIBridge_start,
	.stop = IOPCIBridge_stop,
};
OSDefineMetaClassAndStructorsWithMethods(IOPCIBridge, IOService, &IOPCIBridge_methods);
