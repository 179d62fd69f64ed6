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
