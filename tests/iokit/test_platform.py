#!/usr/bin/env python3
"""test_platform.py - the platform expert, its ISA nubs and their drivers,
and the shutdown hooks, on a two-CPU QEMU PC.

    tests/iokit/test_platform.py [--build build] [--accel tcg]

    iokit.platform.boot            the shell comes up (its console is the
                                   16550 driver's)
    iokit.platform.root            ioreg: Root > PC (IOPlatformExpertDevice) >
                                   IOPlatformExpert
    iokit.platform.cpus            two IOCPU nubs with their APIC ids; cpu-count 2
    iokit.platform.memory          memory-size near the machine's 256 MiB
    iokit.platform.acpi_tables     "ACPI Tables" holds FACP and APIC, each
                                   starting with its own signature
    iokit.platform.nubs            PNP0501@3f8 (IRQ 4), PNP0303@60 (IRQs 1, 12),
                                   PNP0B00@70 (IRQ 8), with their port ranges
    iokit.platform.drivers         each nub has its driver, and kextstat lists
                                   the three driver bundles and no others
    iokit.platform.uart_console    the 16550 driver owns the console (IOConsole),
                                   took interrupts, and the shell answers over it
    iokit.platform.rtc_time        the RTC driver is the time of day's source and
                                   date agrees with the host within 5 minutes
    iokit.platform.rtc_interrupts  update-ended interrupts are counted on the
                                   RTC driver's work loop
    iokit.platform.keyboard        keys sent with QMP's send-key (shift, caps
                                   lock) reach the console as characters
    iokit.platform.quiet           no matching failure or refused port at boot
    iokit.platform.shutdown_hook   poweroff calls a kext's shutdown hook, then
                                   the machine goes off
    iokit.platform.hung_hook       a hook that never returns is logged and the
                                   machine goes off all the same
    iokit.platform.panic_output    with the console on the 16550 driver, a panic's
                                   report still reaches the serial line
    iokit.platform.no_uart         with no COM1 (-serial none), PNP0501 is not
                                   published (an explicit in-kernel test, whose
                                   verdict comes back through isa-debug-exit)
    iokit.platform.no_kbc          the same for a machine without an 8042
                                   (-machine pc,i8042=off): no PNP0303
"""
import argparse
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

BOOT_TIMEOUT = 120
DRIVERS = {"org.machina.driver.16550", "org.machina.driver.PS2Keyboard",
           "org.machina.driver.RTC", "org.machina.driver.BochsFramebuffer"}
MAIN_CHECKS = ["root", "cpus", "memory", "acpi_tables", "nubs", "drivers", "uart_console",
               "rtc_time", "rtc_interrupts", "keyboard", "quiet"]


def prop(out, key):
    m = re.search(r'"%s" = ([^\n]*)' % re.escape(key), out)
    return m.group(1).strip() if m else None


def number(out, key):
    v = prop(out, key)
    return int(v) if v is not None and v.isdigit() else None


def main_machine(t, opts, logs):
    qmp = os.path.join(tempfile.mkdtemp(prefix="machina-qmp-"), "qmp.sock")
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    smp=2, extra=mq.qmp_args(qmp),
                    log_path=os.path.join(logs, "iokit-platform-console.log")) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        t.ok(bool(up), "iokit.platform.boot", s.output[-2000:])
        if not up:
            for name in MAIN_CHECKS:
                t.ok(False, "iokit.platform." + name, "no shell")
            return
        tree = sh.run("ioreg -w0") or ""
        t.ok(re.search(r"^\+-o Root\s", tree, re.M) is not None and
             re.search(r"^  \+-o PC\s+<class IOPlatformExpertDevice", tree, re.M) is not None and
             re.search(r"^    \+-o IOPlatformExpert\s+<class IOPlatformExpert,", tree, re.M)
             is not None, "iokit.platform.root", tree)

        cpus = sh.run("ioreg -l -w0 -c IOCPU") or ""
        apic = re.findall(r'"apic-id" = (\d+)', cpus)
        t.ok("CPU0@0" in cpus and "CPU1@1" in cpus and len(apic) == 2 and
             len(set(apic)) == 2 and '"cpu-count" = 2' in cpus, "iokit.platform.cpus", cpus)

        pe = sh.run("ioreg -l -w0 -n PC") or ""
        mem = number(pe, "memory-size")
        t.ok(mem is not None and 200 << 20 <= mem <= 256 << 20, "iokit.platform.memory",
             "memory-size %s" % mem)
        tables = prop(pe, "ACPI Tables") or ""
        facp = re.search(r'"FACP"=<([0-9a-f]+)>', tables)
        madt = re.search(r'"APIC"=<([0-9a-f]+)>', tables)
        t.ok(facp is not None and madt is not None and
             bytes.fromhex(facp.group(1))[:4] == b"FACP" and
             bytes.fromhex(madt.group(1))[:4] == b"APIC", "iokit.platform.acpi_tables",
             tables[:400])

        nubs = sh.run("ioreg -l -w0 -c IOPlatformDevice") or ""
        want = [("PNP0501@3f8", "(<04000000>)", '({"address"=1016,"length"=8})'),
                ("PNP0303@60", "(<01000000>,<0c000000>)",
                 '({"address"=96,"length"=1},{"address"=100,"length"=1})'),
                ("PNP0B00@70", "(<08000000>)", '({"address"=112,"length"=2})')]
        ok = True
        for name, irqs, ports in want:
            block = nubs.split("+-o " + name, 1)
            block = block[1].split("+-o ", 1)[0] if len(block) == 2 else ""
            ok = ok and prop(block, "IOInterruptSpecifiers") == irqs and \
                prop(block, "IOPortRanges") == ports
        t.ok(ok, "iokit.platform.nubs", nubs)

        kexts = sh.run("kextstat") or ""
        loaded = set(re.findall(r"(org\.machina\.driver\.\S+)", kexts))
        t.ok(loaded == DRIVERS and
             re.search(r"PNP0501@3f8 .*\n[ |]*\+-o Machina16550Serial", tree) is not None and
             re.search(r"PNP0303@60 .*\n[ |]*\+-o MachinaPS2Keyboard", tree) is not None and
             re.search(r"PNP0B00@70 .*\n[ |]*\+-o MachinaRTC", tree) is not None,
             "iokit.platform.drivers", "%s\n%s" % (kexts, tree))

        uart = sh.run("ioreg -l -w0 -c Machina16550Serial") or ""
        echoed = sh.run("echo con''sole-works")
        t.ok(prop(uart, "IOConsole") == "Yes" and (number(uart, "InterruptCount") or 0) > 0 and
             echoed is not None and "console-works" in echoed, "iokit.platform.uart_console",
             uart)

        host = time.time()
        guest = sh.run("date +%s") or ""
        m = re.search(r"^(\d{9,})\s*$", guest, re.M)
        rtc = sh.run("ioreg -l -w0 -c MachinaRTC") or ""
        res = sh.run("ioreg -l -w0 -c IOResources") or ""
        t.ok(m is not None and abs(int(m.group(1)) - host) < 300 and
             prop(rtc, "IOTimeOfDaySource") == "Yes" and '"IORTC" = Yes' in res,
             "iokit.platform.rtc_time", "guest %s host %d\n%s" % (guest, host, rtc))

        first = number(rtc, "InterruptCount") or 0
        later = first
        for _ in range(20):                   # a second apart, as the clock ticks
            time.sleep(1)
            later = number(sh.run("ioreg -l -w0 -c MachinaRTC") or "", "InterruptCount") or 0
            if later > first:
                break
        t.ok(later > first > 0 or later > 1, "iokit.platform.rtc_interrupts",
             "InterruptCount %d then %d" % (first, later))

        typed, why = False, ""
        try:
            with mq.QMPClient(qmp) as q:
                start = len(s.output)
                q.send_keys("echo Key")
                q.send_key(["caps_lock"])
                q.send_keys("bo")
                q.send_key(["caps_lock"])
                q.send_keys("ard-\n")
                typed = s.expect("\nKeyBOard-", 60, start=start) is not None
        except OSError as e:
            why = "QMP: %s\n" % e
        kbd = sh.run("ioreg -l -w0 -c MachinaPS2Keyboard") or ""
        t.ok(typed and (number(kbd, "CharactersTyped") or 0) >= 14, "iokit.platform.keyboard",
             why + s.output[-1500:] + "\n" + kbd)

        log = sh.run("dmesg") or ""
        bad = [line for line in log.splitlines() if
               ("IOService:" in line and ("failed" in line or "not found" in line or
                                          "did not start" in line)) or "refused" in line or
               "not starting" in line or "not published" in line]
        t.ok(not bad, "iokit.platform.quiet", "\n".join(bad))
        s.send("poweroff -f\n")
        s.wait(30)


def shutdown(t, opts, logs, kext, name, want):
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    log_path=os.path.join(logs, "iokit-platform-%s.log" % name)) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None
        loaded = up and "registered" in (sh.run("kextload /usr/tests/kexts/%s.kext; dmesg | "
                                                "grep %s:" % (kext, kext)) or "")
        s.send("poweroff -f\n")
        r = s.wait(60)
        text = r.output[-3000:]
        t.ok(loaded and not r.timed_out and all(w in r.output for w in want),
             "iokit.platform." + name, "%s\n%s" % (r.describe(), text))


def panic_output(t, opts, logs):
    """After the 16550 driver has the console, a panic still reaches the
    serial line: the kernel writes it to COM1 itself, polled."""
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    args="init=none",
                    log_path=os.path.join(logs, "iokit-platform-panic.log")) as s:
        up = s.expect("machina> ", BOOT_TIMEOUT) is not None
        took = "Machina16550Serial: the console is on the 16550" in s.output
        s.send("panic after the takeover\n")
        got = s.expect("System halted", 60) is not None
        t.ok(up and took and got and "panic(cpu 0 caller" in s.output and
             "after the takeover" in s.output, "iokit.platform.panic_output", s.output[-2000:])


def without(t, opts, logs, name, test, serial, machine):
    """Run one explicit in-kernel test on a machine lacking a device; its
    verdict comes back through isa-debug-exit (the serial line may be gone)."""
    import subprocess
    cmd = mq.test_cmd(kernel=os.path.join(opts.build, "kernel.elf"),
                      initrd=os.path.join(opts.build, "initrd.cpio"),
                      args="init=none tests=IOPlatformExpert.%s" % test, accel=opts.accel)
    cmd[cmd.index("-serial") + 1] = serial
    cmd[cmd.index("-machine") + 1] = machine
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        status, out = mq.decode_exit(p.returncode), p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        status, out = None, "timed out"
    with open(os.path.join(logs, "iokit-platform-%s.log" % name), "w") as f:
        f.write(out)
    t.ok(status == 0, "iokit.platform." + name, "exit status %s\n%s" % (status, out[-2000:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    logs = os.path.join(opts.build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    main_machine(t, opts, logs)
    shutdown(t, opts, logs, "ShutdownHook", "shutdown_hook",
             ["ShutdownHook: the system will power off", "reboot: powering off"])
    shutdown(t, opts, logs, "ShutdownHang", "hung_hook",
             ["ShutdownHang: told 0xe0000250", "did not return within"])
    panic_output(t, opts, logs)
    without(t, opts, logs, "no_uart", "absent_uart_is_not_published", "none", "pc")
    without(t, opts, logs, "no_kbc", "absent_kbc_is_not_published", "stdio", "pc,i8042=off")
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
