#!/usr/bin/env python3
"""test_sdk.py - the kexts tier: a kext written outside the tree, as a
newcomer writes one, with nothing but the SDK (`make sdk`) and the docs.

    tests/kexts/test_sdk.py [--build build] [--accel tcg]

On the host, in a fresh directory outside the tree:
    kexts.sdk_layout        build/sdk has kext.mk, new-kext, the headers
                            (with Apple's names) and the KPI lists
    kexts.new_kext          new-kext HelloKext makes the project; a second
                            run and a bad name are refused
    kexts.build_gcc         `make` builds HelloKext.kext: Info.plist and an
                            ELF64 relocatable object
    kexts.build_clang       the same with KEXT_CC=clang
    kexts.bad_plist         a bad CFBundleVersion stops the build, saying so
    kexts.no_sdk            without MACHINA_SDK, make says what to do
    kexts.new_driver        new-kext --driver HelloDriver: an IOService subclass
                            with a personality, built
    kexts.new_pci_driver    new-kext --pci-driver HelloPCI: a driver of QEMU's edu
                            device through the PCI family, built; a bad
                            --match is refused
Then in Machina, the kext added to a copy of the initrd's
/System/Library/Extensions, driven over the serial console:
    kexts.boot              the shell comes up
    kexts.kextload_b        kextload -b com.example.HelloKext
    kexts.kextstat          kextstat lists it, linked against two KPIs
    kexts.started           its start routine's line is in the kernel log
    kexts.kextunload        kextunload, and kextstat no longer lists it
    kexts.kextload_path     kextload by path, then unload again
    kexts.driver_matched    the driver's personality matched at boot: matching
                            loaded its kext and started it on IOResources
    kexts.driver_workloop   its work loop's timer fired
    kexts.driver_unload     kextunload terminates the driver instance (its stop
                            runs) and unloads the kext
    kexts.driver_reload     kextload -b puts its personality back: matching
                            starts the driver again
    kexts.driver_personalities_only
                            kextunload -p terminates it and removes the
                            personality, and the kext stays loaded
    kexts.pci_driver        (QEMU with -device edu) matching loaded HelloPCI for
                            the edu function: BAR 0 mapped, its id register
                            read, and the interrupt it raised handled on the
                            driver's work loop

Every QEMU run and every make has a timeout.
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
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402
from test_shell import SHELL_PROMPT, Shell  # noqa: E402

MAKE_TIMEOUT = 120
BOOT_TIMEOUT = 90
GUEST_CHECKS = ["kexts.boot", "kexts.kextload_b", "kexts.kextstat", "kexts.started",
                "kexts.kextunload", "kexts.kextload_path", "kexts.driver_matched",
                "kexts.driver_workloop", "kexts.driver_in_use", "kexts.pci_driver"]


def sh(cmd, cwd, env=None, timeout=MAKE_TIMEOUT):
    """(status, output) of a command, stdout and stderr together."""
    full = dict(os.environ)
    full.pop("MAKEFLAGS", None)
    full.pop("MFLAGS", None)
    full.pop("MAKELEVEL", None)
    full.update(env or {})
    try:
        p = subprocess.run(cmd, cwd=cwd, env=full, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return -1, "timed out after %d s\n%s" % (timeout, e.stdout or "")


def is_rel_object(path):
    try:
        with open(path, "rb") as f:
            head = f.read(18)
    except OSError:
        return False
    return head[:4] == b"\x7fELF" and head[4] == 2 and head[16:18] == b"\x01\x00"


def host_checks(t, sdk, work):
    """The host part; returns the built bundle's path, or None."""
    need = ["kext.mk", "kernel.mk", "bin/new-kext", "bin/kextinfo.py", "template/Info.plist",
            "include/mach/kmod.h", "include/sys/sysctl.h", "include/IOKit/IOLib.h",
            "include/kern/locks.h", "include/libkern/libkern.h",
            "kpi/Libkern.exports", "kpi/BSDKernel.exports"]
    missing = [n for n in need if not os.path.exists(os.path.join(sdk, n))]
    t.ok(not missing, "kexts.sdk_layout", "missing from %s: %s (run make sdk)" % (sdk, missing))

    new_kext = os.path.join(sdk, "bin", "new-kext")
    rc, out = sh([new_kext, "HelloKext", "-d", work], work)
    proj = os.path.join(work, "HelloKext")
    made = rc == 0 and all(os.path.exists(os.path.join(proj, f))
                           for f in ("HelloKext.c", "Info.plist", "Makefile"))
    rc2, out2 = sh([new_kext, "HelloKext", "-d", work], work)
    rc3, out3 = sh([new_kext, "9lives", "-d", work], work)
    t.ok(made and rc2 != 0 and "already exists" in out2 and rc3 != 0
         and "not a C identifier" in out3, "kexts.new_kext", out + out2 + out3)

    bundle = os.path.join(proj, "HelloKext.kext")
    exe = os.path.join(bundle, "Contents", "MacOS", "HelloKext")
    rc, out = sh(["make"], proj)
    built = rc == 0 and is_rel_object(exe) and os.path.exists(
        os.path.join(bundle, "Contents", "Info.plist"))
    t.ok(built, "kexts.build_gcc", out)

    clang_proj = os.path.join(work, "clang")
    shutil.copytree(proj, clang_proj, ignore=shutil.ignore_patterns("build", "*.kext"))
    if shutil.which("clang"):
        rc, out = sh(["make", "KEXT_CC=clang"], clang_proj)
        t.ok(rc == 0 and is_rel_object(os.path.join(clang_proj, "HelloKext.kext", "Contents",
                                                    "MacOS", "HelloKext")),
             "kexts.build_clang", out)
    else:
        t.skip("kexts.build_clang", "clang is not installed")

    bad = os.path.join(work, "bad")
    shutil.copytree(proj, bad, ignore=shutil.ignore_patterns("build", "*.kext"))
    plist = os.path.join(bad, "Info.plist")
    with open(plist) as f:
        text = f.read()
    with open(plist, "w") as f:
        f.write(text.replace("<string>1.0.0</string>", "<string>one</string>", 1))
    rc, out = sh(["make"], bad)
    t.ok(rc != 0 and "CFBundleVersion 'one' is not a version" in out, "kexts.bad_plist", out)

    rc, out = sh(["make", "MACHINA_SDK="], proj)
    t.ok(rc != 0 and "no Machina SDK at ''" in out and "make sdk" in out, "kexts.no_sdk", out)

    rc, out = sh([new_kext, "--driver", "HelloDriver", "-d", work], work)
    drv = os.path.join(work, "HelloDriver")
    rc2, out2 = sh(["make", "KEXT_WARN=-Werror"], drv) if rc == 0 else (1, "")
    driver = os.path.join(drv, "HelloDriver.kext")
    t.ok(rc == 0 and "driver class com_example_HelloDriver" in out and rc2 == 0
         and is_rel_object(os.path.join(driver, "Contents", "MacOS", "HelloDriver")),
         "kexts.new_driver", out + out2)

    rc, out = sh([new_kext, "--pci-driver", "HelloPCI", "-d", work], work)
    pdrv = os.path.join(work, "HelloPCI")
    rc2, out2 = sh(["make", "KEXT_WARN=-Werror"], pdrv) if rc == 0 else (1, "")
    rc3, out3 = sh([new_kext, "--pci-driver", "BadMatch", "--match", "1234", "-d", work], work)
    pci = os.path.join(pdrv, "HelloPCI.kext")
    t.ok(rc == 0 and rc2 == 0 and rc3 != 0 and "is not IOPCIMatch" in out3
         and not os.path.exists(os.path.join(work, "BadMatch"))
         and is_rel_object(os.path.join(pci, "Contents", "MacOS", "HelloPCI")),
         "kexts.new_pci_driver", out + out2 + out3)
    return (bundle if built else None), (driver if rc2 == 0 else None), \
        (pci if rc2 == 0 else None)


def make_initrd(build, bundles, work, drop=()):
    """A copy of build/initrd.cpio with bundles in /System/Library/Extensions,
    and without the bundles named in drop."""
    tree = os.path.join(work, "initrd")
    os.makedirs(tree)
    with open(os.path.join(build, "initrd.cpio"), "rb") as f:
        subprocess.run(["cpio", "-idm", "--quiet"], cwd=tree, stdin=f, check=True,
                       timeout=MAKE_TIMEOUT)
    for bundle in bundles:
        shutil.copytree(bundle, os.path.join(tree, "System", "Library", "Extensions",
                                             os.path.basename(bundle)))
    for name in drop:
        shutil.rmtree(os.path.join(tree, "System", "Library", "Extensions", name))
    out = os.path.join(work, "initrd.cpio")
    subprocess.run([os.path.join(ROOT, "tools", "mkinitrd.sh"), tree, out], check=True,
                   timeout=MAKE_TIMEOUT)
    return out


def guest_checks(t, build, accel, initrd):
    logs = os.path.join(build, "test-logs")
    os.makedirs(logs, exist_ok=True)
    with mq.Session(kernel=os.path.join(build, "kernel.elf"), initrd=initrd, accel=accel,
                    extra=["-device", "edu"],
                    log_path=os.path.join(logs, "kexts-console.log")) as s:
        sh_ = Shell(s)
        up = s.expect(SHELL_PROMPT, BOOT_TIMEOUT) is not None and sh_.run("echo re''ady")
        t.ok(bool(up), "kexts.boot", s.output[-2000:])
        if not up:
            for name in GUEST_CHECKS[1:]:
                t.ok(False, name, "no shell")
            return
        out = sh_.run("kextload -b com.example.HelloKext")
        t.ok(out is not None and "com.example.HelloKext loaded (index" in out,
             "kexts.kextload_b", out or s.output[-1500:])
        out = sh_.run("kextstat -l -b com.example.HelloKext")
        t.ok(out is not None and re.search(
            r"^\s+\d+\s+0 0xffffffff[0-9a-f]{8}\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+"
            r"com\.example\.HelloKext \(1\.0\.0\) <\d+ \d+>$", out, re.M),
            "kexts.kextstat", out or "")
        out = sh_.run("dmesg | grep HelloKext")
        t.ok(out is not None and "com.example.HelloKext 1.0.0: started" in out,
             "kexts.started", out or "")
        out = sh_.run("kextunload -b com.example.HelloKext && kextstat -l | grep -c HelloKext")
        t.ok(out is not None and "unloaded" in out and re.search(r"^0$", out, re.M),
             "kexts.kextunload", out or "")
        out = sh_.run("kextload /System/Library/Extensions/HelloKext.kext && "
                      "kextunload /System/Library/Extensions/HelloKext.kext")
        t.ok(out is not None and "loaded (index" in out and "unloaded" in out,
             "kexts.kextload_path", out or "")
        out = sh_.run("dmesg | grep HelloDriver; kextstat -l -b com.example.HelloDriver")
        t.ok(out is not None and "HelloDriver: started on IOResources" in out
             and re.search(r"com\.example\.HelloDriver \(1\.0\.0\) <\d+ \d+>", out),
             "kexts.driver_matched", out or "")
        out = sh_.run("sleep 1; dmesg | grep HelloDriver")
        t.ok(out is not None and "HelloDriver: the work loop's timer fired" in out,
             "kexts.driver_workloop", out or "")
        out = sh_.run("kextunload -b com.example.HelloDriver; kextstat -l | grep -c HelloDriver; "
                      "dmesg | grep 'HelloDriver: stopped'")
        t.ok(out is not None and "com.example.HelloDriver unloaded" in out
             and re.search(r"^0$", out, re.M) and "HelloDriver: stopped after" in out,
             "kexts.driver_unload", out or "")
        out = sh_.run("kextload -b com.example.HelloDriver; "
                      "ioreg -c com_example_HelloDriver | grep -c '+-o com_example_HelloDriver'")
        t.ok(out is not None and "com.example.HelloDriver loaded (index" in out
             and re.search(r"is loaded again; its 1 personality match again\n(.*\n)*"
                           r"HelloDriver: started on IOResources", out)
             and re.search(r"^1$", out, re.M),
             "kexts.driver_reload", out or "")
        out = sh_.run("kextunload -p -b com.example.HelloDriver; "
                      "kextstat -l | grep -c com.example.HelloDriver; "
                      "ioreg -c com_example_HelloDriver | grep -c '+-o com_example_HelloDriver'")
        t.ok(out is not None and "services terminated, personalities removed" in out
             and "HelloDriver: stopped after" in out and re.search(r"^1\n0$", out, re.M),
             "kexts.driver_personalities_only", out or "")
        out = sh_.run("dmesg | grep HelloPCI; kextstat -l -b com.example.HelloPCI")
        t.ok(out is not None and re.search(r"HelloPCI: started on 00:[0-9a-f]{2}\.0 \(11e81234\)",
                                           out) is not None
             and "HelloPCI: BAR 0 register 0 is 0x010000ed" in out
             and "HelloPCI: interrupt on the work loop (status 0x1" in out
             and re.search(r"com\.example\.HelloPCI \(1\.0\.0\) <\d+ \d+ \d+>", out),
             "kexts.pci_driver", out or "")
        s.send("poweroff\n")
        s.wait(30)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    build = os.path.abspath(opts.build)
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    work = tempfile.mkdtemp(prefix="machina-sdk-")
    try:
        bundle, driver, pci = host_checks(t, os.path.join(build, "sdk"), work)
        if bundle is None or driver is None or pci is None:
            for name in GUEST_CHECKS:
                t.ok(False, name, "the kext or a driver did not build")
        else:
            # The PCI tier's own edu driver would outrank the new one.
            guest_checks(t, build, opts.accel, make_initrd(build, [bundle, driver, pci], work,
                                                           drop=["PCIEduDriver.kext"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t.plan_end()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
