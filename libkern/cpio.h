/*
 * cpio.h - a reader for "newc" cpio archives (what `cpio -H newc` writes),
 * the format of Machina's initrd.
 *
 * The reader never trusts the archive: every header, name and size is checked
 * against the archive's bounds before use, and a malformed archive yields
 * CPIO_ERROR with a message naming the offset and what was wrong. It allocates
 * nothing and never writes to the archive.
 */

#ifndef LIBKERN_CPIO_H
#define LIBKERN_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_NEWC_HEADER_SIZE	110
#define CPIO_MAX_NAME		4096

enum cpio_status {
	CPIO_ENTRY,		/* *entry describes the next member */
	CPIO_END,		/* the TRAILER!!! member was reached */
	CPIO_ERROR		/* malformed; iter->ci_error says why */
};

struct cpio_entry {
	const char	*ce_name;	/* NUL-terminated, inside the archive */
	const void	*ce_data;
	size_t		ce_size;
	uint32_t	ce_mode;	/* st_mode: type and permissions */
};

struct cpio_iter {
	const uint8_t	*ci_base;
	size_t		ci_len;
	size_t		ci_off;		/* offset of the next header */
	char		ci_error[96];	/* set when cpio_next() returns CPIO_ERROR */
};

#define CPIO_S_IFMT	0170000
#define CPIO_S_IFDIR	0040000
#define CPIO_S_IFREG	0100000
#define CPIO_S_IFLNK	0120000

void		cpio_iter_init(struct cpio_iter *it, const void *base, size_t len);
enum cpio_status cpio_next(struct cpio_iter *it, struct cpio_entry *entry);

/* cpio_find: look up one path ("etc/motd" or "/etc/motd"). 0 if found. */
int		cpio_find(const void *base, size_t len, const char *path,
		    struct cpio_entry *entry);

#endif /* LIBKERN_CPIO_H */
