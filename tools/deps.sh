#!/bin/sh
# deps.sh - install what Machina's build, run and test targets need, from
# Debian's archive, if it is missing. Cheap when nothing is: the make targets
# call it on every fresh build tree.
#
#   tools/deps.sh          install what is missing (as root, or through sudo)
#   tools/deps.sh --check  only list what is missing; exit 1 if anything is
set -eu

# package:command-or-file that proves it is there
NEEDS="
gcc:gcc
clang:clang
make:make
binutils:objcopy
nasm:nasm
cpio:cpio
python3:python3
qemu-system-x86:qemu-system-x86_64
qemu-utils:qemu-img
qemu-system-data:/usr/share/qemu/qboot.rom
seabios:/usr/share/seabios/bios.bin
grub-pc-bin:/usr/lib/grub/i386-pc/multiboot2.mod
grub-common:grub-mkrescue
xorriso:xorriso
mtools:mformat
gdb:gdb
libcriterion-dev:/usr/include/criterion/criterion.h
bear:bear
clang-format:clang-format
clang:clang
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
musl-tools:musl-gcc
busybox-static:/bin/busybox
"

missing=""
for need in $NEEDS; do
	pkg=${need%%:*}
	what=${need#*:}
	case $what in
	/*) [ -e "$what" ] && continue ;;
	*) command -v "$what" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done

if [ -z "$missing" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing:$missing"
	exit 1
fi

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
else
	echo "deps: not root and no sudo; install these yourself:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt (a second build tree installing at the same time) holds the
# lock for a while: wait for it rather than fail.
APT="apt-get -o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
if ! $SUDO $APT install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
	$SUDO $APT update -q >/dev/null
	# shellcheck disable=SC2086
	$SUDO $APT install -y -q --no-install-recommends $missing
fi
