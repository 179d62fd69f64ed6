/*
 * initrd.c - finding and checking the initrd.
 */

#include "kernel/initrd.h"

#include "kernel/console.h"
#include "libkern/string.h"
#include "mach/vm/pmap.h"

/* [I] after initrd_init. */
static struct {
	const void	*base;
	size_t		len;
	unsigned	nfiles;
	uint64_t	bytes;
} initrd;

/* The module named "initrd" on its command line, else the first. */
static const struct boot_module *
initrd_module(const struct boot_args *args)
{
	for (unsigned i = 0; i < args->ba_nmodules; i++) {
		if (strcmp(args->ba_modules[i].bm_cmdline, "initrd") == 0)
			return &args->ba_modules[i];
	}
	return args->ba_nmodules > 0 ? &args->ba_modules[0] : NULL;
}

void
initrd_init(const struct boot_args *args)
{
	const struct boot_module *m = initrd_module(args);
	struct cpio_iter it;
	struct cpio_entry e;
	enum cpio_status st;
	size_t len;

	if (m == NULL) {
		printf("initrd: none (the loader passed no module); going on without one\n");
		return;
	}
	len = (size_t)(m->bm_end - m->bm_start);
	if (len == 0 || !pmap_physmap_contains(m->bm_start, len)) {
		printf("initrd: the module at 0x%llx (%zu bytes) is empty or outside "
		    "memory; going on without it\n", (unsigned long long)m->bm_start, len);
		return;
	}
	cpio_iter_init(&it, phystokv(m->bm_start), len);
	while ((st = cpio_next(&it, &e)) == CPIO_ENTRY) {
		if ((e.ce_mode & CPIO_S_IFMT) == CPIO_S_IFREG) {
			initrd.nfiles++;
			initrd.bytes += e.ce_size;
		}
	}
	if (st == CPIO_ERROR) {
		printf("initrd: not a valid cpio archive (%s); going on without it\n",
		    it.ci_error);
		initrd.nfiles = 0;
		initrd.bytes = 0;
		return;
	}
	initrd.base = phystokv(m->bm_start);
	initrd.len = len;
	printf("initrd: %u files, %llu bytes\n", initrd.nfiles,
	    (unsigned long long)initrd.bytes);
}

bool
initrd_present(void)
{
	return initrd.base != NULL;
}

int
initrd_lookup(const char *path, struct cpio_entry *entry)
{
	if (initrd.base == NULL)
		return -1;
	return cpio_find(initrd.base, initrd.len, path, entry);
}

void
initrd_foreach(void (*fn)(const struct cpio_entry *entry, void *ctx), void *ctx)
{
	struct cpio_iter it;
	struct cpio_entry e;

	if (initrd.base == NULL)
		return;
	cpio_iter_init(&it, initrd.base, initrd.len);
	while (cpio_next(&it, &e) == CPIO_ENTRY)
		fn(&e, ctx);
}
