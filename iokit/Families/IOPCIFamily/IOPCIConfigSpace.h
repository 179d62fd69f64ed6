/*
 * IOPCIConfigSpace.h - how the PCI family reaches configuration space: the
 * family's private interface, not for drivers (they call IOPCIDevice's
 * configRead and configWrite).
 *
 * Two mechanisms, chosen once when the host bridge starts:
 *   - configuration mechanism #1: the address register at port 0xcf8 and
 *     the data window at 0xcfc; 256 bytes per function; every PC has it;
 *   - ECAM (PCI Express enhanced configuration access): when the ACPI MCFG
 *     table describes a window for segment 0 (QEMU's q35 has one, the
 *     440FX "pc" machine has none), 4096 bytes per function, memory
 *     mapped. Each bus's megabyte of the window is mapped uncached the
 *     first time a function on it is asked for, and stays mapped until
 *     IOPCIConfigSpace_free.
 *
 * An access is (bus, device, function, offset, width); offsets are checked
 * by the caller (IOPCIDevice.c) against the function's space and the
 * width's alignment: here they are trusted. A function that is not there
 * reads as all-ones on either mechanism.
 *
 * Locks: the configuration lock, an IOSimpleLock taken with interrupts
 * off, serialises every access (0xcf8 is one register for the whole
 * machine) and the lazy ECAM mappings' table; it is a leaf, nothing is
 * called with it held but the port and memory accesses themselves. The
 * mapping of a bus's window (which may sleep) is done outside it, and the
 * first to finish installs its map. Keys: [c] the configuration lock;
 * [I] set by IOPCIConfigSpace_init, then read-only.
 */

#ifndef IOKIT_FAMILIES_IOPCIFAMILY_IOPCICONFIGSPACE_H
#define IOKIT_FAMILIES_IOPCIFAMILY_IOPCICONFIGSPACE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * IOPCIConfigSpace_init: the lock, and ECAM if MCFG offers it (its entry
 * for segment 0 is checked: aligned base, sane bus range; a bad table is
 * logged and ignored, leaving mechanism #1). Once, from the host bridge's
 * start. False if out of memory.
 */
bool		IOPCIConfigSpace_init(void);
/* IOPCIConfigSpace_free: unmap every ECAM window; from the bridge's free. */
void		IOPCIConfigSpace_free(void);

/* IOPCIConfigSpace_hasECAM: whether bus is reached through ECAM. */
bool		IOPCIConfigSpace_hasECAM(uint8_t bus);
/* The ECAM window's physical base and its last bus (0 and 0 without ECAM). */
uint64_t	IOPCIConfigSpace_ecamBase(void);
uint8_t		IOPCIConfigSpace_ecamStartBus(void);
uint8_t		IOPCIConfigSpace_ecamEndBus(void);

/*
 * IOPCIConfigSpace_ecamWindow: the function's 4096-byte ECAM window,
 * mapping its bus if needed; NULL if bus has no ECAM or the map failed
 * (logged; the caller falls back to mechanism #1).
 */
volatile uint8_t *IOPCIConfigSpace_ecamWindow(uint8_t bus, uint8_t device, uint8_t function);

/*
 * IOPCIConfigSpace_read, _write: width 1, 2 or 4 bytes at offset, through
 * ecam (the function's window) when it is not NULL, else mechanism #1
 * (offset below 256). Reads of absent functions return all-ones.
 */
uint32_t	IOPCIConfigSpace_read(uint8_t bus, uint8_t device, uint8_t function,
		    volatile uint8_t *ecam, uint32_t offset, unsigned width);
void		IOPCIConfigSpace_write(uint8_t bus, uint8_t device, uint8_t function,
		    volatile uint8_t *ecam, uint32_t offset, unsigned width, uint32_t value);

/* Port I/O for the family (mechanism #1 and I/O-space BARs). */
static inline uint8_t
iopci_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
iopci_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
iopci_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
iopci_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
iopci_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
iopci_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#endif /* IOKIT_FAMILIES_IOPCIFAMILY_IOPCICONFIGSPACE_H */
