"""dmesg - the kernel log, read from msgbuf (kernel/msgbuf.h)."""
from machina_gdb import logbuf, registry, target


def parse_count(argv):
    """LINES from "-n LINES" (or "-nLINES"); None for the whole log."""
    usage = "dmesg [-n LINES]"
    if not argv:
        return None
    if argv[0] == "-n" and len(argv) == 2:
        word = argv[1]
    elif argv[0].startswith("-n") and len(argv) == 1 and len(argv[0]) > 2:
        word = argv[0][2:]
    else:
        raise registry.usage_error(usage)
    try:
        count = int(word, 0)
    except ValueError:
        raise registry.usage_error(usage)
    if count < 0:
        raise registry.usage_error(usage)
    return count


def read_log():
    """(lines, bytes lost to wrapping) from the live kernel's msgbuf."""
    mb = target.symbol("msgbuf")
    ring = target.field(mb, "msg_bufc", "struct msgbuf")
    capacity = ring.type.sizeof
    magic = target.to_int(target.field(mb, "msg_magic", "struct msgbuf"), "msgbuf.msg_magic")
    size = target.to_int(target.field(mb, "msg_size", "struct msgbuf"), "msgbuf.msg_size")
    bufx = target.to_int(target.field(mb, "msg_bufx", "struct msgbuf"), "msgbuf.msg_bufx")
    problem = logbuf.check_header(magic, size, bufx, capacity)
    if problem is not None:
        raise target.TargetError("msgbuf is not usable: " + problem)
    pieces, lost = logbuf.spans(size, bufx)
    base = target.address_of(ring)
    data = b"".join(target.read_bytes(base + off, length, "the msgbuf ring")
                    for off, length in pieces)
    return logbuf.lines(data, lost), lost


@registry.command
class Dmesg(registry.MachinaCommand):
    """Print the kernel log (msgbuf).

Usage: dmesg [-n LINES]

Everything the kernel has printed since boot, from the msgbuf ring
(kernel/msgbuf.h); with -n, only the last LINES lines. Once the ring has
wrapped, the oldest text is gone and a first line says how much. Before the
kernel is up (paging off, or msgbuf not set up) it says why there is no log."""

    name = "dmesg"

    def run(self, argv, from_tty):
        count = parse_count(argv)
        target.require_live()
        all_lines, lost = read_log()
        if not all_lines and not lost:
            self.note("the log is empty: the kernel has printed nothing yet")
            return
        shown = logbuf.tail(all_lines, count)
        if lost and len(shown) == len(all_lines):
            self.out("[the log wrapped: its first %d bytes were overwritten]\n" % lost)
        self.out("".join(line + "\n" for line in shown))
