#!/usr/bin/env python3
"""run_lint.py - the lint tier: the source tree's structural rules, as TAP.

  lint.header.<path>      every kernel header compiles on its own, with the
                          kernel's flags (a .c file includes its own header
                          first, which catches the rest); bsd/userland's with
                          musl-gcc and libsystem's include directory
  lint.own_header_first.<path>
                          foo.c includes foo.h before anything else
  lint.layering.<path>    only kernel/x86_64 (and the dispatch headers in
                          kernel/machine) include kernel/x86_64 headers;
                          machine-independent code reaches the machine
                          through contract headers (machine_routines.h,
                          mach/vm/pmap.h, kernel/machine/*.h)
  lint.no_arch_ifdefs     no architecture #if outside kernel/x86_64 and
                          kernel/machine
  lint.syscalls_doc       docs/syscalls.md is what bsd/kern/syscalls.master
                          says (make syscalls-doc)
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import tap  # noqa: E402

KERNEL_DIRS = ("kernel/", "libkern/", "mach/", "bsd/", "iokit/", "san/", "tests/ktest", "tests/kbench", "tests/kernel/")
INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]', re.M)
ARCH_IF = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif)\b.*\b(__x86_64__|__i386__|__amd64__)", re.M)


def tracked_files():
    out = subprocess.run(["git", "ls-files", "*.c", "*.h"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return [f for f in out.split() if f.startswith(KERNEL_DIRS)]


def kernel_cflags(build):
    out = subprocess.run(["make", "-s", "--no-print-directory", "BUILD=" + build,
                          "print-KERNEL_CFLAGS"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return shlex.split(out)


# User-space headers (bsd/userland: the programs of the initrd and libsystem)
# stand alone under the flags those programs build with, not the kernel's.
USERLAND = "bsd/userland/"
USERLAND_CC = ["musl-gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
               "-I" + USERLAND + "libsystem/include"]


def compile_alone(header, cflags, build):
    if header.startswith(USERLAND):
        # The kernel's headers user space shares, where the build installs them.
        cc = USERLAND_CC + ["-I" + os.path.join(build, "userland", "include")]
    else:
        cc = ["gcc"] + cflags
    proc = subprocess.run(cc + ["-x", "c", "-fsyntax-only", "-"],
                          input='#include "%s"\n' % header, cwd=ROOT, capture_output=True,
                          text=True)
    return proc.returncode == 0, proc.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    opts = ap.parse_args()
    t = tap.Writer()
    t.out.write("TAP version 13\n")

    files = tracked_files()
    cflags = kernel_cflags(opts.build)
    headers = [f for f in files if f.endswith(".h")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for h, (ok, err) in zip(headers, pool.map(lambda h: compile_alone(h, cflags, opts.build), headers)):
            t.ok(ok, "lint.header." + h, err)

    arch_ifdefs = []
    for f in files:
        with open(os.path.join(ROOT, f)) as fh:
            text = fh.read()
        includes = INCLUDE.findall(text)
        if f.endswith(".c") and not f.endswith("_test.c"):
            own = f[:-2] + ".h"
            if os.path.exists(os.path.join(ROOT, own)):
                # A user program names its own header as its directory sees it.
                mine = (own, os.path.basename(own)) if f.startswith(USERLAND) else (own,)
                t.ok(bool(includes) and includes[0] in mine, "lint.own_header_first." + f,
                     "first include is %s, not %s" % (includes[0] if includes else "nothing", own))
        if not f.startswith(("kernel/x86_64/", "kernel/machine/")):
            bad = [i for i in includes if i.startswith("kernel/x86_64/")]
            if bad:
                t.ok(False, "lint.layering." + f,
                     "machine-independent code includes %s" % ", ".join(bad))
            if ARCH_IF.search(text):
                arch_ifdefs.append(f)
    t.ok(not arch_ifdefs, "lint.no_arch_ifdefs", "architecture #ifs in: " + ", ".join(arch_ifdefs))
    doc = subprocess.run([sys.executable, "tools/makesyscalls.py", "--check-doc",
                          "bsd/kern/syscalls.master", "docs/syscalls.md"], cwd=ROOT,
                         capture_output=True, text=True)
    t.ok(doc.returncode == 0, "lint.syscalls_doc", doc.stderr)
    t.plan_end()
    sys.exit(t.finish())


if __name__ == "__main__":
    main()
