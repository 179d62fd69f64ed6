/*
 * vfs_fileio.c - regular files through the VFS: open's flags (O_CREAT,
 * O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_CLOEXEC), read and write at
 * the file offset, lseek, pread/pwrite, holes, truncate, fstat's sizes,
 * an unlinked file that stays open, and the errors of each (EBADF,
 * EISDIR, ENOTDIR, EEXIST, ENOENT, EINVAL, ESPIPE).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define DIR	"/tmp/vfs_fileio"
#define F	DIR "/f"

static char big[100000], back[100000];

static void
cleanup(void)
{
	unlink(F);
	unlink(DIR "/g");
	unlink(DIR "/h");
	rmdir(DIR);
}

int
main(void)
{
	struct stat st;
	char buf[64];
	int fd, fd2;

	mkdir("/tmp", 01777);
	cleanup();
	TAP_SUCCEEDS(mkdir(DIR, 0755), "mkdir a directory to work in");

	TAP_ERRNO(open(F, O_RDONLY), ENOENT, "open of a missing file");
	fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644);
	TAP_OK(fd >= 0, "O_CREAT|O_EXCL makes the file");
	TAP_ERRNO(open(F, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST, "O_EXCL of an existing file");
	TAP_EQ(write(fd, "hello, world", 12), 12, "write 12 bytes");
	TAP_EQ(lseek(fd, 0, SEEK_CUR), 12, "the offset moved");
	TAP_EQ(lseek(fd, 0, SEEK_SET), 0, "lseek SEEK_SET");
	memset(buf, 0, sizeof(buf));
	TAP_EQ(read(fd, buf, sizeof(buf)), 12, "read it back");
	TAP_OK(memcmp(buf, "hello, world", 12) == 0, "the same bytes");
	TAP_EQ(read(fd, buf, sizeof(buf)), 0, "read at the end is 0");
	TAP_EQ(lseek(fd, -5, SEEK_END), 7, "lseek SEEK_END");
	TAP_EQ(read(fd, buf, 5), 5, "read from there");
	TAP_OK(memcmp(buf, "world", 5) == 0, "the last five bytes");
	TAP_ERRNO(lseek(fd, -100, SEEK_CUR), EINVAL, "lseek before the start");
	TAP_ERRNO(lseek(fd, 0, 42), EINVAL, "lseek with a bad whence");
	TAP_EQ(pwrite(fd, "HELLO", 5, 0), 5, "pwrite at 0");
	TAP_EQ(lseek(fd, 0, SEEK_CUR), 12, "pwrite leaves the offset");
	TAP_EQ(pread(fd, buf, 12, 0), 12, "pread at 0");
	TAP_OK(memcmp(buf, "HELLO, world", 12) == 0, "pwrite changed the start");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat");
	TAP_OK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == (0644 & ~umask(022)), "a regular file with its mode");
	TAP_EQ(st.st_size, 12, "st_size");
	TAP_EQ(st.st_nlink, 1, "st_nlink");

	/* A hole reads as zeros; ftruncate cuts and grows. */
	TAP_EQ(pwrite(fd, "x", 1, 20000), 1, "write past the end");
	TAP_EQ(pread(fd, buf, 8, 12), 8, "read in the hole");
	TAP_OK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0, "the hole is zeros");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat");
	TAP_EQ(st.st_size, 20001, "the size includes the hole");
	TAP_SUCCEEDS(ftruncate(fd, 5), "ftruncate shorter");
	TAP_SUCCEEDS(ftruncate(fd, 10), "ftruncate longer");
	TAP_EQ(pread(fd, buf, 20, 0), 10, "read the new size");
	TAP_OK(memcmp(buf, "HELLO\0\0\0\0\0", 10) == 0, "what was cut is zeros when it grows back");
	TAP_ERRNO(ftruncate(fd, -1), EINVAL, "ftruncate to a negative size");
	TAP_SUCCEEDS(truncate(F, 3), "truncate by path");
	TAP_SUCCEEDS(stat(F, &st), "stat");
	TAP_EQ(st.st_size, 3, "truncate's size");
	TAP_SUCCEEDS(fsync(fd), "fsync");
	TAP_SUCCEEDS(fdatasync(fd), "fdatasync");
	TAP_SUCCEEDS(close(fd), "close");

	/* Many pages at once. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	fd = open(F, O_RDWR | O_TRUNC);
	TAP_OK(fd >= 0, "O_TRUNC open");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat");
	TAP_EQ(st.st_size, 0, "O_TRUNC emptied it");
	TAP_EQ(write(fd, big, sizeof(big)), (long long)sizeof(big), "a 100000-byte write");
	TAP_EQ(pread(fd, back, sizeof(back), 0), (long long)sizeof(back), "read it all back");
	TAP_OK(memcmp(big, back, sizeof(big)) == 0, "every byte as written");
	TAP_EQ(pread(fd, back, 10, 4090), 10, "a read across a page boundary");
	TAP_OK(memcmp(big + 4090, back, 10) == 0, "its bytes");
	{
		struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
		int avail = -1;

		TAP_EQ(lseek(fd, 1000, SEEK_SET), 1000, "seek to 1000");
		TAP_SUCCEEDS(ioctl(fd, FIONREAD, &avail), "FIONREAD on a file");
		TAP_EQ(avail, (long long)sizeof(big) - 1000, "says what is left to read");
		TAP_ERRNO(ioctl(fd, TCGETS, &avail), ENOTTY, "a file is not a terminal");
		TAP_EQ(poll(&pfd, 1, 0), 1, "poll: a file is ready at once");
		TAP_EQ(pfd.revents, POLLIN | POLLOUT, "for reading and writing");
	}
	close(fd);

	/* O_APPEND writes at the end whatever the offset. */
	fd = open(DIR "/g", O_WRONLY | O_CREAT | O_APPEND, 0600);
	TAP_OK(fd >= 0, "O_APPEND open");
	TAP_EQ(write(fd, "abc", 3), 3, "append");
	TAP_EQ(lseek(fd, 0, SEEK_SET), 0, "seek to 0");
	TAP_EQ(write(fd, "def", 3), 3, "append again");
	fd2 = open(DIR "/g", O_RDONLY);
	TAP_EQ(read(fd2, buf, sizeof(buf)), 6, "six bytes");
	TAP_OK(memcmp(buf, "abcdef", 6) == 0, "both at the end");
	TAP_ERRNO(read(fd, buf, 1), EBADF, "read of a write-only descriptor");
	TAP_ERRNO(write(fd2, "x", 1), EBADF, "write of a read-only descriptor");
	TAP_ERRNO(ftruncate(fd2, 0), EINVAL, "ftruncate of a read-only descriptor");
	close(fd);

	/* An unlinked file lives while it is open. */
	TAP_SUCCEEDS(unlink(DIR "/g"), "unlink an open file");
	TAP_ERRNO(stat(DIR "/g", &st), ENOENT, "its name is gone");
	TAP_EQ(pread(fd2, buf, 6, 0), 6, "it can still be read");
	TAP_SUCCEEDS(fstat(fd2, &st), "and fstat'ed");
	TAP_EQ(st.st_nlink, 0, "with no links");
	close(fd2);

	/* creat, O_CLOEXEC, O_DIRECTORY, directories. */
	fd = creat(DIR "/h", 0600);
	TAP_OK(fd >= 0, "creat");
	TAP_ERRNO(read(fd, buf, 1), EBADF, "creat opens write-only");
	close(fd);
	fd = open(DIR "/h", O_RDONLY | O_CLOEXEC);
	TAP_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC, "O_CLOEXEC sets close-on-exec");
	TAP_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY, "F_GETFL's access mode");
	close(fd);
	TAP_ERRNO(open(DIR "/h", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY of a file");
	TAP_ERRNO(open(DIR "/h/x", O_RDONLY), ENOTDIR, "a file in the middle of a path");
	TAP_ERRNO(open(DIR, O_WRONLY), EISDIR, "a directory opened for writing");
	TAP_ERRNO(open(DIR, O_RDONLY | O_CREAT, 0600), EISDIR, "O_CREAT of a directory");
	fd = open(DIR, O_RDONLY | O_DIRECTORY);
	TAP_OK(fd >= 0, "a directory opened for reading");
	TAP_ERRNO(read(fd, buf, 1), EISDIR, "read of a directory");
	close(fd);
	TAP_ERRNO(open(DIR "/nope/", O_RDWR | O_CREAT, 0600), EISDIR, "O_CREAT with a trailing slash");
	TAP_ERRNO(open("", O_RDONLY), ENOENT, "an empty path");

	/* O_PATH: a handle for fstat and the *at() calls, no I/O. */
	fd = open(DIR, O_PATH | O_DIRECTORY);
	TAP_OK(fd >= 0, "O_PATH open of a directory");
	TAP_OK(fcntl(fd, F_GETFL) & O_PATH, "F_GETFL says O_PATH");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat of an O_PATH descriptor");
	TAP_OK(S_ISDIR(st.st_mode), "it is the directory");
	fd2 = openat(fd, "h", O_RDONLY);
	TAP_OK(fd2 >= 0, "openat relative to it");
	close(fd2);
	TAP_ERRNO(read(fd, buf, 1), EBADF, "no read through it");
	close(fd);

	/* Descriptors that are not files. */
	TAP_ERRNO(lseek(-1, 0, SEEK_SET), EBADF, "lseek of -1");
	TAP_ERRNO(read(1000, buf, 1), EBADF, "read of an unused descriptor");
	TAP_ERRNO(fstat(-5, &st), EBADF, "fstat of -5");
	TAP_ERRNO(ftruncate(-1, 0), EBADF, "ftruncate of -1");
	TAP_ERRNO(fsync(-1), EBADF, "fsync of -1");

	cleanup();
	TAP_ERRNO(stat(DIR, &st), ENOENT, "everything cleaned up");
	return tap_done();
}
