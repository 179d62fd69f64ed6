/*
 * kpi.c - finding bundles and symbols in the kernel's KPI table
 * (kpi.h). The table itself is generated (tools/mkkpi.py, from config/).
 */

#include "libkern/kpi.h"

#include <stddef.h>

#include "libkern/string.h"

const struct kpi_bundle *
kpi_bundle_lookup(const char *identifier)
{
	for (unsigned i = 0; i < kpi_nbundles; i++) {
		if (strcmp(kpi_bundles[i].kb_identifier, identifier) == 0)
			return &kpi_bundles[i];
	}
	return NULL;
}

unsigned
kpi_bundle_count(void)
{
	return kpi_nbundles;
}

const struct kpi_bundle *
kpi_bundle_at(unsigned i)
{
	return i < kpi_nbundles ? &kpi_bundles[i] : NULL;
}

bool
kpi_bundle_symbol(const struct kpi_bundle *b, const char *name, uint64_t *addr)
{
	unsigned lo = 0, hi = b->kb_nsymbols;

	/* Invariant: if name is there, its index is in [lo, hi). */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int c = strcmp(name, b->kb_symbols[mid].ks_name);

		if (c == 0) {
			if (addr != NULL)
				*addr = (uint64_t)(uintptr_t)b->kb_symbols[mid].ks_addr;
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

const struct kpi_bundle *
kpi_symbol_bundle(const char *name)
{
	for (unsigned i = 0; i < kpi_nbundles; i++) {
		if (kpi_bundle_symbol(&kpi_bundles[i], name, NULL))
			return &kpi_bundles[i];
	}
	return NULL;
}
