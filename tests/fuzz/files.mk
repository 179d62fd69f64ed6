FUZZ_TARGETS += kxld
FUZZ_kxld_SRCS := libkern/kxld.c libkern/elf.c libkern/string.c libkern/printf.c
