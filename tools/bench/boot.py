#!/usr/bin/env python3
"""boot.py - how fast Machina boots, as "name value unit" lines; part of
`make bench` (tools/bench/run.py), and runnable on its own.

Boots the direct (PVH) image several times with bench=boot,cpu.loop (at
-smp 2 unless told otherwise, as the reference figures were measured) and
reports the medians of:
  boot.qemu_to_banner     wall time from launching QEMU to the kernel's
                          banner on the serial line (the host's clock)
  boot.qemu_to_exit       ... to QEMU exiting after the benchmarks
  boot.entry_to_*         the kernel's own milestones, from its 32-bit entry
                          (TSC), as it reports them
  boot.qemu_to_shell      ... to busybox's first prompt on the console,
                          booting as `make run` does (init, /etc/rc, sh -l)
  boot.pci.scan_to_matched   the PCI family's start, from the first
                          configuration access of its scan to the last nub
                          matched (every driver that matched started), as
                          the family logs it; boot.pci.functions, how many
                          functions it found
  boot.kexts_20.entry_to_ready   the kernel's start-up with twenty small
                          kexts loaded at boot (kext=org.machina.bench.*,
                          tests/kexts/bench), and boot.kexts_20.added, what
                          that adds to boot.entry_to_ready
and once through the GRUB ISO:
  boot.iso.qemu_to_banner

Figures under TCG only mean something as ratios to a peer booted the same
way on the same machine (DESIGN.md section 11).
"""
import argparse
import os
import re
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import machina_qemu as mq  # noqa: E402

BANNER = "Machina Kernel Version"
# The shell's prompt, the last thing printed (busybox then asks the terminal
# where its cursor is: ESC [6n).
SHELL_PROMPT = re.compile(r"# (\x1b\[6n)?\Z")
FIGURE = re.compile(r"^([a-z][\w.]*) (\d+) (\S+)$", re.M)
PCI_SCAN = re.compile(r"^IOPCIFamily: (\d+) functions; scanned and matched in (\d+) us$", re.M)


BENCH_KEXTS = 20


def one_boot(build, accel, iso=None, smp=2, args="bench=boot,cpu.loop init=none"):
    kw = dict(iso=iso) if iso else dict(kernel=os.path.join(build, "kernel.elf"),
                                         initrd=os.path.join(build, "initrd.cpio"),
                                         args=args)
    with mq.Session(accel=accel, smp=smp, **kw) as s:
        banner = s.expect(BANNER, 120)
        t_banner = s.elapsed if banner is not None else None
        if iso:
            # The ISO boots on into /sbin/init; the banner is all it is timed for.
            s.close()
            return t_banner, s.result()
        r = s.wait(120)
    return t_banner, r


def shell_boot(build, accel, smp=2):
    """Seconds from QEMU's launch to the shell's prompt; None if it never came."""
    with mq.Session(kernel=os.path.join(build, "kernel.elf"),
                    initrd=os.path.join(build, "initrd.cpio"), accel=accel, smp=smp) as s:
        t = s.elapsed if s.expect(SHELL_PROMPT, 120) is not None else None
        s.send("poweroff\n")
        s.wait(60)
    return t


def boot_figures(build, accel, runs, smp=2):
    """The boot figures as "name value unit" lines, medians of runs boots;
    None (and the reason on stderr) if a boot failed."""
    banner_times, exit_times, figures = [], [], {}
    for _ in range(runs):
        t_banner, r = one_boot(build, accel, smp=smp)
        if t_banner is None or r.status != mq.EXIT_SUCCESS:
            sys.stderr.write("bench: a boot failed (%s)\n%s\n" % (r.describe(), r.output[-2000:]))
            return None
        banner_times.append(t_banner)
        exit_times.append(r.elapsed)
        for name, value, unit in FIGURE.findall(r.output):
            figures.setdefault((name, unit), []).append(int(value))
        for functions, us in PCI_SCAN.findall(r.output):
            figures.setdefault(("boot.pci.functions", "functions"), []).append(int(functions))
            figures.setdefault(("boot.pci.scan_to_matched", "us"), []).append(int(us))

    lines = ["boot.qemu_to_banner %.3f s" % statistics.median(banner_times),
             "boot.qemu_to_exit %.3f s" % statistics.median(exit_times)]
    shell_times = [shell_boot(build, accel, smp) for _ in range(runs)]
    if None in shell_times:
        sys.stderr.write("bench: a boot never reached the shell's prompt\n")
        return None
    lines.append("boot.qemu_to_shell %.3f s" % statistics.median(shell_times))
    for (name, unit), values in figures.items():
        lines.append("%s %d %s" % (name, statistics.median(values), unit))

    with_kexts = []
    for _ in range(runs):
        t_banner, r = one_boot(build, accel, smp=smp,
                               args="bench=boot init=none kext=org.machina.bench.*")
        loaded = len(re.findall(r"^kext: loaded org\.machina\.bench\.", r.output, re.M))
        ready = re.search(r"^boot\.entry_to_ready (\d+) us$", r.output, re.M)
        if r.status != mq.EXIT_SUCCESS or loaded != BENCH_KEXTS or not ready:
            sys.stderr.write("bench: a boot with %d kexts failed (%s, %d loaded)\n%s\n"
                             % (BENCH_KEXTS, r.describe(), loaded, r.output[-2000:]))
            return None
        with_kexts.append(int(ready.group(1)))
    base = figures.get(("boot.entry_to_ready", "us"))
    lines.append("boot.kexts_20.entry_to_ready %d us" % statistics.median(with_kexts))
    if base:
        lines.append("boot.kexts_20.added %d us" % (statistics.median(with_kexts) -
                                                    statistics.median(base)))

    t_banner, r = one_boot(build, accel, iso=os.path.join(build, "machina.iso"), smp=smp)
    if t_banner is not None:
        lines.append("boot.iso.qemu_to_banner %.3f s" % t_banner)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="auto")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smp", type=int, default=2)
    args = ap.parse_args()
    accel = mq.choose_accel(args.accel, os.path.join(args.build, "kernel.elf"), args.build)
    print("# accelerator %s, -smp %d, %d runs, medians" % (accel, args.smp, args.runs))
    lines = boot_figures(args.build, accel, args.runs, args.smp)
    if lines is None:
        sys.exit(1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
