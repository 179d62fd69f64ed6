/*
 * IOStartIOKit.h - bringing up the I/O Kit at boot.
 */

#ifndef IOKIT_KERNEL_IOSTARTIOKIT_H
#define IOKIT_KERNEL_IOSTARTIOKIT_H

/*
 * IOKitInitialize: the I/O Kit's classes (joined to the class registry:
 * the kernel's are defined without constructors, as libkern's are, since
 * the kernel runs none), the registry and its root, the catalogue, and
 * whatever else each piece needs. Once, from kernel_bootstrap, after the
 * BSD layer has read the kext catalog and before any driver or kext runs.
 */
void	IOKitInitialize(void);

#endif /* IOKIT_KERNEL_IOSTARTIOKIT_H */
