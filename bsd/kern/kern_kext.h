/*
 * kern_kext.h - the BSD side of kexts: the kext_load, kext_unload and
 * kext_stat calls (bsd/sys/kext_abi.h), and what the BSD layer tells the
 * kext manager about unload safety.
 */

#ifndef BSD_KERN_KERN_KEXT_H
#define BSD_KERN_KERN_KEXT_H

/*
 * kern_kext_init: start the kext manager (its records, the initrd's
 * catalog), register the BSD unload checks, and load the kexts boot asks
 * for. From bsd_init, after sysctl_init: a kext's start may register
 * sysctl nodes, start threads, log.
 */
void	kern_kext_init(void);

#endif /* BSD_KERN_KERN_KEXT_H */
