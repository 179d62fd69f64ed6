/*
 * poll.h - poll(2)'s struct pollfd and event bits (Linux's values), and
 * select(2)'s descriptor sets as the kernel ABI passes them: arrays of
 * 64-bit words, descriptor n being bit n % 64 of word n / 64.
 */

#ifndef BSD_SYS_POLL_H
#define BSD_SYS_POLL_H

#include <stdint.h>

struct pollfd {
	int32_t		fd;
	int16_t		events;
	int16_t		revents;
};

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200

#define NFDBITS		64

#endif /* BSD_SYS_POLL_H */
