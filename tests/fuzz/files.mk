# tests/fuzz/: libFuzzer targets (clang), one line per variable so that a
# target is added by appending its lines here:
#
#	FUZZ_TARGETS += NAME
#	FUZZ_NAME_SRCS := the kernel sources it links (built as the unit tests
#	                  build them: kern_names.h forced in, the shim beside)
#
# and writing tests/fuzz/fuzz_NAME.c (LLVMFuzzerTestOneInput) and a seed
# corpus in tests/fuzz/corpus/NAME/. tests/fuzz/fuzz.mk has the rules:
# `make fuzz-build`, `make fuzz` (FUZZ_TIME seconds per target), and the
# replay of each corpus that the unit tier runs. docs/testing.md, "Fuzzing".

FUZZ_TARGETS += plist
FUZZ_plist_SRCS := libkern/OSUnserializeXML.c libkern/OSSerialize.c libkern/OSObject.c libkern/OSMetaClass.c libkern/OSString.c libkern/OSSymbol.c libkern/OSNumber.c libkern/OSBoolean.c libkern/OSData.c libkern/OSCollection.c libkern/OSArray.c libkern/OSDictionary.c libkern/OSSet.c libkern/OSCollectionIterator.c libkern/printf.c libkern/string.c

FUZZ_TARGETS += kxld
FUZZ_kxld_SRCS := libkern/kxld.c libkern/elf.c libkern/string.c libkern/printf.c

FUZZ_TARGETS += cpio
FUZZ_cpio_SRCS := libkern/cpio.c libkern/string.c libkern/printf.c

# pexpert.c walks __bootargs_start..__bootargs_end, which the kernel's
# linker script makes; the target's own table is the section fuzz_bootargs.
FUZZ_TARGETS += bootargs
FUZZ_bootargs_SRCS := kernel/pexpert.c kernel/bootargs.c libkern/string.c libkern/printf.c
FUZZ_bootargs_LDFLAGS := -Wl,--defsym=__bootargs_start=__start_fuzz_bootargs \
	-Wl,--defsym=__bootargs_end=__stop_fuzz_bootargs
