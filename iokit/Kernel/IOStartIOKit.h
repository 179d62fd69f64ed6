/*
 * IOStartIOKit.h - the I/O Kit's start-up: IOKitInitialize, called once by
 * kernel_bootstrap after the lock groups and the scheduler exist and
 * before anything makes an I/O Kit object.
 */

#ifndef IOKIT_KERNEL_IOSTARTIOKIT_H
#define IOKIT_KERNEL_IOSTARTIOKIT_H

/* IOKitInitialize: the IOKit lock group and the I/O Kit's own classes. */
void	IOKitInitialize(void);

#endif /* IOKIT_KERNEL_IOSTARTIOKIT_H */
