# iokit/: the I/O Kit. So far: IOLib's logging, delays and sleeps.
KERNEL_SRCS += \
	iokit/Kernel/IOLib.c
