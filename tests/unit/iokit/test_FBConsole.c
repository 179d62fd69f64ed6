/*
 * test_FBConsole.c - the framebuffer console's terminal on the host
 * (iokit/Drivers/MachinaBochsFramebuffer/FBConsole.c) over a buffer in
 * memory: glyphs drawn from the font where the cursor is, line ends,
 * backspace and tabs, deferred wrap, the CSI sequences busybox's line
 * editing sends, colours, and scrolling both by panning (one row cleared
 * per scroll, the screen copied back to the top when memory runs out) and
 * without; nothing is ever written outside the buffer (ASan watches).
 */

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iokit/Drivers/MachinaBochsFramebuffer/FBConsole.h"
#include "iokit/Drivers/MachinaBochsFramebuffer/FBFont.h"

#define COLS	10
#define ROWS	4
#define W	(COLS * FB_FONT_WIDTH)
#define H	(ROWS * FB_FONT_HEIGHT)
#define FG	0xaaaaaau
#define BG	0x000000u

static uint32_t *mem;
static unsigned vheight;
static unsigned panned_to;
static unsigned pans;

static void
pan(void *arg, unsigned y)
{
	cr_assert_eq(arg, &panned_to);
	cr_assert_leq(y + H, vheight);
	panned_to = y;
	pans++;
}

static void
setup(struct fb_console *fc, unsigned vrows, bool panning)
{
	vheight = vrows * FB_FONT_HEIGHT;
	mem = malloc((size_t)W * vheight * sizeof(uint32_t));
	cr_assert_not_null(mem);
	memset(mem, 0x5a, (size_t)W * vheight * sizeof(uint32_t));
	panned_to = 12345;
	pans = 0;
	cr_assert(fb_console_init(fc, mem, W, W, H, vheight, panning ? pan : NULL, &panned_to));
}

static void
put(struct fb_console *fc, const char *s)
{
	while (*s != '\0')
		fb_console_putc(fc, (unsigned char)*s++);
}

/*
 * Does screen cell (row, col) show c in colours fg on bg? Row counts from
 * the top shown; the cursor's cell shows them inverted.
 */
static bool
shows(struct fb_console *fc, unsigned row, unsigned col, int c, uint32_t fg, uint32_t bg)
{
	unsigned top = fc->fc_pan != NULL ? panned_to : 0;

	if (fc->fc_cursor_drawn && row == fc->fc_row && col == fc->fc_col) {
		uint32_t t = fg ^ bg;

		fg ^= t;
		bg ^= t;
	}

	for (unsigned y = 0; y < FB_FONT_HEIGHT; y++) {
		unsigned bits = c == ' ' ? 0 : fb_font_glyphs[c - FB_FONT_FIRST][y];
		const uint32_t *p = mem + (size_t)(top + row * FB_FONT_HEIGHT + y) * W +
		    col * FB_FONT_WIDTH;

		for (unsigned x = 0; x < FB_FONT_WIDTH; x++) {
			if (p[x] != ((bits & (0x80u >> x)) ? fg : bg))
				return false;
		}
	}
	return true;
}

static bool
shows_text(struct fb_console *fc, unsigned row, unsigned col, const char *s)
{
	for (; *s != '\0'; s++, col++) {
		if (!shows(fc, row, col, *s, FG, BG))
			return false;
	}
	return true;
}

/* The cursor: its cell inverted, the text under it still there. */
static bool
cursor_at(struct fb_console *fc, unsigned row, unsigned col, int under)
{
	return fc->fc_cursor_drawn && fc->fc_row == row && fc->fc_col == col &&
	    shows(fc, row, col, under, FG, BG);
}

Test(FBConsole, init_clears_and_refuses_bad_geometry)
{
	struct fb_console fc;
	uint32_t one[1];

	setup(&fc, ROWS, false);
	cr_assert_eq(fc.fc_cols, COLS);
	cr_assert_eq(fc.fc_rows, ROWS);
	for (unsigned r = 0; r < ROWS; r++)
		for (unsigned c = 0; c < COLS; c++)
			cr_assert(shows(&fc, r, c, ' ', FG, BG));
	cr_assert_not(fb_console_init(&fc, one, 1, 1, 1, 1, NULL, NULL));
	cr_assert_not(fb_console_init(&fc, mem, W - 1, W, H, H, NULL, NULL));
	cr_assert_not(fb_console_init(&fc, mem, W, W, H, H - 1, NULL, NULL));
	cr_assert_not(fb_console_init(&fc, NULL, W, W, H, H, NULL, NULL));
	free(mem);
}

Test(FBConsole, text_newline_backspace_tab)
{
	struct fb_console fc;

	setup(&fc, ROWS, false);
	put(&fc, "Hi!\n");
	cr_assert(shows_text(&fc, 0, 0, "Hi!"));
	cr_assert(cursor_at(&fc, 1, 0, ' '));
	put(&fc, "abc\b\bX");		/* backspace moves, does not erase */
	cr_assert(shows_text(&fc, 1, 0, "aXc"));
	put(&fc, "\rZ\t.");
	cr_assert(shows_text(&fc, 1, 0, "ZXc"));
	cr_assert(shows_text(&fc, 1, 8, "."));
	cr_assert(cursor_at(&fc, 1, 9, ' '));
	put(&fc, "\t\t");		/* a tab stops at the last column */
	cr_assert_eq(fc.fc_col, COLS - 1);
	put(&fc, "\r\n\x01\x7f~\xc3\xa9");	/* controls ignored; UTF-8 shows one '?' */
	cr_assert(shows_text(&fc, 2, 0, "~? "));
	free(mem);
}

Test(FBConsole, deferred_wrap)
{
	struct fb_console fc;

	setup(&fc, ROWS, false);
	put(&fc, "0123456789");		/* exactly a line: the cursor stays on it */
	cr_assert_eq(fc.fc_row, 0);
	cr_assert_eq(fc.fc_col, COLS - 1);
	put(&fc, "\r\n");		/* so CR LF after a full line makes no blank line */
	cr_assert_eq(fc.fc_row, 1);
	put(&fc, "0123456789ab");
	cr_assert(shows_text(&fc, 1, 0, "0123456789"));
	cr_assert(shows_text(&fc, 2, 0, "ab"));
	free(mem);
}

Test(FBConsole, csi_cursor_and_erase)
{
	struct fb_console fc;

	setup(&fc, ROWS, false);
	put(&fc, "abcdefghij\r\nklmnopqrst");
	put(&fc, "\x1b[1;3H");		/* row 1, column 3 (1-based) */
	cr_assert_eq(fc.fc_row, 0);
	cr_assert_eq(fc.fc_col, 2);
	put(&fc, "\x1b[K");		/* erase to the end of the line */
	cr_assert(shows_text(&fc, 0, 0, "ab        "));
	put(&fc, "\x1b[B\x1b[2C\x1b[1K");	/* down, right 2, erase to the start */
	cr_assert(shows_text(&fc, 1, 0, "     pqrst"));
	put(&fc, "\x1b[3D\x1b[2P");	/* left 3: column 1; delete two cells */
	cr_assert(shows_text(&fc, 1, 0, "   pqrst  "));
	put(&fc, "\x1b[2@");		/* insert two blanks */
	cr_assert(shows_text(&fc, 1, 0, "     pqrst"));
	put(&fc, "\x1b[99;99H");	/* clamped to the screen */
	cr_assert_eq(fc.fc_row, ROWS - 1);
	cr_assert_eq(fc.fc_col, COLS - 1);
	put(&fc, "\x1b[H\x1b[J");	/* home, clear the screen */
	for (unsigned r = 0; r < ROWS; r++)
		cr_assert(shows_text(&fc, r, r == 0 ? 1 : 0, "         "));
	put(&fc, "\x1b[6n\x1b[?25l");	/* no answer; the cursor hidden */
	cr_assert_not(fc.fc_cursor_drawn);
	cr_assert(shows(&fc, 0, 0, ' ', FG, BG));
	put(&fc, "\x1b[?25h\x1b[5G");
	cr_assert(cursor_at(&fc, 0, 4, ' '));
	put(&fc, "\x1b" "7\x1b[3;1Hx\x1b" "8y");	/* save, move, write, restore */
	cr_assert(shows_text(&fc, 2, 0, "x"));
	cr_assert(shows_text(&fc, 0, 4, "y"));
	free(mem);
}

Test(FBConsole, colours)
{
	struct fb_console fc;

	setup(&fc, ROWS, false);
	put(&fc, "\x1b[31mR\x1b[1;44mB\x1b[7mV\x1b[0mN\x1b[2;3;4;5;6;8;9;10;32;33mG");
	cr_assert(shows(&fc, 0, 0, 'R', 0xaa0000, BG));
	cr_assert(shows(&fc, 0, 1, 'B', 0xff5555, 0x0000aa));
	cr_assert(shows(&fc, 0, 2, 'V', 0x0000aa, 0xff5555));
	cr_assert(shows(&fc, 0, 3, 'N', FG, BG));
	cr_assert(shows(&fc, 0, 4, 'G', FG, BG));	/* past the eighth parameter: ignored */
	free(mem);
}

Test(FBConsole, scroll_without_panning)
{
	struct fb_console fc;

	setup(&fc, ROWS, false);
	put(&fc, "one\ntwo\nthree\nfour\nfive");
	cr_assert(shows_text(&fc, 0, 0, "two"));
	cr_assert(shows_text(&fc, 3, 0, "five"));
	cr_assert_eq(fc.fc_scrolls, 1);
	cr_assert_eq(fc.fc_relocations, 0);
	free(mem);
}

Test(FBConsole, scroll_by_panning)
{
	struct fb_console fc;
	char line[16];

	setup(&fc, ROWS * 3, true);
	cr_assert_eq(panned_to, 0);
	for (unsigned i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "\nline %u", i);
		put(&fc, line);
		/* Every scroll pans; no more than the visible screen ever moves. */
		cr_assert_leq(panned_to + H, vheight);
	}
	cr_assert_eq(fc.fc_scrolls, 40 - (ROWS - 1));
	cr_assert_gt(fc.fc_relocations, 0);
	cr_assert_lt(fc.fc_relocations, fc.fc_scrolls / 4);
	cr_assert(shows_text(&fc, 0, 0, "line 36"));
	cr_assert(shows_text(&fc, 1, 0, "line 37"));
	cr_assert(shows_text(&fc, 2, 0, "line 38"));
	cr_assert(shows_text(&fc, 3, 0, "line 39"));
	cr_assert(cursor_at(&fc, 3, 7, ' '));
	free(mem);
}
