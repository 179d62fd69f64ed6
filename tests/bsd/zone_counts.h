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
 * The kernel keeps up to 16 freed kernel stacks mapped for the next thread
 * (mach/kern/stack.h), each one entry of kernel_map: how many it holds
 * goes up and down with how many threads ended lately. Not a leak: the
 * checks subtract them from "VM map entries" (zone_stack_cache_adjust).
 */
#define ZONE_STACK_ENTRIES	"VM map entries"

static void __attribute__((unused))
zone_stack_cache_adjust(const char *zone, uint64_t *inuse)
{
	int64_t cached = 0;
	size_t len = sizeof(cached);

	if (strncmp(zone, ZONE_STACK_ENTRIES, ZONE_NAME_MAX) != 0 ||
	    zone_sysctl_byname("debug.kernel_stacks_cached", &cached, &len) != 0 ||
	    cached < 0 || (uint64_t)cached > *inuse)
		return;
	*inuse -= (uint64_t)cached;
}

/*
 * Every zone's elements in use, into out[ZONE_MAX] (the stack cache's
 * entries left out, above); the number of zones, or -1.
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
		zone_stack_cache_adjust(out[i].name, &out[i].inuse);
	}
	return n;
}

#endif /* TESTS_BSD_ZONE_COUNTS_H */
