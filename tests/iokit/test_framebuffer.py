#!/usr/bin/env python3
"""test_framebuffer.py - the framebuffer console (MachinaBochsFramebuffer,
docs/iokit-framebuffer.md) on QEMU's standard VGA and on bochs-display,
read back from QEMU's screen dumps.

    tests/iokit/test_framebuffer.py [--build build] [--accel tcg]

The screen is read by taking QMP's screendump (a PPM) and recognising every
8x16 cell against the font in the tree (tools/mkfbfont.py reads
FBFont.txt): a cell reads as the character whose glyph it shows exactly,
light grey on black (the cursor's cell inverted), so the checks compare
lines of text, and a pixel out of place makes a line differ.

    iokit.framebuffer.font              FBFont.c is what tools/mkfbfont.py
                                        makes of FBFont.txt
On "pc" with -vga std, then with -vga none -device bochs-display (KIND is
std, display):
    iokit.framebuffer.KIND.boot         the shell comes up
    iokit.framebuffer.KIND.ioreg        MachinaBochsFramebuffer is below the
                                        1234:1111 nub (class 0x30000 or
                                        0x38000) with its mode: IOFBWidth
                                        1024, IOFBHeight 768, IOFBDepth 32,
                                        "1024x768x32", 128x48 text, scrolling
                                        by panning, registers through MMIO
    iokit.framebuffer.KIND.screen       a command typed on the serial line
                                        and its output are drawn, at the
                                        prompt, on the last lines
    iokit.framebuffer.KIND.keyboard     a command typed on the emulated
                                        keyboard (QMP send-key) is echoed
                                        and its output drawn
Only on std:
    iokit.framebuffer.std.scroll        seq 1 300 (more lines than video
                                        memory holds at this pitch, so the
                                        screen is copied back to the top at
                                        least once): the screen shows 254 to
                                        300 in order, then the prompt
    iokit.framebuffer.std.log           the driver said its mode and took the
                                        console, and logged no refusal
    iokit.framebuffer.std.unload        kextunload terminates the driver (its
                                        stop gives the VGA back) and unloads
                                        it; ioreg no longer shows it
On bochs-display, booted to the kernel console:
    iokit.framebuffer.panic             a panic's report is drawn on the
                                        screen (the console device is
                                        CONSOLE_PANIC_SAFE)
On "q35" (configuration through ECAM), booted to the kernel console:
    iokit.framebuffer.q35               the driver sets the mode on the VGA
                                        there and takes the console
With -vga std and a bochs-display besides, booted to the kernel console:
    iokit.framebuffer.second            one adapter takes the screen, the other
                                        is refused with one log line
With -vga none:
    iokit.framebuffer.none              no 1234:1111 function, the driver
                                        neither loaded nor started
"""
import argparse
import os
import re
import shutil
import subprocess
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
import mkfbfont  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

BOOT_TIMEOUT = 150
FG, BG = b"\xaa\xaa\xaa", b"\x00\x00\x00"
CELL_W, CELL_H = 8, 16
KINDS = {"std": (["-vga", "std"], 0x030000),
         "display": (["-vga", "none", "-device", "bochs-display"], 0x038000)}
CHECKS = ["boot", "ioreg", "screen", "keyboard"]


class Screen:
    """A screen dump read as text with the tree's font."""

    def __init__(self, path, glyphs):
        with open(path, "rb") as f:
            data = f.read()
        magic, size, depth, self.pixels = data.split(b"\n", 3)
        self.width, self.height = map(int, size.split())
        if magic != b"P6" or depth != b"255":
            raise ValueError("not a PPM screen dump")
        self.cells = {}                     # 16 row bits -> character
        for code, rows in glyphs.items():
            self.cells.setdefault(tuple(rows), chr(code))
        self.lines = [self._line(r) for r in range(self.height // CELL_H)]

    def _line(self, row):
        text = []
        for col in range(self.width // CELL_W):
            bits = []
            for y in range(CELL_H):
                at = ((row * CELL_H + y) * self.width + col * CELL_W) * 3
                px = self.pixels[at:at + CELL_W * 3]
                b = 0
                for x in range(CELL_W):
                    p = px[3 * x:3 * x + 3]
                    if p == FG:
                        b |= 0x80 >> x
                    elif p != BG:
                        b = -1
                        break
                if b < 0:
                    break
                bits.append(b)
            ch = None
            if len(bits) == CELL_H:
                ch = self.cells.get(tuple(bits))
                if ch is None:               # the cursor: the cell inverted
                    ch = self.cells.get(tuple(0xff ^ b for b in bits))
            text.append(ch if ch is not None else "\x7f")
        return "".join(text).rstrip()

    def text(self):
        return "\n".join(self.lines)


def screendump(q, tmp, name):
    path = os.path.join(tmp, name + ".ppm")
    if os.path.exists(path):
        os.unlink(path)
    reply = q.command("screendump", {"filename": path})
    if "error" in reply:
        raise OSError("screendump: %s" % reply["error"])
    return Screen(path, mkfbfont.glyphs())


def settle(q, tmp, name, want, tries=30):
    """Screen dumps until want(lines) holds (the guest may still be drawing); the last."""
    scr = None
    for _ in range(tries):
        scr = screendump(q, tmp, name)
        if want(scr.lines):
            break
        time.sleep(1)
    return scr


def prop(out, key):
    m = re.search(r'"%s" = ([^\n]*)' % re.escape(key), out)
    return m.group(1).strip() if m else None


def last_lines(lines):
    """The screen's lines up to its last non-blank one."""
    end = len(lines)
    while end > 0 and not lines[end - 1]:
        end -= 1
    return lines[:end]


def at_prompt(lines, command, output):
    """Do the screen's last lines show command typed at a prompt (None: not
    looked at), then output, then the prompt again?"""
    shown = last_lines(lines)
    return (len(shown) >= 3 and shown[-1].endswith("#") and shown[-2] == output and
            (command is None or shown[-3].endswith("# " + command)))


def check_font(t):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkfbfont.py"), "--check"],
                       capture_output=True, text=True, timeout=60)
    t.ok(p.returncode == 0, "iokit.framebuffer.font", p.stderr)


def check_kind(t, opts, logs, tmp, kind):
    args, klass = KINDS[kind]
    name = "iokit.framebuffer.%s." % kind
    qmp = os.path.join(tmp, "qmp-%s.sock" % kind)
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    extra=args + mq.qmp_args(qmp),
                    log_path=os.path.join(logs, "iokit-framebuffer-%s.log" % kind)) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        t.ok(bool(up), name + "boot", s.output[-2000:])
        if not up:
            for check in CHECKS[1:] + (["scroll", "log", "unload"] if kind == "std" else []):
                t.ok(False, name + check, "no shell")
            return

        tree = sh.run("ioreg -l -w0 -c MachinaBochsFramebuffer") or ""
        nub = tree.split("+-o MachinaBochsFramebuffer", 1)[0]
        want = {"IOFBWidth": "1024", "IOFBHeight": "768", "IOFBDepth": "32",
                "IOFBMode": '"1024x768x32"', "IOFBTextColumns": "128", "IOFBTextRows": "48",
                "IOFBScrolling": '"pan"', "IOFBRegisterAccess": '"mmio"', "IOConsole": "Yes"}
        drv = tree[len(nub):]
        t.ok(re.search(r"\+-o pci1234,1111@\w+\s+<class IOPCIDevice", nub) is not None and
             prop(nub, "class-code") == str(klass) and drv and
             all(prop(drv, k) == v for k, v in want.items()), name + "ioreg", tree)

        log_before = None
        try:
            with mq.QMPClient(qmp) as q:
                start = len(s.output)
                s.send("echo fb-''marker-%s\n" % kind)
                typed = s.expect("\nfb-marker-%s\n" % kind, 60, start=start) is not None
                scr = settle(q, tmp, kind + "-serial",
                             lambda ls: at_prompt(ls, "echo fb-''marker-" + kind,
                                                  "fb-marker-" + kind))
                t.ok(typed and at_prompt(scr.lines, "echo fb-''marker-" + kind,
                                         "fb-marker-" + kind), name + "screen", scr.text())

                start = len(s.output)
                q.send_keys("echo typed-on-%s\n" % kind)
                typed = s.expect("\ntyped-on-%s\n" % kind, 60, start=start) is not None
                scr = settle(q, tmp, kind + "-keys",
                             lambda ls: at_prompt(ls, "echo typed-on-" + kind, "typed-on-" + kind))
                t.ok(typed and at_prompt(scr.lines, "echo typed-on-" + kind, "typed-on-" + kind),
                     name + "keyboard", scr.text())

                if kind == "std":
                    start = len(s.output)
                    s.send("seq 1 300\n")
                    s.expect("\n300\n", 60, start=start)
                    scr = settle(q, tmp, "std-scroll", lambda ls: at_prompt(ls, None, "300"))
                    shown = last_lines(scr.lines)
                    nums = [str(n) for n in range(300 - len(shown) + 2, 301)]
                    t.ok(len(shown) == 48 and shown[:-1] == nums and shown[-1].endswith("#"),
                         name + "scroll", scr.text())
                    # kextunload terminates the driver (it gives the VGA back) and unloads it.
                    log_before = sh.run("dmesg") or ""
                    out = sh.run("kextunload -b org.machina.driver.BochsFramebuffer; "
                                 "ioreg -c MachinaBochsFramebuffer | grep -c '+-o Machina'") or ""
                    t.ok("org.machina.driver.BochsFramebuffer unloaded" in out
                         and "MachinaBochsFramebuffer: stopped; the screen is the VGA's again"
                         in out and re.search(r"^0$", out, re.M),
                         name + "unload", out)
        except OSError as e:
            for check in ["screen", "keyboard"] + (["scroll", "unload"] if kind == "std" else []):
                t.ok(False, name + check, "QMP: %s" % e)

        if kind == "std":
            log = log_before if log_before is not None else (sh.run("dmesg") or "")
            said = re.search(r"MachinaBochsFramebuffer: 1024x768x32 on 00:\w\w\.0 \(VGA, DISPI "
                             r"0xb0c\d through MMIO\), 128x48 text, scrolling by panning; the "
                             r"console is on the screen", log)
            bad = [line for line in log.splitlines() if "BochsFramebuffer" in line and
                   ("not starting" in line or "refused" in line or "failed" in line)]
            t.ok(said is not None and not bad, name + "log", "\n".join(bad) or log[-3000:])
        s.send("poweroff -f\n")
        s.wait(30)


def check_panic(t, opts, logs, tmp):
    qmp = os.path.join(tmp, "qmp-panic.sock")
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    args="init=none",
                    extra=KINDS["display"][0] + mq.qmp_args(qmp),
                    log_path=os.path.join(logs, "iokit-framebuffer-panic.log")) as s:
        up = s.expect("machina> ", BOOT_TIMEOUT) is not None
        s.send("panic drawn on the screen\n")
        halted = up and s.expect("System halted", 60) is not None
        text = ""
        try:
            with mq.QMPClient(qmp) as q:
                scr = settle(q, tmp, "panic", lambda ls: any("System halted" in x for x in ls))
                text = scr.text()
        except OSError as e:
            text = "QMP: %s" % e
        t.ok(halted and re.search(r"^panic\(cpu 0 caller .*drawn on the screen", text, re.M)
             is not None and "System halted" in text, "iokit.framebuffer.panic",
             text + "\n--- serial ---\n" + s.output[-1500:])


def check_q35(t, opts, logs):
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    args="init=none", machine="q35",
                    log_path=os.path.join(logs, "iokit-framebuffer-q35.log")) as s:
        up = s.expect("machina> ", BOOT_TIMEOUT) is not None
        said = [line for line in s.output.splitlines() if "MachinaBochsFramebuffer:" in line]
        t.ok(up and len(said) == 1 and
             re.match(r"MachinaBochsFramebuffer: 1024x768x32 on 00:\w\w\.0 \(VGA, .*the console "
                      r"is on the screen$", said[0]) is not None, "iokit.framebuffer.q35",
             "\n".join(said) or s.output[-2000:])


def check_second(t, opts, logs):
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    args="init=none", extra=["-vga", "std", "-device", "bochs-display"],
                    log_path=os.path.join(logs, "iokit-framebuffer-second.log")) as s:
        up = s.expect("machina> ", BOOT_TIMEOUT) is not None
        said = [line for line in s.output.splitlines() if "MachinaBochsFramebuffer:" in line]
        t.ok(up and len(said) == 2 and
             sum("the console is on the screen" in line for line in said) == 1 and
             sum(line == "MachinaBochsFramebuffer: another adapter has the screen already; "
                 "not starting" for line in said) == 1, "iokit.framebuffer.second",
             "\n".join(said) or s.output[-2000:])


def check_none(t, opts, logs):
    with mq.Session(kernel=os.path.join(opts.build, "kernel.elf"),
                    initrd=os.path.join(opts.build, "initrd.cpio"), accel=opts.accel,
                    extra=["-vga", "none"],
                    log_path=os.path.join(logs, "iokit-framebuffer-none.log")) as s:
        sh = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
        pci = (sh.run("ioreg -l -w0 -c IOPCIDevice") or "") if up else ""
        fb = (sh.run("ioreg -w0 -c MachinaBochsFramebuffer; kextstat") or "") if up else ""
        t.ok(bool(up) and "pci8086,1237" in pci and "pci1234,1111" not in pci and
             "+-o MachinaBochsFramebuffer" not in fb and
             "org.machina.driver.BochsFramebuffer" not in fb,
             "iokit.framebuffer.none", fb or s.output[-2000:])
        s.send("poweroff -f\n")
        s.wait(30)


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
    tmp = tempfile.mkdtemp(prefix="machina-fb-")
    check_font(t)
    check_kind(t, opts, logs, tmp, "std")
    check_kind(t, opts, logs, tmp, "display")
    check_panic(t, opts, logs, tmp)
    check_q35(t, opts, logs)
    check_second(t, opts, logs)
    check_none(t, opts, logs)
    shutil.rmtree(tmp, ignore_errors=True)
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
