#!/usr/bin/env python3
"""extract_vmlinux.py - the uncompressed ELF kernel inside a Linux bzImage,
so that QEMU can boot it through its PVH entry (-kernel vmlinux), which
skips the bzImage's own decompression (about 3 s under TCG).

  extract_vmlinux.py BZIMAGE OUT

The x86 boot protocol (2.08 and later) says where the compressed kernel
lies: the setup header's payload_offset (at 0x248, counted from the start
of the protected-mode code, which follows the (setup_sects + 1) sectors of
real-mode setup) and payload_length (0x24c). The payload's first bytes say
how it is compressed; xz, gzip and zstd are known here (Debian's kernels
use xz), decompressed with Python's own modules or, for zstd, the zstd
program. The result must be an ELF file, or nothing is written.
"""
import lzma
import os
import struct
import subprocess
import sys
import zlib

MAGICS = [
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
]


def payload(image):
    """(compression, compressed bytes) of a bzImage; ValueError if it is not one."""
    if len(image) < 0x250 or image[0x202:0x206] != b"HdrS":
        raise ValueError("not a bzImage (no HdrS setup header)")
    version = struct.unpack_from("<H", image, 0x206)[0]
    if version < 0x208:
        raise ValueError("boot protocol %#x has no payload fields" % version)
    setup_sects = image[0x1f1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    data = image[start:start + length]
    if len(data) != length:
        raise ValueError("payload runs past the end of the file")
    for magic, kind in MAGICS:
        if data.startswith(magic):
            return kind, data
    raise ValueError("unknown compression (payload starts %s)" % data[:6].hex())


def decompress(kind, data):
    if kind == "xz":
        # The kernel appends the uncompressed size after the stream; the
        # decompressor stops at the stream's end and leaves it.
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    if kind == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
    return subprocess.run(["zstd", "-dc"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: extract_vmlinux.py BZIMAGE OUT\n")
        sys.exit(2)
    with open(sys.argv[1], "rb") as f:
        image = f.read()
    try:
        kind, data = payload(image)
        elf = decompress(kind, data)
    except (ValueError, lzma.LZMAError, OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write("extract_vmlinux: %s: %s\n" % (sys.argv[1], e))
        sys.exit(1)
    if not elf.startswith(b"\x7fELF"):
        sys.stderr.write("extract_vmlinux: %s: the %s payload is not an ELF file\n"
                         % (sys.argv[1], kind))
        sys.exit(1)
    with open(sys.argv[2] + ".tmp", "wb") as f:
        f.write(elf)
    os.replace(sys.argv[2] + ".tmp", sys.argv[2])


if __name__ == "__main__":
    main()
