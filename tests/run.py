#!/usr/bin/env python3
"""run.py - every test tier of `make test`, and the one-line verdict.

Tiers, in order (each a program printing TAP; see tests/tap.py):
  lint    the tree's structural rules: headers stand alone, own header
          first, machine-dependent includes only in kernel/x86_64
  unit    host unit tests of machine-independent code (Criterion, ASan, UBSan)
  kernel  in-kernel tests (tests=*) and the harness's checks of itself
  boot    both ways in (direct PVH and the GRUB ISO), boot-args, initrd cases
  user    the BSD layer's user-mode tests (tests/bsd), run inside Machina
  kcov    the coverage kernel (KCOV=1): /dev/ksancov, the coverage-guided fuzzers
  bench   the benchmark program's short mode, on Machina and on this host:
          every figure there and its checks passed (timings never asserted)
  kexts   a kext built outside the tree with the SDK, loaded and unloaded
  iokit   the I/O Kit on machines with extra devices (tests/iokit/test_*.py)
  shell   init and busybox's shell on the console, driven over the serial line
  gdb     gdb in batch mode against a live QEMU

Each tier's full output goes to BUILD/test-logs/<tier>.log; failures are
echoed here with their diagnostics, and skipped ones with their reasons. The
last line is "N passed, N failed" (", N skipped" added when a check could
not run); the exit status is non-zero if anything failed or a tier died.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tap  # noqa: E402
import machina_qemu  # noqa: E402

TIERS = [
    ("lint", ["tests/lint/run_lint.py"], False),
    ("unit", ["tests/unit/run_unit.py"], False),
    ("kernel", ["tests/kernel/run_kernel.py"], True),
    ("boot", ["tests/boot/test_boot.py"], True),
    ("user", ["tests/boot/test_user.py"], True),
    # The coverage kernel (make kcov-kernel): /dev/ksancov and the guided fuzzers.
    ("kcov", ["tests/kcov/test_kcov.py"], True),
    ("bench", ["tests/bench/test_ubench.py"], True),
    ("kexts", ["tests/kexts/test_sdk.py"], True),
    ("iokit", ["tests/iokit/run_iokit.py"], True),
    ("shell", ["tests/boot/test_shell.py"], True),
    ("gdb", ["tests/gdb/test_gdb.py"], True),
    # A short make soak: 20 s on two CPUs (tools/soak.py, docs/testing.md).
    ("soak", ["tools/soak.py", "--tap", "--time", "20", "--smp", "2"], True),
]

TIER_TIMEOUT = 900  # seconds; each QEMU run inside has its own, shorter one


def run_tier(name, script, uses_qemu, args, accel):
    cmd = [sys.executable] + script + ["--build", args.build]
    if uses_qemu:
        cmd += ["--accel", accel]
    log_dir = os.path.join(args.build, "test-logs")
    os.makedirs(log_dir, exist_ok=True)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                              timeout=TIER_TIMEOUT, stdin=subprocess.DEVNULL)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err, rc = "tier timed out after %d s" % TIER_TIMEOUT, -1
    elapsed = time.monotonic() - start
    with open(os.path.join(log_dir, name + ".log"), "w") as f:
        f.write(out)
        if err:
            f.write("\n# stderr:\n" + err)

    results = tap.parse(out)
    skipped = len(tap.skips(out))
    passed = sum(1 for ok, _ in results if ok)
    failed = len(results) - passed - skipped
    planned = tap.plan_count(out)
    problems = []
    if planned is not None and planned != len(results):
        problems.append("planned %d tests, ran %d" % (planned, len(results)))
    if rc != 0 and failed == 0:
        problems.append("exited with status %s" % rc)
    if not results and not problems:
        problems.append("reported no tests")

    print("%-6s %4d passed, %d failed%s  (%.1f s)" % (
        name, passed, failed, ", %d skipped" % skipped if skipped else "", elapsed))
    show_skips(out)
    show_failures(out)
    for p in problems:
        print("  tier %s: %s" % (name, p))
        for line in err.strip().splitlines()[-15:]:
            print("    " + line)
        failed += 1
    return passed, failed, skipped


def show_skips(out):
    """Echo each skipped result with its reason."""
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("ok") and "# SKIP" in s.upper():
            print("  " + s)


def show_failures(out):
    """Echo each failing result with the diagnostics that follow it."""
    echoing = False
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("not ok"):
            print("  " + s)
            echoing = True
        elif s.startswith("ok"):
            echoing = False
        elif echoing and s.startswith("#"):
            print("    " + s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="auto", choices=["auto", "tcg", "kvm"])
    ap.add_argument("--only", action="append", choices=[t[0] for t in TIERS],
                    help="run only this tier (repeatable)")
    args = ap.parse_args()

    kernel = os.path.join(args.build, "kernel.elf")
    accel = "tcg"
    if any(uses for name, _, uses in TIERS if not args.only or name in args.only):
        accel = machina_qemu.choose_accel(args.accel, kernel, args.build, sys.stdout)

    total_passed = total_failed = total_skipped = 0
    for name, script, uses_qemu in TIERS:
        if args.only and name not in args.only:
            continue
        p, f, k = run_tier(name, script, uses_qemu, args, accel)
        total_passed += p
        total_failed += f
        total_skipped += k
    # Skips (a check that cannot run yet, and says why) are neither.
    print("%d passed, %d failed%s" % (total_passed, total_failed,
                                      ", %d skipped" % total_skipped if total_skipped else ""))
    sys.exit(1 if total_failed else 0)


if __name__ == "__main__":
    main()
