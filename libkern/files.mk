# libkern/: the freestanding library; every file also builds on the host.
KERNEL_SRCS += \
	libkern/OSArray.c \
	libkern/OSAtomic.c \
	libkern/OSBoolean.c \
	libkern/OSCollection.c \
	libkern/OSCollectionIterator.c \
	libkern/OSData.c \
	libkern/OSDictionary.c \
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
	libkern/printf.c \
	libkern/rbtree.c \
	libkern/string.c
KTEST_SRCS += \
	libkern/OSMalloc_test.c \
	libkern/OSObject_test.c \
	libkern/OSUnserializeXML_test.c \
	libkern/elf_test.c \
	libkern/printf_test.c
