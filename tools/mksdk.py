#!/usr/bin/env python3
"""mksdk.py - assemble the kext SDK (`make sdk`, docs/kexts.md).

    mksdk.py --out DIR --cc CC --cflags "KERNEL CFLAGS" --kext-cflags "FLAGS"
             --version V --headers H... [--exports F...]

Copies into DIR:
  include/       every public header (--headers) and every header they
                 include, found by asking the compiler (-MM) with the
                 kernel's flags, at the path the kernel's sources use
                 ("mach/kmod.h", "bsd/sys/sysctl.h"); plus Apple-style
                 names that forward to them: <sys/X.h> for bsd/sys/X.h,
                 <kern/X.h> for mach/kern/X.h, <IOKit/X.h> for
                 iokit/Kernel/X.h, <IOKit/pci/X.h>, <IOKit/storage/X.h> and
                 <IOKit/virtio/X.h> for the families' headers
  kernel.mk      MACHINA_KEXT_CFLAGS: how the kernel was compiled, which is
                 how a kext must be compiled
  kext.mk, bin/kextinfo.py, bin/new-kext, template/, template-driver/,
                 template-pci/: the
                 build and the templates
  kpi/           the KPI export lists
  VERSION, README.md
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORWARDS = (("bsd/sys/", "sys/"), ("mach/kern/", "kern/"), ("iokit/Kernel/", "IOKit/"),
            # the families' headers, where macOS's Kernel.framework has them
            ("iokit/Families/IOPCIFamily/", "IOKit/pci/"),
            ("iokit/Families/IOStorageFamily/", "IOKit/storage/"),
            ("iokit/Families/IOVirtioFamily/", "IOKit/virtio/"))


def header_closure(cc, cflags, headers, include_roots):
    src = "".join('#include "%s"\n' % h for h in headers)
    cmd = [cc] + shlex.split(cflags) + ["-x", "c", "-M", "-"]
    out = subprocess.run(cmd, input=src, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit("mksdk.py: the public headers do not compile")
    deps = out.stdout.replace("\\\n", " ").split(":", 1)[1].split()
    result = {}
    for d in deps:
        path = os.path.normpath(d)
        if os.path.isabs(path) and not path.startswith(ROOT + os.sep):
            continue                  # the compiler's own (stdint.h, ...)
        rel = os.path.relpath(os.path.join(ROOT, path), ROOT)
        for r in include_roots:       # generated headers: relative to their root
            if rel.startswith(r + os.sep):
                rel = rel[len(r) + 1:]
                break
        result[rel] = os.path.join(ROOT, path)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--cflags", required=True)
    ap.add_argument("--kext-cflags", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--headers", nargs="+", required=True)
    ap.add_argument("--exports", nargs="*", default=[])
    ap.add_argument("--depfile", help="write make's dependencies of OUT/kernel.mk here")
    args = ap.parse_args()

    out = args.out
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    roots = [os.path.join(args.build, "include"), os.path.join(args.build, "gen")]
    headers = header_closure(args.cc, args.cflags, args.headers, roots)
    for rel, src in sorted(headers.items()):
        dst = os.path.join(tmp, "include", rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        for tree, apple in FORWARDS:
            if rel.startswith(tree):
                fwd = os.path.join(tmp, "include", apple + rel[len(tree):])
                os.makedirs(os.path.dirname(fwd), exist_ok=True)
                with open(fwd, "w") as f:
                    f.write("/* <%s>: Machina keeps this header at %s. */\n#include \"%s\"\n"
                            % (apple + rel[len(tree):], rel, rel))
    with open(os.path.join(tmp, "kernel.mk"), "w") as f:
        f.write("# How the kernel this SDK belongs to was compiled; kext.mk compiles kexts so.\n")
        f.write("MACHINA_VERSION := %s\n" % args.version)
        f.write("MACHINA_KEXT_CFLAGS := %s\n" % args.kext_cflags)
    with open(os.path.join(tmp, "VERSION"), "w") as f:
        f.write(args.version + "\n")
    shutil.copy2(os.path.join(ROOT, "tools/kext.mk"), os.path.join(tmp, "kext.mk"))
    os.makedirs(os.path.join(tmp, "bin"))
    for tool in ("kextinfo.py", "new-kext"):
        shutil.copy2(os.path.join(ROOT, "tools", tool), os.path.join(tmp, "bin", tool))
    shutil.copytree(os.path.join(ROOT, "tools/kext-template"), os.path.join(tmp, "template"))
    shutil.copytree(os.path.join(ROOT, "tools/kext-template-driver"),
                    os.path.join(tmp, "template-driver"))
    shutil.copytree(os.path.join(ROOT, "tools/kext-template-pci"),
                    os.path.join(tmp, "template-pci"))
    if args.exports:
        os.makedirs(os.path.join(tmp, "kpi"))
        for e in args.exports:
            shutil.copy2(os.path.join(ROOT, e), os.path.join(tmp, "kpi", os.path.basename(e)))
    with open(os.path.join(tmp, "README.md"), "w") as f:
        f.write("""# The Machina kext SDK (%s)

Everything needed to build a kernel extension for this Machina kernel
outside its source tree:

    bin/new-kext HelloKext -d ~/src      # a project: HelloKext.c, Info.plist, Makefile
    cd ~/src/HelloKext && make            # HelloKext.kext

Then, in the Machina tree, `make run EXTRA_KEXTS=~/src/HelloKext/HelloKext.kext`
boots with it in /System/Library/Extensions, and `kextload -b com.example.HelloKext`
(as root) loads it. docs/kexts.md in the tree is the guide: the
KPIs, the Info.plist keys, the rules, debugging with gdb.

- include/: the KPI headers (Apple-style names too: <sys/sysctl.h>,
  <kern/locks.h>, <IOKit/IOLib.h>, <libkern/libkern.h>, <mach/kmod.h>)
- kpi/: what each KPI bundle exports; a kext may call only these
- kext.mk: the build; kernel.mk: the flags this kernel was built with
""" % args.version)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    if args.depfile:
        with open(args.depfile, "w") as f:
            f.write("%s: %s\n" % (os.path.join(out, "kernel.mk"),
                                   " ".join(os.path.relpath(p, ROOT) for p in sorted(headers.values()))))
    print("  SDK     %s (%d headers)" % (out, len(headers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
