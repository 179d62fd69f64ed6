/*
 * termios.h - terminal modes, as the Linux x86-64 kernel ABI has them:
 * struct termios with c_line and 19 control characters (what TCGETS and
 * TCSETS move; glibc and musl convert to and from their own struct),
 * struct winsize, and the flag bits' values.
 */

#ifndef BSD_SYS_TERMIOS_H
#define BSD_SYS_TERMIOS_H

#include <stdint.h>

typedef uint32_t tcflag_t;
typedef uint8_t cc_t;
typedef uint32_t speed_t;

#define NCCS		19

struct termios {
	tcflag_t	c_iflag;
	tcflag_t	c_oflag;
	tcflag_t	c_cflag;
	tcflag_t	c_lflag;
	cc_t		c_line;
	cc_t		c_cc[NCCS];
};
_Static_assert(sizeof(struct termios) == 36, "the kernel ABI's struct termios");

struct winsize {
	uint16_t	ws_row;
	uint16_t	ws_col;
	uint16_t	ws_xpixel;
	uint16_t	ws_ypixel;
};

/* c_cc indices */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VTIME		5
#define VMIN		6
#define VSWTC		7
#define VSTART		8
#define VSTOP		9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

#define _POSIX_VDISABLE	0	/* a c_cc slot that matches no character */

/* c_iflag */
#define IGNBRK		0000001
#define BRKINT		0000002
#define IGNPAR		0000004
#define PARMRK		0000010
#define INPCK		0000020
#define ISTRIP		0000040
#define INLCR		0000100
#define IGNCR		0000200
#define ICRNL		0000400
#define IUCLC		0001000
#define IXON		0002000
#define IXANY		0004000
#define IXOFF		0010000
#define IMAXBEL		0020000
#define IUTF8		0040000

/* c_oflag */
#define OPOST		0000001
#define OLCUC		0000002
#define ONLCR		0000004
#define OCRNL		0000010
#define ONOCR		0000020
#define ONLRET		0000040

/* c_cflag */
#define CBAUD		0010017
#define B38400		0000017
#define CSIZE		0000060
#define CS8		0000060
#define CSTOPB		0000100
#define CREAD		0000200
#define PARENB		0000400
#define HUPCL		0002000
#define CLOCAL		0004000

/* c_lflag */
#define ISIG		0000001
#define ICANON		0000002
#define ECHO		0000010
#define ECHOE		0000020
#define ECHOK		0000040
#define ECHONL		0000100
#define NOFLSH		0000200
#define TOSTOP		0000400
#define ECHOCTL		0001000
#define ECHOPRT		0002000
#define ECHOKE		0004000
#define FLUSHO		0010000
#define PENDIN		0040000
#define IEXTEN		0100000

/* Control characters */
#define CTRL(c)		((c) & 0x1f)
#define CEOF		CTRL('d')
#define CERASE		0177
#define CINTR		CTRL('c')
#define CKILL		CTRL('u')
#define CQUIT		034		/* ^\ */
#define CSUSP		CTRL('z')
#define CWERASE		CTRL('w')
#define CSTART		CTRL('q')
#define CSTOP		CTRL('s')
#define CREPRINT	CTRL('r')
#define CDISCARD	CTRL('o')
#define CLNEXT		CTRL('v')

#endif /* BSD_SYS_TERMIOS_H */
