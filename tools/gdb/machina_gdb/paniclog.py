"""paniclog - the last panic: panicstr (kernel/debug.h) and the report
panic() printed into the kernel log (kernel/debug.c)."""
from machina_gdb import dmesg, registry, target

# How panic() starts its report in the log (kernel/debug.c); the report
# runs from the last such line to the end of the log.
REPORT_START = "panic(cpu "


def report_lines(log_lines):
    """The last panic report in the log, or [] if the log no longer has it."""
    for i in range(len(log_lines) - 1, -1, -1):
        if log_lines[i].startswith(REPORT_START):
            return log_lines[i:]
    return []


@registry.command
class Paniclog(registry.MachinaCommand):
    """Show the last panic, if the kernel has panicked.

Usage: paniclog

The first panic's message (panicstr, kernel/debug.h), how many panics are
in progress (nestedpanic), and the report panic() printed into the kernel
log: registers, backtrace, version and boot-args. Says so when there has
been no panic."""

    name = "paniclog"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("paniclog")
        target.require_live()
        ptr = target.to_int(target.symbol("panicstr"), "panicstr")
        if ptr == 0:
            self.out("No panic: panicstr is NULL.\n")
            return
        self.out("panic: %s\n" % target.read_cstring(ptr, "the panic message (panicstr)", 1024))
        try:
            depth = target.to_int(target.symbol("nestedpanic"), "nestedpanic")
            if depth > 1:
                self.out("nested panics: %d (the report below is the last one)\n" % depth)
        except target.TargetError:
            pass
        try:
            log_lines, _ = dmesg.read_log()
        except target.TargetError as e:
            self.note("no report: %s" % e)
            return
        report = report_lines(log_lines)
        if not report:
            self.note("the report is no longer in the kernel log (it wrapped)")
            return
        self.out("\nThe report in the kernel log:\n")
        self.out("".join("  " + line + "\n" for line in report))
