/*
 * time.h - the BSD layer's time structures (Linux's layout, the ABI's).
 */

#ifndef BSD_SYS_TIME_H
#define BSD_SYS_TIME_H

#include <stdint.h>

struct timespec {
	int64_t		tv_sec;
	int64_t		tv_nsec;
};

struct timeval {
	int64_t		tv_sec;
	int64_t		tv_usec;
};

#endif /* BSD_SYS_TIME_H */
