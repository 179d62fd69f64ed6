/*
 * sys_pipe.c - pipes (bsd/sys/pipe.h): pipe and pipe2, and the fileops
 * of their two ends.
 *
 * Readers take turns (PIPE_RBUSY) and so do writers (PIPE_WBUSY); the
 * one whose turn it is copies to or from the ring with the lock dropped,
 * which is safe because the bytes a reader copies out are not free until
 * it says so, and the room a writer fills is not data until it says so.
 * Taking turns is also what makes a write of up to PIPE_BUF bytes atomic.
 */

#include "bsd/sys/pipe.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/file_internal.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/ioctl.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/select.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/sysproto.h"
#include "kernel/copyio.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/sched_prim.h"

struct pipe {
	lck_mtx_t	pipe_lock;
	char		*pipe_buf;	/* [I] PIPE_SIZE bytes */
	unsigned	pipe_head;	/* [P] the oldest byte */
	unsigned	pipe_count;	/* [P] bytes buffered */
	int		pipe_readers;	/* [P] open read ends */
	int		pipe_writers;	/* [P] open write ends */
	int		pipe_state;	/* [P] PIPE_* */
	uint64_t	pipe_ino;	/* [I] for fstat */
	struct selinfo	pipe_rsel;	/* readers in select/poll */
	struct selinfo	pipe_wsel;	/* writers in select/poll */
};

#define PIPE_RBUSY	0x01		/* a reader has its turn */
#define PIPE_WBUSY	0x02		/* a writer has its turn */

static lck_grp_t pipe_lck_grp;
static int pipe_lck_grp_state;		/* [a] 0, 1 while being set up, 2 when ready */
static uint64_t pipe_next_ino = 1;	/* [a] */

static const struct fileops pipeops;

/* The lock group, set up by the first pipe; the others wait for it. */
static void
pipe_lck_grp_setup(void)
{
	int expected = 0;

	if (__atomic_load_n(&pipe_lck_grp_state, __ATOMIC_ACQUIRE) == 2)
		return;
	if (__atomic_compare_exchange_n(&pipe_lck_grp_state, &expected, 1, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		lck_grp_init(&pipe_lck_grp, "pipe", LCK_GRP_ATTR_NULL);
		__atomic_store_n(&pipe_lck_grp_state, 2, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&pipe_lck_grp_state, __ATOMIC_ACQUIRE) != 2)
		(void)thread_block(THREAD_CONTINUE_NULL);
}

static struct pipe *
pipe_alloc(void)
{
	struct pipe *cpipe = kalloc(sizeof(*cpipe));

	if (cpipe == NULL)
		return NULL;
	memset(cpipe, 0, sizeof(*cpipe));
	cpipe->pipe_buf = kalloc(PIPE_SIZE);
	if (cpipe->pipe_buf == NULL) {
		kfree(cpipe, sizeof(*cpipe));
		return NULL;
	}
	pipe_lck_grp_setup();
	lck_mtx_init(&cpipe->pipe_lock, &pipe_lck_grp, LCK_ATTR_NULL);
	cpipe->pipe_readers = 1;
	cpipe->pipe_writers = 1;
	cpipe->pipe_ino = __atomic_fetch_add(&pipe_next_ino, 1, __ATOMIC_RELAXED);
	return cpipe;
}

static void
pipe_free(struct pipe *cpipe)
{
	lck_mtx_destroy(&cpipe->pipe_lock, &pipe_lck_grp);
	kfree(cpipe->pipe_buf, PIPE_SIZE);
	kfree(cpipe, sizeof(*cpipe));
}

/* Something changed: wake sleepers and selects on both sides. Locks: [P] held. */
static void
pipe_wakeup(struct pipe *cpipe)
{
	wakeup(cpipe);
	selwakeup(&cpipe->pipe_rsel);
	selwakeup(&cpipe->pipe_wsel);
}

/*
 * The same after a write: its writer mostly waits for an answer next (a
 * request and its reply), so the reader is woken to run on this CPU once
 * the writer sleeps (wakeup_sync). Locks: [P] held.
 */
static void
pipe_wakeup_written(struct pipe *cpipe)
{
	wakeup_sync(cpipe);
	selwakeup(&cpipe->pipe_rsel);
	selwakeup(&cpipe->pipe_wsel);
}

/* Wait for and take the turn flag. Locks: [P] held. */
static int
pipe_turn(struct pipe *cpipe, int flag)
{
	while (cpipe->pipe_state & flag) {
		int error = msleep(cpipe, &cpipe->pipe_lock, PCATCH, "pipeturn", NULL);

		if (error != 0)
			return error;
	}
	cpipe->pipe_state |= flag;
	return 0;
}

static void
pipe_unturn(struct pipe *cpipe, int flag)
{
	cpipe->pipe_state &= ~flag;
	pipe_wakeup(cpipe);
}

static bool
fp_nonblock(struct fileproc *fp)
{
	return (__atomic_load_n(&fp->fp_glob->fg_flag, __ATOMIC_RELAXED) & O_NONBLOCK) != 0;
}

static int
pipe_read(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	struct pipe *cpipe = fp_get_data(fp);
	int error;

	(void)flags;
	(void)ctx;
	lck_mtx_lock(&cpipe->pipe_lock);
	if ((error = pipe_turn(cpipe, PIPE_RBUSY)) != 0)
		goto out_noturn;
	while (cpipe->pipe_count == 0) {
		if (cpipe->pipe_writers == 0)
			goto out;			/* end of file */
		if (fp_nonblock(fp)) {
			error = EAGAIN;
			goto out;
		}
		if ((error = msleep(cpipe, &cpipe->pipe_lock, PCATCH, "piperd", NULL)) != 0)
			goto out;
	}
	while (uio_resid(uio) > 0 && cpipe->pipe_count > 0) {
		int64_t k = MIN((int64_t)cpipe->pipe_count, (int64_t)(PIPE_SIZE - cpipe->pipe_head));
		int64_t before = uio_resid(uio), moved;

		k = MIN(k, before);
		lck_mtx_unlock(&cpipe->pipe_lock);
		error = uiomove(cpipe->pipe_buf + cpipe->pipe_head, k, uio);
		lck_mtx_lock(&cpipe->pipe_lock);
		moved = before - uio_resid(uio);
		cpipe->pipe_head = (cpipe->pipe_head + (unsigned)moved) % PIPE_SIZE;
		cpipe->pipe_count -= (unsigned)moved;
		if (error != 0)
			break;
	}
out:
	pipe_unturn(cpipe, PIPE_RBUSY);
out_noturn:
	lck_mtx_unlock(&cpipe->pipe_lock);
	return error;
}

static int
pipe_write(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	struct pipe *cpipe = fp_get_data(fp);
	bool atomic = uio_resid(uio) <= PIPE_BUF;
	int error;

	(void)flags;
	(void)ctx;
	lck_mtx_lock(&cpipe->pipe_lock);
	if ((error = pipe_turn(cpipe, PIPE_WBUSY)) != 0) {
		lck_mtx_unlock(&cpipe->pipe_lock);
		return error;
	}
	while (uio_resid(uio) > 0) {
		unsigned space = PIPE_SIZE - cpipe->pipe_count, tail;
		int64_t before = uio_resid(uio), k, moved;

		if (cpipe->pipe_readers == 0) {
			error = EPIPE;
			break;
		}
		if (space == 0 || (atomic && space < before)) {
			if (fp_nonblock(fp)) {
				error = EAGAIN;
				break;
			}
			error = msleep(cpipe, &cpipe->pipe_lock, PCATCH, "pipewr", NULL);
			if (error != 0)
				break;
			continue;
		}
		tail = (cpipe->pipe_head + cpipe->pipe_count) % PIPE_SIZE;
		k = MIN((int64_t)space, (int64_t)(PIPE_SIZE - tail));
		k = MIN(k, before);
		lck_mtx_unlock(&cpipe->pipe_lock);
		error = uiomove(cpipe->pipe_buf + tail, k, uio);
		lck_mtx_lock(&cpipe->pipe_lock);
		moved = before - uio_resid(uio);
		cpipe->pipe_count += (unsigned)moved;
		pipe_wakeup_written(cpipe);
		if (error != 0)
			break;
	}
	pipe_unturn(cpipe, PIPE_WBUSY);
	lck_mtx_unlock(&cpipe->pipe_lock);
	if (error == EPIPE)
		psignal(current_proc(), SIGPIPE);
	return error;
}

static int
pipe_ioctl(struct fileproc *fp, unsigned long com, void *data, vfs_context_t ctx)
{
	struct pipe *cpipe = fp_get_data(fp);

	(void)ctx;
	switch (com) {
	case FIONREAD:
		lck_mtx_lock(&cpipe->pipe_lock);
		*(int *)data = (int)cpipe->pipe_count;
		lck_mtx_unlock(&cpipe->pipe_lock);
		return 0;
	case FIONBIO:
	case FIOASYNC:
		return 0;
	default:
		return ENOTTY;
	}
}

static int
pipe_select(struct fileproc *fp, int which, void *wql, vfs_context_t ctx)
{
	struct pipe *cpipe = fp_get_data(fp);
	int ready = 0;

	lck_mtx_lock(&cpipe->pipe_lock);
	switch (which) {
	case FREAD:
		ready = cpipe->pipe_count > 0 || cpipe->pipe_writers == 0;
		if (!ready)
			selrecord(vfs_context_proc(ctx), &cpipe->pipe_rsel, wql);
		break;
	case FWRITE:
		ready = PIPE_SIZE - cpipe->pipe_count >= PIPE_BUF || cpipe->pipe_readers == 0;
		if (!ready)
			selrecord(vfs_context_proc(ctx), &cpipe->pipe_wsel, wql);
		break;
	default:
		break;
	}
	lck_mtx_unlock(&cpipe->pipe_lock);
	return ready;
}

int
pipe_hangup(struct fileproc *fp)
{
	struct pipe *cpipe = fp_get_data(fp);
	int hup;

	lck_mtx_lock(&cpipe->pipe_lock);
	if (fp->fp_glob->fg_flag & FREAD)
		hup = cpipe->pipe_writers == 0;
	else
		hup = cpipe->pipe_readers == 0;
	lck_mtx_unlock(&cpipe->pipe_lock);
	return hup;
}

static int
pipe_stat(struct fileproc *fp, struct stat *sb, vfs_context_t ctx)
{
	struct pipe *cpipe = fp_get_data(fp);
	kauth_cred_t cred = fp->fp_glob->fg_cred;

	(void)ctx;
	memset(sb, 0, sizeof(*sb));
	sb->st_mode = S_IFIFO | 0600;
	sb->st_nlink = 1;
	sb->st_ino = cpipe->pipe_ino;
	sb->st_uid = kauth_cred_getuid(cred);
	sb->st_gid = kauth_cred_getgid(cred);
	sb->st_blksize = PIPE_BUF;
	return 0;
}

static int
pipe_close(struct fileglob *fg, vfs_context_t ctx)
{
	struct pipe *cpipe = fg->fg_data;
	bool last;

	(void)ctx;
	if (cpipe == NULL)
		return 0;
	lck_mtx_lock(&cpipe->pipe_lock);
	if (fg->fg_flag & FREAD)
		cpipe->pipe_readers--;
	else
		cpipe->pipe_writers--;
	last = cpipe->pipe_readers == 0 && cpipe->pipe_writers == 0;
	pipe_wakeup(cpipe);
	lck_mtx_unlock(&cpipe->pipe_lock);
	if (last)
		pipe_free(cpipe);
	return 0;
}

static const struct fileops pipeops = {
	.fo_type = DTYPE_PIPE,
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_select = pipe_select,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
};

/* Make a pipe, its two ends at the lowest free descriptors. */
static int
pipe_create(proc_t p, uint64_t fildes, int flags)
{
	vfs_context_t ctx = vfs_context_current();
	uint32_t status = (flags & O_NONBLOCK) ? O_NONBLOCK : 0;
	struct fileproc *rfp, *wfp;
	struct pipe *cpipe;
	int fds[2], error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return EINVAL;
	if ((cpipe = pipe_alloc()) == NULL)
		return ENFILE;
	if ((error = falloc(p, &pipeops, cpipe, FREAD | status, &rfp, &fds[0], ctx)) != 0) {
		pipe_free(cpipe);
		return error;
	}
	if ((error = falloc(p, &pipeops, cpipe, FWRITE | status, &wfp, &fds[1], ctx)) != 0) {
		cpipe->pipe_writers = 0;
		(void)fp_drop(p, fds[0], rfp, 0);
		(void)fd_close(p, fds[0]);
		return error;
	}
	if (flags & O_CLOEXEC) {
		proc_fdlock(p);
		p->p_fd->fd_ofileflags[fds[0]] |= UF_EXCLOSE;
		p->p_fd->fd_ofileflags[fds[1]] |= UF_EXCLOSE;
		proc_fdunlock(p);
	}
	(void)fp_drop(p, fds[0], rfp, 0);
	(void)fp_drop(p, fds[1], wfp, 0);
	if ((error = copyout(fds, fildes, sizeof(fds))) != 0) {
		(void)fd_close(p, fds[0]);
		(void)fd_close(p, fds[1]);
	}
	return error;
}

int
pipe(struct proc *p, struct pipe_args *uap, int64_t *retval)
{
	*retval = 0;
	return pipe_create(p, uap->fildes, 0);
}

int
pipe2(struct proc *p, struct pipe2_args *uap, int64_t *retval)
{
	*retval = 0;
	return pipe_create(p, uap->fildes, (int)uap->flags);
}
