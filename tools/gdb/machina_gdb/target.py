"""target - reading the kernel from gdb, safely and only reading.

Every Machina command reads kernel memory through these helpers. They never
write to the target. Whatever gdb raises on the way (an address that is not
mapped because the CPU is still in the firmware, a symbol this ELF does not
have, a field this build's struct lacks) comes out as TargetError with a
one-line reason, which the command registry (registry.py) prints in place
of a Python traceback.

Values are gdb.Value objects from the kernel's DWARF, so a command names
fields (msgbuf['msg_bufx']) rather than offsets and follows the kernel's
headers when they change.
"""
import gdb

# CR0.PG: paging enabled. Before it is set, no higher-half address exists.
CR0_PG = 1 << 31

# Strings are read in pieces that never cross a page, so a string that
# ends just before an unmapped page still reads.
PAGE_SIZE = 4096
STRING_PIECE = 256


class TargetError(Exception):
    """A one-line reason the kernel could not be read."""


def oneline(exc):
    """The first line of an exception's message."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def is_live():
    """True when gdb has a machine to read (QEMU's stub, or a core dump),
    not only the ELF file, whose .data holds just the initial values."""
    try:
        return gdb.selected_thread() is not None
    except gdb.error:
        return False


def require_live():
    if not is_live():
        raise TargetError("not attached to a kernel; start QEMU with `make debug`, "
                          "then machina-attach")


def unmapped_hint():
    """Why kernel addresses may be unreadable right now, as a clause to
    append to a message, or "" when there is nothing to say."""
    try:
        cr0 = int(gdb.parse_and_eval("$cr0"))
    except (gdb.error, ValueError, TypeError):
        return ""
    if not cr0 & CR0_PG:
        return "; paging is off: the CPU is still in the firmware or the boot code"
    return ""


def memory_error(what, addr=None):
    where = " at 0x%x" % addr if addr is not None else ""
    return TargetError("cannot read %s%s%s" % (what, where, unmapped_hint()))


def symbol(name):
    """The kernel global `name` as a lazy gdb.Value (nothing read yet)."""
    try:
        return gdb.parse_and_eval(name)
    except gdb.error as e:
        raise TargetError("no symbol %s in the kernel's ELF (%s)" % (name, oneline(e)))


def symbol_address(name):
    """The address of a symbol, including linker-script symbols that
    have no type (__bootargs_start)."""
    try:
        return int(gdb.parse_and_eval("(unsigned long)&%s" % name))
    except gdb.error as e:
        raise TargetError("no symbol %s in the kernel's ELF (%s)" % (name, oneline(e)))


def lookup_type(name):
    try:
        return gdb.lookup_type(name)
    except gdb.error as e:
        raise TargetError("no type %s in the kernel's DWARF (%s)" % (name, oneline(e)))


def address_of(value):
    """Where a gdb.Value lives in kernel memory, or None."""
    return int(value.address) if value.address is not None else None


def fetch(value, what):
    """value, with its memory read now (one request for a whole struct)."""
    try:
        value.fetch_lazy()
    except gdb.MemoryError:
        raise memory_error(what, address_of(value))
    return value


def field(value, name, what):
    """value[name], or TargetError if this build's struct has no such field."""
    try:
        return value[name]
    except gdb.error as e:
        raise TargetError("%s has no field %s (%s)" % (what, name, oneline(e)))


def to_int(value, what):
    """The integer in value (an integer, enum, pointer or char)."""
    try:
        return int(value)
    except gdb.MemoryError:
        raise memory_error(what, address_of(value))
    except gdb.error as e:
        raise TargetError("cannot read %s (%s)" % (what, oneline(e)))


def read_bytes(addr, length, what):
    """length bytes of kernel memory at addr."""
    if length <= 0:
        return b""
    try:
        return gdb.selected_inferior().read_memory(addr, length).tobytes()
    except gdb.MemoryError:
        raise memory_error(what, addr)
    except gdb.error as e:
        raise TargetError("cannot read %s at 0x%x (%s)" % (what, addr, oneline(e)))


def decode(raw):
    """Kernel text as str: up to the first NUL, never failing on bad bytes."""
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def read_cstring(addr, what, limit=4096):
    """The NUL-terminated string at addr, at most limit bytes of it."""
    if addr == 0:
        raise TargetError("%s is a NULL pointer" % what)
    chunks = []
    total = 0
    while total < limit:
        piece = min(STRING_PIECE, limit - total, PAGE_SIZE - (addr + total) % PAGE_SIZE)
        raw = read_bytes(addr + total, piece, what)
        chunks.append(raw)
        total += piece
        if b"\0" in raw:
            break
    return decode(b"".join(chunks))


def char_array(value, what):
    """The text in a char[N] field, up to its NUL (one read for the lot)."""
    addr = address_of(value)
    if addr is not None:
        return decode(read_bytes(addr, value.type.sizeof, what))
    try:
        raw = bytes(int(value[i]) & 0xff for i in range(value.type.sizeof))
    except gdb.MemoryError:
        raise memory_error(what)
    return decode(raw)


def array_length(value):
    """The element count of a fixed-size array field."""
    lo, hi = value.type.range()
    return hi - lo + 1


def enum_names(type_name):
    """{value: enumerator name} for an enum in the kernel's DWARF; empty if
    the DWARF lacks it, so callers fall back to printing numbers."""
    try:
        t = gdb.lookup_type(type_name)
    except gdb.error:
        return {}
    return {int(f.enumval): f.name for f in t.fields()}
