#!/bin/sh
# mkiso.sh OUTPUT KERNEL INITRD [BOOT-ARGS] - a GRUB ISO (BIOS, and UEFI when
# GRUB's EFI modules are installed) that loads KERNEL with multiboot2 and
# INITRD with module2. BOOT-ARGS replace the ones in iso/boot/grub/grub.cfg.
set -eu
out=$1
kernel=$2
initrd=$3
args=${4:-}
stage="$out.d"
rm -rf "$stage"
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/kernel.elf"
cp "$initrd" "$stage/boot/initrd.cpio"
if [ -n "$args" ]; then
	sed "s|@BOOT_ARGS@|$args|" iso/boot/grub/grub.cfg > "$stage/boot/grub/grub.cfg"
else
	sed "s|@BOOT_ARGS@||" iso/boot/grub/grub.cfg > "$stage/boot/grub/grub.cfg"
fi
grub-mkrescue -o "$out.tmp" "$stage" >"$out.log" 2>&1 || {
	cat "$out.log" >&2
	exit 1
}
mv "$out.tmp" "$out"
rm -rf "$stage" "$out.log"
