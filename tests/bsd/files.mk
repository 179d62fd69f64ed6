# tests/bsd/: user-mode tests of the BSD layer, ordinary C programs built
# with musl-gcc -static (Debian's musl-tools) and packed into the initrd as
# /usr/tests/bsd/<name>. Each prints TAP (tests/bsd/tap.h) and exits 0
# when every check passed; tests/boot/test_user.py runs them all in one
# boot and reports each check (docs/testing.md).
#
# Adding a test is adding tests/bsd/<name>.c: every file here is one.

MUSL_CC := musl-gcc
BSD_TESTS := $(sort $(patsubst tests/bsd/%.c,%,$(wildcard tests/bsd/*.c)))
BSD_TEST_DIR := $(BUILD)/bsd-tests
BSD_TEST_BINS := $(addprefix $(BSD_TEST_DIR)/,$(BSD_TESTS))
# Linked with libsystem (bsd/userland/files.mk) for the Mach traps and the
# class-2 calls.
BSD_TEST_CFLAGS := -static -std=gnu11 -O2 -g -Wall -Wextra -Werror -Itests/bsd \
	-Ibsd/userland/libsystem/include -I$(USER_ABI_INCLUDE)

# A test may be linked its own way instead of -static: aslr is a static
# PIE, so that exec moves its image too. musl-gcc's specs know only
# dynamic PIEs, so the pieces are named here: musl's rcrt1.o (which
# relocates the image before main) and libc.a, in Debian's musl-dev
# directory (the one the specs name). Recursive variables: the compilers'
# answers are asked for when a test is linked, after the packages are in.
MUSL_LIB := /usr/lib/x86_64-linux-musl
BSD_TEST_aslr_LINK = -fPIE -static-pie -nostdlib -nostartfiles -Wl,--no-dynamic-linker \
	-Wl,-z,text $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o \
	$(shell $(MUSL_CC) -print-file-name=crtbeginS.o)
BSD_TEST_aslr_LINK_END = $(MUSL_LIB)/libc.a $(shell $(MUSL_CC) -print-libgcc-file-name) \
	$(shell $(MUSL_CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o

# A test with an interface of its own (tests/bsd/<name>.defs, docs/mig.md)
# is built with both sides of it, generated into $(BSD_TEST_DIR)/gen/<name>/.
BSD_TEST_DEFS := $(sort $(patsubst tests/bsd/%.defs,%,$(wildcard tests/bsd/*.defs)))
bsd_test_gen = $(if $(filter $(1),$(BSD_TEST_DEFS)),\
	$(BSD_TEST_DIR)/gen/$(1)/$(1)User.c $(BSD_TEST_DIR)/gen/$(1)/$(1)Server.c)

define BSD_TEST_MIG_RULE
$(BSD_TEST_DIR)/gen/$(1)/$(1)User.c $(BSD_TEST_DIR)/gen/$(1)/$(1).h \
    $(BSD_TEST_DIR)/gen/$(1)/$(1)Server.c $(BSD_TEST_DIR)/gen/$(1)/$(1)Server.h &: \
    tests/bsd/$(1).defs tools/mig/mig.py mach/std_types.defs
	@mkdir -p $$(@D)
	@echo "  MIG     $$<"
	$$(Q)$$(PYTHON) tools/mig/mig.py -I. -user $(BSD_TEST_DIR)/gen/$(1)/$(1)User.c \
		-header $(BSD_TEST_DIR)/gen/$(1)/$(1).h -server $(BSD_TEST_DIR)/gen/$(1)/$(1)Server.c \
		-sheader $(BSD_TEST_DIR)/gen/$(1)/$(1)Server.h $$<
endef
$(foreach d,$(BSD_TEST_DEFS),$(eval $(call BSD_TEST_MIG_RULE,$(d))))

define BSD_TEST_RULE
$(BSD_TEST_DIR)/$(1): tests/bsd/$(1).c $(wildcard tests/bsd/*.h) $(call bsd_test_gen,$(1)) \
    $(LIBSYSTEM) | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $$(@D)
	@echo "  MUSLCC  $$<"
	$$(Q)$$(MUSL_CC) $$(filter-out $$(if $$(BSD_TEST_$(1)_LINK),-static),$$(BSD_TEST_CFLAGS)) \
		$$(BSD_TEST_$(1)_LINK) -I$(BSD_TEST_DIR)/gen/$(1) -o $$@ $$< \
		$(call bsd_test_gen,$(1)) $$(LIBSYSTEM) $$(BSD_TEST_$(1)_LINK_END)
endef
$(foreach t,$(BSD_TESTS),$(eval $(call BSD_TEST_RULE,$(t))))

bsd-tests: $(BSD_TEST_BINS)
.PHONY: bsd-tests

# The user-mode benchmark (tests/bench/ubench.c, docs/benchmarks.md), the
# same way, packed as /usr/bench/ubench.
UBENCH := $(BUILD)/bench/ubench
$(UBENCH): tests/bench/ubench.c | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) $(BSD_TEST_CFLAGS) -o $@ $<

# The disk benchmark (tests/bench/diskbench.c: /dev/diskN from user space),
# packed as /usr/bench/diskbench.
DISKBENCH := $(BUILD)/bench/diskbench
$(DISKBENCH): tests/bench/diskbench.c | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) $(BSD_TEST_CFLAGS) -o $@ $<

# The kext load and unload benchmark (tests/bench/kextbench.c), packed as
# /usr/bench/kextbench.
KEXTBENCH := $(BUILD)/bench/kextbench
$(KEXTBENCH): tests/bench/kextbench.c $(LIBSYSTEM) | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) $(BSD_TEST_CFLAGS) -o $@ $< $(LIBSYSTEM)

# The Mach IPC benchmark (tests/bench/machbench.c), linked with libsystem,
# packed as /usr/bench/machbench.
MACHBENCH := $(BUILD)/bench/machbench
$(MACHBENCH): tests/bench/machbench.c tests/kexts/UserClient/UserClientShared.h $(LIBSYSTEM) | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) $(BSD_TEST_CFLAGS) -o $@ $< $(LIBSYSTEM)

# The system-call fuzzer's table of every call and its argument kinds
# (tools/makesyscalls.py --fuzz-table; docs/fuzzing.md).
SYSCALL_FUZZ_TABLE := $(BSD_TEST_DIR)/gen/syscall_fuzz/syscall_fuzz_table.h
$(SYSCALL_FUZZ_TABLE): bsd/kern/syscalls.master mach/kern/syscall_sw.c tools/makesyscalls.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/makesyscalls.py --fuzz-table bsd/kern/syscalls.master \
		mach/kern/syscall_sw.c $@
$(BSD_TEST_DIR)/syscall_fuzz: $(SYSCALL_FUZZ_TABLE)

# The Mach message fuzzer's table of every routine the kernel serves and
# its request's layout (tools/mig/mig.py --fuzz-table; docs/fuzzing.md),
# from the same .defs as the kernel's servers (IPC_KERNEL_DEFS).
MACH_FUZZ_TABLE := $(BSD_TEST_DIR)/gen/syscall_fuzz/mach_fuzz_table.h
$(MACH_FUZZ_TABLE): $(IPC_KERNEL_DEFS) mach/std_types.defs mach/mach_types.defs tools/mig/mig.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mig/mig.py --fuzz-table $@ -I. $(IPC_KERNEL_DEFS)
$(BSD_TEST_DIR)/syscall_fuzz: $(MACH_FUZZ_TABLE)
