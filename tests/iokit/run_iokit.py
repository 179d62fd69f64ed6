#!/usr/bin/env python3
"""run_iokit.py - the iokit tier: the I/O Kit on QEMU machines with extra
devices, one script per subject (tests/iokit/test_*.py).

    tests/iokit/run_iokit.py [--build build] [--accel tcg] [--only NAME]

Each test_*.py takes --build and --accel and prints TAP; this runs them in
name order and prints one TAP stream, numbered afresh, with each script's
diagnostics kept. A script that dies or prints no results is a failure.
"""
import argparse
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import tap  # noqa: E402

SCRIPT_TIMEOUT = 600  # seconds; each QEMU run inside has its own, shorter one


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", help="run test_NAME.py alone")
    args = ap.parse_args()

    scripts = sorted(glob.glob(os.path.join(HERE, "test_*.py")))
    if args.only:
        scripts = [s for s in scripts if os.path.basename(s) == "test_%s.py" % args.only]
    lines, n = [], 0
    for script in scripts:
        name = os.path.basename(script)[5:-3]
        try:
            proc = subprocess.run([sys.executable, script, "--build", args.build,
                                   "--accel", args.accel], cwd=ROOT, capture_output=True,
                                  text=True, timeout=SCRIPT_TIMEOUT, stdin=subprocess.DEVNULL)
            out, rc, why = proc.stdout, proc.returncode, ""
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            rc, why = -1, "timed out after %d s" % SCRIPT_TIMEOUT
        results = 0
        for line in out.splitlines():
            s = line.strip()
            if s.startswith("TAP version") or (s.startswith("1..") and s[3:].isdigit()):
                continue
            if s.startswith("ok ") or s.startswith("not ok "):
                n += 1
                results += 1
                ok, rest = ("ok", s[3:]) if s.startswith("ok ") else ("not ok", s[7:])
                rest = rest.split(" ", 1)[1] if rest.split(" ", 1)[0].isdigit() else rest
                lines.append("%s %d %s" % (ok, n, rest))
            else:
                lines.append(line)
        if results == 0 or (rc != 0 and not any(ok is False for ok, _ in tap.parse(out))):
            n += 1
            lines.append("not ok %d - iokit.%s (the script %s)" % (
                n, name, why or ("exited with status %s" % rc if results else
                                 "reported no tests")))
    print("TAP version 13")
    print("1..%d" % n)
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
