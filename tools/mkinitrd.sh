#!/bin/sh
# mkinitrd.sh SRC_DIR OUTPUT [SPEC ...] - pack a directory tree, plus built
# files, symbolic links and empty directories, into a newc cpio archive, the
# format the kernel's initrd reader (libkern/cpio.c) expects.
#
# Each SPEC is one of
#   DEST=FILE       FILE at the relative path DEST ("usr/tests/hello=build/user/hello");
#                   a directory FILE is copied whole (a kext bundle)
#   DEST@TARGET     a symbolic link DEST pointing at TARGET ("bin/ls@/bin/busybox"),
#                   stored as a link (TARGET is not followed or checked)
#   DEST/           an empty directory DEST, mode 0755
#   DEST/:MODE      the same with an octal MODE ("tmp/:1777")
# with the directories leading to DEST made as needed. A DEST that is
# absolute or climbs with ".." is refused, and so is a FILE that is missing.
# A later SPEC for the same DEST replaces an earlier one. Paths in the
# archive are relative ("etc/motd"); file order is sorted, so the same
# inputs always pack in the same order.
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

refuse() {
	echo "mkinitrd.sh: '$1': $2" >&2
	exit 1
}

check_dest() {
	case "$2" in
	"" | /* | ..* | */..* | "$1")
		refuse "$1" "want DEST=FILE, DEST@TARGET or DEST/ with a relative DEST" ;;
	esac
}

for spec in "$@"; do
	case "$spec" in
	*=*)
		dest=${spec%%=*}
		file=${spec#*=}
		check_dest "$spec" "$dest"
		[ -f "$file" ] || [ -d "$file" ] || refuse "$spec" "$file: no such file"
		mkdir -p "$stage/$(dirname "$dest")"
		rm -rf "$stage/$dest"
		cp -pR "$file" "$stage/$dest" ;;
	*@*)
		dest=${spec%%@*}
		target=${spec#*@}
		check_dest "$spec" "$dest"
		[ -n "$target" ] || refuse "$spec" "a link needs a target"
		mkdir -p "$stage/$(dirname "$dest")"
		rm -rf "$stage/$dest"
		ln -s "$target" "$stage/$dest" ;;
	*/ | */:*)
		dest=${spec%%/:*}
		dest=${dest%/}
		mode=0755
		case "$spec" in */:*) mode=${spec##*/:} ;; esac
		check_dest "$spec" "$dest"
		case "$mode" in
		"" | *[!0-7]*) refuse "$spec" "the mode must be octal" ;;
		esac
		mkdir -p "$stage/$dest"
		chmod "$mode" "$stage/$dest" ;;
	*)
		refuse "$spec" "want DEST=FILE, DEST@TARGET or DEST/" ;;
	esac
done
( cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||' |
  cpio --quiet -o -H newc --reproducible --owner=0:0 ) > "$tmp"
mv "$tmp" "$out"
