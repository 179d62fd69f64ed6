#!/usr/bin/env python3
"""soak.py - boot Machina with a virtio-blk disk and the lock-order checker
on, run the soak program (tests/bsd/soak.c) for a set time on each CPU
count asked for, and report (docs/testing.md, "make soak").

    tools/soak.py [--time 300] [--smp "2 4"] [--workers 2] [--build build]
                  [--accel tcg] [--tap]

Each run: a fresh 8 MiB raw image as the disk, boot-args lockorder=1,
`soak -t TIME -d /dev/rdiskN -k HelloSysctl.kext -n WORKERS` at the shell,
then its TAP results, each group's longest lock hold, and the kernel's
log lines of the checker. A run fails if any check fails, the kernel
printed a lock-order inversion or panicked, or it did not finish within
TIME plus a margin (every QEMU run has a timeout). Exit status 0 only if
every run passed. With --tap the results are TAP lines (the soak tier of
make test).
"""
import argparse
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
sys.path.insert(0, HERE)
import machina_qemu as mq  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

BOOT_TIMEOUT = 120
MARGIN = 180            # boot aside: warm-up, settling, the counts, slow hosts
DISK_BYTES = 8 * 1024 * 1024
KEXT = "/System/Library/Extensions/HelloSysctl.kext"


def run_once(opts, smp):
    """One boot; ([(passed, check)], summary lines, log path)."""
    logs = os.path.join(opts.build, "test-logs", "soak")
    os.makedirs(logs, exist_ok=True)
    img = os.path.join(logs, "soak-disk-smp%d.img" % smp)
    with open(img, "wb") as f:
        f.truncate(DISK_BYTES)
    log = os.path.join(logs, "soak-smp%d.log" % smp)
    extra = ["-drive", "file=%s,if=none,id=soakdisk,format=raw" % img,
             "-device", "virtio-blk-pci,drive=soakdisk"]
    lines = []
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), args="lockorder=1",
                    accel=opts.accel, mem="512M", smp=smp, extra=extra,
                    log_path=log) as s:
        sh = Shell(s)
        if s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is None or not sh.run("echo re''ady"):
            return [(False, "boot to a shell")], ["no shell prompt"], log
        disks = sh.run("ls /dev/rdisk*") or ""
        names = re.findall(r"/dev/rdisk\d+", disks)
        if not names:
            return [(False, "a virtio disk")], ["no virtio disk: %s" % disks.strip()], log
        start = time.monotonic()
        out = sh.run("/usr/tests/bsd/soak -t %d -d %s -k %s -n %d" %
                     (opts.time, names[0], KEXT, opts.workers),
                     timeout=opts.time + MARGIN)
        elapsed = time.monotonic() - start
        if out is None:
            return [(False, "the soak finishes")], \
                ["the soak did not finish in %d s" % (opts.time + MARGIN)], log
    full = s.output
    results = [(r == "ok", n) for r, n in re.findall(r"^(ok|not ok) \d+ - (.*)$", out, re.M)]
    failed = [n for ok, n in results if not ok]
    inversions = re.findall(r"^lockorder: inversion: .*$", full, re.M)
    panicked = re.search(r"^panic\(", full, re.M) is not None
    # Booted with lockorder=1: a kernel without the checker must not pass for one with no inversion.
    results.append(("the lock-order checker is off" not in out, "the lock-order checker ran"))
    results.append((not inversions, "the kernel logged no lock-order inversion"))
    results.append((not panicked, "the kernel did not panic"))
    lines += [ln for ln in out.splitlines() if ln.startswith("# ")]
    lines += re.findall(r"^lockorder: .*$", full, re.M)
    lines.append("soak on -smp %d: %.0f s, %d checks, %d failed, %d inversions%s" %
                 (smp, elapsed, len(results), len(failed), len(inversions),
                  ", PANIC" if panicked else ""))
    return results, lines, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--time", type=int, default=int(os.environ.get("SOAK_TIME", "300")))
    ap.add_argument("--smp", default=os.environ.get("SOAK_SMP", "2 4"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tap", action="store_true")
    opts = ap.parse_args()
    cpus = [int(c) for c in opts.smp.split()]
    # "auto" (make's default) becomes tcg or kvm, as tests/run.py does.
    opts.accel = mq.choose_accel(opts.accel, os.path.join(opts.build, "kernel.elf"),
                                 opts.build, sys.stderr)
    all_ok = True
    n = 0
    for smp in cpus:
        results, lines, log = run_once(opts, smp)
        ok = bool(results) and all(r for r, _ in results)
        all_ok &= ok
        if opts.tap:
            for passed, check in results:
                n += 1
                print("%s %d - soak.smp%d.%s" % ("ok" if passed else "not ok", n, smp,
                                                 re.sub(r"[^a-z0-9]+", "_", check.lower())))
                if not passed:
                    print("#   see %s" % log)
            for ln in lines:
                print("# " + ln.lstrip("# "))
        else:
            for passed, check in results:
                print("%s - %s" % ("ok" if passed else "FAILED", check))
            print("\n".join(lines))
            print("soak -smp %d: %s (log %s)" % (smp, "PASS" if ok else "FAIL", log))
        sys.stdout.flush()
    if opts.tap:
        print("1..%d" % n)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
