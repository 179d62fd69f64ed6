#!/usr/bin/env python3
"""linux.py - `make bench-linux`: the user-mode figures of tests/bench/ubench.c
taken on Debian's Linux, booted in the same QEMU as Machina's benchmarks.

  1. Debian's linux-image-amd64 gives /boot/vmlinuz-* (make bench-linux
     installs it with apt-get if it is missing; tools/deps.sh's way).
  2. ubench is built for Linux from the same source, static, with musl-gcc
     (build/bench-linux/ubench).
  3. An initramfs is written here (newc cpio): /init is ubench itself, with
     /dev/console, /dev/zero, /dev/null and /tmp. As process 1 it prints
     "# ubench: init" first, runs every figure and powers the machine off
     (reboot(RB_POWER_OFF)).
  4. Linux is booted both ways QEMU can: "-kernel bzImage" (the kernel
     decompresses itself) and "-kernel vmlinux", the uncompressed ELF taken
     out of the bzImage (extract_vmlinux.py), which QEMU enters through its
     PVH note as it enters Machina's. The same CPU model, memory, -smp,
     firmware (qboot) and accelerator as Machina's benchmark boots;
     -nographic -monitor none; transparent_hugepage=never so that the page
     fault figure is one 4 KiB page, as Machina's is; quiet, so the kernel
     log is not part of the boot time.

Figures (the host's clock for the boot times):
  boot.qemu_to_init.pvh, boot.qemu_to_init.bzimage   s, QEMU's launch to
        /init's first line on the serial port
  bsd.*                                               ubench's, from the PVH boots
  linux.module.load_unload                            ns, init_module +
        delete_module of an empty module (tools/bench/linux-module, built
        against linux-headers-amd64 when it is installed), which ubench as
        /init runs after its own figures

Every QEMU run has a timeout; a boot that fails, times out or whose ubench
reports a "# FAIL" fails the run with its output.
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import machina_qemu as mq  # noqa: E402

FIGURE = re.compile(r"^([a-z][\w.]*) (\d+) (\S+)$", re.M)
INIT_LINE = "# ubench: init"
DONE = re.compile(r"^# ubench: done, (\d+) failed$", re.M)
TIMEOUT = 600  # seconds for one boot running every figure
# The "# kernel: ..." remarks of the last boot (the CPU flaws Linux works
# around, which change what its system calls cost).
REMARKS = []


# --- the pieces ---------------------------------------------------------------

def find_bzimage():
    """The newest /boot/vmlinuz-*, or None."""
    images = sorted(glob.glob("/boot/vmlinuz-*"), key=os.path.getmtime)
    return images[-1] if images else None


def build_ubench(out):
    src = os.path.join(ROOT, "tests", "bench", "ubench.c")
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(src):
        return
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cc = "musl-gcc" if shutil.which("musl-gcc") else "gcc"
    subprocess.run([cc, "-static", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-pthread", "-o", out, src], check=True)


def cpio_newc(entries):
    """A newc ("070701") cpio archive of entries: (name, mode, data, rdev_major,
    rdev_minor), in order, ending with the trailer."""
    out = bytearray()

    def pad4():
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data, major, minor) in enumerate(
            entries + [("TRAILER!!!", 0, b"", 0, 0)], start=1):
        nameb = name.encode() + b"\0"
        fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, major, minor, len(nameb), 0)
        out += b"070701" + b"".join(b"%08x" % f for f in fields)
        out += nameb
        pad4()
        out += data
        pad4()
    return bytes(out)


def build_module(bz, out_dir):
    """The module load benchmark (tools/bench/linux-module): benchmod.ko,
    built against the headers for bz's kernel, and modbench. (ko, modbench)
    paths, or None if the headers are not installed."""
    release = os.path.basename(bz).replace("vmlinuz-", "")
    kdir = "/lib/modules/%s/build" % release
    if not os.path.isdir(kdir):
        return None
    src = os.path.join(HERE, "linux-module")
    os.makedirs(out_dir, exist_ok=True)
    ko = os.path.join(out_dir, "benchmod.ko")
    if not os.path.exists(ko) or os.path.getmtime(ko) < os.path.getmtime(
            os.path.join(src, "benchmod.c")):
        for name in ("benchmod.c", "Kbuild"):
            shutil.copy(os.path.join(src, name), out_dir)
        subprocess.run(["make", "-s", "-C", kdir, "M=" + os.path.abspath(out_dir), "modules"],
                       check=True, stdout=subprocess.DEVNULL)
    modbench = os.path.join(out_dir, "modbench")
    cc = "musl-gcc" if shutil.which("musl-gcc") else "gcc"
    subprocess.run([cc, "-static", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    modbench, os.path.join(src, "modbench.c")], check=True)
    return ko, modbench


def make_initramfs(ubench, out, module=None):
    with open(ubench, "rb") as f:
        init = f.read()
    S_IFDIR, S_IFREG, S_IFCHR = 0o040000, 0o100000, 0o020000
    entries = [
        (".", S_IFDIR | 0o755, b"", 0, 0),
        ("dev", S_IFDIR | 0o755, b"", 0, 0),
        ("dev/console", S_IFCHR | 0o600, b"", 5, 1),
        ("dev/null", S_IFCHR | 0o666, b"", 1, 3),
        ("dev/zero", S_IFCHR | 0o666, b"", 1, 5),
        ("tmp", S_IFDIR | 0o1777, b"", 0, 0),
        ("init", S_IFREG | 0o755, init, 0, 0),
    ]
    if module:
        for name, path, mode in (("benchmod.ko", module[0], 0o644),
                                 ("modbench", module[1], 0o755)):
            with open(path, "rb") as f:
                entries.append((name, S_IFREG | mode, f.read(), 0, 0))
    archive = cpio_newc(entries)
    with open(out, "wb") as f:
        f.write(archive)


def prepare(build):
    """(bzImage, vmlinux, initramfs) paths, built as needed; exits with a
    message if the kernel is not installed."""
    bz = find_bzimage()
    if not bz:
        sys.stderr.write("bench-linux: no /boot/vmlinuz-*: install linux-image-amd64 "
                         "(make bench-linux does)\n")
        sys.exit(1)
    d = os.path.join(build, "bench-linux")
    os.makedirs(d, exist_ok=True)
    ubench = os.path.join(d, "ubench")
    build_ubench(ubench)
    initramfs = os.path.join(d, "initramfs.cpio")
    module = build_module(bz, os.path.join(d, "module"))
    if module is None:
        print("# no headers for %s: no linux.module.load_unload (linux-headers-amd64)" % bz)
    make_initramfs(ubench, initramfs, module)
    vmlinux = os.path.join(d, "vmlinux-" + os.path.basename(bz).replace("vmlinuz-", ""))
    if not os.path.exists(vmlinux):
        subprocess.run([sys.executable, os.path.join(HERE, "extract_vmlinux.py"), bz, vmlinux],
                       check=True)
    return bz, vmlinux, initramfs


# --- booting ------------------------------------------------------------------

def linux_cmd(kernel, initramfs, accel, smp, mem, quick, rounds):
    args = "console=ttyS0 quiet transparent_hugepage=never panic=-1"
    if quick:
        args += " ubench_quick=1"
    if rounds:
        args += " ubench_rounds=%d" % rounds
    return mq.base_cmd(accel, mem, smp) + [
        "-bios", mq.QBOOT, "-kernel", kernel, "-initrd", initramfs, "-append", args,
        "-nographic", "-monitor", "none", "-no-reboot"]


class LinuxSession(mq.Session):
    """mq.Session's conversation with the serial line, for a command of our own."""

    def __init__(self, cmd, log_path=None, accel="tcg"):
        self.cmd = cmd
        self.log_path = log_path
        self.accel = accel
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.returncode = None
        self.timed_out = False


def boot_once(kernel, initramfs, accel, smp, mem, quick=False, rounds=None, log_path=None):
    """One boot: (seconds from launch to /init's first line, {(name, unit): value},
    None) or (None, None, why)."""
    cmd = linux_cmd(kernel, initramfs, accel, smp, mem, quick, rounds)
    with LinuxSession(cmd, log_path=log_path, accel=accel) as s:
        t_init = s.elapsed if s.expect(INIT_LINE, 120) is not None else None
        done = s.expect(DONE, TIMEOUT) if t_init is not None else None
        r = s.wait(60)
    out = r.output
    if t_init is None:
        return None, None, "/init never ran (%s)\n%s" % (r.describe(), out[-3000:])
    m = DONE.search(out)
    if done is None or not m:
        return None, None, "ubench did not finish (%s)\n%s" % (r.describe(), out[-3000:])
    if int(m.group(1)) or "# FAIL" in out:
        return None, None, "ubench's checks failed\n%s" % "\n".join(
            line for line in out.splitlines() if line.startswith("# FAIL"))
    figures = {(n, u): int(v) for n, v, u in FIGURE.findall(out)}
    REMARKS[:] = [line for line in out.splitlines() if line.startswith("# kernel: ")]
    return t_init, figures, None


def linux_figures(build, accel, runs, smp=2, mem="256M", quick=False, rounds=None, log=None):
    """{(name, unit): [value per boot]}: runs PVH boots (ubench's figures and
    boot.qemu_to_init.pvh) and runs bzImage boots (boot.qemu_to_init.bzimage
    only, ubench in its short mode); None (and why on stderr) on failure."""
    bz, vmlinux, initramfs = prepare(build)
    figures = {}
    logs = os.path.join(build, "bench-logs")
    for i in range(runs):
        for how, kernel in (("pvh", vmlinux), ("bzimage", bz)):
            t, figs, why = boot_once(kernel, initramfs, accel, smp, mem,
                                     quick=quick or how == "bzimage", rounds=rounds,
                                     log_path=os.path.join(logs, "linux-%s-%d.log" % (how, i + 1)))
            if why:
                sys.stderr.write("bench-linux: %s boot %d: %s\n" % (how, i + 1, why))
                return None
            figures.setdefault(("boot.qemu_to_init." + how, "s"), []).append(t)
            if how == "pvh":
                for key, v in figs.items():
                    figures.setdefault(key, []).append(v)
            if log:
                log("linux %s boot %d: /init after %.2f s" % (how, i + 1, t))
    return figures


def format_value(value, unit):
    return "%.3f" % value if unit == "s" else "%d" % value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="auto")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", default="256M")
    ap.add_argument("--quick", action="store_true", help="ubench's short mode (-q)")
    ap.add_argument("--prepare-only", action="store_true",
                    help="build ubench, the initramfs and vmlinux, and stop")
    args = ap.parse_args()
    if args.prepare_only:
        print("\n".join(prepare(args.build)))
        return
    accel = mq.choose_accel(args.accel, os.path.join(args.build, "kernel.elf"), args.build)
    print("# Linux %s, accelerator %s, -smp %d, -m %s; medians of %d boots each way"
          % (os.path.basename(find_bzimage() or "?").replace("vmlinuz-", ""), accel, args.smp,
             args.mem, args.runs))
    figures = linux_figures(args.build, accel, args.runs, args.smp, args.mem, args.quick,
                            log=lambda m: print("# " + m, flush=True))
    if figures is None:
        sys.exit(1)
    print("\n".join(REMARKS))
    for (name, unit), values in sorted(figures.items()):
        print("%s %s %s" % (name, format_value(statistics.median(values), unit), unit))


if __name__ == "__main__":
    main()
