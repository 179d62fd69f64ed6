# tools/mig/mig.mk: interfaces generated from .defs files (docs/mig.md).
#
# $(call mig_generate,DEFS,DIR,FLAGS,SIDE) writes, from DEFS (a/b/foo.defs),
#   SIDE=user:   DIR/fooUser.c and DIR/foo.h          (the stubs a client links)
#   SIDE=server: DIR/fooServer.c and DIR/fooServer.h  (the server's demultiplexer)
# with FLAGS passed to the generator (-DNAME, -kernel-server, ...).
#
# The kernel's own interfaces are listed in MIG_KERNEL_DEFS (one line per
# .defs): their server side is generated for the kernel (-kernel-server,
# KERNEL_SERVER set, so the intran/outtran conversions apply) into
# $(BUILD)/gen/<dir>/, their user side for libsystem into
# $(BUILD)/gen/user/<dir>/. Nothing compiles them into the kernel or
# libsystem yet: the conversion functions and the user runtime
# (mig_get_reply_port, ...) come with Mach IPC. `make mig` generates them
# all; the unit test mig_defs compiles each with the kernel's and with
# musl-gcc's flags.

MIG := $(PYTHON) tools/mig/mig.py
MIG_DEPS := tools/mig/mig.py $(wildcard mach/*.defs)

MIG_KERNEL_DEFS := \
	mach/iokit.defs \
	mach/mach_port.defs \
	mach/task.defs \
	mach/thread_act.defs \
	mach/mach_host.defs \
	mach/mach_vm.defs \
	servers/bootstrap.defs

mig_name = $(basename $(notdir $(1)))

define MIG_GENERATE
ifeq ($(4),user)
$(2)/$(call mig_name,$(1))User.c $(2)/$(call mig_name,$(1)).h &: $(1) $(MIG_DEPS)
	@mkdir -p $(2)
	@echo "  MIG     $(1) (user)"
	$$(Q)$$(MIG) -I. $(3) -user $(2)/$(call mig_name,$(1))User.c \
		-header $(2)/$(call mig_name,$(1)).h $(1)
else
$(2)/$(call mig_name,$(1))Server.c $(2)/$(call mig_name,$(1))Server.h &: $(1) $(MIG_DEPS)
	@mkdir -p $(2)
	@echo "  MIG     $(1) (server)"
	$$(Q)$$(MIG) -I. $(3) -server $(2)/$(call mig_name,$(1))Server.c \
		-sheader $(2)/$(call mig_name,$(1))Server.h $(1)
endif
endef
mig_generate = $(eval $(call MIG_GENERATE,$(1),$(2),$(3),$(4)))

MIG_KERNEL_SERVER_GEN := $(foreach d,$(MIG_KERNEL_DEFS),\
	$(BUILD)/gen/$(dir $(d))$(call mig_name,$(d))Server.c)
MIG_KERNEL_USER_GEN := $(foreach d,$(MIG_KERNEL_DEFS),\
	$(BUILD)/gen/user/$(dir $(d))$(call mig_name,$(d))User.c)
$(foreach d,$(MIG_KERNEL_DEFS),\
	$(call mig_generate,$(d),$(BUILD)/gen/$(patsubst %/,%,$(dir $(d))),-kernel-server,server)\
	$(call mig_generate,$(d),$(BUILD)/gen/user/$(patsubst %/,%,$(dir $(d))),,user))

mig: $(MIG_KERNEL_SERVER_GEN) $(MIG_KERNEL_USER_GEN)

.PHONY: mig
