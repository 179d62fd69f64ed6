/*
 * FBFont.h - the framebuffer console's font: 8x16 glyphs for printable
 * ASCII (0x20-0x7e), drawn for Machina (FBFont.txt) and turned into
 * FBFont.c by tools/mkfbfont.py.
 *
 * fb_font_glyphs[c - FB_FONT_FIRST][y] is pixel row y of character c, its
 * leftmost pixel the top bit. Every glyph leaves its first pixel row and
 * first pixel column blank, so neighbouring cells never touch. Read-only.
 */

#ifndef MACHINA_BOCHS_FRAMEBUFFER_FBFONT_H
#define MACHINA_BOCHS_FRAMEBUFFER_FBFONT_H

#include <stdint.h>

#define FB_FONT_WIDTH	8
#define FB_FONT_HEIGHT	16
#define FB_FONT_FIRST	0x20
#define FB_FONT_LAST	0x7e
#define FB_FONT_GLYPHS	(FB_FONT_LAST - FB_FONT_FIRST + 1)

extern const uint8_t fb_font_glyphs[FB_FONT_GLYPHS][FB_FONT_HEIGHT];

#endif /* MACHINA_BOCHS_FRAMEBUFFER_FBFONT_H */
