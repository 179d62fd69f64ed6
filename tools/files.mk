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
