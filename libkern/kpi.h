/*
 * kpi.h - the kernel's KPI bundles: the only symbols a kext may link
 * against, grouped as XNU groups them (com.apple.kpi.* there,
 * org.machina.kpi.* here).
 *
 * A bundle is an identifier, a version (the kernel's), the oldest version
 * it is compatible with (OSBundleCompatibleVersion), and its symbols,
 * sorted by name (strcmp order) with their addresses. The bundles and
 * their lists live in config/ (kpi.list and one .exports file each);
 * tools/mkkpi.py turns them into the table the kernel is linked with,
 * and refuses, before the link, a list that names anything but a global
 * symbol of the kernel (docs/kpi.md).
 *
 * Invariants (checked by the generator): bundles are sorted by
 * identifier, symbols within a bundle are sorted and unique, and no
 * symbol is exported by two bundles. The table is read-only data, so
 * after start-up Kernel Integrity Protection keeps it as it was linked.
 *
 * Locks: none; the table never changes.
 *
 * It is in libkern, not kernel/, because its user is the kext linker
 * (libkern/kxld), which compiles on the host too: host tests link this
 * file with a table generated from lists of their own.
 */

#ifndef LIBKERN_KPI_H
#define LIBKERN_KPI_H

#include <stdbool.h>
#include <stdint.h>

struct kpi_symbol {
	const char	*ks_name;
	const void	*ks_addr;
};

struct kpi_bundle {
	const char		*kb_identifier;		/* "org.machina.kpi.mach" */
	const char		*kb_version;		/* CFBundleVersion: the kernel's */
	const char		*kb_compatible_version;	/* OSBundleCompatibleVersion */
	unsigned		kb_nsymbols;
	const struct kpi_symbol	*kb_symbols;		/* sorted by ks_name */
};

/* The generated table (tools/mkkpi.py): kpi_nbundles bundles. */
extern const struct kpi_bundle	kpi_bundles[];
extern const unsigned		kpi_nbundles;

/* kpi_bundle_lookup: the bundle named identifier, or NULL. */
const struct kpi_bundle	*kpi_bundle_lookup(const char *identifier);

/* kpi_bundle_count, kpi_bundle_at: every bundle, sorted by identifier; NULL past the end. */
unsigned		kpi_bundle_count(void);
const struct kpi_bundle	*kpi_bundle_at(unsigned i);

/*
 * kpi_bundle_symbol: whether bundle b exports name; if so, and addr is
 * not NULL, its address in *addr. A binary search.
 */
bool			kpi_bundle_symbol(const struct kpi_bundle *b, const char *name,
			    uint64_t *addr);

/* kpi_symbol_bundle: the bundle that exports name, or NULL if none does. */
const struct kpi_bundle	*kpi_symbol_bundle(const char *name);

#endif /* LIBKERN_KPI_H */
