/*
 * vfs_badargs.c - what user space can throw at the file calls: bad
 * pointers (EFAULT), unterminated and huge paths (ENAMETOOLONG), bad and
 * negative descriptors (EBADF), descriptors of the wrong kind, bad flags
 * and values (EINVAL), huge lengths. None of it may hurt the kernel.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_badargs"
#define BAD	((void *)16)
#define KERNEL	((void *)0xffff800000100000ULL)

int
main(void)
{
	static char huge[10000];
	char buf[64];
	struct stat st;
	struct timespec ts[2];
	int fd, dfd;

	mkdir("/tmp", 01777);
	unlink(TDIR "/f");
	rmdir(TDIR);
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");
	fd = open(TDIR "/f", O_CREAT | O_RDWR, 0644);
	TAP_OK(fd >= 0, "a file");
	write(fd, "0123456789", 10);

	/* Bad pointers. */
	TAP_ERRNO(syscall(SYS_open, BAD, O_RDONLY), EFAULT, "open of a bad path pointer");
	TAP_ERRNO(syscall(SYS_open, KERNEL, O_RDONLY), EFAULT, "open of a kernel path pointer");
	TAP_ERRNO(syscall(SYS_stat, TDIR "/f", BAD), EFAULT, "stat into a bad buffer");
	TAP_ERRNO(syscall(SYS_fstat, fd, KERNEL), EFAULT, "fstat into kernel memory");
	TAP_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, BAD, &st, 0), EFAULT, "fstatat of a bad path");
	TAP_ERRNO(pread(fd, BAD, 10, 0), EFAULT, "read into a bad buffer");
	TAP_ERRNO(pwrite(fd, KERNEL, 10, 0), EFAULT, "write from kernel memory");
	TAP_ERRNO(syscall(SYS_pread64, fd, (void *)0x7ffffffff000ULL, 1ULL << 40, 0), EFAULT, "a huge read into nowhere");
	dfd = open(TDIR, O_RDONLY | O_DIRECTORY);
	TAP_ERRNO(syscall(SYS_getdents64, dfd, BAD, 4096), EFAULT, "getdents64 into a bad buffer");
	TAP_ERRNO(syscall(SYS_getcwd, BAD, 100), EFAULT, "getcwd into a bad buffer");
	symlink("f", TDIR "/l");
	TAP_ERRNO(syscall(SYS_readlink, TDIR "/l", BAD, 10), EFAULT, "readlink into a bad buffer");
	TAP_ERRNO(syscall(SYS_rename, TDIR "/l", BAD), EFAULT, "rename to a bad path");
	TAP_ERRNO(syscall(SYS_symlink, BAD, TDIR "/l2"), EFAULT, "symlink of a bad target");
	TAP_ERRNO(syscall(SYS_utimensat, AT_FDCWD, TDIR "/f", BAD, 0), EFAULT, "utimensat of bad times");
	TAP_ERRNO(syscall(SYS_statfs, "/", BAD), EFAULT, "statfs into a bad buffer");
	TAP_ERRNO(syscall(SYS_chdir, BAD), EFAULT, "chdir to a bad path");
	TAP_ERRNO(syscall(SYS_mount, BAD, TDIR, "ramfs", 0, 0), EFAULT, "mount of a bad source");

	/* Paths too long, or not ending in the mapped memory. */
	memset(huge, 'a', sizeof(huge));
	TAP_ERRNO(open(huge, O_RDONLY), ENAMETOOLONG, "a path with no NUL in 4096 bytes");
	{
		char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (page != MAP_FAILED) {
			munmap(page + 4096, 4096);
			memset(page, 'b', 4096);
			TAP_ERRNO(open(page + 96, O_RDONLY), EFAULT, "a path running into unmapped memory");
		} else {
			tap_diag("mmap missing: skipping the unmapped-path check\n");
		}
	}

	/* Bad descriptors. */
	TAP_ERRNO(syscall(SYS_lseek, -1, 0, SEEK_SET), EBADF, "lseek of -1");
	TAP_ERRNO(syscall(SYS_getdents64, -1, buf, sizeof(buf)), EBADF, "getdents64 of -1");
	TAP_ERRNO(syscall(SYS_getdents64, 1 << 30, buf, sizeof(buf)), EBADF, "getdents64 of a huge fd");
	TAP_ERRNO(fchdir(-1), EBADF, "fchdir of -1");
	TAP_ERRNO(fchmod(-1, 0644), EBADF, "fchmod of -1");
	TAP_ERRNO(fchown(-1, 0, 0), EBADF, "fchown of -1");
	TAP_ERRNO(fstatfs(-1, (struct statfs *)buf), EBADF, "fstatfs of -1");
	TAP_ERRNO(syscall(SYS_openat, -7, "x", O_RDONLY), EBADF, "openat relative to -7");
	TAP_ERRNO(syscall(SYS_mkdirat, 1 << 20, "x", 0755), EBADF, "mkdirat relative to a huge fd");
	TAP_ERRNO(fchdir(fd), ENOTDIR, "fchdir to a file");
	TAP_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR, "getdents64 of a file");

	/* Bad values. */
	TAP_ERRNO(syscall(SYS_lseek, fd, -1L, SEEK_SET), EINVAL, "lseek to -1");
	TAP_ERRNO(syscall(SYS_lseek, fd, INT64_MAX, SEEK_END), EINVAL, "lseek past the largest offset");
	TAP_ERRNO(syscall(SYS_lseek, fd, 0, -1), EINVAL, "lseek with whence -1");
	TAP_ERRNO(syscall(SYS_truncate, TDIR "/f", -5L), EINVAL, "truncate to -5");
	TAP_ERRNO(syscall(SYS_access, TDIR "/f", 8), EINVAL, "access with mode 8");
	TAP_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, TDIR "/f", 0, 0x10000), EINVAL, "faccessat2 with a bad flag");
	TAP_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, TDIR "/f", &st, 0x40000), EINVAL, "fstatat with a bad flag");
	TAP_ERRNO(syscall(SYS_fchownat, AT_FDCWD, TDIR "/f", 0, 0, 0x40000), EINVAL, "fchownat with a bad flag");
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = 1000000000;
	ts[1] = ts[0];
	TAP_ERRNO(utimensat(AT_FDCWD, TDIR "/f", ts, 0), EINVAL, "utimensat with 10^9 ns");
	TAP_ERRNO(syscall(SYS_readlink, TDIR "/l", buf, -1L), EINVAL, "readlink with a negative size");
	TAP_ERRNO(syscall(SYS_mknod, TDIR "/n", 0170000 | 0644, 0), EINVAL, "mknod of an unknown type");
	TAP_ERRNO(syscall(SYS_umount2, "/", 0x1000), EINVAL, "umount2 with a bad flag");
	TAP_ERRNO(syscall(SYS_renameat2, AT_FDCWD, TDIR "/l", AT_FDCWD, TDIR "/m", 3), EINVAL,
	    "renameat2 with RENAME_EXCHANGE and RENAME_NOREPLACE");

	TAP_ERRNO(open(TDIR "/newdir", O_CREAT | O_DIRECTORY | O_RDONLY, 0755), EINVAL,
	    "O_CREAT with O_DIRECTORY");
	TAP_ERRNO(access(TDIR "/newdir", F_OK), ENOENT, "and nothing was made");
	TAP_ERRNO(symlink("f", TDIR "/sl/"), ENOENT, "a symlink named with a trailing slash");
	TAP_ERRNO(mknod(TDIR "/nod/", S_IFREG | 0600, 0), ENOENT, "mknod named with a trailing slash");

	/* What is valid still works after all that. */
	TAP_EQ(pread(fd, buf, 10, 0), 10, "the file is intact");
	TAP_OK(memcmp(buf, "0123456789", 10) == 0, "its data too");
	close(fd);
	close(dfd);
	unlink(TDIR "/l");
	unlink(TDIR "/f");
	TAP_SUCCEEDS(rmdir(TDIR), "cleaned up");
	return tap_done();
}
