"""ipc - Mach IPC (mach/ipc/): showallports lists every port, showport
prints one in full (its queue and requests), showportset one port set, and
showtaskrights a task's names: each right, its user references and the
port it denotes."""
import gdb

from machina_gdb import registry, target
from machina_gdb.mounts import walk

# IO_BITS_* and IKOT_* (mach/ipc/ipc_object.h, ipc_kobject.h): #defines.
IO_BITS_KOTYPE = 0x00000fff
IO_BITS_OTYPE = 0x7fff0000
IO_BITS_ACTIVE = 0x80000000
IOT_PORT_SET = 0x00010000
KOTYPES = {0: "", 1: "thread", 2: "task", 3: "host", 4: "host_priv", 5: "processor",
           8: "timer", 20: "task_name", 23: "semaphore", 25: "clock", 28: "named_entry",
           29: "iokit_connect", 30: "iokit_object"}
# MACH_PORT_TYPE_* (mach/port.h) and the entry's bits (mach/ipc/ipc_entry.h).
RIGHTS = [(1 << 16, "send"), (1 << 17, "receive"), (1 << 18, "send-once"),
          (1 << 19, "port-set"), (1 << 20, "dead-name")]
UREFS_MASK = 0xffff
TYPE_MASK = 0x001f0000
MAX_MESSAGES = 100000


def port_ptr(value):
    return value.cast(target.lookup_type("struct ipc_port").pointer())


def space_label(space):
    """Who a space belongs to: the kernel, a task's name, or 'transit'."""
    addr = target.to_int(space, "ip_receiver")
    if addr == 0:
        return "in transit"
    if addr == target.symbol_address("ipc_space_kernel_data"):
        return "kernel"
    task = space["is_task"]
    if target.to_int(task, "is_task") == 0:
        return "space 0x%x (terminated)" % addr
    return "task 0x%x %s" % (target.to_int(task, "is_task"),
                             target.char_array(task["name"], "task name"))


def port_kind_holder(port):
    """(kind, holder) of a port: its kernel object's kind ('-' for none)
    and who holds its receive right ('dead' once it died)."""
    bits = target.to_int(port["ip_object"]["io_bits"], "io_bits")
    kind = KOTYPES.get(bits & IO_BITS_KOTYPE, "ikot %d" % (bits & IO_BITS_KOTYPE)) or "-"
    holder = space_label(port["ip_receiver"]) if bits & IO_BITS_ACTIVE else "dead"
    return kind, holder


def port_summary(port):
    kind, holder = port_kind_holder(port)
    return "0x%016x %-10s %5d %5d %4d/%-4d %5d %6d  %s\n" % (
        target.address_of(port) or 0, kind,
        target.to_int(port["ip_srights"], "ip_srights"),
        target.to_int(port["ip_sorights"], "ip_sorights"),
        target.to_int(port["ip_msgcount"], "ip_msgcount"),
        target.to_int(port["ip_qlimit"], "ip_qlimit"),
        target.to_int(port["ip_mscount"], "ip_mscount"),
        target.to_int(port["ip_object"]["io_references"], "io_references"),
        holder)


PORT_HEADER = "%-18s %-10s %5s %5s %9s %5s %6s  %s\n" % (
    "PORT", "KIND", "SEND", "SONCE", "MSGS/LIM", "MSCNT", "REFS", "RECEIVER")


def all_ports():
    head = target.symbol("ipc_port_list")
    return walk(target.field(head, "tqh_first", "ipc_port_list"), "ip_all_link", "ports")


def value_at(expr, type_name):
    """The struct at the address expr evaluates to."""
    try:
        addr = int(gdb.parse_and_eval(expr))
    except gdb.error as e:
        raise target.TargetError("cannot evaluate %s (%s)" % (expr, target.oneline(e)))
    if addr == 0:
        raise target.TargetError("%s is a NULL pointer" % expr)
    ptr = gdb.Value(addr).cast(target.lookup_type(type_name).pointer())
    return target.fetch(ptr.dereference(), type_name)


@registry.command
class ShowAllPorts(registry.MachinaCommand):
    """Every port: kind, rights, queue, make-send count and receiver.

Usage: showallports

From the list of every port (mach/ipc/ipc_port.c): its kernel object kind
(task, thread, host, semaphore, ... or - for a plain port), the send and
send-once rights to it that exist, queued messages and the queue limit,
the make-send count, references, and who holds its receive right (a task,
the kernel, a message in transit), or dead."""

    name = "showallports"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("showallports")
        target.require_live()
        ports = all_ports()
        if not ports:
            self.note("no port yet: ipc_bootstrap has not run")
            return
        self.out(PORT_HEADER)
        for port in ports:
            self.out(port_summary(port))


@registry.command
class ShowPort(registry.MachinaCommand):
    """One port in full: its summary, queued messages and requests.

Usage: showport ADDRESS

ADDRESS is a struct ipc_port pointer (from showallports or showtaskrights,
or any expression such as task->itk_self)."""

    name = "showport"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showport ADDRESS")
        target.require_live()
        port = value_at(argv[0], "struct ipc_port")
        bits = target.to_int(port["ip_object"]["io_bits"], "io_bits")
        if bits & IO_BITS_OTYPE == IOT_PORT_SET:
            raise target.TargetError("%s is a port set: use showportset" % argv[0])
        self.out(PORT_HEADER + port_summary(port))
        if bits & IO_BITS_KOTYPE:
            self.out("kernel object: 0x%x\n" % target.to_int(port["ip_kobject"], "ip_kobject"))
        for f, what in (("ip_nsrequest", "no-senders request"),
                        ("ip_pdrequest", "port-destroyed request")):
            if target.to_int(port[f], f) != 0:
                self.out("%s: to port 0x%x\n" % (what, target.to_int(port[f], f)))
        pset = target.to_int(port["ip_pset"], "ip_pset")
        if pset:
            self.out("in port set 0x%x\n" % pset)
        req = port["ip_requests"]
        while target.to_int(req, "ip_requests") != 0:
            r = target.fetch(req.dereference(), "struct ipc_port_request")
            kind = "dead-name" if target.to_int(r["ipr_kind"], "ipr_kind") == 0o110 \
                else "send-possible"
            self.out("%s request: name 0x%x in %s, to port 0x%x\n" % (
                kind, target.to_int(r["ipr_name"], "ipr_name"), space_label(r["ipr_space"]),
                target.to_int(r["ipr_soright"], "ipr_soright")))
            req = r["ipr_next"]
        msgs = walk(target.field(port["ip_messages"], "tqh_first", "ip_messages"),
                    "ikm_link", "messages")
        for k in msgs[:MAX_MESSAGES]:
            h = k["ikm_header"].dereference()
            self.out("message 0x%x: id %d, %d bytes\n" % (
                target.address_of(k) or 0, target.to_int(h["msgh_id"], "msgh_id"),
                target.to_int(k["ikm_user_size"], "ikm_user_size")))


@registry.command
class ShowPortSet(registry.MachinaCommand):
    """One port set: its space, name and members.

Usage: showportset ADDRESS"""

    name = "showportset"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showportset ADDRESS")
        target.require_live()
        pset = value_at(argv[0], "struct ipc_pset")
        bits = target.to_int(pset["ips_object"]["io_bits"], "io_bits")
        if bits & IO_BITS_OTYPE != IOT_PORT_SET:
            raise target.TargetError("%s is not a port set" % argv[0])
        self.out("port set 0x%x: name 0x%x in %s%s\n" % (
            target.address_of(pset) or 0, target.to_int(pset["ips_name"], "ips_name"),
            space_label(pset["ips_space"]), "" if bits & IO_BITS_ACTIVE else " (destroyed)"))
        members = walk(target.field(pset["ips_members"], "tqh_first", "ips_members"),
                       "ip_pset_link", "members")
        if members:
            self.out(PORT_HEADER)
            for port in members:
                self.out(port_summary(port))


def right_names(bits):
    return ",".join(n for b, n in RIGHTS if bits & b) or "-"


@registry.command
class ShowTaskRights(registry.MachinaCommand):
    """A task's port names: each right, user references and what it denotes.

Usage: showtaskrights TASK

TASK is a task pointer (an expression: kernel_task, a value from
showallprocs). For each name in the task's IPC space: the rights it holds,
its user references, whether a dead-name request is armed on it, and the
port (with its kind and receiver) or port set it denotes."""

    name = "showtaskrights"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showtaskrights TASK")
        target.require_live()
        task = value_at(argv[0], "struct task")
        space = task["itk_space"]
        if target.to_int(space, "itk_space") == 0:
            self.note("task 0x%x (%s) has no IPC space" % (
                target.address_of(task) or 0, target.char_array(task["name"], "task name")))
            return
        sp = target.fetch(space.dereference(), "struct ipc_space")
        table = sp["is_table"]
        size = target.to_int(table["it_size"], "it_size")
        entries = table["it_entries"]
        self.out("task 0x%x %s: space 0x%x, %d names in use of %d\n" % (
            target.address_of(task) or 0, target.char_array(task["name"], "task name"),
            target.to_int(space, "itk_space"), target.to_int(table["it_inuse"], "it_inuse"), size))
        self.out("%-10s %-20s %5s %-18s %s\n" % ("NAME", "RIGHTS", "UREFS", "OBJECT", "WHAT"))
        for i in range(1, size):
            e = target.fetch(entries[i], "a name table entry")
            bits = target.to_int(e["ie_bits"], "ie_bits")
            if bits & TYPE_MASK == 0:
                continue
            name = (i << 8) | target.to_int(e["ie_gen"], "ie_gen")
            obj = target.to_int(e["ie_object"], "ie_object")
            what = ""
            if obj and not bits & (1 << 19):
                kind, holder = port_kind_holder(
                    target.fetch(port_ptr(e["ie_object"]).dereference(), "a port"))
                what = "%s port, receiver: %s" % (kind, holder)
            elif obj:
                what = "port set"
            self.out("0x%-8x %-20s %5d 0x%016x %s%s\n" % (
                name, right_names(bits), bits & UREFS_MASK, obj, what,
                " (dead-name request)" if target.to_int(e["ie_dnrequest"], "ie_dnrequest")
                else ""))
