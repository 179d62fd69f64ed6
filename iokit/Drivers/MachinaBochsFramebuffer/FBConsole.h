/*
 * FBConsole.h - a text terminal drawn on a 32-bit linear framebuffer
 * with the 8x16 font (FBFont.h): what MachinaBochsFramebuffer shows the
 * console's output with. It knows nothing of the device: it is given
 * memory, a geometry and, optionally, a way to pan the display.
 *
 * The terminal understands what the kernel and the console tty send and
 * what busybox's line editing uses: printable ASCII (other bytes show as
 * '?', UTF-8 continuation bytes are skipped), CR, LF (also a CR, as on
 * the VGA text console: the kernel's printf ends lines with a bare LF),
 * BS, HT (stops every 8 columns), VT and FF as LF, ESC 7 / ESC 8, ESC c,
 * and the CSI sequences A B C D E F G H f d J K X P @ m s u and ?25h/?25l
 * (the cursor shown or not). Everything else is parsed and ignored (ESC
 * [6n gets no answer). A character written in the last column leaves the
 * cursor there; the next one wraps first, as a VT100 does.
 *
 * Scrolling: memory may hold more cell rows than the screen (vrows >
 * rows). With a pan routine the visible window then moves one cell row
 * down the memory per scroll, so a scroll clears one row instead of
 * moving the whole screen; when the window reaches the end of memory the
 * visible screen is copied back to the top once. Without one (or when
 * vrows == rows) each scroll moves the screen up by a row.
 *
 * The cursor is its cell with every pixel inverted (XOR), drawn after
 * each character and taken off before the next, so no shadow copy of
 * the screen is kept. The cost of a character is one cell drawn and the
 * cursor's two; a scroll adds one cleared row.
 *
 * Locks: none of its own. [c] fields are serialized by the caller (the
 * console lock; after a panic, no lock: the panicking CPU is alone or
 * the output may be garbled, never deadlocked). [I] set by
 * fb_console_init.
 */

#ifndef MACHINA_BOCHS_FRAMEBUFFER_FBCONSOLE_H
#define MACHINA_BOCHS_FRAMEBUFFER_FBCONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#define FC_MAX_PARAMS	8

struct fb_console {
	volatile uint32_t *fc_base;	/* [I] pixel (0, 0) of the memory */
	uint32_t	fc_pitch;	/* [I] pixels from one scan line to the next */
	unsigned	fc_cols;	/* [I] the screen, in cells */
	unsigned	fc_rows;	/* [I] */
	unsigned	fc_vrows;	/* [I] cell rows the memory holds, >= fc_rows */
	void		(*fc_pan)(void *arg, unsigned y); /* [I] show scan line y first */
	void		*fc_pan_arg;	/* [I] */

	unsigned	fc_top;		/* [c] memory cell row shown at the top */
	unsigned	fc_row;		/* [c] the cursor, in screen cells */
	unsigned	fc_col;		/* [c] */
	bool		fc_wrap;	/* [c] the last column was written: wrap first */
	bool		fc_cursor_drawn; /* [c] the cursor's cell is inverted now */
	bool		fc_cursor_shown; /* [c] ?25h (true) or ?25l */
	uint32_t	fc_fg;		/* [c] colours of what is written */
	uint32_t	fc_bg;		/* [c] */
	unsigned	fc_fg_index;	/* [c] SGR state: palette indices, bold, reverse */
	unsigned	fc_bg_index;	/* [c] */
	bool		fc_bold;	/* [c] */
	bool		fc_reverse;	/* [c] */
	unsigned	fc_saved_row;	/* [c] ESC 7 / CSI s */
	unsigned	fc_saved_col;	/* [c] */

	int		fc_state;	/* [c] the escape parser's */
	bool		fc_private;	/* [c] CSI ? ... */
	unsigned	fc_nparams;	/* [c] */
	unsigned	fc_params[FC_MAX_PARAMS]; /* [c] */

	uint64_t	fc_scrolls;	/* [c] rows scrolled */
	uint64_t	fc_relocations;	/* [c] times the screen was copied back to the top */
};

/*
 * fb_console_init: a terminal on base (pitch pixels a line, memory for
 * vheight lines) showing width x height pixels; pan may be NULL. Clears
 * the screen and pans to line 0. False if the geometry cannot hold one
 * cell, or height > vheight, or pitch < width.
 */
bool	fb_console_init(struct fb_console *fc, volatile uint32_t *base, uint32_t pitch,
	    unsigned width, unsigned height, unsigned vheight,
	    void (*pan)(void *arg, unsigned y), void *pan_arg);

/* fb_console_putc: one byte of output. [c] */
void	fb_console_putc(struct fb_console *fc, int c);

/* fb_console_reset: colours, cursor and parser back to the start; clears the screen. [c] */
void	fb_console_reset(struct fb_console *fc);

#endif /* MACHINA_BOCHS_FRAMEBUFFER_FBCONSOLE_H */
