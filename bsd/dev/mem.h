/*
 * mem.h - the memory devices, major MEM_MAJOR (bsd/sys/conf.h):
 *
 *	minor 0	/dev/null	reads give end of file; writes are discarded
 *	minor 1	/dev/zero	reads give zeros; writes are discarded
 *	minor 2	/dev/random	reads give the kernel's random bytes (read_random);
 *	minor 3	/dev/urandom	writes are accepted and ignored
 *
 * None of them ever blocks; select says ready at once.
 */

#ifndef BSD_DEV_MEM_H
#define BSD_DEV_MEM_H

/* mem_init: register the driver and make its four devfs nodes. */
void	mem_init(void);

#endif /* BSD_DEV_MEM_H */
