# kernel/x86_64/: everything that knows it runs on an x86-64 PC.
KERNEL_SRCS += \
	kernel/x86_64/acpi.c \
	kernel/x86_64/backtrace.c \
	kernel/x86_64/boot_info.c \
	kernel/x86_64/copyio.c \
	kernel/x86_64/cpu_data.c \
	kernel/x86_64/fpu.c \
	kernel/x86_64/gdt.c \
	kernel/x86_64/idt.c \
	kernel/x86_64/ioapic.c \
	kernel/x86_64/lapic.c \
	kernel/x86_64/machine_routines.c \
	kernel/x86_64/ml_interrupt.c \
	kernel/x86_64/mp.c \
	kernel/x86_64/pic.c \
	kernel/x86_64/pmap.c \
	kernel/x86_64/random.c \
	kernel/x86_64/rtc.c \
	kernel/x86_64/rtclock.c \
	kernel/x86_64/serial.c \
	kernel/x86_64/start.c \
	kernel/x86_64/syscall.c \
	kernel/x86_64/thread_md.c \
	kernel/x86_64/trap.c \
	kernel/x86_64/unix_signal.c \
	kernel/x86_64/vga_text.c
KERNEL_ASM += \
	kernel/x86_64/copyio_bytes.asm \
	kernel/x86_64/mp_boot.asm \
	kernel/x86_64/nofault.asm \
	kernel/x86_64/switch.asm \
	kernel/x86_64/trap_stubs.asm
KTEST_SRCS += \
	kernel/x86_64/copyio_test.c \
	kernel/x86_64/kip_test.c \
	kernel/x86_64/pmap_test.c \
	kernel/x86_64/random_test.c \
	kernel/x86_64/rtc_test.c \
	kernel/x86_64/machine_test.c \
	kernel/x86_64/mp_test.c \
	kernel/x86_64/ml_interrupt_test.c \
	kernel/x86_64/usermode_test.c
# The user programs usermode_test.c runs: with the tests, or not at all.
ifeq ($(KTESTS),1)
KERNEL_ASM += \
	kernel/x86_64/usermode_test_programs.asm
endif
