#!/usr/bin/env python3
"""compare.py - `make bench-compare`: Machina and Linux side by side, measured
in the same run on the same machine, as one table of figure, Machina,
Linux and their ratio.

The two kernels are booted in turn, --runs times each (Machina, Linux,
Machina, Linux, ...), so that a change in the host's load falls on both.
One round is:
  Machina  ubench (tests/bench/ubench.c, from the kernel console), machbench
           at -smp 1 and at -smp 2, kextbench, the kernel's own benchmarks
           that have a Linux counterpart (bench=KBENCH_GLOBS), a boot to
           the first user program's first line (boot.qemu_to_user, ubench
           as init) and one to the shell's prompt (boot.qemu_to_shell,
           tools/bench/boot.py)
  Linux    the same ubench as /init, booted from the vmlinux through its PVH
           entry, then once from the bzImage for its launch time
           (tools/bench/linux.py)
Every figure is the median over the rounds; the spread (lowest to
highest) is beside it. Figures only Machina has are set against the Linux
figure the project's aims name (the Mach message round trip against
Linux's pipe round trip, ...). Under TCG the absolute times say little:
the ratio column is the result.
"""
import argparse
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
import machina_qemu as mq  # noqa: E402
import boot  # noqa: E402
import linux  # noqa: E402
import run  # noqa: E402

# Figures whose cost under TCG is mostly address-space switches (CR3 loads,
# which flush QEMU's software TLB) or TLB shootdowns: far dearer than on
# hardware, for both kernels.
TCG_DOMINATED = {"bsd.pipe_roundtrip", "bsd.fork_exit_wait", "bsd.fork_exec_wait",
                 "bsd.mmap_munmap", "mach.msg_roundtrip.one_cpu", "mach.msg_roundtrip.two_cpus"}

# (Machina figure, Linux figure it is set against, aim for the ratio or None)
ROWS = [
    ("bsd.getpid", "bsd.getpid", 1.0),
    ("bsd.read_1", "bsd.read_1", None),
    ("bsd.pipe_roundtrip", "bsd.pipe_roundtrip", 1.0),
    ("bsd.thread_switch", "bsd.thread_switch", 1.0),
    ("bsd.page_fault", "bsd.page_fault", 1.2),
    ("bsd.fork_exit_wait", "bsd.fork_exit_wait", 0.5),
    ("bsd.fork_exec_wait", "bsd.fork_exec_wait", None),
    ("bsd.mmap_munmap", "bsd.mmap_munmap", None),
    ("bsd.open_close", "bsd.open_close", None),
    ("bsd.lookup.depth_1", "bsd.lookup.depth_1", None),
    ("bsd.lookup.depth_16", "bsd.lookup.depth_16", None),
    ("bsd.page_fault.regions_1", "bsd.page_fault.regions_1", None),
    ("bsd.page_fault.regions_100", "bsd.page_fault.regions_100", None),
    ("bsd.page_fault.regions_10000", "bsd.page_fault.regions_10000", None),
    ("boot.qemu_to_user", "boot.qemu_to_init.pvh", None),
    ("boot.qemu_to_shell", "boot.qemu_to_init.pvh", 0.5),
    ("mach.msg_roundtrip.one_cpu", "bsd.pipe_roundtrip", 0.7),
    ("mach.msg_roundtrip.two_cpus", "bsd.pipe_roundtrip", 0.7),
    ("mach.trap_null / bsd.getpid", None, None),
    ("sched.thread_switch.same_cpu", None, None),  # one way, kernel threads: no Linux peer here
    ("vm.fault.zero_fill / bsd.page_fault", None, None),
    ("mach.msg_self.one_cpu", None, None),
    ("mach.port_alloc_destroy.one_cpu", None, None),
    ("iokit.connect_method.one_cpu", None, None),
    ("kext.load_unload", "linux.module.load_unload", 0.25),
    (None, "boot.qemu_to_init.bzimage", None),
]
# The kernel's own benchmarks (bench=GLOB) with a Linux figure to set them
# against: the nearest thing Linux's user-mode figure measures. Each row
# above names "kernel figure / Linux figure".
KBENCH_GLOBS = ("mach.trap_null,sched.thread_switch.same_cpu,vm.fault.zero_fill,"
                "sched.run_queue_pick")
MACH_NAMES = ["mach.msg_roundtrip", "mach.msg_self", "mach.port_alloc_destroy",
              "mach.port_lookup.names_10", "mach.port_lookup.names_100000",
              "mach.semaphore_pingpong", "sysctl.byname", "iokit.connect_method"]


def merge(into, more):
    for key, values in more.items():
        into.setdefault(key[0], (key[1], []))[1].extend(values)


def user_boot(build, accel, smp):
    """Seconds from QEMU's launch to the first line of the first user
    program (ubench as init, which prints it before anything else), or
    None. QEMU is stopped there: the figure is the launch, not ubench."""
    with mq.Session(kernel=os.path.join(build, "kernel.elf"),
                    initrd=os.path.join(build, "initrd.cpio"), args="init=/usr/bench/ubench",
                    accel=accel, smp=smp) as s:
        return s.elapsed if s.expect(linux.INIT_LINE, 120) is not None else None


def machina_round(build, accel, smp, i, log):
    """One round of Machina's figures: {name: (unit, [value])}, or None."""
    figs = {}
    got = run.user_figures(build, accel, run.USER_FIGURES, 1, smp)
    if got is None:
        return None
    merge(figs, got)
    for cpus, sfx in ((1, ".one_cpu"), (2, ".two_cpus")):
        got = run.user_figures(build, accel, MACH_NAMES, 1, cpus, "/usr/bench/machbench",
                               run.MACH_FIGURES, sfx)
        if got is None:
            return None
        merge(figs, got)
    got = run.user_figures(build, accel, run.KEXT_FIGURES, 1, smp, "/usr/bench/kextbench",
                           run.KEXT_FIGURES)
    if got is None:
        return None
    merge(figs, got)
    got = run.kernel_figures(build, accel, KBENCH_GLOBS, 1, smp)
    if got is None:
        return None
    merge(figs, {key: v for key, v in got.items() if key[1] == "ns"})
    t = user_boot(build, accel, smp)
    if t is None:
        sys.stderr.write("bench-compare: Machina never ran /usr/bench/ubench as init\n")
        return None
    figs["boot.qemu_to_user"] = ("s", [t])
    t = boot.shell_boot(build, accel, smp)
    if t is None:
        sys.stderr.write("bench-compare: Machina never reached the shell's prompt\n")
        return None
    figs["boot.qemu_to_shell"] = ("s", [t])
    log("round %d: Machina done (shell after %.2f s)" % (i + 1, t))
    return figs


def scale_of(value, unit):
    """(divisor, suffix) to show value, a figure in unit, and its spread."""
    if unit == "ns":
        return (1e6, "ms") if value >= 1_000_000 else (1e3, "us")
    return 1, unit


def cell(entry):
    """The median and the spread of (unit, [values]) for the table, all in
    the median's unit: "61.20 us (58.10-64.00)"."""
    if not entry:
        return "-", None
    unit, values = entry
    med = statistics.median(values)
    div, suffix = scale_of(med, unit)
    text = "%.2f %s" % (med / div, suffix)
    if len(values) > 1:
        text += " (%.2f-%.2f)" % (min(values) / div, max(values) / div)
    return text, med


def table(machina, lnx, accel, rounds):
    head = ["figure", "Machina", "Linux", "ratio", "aim"]
    rows = []
    shown = set()
    for mname, lname, aim in ROWS:
        if mname and " / " in mname:
            mname, lname = mname.split(" / ")
        shown.add(mname)
        m_text, m_med = cell(machina.get(mname)) if mname else ("-", None)
        l_text, l_med = cell(lnx.get(lname)) if lname else ("-", None)
        if m_med is None and l_med is None:
            continue
        ratio = "%.2f" % (m_med / l_med) if m_med is not None and l_med else "-"
        name = mname or lname
        if mname and lname and lname != mname:
            name = "%s / %s" % (mname, lname)
        if name in TCG_DOMINATED or mname in TCG_DOMINATED:
            name += " (T)"
        if aim is not None and ratio != "-":
            aim_text = "<= %.2f %s" % (aim, "met" if m_med / l_med <= aim else "MISSED")
        else:
            aim_text = ""
        rows.append([name, m_text, l_text, ratio, aim_text])
    # What else Machina measured, with no Linux peer: one row each.
    for mname in sorted(set(machina) - shown):
        rows.append([mname, cell(machina[mname])[0], "-", "-", ""])
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="auto")
    ap.add_argument("--runs", type=int, default=3, help="rounds (each kernel booted in each)")
    ap.add_argument("--smp", type=int, default=2)
    args = ap.parse_args()
    accel = mq.choose_accel(args.accel, os.path.join(args.build, "kernel.elf"), args.build)

    def log(msg):
        print("# " + msg, flush=True)

    log("accelerator %s, -smp %d, -m 256M, %d rounds of Machina then Linux"
        % (accel, args.smp, args.runs))
    if accel == "tcg":
        log("under TCG only the ratios mean something; (T): dominated by address-space "
            "switches or TLB shootdowns, far dearer under TCG than on hardware")
    machina, lnx = {}, {}
    for i in range(args.runs):
        figs = machina_round(args.build, accel, args.smp, i, log)
        if figs is None:
            sys.exit(1)
        for name, (unit, values) in figs.items():
            machina.setdefault(name, (unit, []))[1].extend(values)
        got = linux.linux_figures(args.build, accel, 1, args.smp, log=log)
        if got is None:
            sys.exit(1)
        merge(lnx, got)
    log("Linux %s; Machina %s" % (
        os.path.basename(linux.find_bzimage() or "?").replace("vmlinuz-", ""),
        os.popen("git -C %s describe --always --dirty 2>/dev/null" % ROOT).read().strip()))
    for line in linux.REMARKS:
        print(line.replace("# kernel:", "# Linux:"))
    if "linux.module.load_unload" not in lnx:
        log("kext.load_unload has no Linux figure: no headers for the Linux kernel "
            "(linux-headers-amd64)")
    print("\n".join(table(machina, lnx, accel, args.runs)))


if __name__ == "__main__":
    main()
