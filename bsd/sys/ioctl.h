/*
 * ioctl.h - the ioctl commands the kernel knows, with Linux x86-64's
 * numbers (the system-call ABI's): the terminal ones (XNU keeps them in
 * sys/ttycom.h) and the generic file ones (XNU's sys/filio.h).
 *
 * Linux's terminal commands do not encode their argument's size, so the
 * ioctl system call (bsd/kern/sys_generic.c) knows, per command, whether
 * the argument is a structure to copy in, out, both, or a plain value;
 * fo_ioctl and d_ioctl always get a kernel buffer (ioctl_arg_size says
 * how big). For a command the table does not know, the buffer holds the
 * raw argument as a uint64_t, for the driver to copyin itself.
 */

#ifndef BSD_SYS_IOCTL_H
#define BSD_SYS_IOCTL_H

#include <stdint.h>

/* Terminals. */
#define TCGETS		0x5401	/* out: struct termios */
#define TCSETS		0x5402	/* in: struct termios */
#define TCSETSW		0x5403	/* in: ... after output drains */
#define TCSETSF		0x5404	/* in: ... after output drains, input flushed */
#define TCSBRK		0x5409	/* value: send a break (accepted) */
#define TCXONC		0x540A	/* value: TCOOFF, TCOON, TCIOFF, TCION (accepted) */
#define TCFLSH		0x540B	/* value: TCIFLUSH, TCOFLUSH, TCIOFLUSH */
#define TIOCSCTTY	0x540E	/* value: 1 to steal it (root) */
#define TIOCGPGRP	0x540F	/* out: pid_t */
#define TIOCSPGRP	0x5410	/* in: pid_t */
#define TIOCOUTQ	0x5411	/* out: int */
#define TIOCSTI		0x5412	/* in: char, typed as if it came from the terminal */
#define TIOCGWINSZ	0x5413	/* out: struct winsize */
#define TIOCSWINSZ	0x5414	/* in: struct winsize */
#define FIONREAD	0x541B	/* out: int, bytes ready to read */
#define TIOCINQ		FIONREAD
#define FIONBIO		0x5421	/* in: int, O_NONBLOCK on or off */
#define TIOCNOTTY	0x5422	/* give up the controlling terminal */
#define TIOCGSID	0x5429	/* out: pid_t, the terminal's session */
#define FIONCLEX	0x5450	/* clear close-on-exec */
#define FIOCLEX		0x5451	/* set close-on-exec */
#define FIOASYNC	0x5452	/* in: int, O_ASYNC on or off */

/* TCFLSH */
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

/* TCXONC */
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3

/* The largest argument any known command copies. */
#define IOCTL_ARG_MAX	64

#endif /* BSD_SYS_IOCTL_H */
