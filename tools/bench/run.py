#!/usr/bin/env python3
"""run.py - `make bench`: every benchmark, as "name value unit" lines.

  1. The boot figures (tools/bench/boot.py: launch-to-banner time, the
     kernel's start-up milestones, the ISO path), if the selection names
     "boot".
  2. The user-mode figures (bsd.*: tests/bench/ubench.c, run from the
     kernel console as /usr/bench/ubench), --runs boots, if the selection
     names any.
  3. The in-kernel benchmarks (KBENCH, docs/benchmarks.md): --runs boots of
     the direct image at -smp 2 with bench=GLOB. Each figure printed is the
     median over the boots of the kernel's figure, which is itself a median
     (of rounds, or of samples; see each *_bench.c). Figures the boot
     figures already gave are not repeated.

GLOB is shell-style and comma-separated, as on the boot-args (BENCH= to
make): `make bench BENCH='sched.*,locks.*'`. Every QEMU run has a timeout;
a boot that fails, panics or times out makes the run fail with its output.

Under TCG the absolute figures say little: only ratios to a peer booted the
same way in the same QEMU on the same machine mean something. The lines
that start with "#" set some figures beside Debian's Linux 6.1 measured
that way (DESIGN.md section 11).
"""
import argparse
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
import machina_qemu as mq  # noqa: E402
import boot  # noqa: E402

FIGURE = re.compile(r"^([a-z][\w.]*) (\d+) (\S+)$", re.M)
TIMEOUT = 300  # seconds for one boot running every benchmark

# Debian's Linux 6.1, same QEMU, TCG, -smp 2, medians of three boots (DESIGN.md 11):
# (Machina figure, its unit's ns, Linux's figure in ns, what Linux measured).
LINUX = [
    ("sched.thread_switch.same_cpu", 1, 6000, "thread switch"),
    ("mach.trap_null", 1, 425, "getpid"),
    ("vm.fault.zero_fill", 1, 10200, "anonymous page fault"),
    ("bsd.getpid", 1, 425, "getpid"),
    ("bsd.read_1", 1, 1700, "1-byte read of /dev/zero"),
    ("bsd.pipe_roundtrip", 1, 68000, "pipe round trip, one CPU"),
    ("bsd.fork_exit_wait", 1, 1000000, "fork+exit+wait"),
    ("bsd.fork_exec_wait", 1, 3600000, "fork+exec+wait"),
    ("bsd.open_close", 1, 12600, "open+close, 4 deep"),
    ("mach.msg_roundtrip.one_cpu", 1, 68000, "pipe round trip, one CPU (aim: 0.7x)"),
    ("kext.load_unload", 1, 23000000, "insmod + rmmod of crc7 (aim: 0.25x)"),
]
USER_FIGURES = ["bsd.getpid", "bsd.read_1", "bsd.pipe_roundtrip", "bsd.thread_switch",
                "bsd.page_fault", "bsd.fork_exit_wait", "bsd.fork_exec_wait", "bsd.mmap_munmap",
                "bsd.open_close", "bsd.lookup.depth_1", "bsd.lookup.depth_16",
                "bsd.page_fault.regions_1", "bsd.page_fault.regions_100",
                "bsd.page_fault.regions_10000"]
# tests/bench/machbench.c's, each taken in a one-CPU and a two-CPU boot
# (names get .one_cpu and .two_cpus).
MACH_FIGURES = ["mach.msg_roundtrip", "mach.msg_self", "mach.ool_1mib", "mach.port_alloc_destroy",
                "mach.port_lookup.names_10", "mach.port_lookup.names_100000",
                "mach.semaphore_pingpong", "sysctl.byname", "iokit.connect_method"]
# tests/bench/kextbench.c's, in one boot of each run.
KEXT_FIGURES = ["kext.load", "kext.unload", "kext.load_unload"]
# tests/bench/diskbench.c's, through /dev/rdisk0 on a virtio-blk disk over an
# image whose 4 KiB blocks each start with their number (what it checks).
DISK_FIGURES = ["disk.read_4k_random_iops", "disk.read_seq", "disk.write_seq"]
DISK_BLOCKS = 16384     # 64 MiB


def disk_image(build):
    path = os.path.join(build, "bench-logs", "diskbench.img")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        for b in range(DISK_BLOCKS):
            f.write(b.to_bytes(8, "little") + bytes(4088))
    return path


def glob_to_re(globs):
    """The kernel's comma-separated glob list as one regex: '*' any run,
    '?' any one character (libkern/glob.h)."""
    parts = []
    for g in globs.split(","):
        parts.append("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in g))
    return re.compile("^(?:%s)$" % "|".join(parts))


def kernel_figures(build, accel, globs, runs, smp):
    """{(name, unit): [value per boot]} from runs boots with bench=globs;
    None (and why on stderr) if a boot went wrong."""
    figures = {}
    for i in range(runs):
        r = mq.run(kernel=os.path.join(build, "kernel.elf"),
                   initrd=os.path.join(build, "initrd.cpio"), args="bench=%s init=none" % globs,
                   accel=accel, smp=smp, timeout=TIMEOUT,
                   log_path=os.path.join(build, "bench-logs", "kbench-%d.log" % (i + 1)))
        if r.status != mq.EXIT_SUCCESS or "# kbench: done" not in r.output:
            sys.stderr.write("bench: boot %d with bench=%s failed (%s)\n%s\n"
                             % (i + 1, globs, r.describe(), r.output[-3000:]))
            return None
        for line in r.output.splitlines():
            if line.startswith("# ") and not line.startswith("# kbench:") and i == 0:
                print(line)  # a benchmark's remark (a skip, a failure)
        for name, value, unit in FIGURE.findall(r.output):
            figures.setdefault((name, unit), []).append(int(value))
    return figures


def user_figures(build, accel, names, runs, smp, program="/usr/bench/ubench", all_names=None,
                 suffix="", opts="", extra=None):
    """{(name, unit): [value per boot]} of the user-mode figures named, from
    runs boots each running program (ubench, or machbench) from the kernel
    console with opts before the names, each figure's name with suffix
    added; None (and why on stderr) if a boot went wrong or the program
    said "# FAIL" (ubench's checks) or exited with a non-zero status."""
    figures = {}
    all_names = USER_FIGURES if all_names is None else all_names
    for i in range(runs):
        with mq.Session(kernel=os.path.join(build, "kernel.elf"),
                        initrd=os.path.join(build, "initrd.cpio"), args="init=none",
                        accel=accel, smp=smp, extra=extra or [],
                        log_path=os.path.join(build, "bench-logs", "%s%s-%d.log"
                                              % (os.path.basename(program), suffix, i + 1))) as s:
            done = re.compile(r"\[%s exited with status \d+\]" % re.escape(program))
            ok = s.expect("machina> ", 120) is not None
            if ok:
                # All of them: no names (the console takes a few words only).
                which = "" if set(names) == set(all_names) else " ".join(names)
                s.send("run %s %s%s\n" % (program, opts + " " if opts else "", which))
                ok = s.expect(done, TIMEOUT) is not None
            out = s.output
            if ok:
                s.send("poweroff\n")
                s.wait(30)
        if not ok:
            sys.stderr.write("bench: user benchmark boot %d failed\n%s\n" % (i + 1, out[-3000:]))
            return None
        for line in out.splitlines():
            if line.startswith("# skip") and i == 0:
                print(line)
        if "# FAIL" in out or "[%s exited with status 0]" % program not in out:
            sys.stderr.write("bench: %s's checks failed in boot %d\n%s\n" % (
                program, i + 1, "\n".join(l for l in out.splitlines() if l.startswith("# FAIL"))))
            return None
        for name, value, unit in FIGURE.findall(out):
            if name in names or name.split(".throughput")[0] in names:
                figures.setdefault((name + suffix, unit), []).append(int(value))
    return figures


def compare_with_linux(figures):
    for name, scale, linux_ns, what in LINUX:
        ours = [v for (n, _), v in figures.items() if n == name]
        if ours:
            ns = ours[0] * scale
            print("# %s: %.1f us here, %.1f us on Debian's Linux 6.1 (%s): %.2fx"
                  % (name, ns / 1000, linux_ns / 1000, what, ns / linux_ns))


def compare_user_client(figures):
    """The user-client round trip against the Mach message round trip (the
    aim: at most 1.5 times it), in each boot that measured both."""
    for sfx in (".one_cpu", ".two_cpus"):
        uc = [v for (n, _), v in figures.items() if n == "iokit.connect_method" + sfx]
        rt = [v for (n, _), v in figures.items() if n == "mach.msg_roundtrip" + sfx]
        if uc and rt and rt[0]:
            print("# iokit.connect_method%s: %.1f us, mach.msg_roundtrip%s %.1f us: %.2fx "
                  "(aim: at most 1.5x)" % (sfx, uc[0] / 1000, sfx, rt[0] / 1000, uc[0] / rt[0]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="auto")
    ap.add_argument("--bench", default="*", help="comma-separated globs (default: all)")
    ap.add_argument("--runs", type=int, default=3, help="boots for the in-kernel figures")
    ap.add_argument("--boot-runs", type=int, default=5, help="boots for the boot figures")
    ap.add_argument("--smp", type=int, default=2)
    args = ap.parse_args()
    globs = args.bench.strip() or "*"
    accel = mq.choose_accel(args.accel, os.path.join(args.build, "kernel.elf"), args.build)
    with_boot = glob_to_re(globs).match("boot") is not None
    print("# accelerator %s, -smp %d; bench=%s; medians of %d boots%s"
          % (accel, args.smp, globs, args.runs,
             " (boot figures: %d)" % args.boot_runs if with_boot else ""))

    done = set()
    if with_boot:
        lines = boot.boot_figures(args.build, accel, args.boot_runs, args.smp)
        if lines is None:
            sys.exit(1)
        for line in lines:
            print(line)
            done.add(line.split()[0])
        sys.stdout.flush()

    user = [n for n in USER_FIGURES if glob_to_re(globs).match(n)]
    figures = {}
    if user:
        figures = user_figures(args.build, accel, user, args.runs, args.smp)
        if figures is None:
            sys.exit(1)
    mach = [n for n in MACH_FIGURES
            if any(glob_to_re(globs).match(n + sfx) for sfx in (".one_cpu", ".two_cpus"))]
    for smp, sfx in ((1, ".one_cpu"), (2, ".two_cpus")):
        if not mach:
            break
        more = user_figures(args.build, accel, mach, args.runs, smp, "/usr/bench/machbench",
                            MACH_FIGURES, sfx)
        if more is None:
            sys.exit(1)
        figures.update(more)
    kext = [n for n in KEXT_FIGURES if glob_to_re(globs).match(n)]
    if kext:
        more = user_figures(args.build, accel, kext, args.runs, args.smp, "/usr/bench/kextbench",
                            KEXT_FIGURES)
        if more is None:
            sys.exit(1)
        figures.update(more)
    disk = [n for n in DISK_FIGURES if glob_to_re(globs).match(n)]
    if disk:
        img = disk_image(args.build)
        more = user_figures(args.build, accel, DISK_FIGURES, args.runs, args.smp,
                            "/usr/bench/diskbench", DISK_FIGURES, opts="-w /dev/rdisk0",
                            extra=["-drive", "file=%s,if=none,id=bench0,format=raw"
                                   % img, "-device", "virtio-blk-pci,drive=bench0"])
        if more is None:
            sys.exit(1)
        figures.update((k, v) for k, v in more.items() if k[0] in disk)
    kfigures = kernel_figures(args.build, accel, globs, args.runs, args.smp)
    if kfigures is None:
        sys.exit(1)
    figures.update(kfigures)
    result = {}
    for (name, unit), values in sorted(figures.items()):
        if name in done:
            continue
        result[(name, unit)] = int(statistics.median(values))
        print("%s %d %s" % (name, result[(name, unit)], unit))
    if not result and not done:
        sys.stderr.write("bench: no benchmark matches %s\n" % globs)
        sys.exit(1)
    compare_with_linux(result)
    compare_user_client(result)


if __name__ == "__main__":
    main()
