/*
 * IOStartIOKit.h - bringing up the I/O Kit at boot.
 */

#ifndef IOKIT_KERNEL_IOSTARTIOKIT_H
#define IOKIT_KERNEL_IOSTARTIOKIT_H

/*
 * IOKitInitialize: the I/O Kit's classes, the registry and its root, and
 * whatever else each IOKit piece needs at boot. Once, from
 * kernel_bootstrap, after the BSD layer has read the kext catalog.
 */
void	IOKitInitialize(void);

#endif /* IOKIT_KERNEL_IOSTARTIOKIT_H */
