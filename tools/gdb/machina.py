"""machina.py - gdb set-up for the Machina kernel, and its commands.

`make gdb` runs
	gdb -q -x tools/gdb/machina.py -ex 'machina-attach $(GDBPORT)' build/kernel.elf
against the QEMU that `make debug` started (halted, gdb stub listening).
Any gdb can load it by hand: `source tools/gdb/machina.py`. Sourcing it
again reloads every command module, so an edited command takes effect
without restarting gdb. `help machina` lists the commands.
"""
import importlib
import os
import sys

import gdb

HERE = os.path.dirname(os.path.abspath(__file__))

SETTINGS = [
    # QEMU's stub always sends the x86-64 register set, even while the CPU
    # is still in real mode; gdb must expect it before it connects, or it
    # rejects the reply ("Remote 'g' packet reply is too long").
    "set architecture i386:x86-64",
    # A bare-metal kernel: no GNU/Linux signal frames, TLS or vDSO.
    "set osabi none",
    # Intel syntax, as in build/kernel.asm and the kernel's NASM sources.
    "set disassembly-flavor intel",
    "set pagination off",
    "set print pretty on",
    "set confirm off",
]
# Breakpoints: under TCG the stub keeps software breakpoints itself (no
# write to guest memory), so `break` works on higher-half addresses even
# before paging is on. Under KVM, machina-attach makes `break` in the
# kernel's text a hardware breakpoint (machina_gdb/breakpoints.py).


def debugging_a_core():
    try:
        conn = gdb.selected_inferior().connection
    except (gdb.error, AttributeError):
        return False
    return conn is not None and conn.type == "core"


def load():
    for setting in SETTINGS:
        # gdb 13 dies setting the OS ABI once a core is open (make gdb-core),
        # and the core's own notes say what it needs.
        if setting == "set osabi none" and debugging_a_core():
            continue
        gdb.execute(setting, to_string=True)
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    # Drop what an earlier source left, so edits to any module show.
    for name in [n for n in sys.modules if n == "machina_gdb" or n.startswith("machina_gdb.")]:
        del sys.modules[name]
    package = importlib.import_module("machina_gdb")
    registry = importlib.import_module("machina_gdb.registry")
    for name in package.COMMAND_MODULES:
        importlib.import_module("machina_gdb." + name)
    registry.install_overview()
    return len(registry.COMMANDS)


try:
    load()
except Exception as e:  # a broken command module must not take gdb down with it
    gdb.write("machina.py: the Machina commands did not load: %s: %s\n"
              % (e.__class__.__name__, e), gdb.STDERR)
