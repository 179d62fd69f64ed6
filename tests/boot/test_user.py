#!/usr/bin/env python3
"""test_user.py - the user tier: the BSD layer's user-mode tests
(tests/bsd, /usr/tests/bsd in the initrd), run inside Machina.

By default (--mode init), one boot (two CPUs) with tests=user
(tests=user.NAME,... for --only):
/sbin/init runs every selected program in turn, each as a process of its
own in a session on the console, prints "[PATH exited with status N]" (or
"died of SIG...", "timed out ...") after each and "# user tests: N passed,
M failed" at the end, and powers off (docs/userland.md). With --mode
console, one boot with init=none runs every program from the kernel
console instead, `run PATH` each, as one task each. Each program
prints TAP, and each of its checks becomes a result here, named
user.<program>.<check>; a program must also end with status 0 and print its
plan (user.<program>.exits_0). A program that crashes the kernel fails, and
so do the programs after it (the boot is gone).

In init mode, where the kernel cannot start init, the kernel console
comes up instead on the same boot, and the programs run from it
with `run PATH`, one task each, reported the same way. The check
user.init_runs_tests says which way they ran: passed with init, skipped
when the kernel console came up, failed when init came up but could not
run them (the programs then run from the kernel console on a second boot,
so that their own results still show) - skipped too if init said why with
"Function not implemented".

    tests/boot/test_user.py [--only NAME ...] [--mode init|console]

`make test-user` runs init mode (as `make test` does); `make
test-user-console` the kernel console's.

In init mode without --only (or with --no-shared-cr3), a second boot runs
every program again (but the load tests in NO_SHARED_CR3_SKIP, left out
with tests=user,-user.NAME) with the boot-arg -no_shared_cr3, the kernel on
page tables of its own (docs/hardening.md); each program is one result
there, user.no_shared_cr3.<program>, failed with the checks that failed.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402

PROMPT = "machina> "
BOOT_TIMEOUT = 60
PROGRAM_TIMEOUT = 200   # init kills a program after 120 s
RESULT = re.compile(r"^(not ok|ok) (\d+) - (.*)$")
PLAN = re.compile(r"^1\.\.(\d+)$")
SUMMARY = re.compile(r"^# user tests: (\d+) passed, (\d+) failed$", re.M)
# What the boot turns into: init running the tests, the kernel console, or
# init saying that the kernel lacks a call it needs (kern.bootargs, fork).
MISSING = r"^init: (sysctl kern\.bootargs|fork for [^:\n]*): Function not implemented.*$"
FIRST_SIGN = re.compile(r"^(\[running |# user tests: )|machina> |" + MISSING, re.M)


def programs(build):
    """The tests the tree has (tests/bsd/*.c), not whatever an older build
    left in BUILD/bsd-tests: those are the ones the initrd holds."""
    d = os.path.join(ROOT, "tests", "bsd")
    return sorted(n[:-2] for n in os.listdir(d) if n.endswith(".c"))


def end_marker(path):
    return re.compile(r"^\[%s (exited with status (\d+)|died of .*|timed out .*|could not .*)\]$"
                      % re.escape(path), re.M)


def report(t, prog, out, end, prefix="user", whole=False):
    """Each TAP check of prog's output, then PREFIX.<prog>.exits_0; or, whole,
    one result PREFIX.<prog> for all of them."""
    lines = out.replace("\r", "").splitlines()
    planned = None
    failures = []
    for i, line in enumerate(lines):
        m = RESULT.match(line)
        if m:
            detail = []
            j = i + 1
            while j < len(lines) and lines[j].startswith("#"):
                detail.append(lines[j])
                j += 1
            if whole:
                if m.group(1) != "ok":
                    failures += [line] + detail
            else:
                t.ok(m.group(1) == "ok", "%s.%s.%s" % (prefix, prog, m.group(3)),
                     "\n".join(detail))
        m = PLAN.match(line)
        if m:
            planned = int(m.group(1))
    exited = end is not None and end.group(2) == "0" and planned is not None
    why = "the program %s:\n%s" % ("did not finish (the boot is lost)" if end is None else
                                   "ended: " + end.group(1) if planned is not None else
                                   "printed no plan", "\n".join(lines[-30:]))
    if whole:
        t.ok(exited and not failures, "%s.%s" % (prefix, prog),
             "\n".join(failures) if failures else why)
    else:
        t.ok(exited, "%s.%s.exits_0" % (prefix, prog), why)


def run_with_init(t, s, progs, start, prefix="user", whole=False):
    """The programs as init runs them, in its order (sorted, as here)."""
    up = True
    for prog in progs:
        path = "/usr/tests/bsd/" + prog
        begin, end = -1, None
        if up:
            got = s.expect("[running %s]\n" % path, PROGRAM_TIMEOUT, start)
            if got is not None:
                begin = got
                if s.expect(end_marker(path), PROGRAM_TIMEOUT, begin) is not None:
                    end = end_marker(path).search(s.output, begin)
            up = end is not None
        # Only what this program printed: nothing if it never started.
        out = s.output[begin:end.start() if end else None] if begin >= 0 else ""
        report(t, prog, out, end, prefix, whole)
        if end:
            start = end.end()
    if up:
        up = s.expect(SUMMARY, 30, start) is not None
    t.ok(up, prefix + ".init_summary", "no \"# user tests:\" line:\n" + s.output[-2000:])
    if up:
        s.wait(60)


def type_command(s, line, tries=3):
    """Type line at the kernel console's prompt; the output offset where it
    was typed, once its echo shows it arrived whole, or None. Characters
    typed while a program just ended can go to that program's terminal
    instead, so a line that comes back garbled (or not at all) is finished
    with a newline and typed again."""
    # Searched from where it was typed, just after the prompt: no ^.
    echo = re.compile(r"%s$" % re.escape(line), re.M)
    for _ in range(tries):
        start = len(s.output)
        s.send(line + "\n")
        if s.expect(echo, 10, start) is not None:
            return start
        s.send("\n")
        if s.expect(PROMPT, 20, start) is None:
            return None
    return None


def run_from_console(t, s, progs):
    """The programs from the kernel console, `run PATH` each."""
    up = True
    for prog in progs:
        path = "/usr/tests/bsd/" + prog
        start = len(s.output)
        end = None
        if up:
            typed = type_command(s, "run %s" % path)
            start = typed if typed is not None else start
            got = s.expect(end_marker(path), PROGRAM_TIMEOUT, start) if typed is not None else None
            end = end_marker(path).search(s.output, start) if got is not None else None
            up = end is not None and s.expect(PROMPT, 20, start) is not None
        report(t, prog, s.output[start:], end)
    if up:
        s.send("poweroff\n")
        s.wait(30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", action="append", help="run only this program (repeatable)")
    ap.add_argument("--mode", choices=["console", "init"], default="init",
                    help="have /sbin/init run the programs (tests=user, the default) "
                         "or run them from the kernel console (init=none)")
    ap.add_argument("--no-shared-cr3", dest="no_shared_cr3", action="store_true",
                    default=None, help="run them a second time with -no_shared_cr3 "
                    "(the default in init mode without --only)")
    opts = ap.parse_args()
    if opts.no_shared_cr3 is None:
        opts.no_shared_cr3 = opts.mode == "init" and not opts.only
    if opts.accel == "auto":        # run on its own (make test-user)
        opts.accel = mq.choose_accel("auto", os.path.join(opts.build, "kernel.elf"), opts.build)
    t = tap.Writer()
    progs = [p for p in programs(opts.build) if not opts.only or p in opts.only]
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    selection = ",".join("user." + p for p in progs) if opts.only else "user"

    def session(args, log):
        return mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                          initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                          smp=2, args=args, log_path=os.path.join(logs, log))

    if opts.mode == "console":
        with session("init=none", "user-console.log") as s:
            up = s.expect(PROMPT, BOOT_TIMEOUT) is not None
            t.ok(up, "user.console_boot", "no prompt:\n" + s.output[-2000:])
            if up:
                run_from_console(t, s, progs)
        return finish(t)
    with session("tests=" + selection, "user-console.log") as s:
        first = s.expect(FIRST_SIGN, BOOT_TIMEOUT)
        sign = FIRST_SIGN.search(s.output) if first is not None else None
        if sign is not None and sign.group(0) == "[running ":
            t.ok(True, "user.init_runs_tests")
            run_with_init(t, s, progs, sign.start())
            if opts.no_shared_cr3:
                no_shared_cr3_pass(t, session, progs)
            return finish(t)
        if sign is not None and sign.group(0) == PROMPT:
            t.skip("user.init_runs_tests", "kernel support missing (the kernel console came up)")
            run_from_console(t, s, progs)
            return finish(t)
        if sign is not None and re.match(MISSING, sign.group(0)):
            t.skip("user.init_runs_tests", "kernel support missing (%s)" % sign.group(0))
        else:
            t.ok(False, "user.init_runs_tests", "init could not run the tests:\n" +
                 s.output[-2000:])
        s.wait(5)
    # init came up but could not run them: the kernel console, on a boot of its own.
    with session("init=none", "user-console-fallback.log") as s:
        if s.expect(PROMPT, BOOT_TIMEOUT) is None:
            t.ok(False, "user.console_boot", "no prompt:\n" + s.output[-2000:])
            return finish(t)
        run_from_console(t, s, progs)
    return finish(t)


# Not run a second time with -no_shared_cr3: load tests whose millions of
# system calls each reload CR3 twice, which under TCG takes minutes.
NO_SHARED_CR3_SKIP = {"mach_stress"}


def no_shared_cr3_pass(t, session, progs):
    """The same programs again on a boot with -no_shared_cr3 (the kernel on
    page tables of its own: docs/hardening.md), one result per program."""
    prefix = "user.no_shared_cr3"
    progs = [p for p in progs if p not in NO_SHARED_CR3_SKIP]
    selection = ",".join(["user"] + ["-user." + p for p in sorted(NO_SHARED_CR3_SKIP)])
    with session("-no_shared_cr3 tests=" + selection, "user-no-shared-cr3.log") as s:
        first = s.expect(FIRST_SIGN, BOOT_TIMEOUT)
        sign = FIRST_SIGN.search(s.output) if first is not None else None
        up = sign is not None and sign.group(0) == "[running "
        t.ok(up and "pmap: -no_shared_cr3: the kernel runs on its own page tables" in s.output,
             prefix + ".boot", s.output[-2000:])
        if up:
            run_with_init(t, s, progs, sign.start(), prefix, whole=True)


def finish(t):
    t.plan_end()
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
