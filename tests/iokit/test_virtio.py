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

    iokit.virtio.pc.unload              with tests/kexts/VirtioTerminator
                                        loaded, writing 1 to
                                        debug.virtio_terminate terminates the
                                        IOVirtioDevice (VirtioRNG's stop runs);
                                        then kextunload of VirtioRNG and of
                                        IOVirtioFamily both succeed (each is
                                        refused while an instance of its
                                        classes, a queue included, lives), the
                                        family's allocation tag goes with no
                                        block outstanding, and ioreg shows no
                                        virtio object

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
    """Terminate the virtio device, unload the driver and the family: (ok, text)."""
    out = sh.run("kextload /usr/tests/kexts/VirtioTerminator.kext && "
                 "sysctl debug.virtio_terminate=1 && "
                 "kextunload -b org.machina.driver.VirtioRNG && "
                 "kextunload -b org.machina.iokit.IOVirtioFamily; "
                 "kextstat -l | grep -c 'Virtio[RF]'; ioreg -w0 | grep -c 'IOVirtio\\|VirtioRNG'; "
                 "dmesg | grep 'Virtio\\|OSMalloc_Tagfree'") or ""
    counts = re.findall(r"^(\d+)\s*$", out, re.M)
    ok = ("VirtioTerminator: terminated 1 virtio device" in out and
          "VirtioRNG: stopped after" in out and
          "org.machina.driver.VirtioRNG unloaded" in out and
          "org.machina.iokit.IOVirtioFamily unloaded" in out and
          counts[-2:] == ["0", "0"] and
          'tag "org.machina.iokit.IOVirtioFamily" freed with' not in out)
    return ok, out


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
    check_none(t, opts)
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
