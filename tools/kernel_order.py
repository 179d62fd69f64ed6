#!/usr/bin/env python3
"""kernel_order.py - write config/kernel.order, the kernel's hot functions
in the order the linker lays them out first in .text.

    tools/kernel_order.py [--build DIR] [--window S] [--warmup S] [-v] [-o FILE]

Why: under QEMU's TCG every CR3 load empties the emulated TLB, so a
context switch between tasks pays one software page walk for every page
of code the next stretch touches, besides the data. A Mach message round
trip between two tasks ran code from 34 pages of the kernel with the
functions where the compiler left them, and from 10 with them packed
(docs/performance.md has the measurements).

How: boots the kernel (TCG, QEMU's -d nochain, so that every translated
block passes through QEMU's execution log when it runs), starts each
workload in the background under the shell, and turns on the log of
executed blocks (the monitor command `log exec`, sent through QMP) for a
window of its steady state. Each executed block is charged to the kernel function it
starts in. The order file lists each workload's path in turn (every
function with at least MIN_SHARE of its kernel blocks, heaviest first,
less what an earlier workload placed), then every other function seen,
by its share summed over the workloads. Functions written in assembly
are not in sections of their own: their object files are listed instead
(the linker script takes the object's whole .text), once.

The workloads are the paths the benchmarks and the shell live on: Mach
message round trips, semaphores, the null system call, 1-byte reads,
pipes, thread switches, page faults, fork and exec.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machina_qemu as mq  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (what, the command the shell runs over and over in the background)
WORKLOADS = [
    ("Mach message round trip", "/usr/bench/machbench -n 20 mach.msg_roundtrip"),
    ("Mach semaphores", "/usr/bench/machbench -n 20 mach.semaphore_pingpong"),
    ("null system call", "/usr/bench/ubench -n 20 bsd.getpid"),
    ("1-byte read", "/usr/bench/ubench -n 20 bsd.read_1"),
    ("pipe round trip", "/usr/bench/ubench -n 20 bsd.pipe_roundtrip"),
    ("thread switch", "/usr/bench/ubench -n 20 bsd.thread_switch"),
    ("page fault", "/usr/bench/ubench -n 20 bsd.page_fault"),
    ("fork+exit+wait", "/usr/bench/ubench -n 20 bsd.fork_exit_wait"),
    ("fork+exec+wait", "/usr/bench/ubench -n 20 bsd.fork_exec_wait"),
]

TRACE = re.compile(rb"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/", re.M)
KERNEL_TEXT_MIN = 0xffffffff80000000
# A function is part of a workload's own path if it runs at least this
# share of the workload's kernel blocks (below it: start-up, timers).
MIN_SHARE = 0.001


def text_symbols(elf):
    """[(address, name)] of the kernel's functions, sorted, and where the
    image's text ends (kexts run above it, and are not the kernel's)."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms, end = [], None
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == "_text_end":
            end = int(f[0], 16)
        elif len(f) == 3 and f[1] in "tTwW" and not f[2].startswith(".."):
            syms.append((int(f[0], 16), f[2]))
    return syms, end


def asm_objects(build):
    """{symbol: object file name} for every function defined in an object
    assembled from NASM source (its .text is not split per function)."""
    owners = {}
    objdir = os.path.join(build, "obj")
    for dirpath, _, files in os.walk(objdir):
        for f in files:
            if not f.endswith(".o"):
                continue
            src = os.path.join(ROOT, os.path.relpath(os.path.join(dirpath, f), objdir))
            if not os.path.exists(src[:-2] + ".asm"):
                continue
            out = subprocess.run(["nm", "--defined-only", os.path.join(dirpath, f)],
                                 capture_output=True, text=True).stdout
            for line in out.splitlines():
                p = line.split()
                if len(p) == 3 and p[1] in "tT":
                    owners[p[2]] = f
    return owners


def trace(build, window, warmup, tmp, verbose):
    """{workload: {pc: executions}} of kernel blocks in each window."""
    qmp = os.path.join(tmp, "qmp.sock")
    first = os.path.join(tmp, "boot.log")
    extra = mq.qmp_args(qmp) + ["-d", "nochain", "-D", first]
    counts = {}
    with mq.Session(kernel=os.path.join(build, "kernel.elf"),
                    initrd=os.path.join(build, "initrd.cpio"), args="init=none",
                    accel="tcg", smp=1, extra=extra) as s:
        if s.expect("machina> ", 120) is None:
            sys.exit("kernel_order: no shell prompt:\n" + s.output[-2000:])
        q = mq.QMPClient(qmp)

        def monitor(command):	# a monitor command, done when QMP answers
            reply = q.command("human-monitor-command", {"command-line": command})
            if "error" in reply:
                sys.exit("kernel_order: QEMU refused %r: %s" % (command, reply["error"]))
        s.send("run /bin/sh\n")
        time.sleep(3)
        for i, (what, command) in enumerate(WORKLOADS):
            log = os.path.join(tmp, "w%d.log" % i)
            # The loop checks for a stop file between runs, so that the run
            # under way finishes before the next workload starts.
            s.send("rm -f /tmp/stop; (while [ ! -e /tmp/stop ]; do %s >/dev/null; done; "
                   "echo stop''ped%d) &\n" % (command, i))
            time.sleep(warmup)
            monitor("logfile " + log)
            monitor("log exec")
            time.sleep(window)
            monitor("log none")
            st = len(s.output)
            s.send("touch /tmp/stop\n")
            if s.expect("stopped%d" % i, 300, st) is None:
                sys.exit("kernel_order: %s did not stop:\n%s" % (what, s.output[-2000:]))
            with open(log, "rb") as f:
                pcs = collections.Counter(int(x, 16) for x in TRACE.findall(f.read()))
            os.unlink(log)
            kernel = {pc: n for pc, n in pcs.items() if pc >= KERNEL_TEXT_MIN}
            print("kernel_order: %-24s %7d kernel blocks run, %5d distinct" % (
                what, sum(kernel.values()), len(kernel)), file=sys.stderr)
            if not kernel:
                sys.exit("kernel_order: nothing traced for %s:\n%s" % (what, s.output[-2000:]))
            counts[what] = kernel
        if verbose:
            print(s.output, file=sys.stderr)
        s.send("exit\n")
        time.sleep(1)
        s.send("poweroff\n")
        s.wait(30)
        q.close()
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--window", type=float, default=0.5, help="seconds logged per workload")
    ap.add_argument("--warmup", type=float, default=4.0, help="seconds before logging starts")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the console's output")
    ap.add_argument("-o", "--output", default=os.path.join(ROOT, "config", "kernel.order"))
    a = ap.parse_args()

    syms, text_end = text_symbols(os.path.join(a.build, "kernel.elf"))
    addrs = [s[0] for s in syms]
    owners = asm_objects(a.build)
    with tempfile.TemporaryDirectory() as tmp:
        counts = trace(a.build, a.window, a.warmup, tmp, a.verbose)

    def function(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 and pc < text_end else None

    shares = {}
    for what, kernel in counts.items():
        total = sum(kernel.values())
        share = shares[what] = collections.Counter()
        for pc, n in kernel.items():
            name = function(pc)
            if name is not None:
                share[name] += n / total
    lines, seen = [], set()

    def place(name):
        entry = owners.get(name, name.split(".")[0])	# a clone: order its function
        if entry not in seen:
            seen.add(entry)
            lines.append(entry)

    # Each workload's own path together, the workloads in the order above:
    # what a workload shares with an earlier one is already placed.
    for what, _ in WORKLOADS:
        for name, share in sorted(shares[what].items(), key=lambda kv: (-kv[1], kv[0])):
            if share >= MIN_SHARE:
                place(name)
    # Then everything else seen, by its summed share.
    weight = collections.Counter()
    for share in shares.values():
        weight.update(share)
    for name, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0])):
        place(name)
    with open(a.output, "w") as f:
        f.write("# config/kernel.order - the kernel's hot functions, laid out first in .text\n"
                "# (linker.ld) in this order: each benchmark's path in turn, then the rest.\n"
                "# Written by tools/kernel_order.py (`make kernel-order`) from QEMU's log\n"
                "# of the blocks each benchmark runs. An entry ending in .o is an assembled\n"
                "# object, whose whole .text goes there. Regenerate it when the hot paths\n"
                "# move: the kernel tier fails on an entry the kernel no longer has.\n")
        for line in lines:
            f.write(line + "\n")
    print("kernel_order: %d entries in %s" % (len(lines), a.output), file=sys.stderr)


if __name__ == "__main__":
    main()
