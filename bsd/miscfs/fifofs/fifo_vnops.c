/*
 * fifo_vnops.c - named pipes (bsd/miscfs/fifofs/fifo.h).
 *
 * A vnode's fifoinfo is made by its first open and freed when its last
 * user goes (fi_refs counts opens, and opens still waiting); the table
 * lock covers v_fifoinfo and fi_refs. Everything else is under the FIFO's
 * own lock. Openers waiting for the other side wait for the other side's
 * open count to change, so an open and close in between still wakes them.
 */

#include "bsd/miscfs/fifofs/fifo.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/fcntl.h"
#include "bsd/sys/file_internal.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/select.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/cdefs.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"

#define FIONREAD	0x541B
#define PIPE_BUF	4096

struct fifoinfo {
	lck_mtx_t	fi_lock;
	uint32_t	fi_refs;	/* [T] opens, and opens waiting */
	char		*fi_buf;	/* [I] FIFO_SIZE bytes */
	unsigned	fi_head;	/* [F] first unread byte */
	unsigned	fi_count;	/* [F] unread bytes */
	unsigned	fi_readers;	/* [F] opens for reading */
	unsigned	fi_writers;	/* [F] opens for writing */
	uint64_t	fi_ropens;	/* [F] opens for reading ever */
	uint64_t	fi_wopens;	/* [F] opens for writing ever */
	struct selinfo	fi_rsel;	/* [F] */
	struct selinfo	fi_wsel;	/* [F] */
};

static struct {
	lck_grp_t	grp;
	lck_mtx_t	lock;		/* the table lock [T] */
	unsigned	count;		/* [T] */
	bool		ready;
} fifos;

void
fifo_init(void)
{
	lck_grp_init(&fifos.grp, "fifo", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&fifos.lock, &fifos.grp, LCK_ATTR_NULL);
	fifos.ready = true;
}

/* vp's fifoinfo, made if need be, with a reference. NULL: no memory. */
static struct fifoinfo *
fifo_get(vnode_t vp)
{
	struct fifoinfo *fi, *made = NULL;

	for (;;) {
		lck_mtx_lock(&fifos.lock);
		if ((fi = vp->v_fifoinfo) == NULL && made != NULL) {
			vp->v_fifoinfo = fi = made;
			made = NULL;
			fifos.count++;
		}
		if (fi != NULL)
			fi->fi_refs++;
		lck_mtx_unlock(&fifos.lock);
		if (fi != NULL)
			break;
		made = kalloc(sizeof(*made));
		if (made == NULL)
			return NULL;
		memset(made, 0, sizeof(*made));
		made->fi_buf = kalloc(FIFO_SIZE);
		if (made->fi_buf == NULL) {
			kfree(made, sizeof(*made));
			return NULL;
		}
		lck_mtx_init(&made->fi_lock, &fifos.grp, LCK_ATTR_NULL);
	}
	if (made != NULL) {		/* another open made it first */
		lck_mtx_destroy(&made->fi_lock, &fifos.grp);
		kfree(made->fi_buf, FIFO_SIZE);
		kfree(made, sizeof(*made));
	}
	return fi;
}

/* Drop a reference; the last frees the fifoinfo and what it held. */
static void
fifo_rele(vnode_t vp, struct fifoinfo *fi)
{
	lck_mtx_lock(&fifos.lock);
	if (--fi->fi_refs != 0) {
		lck_mtx_unlock(&fifos.lock);
		return;
	}
	vp->v_fifoinfo = NULL;
	fifos.count--;
	lck_mtx_unlock(&fifos.lock);
	lck_mtx_destroy(&fi->fi_lock, &fifos.grp);
	kfree(fi->fi_buf, FIFO_SIZE);
	kfree(fi, sizeof(*fi));
}

unsigned
fifo_count(void)
{
	return fifos.ready ? __atomic_load_n(&fifos.count, __ATOMIC_RELAXED) : 0;
}

/* Someone may read or write now. Locks: [F]. */
static void
fifo_wakeup(struct fifoinfo *fi)
{
	wakeup(fi);
	selwakeup(&fi->fi_rsel);
	selwakeup(&fi->fi_wsel);
}

int
fifo_open(vnode_t vp, int fflag, vfs_context_t ctx)
{
	struct fifoinfo *fi;
	uint64_t seen;
	int error = 0;

	(void)ctx;
	if ((fi = fifo_get(vp)) == NULL)
		return ENOMEM;
	lck_mtx_lock(&fi->fi_lock);
	if (fflag & FREAD) {
		fi->fi_readers++;
		fi->fi_ropens++;
	}
	if (fflag & FWRITE) {
		fi->fi_writers++;
		fi->fi_wopens++;
	}
	fifo_wakeup(fi);
	if ((fflag & (FREAD | FWRITE)) == FREAD && !(fflag & O_NONBLOCK)) {
		/* A reader waits for a writer to come (or to have come and gone). */
		seen = fi->fi_wopens;
		while (fi->fi_writers == 0 && fi->fi_wopens == seen && error == 0)
			error = msleep(fi, &fi->fi_lock, PCATCH, "fifoor", NULL);
	} else if ((fflag & (FREAD | FWRITE)) == FWRITE && fi->fi_readers == 0) {
		if (fflag & O_NONBLOCK) {
			error = ENXIO;
		} else {
			seen = fi->fi_ropens;
			while (fi->fi_readers == 0 && fi->fi_ropens == seen && error == 0)
				error = msleep(fi, &fi->fi_lock, PCATCH, "fifoow", NULL);
		}
	}
	if (error != 0) {
		if (fflag & FREAD)
			fi->fi_readers--;
		if (fflag & FWRITE)
			fi->fi_writers--;
		fifo_wakeup(fi);
	}
	lck_mtx_unlock(&fi->fi_lock);
	if (error != 0)
		fifo_rele(vp, fi);
	return error;
}

int
fifo_close(vnode_t vp, int fflag, vfs_context_t ctx)
{
	struct fifoinfo *fi = vp->v_fifoinfo;

	(void)ctx;
	if (fi == NULL)
		return 0;
	lck_mtx_lock(&fi->fi_lock);
	if (fflag & FREAD)
		fi->fi_readers--;
	if (fflag & FWRITE)
		fi->fi_writers--;
	fifo_wakeup(fi);
	lck_mtx_unlock(&fi->fi_lock);
	fifo_rele(vp, fi);
	return 0;
}

int
fifo_read(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	struct fifoinfo *fi = vp->v_fifoinfo;
	int error = 0;

	(void)ctx;
	if (fi == NULL)
		return EBADF;
	lck_mtx_lock(&fi->fi_lock);
	while (fi->fi_count == 0 && error == 0) {
		if (fi->fi_writers == 0)
			goto out;		/* end of file */
		if (ioflag & IO_NDELAY)
			error = EAGAIN;
		else
			error = msleep(fi, &fi->fi_lock, PCATCH, "fiford", NULL);
	}
	while (error == 0 && uio_resid(uio) > 0 && fi->fi_count > 0) {
		int64_t k = MIN((int64_t)fi->fi_count, (int64_t)(FIFO_SIZE - fi->fi_head));
		int64_t before = uio_resid(uio), moved;

		error = uiomove(fi->fi_buf + fi->fi_head, MIN(k, before), uio);
		moved = before - uio_resid(uio);
		fi->fi_head = (fi->fi_head + (unsigned)moved) % FIFO_SIZE;
		fi->fi_count -= (unsigned)moved;
	}
	fifo_wakeup(fi);
out:
	lck_mtx_unlock(&fi->fi_lock);
	return error;
}

int
fifo_write(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	struct fifoinfo *fi = vp->v_fifoinfo;
	bool atomic = uio_resid(uio) <= PIPE_BUF;
	int error = 0;

	(void)ctx;
	if (fi == NULL)
		return EBADF;
	lck_mtx_lock(&fi->fi_lock);
	while (error == 0 && uio_resid(uio) > 0) {
		unsigned space = FIFO_SIZE - fi->fi_count, tail;
		int64_t before = uio_resid(uio);

		if (fi->fi_readers == 0) {
			error = EPIPE;
			break;
		}
		if (space == 0 || (atomic && space < before)) {
			if (ioflag & IO_NDELAY)
				error = EAGAIN;
			else
				error = msleep(fi, &fi->fi_lock, PCATCH, "fifowr", NULL);
			continue;
		}
		tail = (fi->fi_head + fi->fi_count) % FIFO_SIZE;
		error = uiomove(fi->fi_buf + tail,
		    MIN(MIN((int64_t)space, (int64_t)(FIFO_SIZE - tail)), before), uio);
		fi->fi_count += (unsigned)(before - uio_resid(uio));
		fifo_wakeup(fi);
	}
	lck_mtx_unlock(&fi->fi_lock);
	if (error == EPIPE)
		psignal(current_proc(), SIGPIPE);
	return error;
}

int
fifo_ioctl(vnode_t vp, unsigned long cmd, void *data, int fflag, vfs_context_t ctx)
{
	struct fifoinfo *fi = vp->v_fifoinfo;

	(void)fflag;
	(void)ctx;
	if (cmd != FIONREAD)
		return ENOTTY;
	if (fi == NULL)
		return EBADF;
	lck_mtx_lock(&fi->fi_lock);
	*(int *)data = (int)fi->fi_count;
	lck_mtx_unlock(&fi->fi_lock);
	return 0;
}

int
fifo_select(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx)
{
	struct fifoinfo *fi = vp->v_fifoinfo;
	proc_t p = vfs_context_proc(ctx);
	int ready = 0;

	(void)fflag;
	if (fi == NULL)
		return 1;
	lck_mtx_lock(&fi->fi_lock);
	if (which == FREAD) {
		ready = fi->fi_count > 0 || fi->fi_writers == 0;
		if (!ready)
			selrecord(p, &fi->fi_rsel, wql);
	} else if (which == FWRITE) {
		ready = fi->fi_count < FIFO_SIZE || fi->fi_readers == 0;
		if (!ready)
			selrecord(p, &fi->fi_wsel, wql);
	}
	lck_mtx_unlock(&fi->fi_lock);
	return ready;
}
