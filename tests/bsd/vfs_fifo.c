/*
 * vfs_fifo.c - named pipes: mkfifo makes a FIFO node; O_NONBLOCK opens
 * (a reader at once, a writer without a reader ENXIO); data through in
 * order; end of file when the writer goes; EPIPE with no reader; poll;
 * FIONREAD; lseek is ESPIPE; and a blocking open that waits for the
 * other side (a child process opens the other end).
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_fifo"
#define FIFO	TDIR "/f"

int
main(void)
{
	struct pollfd pfd;
	struct stat st;
	char buf[64];
	int r, w, n, status;
	pid_t pid;

	signal(SIGPIPE, SIG_IGN);
	mkdir("/tmp", 01777);
	unlink(FIFO);
	rmdir(TDIR);
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");
	TAP_SUCCEEDS(mkfifo(FIFO, 0600), "mkfifo");
	TAP_SUCCEEDS(stat(FIFO, &st), "stat");
	TAP_OK(S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == (0600 & ~umask(022)), "a FIFO with its mode");
	TAP_ERRNO(mkfifo(FIFO, 0600), EEXIST, "mkfifo over it");

	TAP_ERRNO(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO, "a writer without a reader: ENXIO");
	r = open(FIFO, O_RDONLY | O_NONBLOCK);
	TAP_OK(r >= 0, "a reader opens at once with O_NONBLOCK");
	TAP_EQ(read(r, buf, sizeof(buf)), 0, "no writer yet: end of file");
	w = open(FIFO, O_WRONLY | O_NONBLOCK);
	TAP_OK(w >= 0, "now a writer opens");
	TAP_ERRNO(read(r, buf, sizeof(buf)), EAGAIN, "nothing written: EAGAIN");
	pfd.fd = r;
	pfd.events = POLLIN;
	TAP_EQ(poll(&pfd, 1, 0), 0, "poll: not readable");
	TAP_EQ(write(w, "hello", 5), 5, "write");
	TAP_EQ(write(w, " fifo", 5), 5, "write again");
	TAP_EQ(poll(&pfd, 1, 1000), 1, "poll: readable");
	TAP_SUCCEEDS(ioctl(r, FIONREAD, &n), "FIONREAD");
	TAP_EQ(n, 10, "ten bytes wait");
	memset(buf, 0, sizeof(buf));
	TAP_EQ(read(r, buf, sizeof(buf)), 10, "read them");
	TAP_OK(strcmp(buf, "hello fifo") == 0, "in order");
	TAP_ERRNO(lseek(r, 0, SEEK_SET), ESPIPE, "lseek: ESPIPE");
	TAP_SUCCEEDS(fstat(w, &st), "fstat of the writer");
	TAP_OK(S_ISFIFO(st.st_mode), "a FIFO");
	TAP_SUCCEEDS(close(w), "the writer closes");
	TAP_EQ(read(r, buf, sizeof(buf)), 0, "end of file");
	w = open(FIFO, O_WRONLY | O_NONBLOCK);
	TAP_OK(w >= 0, "a writer again");
	close(r);
	TAP_ERRNO(write(w, "x", 1), EPIPE, "no reader left: EPIPE");
	close(w);

	/* Blocking opens meet: the child writes, the parent reads. */
	pid = fork();
	if (pid == 0) {
		int fd = open(FIFO, O_WRONLY);		/* waits for the parent */

		_exit(fd >= 0 && write(fd, "from the child", 14) == 14 ? 0 : 1);
	}
	TAP_OK(pid > 0, "fork");
	r = open(FIFO, O_RDONLY);			/* waits for the child */
	TAP_OK(r >= 0, "a blocking open meets the other side");
	memset(buf, 0, sizeof(buf));
	n = 0;
	while (n < 14) {
		int k = (int)read(r, buf + n, sizeof(buf) - 1 - (size_t)n);

		if (k <= 0)
			break;
		n += k;
	}
	TAP_OK(strcmp(buf, "from the child") == 0, "the child's data");
	TAP_EQ(read(r, buf, sizeof(buf)), 0, "and end of file when it is gone");
	close(r);
	TAP_EQ(waitpid(pid, &status, 0), pid, "wait for the child");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "it wrote all of it");

	TAP_SUCCEEDS(unlink(FIFO), "unlink the FIFO");
	TAP_SUCCEEDS(rmdir(TDIR), "cleaned up");
	return tap_done();
}
