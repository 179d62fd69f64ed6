#!/usr/bin/env python3
"""test_shell.py - the shell tier: Machina booted as `make run` boots it
(default boot-args: /sbin/init, /etc/rc, busybox's sh on the console
tty), driven over the serial line like a person at the console.

Each check types a command and reads its answer. A command ends with an
echo of a marker written so that the echoed input never matches it
(`echo @@""END7` shows @@""END7 as typed and @@END7 as run), so each
answer is exactly what was printed between the command and its marker.

    shell.prompt           the shell comes up and runs a command
    shell.echo             echo hello
    shell.pipeline         echo a b c | wc -w  gives 3
    shell.script_loop      a script with a while loop, written to /tmp, run with sh
    shell.cd_ls            cd /etc && ls  shows motd
    shell.sysctl           sysctl kern.ostype  says Machina
    shell.uname            uname -sm  says Machina x86_64 (the in-tree uname)
    shell.background       echo x > /tmp/f &  then wait; and sleep 1 & wait
    shell.ps               ps ax  lists init and sh
    shell.ctrl_c           Ctrl-C ends sleep 1000 and the prompt comes back
    shell.exit_restarts    exit: init starts a new shell (another pid)

When the kernel cannot run init yet (the kernel console's prompt comes up
instead, or init reports that it cannot fork or wait: ENOSYS) every
check is reported as "# SKIP kernel support missing (...)", so that the
tier states what it could not test without failing `make test`.

Every QEMU run has a timeout.

    tests/boot/test_shell.py [--build build] [--accel tcg]
"""
import argparse
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402

KERNEL_PROMPT = "machina> "
BOOT_TIMEOUT = 90       # to the shell's first prompt: init, /etc/rc, a login shell
COMMAND_TIMEOUT = 45    # one command and its marker
CHECKS = ["shell.prompt", "shell.echo", "shell.pipeline", "shell.script_loop", "shell.cd_ls",
          "shell.sysctl", "shell.uname", "shell.background", "shell.ps", "shell.ctrl_c",
          "shell.exit_restarts"]
# What a boot turns into: the kernel console (no init), init's complaint
# about a missing system call, or a shell prompt ("host:dir# ").
MISSING = re.compile(r"^init: (fork for|waiting for) [^:\n]*: Function not implemented.*$",
                     re.M)
# The last thing printed, waiting for input; busybox's line editing then asks
# the terminal where its cursor is (ESC [6n), and goes on without an answer.
SHELL_PROMPT = re.compile(r"# (\x1b\[6n)?\Z")


class Shell:
    def __init__(self, s):
        self.s = s
        self.n = 0

    def run(self, command, timeout=COMMAND_TIMEOUT):
        """Type command; its output up to the marker, or None on timeout."""
        self.n += 1
        start = len(self.s.output)
        self.s.send('%s; echo @@""END%d\n' % (command, self.n))
        return self.wait_marker("END%d" % self.n, start, timeout)

    def wait_marker(self, name, start, timeout):
        marker = re.compile(r"^@@%s$" % name, re.M)
        if self.s.expect(marker, timeout, start) is None:
            return None
        m = marker.search(self.s.output, start)
        return self.s.output[start:m.start()]


def has_line(text, pattern):
    return text is not None and re.search(pattern, text, re.M) is not None


def checks(t, s, sh):
    def check(name, ok, text, why=""):
        t.ok(ok, name, "%s\n--- output:\n%s" % (why, s.output[-1500:] if text is None else text))

    out = sh.run("echo hel''lo")
    check("shell.echo", has_line(out, r"^hello$"), out)

    out = sh.run("echo a b c | wc -w")
    check("shell.pipeline", has_line(out, r"^\s*3$"), out)

    # printf turns the \n and \t into the script's lines; the single quotes keep the $.
    out = sh.run(r"""printf 'i=0\nwhile [ $i -lt 3 ]; do\n\ti=$((i + 1))\n\techo "loop $i"\n'"""
                 r"""'done\n' > /tmp/loop.sh && sh /tmp/loop.sh""")
    check("shell.script_loop", has_line(out, r"^loop 1$") and has_line(out, r"^loop 3$") and
          not has_line(out, r"^loop 4$"), out)

    out = sh.run("cd /etc && ls")
    check("shell.cd_ls", has_line(out, r"\bmotd\b"), out)

    out = sh.run("sysctl kern.ostype")
    check("shell.sysctl", has_line(out, r"Machina"), out)

    out = sh.run("uname -sm")
    check("shell.uname", has_line(out, r"^Machina x86_64$"), out)

    out = sh.run("rm -f /tmp/f; echo x''y > /tmp/f & wait; cat /tmp/f; "
                 "sleep 1 & wait $!; echo sleep-status-$?")
    check("shell.background", has_line(out, r"^xy$") and has_line(out, r"^sleep-status-0$"), out)

    out = sh.run("ps ax")
    check("shell.ps", has_line(out, r"\binit\b") and has_line(out, r"\bsh\b"), out)

    # Ctrl-C: sleep 1000 must end long before it would by itself.
    start = len(s.output)
    s.send("sleep 1000\n")
    s.expect("sleep 1000", 10, start)
    time.sleep(2)               # for it to start; any longer only slows the test
    s.send("\x03")
    out = sh.run("echo after-int''errupt")
    check("shell.ctrl_c", has_line(out, r"^after-interrupt$"), out,
          "the prompt did not come back after Ctrl-C")

    # exit: init starts a new shell; a new process, so another $$.
    before = sh.run("echo pid-$$")
    m1 = re.search(r"^pid-(\d+)$", before or "", re.M)
    start = len(s.output)
    s.send("exit\n")
    again = s.expect(SHELL_PROMPT, BOOT_TIMEOUT, start + 1) is not None
    after = sh.run("echo pid-$$") if again else None
    m2 = re.search(r"^pid-(\d+)$", after or "", re.M)
    check("shell.exit_restarts", m1 is not None and m2 is not None and m1.group(1) != m2.group(1),
          after, "pids before and after: %s, %s" % (m1 and m1.group(1), m2 and m2.group(1)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel, smp=2,
                    log_path=os.path.join(logs, "shell-console.log")) as s:
        sh = Shell(s)
        first = re.compile("%s|(?m:%s)|%s" % (re.escape(KERNEL_PROMPT), MISSING.pattern,
                                               SHELL_PROMPT.pattern))
        got = s.expect(first, BOOT_TIMEOUT)
        out = s.output
        missing = None
        if got is not None and KERNEL_PROMPT in out:
            missing = "the kernel console came up: no /sbin/init"
        elif MISSING.search(out):
            missing = MISSING.search(out).group(0)
        if missing:
            for name in CHECKS:
                t.skip(name, "kernel support missing (%s)" % missing)
            t.plan_end()
            return 0
        start = len(s.output)
        ready = got is not None and sh.run("echo rea''dy") is not None
        t.ok(ready, "shell.prompt", "no shell:\n" + s.output[max(0, start - 2000):])
        if ready:
            checks(t, s, sh)
        else:
            for name in CHECKS[1:]:
                t.ok(False, name, "no shell")
        s.send("poweroff\n")
        s.wait(30)
    t.plan_end()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
