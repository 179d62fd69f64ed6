# tests/fuzz/fuzz.mk: building and running the fuzz targets that
# tests/fuzz/files.mk lists. Included by the top Makefile after it.
#
#   make fuzz-build   build/tests/fuzz/fuzz_NAME for every target
#   make fuzz-host    build them and run each for FUZZ_TIME seconds (60),
#                     new inputs kept in build/tests/fuzz/corpus/NAME; then
#                     the MIG generator's fuzzer (tests/fuzz/fuzz_mig.py)
#                     for as long, from FUZZ_SEED if given, failing inputs
#                     in build/tests/fuzz/mig
#   make fuzz         the same as fuzz-host
#
# Kernel sources compile with clang exactly as the unit tests compile them
# with gcc (tests/unit/files.mk): kern_names.h forced in, freestanding,
# linked with the unit tests' shim (panic, ml_*, kalloc over malloc).
# Each target is built with ASan and UBSan; LeakSanitizer is on in its
# run (the harness's __asan_default_options).

FUZZ_CC   ?= clang
FUZZ_TIME ?= 60
FUZZ_DIR  := $(BUILD)/tests/fuzz
FUZZ_OBJ  := $(FUZZ_DIR)/obj

FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -I. -DMACHINA_DEBUG=1 -g -O1 \
	-fno-omit-frame-pointer -fno-strict-aliasing \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_KERNEL_CFLAGS := $(FUZZ_CFLAGS) -include tests/unit/shim/kern_names.h \
	-ffreestanding -Wno-unused-parameter
FUZZ_SHIM_SRCS := tests/unit/shim/shim.c tests/unit/shim/kalloc.c tests/unit/shim/kmem.c

FUZZ_BINS := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS))
FUZZ_KERNEL_SRCS := $(sort $(foreach t,$(FUZZ_TARGETS),$(FUZZ_$(t)_SRCS)))

$(FUZZ_OBJ)/kernel/%.o: %.c tests/unit/shim/kern_names.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_KERNEL_CFLAGS) -MD -MP -c $< -o $@

$(FUZZ_OBJ)/host/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MD -MP -c $< -o $@

define FUZZ_LINK_RULE
$(FUZZ_DIR)/fuzz_$(1): $(FUZZ_OBJ)/host/tests/fuzz/fuzz_$(1).o \
		$(patsubst %.c,$(FUZZ_OBJ)/host/%.o,$(FUZZ_SHIM_SRCS)) \
		$(patsubst %.c,$(FUZZ_OBJ)/kernel/%.o,$(FUZZ_$(1)_SRCS))
	@echo "  FUZZLD  $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$^ $(FUZZ_$(1)_LDFLAGS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_LINK_RULE,$(t))))

fuzz-build: $(FUZZ_BINS)

# Each target: its own corpus directory in build/ first (where libFuzzer
# writes what it finds), the checked-in seeds second (read only), and
# tests/fuzz/NAME.dict if there is one. Crashes land in build/tests/fuzz/
# (crash-HASH, leak-HASH, timeout-HASH). Every target runs even when one
# fails; the run fails at the end, naming them.
FUZZ_MIG_OUT := $(FUZZ_DIR)/mig

fuzz-host: fuzz-build
	$(Q)failed=; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
		echo "  FUZZ    $$t for $(FUZZ_TIME) s"; \
		$(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_DIR)/ $$dict \
			$(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t || failed="$$failed $$t"; \
	done; \
	echo "  FUZZ    mig for $(FUZZ_TIME) s"; \
	$(PYTHON) tests/fuzz/fuzz_mig.py --time $(FUZZ_TIME) --quiet --out $(FUZZ_MIG_OUT) \
		$(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) || failed="$$failed mig"; \
	if [ -n "$$failed" ]; then \
		echo "fuzz-host: failing inputs from:$$failed (see $(FUZZ_DIR)/)" >&2; exit 1; \
	fi

fuzz: fuzz-host

.PHONY: fuzz fuzz-build fuzz-host

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
