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
#
# All go to /usr/tests/kexts; those in TEST_CATALOG_KEXTS also to
# /System/Library/Extensions, where the kernel finds dependencies.

TEST_KEXTS := $(sort $(patsubst %/Makefile,%,$(wildcard tests/kexts/*/Makefile)))
TEST_CATALOG_KEXTS := tests/kexts/BootLoaded tests/kexts/CycleA tests/kexts/CycleB
