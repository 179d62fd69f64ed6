# bsd/: the BSD layer. So far: sleep and wakeup.
KERNEL_SRCS += \
	bsd/kern/kern_synch.c
