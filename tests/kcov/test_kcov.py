#!/usr/bin/env python3
"""test_kcov.py - the kcov tier: the coverage kernel (make KCOV=1,
BUILD/kcov/kernel.elf, docs/fuzzing.md) with the normal initrd.

One boot (two CPUs, init=none, the lock-order checker on: lockorder=1)
runs from the kernel console:
  - /usr/tests/bsd/ksancov: /dev/ksancov records a thread's kernel PCs,
    and refuses its misuse (kcov.ksancov.*);
  - syscall_fuzz -n 3000 and syscall_fuzz -m -n 2000: the fuzzers guided
    by coverage, which must record coverage, grow it, keep a corpus, and
    leave the kernel's zones, pages and IPC objects at their baseline
    (kcov.syscall_fuzz.*, kcov.syscall_fuzz_mach.*);
  - syscall_fuzz -c WHICH:ARGS: one guided call made again from the seeds
    its log line gave (kcov.syscall_fuzz_replay.*).
The kernel is built by `make kcov-kernel` (a dependency of make test and
make test-kcov); without it the tier fails, saying so. At the end the
kernel must have logged no lock-order inversion (kcov.no_lock_inversion).
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
from test_user import PROMPT, PROGRAM_TIMEOUT, end_marker, report, type_command  # noqa: E402

BOOT_TIMEOUT = 90
REPLAY = "0x69274a0dab1bfa83:0x5405cc5ffbf9667f"   # a guided call's seeds, as logged
RUNS = [
    ("ksancov", "/usr/tests/bsd/ksancov", ""),
    ("syscall_fuzz", "/usr/tests/bsd/syscall_fuzz", " -n 3000"),
    ("syscall_fuzz_mach", "/usr/tests/bsd/syscall_fuzz", " -m -n 2000"),
    ("syscall_fuzz_replay", "/usr/tests/bsd/syscall_fuzz", " -c " + REPLAY),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    t = tap.Writer()
    kernel = os.path.join(opts.build, "kcov", "kernel.elf")
    if not os.path.exists(kernel):
        t.ok(False, "kcov.kernel_built", "%s is missing: make kcov-kernel" % kernel)
        return finish(t)
    if opts.accel == "auto":
        opts.accel = mq.choose_accel("auto", kernel, opts.build)
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    with mq.Session(kernel=kernel, initrd=os.path.join(opts.build, "initrd.cpio"),
                    accel=opts.accel, smp=2, args="init=none lockorder=1",
                    log_path=os.path.join(logs, "kcov-console.log")) as s:
        up = s.expect(PROMPT, BOOT_TIMEOUT) is not None
        t.ok(up, "kcov.boot", "no prompt:\n" + s.output[-2000:])
        t.ok("ksancov: /dev/ksancov" in s.output, "kcov.device_made",
             "the boot did not say it made /dev/ksancov:\n" + s.output[-2000:])
        for name, path, args in RUNS:
            start = len(s.output)
            end = None
            if up:
                typed = type_command(s, "run %s%s" % (path, args))
                start = typed if typed is not None else start
                got = (s.expect(end_marker(path), PROGRAM_TIMEOUT, start)
                       if typed is not None else None)
                end = end_marker(path).search(s.output, start) if got is not None else None
                up = end is not None and s.expect(PROMPT, 20, start) is not None
            out = s.output[start:]
            if name == "syscall_fuzz_replay":
                t.ok(re.search(r"^#0 \d+ \w+\(.*\) -c %s$" % REPLAY, out, re.M) is not None,
                     "kcov.syscall_fuzz_replay.logged_with_its_seeds",
                     "no call logged with the seeds given:\n" + out[-1500:])
            elif name == "ksancov":
                t.ok("# ksancov: the coverage kernel" in out, "kcov.ksancov.device_there",
                     "the program did not find the device:\n" + out[-1500:])
            else:
                t.ok("(guided)" in out, "kcov.%s.guided" % name,
                     "the run was not guided:\n" + out[-1500:])
            report(t, name, out, end, prefix="kcov")
        inversions = re.findall(r"^lockorder: inversion: .*$", s.output, re.M)
        t.ok(not inversions, "kcov.no_lock_inversion", "\n".join(inversions))
        if up:
            s.send("poweroff\n")
            s.wait(30)
    return finish(t)


def finish(t):
    t.plan_end()
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
