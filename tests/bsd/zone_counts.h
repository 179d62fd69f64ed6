/*
 * zone_counts.h - every zone's elements in use, from sysctl vm.zones
 * (struct sysctl_zone_info, docs/sysctl.md), for the tests that check the
 * kernel is back where it was after a load: proc_leaks, syscall_fuzz.
 */
#ifndef TESTS_BSD_ZONE_COUNTS_H
#define TESTS_BSD_ZONE_COUNTS_H

#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ZONE_MAX	512
#define ZONE_RECORD	128		/* sizeof(struct sysctl_zone_info) */
#define ZONE_NAME_MAX	32

struct zone_count {
	char		name[ZONE_NAME_MAX];
	uint64_t	inuse;
};

/* sysctlbyname, as the class-2 call itself (no libsystem needed). */
static long __attribute__((unused))
zone_sysctl_byname(const char *name, void *old, size_t *oldlenp)
{
	return syscall(0x2000000 + 274, name, strlen(name), old, oldlenp, NULL, 0);
}

/*
 * Two caches keep zone elements in use that are not leaks, how many going
 * up and down with what ran lately; the checks subtract them
 * (zone_cache_adjust):
 *   - up to 16 freed kernel stacks kept mapped for the next thread
 *     (mach/kern/stack.h), each one entry of kernel_map;
 *   - one free small kmsg per CPU kept for its next message
 *     (mach/ipc/ipc_kmsg.h), each one element of ipc.kmsgs.
 */
static const struct {
	const char	*zone;
	const char	*count;		/* the sysctl that says how many */
} zone_caches[] = {
	{ "VM map entries", "debug.kernel_stacks_cached" },	/* a quad */
	{ "ipc.kmsgs", "debug.ipc.kmsgs_cached" },		/* an int */
};

static void __attribute__((unused))
zone_cache_adjust(const char *zone, uint64_t *inuse)
{
	for (size_t i = 0; i < sizeof(zone_caches) / sizeof(zone_caches[0]); i++) {
		int64_t cached = 0;	/* an int fills its low half (little-endian) */
		size_t len = sizeof(cached);

		if (strncmp(zone, zone_caches[i].zone, ZONE_NAME_MAX) != 0 ||
		    zone_sysctl_byname(zone_caches[i].count, &cached, &len) != 0 ||
		    cached < 0 || (uint64_t)cached > *inuse)
			continue;
		*inuse -= (uint64_t)cached;
	}
}

/*
 * Every zone's elements in use, into out[ZONE_MAX] (the caches'
 * elements left out, above); the number of zones, or -1.
 */
static int __attribute__((unused))
zone_counts(struct zone_count *out)
{
	static unsigned char buf[ZONE_MAX * ZONE_RECORD];
	size_t len = sizeof(buf);
	int n;

	if (zone_sysctl_byname("vm.zones", buf, &len) != 0)
		return -1;
	n = (int)(len / ZONE_RECORD);
	for (int i = 0; i < n; i++) {
		const unsigned char *r = buf + (size_t)i * ZONE_RECORD;

		memcpy(out[i].name, r, ZONE_NAME_MAX);
		out[i].name[ZONE_NAME_MAX - 1] = '\0';
		/* zi_elems_inuse: after the name and four uint64_t fields. */
		memcpy(&out[i].inuse, r + ZONE_NAME_MAX + 4 * 8, sizeof(uint64_t));
		zone_cache_adjust(out[i].name, &out[i].inuse);
	}
	return n;
}

#endif /* TESTS_BSD_ZONE_COUNTS_H */
