"""bootargs - what the loader handed the kernel, from PE_state.bootArgs
(kernel/pexpert.h, kernel/boot_args.h), and the boot-args the kernel knows,
from the pointers BOOT_ARG() leaves between __bootargs_start and
__bootargs_end."""
import struct

import gdb

from machina_gdb import registry, target

# ba_flags bits. They are #defines in kernel/boot_args.h, which the DWARF
# does not carry: keep these in step with that header.
BOOT_ARGS_MALFORMED = 0x10
BOOT_ARGS_FLAGS = [
    (0x01, "boot-args line truncated"),
    (0x02, "memory map truncated"),
    (0x04, "modules dropped"),
    (0x08, "no memory map from the loader"),
    (BOOT_ARGS_MALFORMED, "malformed (see error)"),
]

# Far more boot-args than any kernel declares: a bigger table means the
# section symbols are not what this command thinks they are.
BOOT_ARG_DESCS_MAX = 1024


def enum_label(names, value, prefix, unknown="type %d"):
    """BOOT_MEM_ACPI_NVS -> "acpi-nvs"; "type N" if the DWARF has no name."""
    name = names.get(value)
    if name is None or not name.startswith(prefix):
        return unknown % value
    return name[len(prefix):].lower().replace("_", "-")


def size_text(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return ("%d %s" if n == int(n) else "%.1f %s") % (n, unit)
        n /= 1024.0
    return str(n)


def flags_text(flags):
    words = [text for bit, text in BOOT_ARGS_FLAGS if flags & bit]
    rest = flags & ~sum(bit for bit, _ in BOOT_ARGS_FLAGS)
    if rest:
        words.append("unknown bits 0x%x" % rest)
    return ", ".join(words) if words else "none"


def counted(ba, count_field, array_field):
    """(count, entries to show, the array): the count clamped to the array."""
    array = target.field(ba, array_field, "struct boot_args")
    count = target.to_int(target.field(ba, count_field, "struct boot_args"),
                          "boot_args." + count_field)
    return count, min(count, target.array_length(array)), array


def boot_args_struct():
    """PE_state.bootArgs, read in one piece; TargetError with the reason
    when the kernel has not filled it in yet."""
    pe = target.fetch(target.symbol("PE_state"), "PE_state")
    if not target.to_int(target.field(pe, "initialized", "PE_state_t"), "PE_state.initialized"):
        raise target.TargetError("PE_state is not initialized yet: PE_init_platform() "
                                 "has not run, so the boot-args are not known")
    ptr = target.field(pe, "bootArgs", "PE_state_t")
    if target.to_int(ptr, "PE_state.bootArgs") == 0:
        raise target.TargetError("PE_state.bootArgs is NULL")
    return target.fetch(ptr.dereference(), "struct boot_args")


def describe_boot_args(ba):
    """The loader's hand-over as text lines."""
    loaders = target.enum_names("enum boot_loader")
    mem_types = target.enum_names("enum boot_mem_type")
    loader = target.to_int(ba["ba_loader"], "boot_args.ba_loader")
    flags = target.to_int(ba["ba_flags"], "boot_args.ba_flags")
    lines = [
        'boot-args:  "%s"' % target.char_array(ba["ba_cmdline"], "boot_args.ba_cmdline"),
        'loader:     %s ("%s")' % (loaders.get(loader, "ba_loader %d" % loader),
                                   target.char_array(ba["ba_loader_name"],
                                                     "boot_args.ba_loader_name")),
        "flags:      %s" % flags_text(flags),
    ]
    if flags & BOOT_ARGS_MALFORMED:
        lines.append("error:      %s" % target.char_array(ba["ba_error"], "boot_args.ba_error"))

    count, shown, memmap = counted(ba, "ba_nmemmap", "ba_memmap")
    lines.append("memory map: %d ranges%s" % (count, "" if shown == count else
                                               " (only %d fit the array)" % shown))
    for i in range(shown):
        r = memmap[i]
        base = int(r["bmr_base"])
        length = int(r["bmr_length"])
        lines.append("  [0x%016x-0x%016x)  %-13s %s" % (
            base, base + length, enum_label(mem_types, int(r["bmr_type"]), "BOOT_MEM_"),
            size_text(length)))

    count, shown, modules = counted(ba, "ba_nmodules", "ba_modules")
    lines.append("modules:    %d" % count)
    for i in range(shown):
        m = modules[i]
        start, end = int(m["bm_start"]), int(m["bm_end"])
        lines.append('  %d  [0x%x-0x%x)  %s  "%s"' % (
            i, start, end, size_text(max(end - start, 0)),
            target.char_array(m["bm_cmdline"], "boot_module.bm_cmdline")))
    return lines


def kind_text(kinds, kind, most):
    label = enum_label(kinds, kind, "BOOT_ARG_", "kind %d")
    if label == "number":
        return "number, %d bytes" % (most or 4)
    if label == "string":
        return "string, up to %d" % most
    return label


def describe_known():
    """The boot-args registered with BOOT_ARG(), as text lines."""
    start = target.symbol_address("__bootargs_start")
    end = target.symbol_address("__bootargs_end")
    word = gdb.lookup_type("void").pointer().sizeof
    count = (end - start) // word
    if end < start or count > BOOT_ARG_DESCS_MAX:
        raise target.TargetError("__bootargs_start..__bootargs_end (0x%x..0x%x) is not a "
                                 "table of boot-args" % (start, end))
    raw = target.read_bytes(start, count * word, "the .bootargs table")
    pointers = struct.unpack("<%d%s" % (count, "Q" if word == 8 else "I"), raw)
    desc_ptr = target.lookup_type("struct boot_arg_desc").pointer()
    kinds = target.enum_names("enum boot_arg_kind")
    rows = []
    for p in pointers:
        d = target.fetch(gdb.Value(p).cast(desc_ptr).dereference(),
                         "struct boot_arg_desc")
        name = target.read_cstring(int(d["bad_name"]), "a boot-arg's name", 64)
        help_text = target.read_cstring(int(d["bad_help"]), "a boot-arg's help", 256)
        rows.append((name, kind_text(kinds, int(d["bad_kind"]), int(d["bad_max"])), help_text))
    width = max([len(r[0]) for r in rows] + [4])
    lines = ["known boot-args (%d):" % len(rows)]
    lines += ["  %-*s  %-18s %s" % (width, name, kind, text) for name, kind, text in rows]
    return lines


@registry.command
class Bootargs(registry.MachinaCommand):
    """The boot-args line, the loader's memory map and modules, the known boot-args.

Usage: bootargs

From PE_state.bootArgs (struct boot_args, kernel/boot_args.h): the boot-args
line, which loader started the kernel, what it had to cut (ba_flags), its
memory map and its modules (the initrd). Then every boot-arg the kernel
declares with BOOT_ARG(), from the .bootargs section, with its help text.
Before PE_init_platform() has run, it says so."""

    name = "bootargs"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("bootargs")
        target.require_live()
        try:
            self.out("".join(line + "\n" for line in describe_boot_args(boot_args_struct())))
        except target.TargetError as e:
            self.note(str(e))
        self.out("".join(line + "\n" for line in describe_known()))
