/*
 * cpio.c - walk a newc cpio archive member by member.
 *
 * A member is a 110-byte ASCII header ("070701" or "070702", then thirteen
 * 8-digit hex fields), the NUL-terminated name, padding to 4 bytes, the data,
 * and padding to 4 bytes again. The archive ends with a member named
 * "TRAILER!!!".
 */

#include "libkern/cpio.h"

#include <stdbool.h>

#include "libkern/printf.h"
#include "libkern/string.h"

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
	F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT };

static bool
parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return false;
	}
	*out = v;
	return true;
}

static enum cpio_status
cpio_fail(struct cpio_iter *it, const char *what)
{
	snprintf(it->ci_error, sizeof(it->ci_error), "at offset %zu: %s", it->ci_off,
	    what);
	return CPIO_ERROR;
}

void
cpio_iter_init(struct cpio_iter *it, const void *base, size_t len)
{
	it->ci_base = base;
	it->ci_len = len;
	it->ci_off = 0;
	it->ci_error[0] = '\0';
}

enum cpio_status
cpio_next(struct cpio_iter *it, struct cpio_entry *entry)
{
	const uint8_t *h = it->ci_base + it->ci_off;
	uint32_t f[F_COUNT];
	size_t avail, name_off, data_off, next;

	if (it->ci_off > it->ci_len || it->ci_len - it->ci_off < CPIO_NEWC_HEADER_SIZE)
		return cpio_fail(it, "archive ends without a TRAILER!!! member");
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return cpio_fail(it, "bad magic (not a newc cpio archive)");
	for (int i = 0; i < F_COUNT; i++) {
		if (!parse_hex8(h + 6 + 8 * i, &f[i]))
			return cpio_fail(it, "header field is not hexadecimal");
	}

	avail = it->ci_len - it->ci_off;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > CPIO_MAX_NAME)
		return cpio_fail(it, "name size out of range");
	name_off = CPIO_NEWC_HEADER_SIZE;
	data_off = (name_off + f[F_NAMESIZE] + 3) & ~(size_t)3;
	if (data_off > avail)
		return cpio_fail(it, "name runs past the end of the archive");
	if (h[name_off + f[F_NAMESIZE] - 1] != '\0')
		return cpio_fail(it, "name is not NUL-terminated");
	if (f[F_FILESIZE] > avail - data_off)
		return cpio_fail(it, "file data runs past the end of the archive");
	next = (data_off + f[F_FILESIZE] + 3) & ~(size_t)3;

	entry->ce_name = (const char *)h + name_off;
	entry->ce_data = h + data_off;
	entry->ce_size = f[F_FILESIZE];
	entry->ce_mode = f[F_MODE];
	if (strcmp(entry->ce_name, "TRAILER!!!") == 0)
		return CPIO_END;

	/* The last member's padding may be cut short; the trailer may not. */
	it->ci_off += next < avail ? next : avail;
	return CPIO_ENTRY;
}

static const char *
skip_leading(const char *path)
{
	while (*path == '/')
		path++;
	if (path[0] == '.' && path[1] == '/')
		return skip_leading(path + 2);
	return path;
}

int
cpio_find(const void *base, size_t len, const char *path, struct cpio_entry *entry)
{
	struct cpio_iter it;
	const char *want = skip_leading(path);

	cpio_iter_init(&it, base, len);
	while (cpio_next(&it, entry) == CPIO_ENTRY) {
		if (strcmp(skip_leading(entry->ce_name), want) == 0)
			return 0;
	}
	return -1;
}
