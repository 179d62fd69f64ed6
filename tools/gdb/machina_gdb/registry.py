"""registry - how a Machina gdb command is written, and `machina`, the list.

A command is a subclass of MachinaCommand with a name, a docstring (what
`help NAME` prints; its first line is the summary `help machina` lists) and
a run() method, registered with @command:

    from machina_gdb import registry, target

    @registry.command
    class Uptime(registry.MachinaCommand):
        '''Time since the kernel started.

    Usage: uptime'''
        name = "uptime"

        def run(self, argv, from_tty):
            ticks = target.to_int(target.symbol("clock_ticks"), "clock_ticks")
            self.out("%d ticks\\n" % ticks)

run() receives the arguments split like a shell would. It reads the kernel
only through target.py; what goes wrong there arrives as TargetError (or a
gdb error) and is printed as one line, "NAME: reason", never as a Python
traceback. A usage mistake raises gdb.GdbError. To see the traceback of a
command that fails for an unexpected reason, `set python print-stack full`.
"""
import gdb

from machina_gdb import target

# name -> MachinaCommand instance, in registration order.
COMMANDS = {}


def command(cls):
    """Class decorator: register cls as a gdb command, named cls.name."""
    if not cls.__doc__ or not getattr(cls, "name", None):
        raise TypeError("%s: a Machina command needs a name and a docstring" % cls.__name__)
    COMMANDS[cls.name] = cls()
    return cls


def summary(cmd):
    return cmd.__doc__.strip().splitlines()[0]


def usage_error(text):
    return gdb.GdbError("usage: " + text)


class MachinaCommand(gdb.Command):
    """Base of the Machina commands (see the module's docstring)."""

    name = None
    completer = gdb.COMPLETE_NONE

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_USER, self.completer)

    def run(self, argv, from_tty):
        raise NotImplementedError

    def out(self, text):
        gdb.write(text)

    def note(self, text):
        """A one-line message about the command itself (not kernel output)."""
        gdb.write("%s: %s\n" % (self.name, text))

    def invoke(self, arg, from_tty):
        # Return on an empty line must not run a command that reads the
        # kernel (or attaches) a second time.
        self.dont_repeat()
        try:
            self.run(gdb.string_to_argv(arg), from_tty)
        except gdb.GdbError:
            raise
        except target.TargetError as e:
            gdb.write("%s: %s\n" % (self.name, e), gdb.STDERR)
        except (gdb.MemoryError, gdb.error) as e:
            gdb.write("%s: %s%s\n" % (self.name, target.oneline(e), target.unmapped_hint()),
                      gdb.STDERR)
        except Exception as e:
            if gdb.parameter("python print-stack") == "full":
                raise
            gdb.write("%s: internal error in the command: %s: %s "
                      "(`set python print-stack full` shows where)\n"
                      % (self.name, e.__class__.__name__, target.oneline(e)), gdb.STDERR)


class MachinaOverview(gdb.Command):
    # The docstring is set by install_overview(), from the registry.
    def __init__(self):
        super().__init__("machina", gdb.COMMAND_USER, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        gdb.write(overview_text() + "\n")


OVERVIEW_HEAD = """\
Commands for debugging the Machina kernel.

They read kernel data structures through the symbols in build/kernel.elf and
never write to the machine. Before the kernel has set a structure up (at
QEMU's first instruction, say) a command says so instead of printing it.
`help COMMAND` describes each one; tools/gdb/README.md tells how to add one.
"""


def overview_text():
    width = max([len(n) for n in COMMANDS] + [8])
    lines = [OVERVIEW_HEAD, "Machina commands:"]
    for name, cmd in COMMANDS.items():
        lines.append("  %-*s  %s" % (width, name, summary(cmd)))
    return "\n".join(lines)


def install_overview():
    """Register `machina` (and so `help machina`) once every command is in."""
    MachinaOverview.__doc__ = overview_text()
    return MachinaOverview()
