/*
 * kextstat - list the loaded kexts, as macOS's kextstat(8) does.
 *
 *	kextstat [-l] [-k] [-b identifier]...
 *
 *	Index Refs Address            Size       Wired      Name (Version) <Linked Against>
 *	    0    6 0                  0          0          org.machina.kernel (0.1.0) <>
 *	    1    2 0                  0          0          org.machina.kpi.libkern (0.1.0) <>
 *	    7    0 0xffffffffc0000000 0x3000     0x3000     com.example.Hello (1.0.0) <1 4>
 *
 * Index is the load tag; Refs counts the loaded kexts linked against it;
 * Linked Against lists the tags of the kexts and KPIs it links against.
 * -l leaves out the header, -k the kernel and its KPIs, -b shows only the
 * kexts with those identifiers.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: kextstat [-l] [-k] [-b identifier]...\n");
	exit(2);
}

static int
wanted(const struct kext_stat_entry *e, char **ids, int nids, int no_kernel)
{
	if (no_kernel && (e->flags & (KEXT_STAT_KERNEL | KEXT_STAT_KPI)))
		return 0;
	if (nids == 0)
		return 1;
	for (int i = 0; i < nids; i++) {
		if (strcmp(ids[i], e->name) == 0)
			return 1;
	}
	return 0;
}

static void
hex_or_zero(char *buf, size_t len, unsigned long long v)
{
	if (v == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "0x%llx", v);
}

int
main(int argc, char **argv)
{
	struct kext_stat_entry *list = NULL;
	char **ids = calloc((size_t)argc, sizeof(char *));
	int nids = 0, no_header = 0, no_kernel = 0, opt, n, max = 64;

	while ((opt = getopt(argc, argv, "lkb:h")) != -1) {
		switch (opt) {
		case 'l':
			no_header = 1;
			break;
		case 'k':
			no_kernel = 1;
			break;
		case 'b':
			ids[nids++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	for (;;) {
		free(list);
		list = calloc((size_t)max, sizeof(*list));
		if (list == NULL)
			err(1, "calloc");
		n = kext_stat(list, (unsigned)max);
		if (n < 0)
			err(1, "kext_stat");
		if (n <= max)
			break;
		max = n + 16;
	}
	if (!no_header)
		printf("Index Refs Address            Size       Wired      "
		    "Name (Version) <Linked Against>\n");
	for (int i = 0; i < n; i++) {
		const struct kext_stat_entry *e = &list[i];
		char addr[24], size[24], wired[24], deps[KEXT_STAT_MAX_DEPS * 6 + 8];
		size_t used = 0;

		if (!wanted(e, ids, nids, no_kernel))
			continue;
		hex_or_zero(addr, sizeof addr, e->address);
		hex_or_zero(size, sizeof size, e->size);
		hex_or_zero(wired, sizeof wired, e->wired);
		deps[0] = '\0';
		for (unsigned d = 0; d < e->ndeps && d < KEXT_STAT_MAX_DEPS; d++)
			used += (size_t)snprintf(deps + used, sizeof deps - used, "%s%u",
			    d ? " " : "", e->deps[d]);
		if (e->ndeps > KEXT_STAT_MAX_DEPS)
			snprintf(deps + used, sizeof deps - used, " ...");
		printf("%5u %4d %-18s %-10s %-10s %s (%s) <%s>%s\n", e->tag, e->refs, addr, size,
		    wired, e->name, e->version, deps,
		    (e->flags & KEXT_STAT_STOPPED) ? " (stopped)" : "");
	}
	free(list);
	free(ids);
	return 0;
}
