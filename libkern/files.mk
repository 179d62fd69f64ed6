# libkern/: the freestanding library; every file also builds on the host.
KERNEL_SRCS += \
	libkern/OSArray.c \
	libkern/OSAtomic.c \
	libkern/OSBoolean.c \
	libkern/OSCollection.c \
	libkern/OSCollectionIterator.c \
	libkern/OSData.c \
	libkern/OSDictionary.c \
	libkern/OSKextBundle.c \
	libkern/OSKextVersion.c \
	libkern/OSMalloc.c \
	libkern/OSMetaClass.c \
	libkern/OSNumber.c \
	libkern/OSObject.c \
	libkern/OSSerialize.c \
	libkern/OSSet.c \
	libkern/OSString.c \
	libkern/OSSymbol.c \
	libkern/OSUnserializeXML.c \
	libkern/cpio.c \
	libkern/elf.c \
	libkern/glob.c \
	libkern/kxld.c \
	libkern/kpi.c \
	libkern/printf.c \
	libkern/rbtree.c \
	libkern/string.c
# The kext manager runs kexts and maps kernel memory: the one libkern file
# that is kernel-only (what it decides from a bundle alone is in
# OSKextBundle.c and OSKextVersion.c, which are host-tested).
KERNEL_SRCS += libkern/OSKext.c
KTEST_SRCS += \
	libkern/OSUnserializeXML_bench.c \
	libkern/OSMalloc_test.c \
	libkern/OSObject_test.c \
	libkern/OSUnserializeXML_test.c \
	libkern/elf_test.c \
	libkern/kpi_test.c \
	libkern/printf_test.c
