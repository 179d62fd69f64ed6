/*
 * tty_tty.c - /dev/tty (CTTY_MAJOR): the calling process's controlling
 * terminal, whichever it is; ENXIO for a process without one (XNU's
 * cttyopen, cttyread, ...). Every call looks the terminal up again, so a
 * process that changes terminals (setsid, TIOCSCTTY) follows.
 */

#include "bsd/sys/tty.h"

#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "libkern/panic.h"

/*
 * The controlling terminal of the current process, and its driver's
 * switch; NULL if it has none (or the session let it go).
 */
static struct tty *
ctty_lookup(const struct cdevsw **cswp)
{
	proc_t p = current_proc();
	struct tty *tp = NULL;
	struct session *s;

	proc_list_lock();
	if (p->p_pgrp != NULL) {
		s = p->p_pgrp->pg_session;
		tp = s->s_ttyp;
		if (tp != NULL && tp->t_sid != s->s_sid)
			tp = NULL;
	}
	proc_list_unlock();
	if (tp == NULL)
		return NULL;
	*cswp = cdevsw_lookup(major(tp->t_dev));
	return *cswp != NULL ? tp : NULL;
}

static int
cttyopen(dev_t dev, int flags, int devtype, proc_t p)
{
	const struct cdevsw *csw;
	struct tty *tp = ctty_lookup(&csw);

	(void)dev;
	if (tp == NULL)
		return ENXIO;
	return csw->d_open != NULL ? csw->d_open(tp->t_dev, flags, devtype, p) : 0;
}

static int
cttyread(dev_t dev, struct uio *uio, int ioflag)
{
	const struct cdevsw *csw;
	struct tty *tp = ctty_lookup(&csw);

	(void)dev;
	return tp != NULL ? csw->d_read(tp->t_dev, uio, ioflag) : ENXIO;
}

static int
cttywrite(dev_t dev, struct uio *uio, int ioflag)
{
	const struct cdevsw *csw;
	struct tty *tp = ctty_lookup(&csw);

	(void)dev;
	return tp != NULL ? csw->d_write(tp->t_dev, uio, ioflag) : ENXIO;
}

static int
cttyioctl(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p)
{
	const struct cdevsw *csw;
	struct tty *tp = ctty_lookup(&csw);

	(void)dev;
	return tp != NULL ? csw->d_ioctl(tp->t_dev, cmd, data, fflag, p) : ENXIO;
}

static int
cttyselect(dev_t dev, int which, void *wql, proc_t p)
{
	const struct cdevsw *csw;
	struct tty *tp = ctty_lookup(&csw);

	(void)dev;
	/* Without a terminal every call fails at once: ready, so it is made. */
	return tp != NULL ? csw->d_select(tp->t_dev, which, wql, p) : 1;
}

static const struct cdevsw ctty_cdevsw = {
	.d_open = cttyopen,
	.d_close = nulldev_close,
	.d_read = cttyread,
	.d_write = cttywrite,
	.d_ioctl = cttyioctl,
	.d_select = cttyselect,
	.d_type = D_TTY,
};

void
tty_tty_init(void)
{
	if (cdevsw_add(CTTY_MAJOR, &ctty_cdevsw) != CTTY_MAJOR)
		panic("tty_tty_init: /dev/tty's major %d is taken", CTTY_MAJOR);
}
