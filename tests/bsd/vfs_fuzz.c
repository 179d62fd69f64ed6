/*
 * vfs_fuzz.c - thousands of file calls with arguments drawn at random
 * (a fixed seed, so a failure repeats): names that exist or not, links,
 * loops, directories, bad pointers, bad descriptors, odd flags and sizes.
 * Whatever each call answers, the kernel must go on, and at the end the
 * tree must still be consistent: everything made can be found, listed
 * and removed.
 *
 *	vfs_fuzz [SEED [ROUNDS]]	(4000 rounds of a fixed seed by default)
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_fuzz"
#define ROUNDS	4000

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/*
 * Every name stays inside TDIR (the relative ones too: the current
 * directory only ever moves within it), so that the test can do no harm
 * run as root on a real system.
 */
static const char *const names[] = {
	TDIR "/a", TDIR "/b", TDIR "/d", TDIR "/d/a", TDIR "/d/e", TDIR "/d/e/f", TDIR "/l",
	TDIR "/loop", TDIR "/a/", TDIR "/d/", TDIR "/d/../a", TDIR "/./b", TDIR "/nonexistent/x",
	"", ".", "d", "a", "l", "e", "f",
};

/* A directory to move to: TDIR or one below it. */
static const char *
dirname_in(void)
{
	static const char *const dirs[] = { TDIR, TDIR "/d", TDIR "/d/e", TDIR "/l", TDIR "/a" };

	return dirs[rnd() % (sizeof(dirs) / sizeof(dirs[0]))];
}

static const char *
name(void)
{
	return names[rnd() % (sizeof(names) / sizeof(names[0]))];
}

static void *
pointer(char *good)
{
	switch (rnd() % 8) {
	case 0:	return NULL;
	case 1:	return (void *)16;
	case 2:	return (void *)0xffff800000000000ULL;
	case 3:	return (void *)0x7ffffffff000ULL;
	default: return good;
	}
}

static long
size(void)
{
	switch (rnd() % 6) {
	case 0:	return 0;
	case 1:	return -1;
	case 2:	return 1L << 40;
	default: return (long)(rnd() % 9000);
	}
}

/* Remove name in dirfd and everything under it (links are removed, not followed). */
static void
rm_at(int dirfd, const char *name, int depth)
{
	char buf[600];
	struct stat st;
	long got;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	if (!S_ISDIR(st.st_mode) || depth > 200) {
		unlinkat(dirfd, name, 0);
		return;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	while (fd >= 0 && (got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got; off += *(unsigned short *)(buf + off + 16)) {
			const char *n = buf + off + 19;

			if (strcmp(n, ".") != 0 && strcmp(n, "..") != 0)
				rm_at(fd, n, depth + 1);
		}
	}
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void
cleanup(void)
{
	rm_at(AT_FDCWD, TDIR, 0);
}

/* A size for a read into p: anything for a bad pointer, at most the buffer for buf. */
static long
room(void *p, char *buf, long bufsize)
{
	long n = size();

	return p == buf && (n < 0 || n > bufsize) ? bufsize : n;
}

static void
one(int *fds, char *buf)
{
	int fd = fds[rnd() % 8];
	void *p = pointer(buf);

	switch (rnd() % 22) {
	case 0: {
		int f = (int)(rnd() & (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND |
		    O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_PATH));
		int nfd = open(name(), f, 0644);

		if (nfd >= 0) {
			int slot = (int)(rnd() % 8);

			if (fds[slot] > 2)
				close(fds[slot]);
			fds[slot] = nfd;
		}
		break;
	}
	case 1:	(void)syscall(SYS_read, fd, p, room(p, buf, 9000)); break;
	case 2:	(void)syscall(SYS_write, fd, pointer(buf), size() % 5000); break;
	case 3:	(void)syscall(SYS_lseek, fd, (long)(rnd() % 20000) - 100, (int)(rnd() % 6)); break;
	case 4:	(void)syscall(SYS_ftruncate, fd, (long)(rnd() % 30000) - 10); break;
	case 5:	(void)syscall(SYS_getdents64, fd, p, room(p, buf, 9000)); break;
	case 6:	(void)mkdir(name(), 0755); break;
	case 7:	(void)rmdir(name()); break;
	case 8:	(void)unlink(name()); break;
	case 9:	(void)rename(name(), name()); break;
	case 10: (void)link(name(), name()); break;
	case 11: (void)symlink(rnd() % 2 ? "a" : "loop", name()); break;
	case 12: (void)syscall(SYS_newfstatat, AT_FDCWD, pointer((char *)name()), pointer(buf), (int)(rnd() % 0x2000)); break;
	case 13: (void)syscall(SYS_readlink, name(), p, room(p, buf, 9000)); break;
	case 14: (void)chdir(dirname_in()); break;
	case 15: (void)syscall(SYS_getcwd, p, room(p, buf, 9000)); break;
	case 16: (void)chdir(TDIR); break;
	case 17: (void)syscall(SYS_openat, fd, name(), (int)(rnd() % 0x10000), 0600); break;
	case 18: (void)syscall(SYS_unlinkat, fd, name(), (int)(rnd() % 0x400)); break;
	case 19: (void)syscall(SYS_renameat2, fd, name(), AT_FDCWD, name(), (int)(rnd() % 3)); break;
	case 20: (void)truncate(name(), (long)(rnd() % 10000)); break;
	default: (void)syscall(SYS_utimensat, fd, rnd() % 2 ? name() : NULL, pointer(buf), (int)(rnd() % 0x2000)); break;
	}
}

int
main(int argc, char **argv)
{
	static char buf[9000];
	int fds[8] = { -1, -1, -1, -1, -1, -1, 9999, -5 };
	struct stat st;
	int fd, n = 0;

	int rounds = ROUNDS;

	/* vfs_fuzz [SEED [ROUNDS]]: another sequence, or a longer one. */
	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0) | 1;
	if (argc > 2)
		rounds = atoi(argv[2]);
	mkdir("/tmp", 01777);
	cleanup();
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");
	TAP_SUCCEEDS(chdir(TDIR), "chdir into it");
	for (int i = 0; i < rounds; i++)
		one(fds, buf);
	TAP_OK(1, "random calls, and the kernel goes on");
	for (int i = 0; i < 8; i++)
		if (fds[i] > 2)
			close(fds[i]);
	TAP_SUCCEEDS(chdir("/"), "back to /");
	/* Everything that is there can be listed and stat'ed. */
	fd = open(TDIR, O_RDONLY | O_DIRECTORY);
	TAP_OK(fd >= 0, "the directory opens");
	for (long got; (got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0;) {
		for (long off = 0; off < got; off += *(unsigned short *)(buf + off + 16)) {
			char p[300];

			snprintf(p, sizeof(p), TDIR "/%s", buf + off + 19);
			n += fstatat(AT_FDCWD, p, &st, AT_SYMLINK_NOFOLLOW) == 0;
		}
	}
	close(fd);
	TAP_OK(n >= 2, "every listed name can be stat'ed");
	cleanup();
	TAP_ERRNO(stat(TDIR, &st), ENOENT, "and everything removed");
	return tap_done();
}
