/*
 * dirent_count.h - counting a directory's entries with getdents64 itself
 * (readdir's malloc needs memory calls a VFS test does not test), for the
 * tests/bsd programs that look at directories.
 */

#ifndef TESTS_BSD_DIRENT_COUNT_H
#define TESTS_BSD_DIRENT_COUNT_H

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Entries of directory path called name (-1: not a directory); *total: all of them. */
static int __attribute__((unused))
count_entries(const char *path, const char *name, int *total)
{
	char buf[2048];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0, all = 0;
	long got;

	if (fd < 0)
		return -1;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			unsigned short reclen = *(unsigned short *)(buf + off + 16);

			all++;
			n += strcmp(buf + off + 19, name) == 0;
			off += reclen;
		}
	}
	close(fd);
	if (total != NULL)
		*total = all;
	return n;
}

#endif /* TESTS_BSD_DIRENT_COUNT_H */
