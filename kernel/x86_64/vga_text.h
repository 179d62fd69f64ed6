/*
 * vga_text.h - the screen console in VGA text mode (80x25, two bytes a cell).
 */

#ifndef KERNEL_X86_64_VGA_TEXT_H
#define KERNEL_X86_64_VGA_TEXT_H

#include "kernel/boot_args.h"

/*
 * vga_text_init: register the screen as a console device if the loader left
 * it in text mode (or said nothing about it, as PVH does). A graphics
 * framebuffer gets no console (there is no font yet); returns 0 if a
 * console was registered.
 */
int	vga_text_init(const struct boot_framebuffer *fb);

#endif /* KERNEL_X86_64_VGA_TEXT_H */
