# libkern/: the freestanding library; every file also builds on the host.
KERNEL_SRCS += \
	libkern/OSKextVersion.c \
	libkern/OSMalloc.c \
	libkern/cpio.c \
	libkern/elf.c \
	libkern/glob.c \
	libkern/kxld.c \
	libkern/kpi.c \
	libkern/printf.c \
	libkern/rbtree.c \
	libkern/string.c
KTEST_SRCS += \
	libkern/OSMalloc_test.c \
	libkern/elf_test.c \
	libkern/kpi_test.c \
	libkern/printf_test.c
