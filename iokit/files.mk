# iokit/: the I/O Kit: IOLib's logging, delays and sleeps; the registry
# (IORegistryEntry), services and matching (IOService, IOCatalogue); memory
# descriptors, buffers, kernel mappings and DMA commands; and
# IOKitInitialize, which brings them up at boot.
KERNEL_SRCS += \
	iokit/Kernel/IOBufferMemoryDescriptor.c \
	iokit/Kernel/IOCatalogue.c \
	iokit/Kernel/IODMACommand.c \
	iokit/Kernel/IOLib.c \
	iokit/Kernel/IOMemoryDescriptor.c \
	iokit/Kernel/IORegistryEntry.c \
	iokit/Kernel/IOService.c \
	iokit/Kernel/IOStartIOKit.c
KTEST_SRCS += \
	iokit/Kernel/IODMACommand_test.c \
	iokit/Kernel/IOMemoryDescriptor_test.c \
	iokit/Kernel/IORegistryEntry_test.c \
	iokit/Kernel/IOService_test.c
