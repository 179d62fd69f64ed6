# Machina: top-level build.
#
# Every directory lists its sources in a files.mk; this file only knows how to
# turn them into build/kernel.elf, build/initrd.cpio and build/machina.iso, and
# how to boot, debug and test the result. Everything built lands in build/.
#
# The verbs users see:
#   make            kernel, initrd and ISO
#   make run        boot the direct (PVH) image with the serial console here
#   make run-iso    boot the ISO through GRUB
#   make debug      boot halted, waiting for gdb on $(GDBPORT)
#   make gdb        attach gdb with symbols and the tools/gdb macros
#   make debug-gdb  both in one terminal (serial console in build/debug-serial.log)
#   make gdb-core   open a core a panic left (make run CORE=FILE)
#   make record     boot, recording every input (RR=dir, default build/rr)
#   make replay     replay the recording under gdb, which can run backwards
#   make test       every test tier; ends with "N passed, N failed"
#   make bench      every benchmark (BENCH=glob for some), as name value unit
#   make bench-compare  Machina and Linux side by side: figure, both, ratio
# See README.md for the rest.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

BUILD    ?= build
ARGS     ?=
ACCEL    ?= auto
MEM      ?= 256M
SMP      ?= 1
# Each user's own gdb port, so that two people on one machine do not collide
# (1234 for root, as QEMU's documentation has it).
GDBPORT  ?= $(shell expr 1234 + $$(id -u) % 1000)
GDBSTUB  ?= 0
KTESTS   ?= 1
DEBUG    ?= 1
V        ?= 0
BENCH    ?= *
BENCH_RUNS ?= 3
BENCH_SMP ?= 2
# KCOV=1: the kernel instrumented for coverage (docs/fuzzing.md), built
# into $(BUILD)/kcov/ beside the normal one, which it shares the initrd with.
KCOV     ?= 0

ifeq ($(V),1)
Q :=
else
Q := @
endif

CC       := gcc
LD       := ld
NASM     := nasm
OBJCOPY  := objcopy
NM       := nm
PYTHON   := python3
HOSTCC   ?= gcc

GIT_REV  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
VERSION  := 0.1.0

# --- kernel flags ----------------------------------------------------------

# How kernel code is compiled: the kernel's own sources and kexts alike (the
# SDK hands KERNEL_CODEGEN to kexts in its kernel.mk). Compiler-neutral, so a
# kext may be built with gcc or clang.
KERNEL_CODEGEN := -std=gnu11 -ffreestanding -nostdinc \
	-mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
	-fno-pic -fno-pie -fstack-protector-strong -mstack-protector-guard=global -fno-common \
	-fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-strict-aliasing \
	-O2 -g -DKERNEL=1 -DKTESTS=$(KTESTS) -DMACHINA_DEBUG=$(DEBUG)

# XNU_KERNEL_PRIVATE: built into the kernel image, not a kext. Headers give
# such code inline versions of calls kexts make out of line (XNU's macro).
KERNEL_CFLAGS := $(KERNEL_CODEGEN) -isystem $(shell $(CC) -print-file-name=include) \
	-fno-tree-loop-distribute-patterns -ffunction-sections -DXNU_KERNEL_PRIVATE=1 \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter \
	-I. -I$(BUILD)/include -I$(BUILD)/gen

NASMFLAGS := -f elf64 -g -F dwarf -I. -I$(BUILD)/include/

# -L: where linker.ld finds kernel.order.ld (KDIR is set below, hence =).
LDFLAGS = -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments --build-id=none -L $(KDIR) -T linker.ld

# --- sources ---------------------------------------------------------------

KERNEL_SRCS :=
KERNEL_ASM  :=
KTEST_SRCS  :=

include boot/files.mk
include kernel/files.mk
include kernel/x86_64/files.mk
include libkern/files.mk
include mach/files.mk
include mach/ipc/files.mk
include bsd/files.mk
include iokit/files.mk
include tests/files.mk
include tests/kexts/files.mk

ifeq ($(KTESTS),1)
KERNEL_SRCS += $(KTEST_SRCS)
endif

# Where the kernel's own objects, symbol tables and image go: $(BUILD),
# or $(BUILD)/kcov for the coverage kernel. The generated sources, the
# MIG stubs' objects and everything of user space are shared.
KDIR := $(BUILD)
ifeq ($(KCOV),1)
KDIR := $(BUILD)/kcov
# gcc's trace-pc hook at every basic block of the machine-independent
# kernel. Not instrumented: boot/ and kernel/ (early boot, the machine-
# dependent code: trap entry, pmap, the local APIC, the console and panic
# paths), the hook's own file san/, and the in-kernel tests.
KCOV_CFLAGS := -fsanitize-coverage=trace-pc
KERNEL_SRCS += san/ksancov.c
KCOV_SRCS := $(filter-out boot/% kernel/% san/% $(KTEST_SRCS),$(KERNEL_SRCS))
KERNEL_CFLAGS += -DKSANCOV=1
endif

KOBJS := $(patsubst %.c,$(KDIR)/obj/%.o,$(KERNEL_SRCS)) \
         $(patsubst %.asm,$(KDIR)/obj/%.o,$(KERNEL_ASM)) \
         $(KERNEL_GEN_OBJS)

KERNEL   := $(KDIR)/kernel.elf
INITRD   := $(BUILD)/initrd.cpio
ISO      := $(KDIR)/machina.iso
ASSYM    := $(BUILD)/include/assym.inc

all: $(KERNEL) $(INITRD) $(ISO)
kernel: $(KERNEL)
initrd: $(INITRD)
iso: $(ISO)

# Set-up: install what is missing from Debian's archive. Cheap when nothing is.
DEPS_STAMP := $(BUILD)/.deps-ok
$(DEPS_STAMP): tools/deps.sh
	$(Q)tools/deps.sh
	$(Q)mkdir -p $(@D) && touch $@
deps:
	$(Q)tools/deps.sh

# --- compiling -------------------------------------------------------------

# The version strings, rewritten only when they change so that a new commit
# rebuilds version.c and nothing else.
VERSION_H := $(BUILD)/include/machina_version.h
$(VERSION_H): FORCE
	@mkdir -p $(@D)
	@printf '#define MACHINA_VERSION "%s"\n#define MACHINA_GIT_REV "%s"\n' \
		'$(VERSION)' '$(GIT_REV)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(KDIR)/obj/kernel/version.o: $(VERSION_H)
FORCE:

# The system-call tables and prototypes, from bsd/kern/syscalls.master.
SYSCALL_GEN := $(BUILD)/gen/bsd/sys/sysproto_gen.h $(BUILD)/gen/bsd/kern/syscall_table.inc
$(SYSCALL_GEN) &: bsd/kern/syscalls.master tools/makesyscalls.py
	@mkdir -p $(BUILD)/gen/bsd/sys $(BUILD)/gen/bsd/kern
	$(Q)$(PYTHON) tools/makesyscalls.py $< $(SYSCALL_GEN)

# The flags the kernel's objects were compiled with: rewritten only when they
# change, and every object depends on it, so that a change of flags rebuilds
# them all rather than linking old objects with new ones.
KERNEL_FLAGS_FILE := $(KDIR)/kernel-cflags
$(KERNEL_FLAGS_FILE): FORCE
	@mkdir -p $(@D)
	@echo '$(KERNEL_CFLAGS) $(KCOV_CFLAGS)' | cmp -s - $@ || \
		echo '$(KERNEL_CFLAGS) $(KCOV_CFLAGS)' > $@

$(KDIR)/obj/%.o: %.c $(KERNEL_FLAGS_FILE) | $(ASSYM) $(SYSCALL_GEN) $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(if $(filter $<,$(KCOV_SRCS)),$(KCOV_CFLAGS)) -MD -MP -c $< -o $@

$(KDIR)/obj/%.o: %.asm $(ASSYM) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# Offsets shared between C and NASM come from C (genassym), never typed twice.
$(BUILD)/obj/genassym.s: kernel/x86_64/genassym.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -MD -MP -MT $@ -S $< -o $@
$(ASSYM): $(BUILD)/obj/genassym.s tools/genassym.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)tools/genassym.sh $< > $@.tmp && mv $@.tmp $@

# --- the KPI table: what kexts may link against (docs/kpi.md) ---------------
#
# config/kpi.list names the bundles, config/*.exports their symbols. Before
# the link, tools/mkkpi.py checks every listed name against the global
# symbols the kernel's objects define, and stops the build with FILE: LINE:
# "name" is not a global symbol of the kernel; then it writes the table.

KPI_LIST    := config/kpi.list
KPI_EXPORTS := $(wildcard config/*.exports)
KPI_NM      := $(KDIR)/gen/kernel-globals.nm
KPI_SRC     := $(KDIR)/gen/kpi_table.c
KPI_OBJ     := $(KDIR)/obj/gen/kpi_table.o
# The kernel proper: a symbol only the in-kernel tests define is not a KPI.
KPI_NM_OBJS := $(filter-out $(patsubst %.c,$(KDIR)/obj/%.o,$(KTEST_SRCS)),$(KOBJS))

$(KPI_SRC): $(KPI_NM_OBJS) $(KPI_LIST) $(KPI_EXPORTS) tools/mkkpi.py
	@mkdir -p $(@D)
	@echo "  KPI     $(KPI_LIST)"
	$(Q)$(NM) -g --defined-only $(KPI_NM_OBJS) > $(KPI_NM)
	$(Q)$(PYTHON) tools/mkkpi.py --list $(KPI_LIST) --version $(VERSION) --nm $(KPI_NM) -o $@

$(KPI_OBJ): $(KPI_SRC) libkern/kpi.h $(KERNEL_FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# --- linking: two passes for the embedded symbol table ---------------------
#
# Pass 1 links with an empty .ksyms section, which sits after .bss, so that its
# size cannot move any other symbol. Its symbols become build/ksyms.bin; pass 2
# links that in. tools/mkksyms.py --verify checks that no symbol moved.

$(KDIR)/ksyms-empty.bin: tools/mkksyms.py | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkksyms.py --empty -o $@

$(KDIR)/%.ksyms.o: $(KDIR)/%.bin
	$(Q)$(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.ksyms,alloc,load,readonly,data,contents \
		$< $@

# The hot functions first in .text (config/kernel.order, tools/kernel_order.py):
# each is in a section of its own (-ffunction-sections), named for it, and an
# assembled object's whole .text goes where its name is listed.
$(KDIR)/kernel.order.ld: config/kernel.order
	@mkdir -p $(@D)
	$(Q)sed -e '/^#/d' -e '/^[[:space:]]*$$/d' \
		-e 's/^\(.*\)\.o$$/\t\t*\/\1.o(.text)/' -e t \
		-e 's/.*/\t\t*(.text.\0 .text.\0.*)/' $< > $@

$(KDIR)/kernel.pass1.elf: $(KOBJS) $(KPI_OBJ) $(KDIR)/ksyms-empty.ksyms.o linker.ld $(KDIR)/kernel.order.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -o $@ $(KOBJS) $(KPI_OBJ) $(KDIR)/ksyms-empty.ksyms.o

$(KDIR)/ksyms.bin: $(KDIR)/kernel.pass1.elf tools/mkksyms.py
	$(Q)$(NM) -n -S $< | $(PYTHON) tools/mkksyms.py -o $@

$(KERNEL): $(KOBJS) $(KPI_OBJ) $(KDIR)/ksyms.ksyms.o linker.ld $(KDIR)/kernel.order.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -o $@ $(KOBJS) $(KPI_OBJ) $(KDIR)/ksyms.ksyms.o
	$(Q)$(PYTHON) tools/mkksyms.py --verify $(KDIR)/kernel.pass1.elf $@
	$(Q)$(NM) -n $@ > $(KDIR)/kernel.sym
	$(Q)objdump -d -M intel --no-show-raw-insn $@ > $(KDIR)/kernel.asm 2>/dev/null || true

# --- user test programs, host tools -----------------------------------------

include tests/user/files.mk
include bsd/userland/files.mk
include tests/bsd/files.mk
include tools/files.mk

# --- initrd and ISO --------------------------------------------------------

# The initrd/ tree, plus the user test programs at /usr/tests/<name>, the
# in-tree programs (bsd/userland) where their INSTALL files say, busybox and
# its applet links, and the empty directories a root needs. Every program
# is first checked by the kernel's own ELF reader (tools/elfcheck), so that
# the archive never holds a program the kernel would refuse.
INITRD_FILES := $(shell find initrd -mindepth 1 2>/dev/null)
INITRD_EXTRA := $(foreach p,$(USER_PROGS),usr/tests/$(p)=$(USER_DIR)/$(p)) \
	$(foreach p,$(BSD_TESTS),usr/tests/bsd/$(p)=$(BSD_TEST_DIR)/$(p)) \
	usr/bench/ubench=$(UBENCH) usr/bench/diskbench=$(DISKBENCH) usr/bench/machbench=$(MACHBENCH) usr/bench/kextbench=$(KEXTBENCH) $(USERLAND_INITRD) dev/ root/:0700 tmp/:1777 \
	etc/profile.d/programs.sh=$(USERLAND_FUNCS) $(KEXT_INITRD)
INITRD_EXTRA += $(SAMPLE_PROG_INITRD)
$(INITRD): $(INITRD_FILES) $(USER_BINS) $(BSD_TEST_BINS) $(UBENCH) $(DISKBENCH) $(MACHBENCH) $(KEXTBENCH) $(USERLAND_BINS) $(BUSYBOX) \
		$(USERLAND_FUNCS) $(KEXT_INITRD_DEPS) $(KEXT_MAP) \
		$(ELFCHECK) tools/mkinitrd.sh tools/busybox-links.sh bsd/userland/files.mk | $(DEPS_STAMP)
	@echo "  INITRD  $@"
	$(Q)$(ELFCHECK) -q $(USER_BINS) $(BSD_TEST_BINS) $(UBENCH) $(DISKBENCH) $(MACHBENCH) $(KEXTBENCH) $(USERLAND_BINS) $(BUSYBOX)
	$(Q)tools/mkinitrd.sh initrd $@ $(INITRD_EXTRA) \
		$$(tools/busybox-links.sh $(BUSYBOX) $(USERLAND_NAMES))
# Installed by tools/deps.sh (busybox-static); a check, not a build.
$(BUSYBOX): | $(DEPS_STAMP)
	$(Q)test -x $@

ISO_ARGS ?=
$(ISO): $(KERNEL) $(INITRD) iso/boot/grub/grub.cfg tools/mkiso.sh | $(DEPS_STAMP)
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $@ $(KERNEL) $(INITRD) "$(ISO_ARGS)"

# --- running and debugging -------------------------------------------------

# QEMU_ARGS: more QEMU arguments for run, run-iso, debug and record
# (QEMU_ARGS="-device edu" gives a driver its device).
QEMU_ARGS ?=
QEMU_RUN := $(PYTHON) tools/qemu-run --accel $(ACCEL) --mem $(MEM) --smp $(SMP) \
	--qemu-args "$(QEMU_ARGS)"

CORE ?=
run: $(KERNEL) $(INITRD)
	$(Q)$(QEMU_RUN) --kernel $(KERNEL) --initrd $(INITRD) --args "$(ARGS)" --interactive \
		$(if $(filter 1,$(GDBSTUB)),--gdb-port $(GDBPORT)) $(if $(CORE),--core $(CORE))

run-iso: $(ISO)
	$(Q)$(QEMU_RUN) --iso $(ISO) --kernel $(KERNEL) --interactive

debug: $(KERNEL) $(INITRD)
	$(Q)$(QEMU_RUN) --kernel $(KERNEL) --initrd $(INITRD) --args "$(ARGS)" \
		--interactive --gdb-port $(GDBPORT) --halted

debug-iso: $(ISO)
	$(Q)$(QEMU_RUN) --iso $(ISO) --kernel $(KERNEL) --interactive --gdb-port $(GDBPORT) --halted

gdb: $(KERNEL)
	$(Q)gdb -q -x tools/gdb/machina.py -ex 'machina-attach $(GDBPORT)' $(KERNEL)

# A core a panic left (make run CORE=FILE), with the kernel's symbols, the
# kexts' and the commands: as live, without the machine.
gdb-core: $(KERNEL)
	$(Q)test -n "$(CORE)" || { echo "make gdb-core: say which core: CORE=path" >&2; exit 2; }
	$(Q)gdb -q -x tools/gdb/machina.py -ex kextsymbols -ex paniclog $(KERNEL) $(CORE)

# QEMU halted in the background (serial console in build/debug-serial.log)
# and gdb here, attached; QEMU stops when gdb exits.
debug-gdb: $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tools/debug-gdb --kernel $(KERNEL) --initrd $(INITRD) --args "$(ARGS)" \
		--accel $(ACCEL) --mem $(MEM) --smp $(SMP) --gdb-port $(GDBPORT) \
		--serial-log $(BUILD)/debug-serial.log

# Record a run (QEMU's record/replay: TCG, one CPU) into $(RR); replay it
# under gdb, which can then run backwards (docs/debugging.md).
RR ?= $(BUILD)/rr
record: $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tools/qemu-run --kernel $(KERNEL) --initrd $(INITRD) --args "$(ARGS)" \
		--mem $(MEM) --record $(RR) --qemu-args "$(QEMU_ARGS)"

replay:
	$(Q)$(PYTHON) tools/debug-gdb --replay $(RR) --gdb-port $(GDBPORT) \
		--serial-log $(RR)/replay-serial.log

# --- tests and benchmarks --------------------------------------------------

include tests/unit/files.mk
include tests/fuzz/files.mk
include tests/fuzz/fuzz.mk

test: all test-unit-build kcov-kernel
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL)

test-unit: test-unit-build
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --only unit

test-kernel: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only kernel

test-boot: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only boot

test-user: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only user

test-kcov: all kcov-kernel
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only kcov

test-bench: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only bench

test-kexts: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only kexts

test-iokit: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only iokit

# The user tests as /sbin/init runs them (tests=user), rather than from the
# kernel console as the user tier does.
test-user-console: all
	$(Q)$(PYTHON) tests/boot/test_user.py --build $(BUILD) --accel $(ACCEL) --mode console

# Long fuzzer runs inside Machina under TCG (docs/fuzzing.md): N calls of
# seed SEED; the console log is kept in $(BUILD)/fuzz-logs/.
N ?= 100000
SEED ?= 1
# With KCOV=1 they run on the coverage kernel, guided by coverage
# (FUZZ_FLAGS=-u: measured, not guided).
FUZZ_FLAGS ?=
fuzz-syscalls: all
	$(Q)$(PYTHON) tools/fuzz_machina.py --build $(BUILD) --kernel $(KERNEL) -n $(N) -s $(SEED) \
		$(FUZZ_FLAGS)

fuzz-mach: all
	$(Q)$(PYTHON) tools/fuzz_machina.py --build $(BUILD) --kernel $(KERNEL) --mach -n $(N) \
		-s $(SEED) $(FUZZ_FLAGS)

# The coverage kernel alone (what the kcov tier of make test boots). What
# it shares with the normal build is made here first, so that the two
# makes never write the same file at once under -j.
kcov-kernel: $(ASSYM) $(SYSCALL_GEN) $(VERSION_H) $(KERNEL_GEN_OBJS) | $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory KCOV=1 $(BUILD)/kcov/kernel.elf

test-shell: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only shell

test-gdb: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only gdb

test-soak: all
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --accel $(ACCEL) --only soak

# Minutes of load on each CPU count, then leak and lock-order checks
# (docs/testing.md): make soak SOAK_TIME=600 SOAK_SMP="2 4".
SOAK_TIME ?= 300
SOAK_SMP  ?= 2 4
soak: all
	$(Q)$(PYTHON) tools/soak.py --build $(BUILD) --accel $(ACCEL) --time $(SOAK_TIME) \
		--smp "$(SOAK_SMP)"

syscalls-doc:
	$(Q)$(PYTHON) tools/makesyscalls.py --doc bsd/kern/syscalls.master docs/syscalls.md

test-lint: $(ASSYM) $(SYSCALL_GEN) $(USER_ABI_COPIES)
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --only lint

bench: $(KERNEL) $(INITRD) $(ISO)
	$(Q)$(PYTHON) tools/bench/run.py --build $(BUILD) --accel $(ACCEL) \
		--bench '$(BENCH)' --runs $(BENCH_RUNS)

# The same user-mode figures on Debian's Linux in the same QEMU, and both
# kernels side by side (docs/performance.md). The kernel package comes from
# Debian's archive, installed the way tools/deps.sh installs the rest.
bench-linux-deps:
	$(Q)tools/bench/linux-deps.sh

bench-linux: bench-linux-deps | $(DEPS_STAMP)
	$(Q)$(PYTHON) tools/bench/linux.py --build $(BUILD) --accel $(ACCEL) --runs $(BENCH_RUNS) \
		--smp $(BENCH_SMP)

bench-compare: $(KERNEL) $(INITRD) bench-linux-deps
	$(Q)$(PYTHON) tools/bench/compare.py --build $(BUILD) --accel $(ACCEL) --runs $(BENCH_RUNS) \
		--smp $(BENCH_SMP)

# Re-derive config/kernel.order (the hot functions, first in .text) from
# QEMU's log of what each benchmark runs; relink afterwards (make).
kernel-order: $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tools/kernel_order.py --build $(BUILD)

# --- developer conveniences ------------------------------------------------

# bear records the compiler calls of a full rebuild (kernel and host tests).
# bear records the compiler calls of a full rebuild (kernel and host tests);
# always rerun, since the file's age says nothing about the sources'.
compile_commands.json: $(DEPS_STAMP)
	$(Q)rm -rf $(BUILD)/obj $(BUILD)/tests/unit/obj
	$(Q)bear --output $@ -- $(MAKE) --no-print-directory kernel test-unit-build

# Format what the working tree changes (staged or not) against HEAD; see
# docs/style.md for why whole files are not reformatted. FORMAT_BASE=<rev>
# formats everything changed since that revision instead.
FORMAT_BASE ?= HEAD
format: | $(DEPS_STAMP)
	$(Q)git clang-format --quiet $(FORMAT_BASE) -- '*.c' '*.h' || true

# Each header must compile on its own (a .c includes its own header first;
# this catches the headers that have no .c).
check-headers: $(DEPS_STAMP) | $(ASSYM)
	$(Q)for h in $$(git ls-files 'kernel/*.h' 'libkern/*.h' 'mach/*.h' 'bsd/*.h' 'iokit/*.h' 'tests/*.h' | grep -v '^tests/unit/\|^tests/user/\|^tests/bsd/\|^bsd/userland/'); do \
		echo "#include \"$$h\"" | $(CC) $(KERNEL_CFLAGS) -x c -fsyntax-only - || { echo "  FAIL    $$h"; exit 1; }; \
	done; echo "  headers stand alone"

# make print-VAR: a variable's value, for scripts (tests/lint reads the flags).
print-%:
	@echo $($*)

clean:
	rm -rf $(BUILD)

.PHONY: compile_commands.json FORCE all kernel initrd iso deps run run-iso debug debug-iso gdb debug-gdb gdb-core test test-unit \
	test-kernel test-boot test-user test-bench test-kexts test-iokit record replay test-user-console fuzz-syscalls fuzz-mach kcov-kernel test-kcov test-shell test-gdb test-soak soak test-lint syscalls-doc bench bench-linux-deps bench-linux bench-compare kernel-order format check-headers clean

-include $(shell find $(KDIR)/obj $(if $(filter 1,$(KCOV)),$(BUILD)/obj/gen) -name '*.d' 2>/dev/null)
