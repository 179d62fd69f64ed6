/*
 * acpi.c - RSDP, RSDT/XSDT, FADT and the \_S5 sleep type.
 *
 * Machina needs little of ACPI yet: the FADT (for power-off, reset and the
 * DSDT's address) and, later, the MADT for the APICs. There is no AML
 * interpreter: the one value power-off needs, \_S5's SLP_TYPa, is a
 * constant package that can be picked out of the DSDT's bytes.
 */

#include "kernel/x86_64/acpi.h"

#include <stdbool.h>

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/x86_64/cpu.h"
#include "libkern/string.h"
#include "mach/vm/pmap.h"

#define ACPI_MAX_TABLES		64
#define ACPI_MAX_TABLE_LEN	(4u << 20)

struct __attribute__((packed)) acpi_rsdp {
	char		signature[8];	/* "RSD PTR " */
	uint8_t		checksum;	/* of the first 20 bytes */
	char		oem_id[6];
	uint8_t		revision;	/* 0: ACPI 1.0; 2: 2.0+ */
	uint32_t	rsdt_address;
	uint32_t	length;		/* 2.0+ */
	uint64_t	xsdt_address;	/* 2.0+ */
	uint8_t		extended_checksum;
	uint8_t		reserved[3];
};

/* The FADT fields used here, by offset (ACPI 6.x, table 5.9). */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1B_CNT_BLK	68
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140
#define FADT_FLAG_RESET_REG_SUP	(1u << 10)
#define GAS_SYSTEM_IO		1
#define PM1_SCI_EN		0x0001
#define PM1_SLP_EN		0x2000
#define PM1_SLP_TYP_SHIFT	10

/* [I] after acpi_init. */
static struct {
	unsigned			ntables;
	const struct acpi_header	*tables[ACPI_MAX_TABLES];
	const uint8_t			*fadt;
	uint32_t			fadt_len;
	bool				s5_valid;
	uint8_t				slp_typa, slp_typb;
} acpi;

static uint8_t
checksum(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len-- > 0)
		sum += *b++;
	return sum;
}

/* A mapped, well-formed table at pa, or NULL (said why, once). */
static const struct acpi_header *
table_at(uint64_t pa, const char *expect)
{
	const struct acpi_header *h;

	if (pa == 0 || !pmap_physmap_contains(pa, sizeof(*h))) {
		printf("acpi: table at 0x%llx is outside memory; skipped\n",
		    (unsigned long long)pa);
		return NULL;
	}
	h = phystokv(pa);
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_LEN ||
	    !pmap_physmap_contains(pa, h->length)) {
		printf("acpi: table %.4s at 0x%llx has a bad length (%u); skipped\n",
		    h->signature, (unsigned long long)pa, h->length);
		return NULL;
	}
	if (expect != NULL && memcmp(h->signature, expect, 4) != 0) {
		printf("acpi: expected %.4s at 0x%llx, found %.4s; skipped\n", expect,
		    (unsigned long long)pa, h->signature);
		return NULL;
	}
	if (checksum(h, h->length) != 0) {
		printf("acpi: table %.4s at 0x%llx fails its checksum; skipped\n",
		    h->signature, (unsigned long long)pa);
		return NULL;
	}
	return h;
}

static bool
rsdp_valid(const struct acpi_rsdp *r, uint32_t avail)
{
	if (avail < 20 || memcmp(r->signature, "RSD PTR ", 8) != 0 ||
	    checksum(r, 20) != 0)
		return false;
	if (r->revision >= 2 && avail >= sizeof(*r) && r->length >= sizeof(*r) &&
	    r->length <= avail && checksum(r, r->length) != 0)
		return false;
	return true;
}

/* Scan [pa, pa+len) on 16-byte boundaries for an RSDP. */
static const struct acpi_rsdp *
rsdp_scan(uint64_t pa, uint64_t len)
{
	for (uint64_t off = 0; off + 20 <= len; off += 16) {
		const struct acpi_rsdp *r = phystokv(pa + off);

		if (rsdp_valid(r, (uint32_t)MIN(len - off, sizeof(*r))))
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *
rsdp_find(const struct boot_args *args)
{
	const struct acpi_rsdp *r;
	uint64_t ebda;

	if (args->ba_rsdp_len >= 20 &&
	    rsdp_valid((const void *)args->ba_rsdp, args->ba_rsdp_len))
		return (const void *)args->ba_rsdp;
	if (args->ba_rsdp_paddr != 0 &&
	    pmap_physmap_contains(args->ba_rsdp_paddr, sizeof(*r))) {
		r = phystokv(args->ba_rsdp_paddr);
		if (rsdp_valid(r, sizeof(*r)))
			return r;
		printf("acpi: the loader's RSDP at 0x%llx is not valid\n",
		    (unsigned long long)args->ba_rsdp_paddr);
	}
	/* The BIOS places it in the EBDA's first KiB or in 0xe0000-0xfffff. */
	ebda = (uint64_t)*(const uint16_t *)phystokv(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000 && (r = rsdp_scan(ebda, 1024)) != NULL)
		return r;
	return rsdp_scan(0xe0000, 0x20000);
}

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void
add_table(const struct acpi_header *h)
{
	if (h == NULL)
		return;
	if (acpi.ntables == ACPI_MAX_TABLES) {
		printf("acpi: more than %d tables; %.4s ignored\n", ACPI_MAX_TABLES,
		    h->signature);
		return;
	}
	acpi.tables[acpi.ntables++] = h;
	if (verbose_boot)
		printf("acpi: %.4s at %p, %u bytes, OEM '%.6s'\n", h->signature,
		    (const void *)h, h->length, h->oem_id);
}

/* Walk the RSDT (4-byte entries) or XSDT (8-byte entries). */
static void
walk_sdt(const struct acpi_header *sdt, unsigned entry_size)
{
	const uint8_t *e = (const uint8_t *)(sdt + 1);
	uint32_t n = (sdt->length - sizeof(*sdt)) / entry_size;

	for (uint32_t i = 0; i < n; i++, e += entry_size)
		add_table(table_at(entry_size == 8 ? rd64(e) : rd32(e), NULL));
}

static void
fadt_init(void)
{
	const struct acpi_header *fadt = acpi_find_table("FACP", 0), *dsdt;
	uint64_t dsdt_pa;

	if (fadt == NULL)
		return;
	acpi.fadt = (const uint8_t *)fadt;
	acpi.fadt_len = fadt->length;
	dsdt_pa = acpi.fadt_len >= FADT_X_DSDT + 8 ? rd64(acpi.fadt + FADT_X_DSDT) : 0;
	if (dsdt_pa == 0)
		dsdt_pa = rd32(acpi.fadt + FADT_DSDT);
	dsdt = table_at(dsdt_pa, "DSDT");
	if (dsdt == NULL)
		return;
	add_table(dsdt);
	acpi.s5_valid = acpi_parse_s5((const uint8_t *)(dsdt + 1),
	    dsdt->length - sizeof(*dsdt), &acpi.slp_typa, &acpi.slp_typb) == 0;
	if (!acpi.s5_valid)
		printf("acpi: no usable \\_S5 in the DSDT; power-off falls back\n");
}

void
acpi_init(const struct boot_args *args)
{
	const struct acpi_rsdp *rsdp = rsdp_find(args);
	const struct acpi_header *sdt = NULL;

	if (rsdp == NULL) {
		printf("acpi: no RSDP found; running without ACPI tables\n");
		return;
	}
	if (rsdp->revision >= 2 && rsdp->xsdt_address != 0)
		sdt = table_at(rsdp->xsdt_address, "XSDT");
	if (sdt != NULL) {
		walk_sdt(sdt, 8);
	} else if ((sdt = table_at(rsdp->rsdt_address, "RSDT")) != NULL) {
		walk_sdt(sdt, 4);
	} else {
		printf("acpi: neither XSDT nor RSDT is usable\n");
		return;
	}
	fadt_init();
}

const struct acpi_header *
acpi_find_table(const char signature[4], unsigned instance)
{
	for (unsigned i = 0; i < acpi.ntables; i++) {
		if (memcmp(acpi.tables[i]->signature, signature, 4) == 0 && instance-- == 0)
			return acpi.tables[i];
	}
	return NULL;
}

unsigned
acpi_table_count(void)
{
	return acpi.ntables;
}

const struct acpi_header *
acpi_table_at(unsigned index)
{
	return index < acpi.ntables ? acpi.tables[index] : NULL;
}

/* One element of a package: a byte constant (0, 1, 0x0a nn, 0xff). */
static int
aml_byte_const(const uint8_t *p, const uint8_t *end, uint8_t *out, const uint8_t **next)
{
	if (p >= end)
		return -1;
	switch (*p) {
	case 0x00: *out = 0; *next = p + 1; return 0;	/* ZeroOp */
	case 0x01: *out = 1; *next = p + 1; return 0;	/* OneOp */
	case 0xff: *out = 0xff; *next = p + 1; return 0; /* OnesOp */
	case 0x0a:					/* BytePrefix */
		if (p + 1 >= end)
			return -1;
		*out = p[1];
		*next = p + 2;
		return 0;
	default:
		return -1;
	}
}

int
acpi_parse_s5(const uint8_t *aml, uint32_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	const uint8_t *end = aml + len;

	for (const uint8_t *p = aml; p + 4 <= end; p++) {
		const uint8_t *q;
		unsigned pkglen_bytes;

		if (memcmp(p, "_S5_", 4) != 0)
			continue;
		/* NameOp, optionally with a root prefix, just before the name. */
		if (p == aml || (p[-1] != 0x08 && !(p[-1] == '\\' && p - 1 > aml &&
		    p[-2] == 0x08)))
			continue;
		q = p + 4;
		if (q >= end || *q != 0x12)			/* PackageOp */
			continue;
		q++;
		if (q >= end)
			return -1;
		pkglen_bytes = (*q >> 6) & 3;			/* PkgLength */
		q += 1 + pkglen_bytes;
		if (q >= end)					/* NumElements */
			return -1;
		q++;
		if (aml_byte_const(q, end, slp_typa, &q) != 0)
			return -1;
		if (aml_byte_const(q, end, slp_typb, &q) != 0)
			*slp_typb = 0;
		return 0;
	}
	return -1;
}

void
acpi_poweroff(void)
{
	uint32_t pm1a, pm1b, smi_cmd;

	if (acpi.fadt == NULL || !acpi.s5_valid || acpi.fadt_len < FADT_PM1B_CNT_BLK + 4)
		return;
	pm1a = rd32(acpi.fadt + FADT_PM1A_CNT_BLK);
	pm1b = rd32(acpi.fadt + FADT_PM1B_CNT_BLK);
	if (pm1a == 0 || pm1a > 0xffff || pm1b > 0xffff)
		return;

	/* Not yet in ACPI mode: ask the firmware to switch (bounded wait). */
	smi_cmd = rd32(acpi.fadt + FADT_SMI_CMD);
	if (!(inw((uint16_t)pm1a) & PM1_SCI_EN) && smi_cmd != 0 && smi_cmd <= 0xffff &&
	    acpi.fadt[FADT_ACPI_ENABLE] != 0) {
		outb((uint16_t)smi_cmd, acpi.fadt[FADT_ACPI_ENABLE]);
		for (int i = 0; i < 1000000 && !(inw((uint16_t)pm1a) & PM1_SCI_EN); i++)
			__asm__ volatile("pause");
	}
	outw((uint16_t)pm1a, (uint16_t)((acpi.slp_typa << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
	if (pm1b != 0)
		outw((uint16_t)pm1b,
		    (uint16_t)((acpi.slp_typb << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
}

void
acpi_reset(void)
{
	const uint8_t *gas;
	uint64_t addr;

	if (acpi.fadt == NULL || acpi.fadt_len < FADT_RESET_VALUE + 1 ||
	    !(rd32(acpi.fadt + FADT_FLAGS) & FADT_FLAG_RESET_REG_SUP))
		return;
	gas = acpi.fadt + FADT_RESET_REG;
	addr = rd64(gas + 4);
	if (gas[0] == GAS_SYSTEM_IO && addr != 0 && addr <= 0xffff)
		outb((uint16_t)addr, acpi.fadt[FADT_RESET_VALUE]);
}
