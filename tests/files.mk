# tests/: the in-kernel test and benchmark runner (always built, so bench=
# works in any kernel), the boot benchmarks, and the harness's own checks.
KERNEL_SRCS += \
	tests/ktest.c \
	tests/kernel/boot_bench.c
KTEST_SRCS += \
	tests/kbench.c \
	tests/kernel/selftest.c \
	tests/ktest_user.c
