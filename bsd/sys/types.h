/*
 * types.h - the BSD layer's basic types, sized as Linux x86-64 has them
 * (the system-call ABI's), named as BSD names them.
 *
 * dev_t inside the kernel is BSD's: a major number in the top 8 bits and
 * a minor in the low 24 (makedev, major, minor). What user space sees in
 * struct stat is Linux's encoding of the same pair (dev_encode_linux).
 */

#ifndef BSD_SYS_TYPES_H
#define BSD_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t		pid_t;
typedef uint32_t	uid_t;
typedef uint32_t	gid_t;
typedef uint32_t	mode_t;
typedef int64_t		off_t;
typedef int64_t		ssize_t;
typedef uint64_t	ino_t;
typedef uint64_t	nlink_t;
typedef int64_t		blksize_t;
typedef int64_t		blkcnt_t;
typedef int64_t		time_t;
typedef int64_t		suseconds_t;
typedef uint32_t	dev_t;
typedef int32_t		id_t;

#define NODEV		((dev_t)-1)
#define makedev(ma, mi)	((dev_t)(((uint32_t)(ma) << 24) | ((uint32_t)(mi) & 0xffffff)))
#define major(d)	((int)(((uint32_t)(d) >> 24) & 0xff))
#define minor(d)	((int)((uint32_t)(d) & 0xffffff))

/* Linux's user-visible encoding of a device number (st_dev, st_rdev). */
static inline uint64_t
dev_encode_linux(dev_t dev)
{
	uint64_t ma = (uint64_t)major(dev), mi = (uint64_t)minor(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12);
}

#endif /* BSD_SYS_TYPES_H */
