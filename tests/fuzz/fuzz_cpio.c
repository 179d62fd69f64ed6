/*
 * fuzz_cpio.c - libFuzzer target for the initrd's newc cpio reader
 * (libkern/cpio.c).
 *
 * Each input is an archive. It is walked member by member as the kernel's
 * initrd code walks it, every byte the reader calls a name or data is read
 * (ASan: the input buffer is exactly the archive), and every name found is
 * looked up again with cpio_find, as given and with a leading "/".
 *
 * What must hold, or the target aborts:
 *   - nothing reads outside the archive or overflows where C says it must
 *     not (ASan, UBSan);
 *   - names and data lie inside the archive, a name is NUL-terminated
 *     there, and each member starts after the one before (so a walk ends);
 *   - a walk ends with CPIO_END or with CPIO_ERROR and a message that
 *     names the offset ("at offset N: ...");
 *   - after the end or an error, the iterator stays where it is;
 *   - cpio_find finds every name the walk yielded, with data at the place
 *     of the first member of that name.
 *
 * The seeds in tests/fuzz/corpus/cpio/ are small archives from
 * tools/mkinitrd.sh and `cpio -o -H newc`, and cut or bent copies of them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_harness.h"
#include "libkern/cpio.h"

#define MAX_CHECKED_NAMES	64	/* cpio_find is O(n); keep a run linear-ish */


static void __attribute__((noreturn))
fail(const char *what, const char *detail)
{
	fuzz_fail("fuzz_cpio", what, detail);
}

static bool
inside(const uint8_t *base, size_t len, const void *p, size_t n)
{
	const uint8_t *q = p;

	return q >= base && (size_t)(q - base) <= len && n <= len - (size_t)(q - base);
}

/* Read every byte of [p, p + n): ASan reports a byte outside the input. */
static volatile uint8_t sink;

static void
touch(const void *p, size_t n)
{
	const uint8_t *q = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + q[i]);
	sink = sum;
}

static void
check_entry(const uint8_t *data, size_t size, const struct cpio_entry *e)
{
	size_t namelen;

	if (!inside(data, size, e->ce_name, 1))
		fail("a name outside the archive", NULL);
	namelen = strnlen(e->ce_name, size - (size_t)((const uint8_t *)e->ce_name - data));
	if (!inside(data, size, e->ce_name, namelen + 1))
		fail("a name without its NUL inside the archive", NULL);
	if (namelen > CPIO_MAX_NAME)
		fail("a name longer than CPIO_MAX_NAME", e->ce_name);
	if (!inside(data, size, e->ce_data, e->ce_size))
		fail("data outside the archive", e->ce_name);
	touch(e->ce_name, namelen + 1);
	touch(e->ce_data, e->ce_size);
}

/* How cpio_find compares paths: leading "/" and "./" do not count. */
static const char *
skip_leading(const char *path)
{
	for (;;) {
		while (*path == '/')
			path++;
		if (path[0] != '.' || path[1] != '/')
			return path;
		path += 2;
	}
}

/* cpio_find(name) must give the first member whose name matches. */
static void
check_find(const uint8_t *data, size_t size, const char *name, const void *first_data)
{
	struct cpio_entry found;
	char slashed[CPIO_MAX_NAME + 2];

	if (cpio_find(data, size, name, &found) != 0)
		fail("cpio_find misses a name the walk found", name);
	check_entry(data, size, &found);
	if (found.ce_data != first_data)
		fail("cpio_find gives another member than the first of that name", name);
	snprintf(slashed, sizeof(slashed), "/%s", name);
	if (cpio_find(data, size, slashed, &found) != 0)
		fail("cpio_find misses a name given with a leading /", slashed);
	check_entry(data, size, &found);
	if (found.ce_data != first_data)
		fail("cpio_find with a leading / gives another member", slashed);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e, again;
	enum cpio_status st;
	const char *names[MAX_CHECKED_NAMES];
	const void *datas[MAX_CHECKED_NAMES];
	size_t nnames = 0, last_off = 0;
	bool first = true;

	cpio_iter_init(&it, data, size);
	while ((st = cpio_next(&it, &e)) == CPIO_ENTRY) {
		if (!first && it.ci_off <= last_off)
			fail("a member does not move the walk forward", e.ce_name);
		first = false;
		last_off = it.ci_off;
		check_entry(data, size, &e);
		if (nnames < MAX_CHECKED_NAMES) {
			names[nnames] = e.ce_name;
			datas[nnames++] = e.ce_data;
		}
	}
	if (st == CPIO_ERROR) {
		if (strncmp(it.ci_error, "at offset ", 10) != 0)
			fail("an error without its offset", it.ci_error);
		if (memchr(it.ci_error, '\0', sizeof(it.ci_error)) == NULL)
			fail("an error message without its NUL", NULL);
	} else {
		check_entry(data, size, &e);
		if (strcmp(e.ce_name, "TRAILER!!!") != 0)
			fail("the end without a TRAILER!!! member", e.ce_name);
	}

	/* A finished walk stays finished. */
	{
		size_t off = it.ci_off;

		if (cpio_next(&it, &again) != st || it.ci_off != off)
			fail("the walk moved after its end", NULL);
	}

	for (size_t i = 0; i < nnames; i++) {
		size_t j = 0;

		/* The first member whose name is the same once "/" and "./" go. */
		while (strcmp(skip_leading(names[j]), skip_leading(names[i])) != 0)
			j++;
		check_find(data, size, names[i], datas[j]);
	}

	/* Paths that may or may not be there: a lookup must not misbehave. */
	{
		static const char *const paths[] = { "", "/", ".", "./", "etc/motd",
		    "/sbin/launchd", "System/Library/Extensions", "TRAILER!!!",
		    "././//x" };

		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			if (cpio_find(data, size, paths[i], &again) == 0)
				check_entry(data, size, &again);
		}
	}
	return 0;
}
