/*
 * ioapic.c - I/O APIC discovery from the MADT, line routing, masking and
 * dispatch (ioapic.h).
 */

#include "kernel/x86_64/ioapic.h"

#include <stddef.h>

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/x86_64/acpi.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/pic.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"
#include "mach/vm/pmap.h"

#define IOAPIC_MAX		4
#define IOREGSEL		0x00	/* bytes: the index register */
#define IOWIN			0x10	/* bytes: the data window */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_REDIR	0x10	/* pin n: 0x10 + 2n (low), + 1 (high) */

#define RTE_DELIVERY_FIXED	0x00000000u
#define RTE_DEST_PHYSICAL	0x00000000u
#define RTE_ACTIVE_LOW		0x00002000u
#define RTE_REMOTE_IRR		0x00004000u
#define RTE_LEVEL		0x00008000u
#define RTE_MASKED		0x00010000u

#define MADT_IO_APIC		1
#define MADT_SOURCE_OVERRIDE	2
#define MPS_POLARITY_MASK	0x3
#define MPS_POLARITY_HIGH	0x1
#define MPS_POLARITY_LOW	0x3
#define MPS_TRIGGER_MASK	0xc
#define MPS_TRIGGER_EDGE	0x4
#define MPS_TRIGGER_LEVEL	0xc
#define ISA_LINES		16

struct ioapic_unit {
	volatile uint32_t	*base;		/* [I] its registers, through the direct map */
	uint32_t		phys;		/* [I] */
	uint8_t			id;		/* [I] from the MADT */
	uint8_t			version;	/* [I] */
	uint32_t		gsi_base;	/* [I] the GSI of pin 0 */
	uint32_t		pins;		/* [I] */
};

struct ioapic_line {
	int8_t			unit;		/* [I] -1: no pin (not usable) */
	uint8_t			pin;		/* [I] */
	uint32_t		gsi;		/* [I] */
	uint32_t		flags;		/* [I] RTE_LEVEL, RTE_ACTIVE_LOW */
	interrupt_handler_t	handler;	/* [a] */
	uint8_t			disables;	/* [a] outstanding disables */
};

static struct {
	hw_lock_data_t		lock;
	bool			active;			/* [I] */
	unsigned		units;			/* [I] */
	unsigned		lines;			/* [I] */
	uint32_t		dest;			/* [I] the boot CPU's APIC id */
	struct ioapic_unit	unit[IOAPIC_MAX];	/* [I] */
	struct ioapic_line	line[IOAPIC_MAX_LINES];
} ioapic;

/* Register access; the caller holds the lock, or is alone (initialisation). */
static uint32_t
ioapic_read(const struct ioapic_unit *u, uint32_t reg)
{
	u->base[IOREGSEL / 4] = reg;
	return u->base[IOWIN / 4];
}

static void
ioapic_write(const struct ioapic_unit *u, uint32_t reg, uint32_t value)
{
	u->base[IOREGSEL / 4] = reg;
	u->base[IOWIN / 4] = value;
}

/* The unit and pin of gsi, or -1. */
static int
ioapic_unit_of(uint32_t gsi)
{
	for (unsigned i = 0; i < ioapic.units; i++) {
		if (gsi >= ioapic.unit[i].gsi_base &&
		    gsi - ioapic.unit[i].gsi_base < ioapic.unit[i].pins)
			return (int)i;
	}
	return -1;
}

/* Write line's redirection entry: its vector, trigger, polarity, mask. Locks: [a]. */
static void
ioapic_program_locked(unsigned n)
{
	const struct ioapic_line *l = &ioapic.line[n];
	const struct ioapic_unit *u;
	uint32_t low;

	if (l->unit < 0)
		return;
	u = &ioapic.unit[l->unit];
	low = (T_IRQ_BASE + n) | RTE_DELIVERY_FIXED | RTE_DEST_PHYSICAL | l->flags;
	if (l->handler == NULL || l->disables != 0)
		low |= RTE_MASKED;
	/*
	 * Masked first, so the pin never fires half-programmed; but with its
	 * own trigger mode and polarity. A level pin keeps following its line
	 * while masked, so a device that raises it now interrupts once it is
	 * unmasked. Were the pin edge-triggered even for a moment, a line that
	 * went up in that moment would be dropped (a masked edge pin ignores
	 * it) and, staying up, would never interrupt again.
	 */
	ioapic_write(u, IOAPIC_REG_REDIR + 2 * l->pin, low | RTE_MASKED);
	ioapic_write(u, IOAPIC_REG_REDIR + 2 * l->pin + 1, ioapic.dest << 24);
	ioapic_write(u, IOAPIC_REG_REDIR + 2 * l->pin, low);
}

/* One I/O APIC entry of the MADT into the table; logged and skipped if unusable. */
static void
ioapic_add_unit(uint8_t id, uint32_t phys, uint32_t gsi_base)
{
	struct ioapic_unit *u;
	uint32_t ver;

	if (ioapic.units == IOAPIC_MAX) {
		printf("ioapic: more than %u I/O APICs; the one at 0x%x is ignored\n",
		    IOAPIC_MAX, phys);
		return;
	}
	if ((phys & 0xf) != 0 || !pmap_physmap_contains(phys, 0x20)) {
		printf("ioapic: the I/O APIC at 0x%x is not reachable; ignored\n", phys);
		return;
	}
	u = &ioapic.unit[ioapic.units];
	*u = (struct ioapic_unit){ .base = phystokv(phys), .phys = phys, .id = id,
		.gsi_base = gsi_base };
	ver = ioapic_read(u, IOAPIC_REG_VER);
	if (ver == 0xffffffffu || ver == 0) {
		printf("ioapic: the I/O APIC at 0x%x does not answer (version 0x%x); ignored\n",
		    phys, ver);
		return;
	}
	u->version = (uint8_t)ver;
	u->pins = ((ver >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < ioapic.units; i++) {
		const struct ioapic_unit *o = &ioapic.unit[i];

		if (gsi_base < o->gsi_base + o->pins && o->gsi_base < gsi_base + u->pins) {
			printf("ioapic: the I/O APIC at 0x%x (GSIs %u-%u) overlaps the one at "
			    "0x%x; ignored\n", phys, gsi_base, gsi_base + u->pins - 1, o->phys);
			return;
		}
	}
	ioapic.units++;
}

/* Trigger and polarity flags from an override's MPS INTI flags, for an ISA source. */
static uint32_t
ioapic_flags_from_mps(uint16_t mps)
{
	uint32_t flags = 0;

	if ((mps & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL)
		flags |= RTE_LEVEL;
	if ((mps & MPS_POLARITY_MASK) == MPS_POLARITY_LOW)
		flags |= RTE_ACTIVE_LOW;
	return flags;
}

bool
ioapic_init(void)
{
	const struct acpi_header *madt = acpi_find_table("APIC", 0);
	const uint8_t *p, *end;
	bool overridden[ISA_LINES] = { false };
	char buf[80];

	if (madt == NULL || madt->length < sizeof(*madt) + 8)
		return false;
	hw_lock_init(&ioapic.lock);
	p = (const uint8_t *)madt + sizeof(*madt) + 8;	/* past the local APIC address and flags */
	end = (const uint8_t *)madt + madt->length;
	for (const uint8_t *q = p; q + 2 <= end && q[1] >= 2 && q + q[1] <= end; q += q[1]) {
		uint32_t phys, gsi_base;

		if (q[0] != MADT_IO_APIC || q[1] < 12)
			continue;
		memcpy(&phys, q + 4, 4);
		memcpy(&gsi_base, q + 8, 4);
		ioapic_add_unit(q[2], phys, gsi_base);
	}
	if (ioapic.units == 0)
		return false;

	/* Identity first: line n is GSI n; ISA lines are edge and active high. */
	for (unsigned n = 0; n < IOAPIC_MAX_LINES; n++) {
		struct ioapic_line *l = &ioapic.line[n];
		int u = ioapic_unit_of(n);

		l->unit = (int8_t)u;
		l->gsi = n;
		l->pin = u >= 0 ? (uint8_t)(n - ioapic.unit[u].gsi_base) : 0;
		/*
		 * Above the ISA lines are PCI's: level. Their polarity is the
		 * _PRT's to say, which needs AML; QEMU declares them active high.
		 */
		l->flags = n >= ISA_LINES ? RTE_LEVEL : (pic_is_level(n) ? RTE_LEVEL : 0);
		if (u >= 0)
			ioapic.lines = n + 1;
	}
	/* Then the overrides move ISA lines onto other GSIs and set how they signal. */
	for (const uint8_t *q = p; q + 2 <= end && q[1] >= 2 && q + q[1] <= end; q += q[1]) {
		uint32_t gsi;
		uint16_t mps;
		uint8_t src;
		int u;

		if (q[0] != MADT_SOURCE_OVERRIDE || q[1] < 10)
			continue;
		src = q[3];
		memcpy(&gsi, q + 4, 4);
		memcpy(&mps, q + 8, 2);
		u = ioapic_unit_of(gsi);
		if (q[2] != 0 || src >= ISA_LINES || u < 0) {
			printf("ioapic: override of bus %u IRQ %u onto GSI %u does not fit; ignored\n",
			    q[2], src, gsi);
			continue;
		}
		ioapic.line[src].unit = (int8_t)u;
		ioapic.line[src].gsi = gsi;
		ioapic.line[src].pin = (uint8_t)(gsi - ioapic.unit[u].gsi_base);
		ioapic.line[src].flags = ioapic_flags_from_mps(mps);
		if ((mps & MPS_TRIGGER_MASK) == 0 && pic_is_level(src))
			ioapic.line[src].flags |= RTE_LEVEL;
		overridden[src] = true;
	}
	/* A GSI an override took is no longer its own line's (IRQ 0 on GSI 2: line 2). */
	for (unsigned n = 0; n < ioapic.lines; n++) {
		for (unsigned s = 0; s < ISA_LINES && !(n < ISA_LINES && overridden[n]); s++) {
			if (s != n && overridden[s] && ioapic.line[s].gsi == ioapic.line[n].gsi)
				ioapic.line[n].unit = -1;
		}
	}

	ioapic.dest = lapic_id();
	/* Every pin masked, including those no line reaches. */
	for (unsigned i = 0; i < ioapic.units; i++) {
		for (unsigned pin = 0; pin < ioapic.unit[i].pins; pin++)
			ioapic_write(&ioapic.unit[i], IOAPIC_REG_REDIR + 2 * pin, RTE_MASKED);
	}
	for (unsigned n = 0; n < ioapic.lines; n++)
		ioapic_program_locked(n);
	ioapic.active = true;
	for (unsigned i = 0; i < ioapic.units; i++)
		printf("ioapic: I/O APIC %u at 0x%x, version 0x%02x, GSIs %u-%u\n",
		    ioapic.unit[i].id, ioapic.unit[i].phys, ioapic.unit[i].version,
		    ioapic.unit[i].gsi_base, ioapic.unit[i].gsi_base + ioapic.unit[i].pins - 1);
	if (verbose_boot) {
		for (unsigned s = 0; s < ISA_LINES; s++) {
			if (overridden[s] || ioapic_is_level(s))
				printf("ioapic: line %u: %s\n", s, ioapic_describe(s, buf, sizeof buf));
		}
	}
	return true;
}

bool
ioapic_active(void)
{
	return ioapic.active;
}

unsigned
ioapic_line_count(void)
{
	return ioapic.lines;
}

bool
ioapic_line_usable(unsigned line)
{
	return line < ioapic.lines && ioapic.line[line].unit >= 0;
}

bool
ioapic_is_level(unsigned line)
{
	return ioapic_line_usable(line) && (ioapic.line[line].flags & RTE_LEVEL) != 0;
}

enum ioapic_op { IOAPIC_SET_HANDLER, IOAPIC_DISABLE, IOAPIC_ENABLE };

/* Change line under the lock with interrupts off, then reprogram its pin. */
static void
ioapic_update(unsigned line, enum ioapic_op op, interrupt_handler_t handler)
{
	uint64_t rflags = get_rflags();
	struct ioapic_line *l;

	if (!ioapic_line_usable(line))
		return;
	l = &ioapic.line[line];
	__asm__ volatile("cli");
	hw_lock_lock(&ioapic.lock);
	switch (op) {
	case IOAPIC_SET_HANDLER:
		l->handler = handler;
		break;
	case IOAPIC_DISABLE:
		if (l->disables < UINT8_MAX)
			l->disables++;
		break;
	case IOAPIC_ENABLE:
		if (l->disables > 0)
			l->disables--;
		break;
	}
	ioapic_program_locked(line);
	hw_lock_unlock(&ioapic.lock);
	if (rflags & RFLAGS_IF)
		__asm__ volatile("sti");
}

void
ioapic_set_handler(unsigned line, interrupt_handler_t handler)
{
	ioapic_update(line, IOAPIC_SET_HANDLER, handler);
}

void
ioapic_disable_line(unsigned line)
{
	ioapic_update(line, IOAPIC_DISABLE, NULL);
}

void
ioapic_enable_line(unsigned line)
{
	ioapic_update(line, IOAPIC_ENABLE, NULL);
}

void
ioapic_dispatch(unsigned line, struct x86_saved_state *ss)
{
	interrupt_handler_t h = line < ioapic.lines ? ioapic.line[line].handler : NULL;

	if (h != NULL)
		h(line, ss);
	/*
	 * The EOI goes to the local APIC, which broadcasts it to the I/O
	 * APICs: that clears a level line's Remote IRR, so a device still
	 * asserting it (its line not disabled by the handler) interrupts again.
	 */
	lapic_eoi();
}

const char *
ioapic_describe(unsigned line, char *buf, unsigned size)
{
	const struct ioapic_line *l;

	if (!ioapic_line_usable(line)) {
		snprintf(buf, size, "no pin");
		return buf;
	}
	l = &ioapic.line[line];
	snprintf(buf, size, "GSI %u, %s, active %s, I/O APIC %u pin %u", l->gsi,
	    (l->flags & RTE_LEVEL) ? "level" : "edge", (l->flags & RTE_ACTIVE_LOW) ? "low" : "high",
	    ioapic.unit[l->unit].id, l->pin);
	return buf;
}
