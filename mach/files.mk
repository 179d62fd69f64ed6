# mach/: the Mach core. So far: physical memory and memory start-up.
KERNEL_SRCS += \
	mach/vm/vm_init.c \
	mach/vm/vm_map_store.c \
	mach/vm/vm_phys.c
KTEST_SRCS += \
	mach/vm/vm_map_store_test.c \
	mach/vm/vm_phys_test.c
