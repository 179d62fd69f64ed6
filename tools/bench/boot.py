#!/usr/bin/env python3
"""boot.py - `make bench`: how fast Machina boots, as "name value unit" lines.

Boots the direct (PVH) image several times with
bench=boot,cpu.loop,mach.trap_null and reports the medians of:
  boot.qemu_to_banner     wall time from launching QEMU to the kernel's
                          banner on the serial line (the host's clock)
  boot.qemu_to_exit       ... to QEMU exiting after the benchmarks
  boot.entry_to_*         the kernel's own milestones, from its 32-bit entry
                          (TSC), as it reports them
  mach.trap_null_*        a Mach trap's round trip from user mode (and
  unix.syscall_enosys_ns  a Linux-numbered call's), timed in user mode
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
FIGURE = re.compile(r"^([a-z][\w.]*) (\d+) (\S+)$", re.M)


def one_boot(build, accel, iso=None):
    kw = dict(iso=iso) if iso else dict(kernel=os.path.join(build, "kernel.elf"),
                                         initrd=os.path.join(build, "initrd.cpio"),
                                         args="bench=boot,cpu.loop,mach.trap_null")
    with mq.Session(accel=accel, **kw) as s:
        banner = s.expect(BANNER, 120)
        t_banner = s.elapsed if banner is not None else None
        if iso:
            s.expect("machina> ", 60)
            s.send("poweroff\n")
        r = s.wait(120)
    return t_banner, r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="auto")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    accel = mq.choose_accel(args.accel, os.path.join(args.build, "kernel.elf"), args.build)
    print("# accelerator %s, %d runs, medians" % (accel, args.runs))

    banner_times, exit_times, figures = [], [], {}
    for _ in range(args.runs):
        t_banner, r = one_boot(args.build, accel)
        if t_banner is None or r.status != mq.EXIT_SUCCESS:
            sys.stderr.write("bench: a boot failed (%s)\n%s\n" % (r.describe(), r.output[-2000:]))
            sys.exit(1)
        banner_times.append(t_banner)
        exit_times.append(r.elapsed)
        for name, value, unit in FIGURE.findall(r.output):
            figures.setdefault((name, unit), []).append(int(value))

    print("boot.qemu_to_banner %.3f s" % statistics.median(banner_times))
    print("boot.qemu_to_exit %.3f s" % statistics.median(exit_times))
    for (name, unit), values in figures.items():
        print("%s %d %s" % (name, statistics.median(values), unit))

    t_banner, r = one_boot(args.build, accel, iso=os.path.join(args.build, "machina.iso"))
    if t_banner is not None:
        print("boot.iso.qemu_to_banner %.3f s" % t_banner)


if __name__ == "__main__":
    main()
