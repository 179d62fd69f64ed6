# bsd/userland/: the programs that ship in the initrd (docs/userland.md).
#
# Every directory bsd/userland/<prog>/ holding .c files, except libsystem,
# is one program: its .c files are compiled with musl-gcc -static against
# libsystem's headers, linked with libsystem (bsd/userland/libsystem/*.c,
# one archive) into $(BUILD)/userland/bin/<prog>, and packed into the
# initrd at the path its one-line file bsd/userland/<prog>/INSTALL names
# ("sbin/init"). Adding a program is adding its directory and INSTALL file;
# adding to libsystem is adding a .c file (or a header under include/).
#
# Debian's busybox-static goes in as /bin/busybox with a symbolic link for
# each of its applets at the path `busybox --list-full` gives, except where
# an in-tree program has the same name: ours win (ps, sysctl, dmesg, init).

USERLAND_CC := musl-gcc
USERLAND_DIR := $(BUILD)/userland
USERLAND_CFLAGS := -static -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-Ibsd/userland/libsystem/include

LIBSYSTEM := $(USERLAND_DIR)/libsystem.a
LIBSYSTEM_SRCS := $(sort $(wildcard bsd/userland/libsystem/*.c))
LIBSYSTEM_OBJS := $(patsubst bsd/userland/%.c,$(USERLAND_DIR)/obj/%.o,$(LIBSYSTEM_SRCS))

USERLAND_PROGS := $(sort $(filter-out libsystem,$(patsubst bsd/userland/%/,%,\
	$(dir $(wildcard bsd/userland/*/*.c)))))
USERLAND_BINS := $(addprefix $(USERLAND_DIR)/bin/,$(USERLAND_PROGS))

# The initrd path of each program, from its INSTALL file.
userland_install = $(strip $(if $(wildcard bsd/userland/$(1)/INSTALL),\
	$(shell cat bsd/userland/$(1)/INSTALL),\
	$(error bsd/userland/$(1)/INSTALL is missing: name the program's initrd path)))
USERLAND_INITRD := $(foreach p,$(USERLAND_PROGS),$(call userland_install,$(p))=$(USERLAND_DIR)/bin/$(p))
# Busybox applets that would shadow an in-tree program are left out.
USERLAND_NAMES := $(foreach p,$(USERLAND_PROGS),$(notdir $(call userland_install,$(p))))

BUSYBOX := /bin/busybox

$(USERLAND_DIR)/obj/%.o: bsd/userland/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(USERLAND_CC) $(USERLAND_CFLAGS) -MD -MP -c $< -o $@

$(LIBSYSTEM): $(LIBSYSTEM_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# userland_prog: the link rule of program $(1).
define USERLAND_PROG_RULE
$(USERLAND_DIR)/bin/$(1): $(patsubst bsd/userland/%.c,$(USERLAND_DIR)/obj/%.o,$(sort $(wildcard bsd/userland/$(1)/*.c))) $(LIBSYSTEM)
	@mkdir -p $$(@D)
	@echo "  MUSLLD  $$@"
	$(Q)$(USERLAND_CC) $(USERLAND_CFLAGS) -o $$@ $$^
endef
$(foreach p,$(USERLAND_PROGS),$(eval $(call USERLAND_PROG_RULE,$(p))))

userland: $(USERLAND_BINS) $(LIBSYSTEM)
.PHONY: userland

-include $(shell find $(USERLAND_DIR)/obj -name '*.d' 2>/dev/null)
