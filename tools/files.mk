# tools/: host programs built from kernel sources.
#
# elfcheck runs libkern's ELF reader (libkern/elf.c) on the build machine:
# the initrd rule uses it to check every user program before packing it.
# The libkern sources compile unmodified for the host, renamed as for the
# unit tests (tests/unit/shim/kern_names.h: their memcpy, snprintf, ...
# become kern_memcpy, kern_snprintf, ... and leave the C library alone).

ELFCHECK := $(BUILD)/tools/elfcheck
ELFCHECK_KSRCS := libkern/elf.c libkern/printf.c libkern/string.c
ELFCHECK_KOBJS := $(patsubst %.c,$(BUILD)/tools/obj/%.o,$(ELFCHECK_KSRCS))

TOOLS_HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -I.

$(ELFCHECK_KOBJS): $(BUILD)/tools/obj/%.o: %.c tests/unit/shim/kern_names.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(TOOLS_HOST_CFLAGS) -include tests/unit/shim/kern_names.h \
		-ffreestanding -fno-tree-loop-distribute-patterns -Wno-unused-parameter \
		-MD -MP -c $< -o $@

$(ELFCHECK): tools/elfcheck.c $(ELFCHECK_KOBJS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(TOOLS_HOST_CFLAGS) -MD -MP -MF $@.d -o $@ $< $(ELFCHECK_KOBJS)

tools: $(ELFCHECK)

.PHONY: tools

-include $(ELFCHECK_KOBJS:.o=.d) $(ELFCHECK).d
include tools/mig/mig.mk

# --- the kext SDK (docs/kexts.md) ---------------------------------------------
#
# `make sdk` assembles $(SDK_DIR): the KPI headers (SDK_PUBLIC_HEADERS and
# everything they include), kext.mk with the flags the kernel was built
# with, the Info.plist checker, new-kext and its template, the KPI export
# lists. In-tree kexts (samples/, tests/kexts/) are built with it exactly as
# an outside project would be.

SDK_DIR := $(BUILD)/sdk
SDK_STAMP := $(SDK_DIR)/kernel.mk
SDK_PUBLIC_HEADERS := \
	bsd/miscfs/devfs/devfs.h \
	bsd/sys/conf.h \
	bsd/sys/disk.h \
	bsd/sys/errno.h \
	bsd/sys/sysctl.h \
	bsd/sys/uio.h \
	iokit/Families/IOPCIFamily/IOPCIDevice.h \
	iokit/Families/IOStorageFamily/IOBlockStorageDevice.h \
	iokit/Families/IOStorageFamily/IOBlockStorageDriver.h \
	iokit/Families/IOStorageFamily/IOMedia.h \
	iokit/Families/IOVirtioFamily/IOVirtioDevice.h \
	iokit/Families/IOVirtioFamily/IOVirtioQueue.h \
	iokit/Kernel/IOACPITables.h \
	iokit/Kernel/IOBufferMemoryDescriptor.h \
	iokit/Kernel/IOCatalogue.h \
	iokit/Kernel/IOCommandGate.h \
	iokit/Kernel/IODMACommand.h \
	iokit/Kernel/IOEventSource.h \
	iokit/Kernel/IOInterruptEventSource.h \
	iokit/Kernel/IOLib.h \
	iokit/Kernel/IOLocks.h \
	iokit/Kernel/IOMemoryDescriptor.h \
	iokit/Kernel/IOMessage.h \
	iokit/Kernel/IOPlatformDevice.h \
	iokit/Kernel/IOPlatformExpert.h \
	iokit/Kernel/IORegistryEntry.h \
	iokit/Kernel/IOReturn.h \
	iokit/Kernel/IOService.h \
	iokit/Kernel/IOTimerEventSource.h \
	iokit/Kernel/IOUserClient.h \
	iokit/Kernel/IOWorkLoop.h \
	kernel/console.h \
	kernel/machine_routines.h \
	kernel/random.h \
	kernel/version.h \
	$(filter-out libkern/OSKext.h libkern/OSKextBundle.h,$(wildcard libkern/OS*.h)) \
	libkern/libkern.h \
	mach/kern/clock.h \
	mach/kern/locks.h \
	mach/kern/sched_prim.h \
	mach/kern/thread.h \
	mach/kern_return.h \
	mach/kmod.h \
	mach/mach_types.h
SDK_TOOLS := tools/mksdk.py tools/kext.mk tools/kextinfo.py tools/new-kext \
	$(wildcard tools/kext-template/*) $(wildcard tools/kext-template-driver/*) \
	$(wildcard tools/kext-template-pci/*)
KEXT_SDK_CFLAGS := $(KERNEL_CODEGEN) -Wall -Wextra -Wno-unused-parameter

$(SDK_STAMP): $(SDK_PUBLIC_HEADERS) $(SDK_TOOLS) $(KPI_EXPORTS) Makefile tools/files.mk \
		| $(ASSYM) $(SYSCALL_GEN) $(DEPS_STAMP)
	$(Q)$(PYTHON) tools/mksdk.py --out $(SDK_DIR) --build $(BUILD) --cc $(CC) \
		--cflags '$(KERNEL_CFLAGS)' --kext-cflags '$(KEXT_SDK_CFLAGS)' \
		--version '$(VERSION) ($(GIT_REV))' --headers $(SDK_PUBLIC_HEADERS) \
		--exports $(KPI_EXPORTS) --depfile $(BUILD)/sdk.d

sdk: $(SDK_STAMP)

.PHONY: sdk
-include $(BUILD)/sdk.d

# --- in-tree kexts, built with the SDK as an outside project would be ---------
#
# Each directory in IN_TREE_KEXTS holds a Makefile that includes kext.mk;
# its bundle (named after the directory) lands in $(KEXT_BUILD). The
# families and drivers Machina ships (iokit/Families/*, iokit/Drivers/*) and
# the samples go into the initrd's /System/Library/Extensions, where
# matching loads them when their hardware appears; the test kexts
# (tests/kexts/files.mk) into /usr/tests/kexts. EXTRA_KEXTS=path/Foo.kext
# (space-separated) adds bundles built elsewhere to /System/Library/Extensions.

KEXT_BUILD := $(BUILD)/kexts
SAMPLE_KEXTS := $(sort $(dir $(wildcard samples/kexts/*/Makefile)))
SAMPLE_KEXTS := $(SAMPLE_KEXTS:/=)
SHIPPED_KEXTS := $(sort $(dir $(wildcard iokit/Families/*/Makefile iokit/Drivers/*/Makefile)))
SHIPPED_KEXTS := $(SHIPPED_KEXTS:/=)
IN_TREE_KEXTS := $(SHIPPED_KEXTS) $(SAMPLE_KEXTS) $(TEST_KEXTS) $(BENCH_KEXTS)
kext_bundle = $(abspath $(KEXT_BUILD))/$(notdir $(1)).kext
kext_stamp = $(KEXT_BUILD)/obj/$(notdir $(1)).stamp

define KEXT_BUILD_RULE
$(call kext_stamp,$(1)): $(SDK_STAMP) $(1)/Makefile $(wildcard $(1)/*)
	@mkdir -p $$(@D)
	$(Q)rm -rf $(call kext_bundle,$(1))
	$(Q)$$(MAKE) --no-print-directory -C $(1) MACHINA_SDK=$(abspath $(SDK_DIR)) \
		KEXT_OBJDIR=$(abspath $(KEXT_BUILD)/obj/$(notdir $(1))) \
		KEXT_OUT=$(abspath $(KEXT_BUILD)) KEXT_WARN=-Werror
	$(Q)touch $$@
endef
$(foreach k,$(IN_TREE_KEXTS),$(eval $(call KEXT_BUILD_RULE,$(k))))

KEXT_STAMPS := $(foreach k,$(IN_TREE_KEXTS),$(call kext_stamp,$(k)))
kexts: $(KEXT_STAMPS)

# A sample may come with user programs that call it
# (samples/kexts/<name>/user/<prog>.c), built as libsystem's programs are
# and installed in the initrd as /usr/samples/<prog>.
SAMPLE_PROG_SRCS := $(sort $(wildcard samples/kexts/*/user/*.c))
SAMPLE_PROG_DIR := $(BUILD)/samples
SAMPLE_PROG_BINS := $(addprefix $(SAMPLE_PROG_DIR)/,$(basename $(notdir $(SAMPLE_PROG_SRCS))))
SAMPLE_PROG_INITRD := $(foreach p,$(SAMPLE_PROG_BINS),usr/samples/$(notdir $(p))=$(p))
define SAMPLE_PROG_RULE
$(SAMPLE_PROG_DIR)/$(basename $(notdir $(1))): $(1) $(wildcard $(dir $(1))../*.h) $(LIBSYSTEM) \
    | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $$(@D)
	@echo "  MUSLCC  $$<"
	$$(Q)$$(USERLAND_CC) $$(USERLAND_CFLAGS) -o $$@ $$< $$(LIBSYSTEM)
endef
$(foreach s,$(SAMPLE_PROG_SRCS),$(eval $(call SAMPLE_PROG_RULE,$(s))))
$(INITRD): $(SAMPLE_PROG_BINS)

# What the initrd gets: bundle directories, and a map for the debugger
# (tools/gdb) from each bundle's path in the initrd to its files here.
EXTRA_KEXTS ?=
EXTRA_KEXTS_STAMP := $(BUILD)/extra-kexts.txt
$(EXTRA_KEXTS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(abspath $(EXTRA_KEXTS))' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(foreach k,$(EXTRA_KEXTS),$(if $(wildcard $(k)/Contents/Info.plist),,\
	$(error EXTRA_KEXTS: $(k) is not a kext bundle (no Contents/Info.plist); build it first)))
KEXT_INITRD := $(foreach k,$(SHIPPED_KEXTS) $(SAMPLE_KEXTS),System/Library/Extensions/$(notdir $(k)).kext=$(call kext_bundle,$(k))) \
	$(foreach k,$(TEST_KEXTS),usr/tests/kexts/$(notdir $(k)).kext=$(call kext_bundle,$(k))) \
	$(foreach k,$(TEST_CATALOG_KEXTS) $(BENCH_KEXTS),System/Library/Extensions/$(notdir $(k)).kext=$(call kext_bundle,$(k))) \
	$(foreach k,$(EXTRA_KEXTS),System/Library/Extensions/$(notdir $(k))=$(abspath $(k)))
KEXT_INITRD_DEPS := $(KEXT_STAMPS) $(EXTRA_KEXTS_STAMP) \
	$(foreach k,$(EXTRA_KEXTS),$(shell find $(k) -type f 2>/dev/null))
KEXT_MAP := $(BUILD)/kexts.map
$(KEXT_MAP): $(KEXT_INITRD_DEPS)
	$(Q)printf '%s\n' $(foreach s,$(KEXT_INITRD),'/$(subst =, ,$(s))') > $@

.PHONY: kexts
