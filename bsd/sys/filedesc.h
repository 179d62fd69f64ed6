/*
 * filedesc.h - a process's descriptor table: which fileproc each file
 * descriptor number refers to, its close-on-exec flag, and the process's
 * current and root directories and umask (XNU's struct filedesc).
 *
 * Descriptors are allocated lowest first (POSIX), up to the process's
 * RLIMIT_NOFILE. A system call that uses a descriptor holds it with
 * fp_lookup and lets go with fp_drop; close removes the descriptor at once
 * and waits for its users to let go before the file is released.
 *
 *	struct fileproc *fp;
 *	if ((error = fp_lookup(p, fd, &fp, 0)) != 0)
 *		return error;				(EBADF)
 *	error = fo_read(fp, uio, 0, ctx);
 *	fp_drop(p, fd, fp, 0);
 *
 * Locks: [F] proc_fdlock(p) covers the whole table. Functions that take a
 * `locked` argument want to know whether the caller holds it.
 */

#ifndef BSD_SYS_FILEDESC_H
#define BSD_SYS_FILEDESC_H

#include <stdint.h>

#include "bsd/sys/file_internal.h"
#include "bsd/sys/proc.h"
#include "bsd/sys/types.h"
#include "bsd/sys/vnode.h"

#define NDFILE		20		/* slots a new table starts with */
#define FD_MAX_DEFAULT	1024		/* RLIMIT_NOFILE's default soft limit */
#define FD_MAX_HARD	65536		/* ... and the most it may be raised to */

/* fd_ofileflags */
#define UF_EXCLOSE	0x01		/* close on exec (FD_CLOEXEC) */
#define UF_RESERVED	0x04		/* allocated, not yet holding a file */

struct filedesc {
	struct fileproc	**fd_ofiles;	/* [F] fd_nfiles slots */
	uint8_t		*fd_ofileflags;	/* [F] UF_* per slot */
	int		fd_nfiles;	/* [F] slots */
	int		fd_lastfile;	/* [F] highest fd in use, or -1 */
	int		fd_freefile;	/* [F] lowest fd that may be free */
	vnode_t		fd_cdir;	/* [F] current directory (a reference) */
	vnode_t		fd_rdir;	/* [F] root directory, NULLVP for the system's */
	mode_t		fd_cmask;	/* [F] umask */
};

/* fdinit: an empty table for p (no descriptors, no directories, umask 022). ENOMEM. */
int	fdinit(proc_t p);
/* fdcopy: p's table becomes a copy of parent's (fork): same fileglobs, same flags. */
int	fdcopy(proc_t p, proc_t parent);
/* fdexec: close p's close-on-exec descriptors (execve). */
void	fdexec(proc_t p);
/* fdfree: close every descriptor and free the table (exit). */
void	fdfree(proc_t p);

/* fdalloc: the lowest free descriptor at or above want, reserved. EMFILE. Locks: [F] held. */
int	fdalloc(proc_t p, int want, int *result);
/* fdrelse: give back a reserved descriptor that got no file. Locks: [F] held. */
void	fdrelse(proc_t p, int fd);

/*
 * falloc: a new open file of ops/data with fflags, installed at the
 * lowest free descriptor; *resultfp is held (fp_drop it when done
 * setting up) and *resultfd is its number. EMFILE, ENOMEM.
 */
int	falloc(proc_t p, const struct fileops *ops, void *data, uint32_t fflags,
	    struct fileproc **resultfp, int *resultfd, vfs_context_t ctx);

/* fp_lookup: hold descriptor fd's fileproc. EBADF. */
int	fp_lookup(proc_t p, int fd, struct fileproc **resultfp, int locked);
/* fp_drop: let go of what fp_lookup or falloc held. */
int	fp_drop(proc_t p, int fd, struct fileproc *fp, int locked);

/* closef: close descriptor fd of p. EBADF. */
int	fd_close(proc_t p, int fd);

/*
 * fd_install_fileglob: put fg (a new reference for the table) at the
 * lowest free descriptor at or above want, with UF_* flags. EMFILE.
 */
int	fd_install_fileglob(proc_t p, struct fileglob *fg, int want, uint8_t flags, int *resultfd);

/* The descriptors p has open, for tests and sysctl. */
int	fd_count(proc_t p);

#endif /* BSD_SYS_FILEDESC_H */
