/*
 * vfs_dirs.c - directories: mkdir and rmdir with their errors,
 * getdents64 (through readdir and raw), the current directory (chdir,
 * fchdir, getcwd, relative paths, ".."), the *at() calls with a
 * directory descriptor, and rename of files and directories.
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

#include "dirent_count.h"
#include "tap.h"

#define TDIR	"/tmp/vfs_dirs"

static void
cleanup(void)
{
	char name[64];

	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), TDIR "/many/f%02d", i);
		unlink(name);
	}
	rmdir(TDIR "/many");
	unlink(TDIR "/a/b/file");
	unlink(TDIR "/a/file2");
	unlink(TDIR "/moved");
	unlink(TDIR "/x");
	unlink(TDIR "/y");
	rmdir(TDIR "/a/b/c");
	rmdir(TDIR "/a/b");
	rmdir(TDIR "/a/d");
	rmdir(TDIR "/a");
	rmdir(TDIR "/e");
	rmdir(TDIR "/e2");
	rmdir(TDIR);
}

int
main(void)
{
	char cwd[4096], name[64], buf[4096];
	struct stat st;
	int dfd, fd, total;
	long n;

	mkdir("/tmp", 01777);
	cleanup();
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");
	TAP_ERRNO(mkdir(TDIR, 0755), EEXIST, "mkdir of an existing directory");
	TAP_ERRNO(mkdir(TDIR "/no/such", 0755), ENOENT, "mkdir in a missing directory");
	TAP_SUCCEEDS(mkdir(TDIR "/a", 0700), "mkdir a");
	TAP_SUCCEEDS(stat(TDIR "/a", &st), "stat it");
	TAP_OK(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700, "a directory with mode 0700");
	TAP_EQ(st.st_nlink, 2, "a new directory has two links");
	TAP_SUCCEEDS(mkdir(TDIR "/a/b/", 0755), "mkdir with a trailing slash");
	TAP_SUCCEEDS(stat(TDIR "/a", &st), "stat the parent");
	TAP_EQ(st.st_nlink, 3, "a subdirectory adds a link to its parent");
	fd = open(TDIR "/a/b/file", O_WRONLY | O_CREAT, 0644);
	TAP_OK(fd >= 0, "a file in a/b");
	close(fd);
	TAP_ERRNO(mkdir(TDIR "/a/b/file/x", 0755), ENOTDIR, "mkdir under a file");
	TAP_ERRNO(rmdir(TDIR "/a/b"), ENOTEMPTY, "rmdir of a non-empty directory");
	TAP_ERRNO(rmdir(TDIR "/a/b/file"), ENOTDIR, "rmdir of a file");
	TAP_ERRNO(unlink(TDIR "/a/b"), EISDIR, "unlink of a directory");
	TAP_ERRNO(rmdir(TDIR "/a/b/."), EINVAL, "rmdir of \".\"");
	TAP_ERRNO(rmdir("/"), EBUSY, "rmdir of /");

	/* Listing. */
	TAP_EQ(count_entries(TDIR "/a/b", "file", &total), 1, "readdir finds the file");
	TAP_EQ(total, 3, "and . and ..");
	TAP_EQ(count_entries(TDIR "/a/b", ".", NULL), 1, "readdir gives .");
	TAP_EQ(count_entries(TDIR "/a/b", "..", NULL), 1, "readdir gives ..");
	TAP_SUCCEEDS(mkdir(TDIR "/many", 0755), "mkdir many");
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), TDIR "/many/f%02d", i);
		close(open(name, O_CREAT | O_WRONLY, 0600));
	}
	TAP_EQ(count_entries(TDIR "/many", "f49", &total), 1, "the 50th of 50 files is listed");
	TAP_EQ(total, 52, "every file once, with . and ..");
	dfd = open(TDIR "/many", O_RDONLY | O_DIRECTORY);
	/* Small buffers: getdents64 goes on where it stopped. */
	total = 0;
	while ((n = syscall(SYS_getdents64, dfd, buf, 64)) > 0) {
		for (long off = 0; off < n;) {
			unsigned short reclen = *(unsigned short *)(buf + off + 16);

			total++;
			off += reclen;
		}
	}
	TAP_EQ(n, 0, "getdents64 ends with 0");
	TAP_EQ(total, 52, "small buffers see every entry once");
	TAP_EQ(syscall(SYS_getdents64, dfd, buf, 1), 0, "getdents64 at the end is 0 even into 1 byte");
	lseek(dfd, 0, SEEK_SET);
	TAP_ERRNO(syscall(SYS_getdents64, dfd, buf, 1), EINVAL, "getdents64 into 1 byte");
	TAP_OK(syscall(SYS_getdents64, dfd, buf, sizeof(buf)) > 0, "lseek to 0 rewinds");
	/* Removing while reading: what is left is still listed once. */
	lseek(dfd, 0, SEEK_SET);
	n = syscall(SYS_getdents64, dfd, buf, 200);
	for (int i = 0; i < 50; i += 2) {
		snprintf(name, sizeof(name), TDIR "/many/f%02d", i);
		unlink(name);
	}
	total = 0;
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n; off += *(unsigned short *)(buf + off + 16))
			total++;
	TAP_OK(total > 0 && total <= 25, "entries removed while reading are not listed");
	close(dfd);
	TAP_ERRNO(syscall(SYS_getdents64, open(TDIR "/a/b/file", O_RDONLY), buf, sizeof(buf)),
	    ENOTDIR, "getdents64 of a file");

	/* The current directory. */
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	TAP_SUCCEEDS(chdir(TDIR "/a/b"), "chdir");
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, TDIR "/a/b") == 0, "getcwd says where");
	TAP_SUCCEEDS(stat("file", &st), "a relative path");
	TAP_SUCCEEDS(stat("../b/./file", &st), "with . and ..");
	TAP_SUCCEEDS(chdir(".."), "chdir ..");
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, TDIR "/a") == 0, "getcwd after ..");
	TAP_ERRNO(syscall(SYS_getcwd, cwd, 3), ERANGE, "getcwd into a short buffer");
	TAP_ERRNO(chdir("b/file"), ENOTDIR, "chdir to a file");
	TAP_ERRNO(chdir("nope"), ENOENT, "chdir to nothing");
	dfd = open(TDIR, O_RDONLY | O_DIRECTORY);
	TAP_SUCCEEDS(fchdir(dfd), "fchdir");
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, TDIR) == 0, "getcwd after fchdir");
	TAP_SUCCEEDS(chdir("/"), "chdir /");
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0, "getcwd of /");
	TAP_SUCCEEDS(stat("..", &st), ".. of / is /");
	TAP_SUCCEEDS(chdir("/.."), "chdir /..");
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0, "still /");

	/* The *at() calls. */
	TAP_SUCCEEDS(mkdirat(dfd, "a/d", 0755), "mkdirat");
	fd = openat(dfd, "a/file2", O_CREAT | O_WRONLY, 0600);
	TAP_OK(fd >= 0, "openat");
	TAP_ERRNO(openat(fd, "x", O_RDONLY), ENOTDIR, "openat relative to a file");
	close(fd);
	TAP_ERRNO(openat(9999, "x", O_RDONLY), EBADF, "openat relative to a bad descriptor");
	TAP_SUCCEEDS(openat(9999, "/", O_RDONLY), "an absolute path ignores the descriptor");
	TAP_SUCCEEDS(fstatat(dfd, "a/file2", &st, 0), "fstatat");
	TAP_SUCCEEDS(fstatat(dfd, "", &st, AT_EMPTY_PATH), "fstatat with AT_EMPTY_PATH");
	TAP_OK(S_ISDIR(st.st_mode), "names the directory itself");
	TAP_ERRNO(fstatat(dfd, "", &st, 0), ENOENT, "an empty path without AT_EMPTY_PATH");
	TAP_ERRNO(unlinkat(dfd, "a/d", 0), EISDIR, "unlinkat of a directory");
	TAP_SUCCEEDS(unlinkat(dfd, "a/d", AT_REMOVEDIR), "unlinkat AT_REMOVEDIR");
	TAP_ERRNO(unlinkat(dfd, "a/file2", 0x4), EINVAL, "unlinkat with a bad flag");

	/* rename */
	fd = open(TDIR "/x", O_CREAT | O_WRONLY, 0600);
	write(fd, "xx", 2);
	close(fd);
	fd = open(TDIR "/y", O_CREAT | O_WRONLY, 0600);
	close(fd);
	TAP_SUCCEEDS(rename(TDIR "/x", TDIR "/moved"), "rename a file");
	TAP_ERRNO(stat(TDIR "/x", &st), ENOENT, "the old name is gone");
	TAP_SUCCEEDS(stat(TDIR "/moved", &st), "the new one is there");
	TAP_EQ(st.st_size, 2, "with the file's data");
	TAP_SUCCEEDS(rename(TDIR "/moved", TDIR "/y"), "rename over a file");
	TAP_SUCCEEDS(stat(TDIR "/y", &st), "the target");
	TAP_EQ(st.st_size, 2, "is the moved file now");
	TAP_SUCCEEDS(rename(TDIR "/y", TDIR "/y"), "rename to itself");
	TAP_ERRNO(rename(TDIR "/nope", TDIR "/z"), ENOENT, "rename of nothing");
	TAP_ERRNO(rename(TDIR "/y", TDIR "/a"), EISDIR, "a file over a directory");
	TAP_SUCCEEDS(mkdir(TDIR "/e", 0755), "mkdir e");
	TAP_ERRNO(rename(TDIR "/e", TDIR "/y"), ENOTDIR, "a directory over a file");
	TAP_ERRNO(rename(TDIR "/a", TDIR "/a/b/c"), EINVAL, "a directory into itself");
	TAP_ERRNO(rename(TDIR "/e", TDIR "/a"), ENOTEMPTY, "over a non-empty directory");
	TAP_SUCCEEDS(rename(TDIR "/e", TDIR "/a/b/c"), "a directory into another");
	TAP_SUCCEEDS(stat(TDIR "/a/b", &st), "stat the new parent");
	TAP_EQ(st.st_nlink, 3, "its link count grew");
	TAP_SUCCEEDS(chdir(TDIR "/a/b/c"), "into the moved directory");
	TAP_OK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, TDIR "/a/b/c") == 0, "getcwd follows the move");
	TAP_SUCCEEDS(stat("../file", &st), ".. is the new parent");
	TAP_SUCCEEDS(chdir("/"), "back to /");
	TAP_SUCCEEDS(mkdir(TDIR "/e2", 0755), "mkdir e2");
	TAP_SUCCEEDS(rename(TDIR "/e2", TDIR "/a/d"), "a directory to a new name elsewhere");
	TAP_SUCCEEDS(mkdir(TDIR "/e2", 0755), "mkdir e2 again");
	TAP_SUCCEEDS(rename(TDIR "/e2", TDIR "/a/d"), "a directory over an empty one");
	TAP_ERRNO(syscall(SYS_renameat2, AT_FDCWD, TDIR "/y", AT_FDCWD, TDIR "/a/file2", 1), EEXIST,
	    "renameat2 RENAME_NOREPLACE over a file");
	TAP_ERRNO(syscall(SYS_renameat2, AT_FDCWD, TDIR "/y", AT_FDCWD, TDIR "/zz", 0x100), EINVAL,
	    "renameat2 with an unknown flag");
	TAP_SUCCEEDS(renameat(dfd, "y", dfd, "x"), "renameat");
	TAP_ERRNO(rename(TDIR "/x", TDIR "/nodir/x"), ENOENT, "into a missing directory");
	close(dfd);

	/* Removing a directory we are in. */
	TAP_SUCCEEDS(mkdir(TDIR "/e", 0755), "mkdir e");
	TAP_SUCCEEDS(chdir(TDIR "/e"), "chdir e");
	TAP_SUCCEEDS(rmdir(TDIR "/e"), "rmdir the current directory");
	TAP_ERRNO(open("f", O_CREAT | O_WRONLY, 0600), ENOENT, "nothing can be made in it");
	TAP_ERRNO(syscall(SYS_getcwd, cwd, sizeof(cwd)), ENOENT, "getcwd of a removed directory");
	TAP_SUCCEEDS(chdir("/"), "back to /");

	cleanup();
	TAP_ERRNO(stat(TDIR, &st), ENOENT, "everything cleaned up");
	return tap_done();
}
