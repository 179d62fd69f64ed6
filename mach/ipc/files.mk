# mach/ipc/: Mach IPC: spaces, ports, rights, messages (docs/ipc.md).
KERNEL_SRCS += \
	mach/ipc/ipc_entry.c \
	mach/ipc/ipc_init.c \
	mach/ipc/ipc_kmsg.c \
	mach/ipc/ipc_kobject.c \
	mach/ipc/ipc_mqueue.c \
	mach/ipc/ipc_notify.c \
	mach/ipc/ipc_object.c \
	mach/ipc/ipc_port.c \
	mach/ipc/ipc_pset.c \
	mach/ipc/ipc_right.c \
	mach/ipc/ipc_space.c \
	mach/ipc/ipc_tt.c \
	mach/ipc/mach_msg.c \
	mach/ipc/mach_port.c

# The kernel's object interfaces: the server side of each .defs below is
# generated (tools/mig/mig.py -kernel-server, docs/mig.md) into
# $(BUILD)/gen/mach/ and compiled into the kernel with mach/ipc/ipc_mig.h
# forced in (the conversions and routines the servers call);
# ipc_kobject.c registers each subsystem.
IPC_KERNEL_DEFS := \
	mach/iokit.defs \
	mach/mach_host.defs \
	mach/mach_port.defs \
	mach/mach_vm.defs \
	mach/task.defs \
	mach/thread_act.defs
IPC_KERNEL_GEN := $(foreach d,$(IPC_KERNEL_DEFS),$(BUILD)/gen/mach/$(basename $(notdir $(d)))Server.c)
IPC_KERNEL_GEN_HDRS := $(IPC_KERNEL_GEN:.c=.h)
KERNEL_GEN_OBJS := $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(IPC_KERNEL_GEN))

$(BUILD)/gen/mach/%Server.c $(BUILD)/gen/mach/%Server.h &: mach/%.defs tools/mig/mig.py \
    mach/std_types.defs mach/mach_types.defs mach/device_types.h
	@mkdir -p $(@D)
	@echo "  MIG     $< (kernel server)"
	$(Q)$(PYTHON) tools/mig/mig.py -I. -kernel-server \
		-server $(BUILD)/gen/mach/$*Server.c -sheader $(BUILD)/gen/mach/$*Server.h $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c | $(ASSYM) $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -include mach/ipc/ipc_mig.h -MD -MP -c $< -o $@

# The dispatcher names the subsystems the generated headers declare.
$(BUILD)/obj/mach/ipc/ipc_kobject.o: $(IPC_KERNEL_GEN_HDRS)
.SECONDARY: $(IPC_KERNEL_GEN) $(IPC_KERNEL_GEN_HDRS)
