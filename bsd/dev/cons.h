/*
 * cons.h - the console terminal: /dev/console (CONSOLE_MAJOR, minor 0),
 * a tty whose input is the kernel console's (the serial port) and whose
 * output is the kernel's console output (serial and screen).
 *
 * A kernel thread ("cons input") takes each character the console
 * devices receive, while the tty owns console input (kernel/console.h:
 * cons_input_set_owner), and hands it to ttyinput. The kernel console
 * takes input for itself while it shows its prompt and gives it to the
 * tty for the time a `run` program runs; when it does not run at all
 * (init instead), the tty has it from boot.
 *
 * At boot the console tty is the controlling terminal of the kernel's
 * session, with process group 0 in the foreground, so programs the
 * kernel starts get ^C as SIGINT.
 *
 * Locks: none of its own; the tty's (bsd/sys/tty.h).
 */

#ifndef BSD_DEV_CONS_H
#define BSD_DEV_CONS_H

#include <stdint.h>

#include "bsd/sys/tty.h"
#include "bsd/sys/vnode.h"

struct fileglob;

/* cons_init: the tty, its cdevsw at CONSOLE_MAJOR, /dev/tty's, the input thread. Once. */
void		cons_init(void);

/* The console's tty. */
struct tty	*cons_tty(void);

/*
 * cons_fileglob_open: /dev/console opened with fflags (FREAD, FWRITE,
 * O_NONBLOCK...) as an open file, without the VFS: for the descriptors
 * 0, 1 and 2 of programs the kernel starts. One reference. ENOMEM.
 */
int		cons_fileglob_open(uint32_t fflags, vfs_context_t ctx, struct fileglob **fgp);

/*
 * cons_reclaim: if the session that took the console (init's shell, say)
 * is gone, the kernel's session has it back, with the kernel's group in
 * the foreground, so that the programs the kernel console runs get ^C.
 */
void		cons_reclaim(void);

/*
 * cons_end_line: if what the console tty wrote last left the cursor mid-line
 * (a program's output without a final newline, an echoed ^C), start a new
 * line, so that what the kernel prints next begins at the left.
 */
void		cons_end_line(void);

/* cons_flush_input: discard what was typed for a program that has ended. */
void		cons_flush_input(void);

#endif /* BSD_DEV_CONS_H */
