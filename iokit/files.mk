# iokit/: the I/O Kit. IOLib's logging, delays and sleeps; memory
# descriptors, buffers, kernel mappings and DMA commands.
KERNEL_SRCS += \
	iokit/Kernel/IOBufferMemoryDescriptor.c \
	iokit/Kernel/IODMACommand.c \
	iokit/Kernel/IOLib.c \
	iokit/Kernel/IOMemoryDescriptor.c \
	iokit/Kernel/IOStartIOKit.c

KTEST_SRCS += iokit/Kernel/IOMemoryDescriptor_test.c
KTEST_SRCS += iokit/Kernel/IODMACommand_test.c
