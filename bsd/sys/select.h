/*
 * select.h - waiting for files to become ready (select, poll): struct
 * selinfo and the two calls a file or driver makes (BSD's selrecord and
 * selwakeup).
 *
 * A file's fo_select (a driver's d_select) answers whether it is ready;
 * if not, it calls selrecord(p, &its_selinfo, wql) so that the waiting
 * select or poll is woken by the next selwakeup(&its_selinfo), which the
 * file calls whenever it may have become ready (data arrived, room
 * freed, the other end closed). A waiter then asks every file again.
 *
 * Locks: selrecord is called by the file with its own lock held, and
 * takes only the scheduler's; selwakeup may be called with the file's
 * lock held.
 */

#ifndef BSD_SYS_SELECT_H
#define BSD_SYS_SELECT_H

#include <stdint.h>

#include "bsd/sys/proc.h"

struct selinfo {
	uint32_t	si_flags;	/* SI_RECORDED: someone waits on it */
};

#define SI_RECORDED	0x01

/* selrecord: the select or poll wql stands for waits on sip. */
void	selrecord(proc_t selector, struct selinfo *sip, void *wql);
/* selwakeup: wake every select or poll waiting on sip. */
void	selwakeup(struct selinfo *sip);

/*
 * For select and poll themselves: start a scan (the wql to pass to the
 * files), and sleep until some file recorded in it is woken or the
 * deadline (0: none) passes. THREAD_AWAKENED, THREAD_TIMED_OUT or
 * THREAD_INTERRUPTED.
 */
void	*selscan_begin(void);
int	selwait(void *wql, uint64_t deadline);

#endif /* BSD_SYS_SELECT_H */
