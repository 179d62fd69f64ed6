#!/usr/bin/env python3
"""test_storage.py - the storage family (docs/iokit-storage.md) on the
RAMDisk test kext's two memory disks, seen from user space.

    tests/iokit/test_storage.py [--build build] [--accel tcg]

One boot with a copy of the initrd that has tests/kexts/RAMDisk in
/System/Library/Extensions: its two personalities match IOResources at
boot and make a writable disk (2048 blocks of 512 bytes, completing its
requests on its work loop) and a read-only one (128 blocks, completing
them on the caller's thread); a third reports a block size of 520.

    iokit.storage.boot              the shell comes up
    iokit.storage.tree              ioreg: each good RAMDisk (an
                                    IOBlockStorageDevice) > IOBlockStorageDriver
                                    > IOMedia > IOMediaBSDClient; nothing
                                    below the one that misreports
    iokit.storage.device_class      ioreg -c IOBlockStorageDevice finds the
                                    three RAMDisks (a subclass)
    iokit.storage.media             the media's properties: Size, Preferred
                                    Block Size, Whole, Leaf, Writable,
                                    Removable, Content, BSD Name, BSD Major,
                                    BSD Minor, BSD Unit
    iokit.storage.units             the two disks are units 0 and 1, and
                                    /dev has disk0, disk1, rdisk0, rdisk1
    iokit.storage.disk_io.*         tests/bsd/disk_io on them: data through
                                    both nodes, positions, refusals, ioctls
    iokit.storage.eject.*           disk_io --eject: descriptors held while
                                    debug.ramdisk.eject terminates the disks
    iokit.storage.gone              then no IOMedia and no /dev/disk*
    iokit.storage.units_reused      debug.ramdisk.rematch starts new disks:
                                    disk0 and disk1 again (lowest free)
    iokit.storage.unit_held         with a descriptor of disk0 open across an
                                    eject, the new disks are disk1 and disk2
    iokit.storage.unit_freed        once it is closed, disk0 is given again
    iokit.storage.ejected_again     and the disks go again
    iokit.storage.kextunload        the RAMDisk kext unloads
    iokit.storage.family_unload     and so does the family: none of its
                                    objects (drivers, media, BSD clients)
                                    was left alive, no unit is held
    iokit.storage.reload            kextload of the family and RAMDisk brings
                                    disk0 and disk1 back
    iokit.storage.unload_removes_nodes  kextunload of RAMDisk, with its disks
                                    live, terminates them: no /dev/disk* left
    iokit.storage.bad_geometry      the family refused the block size of 520
                                    with one log line each time (five)
    iokit.storage.async_disk        the writable disk completed its requests on
                                    its work loop (the family's asynchronous
                                    path), each of the five times it started
    iokit.storage.no_panic          nothing else in the log went wrong
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

BOOT_TIMEOUT = 120
RUN_TIMEOUT = 120
MAKE_TIMEOUT = 120
RESULT = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)


def make_initrd(build, work):
    """build/initrd.cpio with RAMDisk.kext in /System/Library/Extensions."""
    tree = os.path.join(work, "initrd")
    os.makedirs(tree)
    with open(os.path.join(build, "initrd.cpio"), "rb") as f:
        subprocess.run(["cpio", "-idm", "--quiet"], cwd=tree, stdin=f, check=True,
                       timeout=MAKE_TIMEOUT)
    shutil.copytree(os.path.join(build, "kexts", "RAMDisk.kext"),
                    os.path.join(tree, "System", "Library", "Extensions", "RAMDisk.kext"))
    out = os.path.join(work, "initrd.cpio")
    subprocess.run([os.path.join(ROOT, "tools", "mkinitrd.sh"), tree, out], check=True,
                   timeout=MAKE_TIMEOUT, stdout=subprocess.DEVNULL)
    return out


# An entry's line; a medium's name has spaces ("RAMDisk Media", as on macOS).
ENTRY = re.compile(r"^([ |]*)\+-o (.+?)(?:@(\S+))?\s+<class (\w+),", re.M)


def parse_ioreg(out):
    """[(name, location, class, {property: text})] in the order drawn."""
    entries = []
    matches = list(ENTRY.finditer(out))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(out)
        props = dict(re.findall(r'^[ |]*"([^"]+)" = (.*)$', out[m.end():end], re.M))
        entries.append((m.group(2), m.group(3) or "", m.group(4), props))
    return entries


def storage_chains(out):
    """For each RAMDisk, the classes below it in the tree, by depth."""
    lines = out.splitlines()
    chains = []
    for i, line in enumerate(lines):
        m = ENTRY.match(line)
        if not m or m.group(4) != "org_machina_test_RAMDisk":
            continue
        depth, chain = len(m.group(1)), []
        for later in lines[i + 1:]:
            n = ENTRY.match(later)
            if not n:
                continue
            if len(n.group(1)) <= depth:
                break
            chain.append(n.group(4))
        chains.append(chain)
    return chains


def report(t, prefix, out):
    """Each TAP line of a user program as a result named prefix.<check>."""
    results = RESULT.findall(out or "")
    for ok, name in results:
        t.ok(ok == "ok", "%s.%s" % (prefix, name.strip()), out)
    if not results:
        t.ok(False, "%s.ran" % prefix, out or "no output")


def disk_nodes(out):
    """The disk nodes an `ls /dev | grep disk | sort` listed."""
    return re.findall(r"^r?disk\d+$", out, re.M)


def check_media(media):
    """Problems with the two media's properties, and their BSD names."""
    problems, names = [], {}
    for name, _, _, p in media:
        size = int(p.get("Size", "0"))
        writable = p.get("Writable")
        want = {"Preferred Block Size": "512", "Whole": "Yes", "Leaf": "Yes",
                "Removable": "No", "Content": '""'}
        for k, v in want.items():
            if p.get(k) != v:
                problems.append("%s: %s is %s, not %s" % (name, k, p.get(k), v))
        if (size, writable) not in ((1048576, "Yes"), (65536, "No")):
            problems.append("%s: Size %d, Writable %s" % (name, size, writable))
        bsd = p.get("BSD Name", "").strip('"')
        unit = p.get("BSD Unit")
        if bsd != "disk%s" % unit or p.get("BSD Minor") != unit or "BSD Major" not in p:
            problems.append("%s: BSD Name %s, Unit %s, Minor %s, Major %s" % (
                name, bsd, unit, p.get("BSD Minor"), p.get("BSD Major")))
        names[writable] = bsd
    return problems, names


def guest(t, sh, s):
    out = sh.run("ioreg -l -w0", RUN_TIMEOUT) or ""
    entries = parse_ioreg(out)
    chains = storage_chains(out)
    want = ["IOBlockStorageDriver", "IOMedia", "IOMediaBSDClient"]
    t.ok(sorted(chains) == [[], want, want], "iokit.storage.tree",
         "chains below RAMDisk: %s\n%s" % (chains, out[-3000:]))
    out = sh.run("echo devices=$(ioreg -w0 -c IOBlockStorageDevice | "
                 "grep -c 'class org_machina_test_RAMDisk')") or ""
    t.ok(re.findall(r"^devices=(\d+)$", out, re.M) == ["3"], "iokit.storage.device_class", out)
    media = [e for e in entries if e[2] == "IOMedia"]
    problems, names = check_media(media)
    t.ok(len(media) == 2 and not problems, "iokit.storage.media", "\n".join(problems))
    nodes = sh.run("ls /dev | grep disk | sort") or ""
    t.ok(sorted(names.values()) == ["disk0", "disk1"]
         and disk_nodes(nodes) == ["disk0", "disk1", "rdisk0", "rdisk1"],
         "iokit.storage.units", "names %s; /dev: %s" % (names, nodes))
    rw, ro = names.get("Yes", "disk0"), names.get("No", "disk1")
    report(t, "iokit.storage.disk_io",
           sh.run("/usr/tests/bsd/disk_io %s %s" % (rw, ro), RUN_TIMEOUT))
    report(t, "iokit.storage.eject",
           sh.run("/usr/tests/bsd/disk_io --eject %s %s" % (rw, ro), RUN_TIMEOUT))
    out = sh.run("ioreg -w0 -c IOMedia | grep -c IOMedia; ls /dev | grep -c disk") or ""
    t.ok(re.findall(r"^\d+$", out, re.M) == ["0", "0"], "iokit.storage.gone", out)
    out = sh.run("sysctl debug.ramdisk.rematch=1 && ls /dev | grep disk | sort") or ""
    t.ok(disk_nodes(out) == ["disk0", "disk1", "rdisk0", "rdisk1"], "iokit.storage.units_reused",
         out)
    out = sh.run("exec 3</dev/disk0 && sysctl debug.ramdisk.eject=1 && "
                 "sysctl debug.ramdisk.rematch=1 && ls /dev | grep disk | sort") or ""
    t.ok(disk_nodes(out) == ["disk1", "disk2", "rdisk1", "rdisk2"], "iokit.storage.unit_held",
         out)
    out = sh.run("exec 3<&- && sysctl debug.ramdisk.eject=1 && "
                 "sysctl debug.ramdisk.rematch=1 && ls /dev | grep disk | sort") or ""
    t.ok(disk_nodes(out) == ["disk0", "disk1", "rdisk0", "rdisk1"], "iokit.storage.unit_freed",
         out)
    out = sh.run("sysctl debug.ramdisk.eject=1 && echo nodes=$(ls /dev | grep -c disk)") or ""
    t.ok(re.findall(r"^nodes=(\d+)$", out, re.M) == ["0"], "iokit.storage.ejected_again", out)
    out = sh.run("kextunload -b org.machina.test.RAMDisk") or ""
    t.ok("unloaded" in out, "iokit.storage.kextunload", out)
    out = sh.run("kextunload -b org.machina.iokit.IOStorageFamily") or ""
    t.ok("unloaded" in out, "iokit.storage.family_unload", out)
    # Only the driver, by hand: the family comes with it as a library, and
    # gets back the personalities its kextunload removed.
    out = sh.run("kextload /System/Library/Extensions/RAMDisk.kext; sleep 1; "
                 "ls /dev | grep disk | sort") or ""
    t.ok(disk_nodes(out) == ["disk0", "disk1", "rdisk0", "rdisk1"], "iokit.storage.reload", out)
    out = sh.run("kextunload -b org.machina.test.RAMDisk; echo nodes=$(ls /dev | grep -c disk)") \
        or ""
    t.ok("unloaded" in out and re.findall(r"^nodes=(\d+)$", out, re.M) == ["0"],
         "iokit.storage.unload_removes_nodes", out)
    log = sh.run("dmesg") or ""
    refused = re.findall(r"^IOBlockStorageDriver: org_machina_test_RAMDisk refused: block size "
                         r"is not a power of two from 512 to 65536 \(block size 520, last "
                         r"block 15\)$", log, re.M)
    t.ok(len(refused) == 5, "iokit.storage.bad_geometry", log[-3000:])
    async_disks = re.findall(r"^RAMDisk: 2048 blocks of 512 bytes, completed on its work loop$",
                             log, re.M)
    t.ok(len(async_disks) == 5, "iokit.storage.async_disk", log[-3000:])
    bad = [line for line in log.splitlines()
           if re.search(r"panic|IOMediaBSDClient:|still in use", line)
           or (line.startswith("IOBlockStorageDriver:") and "block size 520" not in line)]
    t.ok(not bad, "iokit.storage.no_panic", "\n".join(bad))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    build = os.path.abspath(opts.build)
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    work = tempfile.mkdtemp(prefix="machina-storage-")
    logs = os.path.join(build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    try:
        initrd = make_initrd(build, work)
        with mq.Session(kernel=os.path.join(build, "kernel.elf"), initrd=initrd,
                        accel=opts.accel,
                        log_path=os.path.join(logs, "iokit-storage-console.log")) as s:
            sh = Shell(s)
            up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh.run("echo re''ady")
            t.ok(bool(up), "iokit.storage.boot", s.output[-2000:])
            if up:
                guest(t, sh, s)
                s.send("poweroff\n")
                s.wait(30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t.plan_end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
