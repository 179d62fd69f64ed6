"""debugger - where the kernel asks for the debugger (kernel/debug.h):
PE_enter_debugger calls PE_debugger_trap(cause), on which this module keeps
a breakpoint of its own. When it hits, gdb stops and says why; if the
kernel is waiting for the debugger (debug=0x1, PE_enter_debugger_wait), it
is also told it may go on (PE_debugger_continue = 1), so that `continue`
resumes it. That one word is the only thing these commands ever write to
the machine, and only because the kernel asked."""
import gdb

from machina_gdb import target

TRAP = "PE_debugger_trap"


class DebuggerTrap(gdb.Breakpoint):
    def __init__(self):
        # The first instruction: the cause is still in rdi.
        super().__init__("*" + TRAP, internal=True)
        self.silent = True

    def stop(self):
        try:
            gdb.execute("set var PE_debugger_continue = 1", to_string=True)
        except gdb.error:
            pass
        try:
            rdi = int(gdb.parse_and_eval("$rdi")) & 0xffffffffffffffff
            cause = target.read_cstring(rdi, "the cause", 200)
        except (target.TargetError, gdb.error, ValueError, OverflowError):
            cause = "?"
        gdb.write("machina: the kernel entered the debugger: %s\n" % cause)
        gdb.write("machina: `continue` lets it go on; `bt`, `showallthreads -b`, "
                  "`dmesg` and the rest show where it is\n")
        return True


def install():
    for b in gdb.breakpoints() or ():
        if getattr(b, "location", None) == "*" + TRAP and not b.visible:
            b.delete()                    # from an earlier source of machina.py
    try:
        DebuggerTrap()
    except (gdb.error, RuntimeError):
        pass


install()
