# bsd/: the BSD layer. So far: sleep and wakeup, the first system calls, and
# the ELF loader.
KERNEL_SRCS += \
	bsd/kern/bsd_conf.c \
	bsd/kern/bsd_init.c \
	bsd/kern/elf_loader.c \
	bsd/kern/kern_console.c \
	bsd/kern/kern_credential.c \
	bsd/kern/kern_descrip.c \
	bsd/kern/kern_exec.c \
	bsd/kern/kern_exit.c \
	bsd/kern/kern_proc.c \
	bsd/kern/kern_sig.c \
	bsd/kern/kern_subr.c \
	bsd/kern/kern_synch.c \
	bsd/kern/sys_generic.c \
	bsd/kern/sys_select.c \
	bsd/kern/unix_syscall.c \
	bsd/vfs/vfs_subr.c
KTEST_SRCS += \
	bsd/kern/elf_loader_test.c \
	bsd/kern/kern_descrip_test.c \
	bsd/kern/kern_exec_test.c
