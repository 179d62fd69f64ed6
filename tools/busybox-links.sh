#!/bin/sh
# busybox-links.sh BUSYBOX [NAME ...] - the tools/mkinitrd.sh specs that put
# BUSYBOX into the initrd as bin/busybox with a symbolic link to it for
# every applet, at the path `BUSYBOX --list-full` gives ("bin/ls",
# "usr/bin/wc"). An applet whose name is one of the NAMEs (the in-tree
# programs, which take precedence) gets no link, and neither do entries
# outside a directory (busybox's "linuxrc").
set -eu
busybox=$1
shift
[ -x "$busybox" ] || { echo "busybox-links.sh: $busybox: not an executable" >&2; exit 1; }
echo "bin/busybox=$busybox"
"$busybox" --list-full | while read -r path; do
	case "$path" in
	*/*) ;;
	*) continue ;;
	esac
	name=${path##*/}
	[ "$name" = busybox ] && continue
	skip=
	for own in "$@"; do
		[ "$name" = "$own" ] && skip=1
	done
	[ -n "$skip" ] || echo "$path@/bin/busybox"
done
