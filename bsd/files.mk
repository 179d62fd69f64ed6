# bsd/: the BSD layer (docs/bsd.md). One file a line, sorted, so that
# lines of work adding files at once merge cleanly (.gitattributes).
KERNEL_SRCS += bsd/kern/bsd_conf.c
KERNEL_SRCS += bsd/kern/bsd_init.c
KERNEL_SRCS += bsd/kern/elf_loader.c
KERNEL_SRCS += bsd/kern/kern_console.c
KERNEL_SRCS += bsd/kern/kern_credential.c
KERNEL_SRCS += bsd/kern/kern_descrip.c
KERNEL_SRCS += bsd/kern/kern_exec.c
KERNEL_SRCS += bsd/kern/kern_exit.c
KERNEL_SRCS += bsd/kern/kern_fork.c
KERNEL_SRCS += bsd/kern/kern_proc.c
KERNEL_SRCS += bsd/kern/kern_prot.c
KERNEL_SRCS += bsd/kern/kern_sig.c
KERNEL_SRCS += bsd/kern/kern_subr.c
KERNEL_SRCS += bsd/kern/kern_synch.c
KERNEL_SRCS += bsd/kern/kern_xxx.c
KERNEL_SRCS += bsd/kern/sys_generic.c
KERNEL_SRCS += bsd/kern/sys_select.c
KERNEL_SRCS += bsd/kern/sys_thread.c
KERNEL_SRCS += bsd/kern/unix_syscall.c
KERNEL_SRCS += bsd/vfs/vfs_subr.c
KTEST_SRCS += bsd/kern/elf_loader_test.c
KTEST_SRCS += bsd/kern/kern_descrip_test.c
KTEST_SRCS += bsd/kern/kern_exec_test.c
KTEST_SRCS += bsd/kern/kern_fork_test.c
