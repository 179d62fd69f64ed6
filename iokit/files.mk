# iokit/: the I/O Kit: IOLib's logging, delays and sleeps; locks; work
# loops and their event sources (docs/iokit-workloop.md).
KERNEL_SRCS += \
	iokit/Kernel/IOCommandGate.c \
	iokit/Kernel/IOEventSource.c \
	iokit/Kernel/IOInterruptEventSource.c \
	iokit/Kernel/IOLib.c \
	iokit/Kernel/IOLocks.c \
	iokit/Kernel/IOStartIOKit.c \
	iokit/Kernel/IOTimerEventSource.c \
	iokit/Kernel/IOWorkLoop.c
KTEST_SRCS += \
	iokit/Kernel/IOInterruptEventSource_test.c \
	iokit/Kernel/IOLocks_test.c \
	iokit/Kernel/IOTimerEventSource_test.c \
	iokit/Kernel/IOWorkLoop_test.c
# Benchmarks (bench=GLOB), beside the code they measure.
KTEST_SRCS += \
	iokit/Kernel/IOInterruptEventSource_bench.c
