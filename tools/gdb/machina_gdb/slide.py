"""slide - machina-slide: find where the kernel really is, and move its
symbols there.

The kernel is linked at 0xffffffff80000000 and loaded there today, but a
kernel that slides its base (as XNU's KASLR does) would leave every symbol
gdb knows off by the slide, and every macro reading garbage. The slide is
found from the machine rather than from the kernel's own variables (which
are at unknown addresses until it is known): QEMU's monitor reports the
IDT's base (`monitor info registers`), and the IDT is the kernel's static
array `idt`, so the slide is that base less the address gdb has for `idt`.
Once the kernel has loaded its IDT (early in x86_64_boot_start) the answer
is exact; before that there is nothing to find, and the symbols stay.

A slide other than zero reloads the kernel's symbols at that offset
(`symbol-file -o`), which also puts right symbols loaded at a wrong offset
by hand. machina-attach checks once attached, and again at each stop until
the IDT is up.
"""
import re
import subprocess

import gdb

from machina_gdb import registry, target

IDT_LINE = re.compile(r"^IDT=\s*([0-9a-fA-F]+)\s+([0-9a-fA-F]+)", re.M)
# The slide a kernel could have: a multiple of 2 MiB, as a large page moves.
SLIDE_ALIGN = 0x200000

_settled = False        # the slide was found (and applied) for this attach
_watching = False       # _on_stop is connected to gdb.events.stop


def idt_base():
    """The loaded IDT's linear address, or None (not attached, not loaded yet)."""
    try:
        out = gdb.execute("monitor info registers", to_string=True)
    except gdb.error:
        return None
    m = IDT_LINE.search(out)
    if m is None:
        return None
    base, limit = int(m.group(1), 16), int(m.group(2), 16)
    # Real mode's IDT (base 0, limit 0x3ff) or the reset value: not the kernel's.
    if base < 0xffff800000000000 or limit < 16 * 32 - 1:
        return None
    return base


def find_slide():
    """(slide, idt base) or (None, reason)."""
    base = idt_base()
    if base is None:
        return None, "the kernel has not loaded its IDT yet"
    linked = target.symbol_address("idt")
    slide = (base - linked) & 0xffffffffffffffff
    if slide >= 1 << 63:
        slide -= 1 << 64
    if slide % SLIDE_ALIGN != 0:
        return None, ("the IDT is at 0x%x, not at `idt` (0x%x) plus a multiple of 2 MiB: "
                      "not this kernel?" % (base, linked))
    return slide, base


def linked_address(path, name):
    """name's address in the ELF file itself (what offset 0 gives), from nm."""
    try:
        out = subprocess.run(["nm", path], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise target.TargetError("cannot run nm on %s: %s" % (path, e))
    m = re.search(r"^([0-9a-fA-F]+) \w %s$" % re.escape(name), out, re.M)
    if m is None:
        raise target.TargetError("no symbol %s in %s" % (name, path))
    return int(m.group(1), 16)


def apply_slide(base):
    """Reload the kernel's symbols so that `idt` is at base. Returns the offset."""
    objfile = gdb.objfiles()[0] if gdb.objfiles() else None
    if objfile is None or objfile.filename is None:
        raise target.TargetError("no kernel symbol file loaded")
    path = objfile.filename
    offset = base - linked_address(path, "idt")
    gdb.execute("symbol-file -o %s0x%x %s" % ("-" if offset < 0 else "", abs(offset), path),
                to_string=True)
    return offset


def check(note, quiet_when_zero=True):
    """Find the slide; move the symbols if it is not zero. True once settled."""
    global _settled
    slide, what = find_slide()
    if slide is None:
        return False
    _settled = True
    if slide == 0:
        if not quiet_when_zero:
            note("the kernel is where it was linked (slide 0; IDT at 0x%x)" % what)
        return True
    offset = apply_slide(what)
    note("the kernel is %s0x%x from where its symbols said; symbols reloaded at offset %s0x%x "
         "from its link address" % ("-" if slide < 0 else "+", abs(slide),
                                    "-" if offset < 0 else "", abs(offset)))
    return True


def _stop_watching():
    global _watching
    if _watching:
        gdb.events.stop.disconnect(_on_stop)
        _watching = False


def _on_stop(event):
    if _settled:
        _stop_watching()
        return
    try:
        check(lambda text: gdb.write("machina-slide: %s\n" % text))
    except (gdb.error, target.TargetError):
        pass


def watch(note):
    """At attach: check now, and at each stop until the IDT is there."""
    global _settled, _watching
    _settled = False
    _stop_watching()
    try:
        if check(note):
            return
    except (gdb.error, target.TargetError) as e:
        note("cannot tell the kernel's slide: %s" % target.oneline(e))
        return
    gdb.events.stop.connect(_on_stop)
    _watching = True


@registry.command
class MachinaSlide(registry.MachinaCommand):
    """Find how far the kernel slid from its link address, and move its symbols there.

Usage: machina-slide

Compares the IDT's base, as QEMU reports it, with the address of the
kernel's `idt` array in its symbols. A difference (a multiple of 2 MiB)
means the symbols are off by it: the kernel's symbol file is reloaded at
that offset, so every command reads the right memory. machina-attach does
this by itself (and again at each stop until the kernel has loaded its IDT)."""

    name = "machina-slide"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("machina-slide")
        slide, what = find_slide()
        if slide is None:
            self.note("cannot tell yet: %s" % what)
            return
        check(self.note, quiet_when_zero=False)
