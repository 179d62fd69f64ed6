"""kmods - loaded kexts (libkern/OSKext.c, mach/kmod.h): showallkmods, and
kext symbols loaded into gdb at their load addresses, automatically.

The kernel keeps every loaded kext on sLoaded (struct OSKext: identifier,
bundle path, image, and where each allocated section went) and every kext
with code on the kmod chain (kmod_info_t, what showallkmods walks, as the
Kernel Programming Guide's debugging chapter has it).

Symbols: a kext's executable is an ELF relocatable object; gdb reads its
DWARF when told where each section landed (add-symbol-file -s NAME ADDR).
The host file comes from build/kexts.map, which the build writes: each
line maps a bundle's path in the initrd to the bundle here. Kexts loaded
before gdb attached are added by `kextsymbols` (run at attach, and whenever
the kernel is first seen stopped after being loaded); kexts loaded later
are caught by a breakpoint on OSKextLoadedHook, which the kernel calls
after linking a kext and before its constructors and start run, so a
breakpoint on a kext's start set in advance (pending, `set breakpoint
pending on`) resolves in time. The breakpoint never stops the machine.
"""
import os
import plistlib

import gdb

from machina_gdb import registry, target

MAX_KEXTS = 4096
HOOK = "OSKextLoadedHook"
KEXT_HOOK_LOADED = 1
KEXT_HOOK_UNLOADING = 2
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# address of the kext's image -> host file added to gdb
LOADED_SYMBOLS = {}


def kext_map():
    """{bundle path in the machine: bundle path here} from build/kexts.map."""
    result = {}
    for build in (os.environ.get("MACHINA_BUILD"), os.path.join(ROOT, "build")):
        if not build:
            continue
        path = os.path.join(build, "kexts.map")
        try:
            with open(path) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2:
                        result[parts[0].rstrip("/")] = parts[1]
        except OSError:
            continue
        return result
    return result


def host_executable(bundle_here):
    """The executable inside a bundle on this machine, or None."""
    try:
        with open(os.path.join(bundle_here, "Contents", "Info.plist"), "rb") as f:
            exe = plistlib.load(f).get("CFBundleExecutable")
    except (OSError, ValueError, plistlib.InvalidFileException):
        return None
    if not isinstance(exe, str):
        return None
    path = os.path.join(bundle_here, "Contents", "MacOS", exe)
    return path if os.path.isfile(path) else None


def walk_loaded():
    """Every struct OSKext on sLoaded, in load order."""
    head = target.symbol("sLoaded")
    ptr = target.field(head, "tqh_first", "sLoaded")
    kexts = []
    while target.to_int(ptr, "sLoaded") != 0:
        if len(kexts) >= MAX_KEXTS:
            raise target.TargetError("more than %d kexts on sLoaded: the list looks corrupt"
                                     % MAX_KEXTS)
        k = target.fetch(ptr.dereference(), "struct OSKext")
        kexts.append(k)
        ptr = k["k_link"]["tqe_next"]
    return kexts


def kext_sections(k):
    """[(name, address)] of a loaded kext's allocated sections."""
    n = target.to_int(k["k_nsections"], "k_nsections")
    base = k["k_sections"]
    out = []
    for i in range(min(n, 512)):
        s = target.fetch(base[i], "k_sections")
        out.append((target.char_array(s["ks_name"], "ks_name"),
                    target.to_int(s["ks_addr"], "ks_addr")))
    return out


def add_symbols(k, quiet=False):
    """add-symbol-file for one loaded kext; a message saying what happened."""
    ident = target.char_array(k["k_id"], "k_id")
    addr = target.to_int(k["k_addr"], "k_addr")
    if addr == 0:
        return None                       # the kernel, a KPI, a codeless kext
    if addr in LOADED_SYMBOLS:
        return None
    path = target.char_array(k["k_path"], "k_path")
    here = kext_map().get(path.rstrip("/"))
    exe = host_executable(here) if here else None
    if exe is None:
        return ("%s: no symbols: %s is not in build/kexts.map (built elsewhere? "
                "add-symbol-file it by hand; `showallkmods -s` prints the command)"
                % (ident, path))
    secs = kext_sections(k)
    if not secs:
        return None
    args = " ".join("-s %s 0x%x" % (name, a) for name, a in secs if name)
    gdb.execute("add-symbol-file %s %s" % (exe, args), to_string=True)
    LOADED_SYMBOLS[addr] = exe
    return None if quiet else "%s: symbols from %s at 0x%x" % (ident, exe, addr)


def drop_symbols(k):
    addr = target.to_int(k["k_addr"], "k_addr")
    exe = LOADED_SYMBOLS.pop(addr, None)
    if exe is None:
        return
    secs = kext_sections(k)
    text = [a for name, a in secs if name == ".text"]
    try:
        gdb.execute("remove-symbol-file -a 0x%x" % (text[0] if text else secs[0][1]),
                    to_string=True)
    except gdb.error:
        pass


def load_all(note):
    """Symbols for every loaded kext that has none yet."""
    try:
        kexts = walk_loaded()
    except (target.TargetError, gdb.error):
        return
    for k in kexts:
        try:
            message = add_symbols(k)
        except (target.TargetError, gdb.error) as e:
            message = "kext symbols: %s" % target.oneline(e)
        if message:
            note(message)


class KextHook(gdb.Breakpoint):
    """On OSKextLoadedHook: add or drop the kext's symbols, and go on."""

    def __init__(self):
        # At the first instruction, so the arguments are still in rdi and
        # esi whatever the compiler did with them.
        super().__init__("*" + HOOK, internal=True)
        self.silent = True

    def stop(self):
        try:
            ptr = gdb.parse_and_eval("(struct OSKext *)$rdi")
            event = int(gdb.parse_and_eval("(int)$rsi"))
            k = target.fetch(ptr.dereference(), "struct OSKext")
            if event == KEXT_HOOK_LOADED:
                message = add_symbols(k)
                if message:
                    gdb.write(message + "\n")
            elif event == KEXT_HOOK_UNLOADING:
                drop_symbols(k)
        except (target.TargetError, gdb.error) as e:
            gdb.write("kext symbols: %s\n" % target.oneline(e), gdb.STDERR)
        return False


def install_hook():
    """The hook breakpoint, once per gdb; harmless before the kernel runs."""
    for b in gdb.breakpoints() or ():
        if getattr(b, "location", None) == "*" + HOOK and not b.visible:
            b.delete()                    # from an earlier source of machina.py
    try:
        KextHook()
    except (gdb.error, RuntimeError):
        pass


def on_stop(event):
    if not target.is_live():
        return
    conn = gdb.selected_inferior().connection
    if conn is not None and conn.type == "core":
        # While gdb is still opening a core file, adding symbol files
        # re-enters it: do it once gdb is back in its main loop.
        gdb.post_event(lambda: load_all(lambda m: gdb.write(m + "\n")))
        return
    load_all(lambda m: gdb.write(m + "\n"))


def install():
    install_hook()
    # One stop handler, even when machina.py is sourced again (the module,
    # and so on_stop, is then a new object: the old one is kept on gdb).
    old = getattr(gdb, "_machina_kmods_on_stop", None)
    if old is not None:
        try:
            gdb.events.stop.disconnect(old)
        except Exception:  # noqa: B902 - gdb raises SystemError for an unknown one
            pass
    gdb.events.stop.connect(on_stop)
    gdb._machina_kmods_on_stop = on_stop


@registry.command
class ShowAllKmods(registry.MachinaCommand):
    """Every loaded kext, from the kmod list, with where it is.

Usage: showallkmods [-s]

For each kext with code on the kmod chain (newest first, as the kernel
keeps it): its kmod_info_t, load address, size, index (load tag), how many
loaded kexts link against it, version and identifier. -s also prints, for
each kext, the add-symbol-file command that loads its symbols (gdb does
this by itself for kexts built in the tree or given with EXTRA_KEXTS)."""

    name = "showallkmods"

    def run(self, argv, from_tty):
        if argv not in ([], ["-s"]):
            raise registry.usage_error("showallkmods [-s]")
        target.require_live()
        ptr = target.symbol("kmod")
        self.out("%-18s %-18s %-10s %5s %4s %-12s %s\n" % (
            "kmod", "address", "size", "id", "refs", "version", "name"))
        seen = 0
        while target.to_int(ptr, "kmod") != 0:
            seen += 1
            if seen > MAX_KEXTS:
                raise target.TargetError("the kmod list looks corrupt (a loop?)")
            ki = target.fetch(ptr.dereference(), "kmod_info_t")
            self.out("0x%016x 0x%016x 0x%-8x %5d %4d %-12s %s\n" % (
                target.to_int(ptr, "kmod"), target.to_int(ki["address"], "address"),
                target.to_int(ki["size"], "size"), target.to_int(ki["id"], "id"),
                target.to_int(ki["reference_count"], "reference_count"),
                target.char_array(ki["version"], "version"),
                target.char_array(ki["name"], "name")))
            ptr = ki["next"]
        if seen == 0:
            self.note("no kext is loaded")
        if argv == ["-s"]:
            for k in walk_loaded():
                if target.to_int(k["k_addr"], "k_addr") == 0:
                    continue
                args = " ".join("-s %s 0x%x" % s for s in kext_sections(k) if s[0])
                self.out("add-symbol-file %s/Contents/MacOS/<executable> %s\n" % (
                    target.char_array(k["k_path"], "k_path"), args))


@registry.command
class ShowKmod(registry.MachinaCommand):
    """One loaded kext in full, by index (load tag) or identifier.

Usage: showkmod INDEX|IDENTIFIER

Its kmod_info_t, image, version, the bundle it came from, what it links
against (with their indexes), how many loaded kexts link against it, and
where each of its sections is."""

    name = "showkmod"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showkmod INDEX|IDENTIFIER")
        target.require_live()
        want = argv[0]
        kexts = walk_loaded()
        for k in kexts:
            ident = target.char_array(k["k_id"], "k_id")
            tag = target.to_int(k["k_tag"], "k_tag")
            if want != ident and want != str(tag):
                continue
            info = k["k_info"]
            self.out("%s (%s), index %d, kmod_info 0x%x\n" % (
                ident, target.char_array(k["k_version_str"], "k_version_str"), tag,
                target.to_int(info, "k_info")))
            self.out("image:  0x%x, 0x%x bytes\n" % (target.to_int(k["k_addr"], "k_addr"),
                                                    target.to_int(k["k_size"], "k_size")))
            path = target.char_array(k["k_path"], "k_path")
            self.out("bundle: %s\n" % (path or "(part of the kernel)"))
            deps = []
            for i in range(target.to_int(k["k_ndeps"], "k_ndeps")):
                d = k["k_deps"][i]
                if target.to_int(d, "k_deps") != 0:
                    dk = target.fetch(d.dereference(), "struct OSKext")
                    deps.append("%s (%d)" % (target.char_array(dk["k_id"], "k_id"),
                                             target.to_int(dk["k_tag"], "k_tag")))
            self.out("linked against: %s\n" % (", ".join(deps) or "nothing"))
            self.out("linked against it: %d\n" % target.to_int(k["k_refs"], "k_refs"))
            for name, addr in kext_sections(k):
                self.out("  %-24s 0x%x\n" % (name, addr))
            return
        self.note("no loaded kext %s (showallkmods lists them)" % want)


@registry.command
class KextSymbols(registry.MachinaCommand):
    """Load the symbols of every loaded kext that gdb does not have yet.

Usage: kextsymbols

gdb does this by itself when it attaches and whenever a kext loads; this
is for after `symbol-file` or `remove-symbol-file` threw them away."""

    name = "kextsymbols"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("kextsymbols")
        target.require_live()
        LOADED_SYMBOLS.clear()
        load_all(self.note)


install()
