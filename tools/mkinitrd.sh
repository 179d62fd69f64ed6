#!/bin/sh
# mkinitrd.sh SRC_DIR OUTPUT - pack a directory tree into a newc cpio archive,
# the format the kernel's initrd reader (libkern/cpio.c) expects. Paths in
# the archive are relative ("etc/motd"); file order is sorted, so the same
# tree always makes the same archive.
set -eu
src=$1
out=$2
mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
( cd "$src" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||' |
  cpio --quiet -o -H newc --reproducible --owner=0:0 ) > "$tmp"
mv "$tmp" "$out"
