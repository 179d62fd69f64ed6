/*
 * file_internal.h - open files: what a descriptor refers to (XNU's split).
 *
 *   struct fileglob	one open of something: its open flags, its offset,
 *			its operations (fileops) and their object (a vnode, a
 *			pipe, a tty). Shared by every descriptor that refers to
 *			that one open: dup within a process, and fork across
 *			processes (fg_count counts them).
 *   struct fileproc	one descriptor's hold on a fileglob, in one
 *			process's table (bsd/sys/filedesc.h); fp_iocount
 *			counts the system calls using it right now, so close
 *			waits for them.
 *
 * A kind of open file is a struct fileops: read, write, ioctl, select,
 * stat, close. System calls reach them through the fo_* functions, which
 * only dispatch.
 *
 * Locks for the fields:
 *   [G] fg_lock (a lck_mtx): fg_offset, fg_flag's status bits
 *   [a] atomic: fg_count, fp_iocount
 *   [I] set when the file is made
 */

#ifndef BSD_SYS_FILE_INTERNAL_H
#define BSD_SYS_FILE_INTERNAL_H

#include <stdint.h>

#include "bsd/sys/fcntl.h"
#include "bsd/sys/types.h"
#include "bsd/sys/ucred.h"
#include "bsd/sys/uio.h"
#include "bsd/sys/vnode.h"
#include "mach/kern/locks.h"

/*
 * fg_flag: FREAD and FWRITE (an open's O_ACCMODE plus one, as BSD has
 * it), and the status flags of open(2) with Linux's values.
 */
#define FREAD		0x00000001
#define FWRITE		0x00000002
#define FMASK_ACCMODE	(FREAD | FWRITE)
#define FFLAGS(oflags)	((oflags) + 1)		/* O_RDONLY/O_WRONLY/O_RDWR to FREAD/FWRITE */
#define OFLAGS(fflags)	((fflags) - 1)

/* What fcntl(F_SETFL) may change. */
#define FCNTLFLAGS	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

/* fo_type */
#define DTYPE_VNODE	1		/* a file, directory or device */
#define DTYPE_SOCKET	2
#define DTYPE_PIPE	6
#define DTYPE_CONSOLE	16		/* a character device opened without the VFS */

struct fileproc;
struct fileglob;
struct stat;

struct fileops {
	int		fo_type;	/* DTYPE_* */
	/* Read into uio at the file's offset (or uio's, with FOF_OFFSET). */
	int		(*fo_read)(struct fileproc *fp, struct uio *uio, int flags,
			    vfs_context_t ctx);
	int		(*fo_write)(struct fileproc *fp, struct uio *uio, int flags,
			    vfs_context_t ctx);
	/* data: the argument, copied in (and out) by the caller per the command. */
	int		(*fo_ioctl)(struct fileproc *fp, unsigned long com, void *data,
			    vfs_context_t ctx);
	/*
	 * Ready for which (FREAD, FWRITE, 0 for an exceptional condition)?
	 * Returns 1 if so; otherwise records the caller's wait with
	 * selrecord(wql) and returns 0.
	 */
	int		(*fo_select)(struct fileproc *fp, int which, void *wql,
			    vfs_context_t ctx);
	/* Fill a struct stat (bsd/sys/stat.h) for fstat. */
	int		(*fo_stat)(struct fileproc *fp, struct stat *sb, vfs_context_t ctx);
	/* The last descriptor is gone: release fg_data. */
	int		(*fo_close)(struct fileglob *fg, vfs_context_t ctx);
};

/* fo_read/fo_write flags */
#define FOF_OFFSET	0x00000001	/* use uio's offset (pread), not the file's */

struct fileglob {
	lck_mtx_t		fg_lock;
	uint32_t		fg_count;	/* [a] fileprocs referring to it */
	uint32_t		fg_flag;	/* [G] FREAD, FWRITE, O_* status flags */
	off_t			fg_offset;	/* [G] the file offset */
	const struct fileops	*fg_ops;	/* [I] */
	void			*fg_data;	/* [I] its object (vnode, pipe, tty) */
	kauth_cred_t		fg_cred;	/* [I] who opened it (a reference) */
};

struct fileproc {
	uint32_t		fp_iocount;	/* [a] system calls using it, plus one
						   while in the table; | FP_IOCOUNT_CLOSING
						   once close waits for them */
	struct fileglob		*fp_glob;	/* [I] */
};

/*
 * In fp_iocount: close is waiting for the calls in it. A call's fp_drop
 * that leaves FP_IOCOUNT_CLOSING | 1 was the last, and wakes the close;
 * the count and the flag in one word, so fp_drop needs no lock to know.
 */
#define FP_IOCOUNT_CLOSING	0x80000000u

static inline struct fileglob *fp_fg(struct fileproc *fp) { return fp->fp_glob; }
static inline void *fp_get_data(struct fileproc *fp) { return fp->fp_glob->fg_data; }

int	fo_read(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx);
int	fo_write(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx);
int	fo_ioctl(struct fileproc *fp, unsigned long com, void *data, vfs_context_t ctx);
int	fo_select(struct fileproc *fp, int which, void *wql, vfs_context_t ctx);
int	fo_stat(struct fileproc *fp, struct stat *sb, vfs_context_t ctx);

/*
 * fileglob_alloc: a new open of ops/data with fflags (FREAD, FWRITE, O_*
 * status bits), the context's credential, one reference. NULL if no
 * memory. fg_drop releases a reference; the last calls fo_close.
 */
struct fileglob	*fileglob_alloc(const struct fileops *ops, void *data, uint32_t fflags,
		    vfs_context_t ctx);
void		fg_ref(struct fileglob *fg);
int		fg_drop(struct fileglob *fg, vfs_context_t ctx);

/*
 * A character device as an open file without the VFS (fg_data is its
 * dev_t): the console's descriptors 0, 1 and 2 (bsd/dev/cons.h).
 */
extern const struct fileops consolefileops;

#endif /* BSD_SYS_FILE_INTERNAL_H */
