/*
 * vfs_namecache.c - the name cache never answers wrongly: a name looked
 * up (and so remembered, found or missing) then created, removed,
 * renamed over or away, or its directory removed and made again, is
 * seen at once as it now is. Each step repeats so that the cache is warm.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_namecache"

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static ino_t
ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void
touch(const char *path)
{
	close(open(path, O_CREAT | O_WRONLY, 0644));
}

static void
cleanup(void)
{
	unlink(TDIR "/a");
	unlink(TDIR "/b");
	unlink(TDIR "/d/x");
	rmdir(TDIR "/d");
	unlink(TDIR "/d2/x");
	rmdir(TDIR "/d2");
	rmdir(TDIR);
}

int
main(void)
{
	ino_t ia, ib;
	int ok;

	mkdir("/tmp", 01777);
	cleanup();
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");

	/* Negative entries. */
	ok = 1;
	for (int i = 0; i < 3; i++)
		ok &= !exists(TDIR "/a");
	TAP_OK(ok, "a missing name stays missing");
	touch(TDIR "/a");
	TAP_OK(exists(TDIR "/a"), "created: found at once");

	/* Rename away and over. */
	ia = ino_of(TDIR "/a");
	TAP_OK(!exists(TDIR "/b"), "b is missing");
	TAP_SUCCEEDS(rename(TDIR "/a", TDIR "/b"), "rename a to b");
	TAP_OK(!exists(TDIR "/a"), "a is gone");
	TAP_EQ(ino_of(TDIR "/b"), ia, "b is what a was");
	touch(TDIR "/a");
	ia = ino_of(TDIR "/a");
	ib = ino_of(TDIR "/b");
	TAP_OK(ia != 0 && ia != ib, "a new a");
	TAP_SUCCEEDS(rename(TDIR "/a", TDIR "/b"), "rename a over b");
	TAP_EQ(ino_of(TDIR "/b"), ia, "b is the new a");
	TAP_OK(!exists(TDIR "/a"), "a is gone again");

	/* Unlink and link. */
	TAP_SUCCEEDS(link(TDIR "/b", TDIR "/a"), "link b to a");
	TAP_EQ(ino_of(TDIR "/a"), ia, "a names it");
	TAP_SUCCEEDS(unlink(TDIR "/a"), "unlink a");
	TAP_OK(!exists(TDIR "/a"), "a is gone");
	TAP_OK(exists(TDIR "/b"), "b stays");
	TAP_SUCCEEDS(unlink(TDIR "/b"), "unlink b");
	TAP_OK(!exists(TDIR "/b"), "b is gone");

	/* Directories: removed and made again, renamed with what is in them. */
	TAP_SUCCEEDS(mkdir(TDIR "/d", 0755), "mkdir d");
	touch(TDIR "/d/x");
	ia = ino_of(TDIR "/d/x");
	TAP_OK(ia != 0, "d/x");
	TAP_SUCCEEDS(rename(TDIR "/d", TDIR "/d2"), "rename d to d2");
	TAP_OK(!exists(TDIR "/d/x"), "d/x is gone");
	TAP_EQ(ino_of(TDIR "/d2/x"), ia, "d2/x is it");
	TAP_SUCCEEDS(unlink(TDIR "/d2/x"), "unlink d2/x");
	TAP_SUCCEEDS(rmdir(TDIR "/d2"), "rmdir d2");
	TAP_OK(!exists(TDIR "/d2"), "d2 is gone");
	TAP_SUCCEEDS(mkdir(TDIR "/d2", 0755), "mkdir d2 again");
	TAP_OK(!exists(TDIR "/d2/x"), "the new d2 is empty");

	/* Many rounds. */
	ok = 1;
	for (int i = 0; i < 200 && ok; i++) {
		touch(TDIR "/a");
		ok &= exists(TDIR "/a") && !exists(TDIR "/b");
		ok &= rename(TDIR "/a", TDIR "/b") == 0;
		ok &= !exists(TDIR "/a") && exists(TDIR "/b");
		ok &= unlink(TDIR "/b") == 0;
		ok &= !exists(TDIR "/b");
	}
	TAP_OK(ok, "200 rounds of create, rename, unlink");

	cleanup();
	TAP_OK(!exists(TDIR), "everything cleaned up");
	return tap_done();
}
