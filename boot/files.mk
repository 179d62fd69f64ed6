# boot/: the 32-bit ways in (multiboot2 from GRUB, PVH from QEMU -kernel) and
# the switch to long mode they share.
KERNEL_ASM += \
	boot/multiboot2.asm \
	boot/pvh.asm \
	boot/boot32.asm
