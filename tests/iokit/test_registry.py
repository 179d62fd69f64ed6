#!/usr/bin/env python3
"""test_registry.py - the I/O Registry of a plain machine, seen with ioreg.

    tests/iokit/test_registry.py [--build build] [--accel tcg]

    iokit.registry.boot        the shell comes up
    iokit.registry.root        ioreg draws Root with IOResources below it
    iokit.registry.resource    IOResources publishes the IOKit resource
                               (ioreg -l -c IOResources)
    iokit.registry.quiet       no matching failure was logged at boot

The other test_*.py here add QEMU devices and check what the families and
drivers make of them.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

BOOT_TIMEOUT = 90
CHECKS = ["iokit.registry.boot", "iokit.registry.root", "iokit.registry.resource",
          "iokit.registry.quiet"]


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
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    log_path=os.path.join(logs, "iokit-registry-console.log")) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        t.ok(bool(up), CHECKS[0], s.output[-2000:])
        if not up:
            for name in CHECKS[1:]:
                t.ok(False, name, "no shell")
            t.plan_end()
            return 0
        out = sh.run("ioreg -w0") or ""
        t.ok(re.search(r"^\+-o Root\s", out, re.M) is not None and
             re.search(r"^\s+\+-o IOResources\s+<class IOResources", out, re.M) is not None,
             CHECKS[1], out)
        out = sh.run("ioreg -l -w0 -c IOResources") or ""
        t.ok(re.search(r'"IOKit" = Yes', out) is not None, CHECKS[2], out)
        log = sh.run("dmesg") or ""
        bad = [l for l in log.splitlines() if "IOService:" in l and
               ("failed" in l or "not found" in l)]
        t.ok(not bad, CHECKS[3], "\n".join(bad))
        s.send("poweroff\n")
        s.wait(30)
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
