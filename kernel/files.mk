# kernel/: machine-independent start-up, console, panic, boot-args.
KERNEL_SRCS += \
	kernel/bootargs.c \
	kernel/console.c \
	kernel/debug.c \
	kernel/initrd.c \
	kernel/kconsole.c \
	kernel/kheap.c \
	kernel/ksyms.c \
	kernel/ksyms_kernel.c \
	kernel/memmap.c \
	kernel/msgbuf.c \
	kernel/pexpert.c \
	kernel/startup.c \
	kernel/version.c
KTEST_SRCS += \
	kernel/bootargs_test.c \
	kernel/console_test.c \
	kernel/debug_test.c \
	kernel/kheap_test.c \
	kernel/ksyms_test.c
