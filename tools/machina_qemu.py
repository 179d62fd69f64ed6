"""machina_qemu - how Machina runs under QEMU, shared by `make run`, the
tests and the benchmarks.

Two ways in:
  direct  qemu -bios qboot.rom -kernel build/kernel.elf -initrd ... -append ...
          (QEMU boots the kernel's PVH note; qboot skips the BIOS)
  iso     qemu -cdrom build/machina.iso  (SeaBIOS, then GRUB's multiboot2)

The accelerator is TCG unless asked for (accel="kvm") or, with accel="auto",
a short probe shows KVM running guest kernel code at hardware speed: on some
machines /dev/kvm is a paravirtual flavour that runs an unmodified kernel
hundreds of times slower than TCG. The probe's verdict is cached in the build
directory.

Test runs add QEMU's isa-debug-exit device: the kernel writes its exit status
there and QEMU exits with (status << 1) | 1; decode_exit() undoes that.
"""
import os
import re
import subprocess
import sys
import time

QBOOT = "/usr/share/qemu/qboot.rom"
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]

# Kernel exit statuses (kernel/machine_routines.h).
EXIT_SUCCESS, EXIT_FAILURE, EXIT_PANIC = 0, 1, 2
EXIT_NAMES = {EXIT_SUCCESS: "success", EXIT_FAILURE: "failure", EXIT_PANIC: "panic"}


def decode_exit(returncode):
    """The kernel's exit status from QEMU's return code, or None if the
    guest did not exit through isa-debug-exit (a normal power-off returns
    0, a signal or QEMU error something else)."""
    if returncode is not None and returncode > 0 and returncode & 1:
        return returncode >> 1
    return None


def kvm_usable():
    return os.path.exists("/dev/kvm") and os.access("/dev/kvm", os.R_OK | os.W_OK)


def probe_kvm(kernel, build_dir):
    """Does KVM run this kernel at hardware speed? Boots the kernel under KVM
    with bench=cpu.loop and compares the loop's speed with what real
    hardware does. Returns (accelerator, why); cached in
    build_dir/accel.probe."""
    cache = os.path.join(build_dir, "accel.probe")
    try:
        with open(cache) as f:
            verdict, _, why = f.read().strip().partition(" ")
            if verdict in ("kvm", "tcg"):
                return verdict, why + "; cached in " + cache
    except OSError:
        pass
    verdict, why = "tcg", "no usable /dev/kvm"
    if kvm_usable():
        cmd = test_cmd(kernel, args="bench=cpu.loop", accel="kvm", mem="128M")
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=8,
                                  stdin=subprocess.DEVNULL)
            out = proc.stdout
            m = re.search(r"^cpu\.loop_ps_per_iteration (\d+)", out, re.M)
            if m and int(m.group(1)) < 1500:
                verdict, why = "kvm", "a KVM probe ran at %s ps a loop iteration" % m.group(1)
            elif m:
                why = "a KVM probe ran at %s ps a loop iteration, slower than hardware" % m.group(1)
            else:
                err = (proc.stderr.strip().splitlines() or ["no output"])[0]
                why = "a KVM probe failed: %s" % err[:100]
        except subprocess.TimeoutExpired:
            why = "a KVM probe timed out"
    os.makedirs(build_dir, exist_ok=True)
    with open(cache, "w") as f:
        f.write("%s %s\n" % (verdict, why))
    return verdict, why


def choose_accel(accel, kernel, build_dir, log=sys.stderr):
    """The accelerator to use for accel ("auto", "tcg" or "kvm"), said on log."""
    if accel in ("tcg", "kvm"):
        verdict, why = accel, "as asked"
    else:
        verdict, why = probe_kvm(kernel, build_dir)
    log.write("qemu: accelerator %s (%s)\n" % (verdict, why))
    log.flush()
    return verdict


def base_cmd(accel, mem, smp, machine="pc"):
    """machine: QEMU's machine type: "pc" (i440FX, PCI configuration
    through ports 0xcf8/0xcfc) or "q35" (ICH9, PCI Express with ECAM)."""
    cpu = "host" if accel == "kvm" else "max"
    return ["qemu-system-x86_64", "-machine", machine, "-accel", accel, "-cpu", cpu,
            "-m", str(mem), "-smp", str(smp)]


def direct_args(kernel, initrd, args):
    cmd = ["-bios", QBOOT, "-kernel", kernel]
    if initrd:
        cmd += ["-initrd", initrd]
    if args:
        cmd += ["-append", args]
    return cmd


def iso_args(iso):
    return ["-cdrom", iso, "-boot", "d"]


class Result:
    def __init__(self, output, returncode, timed_out, elapsed, accel):
        self.output = output
        self.returncode = returncode
        self.timed_out = timed_out
        self.elapsed = elapsed
        self.accel = accel
        self.status = decode_exit(returncode)

    def describe(self):
        if self.timed_out:
            return "timed out after %.1f s" % self.elapsed
        if self.status is not None:
            return "kernel exit status %d (%s)" % (self.status, EXIT_NAMES.get(self.status, "?"))
        return "QEMU returned %s" % self.returncode


def run(kernel=None, initrd=None, args="", iso=None, accel="tcg", mem="256M", smp=1,
        timeout=60, stdin_text=None, extra=(), debug_exit=True, log_path=None, machine="pc"):
    """Boot once, serial on a pipe, stdin_text typed at once; returns a
    Result. Never waits longer than timeout seconds."""
    with Session(kernel=kernel, initrd=initrd, args=args, iso=iso, accel=accel, mem=mem,
                 smp=smp, extra=extra, debug_exit=debug_exit, log_path=log_path,
                 machine=machine) as s:
        if stdin_text:
            s.send(stdin_text)
        return s.wait(timeout)


def test_cmd(kernel=None, initrd=None, args="", iso=None, accel="tcg", mem="256M", smp=1,
             extra=(), debug_exit=True, machine="pc"):
    """The command for a test run: serial on stdio, no display, no monitor,
    a reboot ends QEMU, and (by default) the isa-debug-exit device."""
    cmd = base_cmd(accel, mem, smp, machine)
    cmd += iso_args(iso) if iso else direct_args(kernel, initrd, args)
    cmd += ["-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot"]
    if debug_exit:
        cmd += DEBUG_EXIT
    return cmd + list(extra)


def interactive_cmd(kernel=None, initrd=None, args="", iso=None, accel="tcg", mem="256M",
                    smp=1, gdb_port=None, halted=False):
    """The command for `make run` and friends: serial and QEMU's monitor
    multiplexed on this terminal (Ctrl-A X quits, Ctrl-A C the monitor).
    Unlike test runs, `reboot` really reboots."""
    cmd = base_cmd(accel, mem, smp)
    cmd += iso_args(iso) if iso else direct_args(kernel, initrd, args)
    cmd += ["-chardev", "stdio,id=con,mux=on,signal=off", "-serial", "chardev:con",
            "-mon", "chardev=con", "-display", "none"]
    if gdb_port:
        cmd += ["-gdb", "tcp:127.0.0.1:%d" % int(gdb_port)]
    if halted:
        cmd += ["-S"]
    return cmd


class Session:
    """A QEMU run to converse with over the serial line: wait for text,
    then type. Input is only sent once the kernel is listening, since
    characters typed while the UART is being set up are lost (as on real
    hardware).

        with Session(kernel=k, initrd=i, args="-v") as s:
            s.expect("machina> ", 30)
            s.send("mem\\n")
            s.expect("vm_phys:", 10)
            s.send("poweroff\\n")
            s.wait(30)
        s.output, s.returncode
    """

    def __init__(self, kernel=None, initrd=None, args="", iso=None, accel="tcg", mem="256M",
                 smp=1, extra=(), debug_exit=True, log_path=None, machine="pc"):
        import threading
        self.cmd = cmd = test_cmd(kernel, initrd, args, iso, accel, mem, smp, extra, debug_exit,
                                  machine)
        self.log_path = log_path
        self.accel = accel
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.returncode = None
        self.timed_out = False

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            with self._cond:
                if not chunk:
                    self._cond.notify_all()
                    return
                self._buf += chunk
                self._cond.notify_all()

    @property
    def output(self):
        with self._cond:
            return self._buf.decode("utf-8", "replace").replace("\r", "")

    @property
    def elapsed(self):
        return time.monotonic() - self._start

    def expect(self, text, timeout, start=0):
        """Wait until text (a string or compiled regex) appears in the output
        after offset start; returns the offset just past it, or None on
        timeout or if QEMU exited first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                out = self._buf.decode("utf-8", "replace").replace("\r", "")
                if isinstance(text, str):
                    i = out.find(text, start)
                    if i >= 0:
                        return i + len(text)
                else:
                    m = text.search(out, start)
                    if m:
                        return m.end()
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    return None
                self._cond.wait(min(left, 0.2))

    def send(self, text):
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def wait(self, timeout):
        """Wait for QEMU to exit; kills it after timeout. Returns a Result."""
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.proc.kill()
            self.returncode = self.proc.wait()
        self._reader.join(5)
        return self.result()

    def result(self):
        return Result(self.output, self.returncode, self.timed_out, self.elapsed, self.accel)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(5)
        if self.returncode is None:
            self.returncode = self.proc.returncode
        if self.log_path:
            os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
            with open(self.log_path, "w") as f:
                f.write("$ %s\n" % " ".join(self.cmd))
                f.write(self.output)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


# --- keeping a core when the kernel panics ------------------------------------

def core_args(qmp_socket):
    """QEMU options for CoreKeeper: the pvpanic device (the kernel writes to
    it when it panics: kernel/x86_64 machine_panic_notify), QEMU pausing on
    that, and a QMP socket to be told."""
    return ["-device", "pvpanic", "-action", "panic=pause",
            "-qmp", "unix:%s,server=on,wait=off" % qmp_socket]


def qmp_args(qmp_socket):
    """QEMU options for a QMP socket a test talks to with QMPClient."""
    return ["-qmp", "unix:%s,server=on,wait=off" % qmp_socket]


class QMPClient:
    """A test's line to QEMU's QMP socket (qmp_args): commands and their
    replies; events that arrive meanwhile are kept in self.events.

        with Session(..., extra=qmp_args(path)) as s, QMPClient(path) as q:
            q.send_keys("echo hi\n")
    """

    # Characters send_keys can type, as QEMU's qcodes (QAPI QKeyCode).
    QCODES = {" ": "spc", "\n": "ret", "-": "minus", "=": "equal", ".": "dot",
              ",": "comma", "/": "slash", ";": "semicolon", "'": "apostrophe",
              "[": "bracket_left", "]": "bracket_right", "\\": "backslash",
              "`": "grave_accent", "\t": "tab"}
    SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7",
               "*": "8", "(": "9", ")": "0", "_": "minus", "+": "equal", ":": "semicolon",
               '"': "apostrophe", "<": "comma", ">": "dot", "?": "slash", "|": "backslash",
               "~": "grave_accent", "{": "bracket_left", "}": "bracket_right"}

    def __init__(self, qmp_socket, connect_timeout=30):
        import socket
        deadline = time.monotonic() + connect_timeout
        self.sock = None
        while time.monotonic() < deadline:
            s = socket.socket(socket.AF_UNIX)
            try:
                s.settimeout(30)
                s.connect(qmp_socket)
                self.sock = s
                break
            except OSError:
                s.close()
                time.sleep(0.1)
        if self.sock is None:
            raise OSError("no QMP socket at %s" % qmp_socket)
        self.file = self.sock.makefile("rw")
        self.events = []
        self.file.readline()                  # the greeting
        self.command("qmp_capabilities")

    def command(self, name, args=None):
        """Run one command; its reply ({"return": ...} or {"error": ...})."""
        import json
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                return {"error": "QMP closed"}
            reply = json.loads(line)
            if "return" in reply or "error" in reply:
                return reply
            self.events.append(reply)

    def key_qcodes(self, ch):
        """The qcodes that type ch on a US keyboard (shift first, if needed)."""
        if ch.isalpha() and ch.isupper():
            return ["shift", ch.lower()]
        if ch.isalnum():
            return [ch]
        if ch in self.SHIFTED:
            return ["shift", self.SHIFTED[ch]]
        return [self.QCODES[ch]]

    def send_key(self, qcodes, hold_ms=50):
        """Press the keys together and let go (QEMU's sendkey): ["ctrl", "c"]."""
        keys = [{"type": "qcode", "data": k} for k in qcodes]
        return self.command("send-key", {"keys": keys, "hold-time": hold_ms})

    def send_keys(self, text, pause=0.05):
        """Type text on the emulated keyboard, one key (or shifted key) at a time."""
        for ch in text:
            reply = self.send_key(self.key_qcodes(ch))
            if "error" in reply:
                return reply
            time.sleep(pause)
        return {"return": {}}

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class CoreKeeper:
    """Watches QEMU's QMP socket; when the guest panics (GUEST_PANICKED),
    dumps its memory, with the kernel's page tables applied, as an ELF core
    gdb opens (`make gdb-core`), then lets it go on. on_dump(path, error) is
    called after the dump."""

    def __init__(self, qmp_socket, core_path, on_dump=None, connect_timeout=30):
        import threading
        self.socket = qmp_socket
        self.core = core_path
        self.on_dump = on_dump
        self.connect_timeout = connect_timeout
        self.dumped = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        import json
        import socket
        deadline = time.monotonic() + self.connect_timeout
        s = None
        while time.monotonic() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.socket)
                break
            except OSError:
                s.close()
                s = None
                time.sleep(0.1)
        if s is None:
            return
        f = s.makefile("rw")

        def command(name, args=None):
            msg = {"execute": name}
            if args:
                msg["arguments"] = args
            f.write(json.dumps(msg) + "\n")
            f.flush()
            while True:
                line = f.readline()
                if not line:
                    return {"error": "QMP closed"}
                reply = json.loads(line)
                if "return" in reply or "error" in reply:
                    return reply

        try:
            f.readline()                      # the greeting
            command("qmp_capabilities")
            while True:
                line = f.readline()
                if not line:
                    return
                event = json.loads(line)
                if event.get("event") != "GUEST_PANICKED":
                    continue
                reply = command("dump-guest-memory",
                                {"paging": True, "protocol": "file:" + os.path.abspath(self.core)})
                if "error" in reply:
                    self.error = str(reply["error"])
                self.dumped.set()
                if self.on_dump:
                    self.on_dump(self.core, self.error)
                command("cont")
                return
        except (OSError, ValueError):
            return
        finally:
            s.close()
