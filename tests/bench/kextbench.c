/*
 * kextbench.c - what loading and unloading a kext costs, as a user of
 * kextload and kextunload sees it, as "name value unit" lines
 * (docs/benchmarks.md), for `make bench`.
 *
 *	kextbench [-n ROUNDS] [-k PATH]
 *
 *	kext.load		kext_load of a small kext whose files are already
 *				read: copy in, parse Info.plist, link, map, start
 *	kext.unload		kext_unload of it: stop, unmap, free
 *	kext.load_unload	the two together: what Linux's insmod + rmmod of
 *				a small module is set beside
 *
 * The kext is /System/Library/Extensions/SampleLibrary.kext unless -k
 * names another (one with no dependencies but KPIs, so that a round loads
 * and unloads exactly one kext). Each figure is the median over ROUNDS
 * rounds (default 7) of a round's mean over 20 load-unload pairs.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <time.h>
#include <unistd.h>

#define PAIRS	20

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_u64);
	return v[n / 2];
}

int
main(int argc, char **argv)
{
	const char *path = "/System/Library/Extensions/SampleLibrary.kext";
	static char msg[KEXT_MSG_MAX];
	uint64_t load[64], unload[64], both[64];
	struct kext_files f;
	int rounds = 7, opt;
	uint32_t tag;

	while ((opt = getopt(argc, argv, "n:k:")) != -1) {
		if (opt == 'n')
			rounds = atoi(optarg);
		else if (opt == 'k')
			path = optarg;
		else {
			fprintf(stderr, "usage: kextbench [-n ROUNDS] [-k PATH]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > 64)
		rounds = 7;
	if (kext_files_read(path, &f, msg, sizeof msg) != 0) {
		printf("# skip kext.*: %s\n", msg);
		return 1;
	}
	/* The identifier, from one load (the kernel's report names it). */
	if (kext_load_files(&f, 0, &tag, msg, sizeof msg) != 0) {
		printf("# skip kext.*: %s", msg);
		return 1;
	}
	char id[KEXT_NAME_MAX];
	if (sscanf(msg, "loaded %63s", id) != 1) {
		printf("# skip kext.*: cannot tell the identifier from \"%s\"\n", msg);
		return 1;
	}
	if (kext_unload_name(id, 0, NULL, 0) != 0) {
		printf("# skip kext.*: unload of %s failed\n", id);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		uint64_t tl = 0, tu = 0;

		for (int i = 0; i < PAIRS; i++) {
			uint64_t t0 = now_ns();

			if (kext_load_files(&f, 0, &tag, NULL, 0) != 0) {
				printf("# skip kext.*: load failed in round %d\n", r);
				return 1;
			}
			uint64_t t1 = now_ns();
			if (kext_unload_name(id, 0, NULL, 0) != 0) {
				printf("# skip kext.*: unload failed in round %d\n", r);
				return 1;
			}
			uint64_t t2 = now_ns();
			tl += t1 - t0;
			tu += t2 - t1;
		}
		load[r] = tl / PAIRS;
		unload[r] = tu / PAIRS;
		both[r] = (tl + tu) / PAIRS;
	}
	printf("kext.load %llu ns\n", (unsigned long long)median(load, rounds));
	printf("kext.unload %llu ns\n", (unsigned long long)median(unload, rounds));
	printf("kext.load_unload %llu ns\n", (unsigned long long)median(both, rounds));
	kext_files_free(&f);
	return 0;
}
