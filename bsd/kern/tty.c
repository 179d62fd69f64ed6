/*
 * tty.c - the terminal line discipline (bsd/sys/tty.h): input editing,
 * echo, signals, canonical and non-canonical reads, output processing,
 * the terminal ioctls and job control.
 *
 * Input arrives one character at a time (ttyinput) from the device's
 * thread or from TIOCSTI. Canonical mode keeps the line being typed in
 * t_rawq, where erase, word erase and kill edit it, and moves it to t_canq
 * when a newline, VEOL or VEOF ends it; a read then returns at most one
 * line. Non-canonical mode queues everything in t_rawq and reads follow
 * VMIN and VTIME. Output goes through ttyoutput into t_outq and on to
 * the device's t_oproc at once: no writer ever waits for the device.
 */

#include "bsd/sys/tty.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/file_internal.h"
#include "bsd/sys/ioctl.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/user.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/thread.h"

#define TTY_CHUNK	256		/* bytes moved per uiomove */
#define NSEC_PER_DECISEC (NSEC_PER_SEC / 10)	/* VTIME's unit */

static lck_grp_t tty_lck_grp;
static bool tty_lck_grp_ready;

/* --- queues -------------------------------------------------------------------- */

static bool
q_put(struct tty_queue *q, uint16_t e)
{
	if (q->q_count >= TTYHOG)
		return false;
	q->q_buf[(q->q_head + q->q_count) % TTYHOG] = e;
	q->q_count++;
	return true;
}

static uint16_t
q_get(struct tty_queue *q)
{
	uint16_t e = q->q_buf[q->q_head];

	q->q_head = (q->q_head + 1) % TTYHOG;
	q->q_count--;
	return e;
}

static uint16_t
q_last(const struct tty_queue *q)
{
	return q->q_buf[(q->q_head + q->q_count - 1) % TTYHOG];
}

static uint16_t
q_unput(struct tty_queue *q)
{
	uint16_t e = q_last(q);

	q->q_count--;
	return e;
}

static void
q_flush(struct tty_queue *q)
{
	q->q_head = 0;
	q->q_count = 0;
}

/* --- set-up ---------------------------------------------------------------------- */

static const cc_t tty_default_cc[NCCS] = {
	[VINTR] = CINTR, [VQUIT] = CQUIT, [VERASE] = CERASE, [VKILL] = CKILL,
	[VEOF] = CEOF, [VTIME] = 0, [VMIN] = 1, [VSTART] = CSTART, [VSTOP] = CSTOP,
	[VSUSP] = CSUSP, [VEOL] = _POSIX_VDISABLE, [VREPRINT] = CREPRINT,
	[VDISCARD] = CDISCARD, [VWERASE] = CWERASE, [VLNEXT] = CLNEXT,
	[VEOL2] = _POSIX_VDISABLE,
};

void
tty_init(struct tty *tp, dev_t dev, void (*oproc)(struct tty *tp))
{
	/* The first tty is the console's, made at boot before anything else runs. */
	if (!tty_lck_grp_ready) {
		lck_grp_init(&tty_lck_grp, "tty", LCK_GRP_ATTR_NULL);
		tty_lck_grp_ready = true;
	}
	memset(tp, 0, sizeof(*tp));
	lck_mtx_init(&tp->t_lock, &tty_lck_grp, LCK_ATTR_NULL);
	tp->t_iflag = ICRNL;
	tp->t_oflag = OPOST | ONLCR;
	tp->t_cflag = B38400 | CS8 | CREAD | HUPCL;
	tp->t_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(tp->t_cc, tty_default_cc, sizeof(tp->t_cc));
	tp->t_winsize.ws_row = 24;
	tp->t_winsize.ws_col = 80;
	tp->t_pgid = NO_PID;
	tp->t_sid = NO_PID;
	tp->t_dev = dev;
	tp->t_oproc = oproc;
}

void
tty_destroy(struct tty *tp)
{
	lck_mtx_destroy(&tp->t_lock, &tty_lck_grp);
}

int
ttyopen(dev_t dev, struct tty *tp)
{
	(void)dev;
	lck_mtx_lock(&tp->t_lock);
	tp->t_state |= TS_ISOPEN;
	lck_mtx_unlock(&tp->t_lock);
	return 0;
}

int
ttyclose(struct tty *tp)
{
	(void)tp;
	return 0;
}

/* --- job control ------------------------------------------------------------------ */

/* What the tty needs to know about a process, read under proc_list_lock. */
struct tty_procinfo {
	pid_t	pi_pgid;
	pid_t	pi_sid;
	bool	pi_ctty;	/* its session's controlling terminal is this tty */
	bool	pi_leader;	/* it leads its session */
};

static void
tty_procinfo_locked(proc_t p, struct tty *tp, struct tty_procinfo *pi)
{
	struct pgrp *pg = p->p_pgrp;

	pi->pi_pgid = NO_PID;
	pi->pi_sid = NO_PID;
	pi->pi_ctty = false;
	pi->pi_leader = false;
	if (pg == NULL)
		return;
	pi->pi_pgid = pg->pg_id;
	pi->pi_sid = pg->pg_session->s_sid;
	pi->pi_ctty = pg->pg_session->s_ttyp == tp;
	pi->pi_leader = pg->pg_session->s_leader == p;
}

static void
tty_procinfo(proc_t p, struct tty *tp, struct tty_procinfo *pi)
{
	proc_list_lock();
	tty_procinfo_locked(p, tp, pi);
	proc_list_unlock();
}

/* p's session controls tp. Locks: t_lock held. */
static bool
tty_isctty(struct tty *tp, const struct tty_procinfo *pi)
{
	return pi->pi_ctty && tp->t_sid == pi->pi_sid;
}

/* A live process group with that id, in session sid if sid is not NO_PID. Locks: [L]. */
static struct pgrp *
tty_pgfind_locked(pid_t pgid)
{
	proc_t p;

	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pgrp != NULL && p->p_pgrp->pg_id == pgid)
			return p->p_pgrp;
	}
	return NULL;
}

/* A live session with that id still has tp as its terminal. Locks: [L]. */
static bool
tty_session_alive_locked(struct tty *tp, pid_t sid)
{
	proc_t p;

	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pgrp != NULL && p->p_pgrp->pg_session->s_sid == sid)
			return p->p_pgrp->pg_session->s_ttyp == tp;
	}
	return false;
}

/*
 * Post sig to every process in group pgid. The group is found again by
 * its id, under proc_list_lock, so a group that has gone is simply not
 * found. Locks: none held (not t_lock).
 */
static void
tty_pgsignal(pid_t pgid, int sig)
{
	proc_t p;

	if (pgid == NO_PID || sig == 0)
		return;
	proc_list_lock();
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pgrp != NULL && p->p_pgrp->pg_id == pgid)
			psignal(p, sig);
	}
	proc_list_unlock();
}

/* The calling thread blocks sig (for SIGTTIN and SIGTTOU). */
static bool
tty_sig_blocked(int sig)
{
	struct uthread *ut = get_bsdthread_info(current_thread());
	bool blocked;

	if (ut == NULL)
		return true;
	proc_signal_lock(ut->uu_proc);
	blocked = sigismember(&ut->uu_sigmask, sig);
	proc_signal_unlock(ut->uu_proc);
	return blocked;
}

void
tty_session_release(struct session *s)
{
	struct tty *tp;
	pid_t pgid = NO_PID;

	proc_list_lock();
	tp = s->s_ttyp;
	s->s_ttyp = NULL;
	if (tp != NULL) {
		lck_mtx_lock(&tp->t_lock);
		if (tp->t_sid == s->s_sid) {
			pgid = tp->t_pgid;
			tp->t_sid = NO_PID;
			tp->t_pgid = NO_PID;
		}
		lck_mtx_unlock(&tp->t_lock);
	}
	proc_list_unlock();
	tty_pgsignal(pgid, SIGHUP);
	tty_pgsignal(pgid, SIGCONT);
}

void
tty_reclaim(struct tty *tp, proc_t p)
{
	struct session *s;

	proc_list_lock();
	lck_mtx_lock(&tp->t_lock);
	s = p->p_pgrp != NULL ? p->p_pgrp->pg_session : NULL;
	if (s != NULL && s->s_ttyp == tp && tp->t_sid == s->s_sid) {
		tp->t_pgid = p->p_pgrp->pg_id;		/* already p's: its group to the fore */
	} else if (s != NULL && (s->s_ttyp == NULL || s->s_ttyp == tp) &&
	    (tp->t_sid == NO_PID || !tty_session_alive_locked(tp, tp->t_sid))) {
		s->s_ttyp = tp;
		tp->t_sid = s->s_sid;
		tp->t_pgid = p->p_pgrp->pg_id;
	}
	lck_mtx_unlock(&tp->t_lock);
	proc_list_unlock();
}

/* --- sleeping and waking ---------------------------------------------------------- */

int
ttysleep(struct tty *tp, const char *wmesg, uint64_t deadline)
{
	lck_mtx_assert(&tp->t_lock, LCK_MTX_ASSERT_OWNED);
	return msleep0(tp, &tp->t_lock, PCATCH, wmesg, deadline);
}

void
ttwakeup(struct tty *tp)
{
	tp->t_gen++;
	wakeup(tp);
	selwakeup(&tp->t_rsel);
}

void
ttwwakeup(struct tty *tp)
{
	wakeup(tp);
	selwakeup(&tp->t_wsel);
}

void
ttyflush(struct tty *tp, int rw)
{
	if (rw & FREAD) {
		q_flush(&tp->t_rawq);
		q_flush(&tp->t_canq);
		tp->t_rocount = 0;
		ttwakeup(tp);
	}
	if (rw & FWRITE) {
		q_flush(&tp->t_outq);
		ttwwakeup(tp);
	}
}

/* --- output ----------------------------------------------------------------------- */

/* Start output: the device takes t_outq. Locks: t_lock held. */
static void
ttstart(struct tty *tp)
{
	if (tp->t_oproc != NULL)
		tp->t_oproc(tp);
	else
		q_flush(&tp->t_outq);
}

/* One raw byte to t_outq, draining it first if full. Locks: t_lock held. */
static void
tty_putout(struct tty *tp, int c)
{
	if (!q_put(&tp->t_outq, (uint16_t)(c & TTY_CHARMASK))) {
		ttstart(tp);
		(void)q_put(&tp->t_outq, (uint16_t)(c & TTY_CHARMASK));
	}
}

/* c through output processing (OPOST) to t_outq. Locks: t_lock held. */
static void
ttyoutput(int c, struct tty *tp)
{
	c &= TTY_CHARMASK;
	if (!(tp->t_oflag & OPOST)) {
		tty_putout(tp, c);
		return;
	}
	if (c == '\n' && (tp->t_oflag & ONLCR)) {
		tty_putout(tp, '\r');
		tty_putout(tp, '\n');
		tp->t_column = 0;
		return;
	}
	if (c == '\r' && (tp->t_oflag & OCRNL))
		c = '\n';
	if (c == '\r' && (tp->t_oflag & ONOCR) && tp->t_column == 0)
		return;
	tty_putout(tp, c);
	switch (c) {
	case '\n':
		if (tp->t_oflag & ONLRET)
			tp->t_column = 0;
		break;
	case '\r':
		tp->t_column = 0;
		break;
	case '\b':
		if (tp->t_column > 0)
			tp->t_column--;
		break;
	case '\t':
		tp->t_column = (tp->t_column | 7) + 1;
		break;
	default:
		if (c >= ' ' && c != 0x7f)
			tp->t_column++;
		break;
	}
}

static bool
tty_isctl(int c)
{
	return (c < ' ' && c != '\t' && c != '\n') || c == 0x7f;
}

/*
 * Echo c as typed (ECHO; ECHONL for a newline); control characters as ^X
 * under ECHOCTL. Returns the mark for its queue entry (TTY_ECHOCTL if it
 * took two columns). Locks: t_lock held.
 */
static uint16_t
ttyecho(int c, struct tty *tp)
{
	c &= TTY_CHARMASK;
	if (!(tp->t_lflag & ECHO) && !(c == '\n' && (tp->t_lflag & ECHONL)))
		return 0;
	if ((tp->t_lflag & ECHOCTL) && tty_isctl(c)) {
		ttyoutput('^', tp);
		ttyoutput(c == 0x7f ? '?' : c + '@', tp);
		return TTY_ECHOCTL;
	}
	ttyoutput(c, tp);
	return 0;
}

/* Take the last entry of the line being typed off the screen. Locks: t_lock held. */
static void
ttyrub(uint16_t e, struct tty *tp)
{
	int n = (e & TTY_ECHOCTL) ? 2 : 1;

	if (!(tp->t_lflag & ECHO))
		return;
	if (!(tp->t_lflag & ECHOE)) {
		(void)ttyecho(tp->t_cc[VERASE], tp);
		return;
	}
	while (n-- > 0) {
		ttyoutput('\b', tp);
		ttyoutput(' ', tp);
		ttyoutput('\b', tp);
	}
}

/* --- input ------------------------------------------------------------------------ */

static bool
cc_is(const struct tty *tp, int idx, int c)
{
	return tp->t_cc[idx] != _POSIX_VDISABLE && tp->t_cc[idx] == c;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t';
}

/* The line being typed is done: it moves to t_canq, readers wake. Locks: t_lock held. */
static void
ttyendline(struct tty *tp)
{
	while (tp->t_rawq.q_count > 0)
		(void)q_put(&tp->t_canq, q_get(&tp->t_rawq));
	tp->t_rocount = 0;
	ttwakeup(tp);
}

/* Canonical editing of c; true if it was an editing character. Locks: t_lock held. */
static bool
ttyedit(int c, struct tty *tp)
{
	struct tty_queue *rq = &tp->t_rawq;

	if (cc_is(tp, VERASE, c) || (c == '\b' && cc_is(tp, VERASE, CERASE))) {
		if (rq->q_count > 0)
			ttyrub(q_unput(rq), tp);
		return true;
	}
	if (cc_is(tp, VWERASE, c) && (tp->t_lflag & IEXTEN)) {
		while (rq->q_count > 0 && is_space(q_last(rq) & TTY_CHARMASK))
			ttyrub(q_unput(rq), tp);
		while (rq->q_count > 0 && !is_space(q_last(rq) & TTY_CHARMASK))
			ttyrub(q_unput(rq), tp);
		return true;
	}
	if (cc_is(tp, VKILL, c)) {
		if ((tp->t_lflag & (ECHOKE | ECHOE)) == (ECHOKE | ECHOE)) {
			while (rq->q_count > 0)
				ttyrub(q_unput(rq), tp);
		} else {
			(void)ttyecho(c, tp);
			if (tp->t_lflag & ECHOK)
				(void)ttyecho('\n', tp);
			q_flush(rq);
		}
		return true;
	}
	return false;
}

/* Room for one more entry of input (one is kept for a line's end). Locks: t_lock held. */
static bool
tty_room(const struct tty *tp, bool delim)
{
	unsigned used = tp->t_rawq.q_count + tp->t_canq.q_count;

	return used + (delim ? 0 : 1) < TTYHOG;
}

/* ttyinput's work under t_lock; returns the signal to post to t_pgid, or 0. */
static int
ttyinput_locked(int c, struct tty *tp)
{
	tcflag_t iflag = tp->t_iflag, lflag = tp->t_lflag;
	uint16_t mark;

	c &= TTY_CHARMASK;
	if (iflag & ISTRIP)
		c &= 0x7f;
	if (tp->t_state & TS_LNEXT) {
		/* The character after VLNEXT is data, whatever it is. */
		tp->t_state &= ~TS_LNEXT;
		if (tty_room(tp, false)) {
			if (lflag & ECHO)
				ttyoutput('\b', tp);	/* over the ^ shown for VLNEXT */
			mark = ttyecho(c, tp);
			(void)q_put(&tp->t_rawq, (uint16_t)c | mark);
			tp->t_lastinput = mach_absolute_time();
			if (!(lflag & ICANON))
				ttwakeup(tp);
		}
		ttstart(tp);
		return 0;
	}
	if (c == '\r') {
		if (iflag & IGNCR)
			return 0;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if (lflag & ISIG) {
		int sig = cc_is(tp, VINTR, c) ? SIGINT : cc_is(tp, VQUIT, c) ? SIGQUIT :
		    cc_is(tp, VSUSP, c) ? SIGTSTP : 0;

		if (sig != 0) {
			if (!(lflag & NOFLSH))
				ttyflush(tp, FREAD | FWRITE);
			(void)ttyecho(c, tp);
			ttstart(tp);
			ttwakeup(tp);
			return sig;
		}
	}
	tp->t_lastinput = mach_absolute_time();
	if (!(lflag & ICANON)) {
		if (!tty_room(tp, true))
			return 0;
		mark = ttyecho(c, tp);
		(void)q_put(&tp->t_rawq, (uint16_t)c | mark);
		ttstart(tp);
		ttwakeup(tp);
		return 0;
	}
	if (cc_is(tp, VLNEXT, c) && (lflag & IEXTEN)) {	/* canonical mode only */
		tp->t_state |= TS_LNEXT;
		if (tp->t_lflag & ECHO)
			ttyoutput('^', tp);
		ttstart(tp);
		return 0;
	}
	if (ttyedit(c, tp)) {
		ttstart(tp);
		return 0;
	}
	if (c == '\n' || cc_is(tp, VEOL, c) || cc_is(tp, VEOL2, c)) {
		if (!tty_room(tp, true))
			return 0;
		mark = ttyecho(c, tp);
		(void)q_put(&tp->t_rawq, (uint16_t)c | TTY_DELIM | mark);
		ttyendline(tp);
	} else if (cc_is(tp, VEOF, c)) {
		if (!tty_room(tp, true))
			return 0;
		(void)q_put(&tp->t_rawq, (uint16_t)c | TTY_DELIM | TTY_EOF);
		ttyendline(tp);
	} else {
		if (!tty_room(tp, false))
			return 0;
		mark = ttyecho(c, tp);
		(void)q_put(&tp->t_rawq, (uint16_t)c | mark);
		tp->t_rocount++;
	}
	ttstart(tp);
	return 0;
}

int
ttyinput(int c, struct tty *tp)
{
	int sig;
	pid_t pgid;

	lck_mtx_lock(&tp->t_lock);
	sig = ttyinput_locked(c, tp);
	pgid = tp->t_pgid;
	lck_mtx_unlock(&tp->t_lock);
	if (sig != 0)
		tty_pgsignal(pgid, sig);
	return 0;
}

/* --- read and write --------------------------------------------------------------- */

/*
 * A background process of tp's session reading (sig SIGTTIN) or writing
 * with TOSTOP (SIGTTOU): 0 to go on, or the error to return.
 */
static int
tty_bgcheck(struct tty *tp, int sig)
{
	proc_t p = current_proc();
	struct tty_procinfo pi;
	bool bg;

	if (p == kernproc)
		return 0;
	if (sig == SIGTTOU && !(__atomic_load_n(&tp->t_lflag, __ATOMIC_RELAXED) & TOSTOP))
		return 0;
	tty_procinfo(p, tp, &pi);
	lck_mtx_lock(&tp->t_lock);
	bg = tty_isctty(tp, &pi) && tp->t_pgid != pi.pi_pgid;
	lck_mtx_unlock(&tp->t_lock);
	if (!bg)
		return 0;
	if (tty_sig_blocked(sig))
		return sig == SIGTTIN ? EIO : 0;
	tty_pgsignal(pi.pi_pgid, sig);
	return EINTR;
}

/* Characters readable now (FIONREAD). Locks: t_lock held. */
static int
tty_readable(struct tty *tp)
{
	int n = (int)tp->t_rawq.q_count;

	if (tp->t_lflag & ICANON)
		n = 0;
	for (unsigned i = 0; i < tp->t_canq.q_count; i++) {
		if (!(tp->t_canq.q_buf[(tp->t_canq.q_head + i) % TTYHOG] & TTY_EOF))
			n++;
	}
	return n;
}

/*
 * Wait until a read may go on: 0 with data to take (or none, if the
 * non-canonical rules say return now), or an error. Locks: t_lock held.
 */
static int
ttread_wait(struct tty *tp, int64_t resid, int ioflag)
{
	uint64_t start = mach_absolute_time();

	for (;;) {
		unsigned avail = tp->t_rawq.q_count + tp->t_canq.q_count;
		unsigned vmin = tp->t_cc[VMIN], vtime = tp->t_cc[VTIME];
		uint64_t deadline = 0;
		int error;

		if (tp->t_lflag & ICANON) {
			if (tp->t_canq.q_count > 0)
				return 0;
		} else {
			if (vmin == 0 && vtime == 0)
				return 0;
			if (vmin == 0 && avail > 0)
				return 0;
			if (vmin > 0 && avail >= MIN((uint64_t)vmin, (uint64_t)resid))
				return 0;
			if (vtime > 0 && vmin == 0)
				deadline = start + vtime * NSEC_PER_DECISEC;
			else if (vtime > 0 && avail > 0)
				deadline = tp->t_lastinput + vtime * NSEC_PER_DECISEC;
			if (deadline != 0 && mach_absolute_time() >= deadline)
				return 0;
		}
		if (ioflag & IO_NDELAY)
			return avail > 0 && !(tp->t_lflag & ICANON) ? 0 : EAGAIN;
		error = ttysleep(tp, "ttyin", deadline);
		if (error == EWOULDBLOCK)
			return 0;
		if (error != 0)
			return error;
	}
}

/*
 * Take up to size characters for the reader into buf: in canonical mode
 * up to the end of one line (VEOF's mark is taken, never returned).
 * Returns how many; *eol says the line (or an EOF) was reached.
 * Locks: t_lock held.
 */
static int
ttread_take(struct tty *tp, char *buf, int size, bool *eol)
{
	int n = 0;

	*eol = false;
	while (n < size && !*eol) {
		uint16_t e;

		if (tp->t_canq.q_count > 0)
			e = q_get(&tp->t_canq);
		else if (!(tp->t_lflag & ICANON) && tp->t_rawq.q_count > 0)
			e = q_get(&tp->t_rawq);
		else
			break;
		if ((tp->t_lflag & ICANON) && (e & TTY_DELIM))
			*eol = true;
		if (!(e & TTY_EOF))
			buf[n++] = (char)(e & TTY_CHARMASK);
	}
	return n;
}

int
ttread(struct tty *tp, struct uio *uio, int ioflag)
{
	char buf[TTY_CHUNK];
	int error;
	bool eol = false, first = true;

	if ((error = tty_bgcheck(tp, SIGTTIN)) != 0)
		return error;
	lck_mtx_lock(&tp->t_lock);
	while (uio_resid(uio) > 0 && !eol) {
		int n;

		if (first) {
			error = ttread_wait(tp, uio_resid(uio), ioflag);
			if (error != 0)
				break;
			first = false;
		}
		n = ttread_take(tp, buf, (int)MIN(uio_resid(uio), (int64_t)sizeof(buf)), &eol);
		if (n == 0)
			break;
		lck_mtx_unlock(&tp->t_lock);
		error = uiomove(buf, n, uio);
		lck_mtx_lock(&tp->t_lock);
		if (error != 0)
			break;
		if (!(tp->t_lflag & ICANON) && tp->t_canq.q_count + tp->t_rawq.q_count == 0)
			break;
	}
	lck_mtx_unlock(&tp->t_lock);
	return error;
}

int
ttwrite(struct tty *tp, struct uio *uio, int ioflag)
{
	char buf[TTY_CHUNK];
	int error;

	(void)ioflag;
	if ((error = tty_bgcheck(tp, SIGTTOU)) != 0)
		return error;
	while (uio_resid(uio) > 0) {
		int64_t before = uio_resid(uio);
		int64_t n = MIN(before, (int64_t)sizeof(buf));

		error = uiomove(buf, n, uio);
		n = before - uio_resid(uio);
		lck_mtx_lock(&tp->t_lock);
		for (int64_t i = 0; i < n; i++)
			ttyoutput((unsigned char)buf[i], tp);
		ttstart(tp);
		lck_mtx_unlock(&tp->t_lock);
		if (error != 0)
			return error;
	}
	return 0;
}

int
ttyselect(struct tty *tp, int which, void *wql, proc_t p)
{
	int ready = 0;

	lck_mtx_lock(&tp->t_lock);
	switch (which) {
	case FREAD:
		if (tp->t_lflag & ICANON)
			ready = tp->t_canq.q_count > 0;
		else
			ready = tp->t_canq.q_count + tp->t_rawq.q_count > 0;
		if (!ready)
			selrecord(p, &tp->t_rsel, wql);
		break;
	case FWRITE:
		ready = 1;		/* output never waits for the device */
		break;
	default:
		break;
	}
	lck_mtx_unlock(&tp->t_lock);
	return ready;
}

/* --- ioctl ------------------------------------------------------------------------ */

static int
tty_setattr(struct tty *tp, unsigned long cmd, const struct termios *t)
{
	lck_mtx_lock(&tp->t_lock);
	ttstart(tp);			/* TCSETSW: output is already gone */
	if (cmd == TCSETSF)
		ttyflush(tp, FREAD);
	tp->t_termios = *t;
	ttwakeup(tp);			/* VMIN, VTIME or ICANON may have changed */
	lck_mtx_unlock(&tp->t_lock);
	return 0;
}

/* TIOCSCTTY: p (a session leader with no terminal) takes tp. */
static int
tty_sctty(struct tty *tp, proc_t p, int force)
{
	bool root = proc_suser(p);
	struct session *s;
	int error = 0;

	proc_list_lock();
	if (p->p_pgrp == NULL || p->p_pgrp->pg_session->s_leader != p) {
		proc_list_unlock();
		return EPERM;
	}
	s = p->p_pgrp->pg_session;
	if (s->s_ttyp == tp) {
		proc_list_unlock();
		return 0;
	}
	if (s->s_ttyp != NULL) {
		proc_list_unlock();
		return EPERM;
	}
	lck_mtx_lock(&tp->t_lock);
	/* The kernel's session (0) gives the console up to anyone. */
	if (tp->t_sid != NO_PID && tp->t_sid != 0 && tty_session_alive_locked(tp, tp->t_sid)) {
		if (force != 1 || !root)
			error = EPERM;
	}
	if (error == 0) {
		proc_t q;

		LIST_FOREACH(q, &allproc, p_list) {
			if (q->p_pgrp != NULL && q->p_pgrp->pg_session->s_ttyp == tp)
				q->p_pgrp->pg_session->s_ttyp = NULL;
		}
		s->s_ttyp = tp;
		tp->t_sid = s->s_sid;
		tp->t_pgid = p->p_pgrp->pg_id;
	}
	lck_mtx_unlock(&tp->t_lock);
	proc_list_unlock();
	return error;
}

/* TIOCSPGRP: the foreground group becomes pgid, of the caller's session. */
static int
tty_spgrp(struct tty *tp, proc_t p, pid_t pgid)
{
	struct tty_procinfo pi;
	struct pgrp *pg;
	int error = 0;

	if (pgid < 0)
		return EINVAL;
	proc_list_lock();
	tty_procinfo_locked(p, tp, &pi);
	pg = tty_pgfind_locked(pgid);
	lck_mtx_lock(&tp->t_lock);
	if (!tty_isctty(tp, &pi))
		error = ENOTTY;
	else if (pg == NULL)
		error = ESRCH;
	else if (pg->pg_session->s_sid != pi.pi_sid)
		error = EPERM;
	else
		tp->t_pgid = pgid;
	lck_mtx_unlock(&tp->t_lock);
	proc_list_unlock();
	return error;
}

/* TIOCNOTTY: a session leader gives its terminal up. */
static int
tty_notty(struct tty *tp, proc_t p)
{
	struct tty_procinfo pi;
	pid_t pgid = NO_PID;
	bool ctty;

	proc_list_lock();
	tty_procinfo_locked(p, tp, &pi);
	lck_mtx_lock(&tp->t_lock);
	ctty = tty_isctty(tp, &pi);
	if (ctty && pi.pi_leader) {
		pgid = tp->t_pgid;
		tp->t_sid = NO_PID;
		tp->t_pgid = NO_PID;
		p->p_pgrp->pg_session->s_ttyp = NULL;
	}
	lck_mtx_unlock(&tp->t_lock);
	proc_list_unlock();
	if (!ctty)
		return ENOTTY;
	tty_pgsignal(pgid, SIGHUP);
	tty_pgsignal(pgid, SIGCONT);
	return 0;
}

/* tp is p's controlling terminal. */
static bool
tty_is_callers(struct tty *tp, proc_t p)
{
	struct tty_procinfo pi;
	bool ctty;

	tty_procinfo(p, tp, &pi);
	lck_mtx_lock(&tp->t_lock);
	ctty = tty_isctty(tp, &pi);
	lck_mtx_unlock(&tp->t_lock);
	return ctty;
}

/* TIOCGPGRP, TIOCGSID: only for the caller's controlling terminal. */
static int
tty_getid(struct tty *tp, proc_t p, unsigned long cmd, pid_t *out)
{
	struct tty_procinfo pi;
	int error = 0;

	tty_procinfo(p, tp, &pi);
	lck_mtx_lock(&tp->t_lock);
	if (!tty_isctty(tp, &pi))
		error = ENOTTY;
	else if (cmd == TIOCGSID)
		*out = tp->t_sid;
	else
		*out = tp->t_pgid == NO_PID ? 0 : tp->t_pgid;
	lck_mtx_unlock(&tp->t_lock);
	return error;
}

static int
tty_flushcmd(struct tty *tp, int64_t how)
{
	int rw;

	switch (how) {
	case TCIFLUSH:
		rw = FREAD;
		break;
	case TCOFLUSH:
		rw = FWRITE;
		break;
	case TCIOFLUSH:
		rw = FREAD | FWRITE;
		break;
	default:
		return EINVAL;
	}
	lck_mtx_lock(&tp->t_lock);
	ttyflush(tp, rw);
	lck_mtx_unlock(&tp->t_lock);
	return 0;
}

int
ttioctl(struct tty *tp, unsigned long cmd, void *data, int fflag, proc_t p)
{
	pid_t pgid = NO_PID;
	int error = 0;

	(void)fflag;
	switch (cmd) {
	case TCGETS:
		lck_mtx_lock(&tp->t_lock);
		memcpy(data, &tp->t_termios, sizeof(struct termios));
		lck_mtx_unlock(&tp->t_lock);
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tty_setattr(tp, cmd, data);
	case TIOCGWINSZ:
		lck_mtx_lock(&tp->t_lock);
		memcpy(data, &tp->t_winsize, sizeof(struct winsize));
		lck_mtx_unlock(&tp->t_lock);
		return 0;
	case TIOCSWINSZ:
		lck_mtx_lock(&tp->t_lock);
		if (memcmp(&tp->t_winsize, data, sizeof(struct winsize)) != 0) {
			memcpy(&tp->t_winsize, data, sizeof(struct winsize));
			pgid = tp->t_pgid;
		}
		lck_mtx_unlock(&tp->t_lock);
		tty_pgsignal(pgid, SIGWINCH);
		return 0;
	case FIONREAD:
		lck_mtx_lock(&tp->t_lock);
		*(int *)data = tty_readable(tp);
		lck_mtx_unlock(&tp->t_lock);
		return 0;
	case TIOCOUTQ:
		lck_mtx_lock(&tp->t_lock);
		*(int *)data = (int)tp->t_outq.q_count;
		lck_mtx_unlock(&tp->t_lock);
		return 0;
	case TIOCSTI:
		/* As Linux: only into the caller's own terminal, unless root. */
		if (!tty_is_callers(tp, p) && !proc_suser(p))
			return EPERM;
		return ttyinput(*(unsigned char *)data, tp);
	case TCFLSH:
		return tty_flushcmd(tp, *(int64_t *)data);
	case TCSBRK:
	case TCXONC:
		return 0;
	case TIOCSCTTY:
		return tty_sctty(tp, p, (int)*(int64_t *)data);
	case TIOCNOTTY:
		return tty_notty(tp, p);
	case TIOCGPGRP:
	case TIOCGSID:
		return tty_getid(tp, p, cmd, (pid_t *)data);
	case TIOCSPGRP:
		return tty_spgrp(tp, p, *(pid_t *)data);
	case FIONBIO:
	case FIOASYNC:
		return 0;		/* the file's flags are the ioctl call's business */
	default:
		error = ENOTTY;
		break;
	}
	return error;
}
