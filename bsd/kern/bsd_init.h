/*
 * bsd_init.h - starting the BSD layer.
 */

#ifndef BSD_KERN_BSD_INIT_H
#define BSD_KERN_BSD_INIT_H

/*
 * bsd_init: the BSD layer's start-up, in order: credentials, processes
 * (kernproc). Once, from kernel_bootstrap, with the Mach core running and
 * the initrd found.
 */
void	bsd_init(void);

#endif /* BSD_KERN_BSD_INIT_H */
