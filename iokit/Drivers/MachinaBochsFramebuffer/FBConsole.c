/*
 * FBConsole.c - a text terminal on a 32-bit linear framebuffer
 * (FBConsole.h says what it understands and how it scrolls).
 */

#include "iokit/Drivers/MachinaBochsFramebuffer/FBConsole.h"

#include <stddef.h>

#include "iokit/Drivers/MachinaBochsFramebuffer/FBFont.h"

#define CELL_W		FB_FONT_WIDTH
#define CELL_H		FB_FONT_HEIGHT

/* The escape parser's states. */
enum { ST_GROUND, ST_ESC, ST_CSI };

/* The eight ANSI colours, then their bright forms: 0x00RRGGBB. */
static const uint32_t fc_palette[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};
#define FG_DEFAULT	7
#define BG_DEFAULT	0

/* --- pixels --------------------------------------------------------------------------- */

/* The first pixel of memory cell row vrow, column col. */
static volatile uint32_t *
fc_cell(struct fb_console *fc, unsigned vrow, unsigned col)
{
	return fc->fc_base + (uint64_t)vrow * CELL_H * fc->fc_pitch + (uint64_t)col * CELL_W;
}

/* Screen row (the cursor's kind) to memory row. */
static unsigned
fc_vrow(struct fb_console *fc, unsigned row)
{
	return fc->fc_top + row;
}

static void
fc_draw_glyph(struct fb_console *fc, unsigned row, unsigned col, int c)
{
	volatile uint32_t *p = fc_cell(fc, fc_vrow(fc, row), col);
	const uint8_t *glyph = fb_font_glyphs[c - FB_FONT_FIRST];
	uint32_t fg = fc->fc_fg, bg = fc->fc_bg;

	for (unsigned y = 0; y < CELL_H; y++, p += fc->fc_pitch) {
		unsigned bits = glyph[y];

		for (unsigned x = 0; x < CELL_W; x++)
			p[x] = (bits & (0x80u >> x)) ? fg : bg;
	}
}

/* Columns [from, to) of screen row row, to the background. */
static void
fc_clear_cells(struct fb_console *fc, unsigned row, unsigned from, unsigned to)
{
	volatile uint32_t *p = fc_cell(fc, fc_vrow(fc, row), from);
	unsigned n = (to - from) * CELL_W;

	if (from >= to)
		return;
	for (unsigned y = 0; y < CELL_H; y++, p += fc->fc_pitch)
		for (unsigned x = 0; x < n; x++)
			p[x] = fc->fc_bg;
}

/* A whole memory cell row, margin included, to the background: 64-bit stores. */
static void
fc_clear_vrow(struct fb_console *fc, unsigned vrow)
{
	volatile uint64_t *p = (volatile uint64_t *)fc_cell(fc, vrow, 0);
	uint64_t n = (uint64_t)CELL_H * fc->fc_pitch / 2;
	uint64_t two = ((uint64_t)fc->fc_bg << 32) | fc->fc_bg;

	for (uint64_t i = 0; i < n; i++)
		p[i] = two;
	if ((CELL_H * fc->fc_pitch) % 2)
		fc_cell(fc, vrow, 0)[CELL_H * fc->fc_pitch - 1] = fc->fc_bg;
}

/* Memory cell rows [src, src + n) to [dst, ...), dst < src: a forward copy is safe. */
static void
fc_copy_vrows(struct fb_console *fc, unsigned dst, unsigned src, unsigned n)
{
	volatile uint32_t *d = fc_cell(fc, dst, 0), *s = fc_cell(fc, src, 0);
	uint64_t count = (uint64_t)n * CELL_H * fc->fc_pitch;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0 && count % 2 == 0) {
		volatile uint64_t *d8 = (volatile uint64_t *)d, *s8 = (volatile uint64_t *)s;

		for (uint64_t i = 0; i < count / 2; i++)
			d8[i] = s8[i];
		return;
	}
	for (uint64_t i = 0; i < count; i++)
		d[i] = s[i];
}

/* Within screen row row, cells [src, src + n) to dst (either direction). */
static void
fc_move_cells(struct fb_console *fc, unsigned row, unsigned dst, unsigned src, unsigned n)
{
	volatile uint32_t *line = fc_cell(fc, fc_vrow(fc, row), 0);
	unsigned w = n * CELL_W;

	for (unsigned y = 0; y < CELL_H; y++, line += fc->fc_pitch) {
		volatile uint32_t *d = line + dst * CELL_W, *s = line + src * CELL_W;

		if (dst < src) {
			for (unsigned x = 0; x < w; x++)
				d[x] = s[x];
		} else {
			for (unsigned x = w; x-- > 0;)
				d[x] = s[x];
		}
	}
}

static void
fc_invert_cell(struct fb_console *fc, unsigned row, unsigned col)
{
	volatile uint32_t *p = fc_cell(fc, fc_vrow(fc, row), col);
	uint32_t mask = fc_palette[FG_DEFAULT] ^ fc_palette[BG_DEFAULT];

	for (unsigned y = 0; y < CELL_H; y++, p += fc->fc_pitch)
		for (unsigned x = 0; x < CELL_W; x++)
			p[x] ^= mask;
}

static void
fc_cursor_off(struct fb_console *fc)
{
	if (fc->fc_cursor_drawn)
		fc_invert_cell(fc, fc->fc_row, fc->fc_col);
	fc->fc_cursor_drawn = false;
}

static void
fc_cursor_on(struct fb_console *fc)
{
	if (fc->fc_cursor_shown && !fc->fc_cursor_drawn) {
		fc_invert_cell(fc, fc->fc_row, fc->fc_col);
		fc->fc_cursor_drawn = true;
	}
}

/* --- movement ------------------------------------------------------------------------- */

static void
fc_scroll(struct fb_console *fc)
{
	fc->fc_scrolls++;
	if (fc->fc_pan != NULL && fc->fc_top + fc->fc_rows < fc->fc_vrows) {
		fc->fc_top++;
		fc_clear_vrow(fc, fc->fc_top + fc->fc_rows - 1);
		fc->fc_pan(fc->fc_pan_arg, fc->fc_top * CELL_H);
		return;
	}
	/* No room below (or no panning): the screen, less its top row, to the top. */
	fc_copy_vrows(fc, 0, fc->fc_top + 1, fc->fc_rows - 1);
	fc_clear_vrow(fc, fc->fc_rows - 1);
	if (fc->fc_top != 0) {
		fc->fc_top = 0;
		fc->fc_relocations++;
		fc->fc_pan(fc->fc_pan_arg, 0);
	}
}

static void
fc_linefeed(struct fb_console *fc)
{
	fc->fc_wrap = false;
	if (fc->fc_row + 1 < fc->fc_rows)
		fc->fc_row++;
	else
		fc_scroll(fc);
}

static void
fc_moveto(struct fb_console *fc, long row, long col)
{
	if (row < 0)
		row = 0;
	if (row >= (long)fc->fc_rows)
		row = fc->fc_rows - 1;
	if (col < 0)
		col = 0;
	if (col >= (long)fc->fc_cols)
		col = fc->fc_cols - 1;
	fc->fc_row = (unsigned)row;
	fc->fc_col = (unsigned)col;
	fc->fc_wrap = false;
}

static void
fc_printable(struct fb_console *fc, int c)
{
	if (fc->fc_wrap) {
		fc->fc_col = 0;
		fc_linefeed(fc);
	}
	fc_draw_glyph(fc, fc->fc_row, fc->fc_col, c);
	if (fc->fc_col + 1 < fc->fc_cols)
		fc->fc_col++;
	else
		fc->fc_wrap = true;
}

/* --- escape sequences ----------------------------------------------------------------- */

static void
fc_update_colours(struct fb_console *fc)
{
	unsigned fg = fc->fc_fg_index, bg = fc->fc_bg_index;

	if (fc->fc_bold && fg < 8)
		fg += 8;
	fc->fc_fg = fc_palette[fc->fc_reverse ? bg : fg];
	fc->fc_bg = fc_palette[fc->fc_reverse ? fg : bg];
}

static void
fc_sgr(struct fb_console *fc)
{
	if (fc->fc_nparams == 0)
		fc->fc_params[fc->fc_nparams++] = 0;
	for (unsigned i = 0; i < fc->fc_nparams; i++) {
		unsigned p = fc->fc_params[i];

		if (p == 0) {
			fc->fc_fg_index = FG_DEFAULT;
			fc->fc_bg_index = BG_DEFAULT;
			fc->fc_bold = fc->fc_reverse = false;
		} else if (p == 1) {
			fc->fc_bold = true;
		} else if (p == 22) {
			fc->fc_bold = false;
		} else if (p == 7) {
			fc->fc_reverse = true;
		} else if (p == 27) {
			fc->fc_reverse = false;
		} else if (p >= 30 && p <= 37) {
			fc->fc_fg_index = p - 30;
		} else if (p == 39) {
			fc->fc_fg_index = FG_DEFAULT;
		} else if (p >= 40 && p <= 47) {
			fc->fc_bg_index = p - 40;
		} else if (p == 49) {
			fc->fc_bg_index = BG_DEFAULT;
		} else if (p >= 90 && p <= 97) {
			fc->fc_fg_index = p - 90 + 8;
		} else if (p >= 100 && p <= 107) {
			fc->fc_bg_index = p - 100 + 8;
		}
	}
	fc_update_colours(fc);
}

/* ED (J) and EL (K): 0 from the cursor on, 1 up to it, 2 all. */
static void
fc_erase(struct fb_console *fc, unsigned how, bool display)
{
	unsigned row = fc->fc_row, col = fc->fc_col;

	if (how == 0 || how == 2)
		fc_clear_cells(fc, row, how == 2 ? 0 : col, fc->fc_cols);
	if (how == 1)
		fc_clear_cells(fc, row, 0, col + 1);
	if (!display)
		return;
	for (unsigned r = 0; r < fc->fc_rows; r++) {
		if ((r > row && how != 1) || (r < row && how != 0))
			fc_clear_cells(fc, r, 0, fc->fc_cols);
	}
}

/* The n-th parameter, or dflt when missing or zero. */
static unsigned
fc_param(struct fb_console *fc, unsigned n, unsigned dflt)
{
	return n < fc->fc_nparams && fc->fc_params[n] != 0 ? fc->fc_params[n] : dflt;
}

static void
fc_csi(struct fb_console *fc, int final)
{
	unsigned n = fc_param(fc, 0, 1), left;
	long row = fc->fc_row, col = fc->fc_col;

	if (fc->fc_private) {
		if ((final == 'h' || final == 'l') && fc_param(fc, 0, 0) == 25)
			fc->fc_cursor_shown = final == 'h';
		return;
	}
	switch (final) {
	case 'A': fc_moveto(fc, row - n, col); break;
	case 'B': fc_moveto(fc, row + n, col); break;
	case 'C': fc_moveto(fc, row, col + n); break;
	case 'D': fc_moveto(fc, row, col - n); break;
	case 'E': fc_moveto(fc, row + n, 0); break;
	case 'F': fc_moveto(fc, row - n, 0); break;
	case 'G': fc_moveto(fc, row, (long)n - 1); break;
	case 'd': fc_moveto(fc, (long)n - 1, col); break;
	case 'H':
	case 'f':
		fc_moveto(fc, (long)fc_param(fc, 0, 1) - 1, (long)fc_param(fc, 1, 1) - 1);
		break;
	case 'J': fc_erase(fc, fc_param(fc, 0, 0), true); break;
	case 'K': fc_erase(fc, fc_param(fc, 0, 0), false); break;
	case 'X':
		left = fc->fc_cols - fc->fc_col;
		fc_clear_cells(fc, fc->fc_row, fc->fc_col, fc->fc_col + (n < left ? n : left));
		break;
	case 'P':			/* delete n cells: the rest of the line moves left */
		left = fc->fc_cols - fc->fc_col;
		if (n > left)
			n = left;
		fc_move_cells(fc, fc->fc_row, fc->fc_col, fc->fc_col + n, left - n);
		fc_clear_cells(fc, fc->fc_row, fc->fc_cols - n, fc->fc_cols);
		break;
	case '@':			/* insert n blanks: the rest of the line moves right */
		left = fc->fc_cols - fc->fc_col;
		if (n > left)
			n = left;
		fc_move_cells(fc, fc->fc_row, fc->fc_col + n, fc->fc_col, left - n);
		fc_clear_cells(fc, fc->fc_row, fc->fc_col, fc->fc_col + n);
		break;
	case 'm': fc_sgr(fc); break;
	case 's':
		fc->fc_saved_row = fc->fc_row;
		fc->fc_saved_col = fc->fc_col;
		break;
	case 'u': fc_moveto(fc, fc->fc_saved_row, fc->fc_saved_col); break;
	default:			/* n (no answer), r, L, M, ...: ignored */
		break;
	}
}

static void
fc_esc(struct fb_console *fc, int c)
{
	fc->fc_state = ST_GROUND;
	switch (c) {
	case '[':
		fc->fc_state = ST_CSI;
		fc->fc_private = false;
		fc->fc_nparams = 0;
		break;
	case '7':
		fc->fc_saved_row = fc->fc_row;
		fc->fc_saved_col = fc->fc_col;
		break;
	case '8':
		fc_moveto(fc, fc->fc_saved_row, fc->fc_saved_col);
		break;
	case 'c':
		fb_console_reset(fc);
		break;
	default:
		break;
	}
}

/* One byte inside CSI: parameters, a private marker, intermediates, then the final byte. */
static void
fc_csi_byte(struct fb_console *fc, int c)
{
	if (c >= '0' && c <= '9') {
		if (fc->fc_nparams == 0)
			fc->fc_params[fc->fc_nparams++] = 0;
		if (fc->fc_nparams <= FC_MAX_PARAMS) {
			unsigned *p = &fc->fc_params[fc->fc_nparams - 1];

			if (*p < 10000)
				*p = *p * 10 + (unsigned)(c - '0');
		}
	} else if (c == ';') {
		if (fc->fc_nparams == 0)
			fc->fc_params[fc->fc_nparams++] = 0;
		if (fc->fc_nparams < FC_MAX_PARAMS)
			fc->fc_params[fc->fc_nparams++] = 0;
		else
			fc->fc_nparams = FC_MAX_PARAMS + 1;	/* too many: ignore the rest */
	} else if (c >= '<' && c <= '?') {
		fc->fc_private = true;
	} else if (c >= 0x40 && c <= 0x7e) {
		if (fc->fc_nparams > FC_MAX_PARAMS)
			fc->fc_nparams = FC_MAX_PARAMS;
		fc->fc_state = ST_GROUND;
		fc_csi(fc, c);
	}
	/* Intermediates (0x20-0x2f) are ignored. */
}

/* --- the interface -------------------------------------------------------------------- */

static void
fc_control(struct fb_console *fc, int c)
{
	switch (c) {
	case '\n':
	case '\v':
	case '\f':
		fc->fc_col = 0;
		fc_linefeed(fc);
		break;
	case '\r':
		fc->fc_col = 0;
		fc->fc_wrap = false;
		break;
	case '\b':
		if (fc->fc_col > 0 && !fc->fc_wrap)
			fc->fc_col--;
		fc->fc_wrap = false;
		break;
	case '\t':
		fc_moveto(fc, fc->fc_row, (long)((fc->fc_col / 8 + 1) * 8));
		break;
	case 0x1b:
		fc->fc_state = ST_ESC;
		break;
	default:			/* BEL and the rest */
		break;
	}
}

void
fb_console_putc(struct fb_console *fc, int c)
{
	c &= 0xff;
	fc_cursor_off(fc);
	if (c == 0x18 || c == 0x1a) {		/* CAN, SUB: abandon a sequence */
		fc->fc_state = ST_GROUND;
	} else if (c == 0x1b) {
		fc->fc_state = ST_ESC;
	} else if (fc->fc_state == ST_ESC) {
		fc_esc(fc, c);
	} else if (fc->fc_state == ST_CSI) {
		if (c < 0x20)
			fc_control(fc, c);
		else
			fc_csi_byte(fc, c);
	} else if (c >= 0x80 && c < 0xc0) {
		/* A UTF-8 continuation: its character was drawn at its lead byte. */
	} else if (c >= 0xc0) {
		fc_printable(fc, '?');
	} else if (c < 0x20 || c == 0x7f) {
		fc_control(fc, c);
	} else {
		fc_printable(fc, c);
	}
	fc_cursor_on(fc);
}

void
fb_console_reset(struct fb_console *fc)
{
	fc->fc_fg_index = FG_DEFAULT;
	fc->fc_bg_index = BG_DEFAULT;
	fc->fc_bold = fc->fc_reverse = false;
	fc_update_colours(fc);
	fc->fc_state = ST_GROUND;
	fc->fc_nparams = 0;
	fc->fc_private = false;
	fc->fc_cursor_shown = true;
	fc->fc_cursor_drawn = false;
	fc->fc_row = fc->fc_col = 0;
	fc->fc_saved_row = fc->fc_saved_col = 0;
	fc->fc_wrap = false;
	fc->fc_top = 0;
	for (unsigned r = 0; r < fc->fc_rows; r++)
		fc_clear_vrow(fc, r);
	if (fc->fc_pan != NULL)
		fc->fc_pan(fc->fc_pan_arg, 0);
}

bool
fb_console_init(struct fb_console *fc, volatile uint32_t *base, uint32_t pitch,
    unsigned width, unsigned height, unsigned vheight, void (*pan)(void *arg, unsigned y),
    void *pan_arg)
{
	if (base == NULL || width < CELL_W || height < CELL_H || pitch < width ||
	    vheight < height)
		return false;
	fc->fc_base = base;
	fc->fc_pitch = pitch;
	fc->fc_cols = width / CELL_W;
	fc->fc_rows = height / CELL_H;
	fc->fc_vrows = pan != NULL ? vheight / CELL_H : fc->fc_rows;
	fc->fc_pan = pan;
	fc->fc_pan_arg = pan_arg;
	fc->fc_scrolls = fc->fc_relocations = 0;
	fb_console_reset(fc);
	return true;
}
