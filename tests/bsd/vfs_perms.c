/*
 * vfs_perms.c - modes, owners and times: chmod, fchmod, fchmodat, chown,
 * fchown, lchown, fchownat, umask, access/faccessat, utimensat; and, when
 * the process can give up root (setresuid exists), the permission checks
 * of an ordinary user: EACCES for reading, writing, searching and making
 * names without the bits, EPERM for changing what is not one's own and
 * for removing others' files from a sticky directory.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_perms"
#define USER	1000

static void
cleanup(void)
{
	unlink(TDIR "/secret");
	unlink(TDIR "/ro");
	unlink(TDIR "/mine");
	unlink(TDIR "/link");
	unlink(TDIR "/sticky/root");
	unlink(TDIR "/sticky/mine");
	rmdir(TDIR "/sticky");
	rmdir(TDIR "/closed/x");
	rmdir(TDIR "/closed");
	rmdir(TDIR "/noexec");
	rmdir(TDIR);
}

static void
make(const char *path, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	write(fd, "x", 1);
	fchmod(fd, mode);
	close(fd);
}

int
main(void)
{
	struct timespec ts[2];
	struct stat st;
	mode_t old;
	int fd;

	mkdir("/tmp", 01777);
	cleanup();
	old = umask(0);
	TAP_SUCCEEDS(mkdir(TDIR, 0777), "mkdir with umask 0");
	TAP_SUCCEEDS(stat(TDIR, &st), "stat");
	TAP_EQ(st.st_mode & 07777, 0777, "the mode as asked");
	TAP_EQ(umask(077), 0, "umask returns the old mask");
	make(TDIR "/secret", 0600);
	fd = open(TDIR "/mine", O_CREAT | O_WRONLY, 0666);
	close(fd);
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat a file made with umask 077");
	TAP_EQ(st.st_mode & 0777, 0600, "the mask took group and other bits away");
	umask(old);

	/* chmod and kin. */
	TAP_SUCCEEDS(chmod(TDIR "/mine", 0640), "chmod");
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat");
	TAP_EQ(st.st_mode & 07777, 0640, "chmod's mode");
	fd = open(TDIR "/mine", O_RDONLY);
	TAP_SUCCEEDS(fchmod(fd, 04755), "fchmod with set-user-id");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat");
	TAP_EQ(st.st_mode & 07777, 04755, "fchmod's mode");
	TAP_SUCCEEDS(fchmodat(AT_FDCWD, TDIR "/mine", 0644, 0), "fchmodat");
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat");
	TAP_EQ(st.st_mode & 07777, 0644, "fchmodat's mode");
	TAP_OK(S_ISREG(st.st_mode), "chmod keeps the file type");

	/* Owners. */
	TAP_SUCCEEDS(chown(TDIR "/mine", 12, 34), "chown");
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat");
	TAP_OK(st.st_uid == 12 && st.st_gid == 34, "the new owner and group");
	TAP_SUCCEEDS(fchown(fd, -1, 56), "fchown of the group only");
	TAP_SUCCEEDS(fstat(fd, &st), "fstat");
	TAP_OK(st.st_uid == 12 && st.st_gid == 56, "-1 leaves the owner");
	close(fd);
	TAP_SUCCEEDS(symlink("mine", TDIR "/link"), "a link");
	TAP_SUCCEEDS(lchown(TDIR "/link", 77, 77), "lchown");
	TAP_SUCCEEDS(lstat(TDIR "/link", &st), "lstat");
	TAP_OK(st.st_uid == 77, "lchown changed the link");
	TAP_SUCCEEDS(stat(TDIR "/link", &st), "stat");
	TAP_OK(st.st_uid == 12, "not the file");
	TAP_SUCCEEDS(fchownat(AT_FDCWD, TDIR "/link", USER, USER, 0), "fchownat follows");
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat");
	TAP_OK(st.st_uid == USER && st.st_gid == USER, "the file is the user's now");

	/* Times. */
	ts[0].tv_sec = 1000000;
	ts[0].tv_nsec = 5;
	ts[1].tv_sec = 2000000;
	ts[1].tv_nsec = 7;
	TAP_SUCCEEDS(utimensat(AT_FDCWD, TDIR "/mine", ts, 0), "utimensat");
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat");
	TAP_OK(st.st_atim.tv_sec == 1000000 && st.st_mtim.tv_sec == 2000000 &&
	    st.st_mtim.tv_nsec == 7, "the times as given");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	TAP_SUCCEEDS(utimensat(AT_FDCWD, TDIR "/mine", ts, 0), "UTIME_OMIT and UTIME_NOW");
	TAP_SUCCEEDS(stat(TDIR "/mine", &st), "stat");
	TAP_OK(st.st_atim.tv_sec == 1000000 && st.st_mtim.tv_sec > 2000000, "one kept, one now");
	TAP_SUCCEEDS(utimensat(AT_FDCWD, TDIR "/mine", NULL, 0), "utimensat(NULL): now");

	/* access as root. */
	make(TDIR "/ro", 0444);
	TAP_SUCCEEDS(access(TDIR "/ro", R_OK | W_OK), "root may write a read-only file");
	TAP_ERRNO(access(TDIR "/ro", X_OK), EACCES, "but not execute a file with no x bit");
	TAP_SUCCEEDS(access(TDIR, X_OK), "root searches a directory");
	TAP_SUCCEEDS(faccessat(AT_FDCWD, TDIR "/ro", F_OK, 0), "faccessat F_OK");
	TAP_ERRNO(access(TDIR "/none", F_OK), ENOENT, "access of nothing");

	umask(0);
	TAP_SUCCEEDS(mkdir(TDIR "/sticky", 01777), "a sticky directory");
	make(TDIR "/sticky/root", 0666);
	TAP_SUCCEEDS(mkdir(TDIR "/closed", 0700), "a closed directory");
	TAP_SUCCEEDS(mkdir(TDIR "/closed/x", 0755), "with a directory in it");
	TAP_SUCCEEDS(mkdir(TDIR "/noexec", 0666), "a directory without x");

	/* As an ordinary user (with no supplementary groups, if that can be had). */
	(void)syscall(SYS_setgroups, 0, NULL);
	if (syscall(SYS_setresgid, USER, USER, USER) != 0 ||
	    syscall(SYS_setresuid, USER, USER, USER) != 0) {
		tap_diag("setresuid: %s; the ordinary-user checks are skipped\n", strerror(errno));
		TAP_SUCCEEDS(unlink(TDIR "/sticky/root"), "clean up");
		cleanup();
		return tap_done();
	}
	TAP_ERRNO(open(TDIR "/secret", O_RDONLY), EACCES, "read of another's 0600 file");
	TAP_ERRNO(open(TDIR "/ro", O_WRONLY), EACCES, "write of a 0444 file");
	TAP_ERRNO(open(TDIR "/ro", O_RDONLY | O_TRUNC), EACCES, "O_TRUNC without write access");
	TAP_ERRNO(access(TDIR "/secret", R_OK), EACCES, "access R_OK says so too");
	TAP_SUCCEEDS(access(TDIR "/ro", R_OK), "access R_OK of a 0444 file");
	TAP_ERRNO(stat(TDIR "/closed/x", &st), EACCES, "search of a 0700 directory");
	TAP_ERRNO(chdir(TDIR "/noexec"), EACCES, "chdir into a directory without x");
	TAP_ERRNO(mkdir(TDIR "/closed/y", 0755), EACCES, "mkdir in another's 0700 directory");
	TAP_ERRNO(chmod(TDIR "/secret", 0777), EPERM, "chmod of another's file");
	TAP_ERRNO(chown(TDIR "/mine", 0, 0), EPERM, "giving a file away");
	TAP_ERRNO(chown(TDIR "/mine", USER, 4242), EPERM, "to a group one is not in");
	TAP_SUCCEEDS(chmod(TDIR "/mine", 0600), "chmod of one's own file");
	TAP_ERRNO(utimensat(AT_FDCWD, TDIR "/secret", ts, 0), EPERM, "setting another's times");
	TAP_ERRNO(utimensat(AT_FDCWD, TDIR "/secret", NULL, 0), EACCES, "touching another's file without write access");
	TAP_ERRNO(unlink(TDIR "/sticky/root"), EPERM, "removing another's file from a sticky directory");
	make(TDIR "/sticky/mine", 0600);
	TAP_SUCCEEDS(unlink(TDIR "/sticky/mine"), "removing one's own");
	TAP_ERRNO(mount("x", TDIR, "ramfs", 0, NULL), EPERM, "mount needs root");
	TAP_ERRNO(umount2("/dev", 0), EPERM, "umount needs root");
	TAP_ERRNO(chroot("/"), EPERM, "chroot needs root");
	TAP_ERRNO(mknod(TDIR "/dev", S_IFCHR | 0600, 0x103), EPERM, "mknod of a device needs root");
	tap_diag("as uid %d the test leaves " TDIR " behind\n", USER);
	return tap_done();
}
