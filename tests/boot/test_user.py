#!/usr/bin/env python3
"""test_user.py - the user tier: the BSD layer's user-mode tests
(tests/bsd, /usr/tests/bsd in the initrd), run inside Machina.

One boot (two CPUs) runs every program in turn from the kernel console
(`run PATH`); each program prints TAP, and each of its checks becomes a
result here, named user.<program>.<check>. A program must also end with
status 0, print its plan, and not take longer than PROGRAM_TIMEOUT. A
program that crashes the kernel fails, and so do the programs after it
(the boot is gone).

    tests/boot/test_user.py [--only NAME ...]
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
PROGRAM_TIMEOUT = 120
RESULT = re.compile(r"^(not ok|ok) (\d+) - (.*)$")
PLAN = re.compile(r"^1\.\.(\d+)$")


def programs(build):
    d = os.path.join(build, "bsd-tests")
    return sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n))) \
        if os.path.isdir(d) else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", action="append", help="run only this program (repeatable)")
    opts = ap.parse_args()
    t = tap.Writer()
    progs = [p for p in programs(opts.build) if not opts.only or p in opts.only]
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    # init=none: the programs run from the kernel console, whatever /sbin/init there is.
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"), args="init=none",
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel, smp=2,
                    log_path=os.path.join(logs, "user-console.log")) as s:
        up = s.expect(PROMPT, BOOT_TIMEOUT) is not None
        t.ok(up, "user.boot", "no prompt:\n" + s.output[-2000:])
        for prog in progs:
            path = "/usr/tests/bsd/" + prog
            start = len(s.output)
            done = re.compile(r"^\[%s (exited with status (\d+)|died of .*)\]$" % re.escape(path), re.M)
            if up:
                s.send("run %s\n" % path)
                up = s.expect(done, PROGRAM_TIMEOUT, start) is not None and \
                    s.expect(PROMPT, 20, start) is not None
            out = s.output[start:]
            lines = out.replace("\r", "").splitlines()
            planned = None
            for line in lines:
                m = RESULT.match(line)
                if m:
                    detail = []
                    i = lines.index(line) + 1
                    while i < len(lines) and lines[i].startswith("#"):
                        detail.append(lines[i])
                        i += 1
                    t.ok(m.group(1) == "ok", "user.%s.%s" % (prog, m.group(3)), "\n".join(detail))
                m = PLAN.match(line)
                if m:
                    planned = int(m.group(1))
            end = done.search(out)
            t.ok(end is not None and end.group(2) == "0" and planned is not None,
                 "user.%s.exits_0" % prog,
                 "the program %s:\n%s" % ("did not finish (the boot is lost)" if end is None else
                                          "ended: " + end.group(1) if planned is not None else
                                          "printed no plan", "\n".join(lines[-30:])))
        if up:
            s.send("poweroff\n")
            s.wait(30)
    t.plan_end()
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
