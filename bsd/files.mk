# bsd/: the BSD layer. So far: sleep and wakeup, and the ELF loader.
KERNEL_SRCS += \
	bsd/kern/elf_loader.c \
	bsd/kern/kern_synch.c
KTEST_SRCS += \
	bsd/kern/elf_loader_test.c
