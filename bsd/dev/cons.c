/*
 * cons.c - the console terminal (bsd/dev/cons.h): its tty, its device
 * switch entries (XNU's cnopen, cnread, ...), and the thread that feeds
 * it console input.
 */

#include "bsd/dev/cons.h"

#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/file_internal.h"
#include "bsd/sys/proc_internal.h"
#include "kernel/console.h"
#include "libkern/panic.h"
#include "mach/kern/thread.h"

#define CONS_OUTCHUNK	128

static struct tty cons_tty_store;

struct tty *
cons_tty(void)
{
	return &cons_tty_store;
}

/* t_oproc: everything in t_outq to the console. Locks: t_lock held. */
static void
cons_start(struct tty *tp)
{
	char buf[CONS_OUTCHUNK];

	while (tp->t_outq.q_count > 0) {
		size_t n = 0;

		while (n < sizeof(buf) && tp->t_outq.q_count > 0) {
			buf[n++] = (char)(tp->t_outq.q_buf[tp->t_outq.q_head] & TTY_CHARMASK);
			tp->t_outq.q_head = (tp->t_outq.q_head + 1) % TTYHOG;
			tp->t_outq.q_count--;
		}
		console_write_raw(buf, n);
	}
}

/* The tty's input, while it owns the console's. */
static void __dead2
cons_input_thread(void *arg, wait_result_t wr)
{
	(void)arg;
	(void)wr;
	for (;;)
		(void)ttyinput(cons_getc_wait_owner(CONS_INPUT_TTY), &cons_tty_store);
}

static struct tty *
cons_dev_tty(dev_t dev)
{
	return minor(dev) == 0 ? &cons_tty_store : NULL;
}

static int
cnopen(dev_t dev, int flags, int devtype, proc_t p)
{
	(void)flags, (void)devtype, (void)p;
	if (cons_dev_tty(dev) == NULL)
		return ENXIO;
	return ttyopen(dev, &cons_tty_store);
}

static int
cnclose(dev_t dev, int flags, int devtype, proc_t p)
{
	(void)dev, (void)flags, (void)devtype, (void)p;
	return ttyclose(&cons_tty_store);
}

static int
cnread(dev_t dev, struct uio *uio, int ioflag)
{
	struct tty *tp = cons_dev_tty(dev);

	return tp != NULL ? ttread(tp, uio, ioflag) : ENXIO;
}

static int
cnwrite(dev_t dev, struct uio *uio, int ioflag)
{
	struct tty *tp = cons_dev_tty(dev);

	return tp != NULL ? ttwrite(tp, uio, ioflag) : ENXIO;
}

static int
cnioctl(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p)
{
	struct tty *tp = cons_dev_tty(dev);

	return tp != NULL ? ttioctl(tp, cmd, data, fflag, p) : ENXIO;
}

static int
cnselect(dev_t dev, int which, void *wql, proc_t p)
{
	struct tty *tp = cons_dev_tty(dev);

	return tp != NULL ? ttyselect(tp, which, wql, p) : 1;
}

static const struct cdevsw cons_cdevsw = {
	.d_open = cnopen,
	.d_close = cnclose,
	.d_read = cnread,
	.d_write = cnwrite,
	.d_ioctl = cnioctl,
	.d_select = cnselect,
	.d_ttys = cons_dev_tty,
	.d_type = D_TTY,
};

void
cons_init(void)
{
	struct tty *tp = &cons_tty_store;
	thread_t t;

	tty_init(tp, makedev(CONSOLE_MAJOR, 0), cons_start);
	tp->t_state |= TS_ISOPEN;
	if (cdevsw_add(CONSOLE_MAJOR, &cons_cdevsw) != CONSOLE_MAJOR)
		panic("cons_init: the console's major %d is taken", CONSOLE_MAJOR);
	tty_tty_init();

	/* The kernel's session controls the console; its group is in the foreground. */
	tty_reclaim(tp, kernproc);

	if (kernel_thread_start(cons_input_thread, NULL, &t) != KERN_SUCCESS)
		panic("cons_init: no thread for console input");
	thread_set_name(t, "cons input");
	thread_deallocate(t);
}

int
cons_fileglob_open(uint32_t fflags, vfs_context_t ctx, struct fileglob **fgp)
{
	dev_t dev = makedev(CONSOLE_MAJOR, 0);
	struct fileglob *fg;
	int error;

	if ((error = cnopen(dev, (int)fflags, 0, vfs_context_proc(ctx))) != 0)
		return error;
	fg = fileglob_alloc(&consolefileops, (void *)(uintptr_t)dev, fflags, ctx);
	if (fg == NULL)
		return ENOMEM;
	*fgp = fg;
	return 0;
}

void
cons_reclaim(void)
{
	tty_reclaim(&cons_tty_store, kernproc);
}

void
cons_end_line(void)
{
	struct tty *tp = &cons_tty_store;

	lck_mtx_lock(&tp->t_lock);
	if (tp->t_column != 0) {
		console_write_raw("\r\n", 2);
		tp->t_column = 0;
	}
	lck_mtx_unlock(&tp->t_lock);
}

void
cons_flush_input(void)
{
	struct tty *tp = &cons_tty_store;

	lck_mtx_lock(&tp->t_lock);
	ttyflush(tp, FREAD);
	lck_mtx_unlock(&tp->t_lock);
}
