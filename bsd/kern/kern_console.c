/*
 * kern_console.c - the early console as an open file (consolefileops):
 * what a process's descriptors 0, 1 and 2 refer to until the console tty
 * (/dev/console, with its line discipline) takes over.
 *
 * A write goes to every console device; a read waits for one character
 * of input and returns it with whatever else has already arrived, as is:
 * no echo, no line editing, no signals (that is the tty's work).
 */

#include "bsd/sys/file_internal.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/stat.h"
#include "kernel/console.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"

#define CONS_CHUNK	256

static int
cons_file_read(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	char buf[CONS_CHUNK];
	int64_t n = 0, want = MIN(uio_resid(uio), (int64_t)sizeof(buf));
	int c;

	(void)fp;
	(void)flags;
	(void)ctx;
	if (want <= 0)
		return 0;
	buf[n++] = (char)cons_getc_wait();
	while (n < want && (c = cons_getc()) >= 0)
		buf[n++] = (char)c;
	return uiomove(buf, n, uio);
}

static int
cons_file_write(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	char buf[CONS_CHUNK];

	(void)fp;
	(void)flags;
	(void)ctx;
	while (uio_resid(uio) > 0) {
		int64_t n = MIN(uio_resid(uio), (int64_t)sizeof(buf));
		int64_t before = uio_resid(uio);
		int error = uiomove(buf, n, uio);

		/* uiomove moved before - resid bytes even if it failed later. */
		console_write(buf, (size_t)(before - uio_resid(uio)));
		if (error != 0)
			return error;
	}
	return 0;
}

static int
cons_file_stat(struct fileproc *fp, struct stat *sb, vfs_context_t ctx)
{
	(void)fp;
	(void)ctx;
	memset(sb, 0, sizeof(*sb));
	sb->st_mode = S_IFCHR | 0620;
	sb->st_nlink = 1;
	sb->st_blksize = CONS_CHUNK;
	return 0;
}

static int
cons_file_select(struct fileproc *fp, int which, void *wql, vfs_context_t ctx)
{
	(void)fp;
	(void)wql;
	(void)ctx;
	return which != FREAD;		/* writable always; readable: ask the tty */
}

const struct fileops consolefileops = {
	.fo_type = DTYPE_CONSOLE,
	.fo_read = cons_file_read,
	.fo_write = cons_file_write,
	.fo_select = cons_file_select,
	.fo_stat = cons_file_stat,
};
