# tests/unit/: host unit tests (Criterion) of machine-independent kernel code,
# built with the host compiler under ASan and UBSan.
#
# The kernel sources in UNIT_KERNEL_SRCS compile unmodified, with
# tests/unit/shim/kern_names.h forced in front so that their memcpy, strlen,
# snprintf, ... become kern_memcpy, kern_strlen, kern_snprintf and leave the
# C library alone. They go into one archive; each test links against it and
# takes only the objects it needs, plus the shim (panic, ml_*, fake RAM).
#
# Adding a test is one line in UNIT_TESTS; tests/unit/<dir>/test_<name>.c
# becomes $(BUILD)/tests/unit/test_<name>, so names must be unique.
# Adding a kernel source to the host build is one line in UNIT_KERNEL_SRCS.

UNIT_KERNEL_SRCS := \
	kernel/bootargs.c \
	kernel/kheap.c \
	kernel/ksyms.c \
	kernel/memmap.c \
	kernel/x86_64/acpi.c \
	kernel/x86_64/boot_info.c \
	iokit/Drivers/MachinaBochsFramebuffer/FBConsole.c \
	iokit/Drivers/MachinaBochsFramebuffer/FBFont.c \
	iokit/Families/IOPCIFamily/IOPCIMatch.c \
	iokit/Families/IOStorageFamily/IOStorageRequest.c \
	iokit/Families/IOVirtioFamily/IOVirtioRing.c \
	iokit/Kernel/IOCatalogue.c \
	iokit/Kernel/IODMACommand.c \
	iokit/Kernel/IORegistryEntry.c \
	iokit/Kernel/IOService.c \
	iokit/Kernel/IOUserClient.c \
	libkern/OSKextVersion.c \
	libkern/OSArray.c \
	libkern/OSAtomic.c \
	libkern/OSBoolean.c \
	libkern/OSCollection.c \
	libkern/OSCollectionIterator.c \
	libkern/OSData.c \
	libkern/OSDictionary.c \
	libkern/OSKextBundle.c \
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
	libkern/string.c \
	mach/ipc/ipc_entry.c \
	mach/kern/kalloc.c \
	mach/kern/run_queue.c \
	mach/kern/zalloc.c \
	mach/vm/vm_map_store.c \
	mach/vm/vm_page.c \
	mach/vm/vm_phys.c

UNIT_TESTS := \
	tests/unit/bsd/test_ksancov_abi.c \
	tests/unit/kernel/test_bootargs.c \
	tests/unit/kernel/test_kheap.c \
	tests/unit/kernel/test_ksyms.c \
	tests/unit/kernel/test_memmap.c \
	tests/unit/kernel/x86_64/test_acpi.c \
	tests/unit/kernel/x86_64/test_boot_info.c \
	tests/unit/iokit/test_FBConsole.c \
	tests/unit/iokit/test_IODMACommand.c \
	tests/unit/iokit/test_IORegistry.c \
	tests/unit/iokit/test_IOPCIMatch.c \
	tests/unit/iokit/test_IOStorageRequest.c \
	tests/unit/iokit/test_IOVirtioRing.c \
	tests/unit/libkern/test_OSKextBundle.c \
	tests/unit/libkern/test_OSKextVersion.c \
	tests/unit/libkern/test_OSAtomic.c \
	tests/unit/libkern/test_OSContainers.c \
	tests/unit/libkern/test_OSMalloc.c \
	tests/unit/libkern/test_OSMetaClass.c \
	tests/unit/libkern/test_OSUnserializeXML.c \
	tests/unit/libkern/test_cpio.c \
	tests/unit/libkern/test_elf.c \
	tests/unit/libkern/test_glob.c \
	tests/unit/libkern/test_kxld.c \
	tests/unit/libkern/test_kpi.c \
	tests/unit/libkern/test_printf.c \
	tests/unit/libkern/test_rbtree.c \
	tests/unit/libkern/test_string.c \
	tests/unit/mach/ipc/test_ipc_entry.c \
	tests/unit/mach/kern/test_kalloc.c \
	tests/unit/mach/kern/test_run_queue.c \
	tests/unit/mach/kern/test_zalloc.c \
	tests/unit/mach/vm/test_vm_map_store.c \
	tests/unit/mach/vm/test_vm_phys.c \
	tests/unit/mig/test_mig.c \
	tests/unit/mig/test_mig_defs.c \
	tests/unit/user/test_init_conf.c \
	tests/unit/user/test_mkinitrd.c \
	tests/unit/user/test_syscall_fuzz_table.c \
	tests/unit/user/test_mach_fuzz_table.c \
	tests/unit/user/test_user_programs.c \
	tests/unit/user/test_ioreg_plist.c

UNIT_SHIM_SRCS := \
	tests/unit/shim/shim.c
UNIT_SHIM_SRCS += tests/unit/shim/kmem.c
UNIT_SHIM_SRCS += tests/unit/shim/kalloc.c
UNIT_SHIM_SRCS += tests/unit/shim/iokit.c

UNIT_DIR := $(BUILD)/tests/unit
UNIT_OBJ := $(UNIT_DIR)/obj

UNIT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -I. -DMACHINA_DEBUG=1 \
	-fno-strict-aliasing -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g -O1
# Kernel sources: renamed; freestanding as in the kernel build, so that
# <stdint.h> and friends are the compiler's own and no glibc header (whose
# <sys/cdefs.h> defines some of libkern/cdefs.h's names differently) comes
# in; as warning-clean as the kernel build wants them, no more (it also
# passes -Wno-unused-parameter); and no loop may turn into a call to the C
# library's memcpy or memset behind the test's back.
UNIT_KERNEL_CFLAGS := $(UNIT_CFLAGS) -include tests/unit/shim/kern_names.h \
	-ffreestanding -Wno-unused-parameter -fno-tree-loop-distribute-patterns
UNIT_LDLIBS := -lcriterion

UNIT_KOBJS := $(patsubst %.c,$(UNIT_OBJ)/%.o,$(UNIT_KERNEL_SRCS))
UNIT_SOBJS := $(patsubst %.c,$(UNIT_OBJ)/%.o,$(UNIT_SHIM_SRCS))
UNIT_TOBJS := $(patsubst %.c,$(UNIT_OBJ)/%.o,$(UNIT_TESTS))
UNIT_KLIB  := $(UNIT_DIR)/libkernel_host.a
UNIT_BINS  := $(addprefix $(UNIT_DIR)/,$(basename $(notdir $(UNIT_TESTS))))

ifneq ($(words $(UNIT_BINS)),$(words $(sort $(UNIT_BINS))))
$(error tests/unit/files.mk: two unit tests share a file name)
endif

# The fuzz targets too: the unit tier replays their corpora (tests/fuzz).
test-unit-build: $(UNIT_BINS) fuzz-build

# --- files the ELF reader's tests read ---------------------------------------
#
# Made by the host toolchain from tests/unit/libkern/elf_fixtures/: a
# kext-shaped relocatable object in four code models (each brings its own
# relocation types), a static executable and a static PIE with TLS, and an
# ordinary dynamic program. test_elf and test_user_programs also read the
# user test programs (tests/user/files.mk); the paths are compiled in.

UNIT_FIXTURES := $(UNIT_DIR)/fixtures
UNIT_FIXTURE_SRC := tests/unit/libkern/elf_fixtures
UNIT_FIXTURE_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector -fcf-protection=none
UNIT_ELF_FIXTURES := $(addprefix $(UNIT_FIXTURES)/,kext_kernel.o kext_small.o kext_pic.o \
	kext_pic_norelax.o tls_exec tls_pie dynamic)

$(UNIT_FIXTURES)/kext_kernel.o: UNIT_FIXTURE_MODEL := -mcmodel=kernel -mno-red-zone -fno-pic
$(UNIT_FIXTURES)/kext_small.o: UNIT_FIXTURE_MODEL := -mcmodel=small -fno-pic
$(UNIT_FIXTURES)/kext_pic.o: UNIT_FIXTURE_MODEL := -fpic -fno-plt
$(UNIT_FIXTURES)/kext_pic_norelax.o: UNIT_FIXTURE_MODEL := -fpic -fno-plt -Wa,-mrelax-relocations=no
$(UNIT_FIXTURES)/%.o: $(UNIT_FIXTURE_SRC)/kext.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FIXTURE $@"
	$(Q)$(HOSTCC) $(UNIT_FIXTURE_CFLAGS) $(UNIT_FIXTURE_MODEL) -c $< -o $@

$(UNIT_FIXTURES)/tls_exec: $(UNIT_FIXTURE_SRC)/tls.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FIXTURE $@"
	$(Q)$(HOSTCC) $(UNIT_FIXTURE_CFLAGS) -fno-pic -no-pie -static -nostdlib \
		-Wl,-z,noexecstack -o $@ $<

$(UNIT_FIXTURES)/tls_pie: $(UNIT_FIXTURE_SRC)/tls.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FIXTURE $@"
	$(Q)$(HOSTCC) $(UNIT_FIXTURE_CFLAGS) -fpie -static-pie -nostdlib \
		-Wl,-z,noexecstack -o $@ $<

$(UNIT_FIXTURES)/dynamic: $(UNIT_FIXTURE_SRC)/dynamic.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FIXTURE $@"
	$(Q)$(HOSTCC) -O2 -o $@ $<

UNIT_PATH_DEFINES := -DELF_FIXTURE_DIR='"$(UNIT_FIXTURES)"' -DUSER_BUILD_DIR='"$(USER_DIR)"'
$(UNIT_OBJ)/tests/unit/libkern/test_elf.o: UNIT_CFLAGS += $(UNIT_PATH_DEFINES)
$(UNIT_OBJ)/tests/unit/user/test_user_programs.o: UNIT_CFLAGS += $(UNIT_PATH_DEFINES)
$(UNIT_OBJ)/tests/unit/libkern/test_OSUnserializeXML.o: \
	UNIT_CFLAGS += -DPLIST_FIXTURE_DIR='"$(CURDIR)/tests/unit/libkern/plist_fixtures"'
$(UNIT_DIR)/test_elf: | $(UNIT_ELF_FIXTURES) $(USER_BINS)
# The I/O Kit's sources, their shim and test see the kernel's view of Mach's
# types (mach/mach_types.h under KERNEL: thread_t is a thread, not a port).
$(UNIT_OBJ)/iokit/%.o: UNIT_KERNEL_CFLAGS += -DKERNEL=1
$(UNIT_OBJ)/tests/unit/iokit/%.o $(UNIT_OBJ)/tests/unit/shim/iokit.o: UNIT_CFLAGS += -DKERNEL=1
$(UNIT_DIR)/test_user_programs: | $(USER_BINS)

# --- the kext linker's fixture kext -----------------------------------------
#
# tests/unit/libkern/kxld_fixtures/: two C files made into one relocatable
# object with ld -r, as a kext build does, by gcc and by clang: in the
# kernel code model at -O0 (with debugging sections, whose relocations the
# linker must skip) and -O2, with -fno-plt (GOTPCREL, GOTPCRELX), and as
# PIC (REX_GOTPCRELX; position-independent, so test_kxld can run it on the
# host). Variant names are <compiler>_<mode>.

KXLD_FIXTURE_SRC := tests/unit/libkern/kxld_fixtures
KXLD_FIXTURE_DIR := $(UNIT_FIXTURES)/kxld
KXLD_FIXTURE_CLANG ?= clang
KXLD_FIXTURE_CFLAGS := -std=gnu11 -ffreestanding -fno-stack-protector -fcf-protection=none \
	-fcommon -mno-red-zone -fno-asynchronous-unwind-tables -Wall -Wextra -Werror
KXLD_MODE_O0 := -O0 -g -mcmodel=kernel -fno-pic
KXLD_MODE_O2 := -O2 -mcmodel=kernel -fno-pic -fasynchronous-unwind-tables
KXLD_MODE_noplt := -O2 -mcmodel=kernel -fno-pic -fno-plt
KXLD_MODE_pic := -O2 -fpic -fno-plt
KXLD_FIXTURE_VARIANTS := gcc_O0 gcc_O2 gcc_noplt gcc_pic clang_O0 clang_O2 clang_noplt clang_pic
KXLD_FIXTURES := $(patsubst %,$(KXLD_FIXTURE_DIR)/%.o,$(KXLD_FIXTURE_VARIANTS))
KXLD_FIXTURE_DEPS := $(addprefix $(KXLD_FIXTURE_SRC)/,main.c util.c kxld_fixture.h)

define KXLD_FIXTURE_RULE
$(KXLD_FIXTURE_DIR)/$(1).o: $(KXLD_FIXTURE_DEPS) tests/unit/files.mk | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	@echo "  FIXTURE $$@"
	$(Q)$(if $(filter clang_%,$(1)),$(KXLD_FIXTURE_CLANG),$(HOSTCC)) $(KXLD_FIXTURE_CFLAGS) \
		$(KXLD_MODE_$(word 2,$(subst _, ,$(1)))) -c $(KXLD_FIXTURE_SRC)/main.c -o $$(@:.o=.main.o)
	$(Q)$(if $(filter clang_%,$(1)),$(KXLD_FIXTURE_CLANG),$(HOSTCC)) $(KXLD_FIXTURE_CFLAGS) \
		$(KXLD_MODE_$(word 2,$(subst _, ,$(1)))) -c $(KXLD_FIXTURE_SRC)/util.c -o $$(@:.o=.util.o)
	$(Q)$(LD) -r $$(@:.o=.main.o) $$(@:.o=.util.o) -o $$@
endef
$(foreach v,$(KXLD_FIXTURE_VARIANTS),$(eval $(call KXLD_FIXTURE_RULE,$(v))))

$(UNIT_OBJ)/tests/unit/libkern/test_kxld.o: UNIT_CFLAGS += -DKXLD_FIXTURE_DIR='"$(KXLD_FIXTURE_DIR)"'
$(UNIT_DIR)/test_kxld: | $(KXLD_FIXTURES)

$(UNIT_KOBJS): $(UNIT_OBJ)/%.o: %.c tests/unit/shim/kern_names.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_KERNEL_CFLAGS) -MD -MP -c $< -o $@

$(UNIT_SOBJS) $(UNIT_TOBJS): $(UNIT_OBJ)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -MD -MP -c $< -o $@

$(UNIT_KLIB): $(UNIT_KOBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# test_<name> links its own object; the archive supplies the kernel code.
define UNIT_LINK_RULE
$(UNIT_DIR)/$(basename $(notdir $(1))): $(patsubst %.c,$(UNIT_OBJ)/%.o,$(1)) $(UNIT_SOBJS) $(UNIT_KLIB)
	@echo "  HOSTLD  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $$@ $$^ $(UNIT_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_LINK_RULE,$(t))))

# --- the KPI table generator (tools/mkkpi.py) --------------------------------
#
# test_kpi links libkern/kpi.c with a table generated from the lists in
# tests/unit/libkern/kpi_fixtures/, whose symbols the test itself defines.

KPITEST_FIXTURES := tests/unit/libkern/kpi_fixtures
KPITEST_SRC := $(UNIT_DIR)/kpi/kpi_table.c
KPITEST_OBJ := $(UNIT_OBJ)/kpi/kpi_table.o
$(KPITEST_SRC): tools/mkkpi.py $(wildcard $(KPITEST_FIXTURES)/*)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkkpi.py --list $(KPITEST_FIXTURES)/kpi.list --version 9.8.7 \
		--nm $(KPITEST_FIXTURES)/globals.nm -o $@
$(KPITEST_OBJ): $(KPITEST_SRC) libkern/kpi.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@
$(UNIT_DIR)/test_kpi: $(KPITEST_OBJ)

# --- the system-call fuzzer's table (tools/makesyscalls.py --fuzz-table) ------
#
# test_syscall_fuzz_table checks it against the dispatch tables generated
# from the same master file (tests/bsd/files.mk, the top Makefile).

$(UNIT_OBJ)/tests/unit/user/test_syscall_fuzz_table.o: UNIT_CFLAGS += \
	-I$(dir $(SYSCALL_FUZZ_TABLE)) -include $(BUILD)/gen/bsd/kern/syscall_table.inc
$(UNIT_OBJ)/tests/unit/user/test_syscall_fuzz_table.o: $(SYSCALL_FUZZ_TABLE) $(SYSCALL_GEN)

# test_mach_fuzz_table checks the Mach message fuzzer's table
# (tools/mig/mig.py --fuzz-table, tests/bsd/files.mk) against the .defs.
$(UNIT_OBJ)/tests/unit/user/test_mach_fuzz_table.o: UNIT_CFLAGS += -I$(dir $(MACH_FUZZ_TABLE))
$(UNIT_OBJ)/tests/unit/user/test_mach_fuzz_table.o: $(MACH_FUZZ_TABLE)

# --- the interface generator (tools/mig) -------------------------------------
#
# test_mig links the stubs generated from tests/unit/mig/migtest.defs, both
# sides, with a loopback mach_msg. test_mig_defs compiles the kernel's
# interfaces (MIG_KERNEL_DEFS, tools/mig/mig.mk) as generated into
# $(BUILD)/gen: servers with the kernel's flags, user stubs with musl-gcc
# against libsystem's headers; the flags reach it in a file made here.

MIGTEST_GEN_DIR := $(UNIT_DIR)/mig/gen
MIGTEST_GEN := $(MIGTEST_GEN_DIR)/migtestUser.c $(MIGTEST_GEN_DIR)/migtestServer.c
$(call mig_generate,tests/unit/mig/migtest.defs,$(MIGTEST_GEN_DIR),,user)
$(call mig_generate,tests/unit/mig/migtest.defs,$(MIGTEST_GEN_DIR),,server)
$(call mig_generate,tests/unit/mig/kuser.defs,$(MIGTEST_GEN_DIR),,user)
MIGTEST_OBJS := $(patsubst $(MIGTEST_GEN_DIR)/%.c,$(UNIT_OBJ)/mig/%.o,$(MIGTEST_GEN))

$(MIGTEST_OBJS): $(UNIT_OBJ)/mig/%.o: $(MIGTEST_GEN_DIR)/%.c tests/unit/mig/migtest_types.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -I$(MIGTEST_GEN_DIR) -MD -MP -c $< -o $@

$(UNIT_OBJ)/tests/unit/mig/test_mig.o: UNIT_CFLAGS += -I$(MIGTEST_GEN_DIR)
$(UNIT_OBJ)/tests/unit/mig/test_mig.o: $(MIGTEST_GEN)
$(UNIT_DIR)/test_mig: $(MIGTEST_OBJS)

MIG_DEFS_FLAGS := $(UNIT_DIR)/mig/flags.txt
$(MIG_DEFS_FLAGS): Makefile tests/unit/files.mk tools/mig/mig.mk bsd/userland/files.mk
	@mkdir -p $(@D)
	$(Q)( echo '$(KERNEL_CFLAGS)'; echo '$(USERLAND_CC) $(USERLAND_CFLAGS)'; \
	  echo '$(MIG_KERNEL_DEFS)'; echo '$(BUILD)/gen'; echo '$(MIGTEST_GEN_DIR)' ) > $@
$(UNIT_OBJ)/tests/unit/mig/test_mig_defs.o: UNIT_CFLAGS += -DMIG_DEFS_FLAGS='"$(MIG_DEFS_FLAGS)"'
$(UNIT_DIR)/test_mig_defs: | $(MIG_DEFS_FLAGS) $(MIG_KERNEL_SERVER_GEN) $(MIG_KERNEL_USER_GEN) \
	$(MIGTEST_GEN) $(MIGTEST_GEN_DIR)/kuserUser.c $(USER_ABI_COPIES)

-include $(MIGTEST_OBJS:.o=.d)

.PHONY: test-unit-build

-include $(UNIT_KOBJS:.o=.d) $(UNIT_SOBJS:.o=.d) $(UNIT_TOBJS:.o=.d)
