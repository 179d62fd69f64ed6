"""attach - machina-attach: connect gdb to QEMU's gdb stub and say where
the kernel is."""
import gdb

from machina_gdb import breakpoints, registry, slide, target

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 1234          # the Makefile's GDBPORT


def parse_where(argv):
    """"", "PORT" or "HOST:PORT" -> (host, port)."""
    usage = "machina-attach [PORT | HOST:PORT]"
    if len(argv) > 1:
        raise registry.usage_error(usage)
    if not argv:
        return DEFAULT_HOST, DEFAULT_PORT
    host, sep, port = argv[0].rpartition(":")
    if not sep:
        host = DEFAULT_HOST
    host = host.strip("[]") or DEFAULT_HOST
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise registry.usage_error(usage)
    return host, int(port)


def kernel_state():
    """One line on how far the kernel has got, for after attaching."""
    try:
        pc = int(gdb.parse_and_eval("$pc"))
    except gdb.error:
        pc = None
    try:
        pe = target.symbol("PE_state")
        up = target.to_int(target.field(pe, "initialized", "PE_state_t"), "PE_state")
    except target.TargetError:
        up = 0
    if not up:
        where = " (pc 0x%x)" % pc if pc is not None else ""
        return ("the kernel has not started yet%s: set breakpoints "
                "(say, `break kernel_bootstrap`), then `continue`" % where)
    try:
        state = target.read_cstring(target.symbol_address("version"), "version", 256)
        if target.to_int(target.symbol("panicstr"), "panicstr") != 0:
            state += "; it has panicked (paniclog)"
        return state
    except target.TargetError as e:
        return "the kernel is running (%s)" % e


@registry.command
class MachinaAttach(registry.MachinaCommand):
    """Connect to the kernel in QEMU through its gdb stub.

Usage: machina-attach [PORT | HOST:PORT]

Attaches to the QEMU that `make debug` started (halted before the firmware,
gdb stub on GDBPORT; 1234 unless given; a bare PORT means 127.0.0.1), then
says how far the kernel has got. Fails at once, with a message, when nothing
listens there. Under KVM, `break` in the kernel's text then sets hardware
breakpoints (machina-hwbreak). Set breakpoints, then `continue`; `disconnect` leaves QEMU
running, `kill` ends it."""

    name = "machina-attach"

    def run(self, argv, from_tty):
        host, port = parse_where(argv)
        where = "%s:%d" % (host, port)
        conn = gdb.selected_inferior().connection
        if conn is not None:
            self.note("already attached (%s); `disconnect` first" % conn.details)
            return
        if not self.connect(where):
            return
        self.note("attached to %s; %s" % (where, kernel_state()))
        breakpoints.choose(self.note)
        slide.watch(self.note)
        self.note("`help machina` lists the kernel commands")

    def connect(self, where):
        """target remote, failing fast: gdb would otherwise retry a refused
        connection for `tcp connect-timeout` seconds."""
        retry = gdb.parameter("tcp auto-retry")
        gdb.execute("set tcp auto-retry off")
        try:
            gdb.execute("target remote " + where)
            return True
        except gdb.error as e:
            reason = target.oneline(e)
            if reason.startswith(where + ":"):
                reason = reason[len(where) + 1:].strip()
            if "refused" in reason.lower() or "timed out" in reason.lower():
                self.note("nothing is listening on %s (%s). Start the kernel halted with "
                          "`make debug` (the same GDBPORT), then attach again."
                          % (where, reason.rstrip(".")))
            else:
                self.note("cannot attach to %s: %s" % (where, reason))
            return False
        finally:
            gdb.execute("set tcp auto-retry %s" % ("on" if retry else "off"))
