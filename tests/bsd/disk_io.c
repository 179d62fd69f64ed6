/*
 * disk_io.c - the disk device nodes of the storage family
 * (docs/iokit-storage.md), on the RAMDisk test kext's two disks:
 * tests/iokit/test_storage.py boots with them and runs
 *
 *	disk_io disk0 disk1		the writable (1 MiB of 512-byte blocks)
 *					and the read-only disk (128 blocks, block
 *					b filled with b + 1), by BSD name
 *	disk_io --eject disk0 disk1	descriptors of both open while
 *					debug.ramdisk.eject terminates the disks:
 *					the nodes go, the descriptors get ENXIO
 *
 * Checked: a pattern written through /dev/diskN reads back through
 * /dev/diskN and /dev/rdiskN, with lseek, read/write and pread/pwrite,
 * across more than one 64 KiB bounce; unaligned offsets and lengths are
 * EINVAL; at the end a read gives 0 and a write ENOSPC, and a transfer
 * across it is cut; a block the device fails (block 1000) gives EIO, or
 * a short count when some of the transfer moved; the ioctls of
 * <sys/disk.h>; an unknown ioctl ENOTTY; bad user pointers EFAULT; writes
 * to the read-only disk EROFS.
 *
 * With no arguments (the user tier runs every program, and has no disk)
 * it checks only that a disk that does not exist is not there.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/disk.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <unistd.h>

#include "tap.h"

#define BS		512
#define RW_BLOCKS	2048
#define RO_BLOCKS	128
#define BIG		(200 * 1024)	/* more than three 64 KiB bounces */

static unsigned char wbuf[BIG], rbuf[BIG];

static void
pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 7 + seed) ^ (i >> 9));
}

static int
open_node(const char *prefix, const char *name, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/%s%s", prefix, name);
	return open(path, flags);
}

static void
check_ioctls(int fd, uint64_t blocks, uint32_t writable, const char *what)
{
	uint32_t bs = 0, w = 99;
	uint64_t count = 0;
	char name[96];

	snprintf(name, sizeof(name), "%s: DKIOCGETBLOCKSIZE gives %d", what, BS);
	TAP_OK(ioctl(fd, DKIOCGETBLOCKSIZE, &bs) == 0 && bs == BS, name);
	snprintf(name, sizeof(name), "%s: DKIOCGETBLOCKCOUNT gives %llu", what,
	    (unsigned long long)blocks);
	TAP_OK(ioctl(fd, DKIOCGETBLOCKCOUNT, &count) == 0 && count == blocks, name);
	snprintf(name, sizeof(name), "%s: DKIOCISWRITABLE gives %u", what, writable);
	TAP_OK(ioctl(fd, DKIOCISWRITABLE, &w) == 0 && w == writable, name);
	snprintf(name, sizeof(name), "%s: DKIOCSYNCHRONIZECACHE", what);
	TAP_SUCCEEDS(ioctl(fd, DKIOCSYNCHRONIZECACHE), name);
}

/* The writable disk: data, positions, refusals. */
static void
check_rw(const char *disk)
{
	int fd = open_node("", disk, O_RDWR), rfd = open_node("r", disk, O_RDWR);
	uint32_t bs;
	struct stat st;

	TAP_OK(fd >= 0, "open /dev/diskN read-write");
	TAP_OK(rfd >= 0, "open /dev/rdiskN read-write");
	if (fd < 0 || rfd < 0)
		return;
	TAP_OK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode), "/dev/diskN is a character device");
	check_ioctls(fd, RW_BLOCKS, 1, "disk");
	check_ioctls(rfd, RW_BLOCKS, 1, "rdisk");

	/* A pattern through disk, back through rdisk and disk. */
	pattern(wbuf, BIG, 3);
	TAP_EQ(lseek(fd, 0, SEEK_SET), 0, "lseek to 0");
	TAP_EQ(write(fd, wbuf, BIG), BIG, "write 200 KiB through /dev/diskN");
	TAP_EQ(lseek(fd, 0, SEEK_CUR), BIG, "the offset moved by the write");
	memset(rbuf, 0, BIG);
	TAP_EQ(read(rfd, rbuf, BIG), BIG, "read it back through /dev/rdiskN");
	TAP_OK(memcmp(wbuf, rbuf, BIG) == 0, "rdisk gives what disk was given");
	memset(rbuf, 0, BIG);
	TAP_EQ(pread(fd, rbuf, 4096, 8192), 4096, "pread 8 blocks at block 16");
	TAP_OK(memcmp(wbuf + 8192, rbuf, 4096) == 0, "pread gives those blocks");
	TAP_EQ(lseek(fd, 1024, SEEK_SET), 1024, "lseek to block 2");
	TAP_EQ(read(fd, rbuf, BS), BS, "read one block there");
	TAP_OK(memcmp(wbuf + 1024, rbuf, BS) == 0, "it is block 2");
	TAP_EQ(lseek(fd, 0, SEEK_CUR), 1024 + BS, "the offset moved by the read");
	pattern(wbuf, BS, 99);
	TAP_EQ(pwrite(rfd, wbuf, BS, 5 * BS), BS, "pwrite one block through rdisk");
	TAP_EQ(pread(fd, rbuf, BS, 5 * BS), BS, "pread it through disk");
	TAP_OK(memcmp(wbuf, rbuf, BS) == 0, "the two nodes see one medium");

	/* Whole blocks only. */
	TAP_ERRNO(pread(fd, rbuf, 100, 0), EINVAL, "a read of part of a block: EINVAL");
	TAP_ERRNO(pread(fd, rbuf, BS, 100), EINVAL, "a read at an unaligned offset: EINVAL");
	TAP_ERRNO(pwrite(fd, wbuf, BS + 1, 0), EINVAL, "a write of 513 bytes: EINVAL");
	TAP_ERRNO(pwrite(rfd, wbuf, BS, 3), EINVAL, "a write at offset 3: EINVAL");

	/* The end of the medium. */
	TAP_EQ(pread(fd, rbuf, BS, RW_BLOCKS * BS), 0, "a read at the end gives 0");
	TAP_EQ(pread(fd, rbuf, BS, (RW_BLOCKS + 8) * BS), 0, "... and past it");
	TAP_ERRNO(pwrite(fd, wbuf, BS, RW_BLOCKS * BS), ENOSPC, "a write at the end: ENOSPC");
	TAP_EQ(pread(fd, rbuf, 4 * BS, (RW_BLOCKS - 1) * BS), BS, "a read across the end is cut");
	TAP_EQ(pwrite(fd, wbuf, 4 * BS, (RW_BLOCKS - 1) * BS), BS,
	    "a write across the end is cut");
	TAP_EQ(lseek(fd, BS, SEEK_END), BS, "SEEK_END counts from 0 (a node has no size)");
	TAP_EQ(lseek(fd, RW_BLOCKS * BS, SEEK_SET), RW_BLOCKS * BS, "lseek to the end");
	TAP_EQ(read(fd, rbuf, BS), 0, "read there: end of file");

	/* Bad arguments. */
	TAP_ERRNO(ioctl(fd, 0x40046499, &bs), ENOTTY, "an unknown ioctl: ENOTTY");
	TAP_ERRNO(ioctl(fd, DKIOCGETBLOCKSIZE, (void *)16), EFAULT,
	    "DKIOCGETBLOCKSIZE to a bad pointer: EFAULT");
	TAP_ERRNO(ioctl(fd, DKIOCGETBLOCKCOUNT, (void *)-4096L), EFAULT,
	    "DKIOCGETBLOCKCOUNT to a kernel address: EFAULT");
	TAP_ERRNO(pread(fd, (void *)16, BS, 0), EFAULT, "a read into a bad pointer: EFAULT");
	TAP_ERRNO(pwrite(fd, (void *)16, BS, 0), EFAULT, "a write from a bad pointer: EFAULT");
	/* Block 1000 fails (RAMDiskBadBlock): a medium error. */
	TAP_ERRNO(pread(fd, rbuf, BS, 1000 * BS), EIO, "a read of the bad block: EIO");
	TAP_ERRNO(pwrite(fd, wbuf, 4 * BS, 998 * BS), EIO, "a write over it: EIO");
	TAP_EQ(pread(fd, rbuf, 131072, 1000 * BS - 65536), 65536,
	    "a read whose second 64 KiB holds it stops short after the first");
	TAP_EQ(pread(fd, rbuf, BS, 5 * BS), BS, "the disk still works after them");
	TAP_OK(memcmp(wbuf, rbuf, BS) == 0, "and its data is intact");
	TAP_SUCCEEDS(close(rfd), "close rdisk");
	TAP_SUCCEEDS(close(fd), "close disk");
}

/* The read-only disk: its contents, and writes refused. */
static void
check_ro(const char *disk)
{
	int fd = open_node("", disk, O_RDWR), rfd = open_node("r", disk, O_RDONLY);
	int good = 1;

	TAP_OK(fd >= 0 && rfd >= 0, "open the read-only disk's nodes");
	if (fd < 0 || rfd < 0)
		return;
	check_ioctls(rfd, RO_BLOCKS, 0, "read-only disk");
	TAP_EQ(pread(rfd, rbuf, RO_BLOCKS * BS, 0), RO_BLOCKS * BS, "read the whole read-only disk");
	for (int b = 0; b < RO_BLOCKS && good; b++)
		for (int i = 0; i < BS && good; i++)
			good = rbuf[b * BS + i] == (unsigned char)(b + 1);
	TAP_OK(good, "each of its blocks holds its number + 1");
	TAP_ERRNO(pwrite(fd, wbuf, BS, 0), EROFS, "a write to it: EROFS");
	TAP_ERRNO(write(fd, wbuf, 4 * BS), EROFS, "another: EROFS");
	TAP_ERRNO(pwrite(rfd, wbuf, BS, 0), EBADF, "a write to a read-only descriptor: EBADF");
	TAP_EQ(pread(fd, rbuf, BS, 0), BS, "its block 0 is still there");
	TAP_EQ(rbuf[0], 1, "unchanged");
	close(rfd);
	close(fd);
}

/* Descriptors open while the disks are terminated. */
static void
check_eject(const char *rw, const char *ro)
{
	int fd = open_node("", rw, O_RDWR), rfd = open_node("r", ro, O_RDONLY), one = 1;
	uint32_t bs;
	char path[64];
	struct stat st;

	TAP_OK(fd >= 0 && rfd >= 0, "open both disks");
	TAP_SUCCEEDS(sysctlbyname("debug.ramdisk.eject", NULL, NULL, &one, sizeof(one)),
	    "debug.ramdisk.eject=1");
	snprintf(path, sizeof(path), "/dev/%s", rw);
	TAP_ERRNO(stat(path, &st), ENOENT, "/dev/diskN has gone");
	snprintf(path, sizeof(path), "/dev/r%s", ro);
	TAP_ERRNO(stat(path, &st), ENOENT, "/dev/rdiskN has gone");
	TAP_ERRNO(open_node("", rw, O_RDONLY), ENOENT, "it cannot be opened again");
	TAP_ERRNO(pread(fd, rbuf, BS, 0), ENXIO, "a read on an open descriptor: ENXIO");
	TAP_ERRNO(pwrite(fd, wbuf, BS, 0), ENXIO, "a write: ENXIO");
	TAP_ERRNO(ioctl(fd, DKIOCGETBLOCKSIZE, &bs), ENXIO, "an ioctl: ENXIO");
	TAP_ERRNO(read(rfd, rbuf, BS), ENXIO, "the raw node's too: ENXIO");
	TAP_SUCCEEDS(close(fd), "close the first");
	TAP_SUCCEEDS(close(rfd), "close the second");
}

int
main(int argc, char **argv)
{
	struct stat st;

	if (argc == 4 && strcmp(argv[1], "--eject") == 0) {
		check_eject(argv[2], argv[3]);
	} else if (argc == 3) {
		check_rw(argv[1]);
		check_ro(argv[2]);
	} else {
		TAP_ERRNO(stat("/dev/disk63", &st), ENOENT, "no /dev/disk63");
		tap_diag("no disks named; tests/iokit/test_storage.py runs this with two\n");
	}
	return tap_done();
}
