# tests/user/: user-mode test programs, packed into the initrd as
# /usr/tests/<name>.
#
# Each program is a static, freestanding, non-PIE x86-64 ELF executable
# (ET_EXEC) linked at USER_BASE against the small runtime in tests/user/lib
# (crt0, system call stubs, strings, printf); there is no C library. They
# are built with the host gcc, and with -mgeneral-regs-only so that they
# run whether or not the kernel saves SSE state yet. See docs/testing.md.
#
# Adding a program is one word in USER_PROGS: tests/user/<name>.c becomes
# $(BUILD)/user/<name> and /usr/tests/<name> in the initrd.

USER_PROGS := \
	exit_status \
	fault \
	hello \
	readline \
	spin \
	trap_bench

USER_LIB_SRCS := \
	tests/user/lib/print.c \
	tests/user/lib/start.c \
	tests/user/lib/string.c \
	tests/user/lib/syscall.c
USER_CRT0_SRC := tests/user/lib/crt0.asm

USER_DIR  := $(BUILD)/user
USER_OBJ  := $(USER_DIR)/obj
USER_BASE := 0x400000

USER_CFLAGS := -std=c11 -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -fno-stack-protector -fcf-protection=none \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-O2 -g -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Itests/user
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-Ttext-segment=$(USER_BASE) \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,separate-code -Wl,-z,noexecstack \
	-Wl,--build-id=none

USER_LIB_OBJS := $(patsubst %.c,$(USER_OBJ)/%.o,$(USER_LIB_SRCS))
USER_PROG_OBJS := $(patsubst %,$(USER_OBJ)/tests/user/%.o,$(USER_PROGS))
USER_CRT0 := $(patsubst %.asm,$(USER_OBJ)/%.o,$(USER_CRT0_SRC))
USER_LIB  := $(USER_DIR)/libulib.a
USER_BINS := $(addprefix $(USER_DIR)/,$(USER_PROGS))

user: $(USER_BINS)

$(USER_LIB_OBJS) $(USER_PROG_OBJS): $(USER_OBJ)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  USERCC  $<"
	$(Q)$(CC) $(USER_CFLAGS) -MD -MP -c $< -o $@

$(USER_CRT0): $(USER_OBJ)/%.o: %.asm | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $(@:.o=.d) -MP $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# crt0 first: _start is the entry point; the archive supplies the rest.
$(USER_BINS): $(USER_DIR)/%: $(USER_OBJ)/tests/user/%.o $(USER_CRT0) $(USER_LIB)
	@echo "  USERLD  $@"
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $< $(USER_LIB)

.PHONY: user

-include $(USER_LIB_OBJS:.o=.d) $(USER_PROG_OBJS:.o=.d) $(USER_CRT0:.o=.d)
