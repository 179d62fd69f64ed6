/*
 * pipe_basic.c - pipes within one process: data through, FIONREAD, end
 * of file, EPIPE, O_NONBLOCK and EAGAIN, PIPE_BUF atomicity, the 64 KiB
 * buffer, pipe2's flags, the generic ioctls, bad pointers and
 * descriptors.
 *
 * SIGPIPE is ignored first, so that EPIPE is seen whether or not the
 * kernel delivers signals yet.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "tap.h"

#define BAD_PTR ((void *)8)

/* Fill the pipe's write end (nonblocking) until EAGAIN; the bytes it took. */
static long
fill(int wfd)
{
	static char buf[4096];
	long total = 0;
	ssize_t n;

	memset(buf, 'x', sizeof(buf));
	while ((n = write(wfd, buf, sizeof(buf))) > 0)
		total += n;
	while ((n = write(wfd, buf, 1)) > 0)
		total += n;
	return total;
}

int
main(void)
{
	int fds[2], fds2[2], n;
	char buf[8192];
	struct stat st;
	struct termios t;

	signal(SIGPIPE, SIG_IGN);

	TAP_SUCCEEDS(pipe(fds), "pipe");
	TAP_OK(fds[0] > 2 && fds[1] > 2 && fds[0] != fds[1], "pipe gives two new descriptors");
	TAP_EQ(write(fds[1], "hello", 5), 5, "write to the write end");
	n = -1;
	TAP_SUCCEEDS(ioctl(fds[0], FIONREAD, &n), "FIONREAD");
	TAP_EQ(n, 5, "FIONREAD counts the buffered bytes");
	memset(buf, 0, sizeof(buf));
	TAP_EQ(read(fds[0], buf, sizeof(buf)), 5, "read from the read end");
	TAP_OK(memcmp(buf, "hello", 5) == 0, "the bytes come through");
	TAP_ERRNO(write(fds[0], "x", 1), EBADF, "writing the read end is EBADF");
	TAP_ERRNO(read(fds[1], buf, 1), EBADF, "reading the write end is EBADF");

	errno = 0;
	if (fstat(fds[0], &st) == 0)
		TAP_OK(S_ISFIFO(st.st_mode), "fstat says S_IFIFO");
	else if (errno == ENOSYS)
		tap_diag("not checked (no fstat yet): fstat says S_IFIFO\n");
	else
		TAP_OK(0, "fstat says S_IFIFO");

	TAP_ERRNO(ioctl(fds[0], TCGETS, &t), ENOTTY, "TCGETS on a pipe is ENOTTY");
	TAP_OK(!isatty(fds[0]), "a pipe is not a terminal");
	TAP_ERRNO(ioctl(fds[0], 0x5499, 0), ENOTTY, "an unknown ioctl is ENOTTY");
	TAP_ERRNO(ioctl(999, FIONREAD, &n), EBADF, "ioctl on a bad descriptor is EBADF");
	TAP_ERRNO(ioctl(fds[0], FIONREAD, BAD_PTR), EFAULT, "FIONREAD to a bad pointer is EFAULT");

	n = 1;
	TAP_SUCCEEDS(ioctl(fds[0], FIONBIO, &n), "FIONBIO on");
	TAP_OK(fcntl(fds[0], F_GETFL) & O_NONBLOCK, "FIONBIO sets O_NONBLOCK");
	TAP_ERRNO(read(fds[0], buf, 1), EAGAIN, "an empty nonblocking pipe is EAGAIN");
	n = 0;
	TAP_SUCCEEDS(ioctl(fds[0], FIONBIO, &n), "FIONBIO off");
	TAP_OK(!(fcntl(fds[0], F_GETFL) & O_NONBLOCK), "FIONBIO clears O_NONBLOCK");
	TAP_SUCCEEDS(ioctl(fds[0], FIOCLEX), "FIOCLEX");
	TAP_EQ(fcntl(fds[0], F_GETFD), FD_CLOEXEC, "FIOCLEX sets close-on-exec");
	TAP_SUCCEEDS(ioctl(fds[0], FIONCLEX), "FIONCLEX");
	TAP_EQ(fcntl(fds[0], F_GETFD), 0, "FIONCLEX clears it");
	TAP_ERRNO(ioctl(999, FIOCLEX), EBADF, "FIOCLEX on a bad descriptor");
	n = 1;
	TAP_SUCCEEDS(ioctl(fds[0], FIOASYNC, &n), "FIOASYNC is accepted");
	n = 0;
	(void)ioctl(fds[0], FIOASYNC, &n);

	/* End of file once the writers are gone; buffered data first. */
	TAP_EQ(write(fds[1], "ab", 2), 2, "write before closing");
	TAP_SUCCEEDS(close(fds[1]), "close the write end");
	TAP_EQ(read(fds[0], buf, sizeof(buf)), 2, "buffered data outlives the writer");
	TAP_EQ(read(fds[0], buf, sizeof(buf)), 0, "then end of file");
	TAP_SUCCEEDS(close(fds[0]), "close the read end");

	/* EPIPE once the readers are gone. */
	TAP_SUCCEEDS(pipe(fds), "another pipe");
	TAP_SUCCEEDS(close(fds[0]), "close its read end");
	TAP_ERRNO(write(fds[1], "x", 1), EPIPE, "writing with no reader is EPIPE");
	close(fds[1]);

	/* pipe2's flags. */
	TAP_SUCCEEDS(pipe2(fds, O_NONBLOCK | O_CLOEXEC), "pipe2(O_NONBLOCK | O_CLOEXEC)");
	TAP_OK((fcntl(fds[0], F_GETFL) & O_NONBLOCK) && (fcntl(fds[1], F_GETFL) & O_NONBLOCK),
	    "both ends are nonblocking");
	TAP_OK(fcntl(fds[0], F_GETFD) == FD_CLOEXEC && fcntl(fds[1], F_GETFD) == FD_CLOEXEC,
	    "both ends are close-on-exec");
	TAP_OK((fcntl(fds[0], F_GETFL) & O_ACCMODE) == O_RDONLY &&
	    (fcntl(fds[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "read end O_RDONLY, write end O_WRONLY");
	TAP_ERRNO(read(fds[0], buf, 1), EAGAIN, "empty: EAGAIN");

	/* The buffer holds 64 KiB; PIPE_BUF writes are all or nothing. */
	TAP_EQ(fill(fds[1]), 65536, "the buffer holds 64 KiB");
	TAP_ERRNO(write(fds[1], buf, 1), EAGAIN, "a full nonblocking pipe is EAGAIN");
	TAP_EQ(read(fds[0], buf, 100), 100, "take 100 bytes out");
	TAP_ERRNO(write(fds[1], buf, 4096), EAGAIN, "a PIPE_BUF write with 100 free is EAGAIN");
	{
		/* Machina takes the 100 bytes; Linux, whose buffer is pages, may take none. */
		ssize_t w = write(fds[1], buf, 8192), r;
		long total = 0, want = 65536 - 100 + (w > 0 ? w : 0);
		int e;

		TAP_OK(w == 100 || (w == -1 && errno == EAGAIN), "a larger write takes what fits");
		n = 0;
		ioctl(fds[0], FIONREAD, &n);
		TAP_EQ(n, want, "FIONREAD on a full pipe");
		while ((r = read(fds[0], buf, sizeof(buf))) > 0)
			total += r;
		e = errno;
		TAP_EQ(total, want, "everything comes out");
		TAP_OK(r == -1 && e == EAGAIN, "then EAGAIN (writer still open)");
	}
	close(fds[0]);
	close(fds[1]);

	/* Bad arguments. */
	TAP_ERRNO(syscall(SYS_pipe, BAD_PTR), EFAULT, "pipe to a bad pointer is EFAULT");
	TAP_ERRNO(syscall(SYS_pipe2, fds, 0x40), EINVAL, "pipe2 with an unknown flag is EINVAL");
	TAP_SUCCEEDS(pipe(fds2), "a pipe after the failures");
	TAP_OK(fds2[0] == 3 || fds2[0] == fds[0], "no descriptor leaked by the failed pipe");
	TAP_EQ(write(fds2[1], "abc", 3), 3, "write");
	TAP_ERRNO(read(fds2[0], BAD_PTR, 3), EFAULT, "read into a bad pointer is EFAULT");
	TAP_ERRNO(write(fds2[1], BAD_PTR, 3), EFAULT, "write from a bad pointer is EFAULT");
	close(fds2[0]);
	close(fds2[1]);

	/*
	 * A pipe has no positions: pread and pwrite are ESPIPE, and a pread
	 * of an empty pipe does not block (syscall_fuzz seed 1, call 2840).
	 */
	TAP_SUCCEEDS(pipe(fds2), "a pipe for pread");
	TAP_ERRNO(pread(fds2[0], buf, 3, 0), ESPIPE, "pread of an empty pipe is ESPIPE");
	TAP_ERRNO(pwrite(fds2[1], "abc", 3, 0), ESPIPE, "pwrite of a pipe is ESPIPE");
	TAP_ERRNO(pread(fds2[0], buf, 3, 0x2820303ad8b2a5ebLL), ESPIPE,
	    "pread at a huge offset is ESPIPE too");
	close(fds2[0]);
	close(fds2[1]);
	return tap_done();
}
