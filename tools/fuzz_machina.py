#!/usr/bin/env python3
"""fuzz_machina.py - a long run of the system-call or Mach message fuzzer
(tests/bsd/syscall_fuzz.c, docs/fuzzing.md) inside Machina under TCG.

    tools/fuzz_machina.py [--mach] [-n CALLS] [-s SEED] [-f FIRST] [-v] [-u]
                          [--build BUILD] [--kernel KERNEL] [--accel tcg]
                          [--timeout SECONDS]

Boots the kernel with init=none, types `run /usr/tests/bsd/syscall_fuzz
-s SEED -n CALLS [-m]` at the kernel console, and waits for the program's
end, with a timeout scaled to CALLS (SECONDS_PER_CALL each, after
BOOT_TIMEOUT to boot) unless --timeout says otherwise. Fails (exit 1) if
the kernel panics (the log's last "#N" line and the program's "died:"
lines name the input), if the run does not end in time, or if the
program's own checks fail (the baseline of zones, free pages, IPC
objects and port names). The whole console log is kept in
BUILD/fuzz-logs/{syscalls,mach}-SEED.log.

`make fuzz-syscalls N=... SEED=...` and `make fuzz-mach N=... SEED=...`
run it.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import machina_qemu as mq  # noqa: E402

PROMPT = "machina> "
PROGRAM = "/usr/tests/bsd/syscall_fuzz"
BOOT_TIMEOUT = 90
SECONDS_PER_CALL = 0.01     # far above what TCG takes (docs/fuzzing.md)
PANIC = re.compile(r"^panic\(cpu \d+", re.M)
END = re.compile(r"^\[%s (exited with status (\d+)|died of .*)\]$" % re.escape(PROGRAM), re.M)
CALL = re.compile(r"^(?:died: |hung: )?#(\d+) .*$", re.M)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--kernel", default="", help="the kernel (BUILD/kernel.elf; "
                    "BUILD/kcov/kernel.elf for the coverage kernel, which guides the run)")
    ap.add_argument("--mach", action="store_true", help="the Mach message fuzzer (-m)")
    ap.add_argument("-n", type=int, default=100000, help="calls")
    ap.add_argument("-s", type=int, default=1, help="seed")
    ap.add_argument("-f", type=int, default=0, help="first call")
    ap.add_argument("-v", action="store_true", help="log every call")
    ap.add_argument("-p", type=int, default=0, help="log every Pth call (quiet mode)")
    ap.add_argument("-u", action="store_true", help="on the coverage kernel: measure "
                    "coverage without guidance")
    ap.add_argument("--timeout", type=float, default=0)
    opts = ap.parse_args()
    what = "mach" if opts.mach else "syscalls"
    logs = os.path.join(opts.build, "fuzz-logs")
    if opts.kernel and os.path.basename(os.path.dirname(os.path.abspath(opts.kernel))) == "kcov":
        what += "-kcov"
    log = os.path.join(logs, "%s-%d.log" % (what, opts.s))
    timeout = opts.timeout or 120 + opts.n * SECONDS_PER_CALL * (10 if opts.v else 1)
    cmd = "run %s -s %d -n %d -f %d" % (PROGRAM, opts.s, opts.n, opts.f)
    if opts.mach:
        cmd += " -m"
    if opts.v:
        cmd += " -v"
    if opts.u:
        cmd += " -u"
    if opts.p:
        cmd += " -p %d" % opts.p
    print("fuzz: %s (timeout %d s), log %s" % (cmd, timeout, log), flush=True)
    ok = False
    kernel = opts.kernel or os.path.join(opts.build, "kernel.elf")
    with mq.Session(kernel=kernel,
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel, smp=2,
                    args="init=none", log_path=log) as s:
        if s.expect(PROMPT, BOOT_TIMEOUT) is None:
            print("fuzz: FAIL: no kernel console prompt")
            return 1
        start = len(s.output)
        s.send(cmd + "\n")
        done = s.expect(re.compile(END.pattern + "|" + PANIC.pattern, re.M), timeout, start)
        out = s.output[start:]
        calls = CALL.findall(out)
        last = calls[-1] if calls else "none logged"
        if done is None:
            print("fuzz: FAIL: the run did not end in %d s (last call logged: #%s)"
                  % (timeout, last))
        elif PANIC.search(out):
            s.expect(PROMPT + "NEVER", 5, start)    # the rest of the panic report
            out = s.output[start:]
            lines = [ln for ln in out.splitlines() if CALL.match(ln)]
            print("fuzz: FAIL: the kernel panicked; the last calls logged:")
            for ln in lines[-5:]:
                print("  " + ln)
            print("  rerun from the last one with -v -f N to name the exact call")
            m = PANIC.search(out)
            print("\n".join(out[m.start():].splitlines()[:12]))
        else:
            m = END.search(out)
            for ln in out.splitlines():
                if ln.startswith(("ok ", "not ok ", "#   ", "# ")):
                    print("  " + ln)
            ok = m.group(2) == "0"
            print("fuzz: %s: %s (%.0f s)" % ("PASS" if ok else "FAIL", m.group(1), s.elapsed))
            s.send("poweroff\n")
            s.wait(30)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
