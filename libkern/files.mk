# libkern/: the freestanding library; every file also builds on the host.
KERNEL_SRCS += \
	libkern/cpio.c \
	libkern/glob.c \
	libkern/printf.c \
	libkern/rbtree.c \
	libkern/string.c
KTEST_SRCS += \
	libkern/printf_test.c
