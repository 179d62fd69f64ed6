#!/usr/bin/env python3
"""mkksyms.py - the kernel's embedded symbol table (kernel/ksyms.h).

  nm -n -S kernel.pass1.elf | mkksyms.py -o ksyms.bin   build the table
  mkksyms.py --empty -o ksyms-empty.bin                  a table with no symbols
  mkksyms.py --verify pass1.elf pass2.elf                no symbol moved between links

The table is sorted by address; each entry is (u64 addr, u32 size, u32 name
offset), and the string table holds the nm type letter before each name.
"""
import argparse
import struct
import subprocess
import sys

MAGIC = 0x4D59534B  # "KSYM"
# Linker-script symbols that sit at or after .ksyms and so move with its size.
MOVES_WITH_KSYMS = {"__ksyms_start", "__ksyms_end", "_kernel_end"}


def parse_nm(lines):
    syms = []
    for line in lines:
        parts = line.split()
        if len(parts) == 4:
            addr, size, kind, name = parts
        elif len(parts) == 3:
            addr, kind, name = parts
            size = "0"
        else:
            continue
        if kind in "UwvaA" or name.startswith(".L") or name.startswith("$"):
            continue
        syms.append((int(addr, 16), int(size, 16), kind, name))
    return syms


def build(syms):
    syms = [s for s in syms if s[0] >= 0xFFFFFFFF80000000]
    syms.sort(key=lambda s: (s[0], s[2] not in "Tt", s[3]))
    strtab = bytearray()
    entries = bytearray()
    for addr, size, kind, name in syms:
        off = len(strtab)
        strtab += kind.encode() + name.encode() + b"\0"
        entries += struct.pack("<QII", addr, min(size, 0xFFFFFFFF), off)
    header_size = 16
    strtab_off = header_size + len(entries)
    return struct.pack("<IIII", MAGIC, len(syms), strtab_off, len(strtab)) + entries + strtab


def nm(path):
    out = subprocess.run(["nm", "-n", path], check=True, capture_output=True, text=True)
    return {name: addr for addr, _, _, name in parse_nm(out.stdout.splitlines())}


def verify(pass1, pass2):
    a, b = nm(pass1), nm(pass2)
    moved = [n for n in a if n in b and a[n] != b[n] and n not in MOVES_WITH_KSYMS]
    if moved:
        sys.stderr.write("mkksyms: symbols moved between the two links: %s\n" % ", ".join(moved[:10]))
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output")
    ap.add_argument("--empty", action="store_true")
    ap.add_argument("--verify", nargs=2, metavar=("PASS1", "PASS2"))
    args = ap.parse_args()
    if args.verify:
        verify(*args.verify)
        return
    data = build([] if args.empty else parse_nm(sys.stdin))
    with open(args.output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
