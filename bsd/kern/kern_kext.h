/*
 * kern_kext.h - the BSD side of kexts: the kext_load, kext_unload and
 * kext_stat calls (bsd/sys/kext_abi.h), and what the BSD layer tells the
 * kext manager about unload safety.
 */

#ifndef BSD_KERN_KERN_KEXT_H
#define BSD_KERN_KERN_KEXT_H

/*
 * kern_kext_init: start the kext manager (its records, the initrd's
 * catalog) and register the BSD unload checks. From bsd_init, after
 * sysctl_init. The kexts boot asks for load later, once the kernel is
 * locked (kernel_bootstrap calls OSKextLoadBootKexts).
 */
void	kern_kext_init(void);

#endif /* BSD_KERN_KERN_KEXT_H */
