#!/usr/bin/env python3
"""test_ubench.py - the bench tier of `make test`: the user-mode benchmark
program (tests/bench/ubench.c) runs and its checks pass, on Machina and,
as the same source built for Linux, on this host.

  1. Machina: one boot (init=none), `/usr/bench/ubench -q` from the kernel
     console. Every figure tools/bench/run.py expects is printed once, as
     a positive whole number of ns, there is no "# FAIL" line, and ubench
     exits with status 0 (its checks passed: the bytes read and echoed,
     the children's exit statuses, the faulted pages' contents).
  2. This host: ubench built static (musl-gcc, or gcc), run with -q in a
     directory of its own for the path figures; the same checks. Skipped
     if no compiler can build it.
  3. The Linux side's tools, on the host, without booting Linux: the newc
     cpio writer (tools/bench/linux.py) read back by cpio(1), and
     extract_vmlinux.py on a made-up bzImage (its payload found through
     the setup header and decompressed) and on malformed ones (refused
     with a message, nothing written).

Timings are never asserted: a figure only has to be there and be sane.
"""
import argparse
import gzip
import lzma
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tools", "bench"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
import run as bench_run  # noqa: E402
import linux as bench_linux  # noqa: E402

LINE = re.compile(r"^(bsd\.[\w.]+) (\S+) (\S+)$", re.M)
DONE = re.compile(r"\[/usr/bench/ubench exited with status (\d+)\]")


def check_figures(t, where, out, status):
    """One check per expected figure, one for the verification."""
    got = {}
    for name, value, unit in LINE.findall(out):
        got.setdefault(name, []).append((value, unit))
    for name in bench_run.USER_FIGURES:
        vals = got.get(name, [])
        ok = len(vals) == 1 and vals[0][1] == "ns" and vals[0][0].isdigit() and int(vals[0][0]) > 0
        t.ok(ok, "bench.%s.%s" % (where, name),
             "expected one positive whole number of ns, got %r" % (vals,))
    fails = [line for line in out.splitlines() if line.startswith("# FAIL")]
    t.ok(not fails and status == 0, "bench.%s.verified" % where,
         "exit status %s\n%s" % (status, "\n".join(fails) or out[-2000:]))


def machina(t, build, accel):
    with mq.Session(kernel=os.path.join(build, "kernel.elf"),
                    initrd=os.path.join(build, "initrd.cpio"), args="init=none",
                    accel=accel, smp=2,
                    log_path=os.path.join(build, "test-logs", "bench-machina.log")) as s:
        status = None
        if s.expect("machina> ", 120) is not None:
            s.send("run /usr/bench/ubench -q\n")
            if s.expect(DONE, 300) is not None:
                status = int(DONE.search(s.output).group(1))
                s.send("poweroff\n")
                s.wait(30)
        out = s.output
    if status is None:
        t.ok(False, "bench.machina.ran", "ubench did not finish:\n" + out[-3000:])
        return
    t.ok(True, "bench.machina.ran")
    check_figures(t, "machina", out, status)


def host(t, build):
    cc = shutil.which("musl-gcc") or shutil.which("gcc")
    name = "bench.host.ran"
    if not cc:
        t.skip(name, "no musl-gcc or gcc here")
        return
    out_dir = os.path.join(build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    exe = os.path.join(out_dir, "ubench-host")
    cmd = [cc, "-static", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
           "-o", exe, os.path.join(ROOT, "tests", "bench", "ubench.c")]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        t.ok(False, name, "%s failed:\n%s" % (" ".join(cmd), r.stderr))
        return
    with tempfile.TemporaryDirectory(prefix="ubench.") as tmp:
        try:
            r = subprocess.run([exe, "-q"], capture_output=True, text=True, timeout=120,
                               env=dict(os.environ, TMPDIR=tmp), stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            t.ok(False, name, "ubench -q did not finish in 120 s")
            return
    t.ok(True, name)
    check_figures(t, "host", r.stdout + r.stderr, r.returncode)


def fake_bzimage(payload, magic_ok=True):
    """A file with a bzImage's setup header around payload (one setup sector)."""
    image = bytearray(2 * 512)
    image[0x1f1] = 1
    if magic_ok:
        image[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", image, 0x206, 0x20f)
    struct.pack_into("<II", image, 0x248, 16, len(payload))
    return bytes(image) + b"\0" * 16 + payload + b"trailing"


def tools(t):
    with tempfile.TemporaryDirectory(prefix="bench-tools.") as tmp:
        names = [".", "dev", "dev/zero", "tmp", "init"]
        archive = bench_linux.cpio_newc([
            (".", 0o040755, b"", 0, 0), ("dev", 0o040755, b"", 0, 0),
            ("dev/zero", 0o020666, b"", 1, 5), ("tmp", 0o041777, b"", 0, 0),
            ("init", 0o100755, b"#!hello\n", 0, 0)])
        r = subprocess.run(["cpio", "-it", "--quiet"], input=archive, capture_output=True)
        listed = r.stdout.decode().split()
        t.ok(r.returncode == 0 and listed == names, "bench.tools.cpio_newc",
             "cpio -it gave %r (status %d): %s" % (listed, r.returncode, r.stderr.decode()))

        extract = os.path.join(ROOT, "tools", "bench", "extract_vmlinux.py")
        elf = b"\x7fELF" + bytes(range(256)) * 64
        cases = [
            ("xz", lzma.compress(elf, format=lzma.FORMAT_XZ) + struct.pack("<I", len(elf)),
             True, elf),
            ("gzip", gzip.compress(elf), True, elf),
            ("no_header", lzma.compress(elf, format=lzma.FORMAT_XZ), False, None),
            ("not_elf", lzma.compress(b"MZ" + elf, format=lzma.FORMAT_XZ), True, None),
            ("unknown", b"\x00\x01garbage", True, None),
        ]
        for name, payload, magic_ok, want in cases:
            src = os.path.join(tmp, name + ".bz")
            out = os.path.join(tmp, name + ".elf")
            with open(src, "wb") as f:
                f.write(fake_bzimage(payload, magic_ok))
            r = subprocess.run([sys.executable, extract, src, out], capture_output=True,
                               text=True)
            if want is not None:
                got = open(out, "rb").read() if os.path.exists(out) else None
                t.ok(r.returncode == 0 and got == want, "bench.tools.extract_vmlinux." + name,
                     "status %d, %s" % (r.returncode, r.stderr))
            else:
                t.ok(r.returncode == 1 and not os.path.exists(out) and
                     r.stderr.startswith("extract_vmlinux: ") and r.stderr.count("\n") == 1,
                     "bench.tools.extract_vmlinux.refuses_" + name,
                     "status %d, stderr %r" % (r.returncode, r.stderr))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    args = ap.parse_args()
    t = tap.Writer()
    machina(t, args.build, args.accel)
    host(t, args.build)
    tools(t)
    t.plan_end()
    sys.exit(t.finish())


if __name__ == "__main__":
    main()
