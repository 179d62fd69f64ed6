"""breakpoints - machina-hwbreak: hardware breakpoints in the kernel's text
where software ones cannot go, chosen by machina-attach itself.

Under TCG, QEMU's gdb stub keeps software breakpoints to itself: nothing is
written to guest memory, so `break kernel_bootstrap` works on a higher-half
address long before the kernel has paging on. Under KVM the stub plants an
int3 in guest memory, which fails while the address is not mapped (from the
reset vector until the kernel's page tables are up). gdb can be told to use
a debug register instead for breakpoints in memory it believes read-only:
so with KVM the kernel's text (_text_start.._text_end) is declared a
read-only region (`mem ... ro`; memory outside it stays accessible), and
`set breakpoint auto-hw on` makes every `break` there a hardware one. x86
has four debug registers: a fifth hardware breakpoint fails when the target
resumes. Kext text is loaded and mapped before anything can stop in it,
so breakpoints there stay software ones.
"""
import re

import gdb

from machina_gdb import registry, target

# The region this module declared (its number in `info mem`), or None.
_region = None


def accelerator():
    """"kvm", "tcg", or None when QEMU cannot be asked (not attached, a core)."""
    try:
        out = gdb.execute("monitor info kvm", to_string=True)
    except gdb.error:
        return None
    if re.search(r"kvm support:\s*enabled", out):
        return "kvm"
    if "kvm support" in out:
        return "tcg"
    return None


def text_range():
    return target.symbol_address("_text_start"), target.symbol_address("_text_end")


def enabled():
    return _region is not None


def enable():
    """Declare the kernel's text read-only: breakpoints there become hardware ones."""
    global _region
    if _region is not None:
        return _region
    lo, hi = text_range()
    gdb.execute("set mem inaccessible-by-default off", to_string=True)
    gdb.execute("mem 0x%x 0x%x ro" % (lo, hi), to_string=True)
    gdb.execute("set breakpoint auto-hw on", to_string=True)
    numbers = re.findall(r"^(\d+)\s+y\s+0x0*%x\s+0x0*%x\s+ro" % (lo, hi),
                         gdb.execute("info mem", to_string=True), re.M)
    _region = int(numbers[-1]) if numbers else 0
    return _region


def disable():
    global _region
    if _region is None:
        return
    if _region:
        try:
            gdb.execute("delete mem %d" % _region, to_string=True)
        except gdb.error:
            pass
    _region = None


def choose(note):
    """At attach: hardware breakpoints in the text if QEMU runs under KVM."""
    accel = accelerator()
    if accel != "kvm":
        return accel
    try:
        enable()
    except (target.TargetError, gdb.error) as e:
        note("KVM: could not set up hardware breakpoints (%s); use `hbreak` before paging"
             % target.oneline(e))
        return accel
    note("QEMU runs under KVM: `break` in the kernel's text sets a hardware breakpoint "
         "(four at most); `machina-hwbreak off` goes back to software ones")
    return accel


@registry.command
class MachinaHwbreak(registry.MachinaCommand):
    """Hardware breakpoints in the kernel's text: on, off, or as the accelerator needs.

Usage: machina-hwbreak [on | off | auto]

With no argument, says which kind `break` sets in the kernel's text now.
`on` declares the text (_text_start.._text_end) a read-only memory region,
so that gdb sets a debug-register breakpoint there for every `break` (x86
has four); `off` removes the region; `auto`, what machina-attach does, turns
it on when QEMU runs under KVM, whose software breakpoints write an int3 to
guest memory and so cannot be set at a kernel address before paging is on.
Under TCG software breakpoints work everywhere and cost nothing. Existing
breakpoints keep their kind: delete and set them again."""

    name = "machina-hwbreak"

    def run(self, argv, from_tty):
        if len(argv) > 1 or (argv and argv[0] not in ("on", "off", "auto")):
            raise registry.usage_error("machina-hwbreak [on | off | auto]")
        what = argv[0] if argv else None
        if what == "on":
            enable()
        elif what == "off":
            disable()
        elif what == "auto":
            disable()
            accel = choose(self.note)
            if accel is None:
                self.note("cannot ask QEMU which accelerator runs it (not attached?)")
        if enabled():
            lo, hi = text_range()
            self.note("hardware breakpoints for `break` in 0x%x-0x%x (the kernel's text)"
                      % (lo, hi))
        else:
            self.note("software breakpoints for `break`")
