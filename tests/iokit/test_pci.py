#!/usr/bin/env python3
"""test_pci.py - the PCI family on QEMU's two PC machines, seen from user
space with ioreg and in the kernel's log.

    tests/iokit/test_pci.py [--build build] [--accel tcg]

Each machine boots directly (qboot, which assigns no BARs: the family
does) with three extra devices: pci-testdev (two BARs, four unimplemented),
edu (tests/kexts/PCIEduDriver drives it) and virtio-rng-pci (a 64-bit
prefetchable BAR; no driver needed). "pc" is the 440FX, configuration
through ports 0xcf8/0xcfc; "q35" the ICH9 with ECAM from the MCFG table.
For MACHINE in pc, q35:

    iokit.pci.MACHINE.boot          the shell comes up
    iokit.pci.MACHINE.functions     ioreg -c IOPCIDevice lists exactly the
                                    functions QEMU has (vendor, device,
                                    class), each named pciVEN,DEV at DEV[,FN]
    iokit.pci.MACHINE.bars          the extra devices' BARs (index, type,
                                    length, prefetchable), every one assigned
                                    and none overlapping; unimplemented BARs
                                    (zero size) not listed
    iokit.pci.MACHINE.interrupts    edu and virtio-rng have an
                                    IOInterruptSpecifiers (INTx), the host
                                    bridge none
    iokit.pci.MACHINE.express       IOPCIExpressCapable on every nub on q35,
                                    on none on pc
    iokit.pci.MACHINE.planes        IOService:/PC/pci@0/... and the
                                    same nubs below pci@0 in IODeviceTree
    iokit.pci.MACHINE.edu_bar       PCIEduDriver mapped BAR 0: identification
                                    0x010000ed, liveness register inverts
    iokit.pci.MACHINE.edu_interrupt the interrupt it raised reached its work
                                    loop and was acknowledged
    iokit.pci.MACHINE.bad_offsets   configuration reads outside the space or
                                    misaligned give all-ones; a missing BAR
                                    and a memory BAR used as I/O are refused
    iokit.pci.MACHINE.probe_score   of two personalities for edu in one
                                    category only the higher score started;
                                    IOPCIClassMatch (masked) and
                                    IOPCISecondaryMatch+IOPCIPrimaryMatch
                                    matched where they should, a primary
                                    match on subsystem ids nowhere
    iokit.pci.MACHINE.malformed     a personality with a malformed IOPCIMatch
                                    was refused with one log line, and
                                    matching went on

Then "pc" with a PCI-to-PCI bridge (pci-bridge at 00:08) and a pci-testdev
behind it, at 01:03 once the bridge's secondary bus is numbered:

    iokit.pci.bridge.secondary_bus  the testdev's nub is on bus 1, below the
                                    bridge's nub in the IOService plane
    iokit.pci.bridge.device_tree    ... and in IODeviceTree
    iokit.pci.bridge.unassigned     its BARs, which the family does not
                                    assign behind a bridge, are listed at 0
                                    and each was logged

and once through the ISO (SeaBIOS, which assigns every BAR, then GRUB) on
"pc" with edu:

    iokit.pci.iso.firmware_bars     the family kept the firmware's BARs (no
                                    assignment logged, every BAR non-zero,
                                    edu's where SeaBIOS put it is mapped and
                                    answers)
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
EXTRA = ["-device", "pci-testdev", "-device", "edu", "-device", "virtio-rng-pci"]
CHECKS = ["boot", "functions", "bars", "interrupts", "express", "planes", "edu_bar",
          "edu_interrupt", "bad_offsets", "probe_score", "malformed"]

# What QEMU builds, (vendor, device): class code. The default NIC comes
# with each machine (e1000 on pc, e1000e on q35).
COMMON = {(0x1234, 0x1111): 0x030000,   # VGA
          (0x1b36, 0x0005): 0x00ff00,   # pci-testdev
          (0x1234, 0x11e8): 0x00ff00,   # edu
          (0x1af4, 0x1005): 0x00ff00}   # virtio-rng (transitional)
MACHINES = {
    "pc": {**COMMON, **{(0x8086, 0x1237): 0x060000,    # 440FX host bridge
                          (0x8086, 0x7000): 0x060100,    # PIIX3 ISA
                          (0x8086, 0x7010): 0x010180,    # PIIX3 IDE
                          (0x8086, 0x7113): 0x068000,    # PIIX4 ACPI
                          (0x8086, 0x100e): 0x020000}},  # e1000
    "q35": {**COMMON, **{(0x8086, 0x29c0): 0x060000,   # Q35 host bridge
                           (0x8086, 0x2918): 0x060100,   # ICH9 LPC
                           (0x8086, 0x2922): 0x010601,   # ICH9 AHCI
                           (0x8086, 0x2930): 0x0c0500,   # ICH9 SMBus
                           (0x8086, 0x10d3): 0x020000}},  # e1000e
}
# The extra devices' BARs: (index, type, length, prefetchable).
BARS = {(0x1b36, 0x0005): [(0, "memory32", 0x1000, False), (1, "io", 0x100, False)],
        (0x1234, 0x11e8): [(0, "memory32", 0x100000, False)],
        (0x1af4, 0x1005): [(0, "io", 0x20, False), (1, "memory32", 0x1000, False),
                           (4, "memory64", 0x4000, True)]}

ENTRY = re.compile(r"^[ |]*\+-o (\S+?)(?:@(\S+))?\s+<class (\w+),", re.M)


def parse_ioreg(out):
    """[(name, location, class, {property: text})] in the order drawn."""
    entries = []
    matches = list(ENTRY.finditer(out))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(out)
        props = dict(re.findall(r'^[ |]*"([^"]+)" = (.*)$', out[m.end():end], re.M))
        entries.append((m.group(1), m.group(2) or "", m.group(3), props))
    return entries


def bars_of(props):
    """assigned-addresses as [(index, type, address, length, prefetchable)]."""
    out = []
    for d in re.findall(r"\{([^}]*)\}", props.get("assigned-addresses", "")):
        kv = dict(re.findall(r'"(\w+)"=("[^"]*"|\w+)', d))
        out.append((int(kv["IOPCIBARIndex"]), kv["IOPCIBARType"].strip('"'),
                    int(kv["IOPCIBARAddress"]), int(kv["IOPCIBARLength"]),
                    kv["IOPCIBARPrefetchable"] == "Yes"))
    return out


def check_machine(t, opts, machine):
    name = lambda c: "iokit.pci.%s.%s" % (machine, c)  # noqa: E731
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    machine=machine, extra=EXTRA,
                    log_path=os.path.join(logs, "iokit-pci-%s-console.log" % machine)) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        t.ok(bool(up), name("boot"), s.output[-2000:])
        if not up:
            for c in CHECKS[1:]:
                t.ok(False, name(c), "no shell")
            return
        out = sh.run("ioreg -l -w0 -c IOPCIDevice") or ""
        dt = sh.run("ioreg -w0 -p IODeviceTree") or ""
        log = sh.run("dmesg") or ""
        s.send("poweroff\n")
        s.wait(30)

    nubs = [e for e in parse_ioreg(out) if e[2] == "IOPCIDevice"]
    by_id, problems = {}, []
    for n, loc, _, p in nubs:
        try:
            key = (int(p["vendor-id"]), int(p["device-id"]))
            by_id[key] = (n, loc, p)
            if n != "pci%x,%x" % key:
                problems.append("%s is not named pci%x,%x" % (n, key[0], key[1]))
            dev, fn = int(p["IOPCIDeviceNumber"]), int(p["IOPCIFunctionNumber"])
            if loc != ("%x" % dev if fn == 0 else "%x,%x" % (dev, fn)):
                problems.append("%s is at @%s" % (n, loc))
            if int(p["class-code"]) != MACHINES[machine].get(key, -1):
                problems.append("%s has class 0x%06x" % (n, int(p["class-code"])))
        except (KeyError, ValueError) as e:
            problems.append("%s lacks a property: %s" % (n, e))
    want = set(MACHINES[machine])
    if set(by_id) != want or len(nubs) != len(want):
        problems.append("nubs %s; QEMU has %s" % (
            sorted("%04x:%04x" % k for k in by_id), sorted("%04x:%04x" % k for k in want)))
    t.ok(not problems, name("functions"), "\n".join(problems) + "\n" + out)

    problems, mem = [], []
    for key, want_bars in BARS.items():
        got = bars_of(by_id[key][2]) if key in by_id else []
        if [(i, ty, ln, pf) for i, ty, _, ln, pf in got] != want_bars:
            problems.append("%04x:%04x BARs %s, not %s" % (key[0], key[1], got, want_bars))
    for key, (n, _, p) in by_id.items():
        for i, ty, addr, ln, _ in bars_of(p):
            if addr == 0 or addr % ln != 0:
                problems.append("%s BAR %d at 0x%x (length 0x%x)" % (n, i, addr, ln))
            if ty != "io":
                mem.append((addr, addr + ln, n))
    mem.sort()
    for a, b in zip(mem, mem[1:]):
        if b[0] < a[1]:
            problems.append("%s and %s overlap" % (a[2], b[2]))
    t.ok(not problems, name("bars"), "\n".join(problems))

    problems = []
    for key in [(0x1234, 0x11e8), (0x1af4, 0x1005)]:
        if "IOInterruptSpecifiers" not in by_id.get(key, (0, 0, {}))[2]:
            problems.append("%04x:%04x has no IOInterruptSpecifiers" % key)
    hb = [p for k, (n, loc, p) in by_id.items() if MACHINES[machine][k] == 0x060000]
    if not hb or "IOInterruptSpecifiers" in hb[0]:
        problems.append("the host bridge has an interrupt, or is missing")
    t.ok(not problems, name("interrupts"), "\n".join(problems))

    express = [n for n, _, _, p in nubs if p.get("IOPCIExpressCapable") == "Yes"]
    t.ok(len(express) == (len(nubs) if machine == "q35" else 0) and nubs, name("express"),
         "IOPCIExpressCapable on %s" % express)

    svc = re.search(r"^\s+\+-o PC\s+<class IOPlatformExpertDevice.*\n(?:.*\n)*?"
                    r"\s+\+-o pci@0\s+<class IOPCIBridge", out, re.M)
    dt_nubs = set(re.findall(r"\+-o (pci[0-9a-f]+,[0-9a-f]+@[0-9a-f,]+)\s", dt))
    svc_nubs = set("%s@%s" % (n, loc) for n, loc, _, _ in nubs)
    t.ok(svc is not None and re.search(r"^\s*\+-o pci@0\s", dt, re.M) is not None and
         dt_nubs == svc_nubs, name("planes"), dt)

    t.ok("PCIEduDriver: id 0x010000ed, liveness ok" in log, name("edu_bar"), log[-3000:])
    t.ok("PCIEduDriver: interrupt arrived (status 0x5a, on the work loop), status now 0x0" in log,
         name("edu_interrupt"), log[-3000:])
    t.ok("PCIEduDriver: bad offsets read 0xffffffff 0xffffffff 0xffff; BAR1 map refused; "
         "BAR0 as I/O refused, reads 0xffffffff" in log, name("bad_offsets"), log[-3000:])

    started = re.findall(r"PCIEduDriver: started \(([\w-]+)\) on (\S+)", log)
    edu_at = None
    if (0x1234, 0x11e8) in by_id:
        p = by_id[(0x1234, 0x11e8)][2]
        edu_at = "%02x:%02x.%x" % (int(p["IOPCIBusNumber"]), int(p["IOPCIDeviceNumber"]),
                                  int(p["IOPCIFunctionNumber"]))
    roles = {}
    for role, where in started:
        roles.setdefault(role, []).append(where)
    class_ff = sorted(loc for loc in roles.get("class", []))
    want_ff = sorted("%02x:%02x.%x" % (int(p["IOPCIBusNumber"]), int(p["IOPCIDeviceNumber"]),
                                       int(p["IOPCIFunctionNumber"]))
                     for k, (_, _, p) in by_id.items() if MACHINES[machine][k] == 0x00ff00)
    t.ok(roles.get("high") == [edu_at] and "low" not in roles and "malformed" not in roles and
         "primary-miss" not in roles and roles.get("secondary") == [edu_at] and
         class_ff == want_ff, name("probe_score"), "started: %s" % started)

    bad = re.findall(r'IOPCIDevice: personality EduMalformed: IOPCIMatch "0x11e8zz34" is '
                     r"malformed at 6: .*; refused", log)
    t.ok(len(bad) == 1 and roles.get("high") == [edu_at], name("malformed"),
         "%d refusals logged\n%s" % (len(bad), log[-3000:]))


def check_bridge(t, opts):
    """A pci-testdev behind a pci-bridge: the scan follows the bridge."""
    logs = os.path.join(opts.build, "test-logs")
    extra = ["-device", "pci-bridge,id=br1,chassis_nr=1,addr=0x8",
             "-device", "pci-testdev,bus=br1,addr=0x3"]
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    extra=extra, log_path=os.path.join(logs, "iokit-pci-bridge-console.log")) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        out = (sh.run("ioreg -l -w0 -c IOPCIDevice") or "") if up else ""
        dt = (sh.run("ioreg -w0 -p IODeviceTree") or "") if up else ""
        log = (sh.run("dmesg") or "") if up else ""
        if up:
            s.send("poweroff\n")
            s.wait(30)
    nested = re.compile(r"^([ |]*)\+-o pci1b36,1@8\s.*\n(?:\1[ |].*\n)*?\1  \+-o pci1b36,5@3\s",
                        re.M)
    dev = [p for n, loc, c, p in parse_ioreg(out) if n == "pci1b36,5"]
    t.ok(bool(up) and nested.search(out) is not None and len(dev) == 1 and
         dev[0].get("IOPCIBusNumber") == "1", "iokit.pci.bridge.secondary_bus", out or s.output[-2000:])
    t.ok(nested.search(dt) is not None, "iokit.pci.bridge.device_tree", dt)
    left = re.findall(r"^IOPCIFamily: 01:03\.0 \(1b36:0005\): BAR at 0x1[04] is unassigned "
                      r"behind a bridge; left so$", log, re.M)
    t.ok(len(dev) == 1 and [(b[0], b[2]) for b in bars_of(dev[0])] == [(0, 0), (1, 0)] and
         len(left) == 2, "iokit.pci.bridge.unassigned", "%s\n%s" % (left, log[-2000:]))


def check_iso(t, opts):
    """Boot the ISO (SeaBIOS assigns the BARs) and check nothing was moved."""
    iso = os.path.join(opts.build, "machina.iso")
    logs = os.path.join(opts.build, "test-logs")
    with mq.Session(iso=iso, accel=opts.accel, extra=["-device", "edu"],
                    log_path=os.path.join(logs, "iokit-pci-iso-console.log")) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        out = (sh.run("ioreg -l -w0 -c IOPCIDevice") or "") if up else ""
        log = (sh.run("dmesg") or "") if up else ""
        if up:
            s.send("poweroff\n")
            s.wait(30)
    bars = [(n, b) for n, _, c, p in parse_ioreg(out) if c == "IOPCIDevice" for b in bars_of(p)]
    assigned = re.findall(r"^IOPCIFamily: .* assigned .*$", log, re.M)
    t.ok(bool(up) and bars and all(b[2] != 0 for _, b in bars) and not assigned and
         "PCIEduDriver: id 0x010000ed, liveness ok" in log, "iokit.pci.iso.firmware_bars",
         "BARs %s\nassigned by the family: %s\n%s" % (bars, assigned, (log or s.output)[-2000:]))


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
    check_bridge(t, opts)
    check_iso(t, opts)
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
