# iokit/: the I/O Kit: IOLib's logging, delays and sleeps; locks; the
# registry (IORegistryEntry), services and matching (IOService,
# IOCatalogue); work loops and their event sources; memory descriptors,
# buffers, kernel mappings and DMA commands; and IOKitInitialize, which
# brings them up at boot (docs/iokit.md, iokit-workloop.md, iokit-memory.md).
KERNEL_SRCS += \
	iokit/Kernel/IOACPITables.c \
	iokit/Kernel/IOBufferMemoryDescriptor.c \
	iokit/Kernel/IOCatalogue.c \
	iokit/Kernel/IOCommandGate.c \
	iokit/Kernel/IODMACommand.c \
	iokit/Kernel/IOEventSource.c \
	iokit/Kernel/IOInterruptEventSource.c \
	iokit/Kernel/IOLib.c \
	iokit/Kernel/IOLocks.c \
	iokit/Kernel/IOMemoryDescriptor.c \
	iokit/Kernel/IOPlatformDevice.c \
	iokit/Kernel/IOPlatformExpert.c \
	iokit/Kernel/IORegistryEntry.c \
	iokit/Kernel/IOService.c \
	iokit/Kernel/IOStartIOKit.c \
	iokit/Kernel/IOTimerEventSource.c \
	iokit/Kernel/IOUserClient.c \
	iokit/Kernel/IOWorkLoop.c \
	iokit/Kernel/iokit_rpc.c
KTEST_SRCS += \
	iokit/Kernel/IODMACommand_test.c \
	iokit/Kernel/IOInterruptEventSource_test.c \
	iokit/Kernel/IOLocks_test.c \
	iokit/Kernel/IOMemoryDescriptor_test.c \
	iokit/Kernel/IOPlatformDevice_test.c \
	iokit/Kernel/IOPlatformExpert_test.c \
	iokit/Kernel/IORegistryEntry_test.c \
	iokit/Kernel/IOService_test.c \
	iokit/Kernel/IOTimerEventSource_test.c \
	iokit/Kernel/IOUserClient_test.c \
	iokit/Kernel/IOWorkLoop_test.c \
	iokit/Kernel/iokit_rpc_test.c
# Benchmarks (bench=GLOB), beside the code they measure.
KTEST_SRCS += \
	iokit/Kernel/IOInterruptEventSource_bench.c
