/*
 * mm_file.c - mapping files: MAP_SHARED sees the file and writes through
 * to it; MAP_PRIVATE is a copy-on-write copy whose writes the file never
 * sees; a mapping at an offset; protections against the open mode
 * (EACCES); EBADF; ENODEV for what has no pages (a pipe).
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#define F	"/tmp/mm_file.data"
#define PG	4096

int
main(void)
{
	char buf[2 * PG], rd[16];
	char *sh, *pr, *ro;
	int fd, rfd;

	mkdir("/tmp", 0777);
	fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
	TAP_OK(fd >= 0, "create a file");
	for (int i = 0; i < 2 * PG; i++)
		buf[i] = (char)('a' + i % 26);
	TAP_EQ(write(fd, buf, sizeof(buf)), sizeof(buf), "write two pages");

	sh = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TAP_OK(sh != MAP_FAILED, "MAP_SHARED of the file");
	if (sh == MAP_FAILED)
		return tap_done();
	TAP_OK(memcmp(sh, buf, sizeof(buf)) == 0, "the mapping shows the file");
	memcpy(sh + 10, "SHARED", 6);
	TAP_EQ(pread(fd, rd, 6, 10), 6, "pread");
	TAP_OK(memcmp(rd, "SHARED", 6) == 0, "a write through MAP_SHARED is in the file");
	TAP_EQ(pwrite(fd, "FILE", 4, PG + 4), 4, "pwrite into the file");
	TAP_OK(memcmp(sh + PG + 4, "FILE", 4) == 0, "the shared mapping sees the write");

	pr = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	TAP_OK(pr != MAP_FAILED, "MAP_PRIVATE of the file");
	if (pr != MAP_FAILED) {
		TAP_OK(memcmp(pr + 10, "SHARED", 6) == 0, "it shows the file");
		memcpy(pr + 100, "PRIVATE", 7);
		TAP_EQ(pread(fd, rd, 7, 100), 7, "pread");
		TAP_OK(memcmp(rd, "PRIVATE", 7) != 0, "a private write is not in the file");
		TAP_OK(memcmp(sh + 100, "PRIVATE", 7) != 0, "nor in the shared mapping");
		TAP_SUCCEEDS(munmap(pr, 2 * PG), "munmap the private mapping");
	}
	pr = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	TAP_OK(pr != MAP_FAILED && memcmp(pr + 4, "FILE", 4) == 0, "a mapping at an offset");
	if (pr != MAP_FAILED)
		munmap(pr, PG);
	TAP_SUCCEEDS(munmap(sh, 2 * PG), "munmap the shared mapping");

	rfd = open(F, O_RDONLY);
	TAP_OK(rfd >= 0, "open read-only");
	TAP_ERRNO((long)mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0), EACCES,
	    "a shared writable mapping of a read-only descriptor is EACCES");
	ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, rfd, 0);
	TAP_OK(ro != MAP_FAILED, "a shared read-only mapping of it");
	if (ro != MAP_FAILED) {
		TAP_ERRNO(mprotect(ro, PG, PROT_READ | PROT_WRITE), EACCES,
		    "mprotect cannot make it writable");
		munmap(ro, PG);
	}
	ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
	TAP_OK(ro != MAP_FAILED, "a private writable mapping of it is fine");
	if (ro != MAP_FAILED)
		munmap(ro, PG);
	close(rfd);

	rfd = open(F, O_WRONLY);
	TAP_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, rfd, 0), EACCES,
	    "mapping a write-only descriptor is EACCES");
	close(rfd);
	TAP_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, 999, 0), EBADF, "a bad descriptor is EBADF");
	{
		int p[2];

		TAP_SUCCEEDS(pipe(p), "pipe");
		TAP_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, p[0], 0), ENODEV,
		    "mapping a pipe is ENODEV");
		close(p[0]);
		close(p[1]);
	}
	close(fd);
	unlink(F);
	return tap_done();
}
