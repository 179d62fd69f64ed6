#!/bin/sh
# mkinitrd.sh SRC_DIR OUTPUT [DEST=FILE ...] - pack a directory tree, plus
# any built files, into a newc cpio archive, the format the kernel's initrd
# reader (libkern/cpio.c) expects.
#
# Each DEST=FILE puts FILE at the relative path DEST in the archive
# ("usr/tests/hello=build/user/hello"), with the directories leading to it;
# a DEST that is absolute or climbs with ".." is refused, and so is a FILE
# that is missing. Paths in the archive are relative ("etc/motd"); file
# order is sorted, so the same inputs always pack in the same order.
set -eu
src=$1
out=$2
shift 2
mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
stage="$out.stage"
rm -rf "$stage"
trap 'rm -rf "$stage" "$tmp"' EXIT
mkdir -p "$stage"
cp -pR "$src"/. "$stage"/
for spec in "$@"; do
	dest=${spec%%=*}
	file=${spec#*=}
	case "$dest" in
	"" | /* | ..* | */..* | "$spec")
		echo "mkinitrd.sh: '$spec': want DEST=FILE with a relative DEST" >&2
		exit 1 ;;
	esac
	if [ ! -f "$file" ]; then
		echo "mkinitrd.sh: $file: no such file" >&2
		exit 1
	fi
	mkdir -p "$stage/$(dirname "$dest")"
	cp -p "$file" "$stage/$dest"
done
( cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||' |
  cpio --quiet -o -H newc --reproducible --owner=0:0 ) > "$tmp"
mv "$tmp" "$out"
