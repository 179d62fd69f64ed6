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
# an in-tree program has the same name: ours win (ps, sysctl, dmesg, uname,
# init).

USERLAND_CC := musl-gcc
USERLAND_DIR := $(BUILD)/userland
# The kernel's headers that describe what user space and the kernel
# exchange (port names, messages, notifications) are user space's too, as
# XNU installs the same mach/ headers into both: they are copied into
# $(USER_ABI_INCLUDE), searched after libsystem's own headers. One copy of
# each layout, so the two sides cannot drift apart.
USER_ABI_HEADERS := mach/boolean.h mach/kern_return.h mach/std_types.h \
	mach/mach_types.h mach/mig.h mach/vm_prot.h mach/vm_inherit.h \
	mach/port.h mach/message.h mach/notify.h mach/ndr.h \
	mach/device_types.h \
	mach/host_info.h \
	mach/task_info.h \
	mach/thread_info.h \
	mach/thread_policy.h \
	mach/thread_status.h \
	mach/time_value.h \
	mach/vm_region.h \
	mach/vm_statistics.h \
	bsd/sys/disk.h \
	bsd/sys/kext_abi.h \
	bsd/sys/ksancov.h \
	bsd/sys/sysctl_abi.h
USER_ABI_INCLUDE := $(USERLAND_DIR)/include
USER_ABI_COPIES := $(addprefix $(USER_ABI_INCLUDE)/,$(patsubst bsd/%,%,$(USER_ABI_HEADERS)))
# The I/O Kit's return codes, as <IOKit/IOReturn.h>.
USER_ABI_COPIES += $(USER_ABI_INCLUDE)/IOKit/IOReturn.h
$(USER_ABI_INCLUDE)/IOKit/%.h: iokit/Kernel/%.h
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(USER_ABI_INCLUDE)/mach/%.h: mach/%.h
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(USER_ABI_INCLUDE)/sys/%.h: bsd/sys/%.h
	@mkdir -p $(@D)
	$(Q)cp $< $@

USERLAND_CFLAGS := -static -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-Ibsd/userland/libsystem/include -I$(USER_ABI_INCLUDE)

LIBSYSTEM := $(USERLAND_DIR)/libsystem.a
LIBSYSTEM_SRCS := $(sort $(wildcard bsd/userland/libsystem/*.c))
LIBSYSTEM_OBJS := $(patsubst bsd/userland/%.c,$(USERLAND_DIR)/obj/%.o,$(LIBSYSTEM_SRCS))

# The user side of the kernel's interfaces (docs/mig.md), generated into
# $(LIBSYSTEM_GEN) as <name>User.c and <name>_internal.h: libsystem's own
# calls (mach_port_names, task_info, ...) are made of these stubs.
LIBSYSTEM_DEFS := \
	mach/iokit.defs \
	mach/mach_host.defs \
	mach/mach_port.defs \
	mach/mach_vm.defs \
	mach/task.defs \
	mach/thread_act.defs \
	servers/bootstrap.defs
LIBSYSTEM_GEN := $(USERLAND_DIR)/gen
LIBSYSTEM_GEN_SRCS := $(foreach d,$(LIBSYSTEM_DEFS),$(LIBSYSTEM_GEN)/$(basename $(notdir $(d)))User.c)
LIBSYSTEM_GEN_HDRS := $(foreach d,$(LIBSYSTEM_DEFS),$(LIBSYSTEM_GEN)/$(basename $(notdir $(d)))_internal.h)
LIBSYSTEM_OBJS += $(patsubst $(LIBSYSTEM_GEN)/%.c,$(USERLAND_DIR)/obj/gen/%.o,$(LIBSYSTEM_GEN_SRCS))

define LIBSYSTEM_MIG_RULE
$(LIBSYSTEM_GEN)/%User.c $(LIBSYSTEM_GEN)/%_internal.h &: $(1)/%.defs tools/mig/mig.py \
    mach/std_types.defs mach/mach_types.defs mach/device_types.h
	@mkdir -p $$(@D)
	@echo "  MIG     $$< (libsystem)"
	$$(Q)$$(PYTHON) tools/mig/mig.py -I. -user $$(LIBSYSTEM_GEN)/$$*User.c \
		-header $$(LIBSYSTEM_GEN)/$$*_internal.h $$<
endef
$(eval $(call LIBSYSTEM_MIG_RULE,mach))
$(eval $(call LIBSYSTEM_MIG_RULE,servers))

# A program that serves an interface lists its .defs in its directory's
# SERVES file (servers/bootstrap.defs for init): the server side is
# generated into $(LIBSYSTEM_GEN) as <name>Server.c and <name>Server.h and
# linked into that program only.
$(LIBSYSTEM_GEN)/%Server.c $(LIBSYSTEM_GEN)/%Server.h &: servers/%.defs tools/mig/mig.py \
    mach/std_types.defs
	@mkdir -p $(@D)
	@echo "  MIG     $< (server)"
	$(Q)$(PYTHON) tools/mig/mig.py -I. -server $(LIBSYSTEM_GEN)/$*Server.c \
		-sheader $(LIBSYSTEM_GEN)/$*Server.h $<
userland_serves = $(if $(wildcard bsd/userland/$(1)/SERVES),$(shell cat bsd/userland/$(1)/SERVES))
userland_server_objs = $(foreach d,$(call userland_serves,$(1)),\
	$(USERLAND_DIR)/obj/gen/$(basename $(notdir $(d)))Server.o)
userland_server_hdrs = $(foreach d,$(call userland_serves,$(1)),\
	$(LIBSYSTEM_GEN)/$(basename $(notdir $(d)))Server.h)

$(USERLAND_DIR)/obj/gen/%.o: $(LIBSYSTEM_GEN)/%.c | $(DEPS_STAMP) $(USER_ABI_COPIES)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(USERLAND_CC) $(USERLAND_CFLAGS) -MD -MP -c $< -o $@

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

# Debian's busybox shell runs its own applet for a name before it looks at
# PATH, so an in-tree program that shares an applet's name is reached from
# the shell through a function of that name, which /etc/profile reads from
# /etc/profile.d/programs.sh (generated here: `ps() { /bin/ps "$@"; }`).
USERLAND_FUNCS := $(USERLAND_DIR)/programs.sh
$(USERLAND_FUNCS): bsd/userland/files.mk $(wildcard bsd/userland/*/INSTALL) | $(BUSYBOX)
	@mkdir -p $(@D)
	$(Q)( echo '# Generated by bsd/userland/files.mk: in-tree programs before busybox applets.'; \
	  applets=" $$($(BUSYBOX) --list | tr '\n' ' ') "; \
	  for path in $(foreach p,$(USERLAND_PROGS),$(call userland_install,$(p))); do \
		name=$${path##*/}; \
		case "$$applets" in *" $$name "*) echo "$$name() { /$$path \"\$$@\"; }" ;; esac; \
	  done ) > $@.tmp && mv $@.tmp $@

$(USERLAND_DIR)/obj/%.o: bsd/userland/%.c | $(DEPS_STAMP) $(USER_ABI_COPIES) \
    $(LIBSYSTEM_GEN_HDRS)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(USERLAND_CC) $(USERLAND_CFLAGS) -I$(LIBSYSTEM_GEN) -MD -MP -c $< -o $@

$(LIBSYSTEM): $(LIBSYSTEM_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# userland_prog: the link rule of program $(1).
define USERLAND_PROG_RULE
$(patsubst bsd/userland/%.c,$(USERLAND_DIR)/obj/%.o,$(sort $(wildcard bsd/userland/$(1)/*.c))): \
    | $(call userland_server_hdrs,$(1))
$(USERLAND_DIR)/bin/$(1): $(patsubst bsd/userland/%.c,$(USERLAND_DIR)/obj/%.o,$(sort $(wildcard bsd/userland/$(1)/*.c))) \
    $(call userland_server_objs,$(1)) $(LIBSYSTEM)
	@mkdir -p $$(@D)
	@echo "  MUSLLD  $$@"
	$(Q)$(USERLAND_CC) $(USERLAND_CFLAGS) -o $$@ $$^
endef
$(foreach p,$(USERLAND_PROGS),$(eval $(call USERLAND_PROG_RULE,$(p))))

userland: $(USERLAND_BINS) $(LIBSYSTEM)
.PHONY: userland

-include $(shell find $(USERLAND_DIR)/obj -name '*.d' 2>/dev/null)

# Generated sources are kept between builds (make would delete them as
# intermediates, and rebuild everything that includes them next time).
.SECONDARY: $(LIBSYSTEM_GEN_SRCS) $(LIBSYSTEM_GEN_HDRS) \
	$(foreach p,$(USERLAND_PROGS),$(call userland_server_hdrs,$(p)) \
		$(patsubst %.h,%.c,$(call userland_server_hdrs,$(p))))
