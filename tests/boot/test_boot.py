#!/usr/bin/env python3
"""test_boot.py - the boot tier: both ways in, the kernel console, and the
bad input a boot can meet (malformed boot-args, a missing, corrupt or
truncated initrd).

Every boot here has init=none first on its line: the kernel console, not
/sbin/init (tests/boot/test_shell.py boots into init and its shell).
Every QEMU run has a timeout. Input is typed only once the kernel's prompt
is up (see machina_qemu.Session).
"""
import argparse
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402

PROMPT = "machina> "
BANNER = re.compile(r"^Machina Kernel Version \S+ \([^)]*\): x86_64$", re.M)
CONSOLE_ARGS = "init=none"  # stay on the kernel console
APPLETS = ["sh", "ls", "cat", "echo", "mkdir", "rm", "cp", "mv", "grep", "sed", "wc", "sort",
           "head", "vi", "sleep", "hostname", "mount"]
BOOT_TIMEOUT = 60      # direct boots take well under a second; TCG on a busy machine may not
ISO_TIMEOUT = 120      # SeaBIOS and GRUB first


def tail(text, n=30):
    return "\n".join(text.splitlines()[-n:])


def initrd_summary(path):
    """The line the kernel prints for a good initrd: "initrd: N files, M bytes",
    counted here from the newc archive itself (regular files only)."""
    with open(path, "rb") as f:
        data = f.read()
    off = files = size = 0
    while off + 110 <= len(data):
        fields = [int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i in range(13)]
        mode, filesize, namesize = fields[1], fields[6], fields[11]
        name = data[off + 110:off + 110 + namesize - 1]
        if name == b"TRAILER!!!":
            break
        if mode & 0o170000 == 0o100000:
            files += 1
            size += filesize
        off = (off + 110 + namesize + 3) & ~3
        off = (off + filesize + 3) & ~3
    return "initrd: %d files, %d bytes" % (files, size)


class Boot:
    def __init__(self, opts, t):
        self.opts = opts
        self.t = t
        self.kernel = os.path.join(opts.build, "kernel.elf")
        self.initrd = os.path.join(opts.build, "initrd.cpio")
        self.logs = os.path.join(opts.build, "test-logs", "boot")
        self.initrd_line = initrd_summary(self.initrd)

    def session(self, name, **kw):
        kw.setdefault("kernel", self.kernel)
        kw.setdefault("initrd", self.initrd)
        # First on the line, so that an over-long line cannot cut it off.
        # A boot that names its own init= (the init.* checks) keeps it.
        if not re.search(r"(^|\s)init=", kw.get("args", "")):
            kw["args"] = (CONSOLE_ARGS + " " + kw.get("args", "")).strip()
        return mq.Session(accel=self.opts.accel, log_path=os.path.join(self.logs, name + ".log"), **kw)

    def check(self, name, ok, s, why=""):
        self.t.ok(bool(ok), name, "%s\n%s" % (why, tail(s.output)))

    def to_prompt(self, s, timeout=BOOT_TIMEOUT):
        return s.expect(PROMPT, timeout) is not None

    def command(self, s, line, expect, timeout=20):
        """Type a command at the prompt; true if expect shows up after it."""
        start = len(s.output)
        s.send(line + "\n")
        return s.expect(expect, timeout, start) is not None and \
            s.expect(PROMPT, timeout, start) is not None

    def run_reader(self, s):
        """`run` a program that reads standard input; type it a line."""
        start = len(s.output)
        s.send("run /usr/tests/readline\n")
        if s.expect("readline: waiting", 20, start) is None:
            return False
        s.send("typed at it\n")
        return s.expect("readline: got [typed at it]", 20, start) is not None and \
            s.expect("[/usr/tests/readline exited with status 0]", 20, start) is not None and \
            s.expect(PROMPT, 20, start) is not None

    # --- the direct (PVH) path ---------------------------------------------

    def direct_console(self):
        with self.session("direct") as s:
            up = self.to_prompt(s)
            self.check("boot.direct.banner", up and BANNER.search(s.output), s,
                       "no banner or no prompt")
            self.check("boot.direct.initrd_found", self.initrd_line in s.output, s,
                       "expected " + self.initrd_line)
            self.check("boot.direct.initrd_has_user_tests", up and self.command(
                s, "initrd", re.compile(r" usr/tests/hello$", re.M)), s)
            listing = s.output
            for name, pattern in [
                ("init", r"^  100755 +\d+ sbin/init$"),
                ("busybox", r"^  100755 +\d+ bin/busybox$"),
                ("applet_links", r"^  120777 +12 bin/sh$"),
                ("tmp", r"^  041777 +0 tmp$"),
            ]:
                self.check("boot.direct.initrd_has_" + name, up and re.search(pattern, listing, re.M), s)
            # The applets a shell session needs, each a link to /bin/busybox.
            missing = [a for a in APPLETS if not re.search(
                r"^  120777 +12 (usr/)?s?bin/%s$" % re.escape(a), listing, re.M)]
            self.check("boot.direct.initrd_has_applets", up and not missing, s,
                       "no link for: " + " ".join(missing))
            self.check("boot.direct.cmd_help", up and self.command(s, "help", "poweroff"), s)
            self.check("boot.direct.cmd_version",
                       up and self.command(s, "version", re.compile(r"^Machina Kernel Version", re.M)), s)
            self.check("boot.direct.cmd_mem", up and self.command(s, "mem", re.compile(
                r"vm_phys: \d+ pages managed, \d+ free")), s)
            self.check("boot.direct.cmd_zprint", up and self.command(s, "zprint", re.compile(
                r"^VM map entries +\d+ +\d+", re.M)), s)
            self.check("boot.direct.cmd_threads", up and self.command(s, "threads", re.compile(
                r"^ +0 kernel_bootstrap +kernel_task +run ", re.M)), s)
            self.check("boot.direct.cmd_run_hello", up and self.command(
                s, "run /usr/tests/hello", "[/usr/tests/hello exited with status 0]") and
                "hello from user mode" in s.output, s)
            self.check("boot.direct.cmd_run_fault", up and self.command(
                s, "run /usr/tests/fault", "[/usr/tests/fault died of EXC_BAD_ACCESS]"), s)
            self.check("boot.direct.cmd_run_reads_the_console_tty", up and self.run_reader(s), s,
                       "a program run from the console should read a typed line")
            self.check("boot.direct.cmd_run_not_elf", up and self.command(
                s, "run /etc/motd", "run: /etc/motd: "), s)
            self.check("boot.direct.cmd_cat", up and self.command(s, "cat /etc/motd", "Welcome to Machina."), s)
            self.check("boot.direct.cmd_cat_missing", up and self.command(
                s, "cat /nonexistent", "cat: /nonexistent: no such file"), s)
            self.check("boot.direct.cmd_ksym", up and self.command(
                s, "ksym kernel_bootstrap", re.compile(r"kernel_bootstrap = 0xffffffff8[0-9a-f]{7}")), s)
            # The log replays from boot: the banner comes back.
            self.check("boot.direct.cmd_dmesg", up and self.command(
                s, "dmesg", re.compile(r"^Machina Kernel Version", re.M)), s)
            self.check("boot.direct.cmd_unknown", up and self.command(
                s, "frobnicate", "frobnicate: unknown command; 'help' lists them"), s)
            self.check("boot.direct.too_many_words", up and self.command(
                s, "run " + " ".join(["x"] * 40), "run: too many words (at most 32)"), s)
            s.send("poweroff\n")
            r = s.wait(30)
            self.check("boot.direct.poweroff", r.returncode == 0 and not r.timed_out and
                       "powering off" in r.output, s, r.describe())

    def direct_reboot(self):
        with self.session("reboot") as s:
            up = self.to_prompt(s)
            s.send("reboot\n")
            r = s.wait(30)
            # -no-reboot turns the reset into QEMU exiting cleanly.
            self.check("boot.direct.reboot", up and r.returncode == 0 and not r.timed_out and
                       "rebooting" in r.output, s, r.describe())

    def direct_panic(self):
        with self.session("panic") as s:
            up = self.to_prompt(s)
            s.send("panic on request\n")
            got = s.expect("System halted", 30)
            out = s.output
            ok = up and got and all(re.search(p, out, re.M) for p in [
                r"^panic\(cpu 0 caller 0x[0-9a-f]{16}\): on request$",
                r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} cmd_panic \+ 0x",
                r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} kconsole_main \+ 0x",
                # the log from before the panic, to the command that caused it
                r"^Last kernel log lines:\n(  .*\n)*  machina> panic on request\n\nKernel version"])
            self.check("boot.direct.panic_halts_with_report", ok, s)

    def smp_panic(self):
        """A panic on two CPUs: the other one is stopped, and its backtrace
        (the idle loop, or whatever it ran) follows the panicking CPU's.
        The console's thread usually runs on CPU 0, but may have been
        woken on CPU 1 at some point of the boot: either panics."""
        with self.session("panic-smp", smp=2) as s:
            up = self.to_prompt(s)
            s.send("panic on request\n")
            got = s.expect("System halted", 30)
            out = s.output
            # The console's thread may have moved to either CPU by then.
            m = re.search(r"^panic\(cpu ([01]) caller 0x[0-9a-f]{16}\): on request$", out, re.M)
            other = 1 - int(m.group(1)) if m else None
            ok = up and got and m is not None and all(re.search(p, out, re.M) for p in [
                r"^CPU %d, stopped by this panic:$" % other,
                r"^Backtrace \(CPU %d\), Frame : Return Address$" % other])
            self.check("boot.panic_stops_other_cpus_and_shows_them", ok, s)

    def kext_panic(self):
        """A kext that panics in start (tests/kexts/PanicKext): the report
        names the kext in its frames and lists it with its load address."""
        with self.session("kext-panic", args="kext=org.machina.test.PanicKext") as s:
            got = s.expect("System halted", 60)
            out = s.output
            ok = got and all(re.search(p, out, re.M) for p in [
                r"^panic\(cpu \d+ caller 0x[0-9a-f]{16}\): PanicKext: panicking on purpose$",
                r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} org\.machina\.test\.PanicKext\(1\.0\) "
                r"\+ 0x[0-9a-f]+$",
                r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} kext_load_bundle \+ 0x",
                r"^      Kernel Extensions in backtrace:$",
                r"^         org\.machina\.test\.PanicKext\(1\.0\)\[index \d+\]"
                r"@0xffffffff[0-9a-f]{8}->0xffffffff[0-9a-f]{8}$"])
            self.check("boot.kext_panic_names_the_kext", ok, s)

    def stack_smash(self):
        """The stack protector: a function that writes past its array panics on
        its way out, and the report's backtrace names it."""
        with self.session("stack-smash", args="tests=selftest.smashes_its_stack_on_purpose") as s:
            r = s.wait(60)  # a test run: the panic powers the machine off
            out = s.output
            ok = not r.timed_out and all(re.search(p, out, re.M) for p in [
                r"^panic\(cpu \d+ caller 0x[0-9a-f]{16}\): Kernel stack memory corruption detected$",
                r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} __stack_chk_fail \+ 0x",
                r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} overrun(\.\w+\.\d+)? \+ 0x"])
            self.check("boot.stack_protector_panics", ok, s)

    def verbose(self):
        with self.session("verbose", args="-v") as s:
            up = self.to_prompt(s)
            out = s.output
            for name, pattern in [
                ("entry", r"^boot: entered through the PVH note$"),
                ("memory_map", r"^boot: the loader's memory map \(\d+ entries\):$"),
                ("tsc", r"^rtclock: TSC at \d+\.\d{3} MHz"),
                ("protections", r"^cpu: SMEP on, SMAP on, NX on$"),
                ("acpi", r"^acpi: FACP at 0x"),
                ("ioapic", r"^ioapic: I/O APIC 0 at 0xfec00000, version 0x[0-9a-f]{2}, GSIs 0-23$"),
                ("ioapic_override", r"^ioapic: line 0: GSI 2, edge, active high, I/O APIC 0 pin 2$"),
                ("milestones", r"^boot: milestones since kernel entry: console [\d.]+ ms "
                               r"memory [\d.]+ ms ready [\d.]+ ms$")]:
                self.check("boot.verbose." + name, up and re.search(pattern, out, re.M), s)

    def legacy_interrupts(self):
        """ioapic=0 keeps the 8259s: the console's input interrupt still comes."""
        with self.session("8259", args="ioapic=0") as s:
            up = self.to_prompt(s)
            self.check("boot.8259.chosen", up and "interrupt: the 8259s (ioapic=0)" in s.output
                       and "ioapic: I/O APIC" not in s.output, s)
            self.check("boot.8259.console_input", up and self.command(
                s, "version", re.compile(r"^Machina Kernel Version", re.M)), s)

    # --- init and reboot(2) ------------------------------------------------------

    def init_program(self):
        """init=PATH runs as pid 1; when it ends, the kernel says so and the console takes over."""
        with self.session("init", args="init=/usr/tests/exit_status") as s:
            got = s.expect("init exited with status 42", BOOT_TIMEOUT) is not None
            up = self.to_prompt(s)
            self.check("boot.init.exit_is_logged", got, s)
            self.check("boot.init.console_takes_over", up and self.command(
                s, "run /usr/tests/hello", "[/usr/tests/hello exited with status 0]"), s)
            s.send("poweroff\n")
            s.wait(30)
        with self.session("init-fault", args="init=/usr/tests/fault") as s:
            got = s.expect("init died of signal 11", BOOT_TIMEOUT) is not None
            self.check("boot.init.death_by_fault_is_logged", got and self.to_prompt(s), s)
            s.send("poweroff\n")
            s.wait(30)
        with self.session("init-missing", args="init=/nonexistent") as s:
            got = s.expect("init: /nonexistent: no such file", BOOT_TIMEOUT) is not None
            self.check("boot.init.a_missing_init_keeps_the_console", got and self.to_prompt(s), s)
            s.send("poweroff\n")
            s.wait(30)

    def aslr_disabled(self):
        """-disable_aslr: every exec gets the fixed layout (tests/bsd/aslr checks it, as init)."""
        with self.session("no-aslr", args="-disable_aslr init=/usr/tests/bsd/aslr") as s:
            done = s.expect("init exited with status", BOOT_TIMEOUT) is not None
            done = done and self.to_prompt(s)
            out = s.output
            self.check("boot.aslr.disabled", done and "# booted with -disable_aslr" in out
                       and "ok 3 - without ASLR every exec gets the same layout" in out
                       and "not ok" not in out and "init exited with status 0" in out, s)
            s.send("poweroff\n")
            s.wait(30)

    def reboot_syscall(self):
        """reboot(2) from a user program, as root: power off, restart."""
        for how, said in [("poweroff", "reboot: powering off"), ("restart", "reboot: restarting")]:
            with self.session("sys-" + how) as s:
                up = self.to_prompt(s)
                s.send("run /usr/tests/bsd/proc_ids %s\n" % how)
                r = s.wait(60)
                # -no-reboot turns the reset into QEMU exiting cleanly.
                self.check("boot.reboot_syscall." + how, up and r.returncode == 0 and
                           not r.timed_out and said in r.output, s, r.describe())

    # --- bad input -------------------------------------------------------------

    def bad_boot_args(self):
        args = '-v debug=0xZZ -bogus debug=2 tests debug=99999999999999999999999 name="never closed'
        # tests without a value would start a test run: make sure it does not.
        with self.session("badargs", args=args) as s:
            up = self.to_prompt(s)
            out = s.output
            for name, pattern in [
                ("not_a_number", r"^boot-args: 'debug' is not a number \(decimal or 0x hex\); ignored$"),
                ("unknown_flag", r"^boot-args: '-bogus': unknown boot-arg; ignored$"),
                ("repeated", r"^boot-args: 'debug': given more than once; the first one counts$"),
                ("missing_value", r"^boot-args: 'tests' needs a value \(name=text\)$"),
                ("unterminated_quote", r"^boot-args: 'name': unterminated quote; value taken to the end"),
            ]:
                self.check("boot.args." + name, up and re.search(pattern, out, re.M), s)
            self.check("boot.args.boot_goes_on", up, s, "no prompt after malformed boot-args")

        long_line = "debug=2 " + " ".join("x%d" % i for i in range(400))
        with self.session("longargs", args=long_line) as s:
            up = self.to_prompt(s)
            self.check("boot.args.overlong_line", up and re.search(
                r"^boot-args: the line is longer than 1023 characters; the rest was cut off$",
                s.output, re.M), s)

        with self.session("hugeargs", args="debug=99999999999999999999999") as s:
            up = self.to_prompt(s)
            self.check("boot.args.huge_number", up and "'debug' is out of range; ignored" in s.output, s)

    def bad_initrd(self):
        with self.session("noinitrd", initrd=None) as s:
            up = self.to_prompt(s)
            self.check("boot.initrd.missing", up and
                       "initrd: none (the loader passed no module); going on without one" in s.output, s)

        corrupt = os.path.join(self.opts.build, "tests", "corrupt.cpio")
        os.makedirs(os.path.dirname(corrupt), exist_ok=True)
        rnd = random.Random(1)
        with open(corrupt, "wb") as f:
            f.write(bytes(rnd.randrange(256) for _ in range(4096)))
        with self.session("corruptinitrd", initrd=corrupt) as s:
            up = self.to_prompt(s)
            self.check("boot.initrd.corrupt", up and re.search(
                r"^initrd: not a valid cpio archive \(at offset 0: bad magic \(not a newc cpio "
                r"archive\)\); going on without it$", s.output, re.M), s)
            self.check("boot.initrd.corrupt_cat_fails_cleanly", up and self.command(
                s, "cat /etc/motd", "no such file"), s)

        truncated = os.path.join(self.opts.build, "tests", "truncated.cpio")
        with open(self.initrd, "rb") as f:
            data = f.read()
        with open(truncated, "wb") as f:
            f.write(data[:200])
        with self.session("truncatedinitrd", initrd=truncated) as s:
            up = self.to_prompt(s)
            self.check("boot.initrd.truncated", up and re.search(
                r"^initrd: not a valid cpio archive \(at offset \d+: .*\); going on without it$",
                s.output, re.M), s)

    # --- the GRUB ISO ----------------------------------------------------------

    def iso(self):
        # build/machina.iso boots into /sbin/init; the console's twin has init=none.
        iso = os.path.join(self.opts.build, "tests", "machina-console.iso")
        mk = subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), iso, self.kernel,
                             self.initrd, CONSOLE_ARGS], cwd=ROOT, capture_output=True, text=True)
        if mk.returncode != 0:
            self.t.ok(False, "boot.iso.console_image_builds", mk.stderr)
            return
        with self.session("iso", iso=iso, kernel=None, initrd=None) as s:
            up = self.to_prompt(s, ISO_TIMEOUT)
            self.check("boot.iso.banner", up and BANNER.search(s.output), s)
            self.check("boot.iso.initrd_found", self.initrd_line in s.output, s,
                       "expected " + self.initrd_line)
            s.send("poweroff\n")
            r = s.wait(30)
            self.check("boot.iso.poweroff", up and r.returncode == 0 and not r.timed_out, s,
                       r.describe())

        # The same kernel through GRUB again, this time running every in-kernel test.
        test_iso = os.path.join(self.opts.build, "tests", "machina-tests.iso")
        mk = subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), test_iso, self.kernel,
                             self.initrd, "-v tests=*"], cwd=ROOT, capture_output=True, text=True)
        if mk.returncode != 0:
            self.t.ok(False, "boot.iso.test_image_builds", mk.stderr)
            return
        with self.session("iso-tests", iso=test_iso, kernel=None, initrd=None) as s:
            r = s.wait(ISO_TIMEOUT)
            out = r.output
            results = tap.parse(out)
            self.check("boot.iso.multiboot2_entry", re.search(
                r"^boot: loaded by GRUB [^ ]+ through multiboot2$", out, re.M), s)
            self.check("boot.iso.module_named_initrd", re.search(
                r'^boot: module 0 at 0x[0-9a-f]+-0x[0-9a-f]+ "initrd"$', out, re.M), s)
            self.check("boot.iso.kernel_tests_pass", results and all(p for p, _ in results) and
                       r.status == mq.EXIT_SUCCESS, s,
                       "%d results, %d failed; %s" % (len(results),
                                                      sum(1 for p, _ in results if not p),
                                                      r.describe()))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    b = Boot(opts, t)
    b.direct_console()
    b.direct_reboot()
    b.direct_panic()
    b.smp_panic()
    b.kext_panic()
    b.stack_smash()
    b.verbose()
    b.legacy_interrupts()
    b.init_program()
    b.aslr_disabled()
    b.reboot_syscall()
    b.bad_boot_args()
    b.bad_initrd()
    b.iso()
    t.plan_end()
    sys.exit(t.finish())


if __name__ == "__main__":
    main()
