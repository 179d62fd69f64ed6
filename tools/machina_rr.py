"""machina_rr - QEMU's record/replay for Machina: `make record` and
`make replay` (docs/debugging.md, "Going backwards").

A recording is a directory:
  kernel.elf, initrd.cpio   copies of what was booted, so a rebuild does not
                            break the replay (and gdb reads these symbols)
  events.bin                QEMU's log of every non-deterministic input
                            (interrupts' timing, the serial line, the clock)
  snapshots.qcow2           where QEMU keeps the snapshot taken at the start,
                            from which reverse execution replays forward
  recording.txt             the boot-args, the memory size and any extra
                            QEMU arguments (replay needs the same machine),
                            one per line

Recording runs QEMU with -icount (instruction counting: guest time is the
number of instructions executed) on TCG with one CPU, which is what QEMU's
record/replay supports; replay feeds the same inputs back at the same
instruction counts, so the run is the same down to the instruction, and
gdb's reverse-stepi, reverse-continue and reverse-finish work through the
stub.
"""
import os
import shutil
import subprocess

import machina_qemu

SNAPSHOT_SIZE = "64M"   # the qcow2 only holds snapshots of the guest's state
ICOUNT_SHIFT = "auto"


def rr_args(mode, directory):
    """-icount and the snapshot drive for mode "record" or "replay"."""
    events = os.path.join(directory, "events.bin")
    snaps = os.path.join(directory, "snapshots.qcow2")
    return ["-icount", "shift=%s,rr=%s,rrfile=%s,rrsnapshot=init" % (ICOUNT_SHIFT, mode, events),
            "-drive", "file=%s,if=none,id=rrsnapshots" % snaps, "-net", "none"]


def prepare_recording(directory, kernel, initrd, args, mem, extra=()):
    """Make directory a fresh recording of kernel and initrd: copies them,
    writes recording.txt, and makes the snapshot image. Returns the paths
    of the copies (kernel, initrd)."""
    if os.path.isdir(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    k = os.path.join(directory, "kernel.elf")
    shutil.copyfile(kernel, k)
    i = None
    if initrd:
        i = os.path.join(directory, "initrd.cpio")
        shutil.copyfile(initrd, i)
    with open(os.path.join(directory, "recording.txt"), "w") as f:
        f.write("%s\n%s\n%s\n" % (args, mem, "\t".join(extra)))
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                    os.path.join(directory, "snapshots.qcow2"), SNAPSHOT_SIZE],
                   check=True, timeout=60, stdin=subprocess.DEVNULL)
    return k, i


def read_recording(directory):
    """(kernel, initrd or None, args, mem, extra) of a recording, or raise
    ValueError saying what is missing."""
    meta = os.path.join(directory, "recording.txt")
    for need in (meta, os.path.join(directory, "events.bin"),
                 os.path.join(directory, "kernel.elf"),
                 os.path.join(directory, "snapshots.qcow2")):
        if not os.path.exists(need):
            raise ValueError("%s is not a recording (no %s): make one with `make record`"
                             % (directory, os.path.basename(need)))
    with open(meta) as f:
        lines = f.read().split("\n")
    args, mem = lines[0], (lines[1] if len(lines) > 1 and lines[1] else "256M")
    extra = lines[2].split("\t") if len(lines) > 2 and lines[2] else []
    initrd = os.path.join(directory, "initrd.cpio")
    return (os.path.join(directory, "kernel.elf"),
            initrd if os.path.exists(initrd) else None, args, mem, extra)


def record_cmd(directory, kernel, initrd, args, mem, extra=()):
    """The QEMU command that records a direct boot into directory (made
    afresh). The caller adds the console (serial) arguments."""
    k, i = prepare_recording(directory, kernel, initrd, args, mem, extra)
    cmd = machina_qemu.base_cmd("tcg", mem, 1)
    cmd += machina_qemu.direct_args(k, i, args)
    return cmd + rr_args("record", directory) + list(extra)


def replay_cmd(directory):
    """The QEMU command that replays directory's recording, with the
    recording's extra arguments; the caller adds the serial and gdb
    arguments. Raises ValueError if it is not one."""
    kernel, initrd, args, mem, extra = read_recording(directory)
    cmd = machina_qemu.base_cmd("tcg", mem, 1)
    cmd += machina_qemu.direct_args(kernel, initrd, args)
    return cmd + rr_args("replay", directory) + extra
