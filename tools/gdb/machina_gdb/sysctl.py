"""sysctl - the MIB as the kernel holds it (bsd/sys/sysctl.h): every
registered OID, walked from sysctl__children, with its number path, dotted
name, type, flags and, where it can be read without calling a handler,
its value."""
import gdb

from machina_gdb import registry, target

CTLTYPE = 0xf
TYPES = {1: "node", 2: "int", 3: "string", 4: "quad", 5: "opaque"}
# oid_kind's flag bits: #defines in bsd/sys/sysctl.h, which the DWARF does
# not carry. Keep them in step with that header.
FLAGS = [
    (0x80000000, "RD"), (0x40000000, "WR"), (0x10000000, "ANYBODY"),
    (0x08000000, "SECURE"), (0x04000000, "MASKED"), (0x00800000, "LOCKED"),
]
# A walk that finds more than this, or goes deeper than CTL_MAXNAME, is
# following a corrupt list.
MAX_OIDS = 4096
MAX_DEPTH = 12


def flags_text(kind):
    return ",".join(text for bit, text in FLAGS if kind & bit) or "-"


def value_text(oid, kind, handler_name):
    """What the OID holds, if the standard handlers would read it plainly."""
    arg1 = target.to_int(oid["oid_arg1"], "an OID's arg1")
    arg2 = target.to_int(oid["oid_arg2"], "an OID's arg2")
    if handler_name == "sysctl_handle_int":
        if arg1 == 0:
            return str(arg2)
        v = int.from_bytes(target.read_bytes(arg1, 4, "an int OID's variable"), "little",
                           signed=True)
        return str(v)
    if handler_name == "sysctl_handle_string" and arg1 != 0:
        return '"%s"' % target.read_cstring(arg1, "a string OID's buffer", 256)
    if handler_name in ("sysctl_handle_quad", "sysctl_handle_long") and arg1 != 0:
        return str(int.from_bytes(target.read_bytes(arg1, 8, "a quad OID's variable"),
                                  "little", signed=True))
    return "(%s)" % handler_name if handler_name else ""


def handler_name(addr):
    if addr == 0:
        return ""
    block = gdb.block_for_pc(addr)
    func = block.function if block is not None else None
    return func.name if func is not None else "0x%x" % addr


def walk(children, numbers, names, rows, depth):
    """Append (numbers, name, type, flags, value) for every OID on the
    children list (a struct sysctl_oid_list) and below."""
    if depth > MAX_DEPTH:
        raise target.TargetError("the MIB is deeper than CTL_MAXNAME at %s" % ".".join(names))
    oid_ptr = target.field(children, "tqh_first", "struct sysctl_oid_list")
    list_ptr = target.lookup_type("struct sysctl_oid_list").pointer()
    while target.to_int(oid_ptr, "an OID pointer") != 0:
        if len(rows) >= MAX_OIDS:
            raise target.TargetError("more than %d OIDs: the lists look corrupt" % MAX_OIDS)
        oid = target.fetch(oid_ptr.dereference(), "struct sysctl_oid")
        number = target.to_int(oid["oid_number"], "oid_number")
        kind = target.to_int(oid["oid_kind"], "oid_kind") & 0xffffffff
        name = target.read_cstring(target.to_int(oid["oid_name"], "oid_name"),
                                   "an OID's name", 64)
        handler = handler_name(target.to_int(oid["oid_handler"], "oid_handler"))
        path = numbers + [number]
        full = names + [name]
        typ = TYPES.get(kind & CTLTYPE, "type %d" % (kind & CTLTYPE))
        is_plain_node = (kind & CTLTYPE) == 1 and not handler
        rows.append((".".join(str(n) for n in path), ".".join(full), typ, flags_text(kind),
                     "" if is_plain_node else value_text(oid, kind, handler)))
        if is_plain_node and target.to_int(oid["oid_arg1"], "oid_arg1") != 0:
            walk(oid["oid_arg1"].cast(list_ptr).dereference(), path, full, rows, depth + 1)
        oid_ptr = oid["oid_link"]["tqe_next"]


@registry.command
class Sysctl(registry.MachinaCommand):
    """The sysctl tree: every registered OID, its number, type, flags and value.

Usage: sysctl [PREFIX]

Walks the MIB from sysctl__children (bsd/sys/sysctl.h), as the kernel has
registered it, without calling any handler: an int, quad or string read by
the standard handlers shows its value; an OID with its own handler shows
the handler's name. With PREFIX ("kern", "hw.ncpu"), only the names that
start with it. Before sysctl_init() has run the tree is empty."""

    name = "sysctl"

    def run(self, argv, from_tty):
        if len(argv) > 1:
            raise registry.usage_error("sysctl [PREFIX]")
        prefix = argv[0] if argv else ""
        target.require_live()
        rows = []
        walk(target.symbol("sysctl__children"), [], [], rows, 1)
        rows = [r for r in rows if r[1] == prefix or r[1].startswith(prefix + ".")
                or not prefix]
        if not rows:
            self.note("no OID is registered%s" % (" under " + prefix if prefix else ""))
            return
        width = max(len(r[1]) for r in rows)
        self.out("".join("%-12s %-*s %-7s %-22s %s\n" % (r[0], width, r[1], r[2], r[3], r[4])
                         for r in rows))
