/*
 * vfs_devfs.c - /dev and mounts: the memory devices (null, zero, random,
 * urandom), the nodes devfs makes at boot, mount(2) of devfs again
 * (EBUSY, harmlessly), a ramfs mounted and unmounted (EBUSY while a file
 * in it is open), statfs, and mount's errors.
 *
 * Run as root (mount needs it). On Linux the devfs and ramfs parts differ
 * (devtmpfs, tmpfs): run this one in Machina.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dirent_count.h"
#include "tap.h"

#define MNT	"/tmp/vfs_devfs_mnt"

int
main(void)
{
	char buf[512], zeros[512];
	struct statfs sfs;
	struct stat st;
	int fd, fd2, nonzero = 0;

	mkdir("/tmp", 01777);
	/* /dev/null */
	fd = open("/dev/null", O_RDWR);
	TAP_OK(fd >= 0, "open /dev/null");
	TAP_EQ(read(fd, buf, sizeof(buf)), 0, "/dev/null reads end of file");
	TAP_EQ(write(fd, buf, sizeof(buf)), (long long)sizeof(buf), "/dev/null takes writes");
	TAP_EQ(write(fd, (void *)16, 100), 100, "without touching the buffer");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat /dev/null");
	TAP_OK(S_ISCHR(st.st_mode), "a character device");
	TAP_EQ(lseek(fd, 100, SEEK_SET), 0, "lseek of /dev/null is 0");
	close(fd);
	TAP_SUCCEEDS(stat("/dev/null", &st), "stat /dev/null");
	TAP_OK(S_ISCHR(st.st_mode) && (st.st_mode & 0666) == 0666, "crw-rw-rw-");

	/* /dev/zero */
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	memset(zeros, 0, sizeof(zeros));
	TAP_EQ(read(fd, buf, sizeof(buf)), (long long)sizeof(buf), "/dev/zero fills the buffer");
	TAP_OK(memcmp(buf, zeros, sizeof(buf)) == 0, "with zeros");
	TAP_ERRNO(read(fd, (void *)16, 10), EFAULT, "into a bad buffer: EFAULT");
	close(fd);

	/* /dev/random, /dev/urandom */
	fd = open("/dev/urandom", O_RDONLY);
	TAP_EQ(read(fd, buf, 64), 64, "/dev/urandom gives bytes");
	for (int i = 0; i < 64; i++)
		nonzero += buf[i] != 0;
	TAP_OK(nonzero > 32, "not all zeros");
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	TAP_EQ(read(fd, buf, 16), 16, "/dev/random gives bytes");
	close(fd);

	/* The nodes and the directory. */
	TAP_EQ(count_entries("/dev", "null", NULL), 1, "/dev lists null");
	TAP_EQ(count_entries("/dev", "zero", NULL), 1, "/dev lists zero");
	TAP_EQ(count_entries("/dev", "urandom", NULL), 1, "/dev lists urandom");
	TAP_EQ(count_entries("/dev", "console", NULL), 1, "/dev lists console");
	TAP_EQ(count_entries("/dev", "tty", NULL), 1, "/dev lists tty");
	TAP_SUCCEEDS(stat("/dev/console", &st), "stat /dev/console");
	TAP_OK(S_ISCHR(st.st_mode), "the console is a character device");
	TAP_ERRNO(open("/dev/nonexistent", O_RDONLY), ENOENT, "a missing node");
	TAP_ERRNO(open("/dev/newfile", O_CREAT | O_WRONLY, 0600), ENOTSUP, "nothing new in /dev");
	TAP_SUCCEEDS(statfs("/dev", &sfs), "statfs /dev");
	TAP_EQ(sfs.f_type, 0x1373, "devfs's magic");
	TAP_SUCCEEDS(stat("/dev/..", &st), "/dev/.. is the root");
	TAP_SUCCEEDS(chdir("/dev"), "chdir /dev");
	TAP_SUCCEEDS(stat("../dev/null", &st), ".. out of the mount and back in");
	TAP_OK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, "/dev") == 0, "getcwd in a mount");
	chdir("/");

	/* Mounting. */
	TAP_ERRNO(mount("devfs", "/dev", "devfs", 0, NULL), EBUSY, "devfs is mounted once");
	TAP_ERRNO(mount("x", "/nonexistent", "ramfs", 0, NULL), ENOENT, "mount on nothing");
	TAP_ERRNO(mount("x", "/dev/null", "ramfs", 0, NULL), ENOTDIR, "mount on a file");
	TAP_ERRNO(mount("x", "/tmp", "nosuchfs", 0, NULL), ENODEV, "an unknown type");
	TAP_ERRNO(mount("x", "/tmp", (char *)8, 0, NULL), EFAULT, "a bad type pointer");
	TAP_ERRNO(umount2("/tmp", 0), EINVAL, "umount of a directory that is no mount point");
	TAP_ERRNO(umount2("/", 0), EBUSY, "umount of the root");
	TAP_ERRNO(umount2("/dev", 0x100), EINVAL, "umount2 with a bad flag");
	rmdir(MNT);
	TAP_SUCCEEDS(mkdir(MNT, 0755), "a mount point");
	TAP_SUCCEEDS(mount("ram", MNT, "ramfs", 0, NULL), "mount a ramfs");
	TAP_SUCCEEDS(statfs(MNT, &sfs), "statfs it");
	TAP_EQ(sfs.f_type, 0x858458f6, "ramfs's magic");
	TAP_ERRNO(rmdir(MNT), EBUSY, "rmdir of a mount point");
	fd = open(MNT "/file", O_CREAT | O_RDWR, 0600);
	TAP_OK(fd >= 0, "a file in the new mount");
	TAP_EQ(write(fd, "abc", 3), 3, "written");
	TAP_ERRNO(link(MNT "/file", "/tmp/vfs_devfs_link"), EXDEV, "link across mounts");
	TAP_ERRNO(rename(MNT "/file", "/tmp/vfs_devfs_link"), EXDEV, "rename across mounts");
	TAP_ERRNO(umount2(MNT, 0), EBUSY, "umount while a file is open");
	close(fd);
	TAP_SUCCEEDS(chdir(MNT), "chdir into the mount");
	TAP_ERRNO(umount2(MNT, 0), EBUSY, "umount while it is the current directory");
	TAP_SUCCEEDS(chdir("/"), "chdir out");
	fd2 = open(MNT, O_RDONLY | O_DIRECTORY);
	TAP_ERRNO(umount2(MNT, 0), EBUSY, "umount while its root is open");
	close(fd2);
	TAP_SUCCEEDS(umount2(MNT, 0), "umount");
	TAP_ERRNO(stat(MNT "/file", &st), ENOENT, "its files are gone");
	TAP_SUCCEEDS(stat(MNT, &st), "the mount point is back");
	TAP_SUCCEEDS(rmdir(MNT), "and can be removed");
	return tap_done();
}
