#!/usr/bin/env python3
"""test_gdb.py - the gdb tier: tools/gdb's macros against a live kernel.

    python3 tests/gdb/test_gdb.py --build build --accel tcg

Builds nothing (run `make` first). Prints TAP (tests/tap.py); the exit
status is non-zero if a check failed.

Three parts:
  host     the msgbuf ring rules (tools/gdb/machina_gdb/logbuf.py) on
           made-up rings: empty, partly full, wrapped, corrupt.
  offline  gdb with machina.py but no kernel: `help machina` and `help`
           for each command, the commands refusing politely, and
           machina-attach to a port where nothing listens.
  live     one QEMU, halted (-S) with its gdb stub on a free port, booted
           with the HelloSysctl sample kext (kext=), and one gdb in batch
           mode driving it through five stops:
             reset             QEMU's first instruction (real mode, kernel
                               memory not mapped): every command answers
                               with a message, never a traceback;
             kernel_bootstrap  the breakpoint hits, bt shows it called from
                               x86_64_boot_start with file names, bootargs
                               says PE_state is not set up yet;
             HelloSysctl_start set by name before the kext is loaded (a
                               pending breakpoint), hit once the kext hook
                               has loaded its symbols; bt shows the loader;
             kconsole_main     showallkmods lists the kext; dmesg has the banner, -n works, bootargs
                               shows the line given to QEMU, no panic,
                               sysctl walks the MIB; showallprocs
                               and showproc list kernproc;
             panic_stop        after `panic` typed on the serial console,
                               paniclog shows the message and the report.
  one terminal  tools/debug-gdb (`make debug-gdb`) breaking in
           kconsole_main with the serial console in a file; and gdb
           attaching to a kernel already running with its stub (`make run
           GDBSTUB=1`), which finds the kexts and each CPU's thread; and
           debug=0x1, where the kernel waits for gdb, which stops it and
           lets it go on.
  hwbreak  machina-hwbreak: software breakpoints chosen at attach under
           TCG; `on` makes `break kernel_bootstrap` a hardware breakpoint,
           which hits; `off` removes the region again. Then the symbols
           are reloaded 2 MiB off, as a slid kernel would leave them, and
           machina-slide finds the IDT where it is and puts them right.
  locks    an in-kernel test holding a mutex another thread sleeps on
           stops in the debugger; showlocks names both.
  core     a panic makes QEMU (pvpanic, QMP) save the guest's memory, and
           gdb opens the core as `make gdb-core` does: the panic report, the
           kexts and their symbols, the backtrace.
  guest    on a running system with a shell, showallkmods and showallprocs
           agree with kextstat and ps run inside it.
  replay   a run recorded as `make record` does (tools/machina_rr.py: a
           test that faults on purpose and panics), replayed under gdb as
           `make replay` does: a breakpoint hits, stepi twice and
           reverse-stepi twice come back to it at the same instruction
           count, and a second replay stops there at that count again.
Every QEMU and gdb run has a timeout; QEMU is killed in the end whatever
happened. The whole tier takes a few seconds under TCG.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tools", "gdb"))
import tap  # noqa: E402
import machina_qemu  # noqa: E402
import machina_rr  # noqa: E402
from machina_gdb import logbuf  # noqa: E402

GDB_SCRIPT = os.path.join(ROOT, "tools", "gdb", "machina.py")
BOOT_ARGS = "-v debug=0 init=none kext=org.machina.sample.HelloSysctl"  # init=none: the kernel console, not /sbin/init
PANIC_MESSAGE = "gdb-tier-panic"
BANNER = "Machina Kernel Version"

GDB_TIMEOUT = 45        # seconds for the whole live gdb session
OFFLINE_TIMEOUT = 20    # seconds for a gdb run without QEMU
STUB_WAIT = 10          # seconds for QEMU's gdb stub to listen
QEMU_TRIES = 3          # fresh ports to try if QEMU cannot bind one

# Where a section of the gdb output starts (see gdb_steps).
MARK = "@@ step "
PYTHON_FAILURE = re.compile(r"Traceback|Python Exception|Error occurred in Python|internal error")


# --- the host part -----------------------------------------------------------

def ring_log(ring, bufx):
    """What the dmesg command would print for a ring of these bytes."""
    pieces, lost = logbuf.spans(len(ring), bufx)
    data = b"".join(ring[off:off + n] for off, n in pieces)
    return logbuf.lines(data, lost), lost


def host_checks(t):
    empty = ring_log(b"\0" * 16, 0)
    t.ok(empty == ([], 0), "gdb.logbuf_empty", "got %r" % (empty,))

    partial = ring_log(b"one\ntwo\nthr\0\0\0\0\0", 11)
    t.ok(partial == (["one", "two", "thr"], 0), "gdb.logbuf_partial", "got %r" % (partial,))

    # 12 bytes written into 8 keep bytes 4..11, "a\nbb\ncc\n", the oldest at
    # 12 % 8 = 4; the "a" is what is left of an overwritten line.
    text = b"aaaaa\nbb\ncc\n"
    ring = bytearray(8)
    for i, c in enumerate(text):
        ring[i % 8] = c
    wrapped = ring_log(bytes(ring), len(text))
    t.ok(wrapped == (["bb", "cc"], 4), "gdb.logbuf_wrapped", "got %r" % (wrapped,))

    exact = ring_log(b"abc\ndef\n", 8)
    t.ok(exact == (["abc", "def"], 0) and logbuf.tail(exact[0], 1) == ["def"],
         "gdb.logbuf_full_and_tail", "got %r" % (exact,))

    problems = [
        logbuf.check_header(logbuf.MSG_MAGIC, 65536, 10, 65536),
        logbuf.check_header(0, 65536, 10, 65536),
        logbuf.check_header(logbuf.MSG_MAGIC, 0, 10, 65536),
        logbuf.check_header(logbuf.MSG_MAGIC, 1 << 30, 10, 65536),
    ]
    t.ok(problems[0] is None and all(problems[1:]), "gdb.logbuf_header_checks",
         "got %r" % problems)


# --- running gdb -------------------------------------------------------------

def gdb_cmd(steps):
    """gdb in batch mode with machina.py, each step's commands after a
    marker line so the output can be cut into sections."""
    cmd = ["gdb", "-batch", "-nx", "-x", GDB_SCRIPT]
    for name, commands in steps:
        cmd += ["-ex", "echo \\n%s%s\\n" % (MARK, name)]
        for c in commands:
            cmd += ["-ex", c]
    return cmd


def run_gdb(cmd, kernel, timeout, core=None):
    """(output, timed out): stdout and stderr together, in order."""
    proc = subprocess.Popen(cmd + [kernel] + ([core] if core else []), cwd=ROOT,
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        timed_out = True
    return out.decode("utf-8", "replace"), timed_out


def sections(output):
    """{step name: its output} from marked gdb output."""
    result = {"": ""}
    name = ""
    for line in output.splitlines(keepends=True):
        if line.startswith(MARK):
            name = line[len(MARK):].strip()
            result[name] = ""
        else:
            result[name] += line
    return result


def free_port():
    """A TCP port nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean(text):
    return not PYTHON_FAILURE.search(text)


# --- the offline part --------------------------------------------------------

def offline_checks(t, kernel):
    port = free_port()
    steps = [
        ("help", ["help machina"]),
        ("help-each", ["help machina-attach", "help dmesg", "help bootargs", "help paniclog"]),
        ("detached", ["dmesg", "bootargs", "paniclog"]),
        ("refused", ["machina-attach %d" % port]),
        ("usage", ["dmesg -n lots", "machina-attach host:port"]),
    ]
    start = time.monotonic()
    out, timed_out = run_gdb(gdb_cmd(steps), kernel, OFFLINE_TIMEOUT)
    elapsed = time.monotonic() - start
    s = sections(out)
    get = s.get

    text = get("help", "")
    t.ok(all(re.search(r"^\s+%s\s+\S" % re.escape(n), text, re.M)
             for n in ("machina-attach", "dmesg", "bootargs", "paniclog")),
         "gdb.help_machina", "help machina:\n" + (text or out))
    text = get("help-each", "")
    t.ok(text.count("Usage:") == 4 and clean(text), "gdb.help_commands",
         "help for each command:\n" + (text or out))
    text = get("detached", "")
    t.ok(text.count("not attached to a kernel") == 3 and clean(text),
         "gdb.commands_without_kernel", text or out)
    text = get("refused", "")
    t.ok("nothing is listening on 127.0.0.1:%d" % port in text and "make debug" in text
         and clean(text) and not timed_out and elapsed < 10,
         "gdb.attach_nothing_listening", "after %.1f s:\n%s" % (elapsed, text or out))
    text = get("usage", "")
    t.ok(text.count("usage:") == 2 and clean(text), "gdb.usage_errors", text or out)


# --- the live part -----------------------------------------------------------

def start_qemu(kernel, initrd, accel, workdir, args=None):
    """QEMU halted with its gdb stub listening; (process, port, serial path
    prefix). Raises RuntimeError if it never listens."""
    serial = os.path.join(workdir, "serial")
    os.mkfifo(serial + ".in")
    open(serial + ".out", "w").close()
    last = ""
    for _ in range(QEMU_TRIES):
        port = free_port()
        cmd = machina_qemu.base_cmd(accel, "256M", 1)
        cmd += machina_qemu.direct_args(kernel, initrd, BOOT_ARGS if args is None else args)
        cmd += ["-S", "-gdb", "tcp:127.0.0.1:%d" % port,
                "-chardev", "pipe,id=ser0,path=" + serial, "-serial", "chardev:ser0",
                "-display", "none", "-monitor", "none", "-no-reboot"]
        cmd += machina_qemu.DEBUG_EXIT
        log = os.path.join(workdir, "qemu.log")
        with open(log, "w") as f:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=f)
        if wait_listening(proc, port):
            return proc, port, serial
        stop_qemu(proc)
        last = read_text(log)
    raise RuntimeError("QEMU's gdb stub never listened:\n" + last)


def wait_listening(proc, port):
    """Poll until something accepts on port, while QEMU lives. (QEMU is
    halted, and a connection that closes at once leaves it halted.)"""
    deadline = time.monotonic() + STUB_WAIT
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop_qemu(proc):
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def live_steps(port, accel, serial_in):
    # TCG's stub keeps software breakpoints to itself, so `break` works on
    # higher-half addresses before paging; KVM's would write to a guest
    # page that is not there yet.
    brk = "break" if accel == "tcg" else "hbreak"
    type_panic = "python open(%r, 'w').write('panic %s\\r')" % (serial_in, PANIC_MESSAGE)
    return [
        ("attach", ["machina-attach %d" % port]),
        ("reset-dmesg", ["dmesg"]),
        ("reset-bootargs", ["bootargs"]),
        ("reset-paniclog", ["paniclog"]),
        ("to-bootstrap", ["%s kernel_bootstrap" % brk, "continue"]),
        ("bootstrap-bt", ["bt"]),
        ("bootstrap-bootargs", ["bootargs"]),
        # The sample kext loaded at boot (kext=): its start by name, set
        # before its symbols exist; the kext hook loads them in time.
        ("to-kext-start", ["set breakpoint pending on", "%s HelloSysctl_start" % brk,
                           "continue"]),
        ("kext-bt", ["bt 3", "print ki->name"]),
        ("to-kconsole", ["%s kconsole_main" % brk, "continue"]),
        ("kconsole-dmesg", ["dmesg"]),
        ("kconsole-dmesg-n", ["dmesg -n 2"]),
        ("kconsole-bootargs", ["bootargs"]),
        ("kconsole-paniclog", ["paniclog"]),
        ("kconsole-sysctl", ["sysctl kern"]),
        ("kconsole-procs", ["showallprocs", "showproc 0", "showproc 4242"]),
        ("kconsole-mounts", ["showallmounts", "showvnode rootvnode"]),
        ("kconsole-ipc", ["showallports", "showport realhost.host_self",
                          "showtaskrights kernel_task", "showportset realhost.host_self"]),
        ("kconsole-kmods", ["showallkmods", "info symbol HelloSysctl_stop",
                            "showkmod org.machina.sample.HelloSysctl", "showkmod 99"]),
        ("kconsole-threads", ["showalltasks", "showallthreads -b", "showcurrentthreads -b",
                              "showtaskthreads kernel_task", "zprint kalloc.6",
                              "showvmmap kernel_task", "showvmobject kernel_object",
                              "showioreg -l"]),
        # Breakpoint 3 goes first: resuming from a breakpoint steps over it,
        # and QEMU's TCG stub can end that step without moving when the
        # serial input typed below is already pending, which gdb reports
        # as breakpoint 3 hit again.
        ("to-panic", ["delete 3", "%s panic_stop" % brk, type_panic, "continue"]),
        ("panic-paniclog", ["paniclog"]),
        ("end", []),
    ]


# The results live_session reports, in order.
LIVE_CHECKS = [
    "gdb.attach_halted_qemu", "gdb.early_dmesg", "gdb.early_bootargs", "gdb.early_paniclog",
    "gdb.break_kernel_bootstrap", "gdb.backtrace_bootstrap", "gdb.bootargs_before_init",
    "gdb.break_kext_start", "gdb.backtrace_kext_start", "gdb.break_kconsole_main", "gdb.dmesg_banner", "gdb.dmesg_last_lines",
    "gdb.bootargs_line", "gdb.paniclog_no_panic", "gdb.sysctl_tree", "gdb.showallprocs", "gdb.showallmounts", "gdb.ipc_ports", "gdb.showallkmods", "gdb.threads", "gdb.paniclog_after_panic",
    "gdb.no_python_errors",
]
HOST_CHECKS = 5
OFFLINE_CHECKS = 5
ONE_TERMINAL_CHECKS = 3
LOCK_CHECKS = 1
HWBREAK_CHECKS = 3
CORE_CHECKS = 1
GUEST_VIEW_CHECKS = 2
REPLAY_CHECKS = 2
REPLAY_TIMEOUT = 90     # seconds for a replay under gdb


def guest_view_checks(t, kernel, initrd, accel):
    """The macros against the guest's own tools, on one running system
    (init, the shell, a kext loaded at boot): showallkmods lists what
    kextstat lists, with the same indexes and addresses; showallprocs the
    processes ps lists."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
    from test_shell import SHELL_PROMPT, Shell
    port = free_port()
    guest_kexts = guest_ps = None
    with machina_qemu.Session(kernel=kernel, initrd=initrd, accel=accel,
                              args="kext=org.machina.sample.HelloSysctl",
                              extra=["-gdb", "tcp:127.0.0.1:%d" % port]) as s:
        sh = Shell(s)
        if s.expect(SHELL_PROMPT, 90) is not None and sh.run("echo re''ady") is not None:
            guest_kexts = sh.run("kextstat -l -k")
            guest_ps = sh.run("ps ax")
        out, timed_out = run_gdb(gdb_cmd([("attach", ["machina-attach %d" % port]),
                                          ("kmods", ["showallkmods"]),
                                          ("procs", ["showallprocs"])]), kernel, GDB_TIMEOUT)
        s.close()
    sec = sections(out)
    # kextstat -l: index refs address size wired name (version) <deps>
    want = sorted((int(m.group(1)), int(m.group(2), 16), m.group(3)) for m in re.finditer(
        r"^\s*(\d+)\s+\d+\s+(0x[0-9a-f]+)\s+\S+\s+\S+\s+(\S+) \(", guest_kexts or "", re.M))
    got = sorted((int(m.group(3)), int(m.group(1), 16), m.group(4)) for m in re.finditer(
        r"^0x[0-9a-f]{16} (0x[0-9a-f]{16}) (0x[0-9a-f]+)\s+(\d+)\s+\d+ \S+\s+(\S+)$",
        sec.get("kmods", ""), re.M))
    t.ok(want and want == got and clean(out) and not timed_out, "gdb.showallkmods_agrees_with_kextstat",
         "kextstat: %r\nshowallkmods: %r\n%s\n%s" % (want, got, guest_kexts, out))
    guest_pids = set(int(m.group(1)) for m in re.finditer(r"^\s*(\d+)\s+\d+\s+\S+\s+\S+\s+(init|-?sh)$",
                                                            guest_ps or "", re.M))
    gdb_pids = set(int(m.group(1)) for m in re.finditer(r"^\s*(\d+)\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s+\d+\s+"
                                                          r"0x[0-9a-f]{16}\s+0x[0-9a-f]{16}\s+(init|-?sh)$",
                                                          sec.get("procs", ""), re.M))
    t.ok(guest_pids and guest_pids == gdb_pids and 1 in gdb_pids and clean(out),
         "gdb.showallprocs_agrees_with_ps",
         "ps: %r\nshowallprocs: %r\n%s\n%s" % (guest_pids, gdb_pids, guest_ps, out))


def core_checks(t, kernel, initrd, accel):
    """A panic leaves a core (pvpanic tells QEMU, which is asked over QMP to
    dump the guest's memory, as `make run CORE=...` does), and gdb opens it
    as `make gdb-core` does: the panic, the kexts with their symbols."""
    workdir = tempfile.mkdtemp(prefix="machina-gdb-core-")
    try:
        qmp = os.path.join(workdir, "qmp")
        core = os.path.join(workdir, "machina.core")
        keeper = None
        with machina_qemu.Session(kernel=kernel, initrd=initrd, args="init=none", accel=accel,
                                  extra=machina_qemu.core_args(qmp)) as s:
            keeper = machina_qemu.CoreKeeper(qmp, core)
            up = s.expect("machina> ", 60) is not None
            if up:
                s.send("panic for the core\n")
                keeper.dumped.wait(60)
                s.expect("System halted", 30)
            serial = s.output
        if os.path.exists(core):
            out, timed_out = run_gdb(["gdb", "-batch", "-nx", "-x", GDB_SCRIPT,
                                      "-ex", "kextsymbols", "-ex", "paniclog", "-ex", "showallkmods",
                                      "-ex", "info symbol BootLoaded_start", "-ex", "bt 4"],
                                     kernel, GDB_TIMEOUT, core=core)
        else:
            out, timed_out = "no core was written\n" + serial[-1500:], False
        t.ok(keeper is not None and keeper.error is None and os.path.exists(core)
             and re.search(r"^panic: for the core$", out, re.M)
             and "org.machina.test.BootLoaded" in out
             and re.search(r"^BootLoaded_start in section \.text of .*BootLoaded$", out, re.M)
             and clean(out) and not timed_out, "gdb.core_after_a_panic", out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def replay_gdb(directory, port, commands):
    """tools/debug-gdb --replay (`make replay`) in batch mode: its output."""
    cmd = [sys.executable, os.path.join(ROOT, "tools", "debug-gdb"), "--replay", directory,
           "--gdb-port", str(port), "--serial-log", os.path.join(directory, "replay.log"),
           "--", "-batch"]
    for c in commands:
        cmd += ["-ex", c]
    try:
        p = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=REPLAY_TIMEOUT)
        return p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return "timed out\n" + out


def replay_checks(t, kernel, initrd):
    """Record a run that panics, replay it under gdb, and go backwards."""
    workdir = tempfile.mkdtemp(prefix="machina-gdb-rr-")
    rr = os.path.join(workdir, "rr")
    counts = re.compile(r"^Replaying execution '.*': instruction count = (\d+)$", re.M)
    where = "ktest_selftest_faults_on_purpose"
    try:
        cmd = machina_rr.record_cmd(rr, kernel, initrd, "tests=selftest.faults_on_purpose",
                                    "256M", extra=machina_qemu.DEBUG_EXIT)
        cmd += ["-serial", "file:" + os.path.join(rr, "record.log"), "-display", "none",
                "-monitor", "none"]
        try:
            rec = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                                 text=True, timeout=REPLAY_TIMEOUT)
            status = machina_qemu.decode_exit(rec.returncode)
        except subprocess.TimeoutExpired:
            status = None
        recorded = read_text(os.path.join(rr, "record.log"))
        out = replay_gdb(rr, free_port(), [
            "break " + where, "continue", "monitor info replay", "stepi", "stepi",
            "reverse-stepi", "reverse-stepi", "p $pc", "monitor info replay"])
        n = counts.findall(out)
        t.ok(status == machina_qemu.EXIT_PANIC and "panic(cpu 0" in recorded
             and len(n) == 2 and n[0] == n[1]
             and re.search(r"^\$1 = .* <%s>$" % where, out, re.M) is not None
             and len(re.findall(r"^Breakpoint 1, %s " % where, out, re.M)) == 2
             and clean(out), "gdb.replay_goes_backwards",
             "record status %s\n%s" % (status, out[-3000:]))
        again = replay_gdb(rr, free_port(), ["break " + where, "continue",
                                              "monitor info replay"])
        m = counts.findall(again)
        # Going backwards replays from the start again, writing the console
        # twice; this second replay only went forwards.
        replayed = read_text(os.path.join(rr, "replay.log"))
        t.ok(len(n) >= 1 and m == n[:1] and replayed and recorded.startswith(replayed)
             and "# selftest.faults_on_purpose" in replayed, "gdb.replay_is_deterministic",
             "first %s, again %s\nreplayed console:\n%s" % (n, m, replayed[-1500:]))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def lock_checks(t, kernel, initrd, accel):
    """showlocks on a real contended mutex: an in-kernel test holds one while
    a thread sleeps on it, and stops in the debugger (PE_enter_debugger)."""
    workdir = tempfile.mkdtemp(prefix="machina-gdb-locks-")
    qemu = None
    try:
        try:
            qemu, port, serial = start_qemu(kernel, initrd, accel, workdir,
                                            "tests=locks.a_contended_mutex_for_the_debugger")
        except (RuntimeError, OSError) as e:
            t.ok(False, "gdb.showlocks", str(e))
            return
        out, timed_out = run_gdb(gdb_cmd([("attach", ["machina-attach %d" % port]),
                                          ("go", ["continue"]), ("locks", ["showlocks"])]),
                                 kernel, GDB_TIMEOUT)
        s = sections(out)
        t.ok("the kernel entered the debugger: locks: a contended mutex" in s.get("go", "")
             and re.search(r"^0x[0-9a-f]{16} mutex ktest\.contended\s+0x[0-9a-f]+ \(kernel_bootstrap, "
                           r".*\) 0x[0-9a-f]+ \(contender, kernel_task\)$", s.get("locks", ""), re.M)
             and clean(out) and not timed_out, "gdb.showlocks", out)
    finally:
        if qemu is not None:
            stop_qemu(qemu)
        shutil.rmtree(workdir, ignore_errors=True)


def hwbreak_checks(t, kernel, initrd, accel):
    """machina-hwbreak: what machina-attach chose for this accelerator, then
    `on` by hand: `break` in the text sets a hardware breakpoint, which QEMU
    honours under TCG as under KVM, and it hits before paging is on."""
    workdir = tempfile.mkdtemp(prefix="machina-gdb-hw-")
    qemu = None
    try:
        try:
            qemu, port, serial = start_qemu(kernel, initrd, accel, workdir)
        except (RuntimeError, OSError) as e:
            for name in ("gdb.hwbreak_auto", "gdb.hwbreak_on", "gdb.slide"):
                t.ok(False, name, str(e))
            return
        out, timed_out = run_gdb(gdb_cmd([
            ("attach", ["machina-attach %d" % port]),
            ("status", ["machina-hwbreak"]),
            ("on", ["machina-hwbreak on", "break kernel_bootstrap", "continue"]),
            ("off", ["machina-hwbreak off", "info mem", "machina-hwbreak bogus"]),
            # Symbols 2 MiB off, as a slid kernel would leave them: found and put right.
            ("misplaced", ["symbol-file -o 0x200000 %s" % kernel, "info symbol $pc"]),
            ("slide", ["machina-slide", "info symbol $pc"]),
            ("end", [])]), kernel, GDB_TIMEOUT)
        s = sections(out)
        want = "hardware breakpoints for" if accel == "kvm" else "software breakpoints for"
        t.ok(want in s.get("status", "") and clean(out) and
             (("QEMU runs under KVM" in s.get("attach", "")) == (accel == "kvm")),
             "gdb.hwbreak_auto", out)
        t.ok("automatically using hardware breakpoints for read-only addresses" in s.get("on", "")
             and re.search(r"^Breakpoint 1, kernel_bootstrap \(", s.get("on", ""), re.M)
             and "software breakpoints for" in s.get("off", "")
             and " ro " not in s.get("off", "")
             and "usage: machina-hwbreak" in s.get("off", "")
             and clean(out) and not timed_out, "gdb.hwbreak_on", out)
        t.ok("kernel_bootstrap" not in s.get("misplaced", "")
             and "the kernel is -0x200000 from where its symbols said; symbols reloaded at "
                 "offset 0x0" in s.get("slide", "")
             and re.search(r"^kernel_bootstrap( \+ \d+)? in section \.text", s.get("slide", ""),
                           re.M)
             and "machina-slide: " not in s.get("attach", "") and clean(out),
             "gdb.slide", out)
    finally:
        if qemu is not None:
            stop_qemu(qemu)
        shutil.rmtree(workdir, ignore_errors=True)


def one_terminal_checks(t, kernel, initrd, accel):
    """`make debug-gdb` (tools/debug-gdb: QEMU in the background, gdb here),
    and attaching to a kernel already running with the stub (`make run
    GDBSTUB=1`, then `make gdb`)."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="machina-gdb1-")
    try:
        cmd = [sys.executable, os.path.join(ROOT, "tools", "debug-gdb"), "--kernel", kernel,
               "--initrd", initrd, "--accel", accel, "--gdb-port", str(port),
               "--args", "init=none", "--serial-log", os.path.join(workdir, "serial.log"), "--",
               "-batch", "-ex", "break kconsole_main", "-ex", "continue", "-ex", "showallkmods"]
        try:
            p = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=GDB_TIMEOUT)
            out = p.stdout + p.stderr
        except subprocess.TimeoutExpired as e:
            out = "timed out\n%s" % (e.stdout or "")
        t.ok(re.search(r"^Breakpoint 1, kconsole_main \(\)", out, re.M)
             and "org.machina.test.BootLoaded" in out and clean(out)
             and BANNER in read_text(os.path.join(workdir, "serial.log")),
             "gdb.debug_gdb_one_terminal", out)

        # debug=0x1: the kernel waits in PE_enter_debugger_wait; gdb stops
        # there, says why, and `continue` lets it boot on.
        port = free_port()
        cmd = [sys.executable, os.path.join(ROOT, "tools", "debug-gdb"), "--kernel", kernel,
               "--initrd", initrd, "--accel", accel, "--gdb-port", str(port),
               "--args", "debug=0x1 init=none", "--serial-log",
               os.path.join(workdir, "halt.log"), "--",
               "-batch", "-ex", "break kconsole_main", "-ex", "continue", "-ex", "bt 3",
               "-ex", "continue"]
        try:
            p = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=GDB_TIMEOUT)
            out = p.stdout + p.stderr
        except subprocess.TimeoutExpired as e:
            out = "timed out\n%s" % (e.stdout or "")
        t.ok("machina: the kernel entered the debugger: debug=0x1" in out
             and re.search(r"^#2\s+PE_enter_debugger_wait .* at kernel/debug\.c:\d+", out, re.M)
             and re.search(r"^Breakpoint 1, kconsole_main \(\)", out, re.M) and clean(out)
             and "debug=0x1: waiting for the debugger" in read_text(os.path.join(workdir, "halt.log")),
             "gdb.debug_halt_waits_for_gdb", out)

        # A kernel already running: QEMU with the stub but not halted.
        port = free_port()
        qcmd = machina_qemu.base_cmd(accel, "256M", 1)
        qcmd += machina_qemu.direct_args(kernel, initrd, "init=none")
        serial = os.path.join(workdir, "running.log")
        qcmd += ["-serial", "file:" + serial, "-display", "none", "-monitor", "none",
                 "-gdb", "tcp:127.0.0.1:%d" % port]
        qemu = subprocess.Popen(qcmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and "machina> " not in read_text(serial):
                time.sleep(0.2)
            out, timed_out = run_gdb(gdb_cmd([("attach", ["machina-attach %d" % port]),
                                              ("look", ["showallkmods", "showcurrentthreads"])]),
                                     kernel, GDB_TIMEOUT)
        finally:
            stop_qemu(qemu)
        s = sections(out)
        t.ok("attached to 127.0.0.1:%d" % port in s.get("attach", "")
             and "org.machina.test.BootLoaded" in s.get("look", "")
             and "CPU 0:" in s.get("look", "") and clean(out) and not timed_out,
             "gdb.attach_to_a_running_kernel", out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def early_check(t, s, step, name):
    """At QEMU's first instruction: one message naming the command."""
    text = s.get(step, "")
    body = [line for line in text.splitlines() if line.strip()]
    t.ok(len(body) >= 1 and all(line.startswith(name + ": ") for line in body) and clean(text),
         "gdb.early_" + name, "at the reset vector, %s printed:\n%s" % (name, text))


def live_checks(t, s, port):
    text = s.get("attach", "")
    t.ok("attached to 127.0.0.1:%d" % port in text and "not started yet" in text and clean(text),
         "gdb.attach_halted_qemu", text)

    for step, name in (("reset-dmesg", "dmesg"), ("reset-bootargs", "bootargs"),
                       ("reset-paniclog", "paniclog")):
        early_check(t, s, step, name)

    text = s.get("to-bootstrap", "")
    t.ok(re.search(r"^Breakpoint 1, kernel_bootstrap \(.*\) at kernel/startup\.c:\d+", text, re.M),
         "gdb.break_kernel_bootstrap", text)
    text = s.get("bootstrap-bt", "")
    t.ok(re.search(r"^#0\s+kernel_bootstrap \(.*\) at kernel/startup\.c:\d+\n"
                   r"#1\s+0x[0-9a-f]+ in x86_64_boot_start \(.*\) at kernel/x86_64/start\.c:\d+",
                   text, re.M),
         "gdb.backtrace_bootstrap", text)
    text = s.get("bootstrap-bootargs", "")
    t.ok("PE_state is not initialized yet" in text and re.search(r"^\s+tests\s+string", text, re.M)
         and clean(text), "gdb.bootargs_before_init", text)

    text = s.get("to-kext-start", "")
    t.ok(re.search(r"^Breakpoint 2, HelloSysctl_start \(ki=0x[0-9a-f]+ <kmod_info>, data=0x0\) at "
                   r"HelloSysctl\.c:\d+", text, re.M) and clean(text),
         "gdb.break_kext_start", text)
    text = s.get("kext-bt", "")
    t.ok(re.search(r"^#0\s+HelloSysctl_start .* at HelloSysctl\.c:\d+\n#1\s+0x[0-9a-f]+ in "
                   r"kext_load_bundle .* at libkern/OSKext\.c:\d+", text, re.M)
         and '"org.machina.sample.HelloSysctl"' in text and clean(text),
         "gdb.backtrace_kext_start", text)

    text = s.get("to-kconsole", "")
    t.ok(re.search(r"^Breakpoint 3, kconsole_main \(\)", text, re.M), "gdb.break_kconsole_main",
         text)
    text = s.get("kconsole-dmesg", "")
    t.ok(re.search(r"^%s \S" % BANNER, text, re.M) and clean(text), "gdb.dmesg_banner", text)
    full = [line for line in text.splitlines() if line]
    tail = s.get("kconsole-dmesg-n", "").rstrip("\n").splitlines()
    t.ok(len(tail) == 2 and full[-2:] == tail, "gdb.dmesg_last_lines",
         "dmesg -n 2 printed %r; the log ends %r" % (tail, full[-2:]))
    text = s.get("kconsole-bootargs", "")
    t.ok('boot-args:  "%s"' % BOOT_ARGS in text and re.search(r"\)\s+usable\s", text)
         and "modules:    1" in text and clean(text), "gdb.bootargs_line", text)
    text = s.get("kconsole-paniclog", "")
    t.ok(text.strip() == "No panic: panicstr is NULL.", "gdb.paniclog_no_panic", text)
    text = s.get("kconsole-sysctl", "")
    t.ok(re.search(r'^1\.1\s+kern\.ostype\s+string\s+RD,LOCKED\s+"Machina"$', text, re.M)
         and re.search(r"^1\.10\s+kern\.hostname\s+string\s+RD,WR", text, re.M)
         and "hw." not in text and clean(text), "gdb.sysctl_tree", text)

    text = s.get("kconsole-procs", "")
    t.ok(re.search(r"^\s+PID\s+PPID\s+PGID\s+SID\s+UID\s+STAT", text, re.M)
         and re.search(r"^\s+0\s+0\s+0\s+0\s+0\s+run\s+\d+\s+0x[0-9a-f]{16}\s+0x[0-9a-f]{16}\s+\S",
                       text, re.M)
         and "credentials: uid 0 ruid 0 gid 0 rgid 0" in text
         and "showproc: no process with pid 4242" in text and clean(text), "gdb.showallprocs", text)

    text = s.get("kconsole-mounts", "")
    t.ok(re.search(r"^0x[0-9a-f]{16} ramfs\s+initrd\s+0x0{16} 0x[0-9a-f]{16}\s+\d+\s+\d+$",
                   text, re.M)
         and re.search(r"^0x[0-9a-f]{16} devfs\s+devfs\s+0x[0-9a-f]{16} 0x[0-9a-f]{16}", text, re.M)
         and re.search(r"^vnode 0x[0-9a-f]{16}: VDIR, iocount \d+, usecount [1-9]", text, re.M)
         and clean(text), "gdb.showallmounts", text)

    text = s.get("kconsole-ipc", "")
    t.ok(re.search(r"^PORT\s+KIND\s+SEND\s+SONCE\s+MSGS/LIM", text, re.M)
         and re.search(r"^0x[0-9a-f]{16} host\s+\d+\s+\d+\s+0/5\s+\d+\s+\d+\s+kernel$", text, re.M)
         and re.search(r"^kernel object: 0x[0-9a-f]+$", text, re.M)
         and "has no IPC space" in text
         and "showportset: realhost.host_self is not a port set" in text and clean(text),
         "gdb.ipc_ports", text)

    text = s.get("kconsole-kmods", "")
    t.ok(re.search(r"^kmod\s+address\s+size\s+id\s+refs\s+version\s+name$", text, re.M)
         and re.search(r"^0x[0-9a-f]{16} 0xffffffff[0-9a-f]{8} 0x[0-9a-f]+\s+\d+\s+0 1\.0\.0\s+"
                       r"org\.machina\.sample\.HelloSysctl$", text, re.M)
         and re.search(r"^HelloSysctl_stop in section \.text of .*HelloSysctl$", text, re.M)
         and re.search(r"^org\.machina\.sample\.HelloSysctl \(1\.0\.0\), index \d+, kmod_info 0x",
                       text, re.M)
         and "linked against: org.machina.kpi.bsd (1), org.machina.kpi.iokit (2), "
             "org.machina.kpi.libkern (3)" in text
         and "showkmod: no loaded kext 99" in text
         and clean(text), "gdb.showallkmods", text)

    text = s.get("kconsole-threads", "")
    t.ok(re.search(r"^0x[0-9a-f]{16} kernel_task\s+\d+\s+0 0x[0-9a-f]{16}", text, re.M)
         and re.search(r"^0x[0-9a-f]{16}\s+\d+ kernel_task\s+cons input\s+W", text, re.M)
         and re.search(r"^\s+#\d+\s+0x[0-9a-f]{16} thread_block\+0x[0-9a-f]+ at "
                       r"mach/kern/sched_prim\.c:\d+$", text, re.M)
         and re.search(r"^CPU 0:\n.*\n\s+0x[0-9a-f]{16}\s+0 kernel_task\s+kernel_bootstrap\s+R",
                       text, re.M)
         and re.search(r"^\s+#0\s+0x[0-9a-f]{16} kconsole_main\+0x0 at kernel/kconsole\.c:\d+$",
                       text, re.M)
         and re.search(r"^kalloc\.64\s+64\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+0$",
                       text, re.M)
         and not re.search(r"^kalloc\.128 ", text, re.M)
         and re.search(r"^map 0x[0-9a-f]+: \d+ entries, 0x[0-9a-f]+ bytes mapped, "
                       r"\[0xffffff0000000000, 0xffffff8000000000\)", text, re.M)
         and re.search(r"^0xffffff[0-9a-f]{10} 0xffffff[0-9a-f]{10}\s+[0-9a-f]+ rw-/rw- none\s+1\s+"
                       r"0x[0-9a-f]{16}", text, re.M)
         and re.search(r"^0x[0-9a-f]+: \d+ refs, \d+ resident pages, 0x8000000000 bytes, "
                       r"anonymous$", text, re.M)
         and re.search(r"^\+-o Root  <class IORegistryEntry, id 0x[0-9a-f]+, retain \d+>$", text, re.M)
         and re.search(r"^  \+-o IOResources  <class IOResources, id 0x[0-9a-f]+, retain \d+, "
                       r"registered", text, re.M)
         and '"IOName" = "IOResources"' in text
         and clean(text), "gdb.threads", text)

    text = s.get("to-panic", "") + s.get("panic-paniclog", "")
    t.ok(re.search(r"^Breakpoint 4, panic_stop", text, re.M)
         and re.search(r"^panic: %s$" % PANIC_MESSAGE, text, re.M)
         and re.search(r"^\s+panic\(cpu 0 caller 0x[0-9a-f]+\): %s$" % PANIC_MESSAGE, text, re.M)
         and clean(text), "gdb.paniclog_after_panic", text)


def live_session(t, kernel, initrd, accel):
    workdir = tempfile.mkdtemp(prefix="machina-gdb-")
    qemu = None
    try:
        try:
            qemu, port, serial = start_qemu(kernel, initrd, accel, workdir)
        except (RuntimeError, OSError) as e:
            for name in LIVE_CHECKS:
                t.ok(False, name, str(e))
            return
        out, timed_out = run_gdb(gdb_cmd(live_steps(port, accel, serial + ".in")), kernel,
                                 GDB_TIMEOUT)
        if timed_out:
            t.diag("gdb timed out after %d s" % GDB_TIMEOUT)
        live_checks(t, sections(out), port)
        t.ok(clean(out) and not timed_out and MARK + "end" in out, "gdb.no_python_errors",
             out + "\n--- serial ---\n" + read_text(serial + ".out"))
    finally:
        if qemu is not None:
            stop_qemu(qemu)
        shutil.rmtree(workdir, ignore_errors=True)


def read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError as e:
        return str(e)


def main():
    ap = argparse.ArgumentParser(description="the gdb test tier")
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg", choices=["tcg", "kvm"])
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    kernel = os.path.join(build, "kernel.elf")
    initrd = os.path.join(build, "initrd.cpio")

    t = tap.Writer()
    missing = [what for what, there in (
        ("gdb", shutil.which("gdb")), ("qemu-system-x86_64", shutil.which("qemu-system-x86_64")),
        (kernel + " (run make)", os.path.exists(kernel))) if not there]
    if missing:
        t.plan(HOST_CHECKS + 1)
        host_checks(t)
        t.ok(False, "gdb.setup", "missing: " + ", ".join(missing))
        return t.finish()
    t.plan(HOST_CHECKS + OFFLINE_CHECKS + len(LIVE_CHECKS) + ONE_TERMINAL_CHECKS + LOCK_CHECKS
           + HWBREAK_CHECKS + CORE_CHECKS + GUEST_VIEW_CHECKS + REPLAY_CHECKS)
    host_checks(t)
    offline_checks(t, kernel)
    live_session(t, kernel, initrd if os.path.exists(initrd) else None, args.accel)
    one_terminal_checks(t, kernel, initrd, args.accel)
    lock_checks(t, kernel, initrd, args.accel)
    hwbreak_checks(t, kernel, initrd, args.accel)
    core_checks(t, kernel, initrd, args.accel)
    guest_view_checks(t, kernel, initrd, args.accel)
    replay_checks(t, kernel, initrd)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
