/*
 * pipe.h - pipes: a one-way byte stream between two open files, the read
 * end and the write end (pipe(2), pipe2(2); XNU's sys_pipe.c).
 *
 * One struct pipe holds a PIPE_SIZE ring buffer and counts the open read
 * ends and write ends (fileglobs; each fileglob may stand for many
 * descriptors). Writes of at most PIPE_BUF bytes are atomic: they wait
 * for room for all of them. A read with nothing buffered waits for data,
 * or returns 0 (end of file) once no write end is open. A write with no
 * read end open fails with EPIPE and SIGPIPE for the writer.
 *
 * Invariants
 *   - pipe_count <= PIPE_SIZE; the buffered bytes start at pipe_head.
 *   - the pipe is freed when its last end closes.
 *
 * Locks: [P] pipe_lock (a lck_mtx) for every field. It is dropped around
 * uiomove (a fault may take VM locks) and taken with nothing else held.
 */

#ifndef BSD_SYS_PIPE_H
#define BSD_SYS_PIPE_H

#define PIPE_BUF	4096		/* writes up to this size are atomic */
#define PIPE_SIZE	65536		/* the buffer */

struct fileproc;

/*
 * pipe_hangup: the other end of fp's pipe is closed (poll's POLLHUP for a
 * read end, POLLERR for a write end). Locks: none held.
 */
int	pipe_hangup(struct fileproc *fp);

#endif /* BSD_SYS_PIPE_H */
