#!/usr/bin/env python3
"""test_virtio.py - the virtio family and its drivers on QEMU's two PC
machines, seen from user space (ioreg, kextstat, sysctl, /dev/random) and
in the kernel's log.

    tests/iokit/test_virtio.py [--build build] [--accel tcg]

Each machine boots directly (qboot) with -device virtio-rng-pci, QEMU's
transitional entropy device (1af4:1005, legacy registers in I/O BAR 0), in
slot 4.
For MACHINE in pc, q35:

    iokit.virtio.MACHINE.boot           the shell comes up
    iokit.virtio.MACHINE.nub            an IOVirtioDevice with
                                        virtio-device-type 4 and transport
                                        "legacy" sits right below the
                                        function's IOPCIDevice (pci1af4,1005)
    iokit.virtio.MACHINE.driver         VirtioRNG sits right below it, started
                                        (its log line), and kextstat lists
                                        org.machina.driver.VirtioRNG linked
                                        against org.machina.iokit.IOVirtioFamily
    iokit.virtio.MACHINE.entropy        sysctl kern.random.entropy_bytes is
                                        above zero and grows (polled, up to
                                        20 s: the driver's steady rate is 64
                                        bytes a second)
    iokit.virtio.MACHINE.dev_random     /dev/random gives the bytes asked for,
                                        not all equal
    iokit.virtio.MACHINE.no_failure     the device was never marked FAILED

and on "pc" only, after those:

    iokit.virtio.pc.unload              kextunload of VirtioRNG, then of
                                        IOVirtioFamily: each terminates its
                                        kext's services first (VirtioRNG's stop
                                        runs, then the family's), both unload
                                        (each is refused while an instance of
                                        its classes, a queue included, lives),
                                        the family's allocation tag goes with
                                        no block outstanding, and ioreg shows
                                        no virtio object

Then "pc" with one virtio-blk-pci disk whose 4 KiB blocks each start
with their number:

    iokit.virtio.blk.diskbench          /usr/bench/diskbench -q -w prints its
                                        three figures (random 4 KiB reads,
                                        sequential reads and writes), each
                                        above zero, with no failed check of
                                        the blocks it read, and the blocks
                                        it wrote back are intact on the host

Then "pc" with three virtio-blk-pci disks over raw images the test writes
first: A, 1 MiB, every 512-byte sector filled with its own "BLK%05d"; R,
read-only (readonly=on, so the device offers VIRTIO_BLK_F_RO), 128 blocks,
block b filled with the byte b + 1; S, 1 MiB of zeros whose block 1000
QEMU's blkdebug fails (the device answers VIRTIO_BLK_S_IOERR), for
tests/bsd/disk_io, which knows R's layout and S's bad block:

    iokit.virtio.blk.boot               the shell comes up
    iokit.virtio.blk.tree               IOVirtioDevice (type 2) > VirtioBlock >
                                        IOBlockStorageDriver > IOMedia, three
                                        times; /dev/disk0-2 and /dev/rdisk0-2
    iokit.virtio.blk.read               A's /dev/rdiskN gives the image's first
                                        16 sectors and its last one
    iokit.virtio.blk.write              4 sectors written at 100 read back the
                                        same in the guest, and after power-off
                                        the image on the host has them, with
                                        sectors 99 and 104 untouched
    iokit.virtio.blk.end                a read at the end gives 0 bytes, a
                                        write there fails (ENOSPC)
    iokit.virtio.blk.read_only          R's IOMedia says Writable No, and a
                                        write to it fails (EROFS) leaving its
                                        image unchanged
    iokit.virtio.blk.disk_io.*          tests/bsd/disk_io S R: patterns across
                                        several 64 KiB bounces (multi-segment
                                        requests) through /dev/diskN and
                                        /dev/rdiskN, pread/pwrite, the ends,
                                        the ioctls (DKIOCSYNCHRONIZECACHE: a
                                        virtio flush), EIO for the bad block
                                        (a read, a write, a long read cut
                                        short), EROFS on R
    iokit.virtio.blk.unload             kextunload of VirtioBlock takes the
                                        disks away (their /dev nodes go)

Then "pc" without a virtio device:

    iokit.virtio.none.not_loaded        neither IOVirtioFamily nor VirtioRNG is
                                        loaded (drivers load on demand), no
                                        IOVirtioDevice exists, and
                                        kern.random.entropy_bytes is 0
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

BOOT_TIMEOUT = 120
# Slot 4 on both machines: on q35 the PCI family takes the firmware's
# Interrupt Line as it is (docs/iokit-pci.md), and qboot's is right for the
# ICH9's swizzle only in even slots.
RNG = ["-device", "virtio-rng-pci,addr=4"]
CHECKS = ["boot", "nub", "driver", "entropy", "dev_random", "no_failure"]


def boot(opts, machine, extra, log_name):
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    return mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                      initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                      machine=machine, extra=extra, log_path=os.path.join(logs, log_name))


def sysctl_number(sh, name):
    out = sh.run("sysctl -n %s" % name) or ""
    m = re.search(r"^(\d+)\s*$", out, re.M)
    return int(m.group(1)) if m else None


def child_of(tree, parent, child):
    """Whether the ioreg tree draws child (a regex) right below parent (a regex)."""
    for m in re.finditer(r"^([ |]*)\+-o %s.*$" % parent, tree, re.M):
        depth = len(m.group(1))
        rest = tree[m.end() + 1:]
        for line in rest.splitlines():
            c = re.match(r"^([ |]*)\+-o (.*)$", line)
            if c is None:
                continue
            if len(c.group(1)) <= depth:
                break
            if len(c.group(1)) == depth + 2 and re.match(child, c.group(2)):
                return True
    return False


def check_machine(t, opts, machine):
    name = lambda c: "iokit.virtio.%s.%s" % (machine, c)  # noqa: E731
    with boot(opts, machine, RNG, "iokit-virtio-%s-console.log" % machine) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        t.ok(bool(up), name("boot"), s.output[-2000:])
        if not up:
            for c in CHECKS[1:]:
                t.ok(False, name(c), "no shell")
            return
        tree = sh.run("ioreg -w0") or ""
        nub = sh.run("ioreg -l -w0 -c IOVirtioDevice") or ""
        kexts = sh.run("kextstat -l") or ""
        first = sysctl_number(sh, "kern.random.entropy_bytes")
        later, polls = first, 0
        while first is not None and later is not None and later <= first and polls < 20:
            sh.run("sleep 1")
            later = sysctl_number(sh, "kern.random.entropy_bytes")
            polls += 1
        rand = sh.run("head -c 64 /dev/random | od -An -tx1 -v") or ""
        log = sh.run("dmesg") or ""
        unload = check_unload(sh) if machine == "pc" else None
        s.send("poweroff\n")
        s.wait(30)

    t.ok(child_of(tree, r"pci1af4,1005@", r"IOVirtioDevice\s+<class IOVirtioDevice,") and
         '"virtio-device-type" = 4' in nub and '"virtio-transport" = "legacy"' in nub,
         name("nub"), tree + nub)
    rng_id = re.search(r"org\.machina\.driver\.VirtioRNG \(1\.0\.0\) <([\d ]+)>", kexts)
    fam_id = re.search(r"^\s*(\d+)\s.*org\.machina\.iokit\.IOVirtioFamily \(", kexts, re.M)
    t.ok(child_of(tree, r"IOVirtioDevice\s", r"VirtioRNG\s+<class VirtioRNG,") and
         "VirtioRNG: started; queue of" in log and rng_id is not None and fam_id is not None
         and fam_id.group(1) in rng_id.group(1).split(), name("driver"),
         "%s\n%s\n%s" % (tree, kexts, log[-2000:]))
    t.ok(first is not None and first > 0 and later is not None and later > first,
         name("entropy"), "kern.random.entropy_bytes %s, then %s after %d s" % (
             first, later, polls))
    # The dump's lines only: the command echoed before them has numbers too.
    words = re.findall(r"^((?: [0-9a-f]{2})+)\s*$", rand, re.M)
    words = " ".join(words).split()
    t.ok(len(words) == 64 and len(set(words)) > 1, name("dev_random"), rand)
    t.ok("FAILED" not in log, name("no_failure"), log[-2000:])
    if unload is not None:
        ok, text = unload
        t.ok(ok, name("unload"), text)


def check_unload(sh):
    """Unload the driver and the family (their services terminated first): (ok, text)."""
    out = sh.run("kextunload -b org.machina.driver.VirtioRNG && "
                 "kextunload -b org.machina.iokit.IOVirtioFamily; "
                 "kextstat -l | grep -c 'Virtio[RF]'; ioreg -w0 | grep -c 'IOVirtio\\|VirtioRNG'; "
                 "dmesg | grep 'Virtio\\|OSMalloc_Tagfree'") or ""
    counts = re.findall(r"^(\d+)\s*$", out, re.M)
    ok = ("org.machina.driver.VirtioRNG: terminated 1 service" in out and
          "org.machina.iokit.IOVirtioFamily: terminated 1 service" in out and
          "VirtioRNG: stopped after" in out and
          "org.machina.driver.VirtioRNG unloaded" in out and
          "org.machina.iokit.IOVirtioFamily unloaded" in out and
          counts[-2:] == ["0", "0"] and
          'tag "org.machina.iokit.IOVirtioFamily" freed with' not in out)
    return ok, out


SECTORS = 2048
RO_BLOCKS = 128
BAD_BLOCK = 1000
RUN_TIMEOUT = 120
RESULT = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)


def make_image(path, tag):
    with open(path, "wb") as f:
        for i in range(SECTORS):
            f.write((b"%s%05d" % (tag, i)) * 64)


def sector(path, n):
    with open(path, "rb") as f:
        f.seek(512 * n)
        return f.read(512)


def md5_of(data):
    import hashlib
    return hashlib.md5(data).hexdigest()


def check_blk(t, opts):
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    rw, ro, scratch = [os.path.join(logs, "virtio-blk-%s.img" % n) for n in ("a", "r", "s")]
    make_image(rw, b"BLK")
    with open(ro, "wb") as f:
        f.write(b"".join(bytes([(b + 1) & 0xff]) * 512 for b in range(RO_BLOCKS)))
    with open(scratch, "wb") as f:
        f.write(bytes(512 * SECTORS))
    # QEMU's blkdebug fails every read and write of S's block 1000 with EIO,
    # the bad block disk_io expects: the device answers VIRTIO_BLK_S_IOERR.
    bad = os.path.join(logs, "virtio-blk-s.blkdebug")
    with open(bad, "w") as f:
        for event in ("read_aio", "write_aio"):
            f.write('[inject-error]\nevent = "%s"\nerrno = "5"\nsector = "%d"\n\n'
                    % (event, BAD_BLOCK))
    extra = ["-drive", "file=%s,if=none,id=d0,format=raw" % rw,
             "-device", "virtio-blk-pci,drive=d0,addr=5",
             "-drive", "file=%s,if=none,id=d1,format=raw,readonly=on" % ro,
             "-device", "virtio-blk-pci,drive=d1,addr=6",
             "-drive", "file.driver=blkdebug,file.config=%s,file.image.filename=%s,"
             "if=none,id=d2,format=raw" % (bad, scratch),
             "-device", "virtio-blk-pci,drive=d2,addr=7"]
    out = {}
    with boot(opts, "pc", extra, "iokit-virtio-blk-console.log") as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        if up:
            out["tree"] = sh.run("ioreg -w0; ioreg -l -w0 -c IOMedia | grep 'BSD Name\\|Writable'; "
                                 "ls /dev/disk* /dev/rdisk*") or ""
            # Which unit is which: the first bytes of each disk.
            which = sh.run("for d in 0 1 2; do echo unit$d $(dd if=/dev/rdisk$d bs=512 "
                           "count=1 2>/dev/null | od -An -tx1 -N3); done") or ""
            units = dict((v, k) for k, v in re.findall(r"^unit(\d) (\w\w \w\w \w\w)\s*$",
                                                      which, re.M))
            rwu = units.get("42 4c 4b", "0")     # "BLK"
            rou = units.get("01 01 01", "1")
            scu = units.get("00 00 00", "2")
            out["read"] = sh.run("dd if=/dev/rdisk%s bs=512 count=16 2>/dev/null | md5sum; "
                                 "dd if=/dev/rdisk%s bs=512 skip=%d count=1 2>/dev/null | md5sum"
                                 % (rwu, rwu, SECTORS - 1)) or ""
            out["write"] = sh.run("for i in $(seq 1 256); do printf 'WRITTEN!'; done > /tmp/w; "
                                  "dd if=/tmp/w of=/dev/rdisk%s bs=512 seek=100 count=4 && "
                                  "dd if=/dev/rdisk%s bs=512 skip=100 count=4 2>/dev/null | md5sum"
                                  % (rwu, rwu)) or ""
            out["end"] = sh.run("dd if=/dev/rdisk%s bs=512 skip=%d count=1 2>/dev/null | wc -c; "
                                "dd if=/tmp/w of=/dev/rdisk%s bs=512 seek=%d count=1"
                                % (rwu, SECTORS, rwu, SECTORS)) or ""
            out["ro"] = sh.run("dd if=/tmp/w of=/dev/rdisk%s bs=512 seek=7 count=1; "
                               "ioreg -l -w0 -c IOMedia" % rou) or ""
            out["disk_io"] = sh.run("/usr/tests/bsd/disk_io disk%s disk%s" % (scu, rou),
                                    RUN_TIMEOUT) or ""
            out["unload"] = sh.run("kextunload -b org.machina.driver.VirtioBlock; "
                                   "ls /dev | grep -c disk; ioreg -w0 | grep -c VirtioBlock") or ""
            out["log"] = sh.run("dmesg | grep -i 'virtio\\|FAILED'") or ""
            s.send("poweroff\n")
            s.wait(30)
        console = s.output
    t.ok(bool(up), "iokit.virtio.blk.boot", console[-2000:])
    tree = out.get("tree", "")
    t.ok(len(re.findall(r"\+-o VirtioBlock\s+<class VirtioBlock,", tree)) == 3 and
         child_of(tree, r"IOVirtioDevice\s", r"VirtioBlock\s") and
         child_of(tree, r"VirtioBlock\s", r"IOBlockStorageDriver\s") and
         child_of(tree, r"IOBlockStorageDriver\s", r".*<class IOMedia,") and
         all("/dev/disk%d" % u in tree and "/dev/rdisk%d" % u in tree for u in range(3)),
         "iokit.virtio.blk.tree", tree + out.get("log", ""))
    want_first = md5_of(b"".join((b"BLK%05d" % i) * 64 for i in range(16)))
    want_last = md5_of((b"BLK%05d" % (SECTORS - 1)) * 64)
    got = re.findall(r"^([0-9a-f]{32})\s", out.get("read", ""), re.M)
    t.ok(got == [want_first, want_last], "iokit.virtio.blk.read",
         "want %s %s\n%s" % (want_first, want_last, out.get("read", "")))
    pattern = b"WRITTEN!" * 256
    got = re.findall(r"^([0-9a-f]{32})\s", out.get("write", ""), re.M)
    host = b"".join(sector(rw, n) for n in range(100, 104))
    t.ok(got == [md5_of(pattern)] and host == pattern and
         sector(rw, 99) == (b"BLK%05d" % 99) * 64 and sector(rw, 104) == (b"BLK%05d" % 104) * 64,
         "iokit.virtio.blk.write", "guest %s, host sectors 100-103 %r...\n%s" % (
             got, host[:32], out.get("write", "")))
    end = out.get("end", "")
    t.ok(re.search(r"^0$", end, re.M) is not None and "No space left on device" in end,
         "iokit.virtio.blk.end", end)
    ro_out = out.get("ro", "")
    t.ok("Read-only file system" in ro_out and '"Writable" = No' in ro_out and
         sector(ro, 7) == bytes([8]) * 512, "iokit.virtio.blk.read_only", ro_out)
    results = RESULT.findall(out.get("disk_io", ""))
    for ok, what in results:
        t.ok(ok == "ok", "iokit.virtio.blk.disk_io.%s" % what.strip(), out["disk_io"])
    if not results:
        t.ok(False, "iokit.virtio.blk.disk_io.ran", out.get("disk_io") or "no output")
    counts = re.findall(r"^(\d+)\s*$", out.get("unload", ""), re.M)
    t.ok("unloaded" in out.get("unload", "") and counts[-2:] == ["0", "0"],
         "iokit.virtio.blk.unload", out.get("unload", ""))


BENCH_BLOCKS = 1024     # 4 MiB: diskbench -q reads 1 MiB of it in order


def make_bench_image(path):
    """diskbench's layout: each 4 KiB block starts with its number (64-bit LE)."""
    with open(path, "wb") as f:
        for b in range(BENCH_BLOCKS):
            f.write(b.to_bytes(8, "little") + b"diskbench" + bytes(4096 - 17))


def check_bench(t, opts):
    """diskbench in its short mode over one virtio-blk disk: every figure
    printed, above zero, and every block it read was the right one (its own
    check); the written-back blocks reach the image unchanged."""
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    img = os.path.join(logs, "virtio-blk-bench.img")
    make_bench_image(img)
    extra = ["-drive", "file=%s,if=none,id=d0,format=raw" % img,
             "-device", "virtio-blk-pci,drive=d0,addr=5"]
    out = ""
    with boot(opts, "pc", extra, "iokit-virtio-bench-console.log") as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        if up:
            out = sh.run("/usr/bench/diskbench -q -w /dev/rdisk0; echo status=$?",
                         RUN_TIMEOUT) or ""
            s.send("poweroff\n")
            s.wait(30)
    figures = dict((n, float(v)) for n, v, _ in re.findall(
        r"^(disk\.\w+) ([0-9]+) (ops/s|KB/s)\s*$", out, re.M))
    with open(img, "rb") as f:
        intact = all(f.read(4096)[:8] == b.to_bytes(8, "little") for b in range(BENCH_BLOCKS))
    t.ok(sorted(figures) == ["disk.read_4k_random_iops", "disk.read_seq", "disk.write_seq"]
         and all(v > 0 for v in figures.values()) and "# FAIL" not in out
         and "status=0" in out and intact, "iokit.virtio.blk.diskbench", out or s.output[-2000:])


def check_none(t, opts):
    with boot(opts, "pc", [], "iokit-virtio-none-console.log") as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        kexts = (sh.run("kextstat -l") or "") if up else ""
        nub = (sh.run("ioreg -l -w0 -c IOVirtioDevice") or "") if up else ""
        n = sysctl_number(sh, "kern.random.entropy_bytes") if up else None
        if up:
            s.send("poweroff\n")
            s.wait(30)
    t.ok(bool(up) and "org.machina.iokit.IOPCIFamily" in kexts and
         "VirtioRNG" not in kexts and "IOVirtioFamily" not in kexts and
         "<class IOVirtioDevice" not in nub and n == 0, "iokit.virtio.none.not_loaded",
         "entropy_bytes %s\n%s\n%s" % (n, kexts, nub or s.output[-2000:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    for machine in ("pc", "q35"):
        check_machine(t, opts, machine)
    check_bench(t, opts)
    check_blk(t, opts)
    check_none(t, opts)
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
