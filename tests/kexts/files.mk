# tests/kexts/: kexts the user tests load (tests/bsd/kext_*.c), built with
# the SDK exactly as an outside project would be (tools/files.mk builds
# them), most of them broken on purpose:
#
#   Unresolved      calls a function no KPI exports: refused, naming it
#   UndeclaredKPI   uses the bsd KPI without naming it in OSBundleLibraries
#   CycleA, CycleB  libraries that depend on each other: a cycle
#   TooNew          asks for SampleLibrary 2.0; the sample is 1.2
#   DupHello        codeless, with the HelloSysctl sample's identifier
#   FarReloc        built -mcmodel=small: a relocation that cannot reach
#   FailStart       start returns KERN_FAILURE
#   LeakySysctl     stop leaves a sysctl node registered
#   Codeless        Info.plist only: loads as data
#   ClassHolder     keeps an instance of its class alive until told not to
#   DupClass        defines a class named OSString, which is taken
#   BootLoaded      OSBundleRequired Root: loaded at every boot
#   FailStop        stop fails the first time
#   MissingDep      needs a library that exists nowhere
#   KIPWriter       tries to write the kernel's text and read-only data
#   PanicKext       panics in start (the boot tier loads it with kext=)
#   OnDemandDriver  a driver class whose personality matches IOResources once
#                   org.machina.test.Resource is published: loaded by matching
#   CodelessDriver  codeless: a personality for OnDemandDriver's class on
#                   org.machina.test.CodelessResource, in its own category
#   WorkLoop        a work loop, an interrupt and a timer source and a command
#                   gate, taken down by its stop before its code is freed
#   UserClient      a driver on IOResourceMatch IOKit (started at every boot)
#                   with a user client and its dispatch table, for
#                   tests/bsd/iokit_userclient.c and the user-client bench
#   ShutdownHook    a shutdown hook that logs the power-off (tests/iokit/test_platform.py)
#   ShutdownHang    a shutdown hook that never returns: power-off goes on without it
#   PCIEduDriver    a driver of QEMU's edu device through the PCI family:
#                   personalities that must and must not match, BAR 0 mapped,
#                   an interrupt on its work loop (tests/iokit/test_pci.py)
#   RAMDisk         memory-backed block storage devices for the storage family,
#                   on IOResources: a writable disk (completing on its work
#                   loop, with a failing block), a read-only one, one that
#                   misreports its block size (tests/iokit/test_storage.py)
#
# All go to /usr/tests/kexts; those in TEST_CATALOG_KEXTS also to
# /System/Library/Extensions, where the kernel finds dependencies.

TEST_KEXTS := $(sort $(filter-out tests/kexts/bench,\
	$(patsubst %/Makefile,%,$(wildcard tests/kexts/*/Makefile))))
TEST_CATALOG_KEXTS := tests/kexts/BootLoaded tests/kexts/CycleA tests/kexts/CycleB \
	tests/kexts/CodelessDriver tests/kexts/OnDemandDriver tests/kexts/PanicKext \
	tests/kexts/UserClient \
	tests/kexts/PCIEduDriver

# Twenty small kexts, BenchKext01..BenchKext20, made from tests/kexts/bench/
# into $(BUILD)/kexts/gen/ and put in /System/Library/Extensions (not loaded
# unless asked): `make bench` boots with kext=org.machina.bench.* to time
# what loading them adds to boot.
BENCH_KEXT_NUMBERS := 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20
BENCH_KEXTS := $(foreach n,$(BENCH_KEXT_NUMBERS),$(BUILD)/kexts/gen/BenchKext$(n))
$(BUILD)/kexts/gen/BenchKext%/Makefile: tests/kexts/bench/Makefile tests/kexts/bench/Info.plist \
		tests/kexts/bench/BenchKext.c tests/kexts/files.mk
	@mkdir -p $(@D)
	$(Q)sed 's/__N__/$*/g' tests/kexts/bench/Info.plist > $(@D)/Info.plist
	$(Q)sed 's/__N__/$*/g' tests/kexts/bench/BenchKext.c > $(@D)/BenchKext$*.c
	$(Q)sed 's/__N__/$*/g' tests/kexts/bench/Makefile > $@
