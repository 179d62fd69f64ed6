/*
 * initrd.h - the initial RAM disk: a newc cpio archive the loader put in
 * memory (GRUB's module2, QEMU's -initrd).
 *
 * The archive is checked from end to end at boot; a missing or corrupt one
 * is reported and the kernel runs on without it. Files are read in place:
 * nothing is copied, and the memory stays set aside for the archive.
 */

#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/boot_args.h"
#include "libkern/cpio.h"

/* initrd_init: find the module, check the archive, say what is in it. */
void	initrd_init(const struct boot_args *args);

bool	initrd_present(void);

/* initrd_lookup: a member by path; 0 if found. */
int	initrd_lookup(const char *path, struct cpio_entry *entry);

/* initrd_foreach: call fn for every member, in archive order. */
void	initrd_foreach(void (*fn)(const struct cpio_entry *entry, void *ctx), void *ctx);

#endif /* KERNEL_INITRD_H */
