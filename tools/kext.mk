# kext.mk - build a Machina kernel extension from C sources.
#
# A kext project's Makefile sets a few variables and includes this file
# from the SDK (`make sdk` in the Machina tree makes one; docs/kexts.md):
#
#	KEXT_NAME  := HelloKext			the bundle's name: HelloKext.kext
#	KEXT_SRCS  := HelloKext.c		C sources (none: a codeless kext)
#	KEXT_START := HelloKext_start		kmod_info's start and stop
#	KEXT_STOP  := HelloKext_stop		(empty: nothing to call)
#	MACHINA_SDK ?= /path/to/machina/build/sdk
#	include $(MACHINA_SDK)/kext.mk
#
# `make` then writes $(KEXT_OUT)/HelloKext.kext/Contents/Info.plist (your
# Info.plist, checked) and .../Contents/MacOS/HelloKext: one ELF64
# relocatable object, every source compiled for the kernel (-mcmodel=kernel,
# no red zone, no SSE, freestanding) and linked with `ld -r` together with
# a generated HelloKext_info.c that holds kmod_info. The identifier and
# version in kmod_info come from Info.plist, so they cannot disagree.
#
# Other knobs: KEXT_PLIST (Info.plist), KEXT_CC (gcc; clang works too),
# KEXT_CFLAGS (added to the compiler's flags), KEXT_WARN (-Werror, say), KEXT_OBJDIR (build), KEXT_OUT
# (.), V=1 to see the commands. `make clean` removes what make made.

ifeq ($(MACHINA_SDK),)
$(error MACHINA_SDK is not set: point it at the SDK (`make sdk` in the Machina tree makes build/sdk))
endif
ifeq ($(wildcard $(MACHINA_SDK)/kernel.mk),)
$(error MACHINA_SDK=$(MACHINA_SDK) is not a Machina SDK (no kernel.mk there): run `make sdk` in the Machina tree)
endif
include $(MACHINA_SDK)/kernel.mk

KEXT_NAME   ?= $(notdir $(CURDIR))
KEXT_SRCS   ?= $(wildcard *.c)
KEXT_PLIST  ?= Info.plist
KEXT_START  ?= $(KEXT_NAME)_start
KEXT_STOP   ?= $(KEXT_NAME)_stop
KEXT_CC     ?= gcc
KEXT_LD     ?= ld
KEXT_CFLAGS ?=
KEXT_WARN   ?=
KEXT_OBJDIR ?= build
KEXT_OUT    ?= .
PYTHON3     ?= python3

ifeq ($(V),1)
KQ :=
else
KQ := @
endif

KEXT_BUNDLE := $(KEXT_OUT)/$(KEXT_NAME).kext
KEXT_INFO_PLIST := $(KEXT_BUNDLE)/Contents/Info.plist
KEXT_INFO_C := $(KEXT_OBJDIR)/$(KEXT_NAME)_info.c
KEXT_OBJS := $(patsubst %.c,$(KEXT_OBJDIR)/%.o,$(KEXT_SRCS))
KEXT_ALL_CFLAGS := $(MACHINA_KEXT_CFLAGS) -isystem $(shell $(KEXT_CC) -print-file-name=include) \
	-I$(MACHINA_SDK)/include $(KEXT_WARN) $(KEXT_CFLAGS)

ifneq ($(strip $(KEXT_SRCS)),)
KEXT_EXEC := $(KEXT_BUNDLE)/Contents/MacOS/$(KEXT_NAME)
KEXT_INFO_ARGS := --executable $(KEXT_NAME)
else
KEXT_EXEC :=
KEXT_INFO_ARGS := --codeless
endif

.DEFAULT_GOAL := all
all: $(KEXT_INFO_PLIST) $(KEXT_EXEC)

# Info.plist is checked (the kernel checks it again at load) and copied.
$(KEXT_INFO_PLIST): $(KEXT_PLIST) $(MACHINA_SDK)/bin/kextinfo.py
	@mkdir -p $(@D)
	$(KQ)$(PYTHON3) $(MACHINA_SDK)/bin/kextinfo.py --plist $< $(KEXT_INFO_ARGS)
	$(KQ)cp $< $@

$(KEXT_INFO_C): $(KEXT_PLIST) $(MACHINA_SDK)/bin/kextinfo.py
	@mkdir -p $(@D)
	$(KQ)$(PYTHON3) $(MACHINA_SDK)/bin/kextinfo.py --plist $< $(KEXT_INFO_ARGS) \
		--start '$(KEXT_START)' --stop '$(KEXT_STOP)' --output $@

$(KEXT_OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  KEXTCC  $<"
	$(KQ)$(KEXT_CC) $(KEXT_ALL_CFLAGS) -MD -MP -c $< -o $@

$(KEXT_OBJDIR)/$(KEXT_NAME)_info.o: $(KEXT_INFO_C)
	$(KQ)$(KEXT_CC) $(KEXT_ALL_CFLAGS) -c $< -o $@

$(KEXT_EXEC): $(KEXT_OBJS) $(KEXT_OBJDIR)/$(KEXT_NAME)_info.o
	@mkdir -p $(@D)
	@echo "  KEXT    $(KEXT_BUNDLE)"
	$(KQ)$(KEXT_LD) -r -o $@ $^

clean:
	rm -rf $(KEXT_BUNDLE) $(KEXT_OBJDIR)

.PHONY: all clean
.DELETE_ON_ERROR:

-include $(KEXT_OBJS:.o=.d)
