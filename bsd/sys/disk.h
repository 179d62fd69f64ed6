/*
 * disk.h - the ioctls of the disk device nodes (/dev/diskN, /dev/rdiskN),
 * with XNU's names and numbers (its <sys/disk.h>). The storage family's
 * BSD glue serves them (docs/iokit-storage.md); the ioctl system call
 * copies their arguments (bsd/kern/sys_generic.c). Shared with user space
 * as <sys/disk.h>: one copy of the numbers.
 *
 *	uint32_t bs;
 *	uint64_t count;
 *	ioctl(fd, DKIOCGETBLOCKSIZE, &bs);
 *	ioctl(fd, DKIOCGETBLOCKCOUNT, &count);	the medium is bs * count bytes
 */

#ifndef BSD_SYS_DISK_H
#define BSD_SYS_DISK_H

/*
 * XNU's encoding (its <sys/ioccom.h>): the direction in the top three bits
 * (0x20000000 no argument, 0x40000000 out of the kernel), the argument's
 * size in bits 16-28, the group ('d') and the number below. Spelt out
 * here, not with _IOR, which user space's Linux headers define otherwise.
 */
#define DKIOC_VOID	0x20000000u
#define DKIOC_OUT	0x40000000u
#define DKIOC(dir, num, size)	((dir) | ((unsigned)(size) << 16) | ((unsigned)'d' << 8) | (num))

/* Write the device's cache to stable storage (no argument). */
#define DKIOCSYNCHRONIZECACHE	DKIOC(DKIOC_VOID, 22u, 0u)	/* 0x20006416 */
/* Out: uint32_t, bytes per block. */
#define DKIOCGETBLOCKSIZE	DKIOC(DKIOC_OUT, 24u, 4u)	/* 0x40046418 */
/* Out: uint64_t, the number of blocks. */
#define DKIOCGETBLOCKCOUNT	DKIOC(DKIOC_OUT, 25u, 8u)	/* 0x40086419 */
/* Out: uint32_t, 1 if writes reach the medium, else 0. */
#define DKIOCISWRITABLE		DKIOC(DKIOC_OUT, 29u, 4u)	/* 0x4004641d */

#endif /* BSD_SYS_DISK_H */
