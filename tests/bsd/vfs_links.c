/*
 * vfs_links.c - hard links and symbolic links: link counts, readlink,
 * stat against lstat, links followed in the middle and at the end of a
 * path, O_NOFOLLOW, dangling links, loops (ELOOP) and the 40-link limit,
 * and the length limits of names and paths (ENAMETOOLONG).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_links"

static void
cleanup(void)
{
	char name[64];

	for (int i = 0; i <= 45; i++) {
		snprintf(name, sizeof(name), TDIR "/c%d", i);
		unlink(name);
	}
	const char *files[] = { "f", "g", "h", "l1", "l2", "abs", "dangling", "made", "loop1",
	    "loop2", "self", "dirlink", "d/in", "newfile", "fl" };
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char p[128];

		snprintf(p, sizeof(p), TDIR "/%s", files[i]);
		unlink(p);
	}
	rmdir(TDIR "/d");
	rmdir(TDIR);
}

int
main(void)
{
	static char longname[300], longpath[5000];
	char buf[256], name[64], target[64];
	struct stat st, lst;
	int fd;

	mkdir("/tmp", 01777);
	cleanup();
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");
	fd = open(TDIR "/f", O_CREAT | O_WRONLY, 0644);
	TAP_EQ(write(fd, "data", 4), 4, "a file with data");
	close(fd);

	/* Hard links. */
	TAP_SUCCEEDS(link(TDIR "/f", TDIR "/g"), "link");
	TAP_SUCCEEDS(stat(TDIR "/f", &st), "stat");
	TAP_EQ(st.st_nlink, 2, "two links");
	TAP_SUCCEEDS(stat(TDIR "/g", &lst), "stat the link");
	TAP_OK(st.st_ino == lst.st_ino && st.st_dev == lst.st_dev, "the same file");
	TAP_ERRNO(link(TDIR "/f", TDIR "/g"), EEXIST, "link to an existing name");
	TAP_ERRNO(link(TDIR, TDIR "/h"), EPERM, "link of a directory");
	TAP_ERRNO(link(TDIR "/nope", TDIR "/h"), ENOENT, "link of nothing");
	TAP_SUCCEEDS(linkat(AT_FDCWD, TDIR "/g", AT_FDCWD, TDIR "/h", 0), "linkat");
	TAP_ERRNO(linkat(AT_FDCWD, TDIR "/g", AT_FDCWD, TDIR "/h2", 0x8000), EINVAL, "linkat with a bad flag");
	TAP_SUCCEEDS(unlink(TDIR "/f"), "unlink the first name");
	TAP_SUCCEEDS(stat(TDIR "/h", &st), "stat another");
	TAP_EQ(st.st_nlink, 2, "one link fewer");
	TAP_EQ(st.st_size, 4, "the data stays");
	TAP_SUCCEEDS(rename(TDIR "/g", TDIR "/h"), "rename between two links of one file");
	TAP_SUCCEEDS(stat(TDIR "/g", &st), "both names stay (POSIX)");

	/* Symbolic links. */
	TAP_SUCCEEDS(symlink("h", TDIR "/l1"), "symlink (relative)");
	TAP_SUCCEEDS(symlink(TDIR "/l1", TDIR "/l2"), "symlink to a symlink (absolute)");
	TAP_ERRNO(symlink("h", TDIR "/l1"), EEXIST, "symlink over an existing name");
	TAP_ERRNO(symlink("", TDIR "/empty"), ENOENT, "symlink to \"\"");
	memset(buf, 0, sizeof(buf));
	TAP_EQ(readlink(TDIR "/l1", buf, sizeof(buf)), 1, "readlink's length");
	TAP_OK(strcmp(buf, "h") == 0, "readlink's target");
	TAP_EQ(readlink(TDIR "/l2", buf, 3), 3, "readlink truncates to the buffer");
	TAP_ERRNO(readlink(TDIR "/h", buf, sizeof(buf)), EINVAL, "readlink of a file");
	TAP_ERRNO(syscall(SYS_readlink, TDIR "/l1", buf, 0), EINVAL, "readlink into nothing");
	TAP_EQ(readlinkat(AT_FDCWD, TDIR "/l1", buf, sizeof(buf)), 1, "readlinkat");
	TAP_SUCCEEDS(stat(TDIR "/l2", &st), "stat follows two links");
	TAP_EQ(st.st_size, 4, "to the file");
	TAP_SUCCEEDS(lstat(TDIR "/l2", &lst), "lstat");
	TAP_OK(S_ISLNK(lst.st_mode), "lstat sees the link");
	TAP_EQ(lst.st_size, (long long)strlen(TDIR "/l1"), "a link's size is its target's length");
	TAP_SUCCEEDS(fstatat(AT_FDCWD, TDIR "/l2", &lst, AT_SYMLINK_NOFOLLOW), "fstatat AT_SYMLINK_NOFOLLOW");
	TAP_OK(S_ISLNK(lst.st_mode), "sees the link too");
	fd = open(TDIR "/l2", O_RDONLY);
	TAP_EQ(read(fd, buf, 4), 4, "open follows links");
	close(fd);
	TAP_ERRNO(open(TDIR "/l1", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW of a link");
	TAP_SUCCEEDS(mkdir(TDIR "/d", 0755), "mkdir d");
	TAP_SUCCEEDS(symlink("d", TDIR "/dirlink"), "a link to a directory");
	fd = open(TDIR "/dirlink/in", O_CREAT | O_WRONLY, 0600);
	TAP_OK(fd >= 0, "a link in the middle of a path");
	close(fd);
	TAP_SUCCEEDS(stat(TDIR "/d/in", &st), "made in the directory");
	TAP_SUCCEEDS(lstat(TDIR "/dirlink/", &st), "a trailing slash follows the link");
	TAP_OK(S_ISDIR(st.st_mode), "to the directory");
	TAP_ERRNO(stat(TDIR "/l1/", &st), ENOTDIR, "a trailing slash on a link to a file");
	TAP_SUCCEEDS(chdir(TDIR "/dirlink"), "chdir through a link");
	TAP_SUCCEEDS(stat("../h", &st), ".. is the real parent");
	chdir("/");

	/* Dangling links and O_CREAT through them. */
	TAP_SUCCEEDS(symlink("made", TDIR "/dangling"), "a dangling link");
	TAP_ERRNO(stat(TDIR "/dangling", &st), ENOENT, "stat of it is ENOENT");
	TAP_SUCCEEDS(lstat(TDIR "/dangling", &st), "lstat of it works");
	TAP_ERRNO(open(TDIR "/dangling", O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST,
	    "O_CREAT|O_EXCL does not follow it");
	fd = open(TDIR "/dangling", O_CREAT | O_WRONLY, 0600);
	TAP_OK(fd >= 0, "O_CREAT through it makes the target");
	close(fd);
	TAP_SUCCEEDS(stat(TDIR "/made", &st), "the target exists now");
	TAP_ERRNO(mkdir(TDIR "/dangling", 0755), EEXIST, "mkdir over a link");

	/* Loops and the limit. */
	TAP_SUCCEEDS(symlink("loop2", TDIR "/loop1"), "loop1 -> loop2");
	TAP_SUCCEEDS(symlink("loop1", TDIR "/loop2"), "loop2 -> loop1");
	TAP_ERRNO(stat(TDIR "/loop1", &st), ELOOP, "a loop is ELOOP");
	TAP_ERRNO(open(TDIR "/loop1/x", O_RDONLY), ELOOP, "in the middle too");
	TAP_SUCCEEDS(symlink("self", TDIR "/self"), "a link to itself");
	TAP_ERRNO(stat(TDIR "/self", &st), ELOOP, "ELOOP");
	/* c0 -> h, c1 -> c0, ..., c40 -> c39: 40 links are followed, 41 are not. */
	TAP_SUCCEEDS(symlink("h", TDIR "/c0"), "c0");
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), TDIR "/c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		symlink(target, name);
	}
	TAP_SUCCEEDS(stat(TDIR "/c39", &st), "a chain of 40 links is followed");
	TAP_ERRNO(stat(TDIR "/c40", &st), ELOOP, "a chain of 41 is ELOOP");

	/* Lengths. */
	memset(longname, 'n', 256);
	snprintf(longpath, sizeof(longpath), TDIR "/%s", longname);
	TAP_ERRNO(open(longpath, O_CREAT | O_WRONLY, 0600), ENAMETOOLONG, "a 256-byte name");
	longname[255] = '\0';
	snprintf(longpath, sizeof(longpath), TDIR "/%s", longname);
	fd = open(longpath, O_CREAT | O_WRONLY, 0600);
	TAP_OK(fd >= 0, "a 255-byte name is fine");
	close(fd);
	TAP_SUCCEEDS(unlink(longpath), "and can be removed");
	memset(longpath, 0, sizeof(longpath));
	for (int i = 0; i < 4096; i += 2)
		memcpy(longpath + i, "./", 2);
	TAP_ERRNO(stat(longpath, &st), ENAMETOOLONG, "a path of 4096 bytes");
	longpath[4094] = '\0';
	TAP_SUCCEEDS(stat(longpath, &st), "a path of 4094 bytes is fine");
	memset(longpath, 'a', sizeof(longpath) - 1);
	TAP_ERRNO(symlink(longpath, TDIR "/toolong"), ENAMETOOLONG, "a symlink target of 4999 bytes");

	cleanup();
	TAP_ERRNO(stat(TDIR, &st), ENOENT, "everything cleaned up");
	return tap_done();
}
