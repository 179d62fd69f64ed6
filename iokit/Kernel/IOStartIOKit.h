/*
 * IOStartIOKit.h - the I/O Kit's start-up: IOKitInitialize registers the
 * kernel's own I/O Kit classes with the class registry and sets up what
 * they share. kernel_bootstrap calls it once, after OSMetaClass_init and
 * the lock groups (locks_init), before any driver or kext runs.
 */

#ifndef IOKIT_KERNEL_IOSTARTIOKIT_H
#define IOKIT_KERNEL_IOSTARTIOKIT_H

void	IOKitInitialize(void);

#endif /* IOKIT_KERNEL_IOSTARTIOKIT_H */
