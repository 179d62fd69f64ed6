/*
 * tty.h - terminals: struct tty and its line discipline (XNU's and BSD's
 * names: ttyinput, ttread, ttwrite, ttioctl, ttyselect, ttwakeup,
 * ttysleep).
 *
 * A tty sits between a device (the console's serial port, later others)
 * and the processes reading and writing it. Characters the device
 * receives go in through ttyinput; the line discipline edits them
 * (canonical mode: erase, kill, word erase, end of file), echoes them,
 * turns VINTR, VQUIT and VSUSP into signals for the foreground process
 * group, and makes them available to ttread. What processes write goes
 * through ttwrite's output processing (OPOST, ONLCR) into the output
 * queue, which the device's t_oproc drains.
 *
 * Three queues, each a ring of TTYHOG entries:
 *   t_rawq   characters typed but not yet readable: in canonical mode the
 *            line being edited; in non-canonical mode, everything
 *   t_canq   complete lines (canonical mode). An entry with TTY_DELIM set
 *            ends a line; TTY_EOF marks VEOF, which ends a line and is
 *            never returned to the reader.
 *   t_outq   output waiting for the device
 *
 * Job control: a tty may be the controlling terminal of one session
 * (t_sid, and that session's s_ttyp points back); t_pgid is its
 * foreground process group. They are ids, not pointers, so that a group
 * or session that goes away leaves nothing dangling; every use looks the
 * group up again under proc_list_lock. At boot the console is the
 * controlling terminal of the kernel's session (session 0, process group
 * 0), which programs started by the kernel inherit; any session leader
 * may take it from there with TIOCSCTTY.
 *
 * Invariants
 *   - t_rawq.q_count + t_canq.q_count <= TTYHOG; input beyond is dropped.
 *   - t_canq holds only whole lines: its last entry has TTY_DELIM.
 *
 * Locks for struct tty fields:
 *   [T] t_lock (a lck_mtx): everything but what is marked otherwise
 *   [I] set by tty_init
 * Lock order: proc_list_lock, then t_lock; t_lock, then the console lock
 *   (t_oproc). A tty never takes proc_list_lock or a process's locks with
 *   t_lock held: signals for the foreground group are posted after it is
 *   released.
 */

#ifndef BSD_SYS_TTY_H
#define BSD_SYS_TTY_H

#include <stdint.h>

#include "bsd/sys/proc.h"
#include "bsd/sys/select.h"
#include "bsd/sys/termios.h"
#include "bsd/sys/types.h"
#include "bsd/sys/uio.h"
#include "mach/kern/locks.h"

#define TTYHOG		4096		/* entries per queue */
#define TTY_CHARMASK	0x00ff
#define TTY_DELIM	0x0100		/* ends a line (t_canq) */
#define TTY_EOF		0x0200		/* VEOF: ends a line, not returned */
#define TTY_ECHOCTL	0x0400		/* echoed as two columns (^X): erase both */

/* A ring of characters and marks. */
struct tty_queue {
	uint16_t	q_buf[TTYHOG];
	unsigned	q_head;		/* the oldest entry */
	unsigned	q_count;	/* entries held */
};

/* ioflag of ttread and ttwrite (IO_NDELAY as the VFS's). */
#ifndef IO_NDELAY
#define IO_NDELAY	0x0004		/* do not block: EAGAIN (vnode_if.h's value) */
#endif

/* t_state */
#define TS_ISOPEN	0x0001		/* opened at least once */
#define TS_LNEXT	0x0002		/* the next character is data (VLNEXT) */

struct session;
struct pgrp;

struct tty {
	lck_mtx_t		t_lock;
	struct tty_queue	t_rawq;		/* [T] */
	struct tty_queue	t_canq;		/* [T] */
	struct tty_queue	t_outq;		/* [T] */
	struct termios		t_termios;	/* [T] */
	struct winsize		t_winsize;	/* [T] */
	int			t_state;	/* [T] TS_* */
	int			t_column;	/* [T] output column, for erase and tabs */
	int			t_rocount;	/* [T] rawq entries echoed since the last output */
	pid_t			t_pgid;		/* [T] foreground process group, or NO_PID */
	pid_t			t_sid;		/* [T] session of which this is the
						   controlling terminal, or NO_PID */
	uint64_t		t_lastinput;	/* [T] when input last arrived (VTIME) */
	uint64_t		t_gen;		/* [T] counts every wakeup */
	struct selinfo		t_rsel;		/* readers waiting in select/poll */
	struct selinfo		t_wsel;		/* writers waiting in select/poll */
	dev_t			t_dev;		/* [I] */
	/* [I] Start output: take what t_outq holds to the device. Called with t_lock held. */
	void			(*t_oproc)(struct tty *tp);
};

#define t_iflag		t_termios.c_iflag
#define t_oflag		t_termios.c_oflag
#define t_cflag		t_termios.c_cflag
#define t_lflag		t_termios.c_lflag
#define t_cc		t_termios.c_cc

/*
 * tty_init: a closed tty with Linux's default modes (ICANON, ECHO, ISIG,
 * ICRNL, OPOST|ONLCR, ^C ^\ ^? ^U ^D ^Z ^W) and no session, on the
 * caller's storage. oproc drains t_outq (see above).
 */
void	tty_init(struct tty *tp, dev_t dev, void (*oproc)(struct tty *tp));

/* tty_destroy: the end of a tty tty_init made (its lock). */
void	tty_destroy(struct tty *tp);

/* ttyopen, ttyclose: the device was opened or closed. Locks: none held. */
int	ttyopen(dev_t dev, struct tty *tp);
int	ttyclose(struct tty *tp);

/*
 * ttyinput: character c arrived from the device (or TIOCSTI): edit, echo,
 * queue, wake readers, signal the foreground group.
 * Locks: none held (takes t_lock, then may post signals).
 */
int	ttyinput(int c, struct tty *tp);

/*
 * ttread, ttwrite: read(2) and write(2). ioflag IO_NDELAY: EAGAIN rather
 * than block. Blocking waits are interruptible (EINTR). Background
 * processes get SIGTTIN and EIO/EINTR on read, SIGTTOU on write with
 * TOSTOP. Locks: none held.
 */
int	ttread(struct tty *tp, struct uio *uio, int ioflag);
int	ttwrite(struct tty *tp, struct uio *uio, int ioflag);

/*
 * ttioctl: the terminal ioctls (bsd/sys/ioctl.h) for process p; data is
 * the kernel's copy of the argument. ENOTTY for a command it does not
 * know. Locks: none held.
 */
int	ttioctl(struct tty *tp, unsigned long cmd, void *data, int fflag, proc_t p);

/*
 * ttyselect: ready for which (FREAD, FWRITE, 0)? 1, or 0 after
 * selrecord. Locks: none held.
 */
int	ttyselect(struct tty *tp, int which, void *wql, proc_t p);

/* ttyflush: discard input (FREAD), output (FWRITE), or both. Locks: t_lock held. */
void	ttyflush(struct tty *tp, int rw);

/* ttwakeup, ttwwakeup: wake readers, writers (and their selects). Locks: t_lock held. */
void	ttwakeup(struct tty *tp);
void	ttwwakeup(struct tty *tp);

/*
 * ttysleep: sleep on tp's wakeups until one comes, the deadline (0:
 * none) passes (EWOULDBLOCK), or a signal is pending (EINTR). Locks:
 * t_lock held; dropped while asleep and taken again.
 */
int	ttysleep(struct tty *tp, const char *wmesg, uint64_t deadline);

/*
 * tty_session_release: session s is ending (its leader exited): the
 * terminal it controlled forgets it and its foreground group gets
 * SIGHUP and SIGCONT. For the process layer to call; without it a tty
 * notices the session is gone when it next looks. Locks: none held.
 */
void	tty_session_release(struct session *s);

/*
 * tty_reclaim: if tp is the controlling terminal of no live session, it
 * becomes that of p's session, with p's process group in the foreground
 * (the console going back to the kernel's session once the session that
 * took it is gone); if it is already p's session's, p's group goes back
 * to the foreground. Locks: none held.
 */
void	tty_reclaim(struct tty *tp, proc_t p);

/*
 * tty_tty_init: /dev/tty's device switch at CTTY_MAJOR (bsd/kern/tty_tty.c):
 * each call goes to the calling process's controlling terminal; ENXIO
 * if it has none.
 */
void	tty_tty_init(void);

#endif /* BSD_SYS_TTY_H */
