# bsd/: the BSD layer. So far: sleep and wakeup, and the first system calls.
KERNEL_SRCS += \
	bsd/kern/kern_exit.c \
	bsd/kern/kern_synch.c \
	bsd/kern/sys_generic.c \
	bsd/kern/unix_syscall.c
