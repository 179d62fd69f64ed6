/*
 * vga_text.c - a text console that scrolls by moving the CRTC start address.
 *
 * Text memory (32 KiB at 0xb8000) holds about eight screens. Output runs
 * down that memory and the CRTC's start address follows, one line per
 * scroll, so scrolling writes 80 cells instead of 2000; only when the end of
 * the memory is reached is the visible screen copied back to the top. Under
 * emulation every cell written is an exit into QEMU, so this matters.
 */

#include "kernel/x86_64/vga_text.h"

#include <stdint.h>

#include "kernel/console.h"
#include "kernel/x86_64/cpu.h"
#include "mach/vm/pmap.h"

#define VGA_TEXT_PADDR	0xb8000
#define VGA_MEM_BYTES	(32 * 1024)
#define COLS		80
#define ROWS		25
#define TOTAL_ROWS	(VGA_MEM_BYTES / 2 / COLS)	/* 204 */
#define ATTR		0x0700				/* light grey on black */
#define CRTC_INDEX	0x3d4
#define CRTC_DATA	0x3d5

/* [console lock] */
static struct {
	volatile uint16_t	*mem;
	unsigned		top;	/* first visible row in memory */
	unsigned		row;	/* cursor row, relative to top */
	unsigned		col;
} vga;

static void
crtc_write(uint8_t index, uint8_t value)
{
	outb(CRTC_INDEX, index);
	outb(CRTC_DATA, value);
}

static void
vga_update_hw(void)
{
	unsigned start = vga.top * COLS;
	unsigned cursor = start + vga.row * COLS + vga.col;

	crtc_write(0x0c, (uint8_t)(start >> 8));
	crtc_write(0x0d, (uint8_t)start);
	crtc_write(0x0e, (uint8_t)(cursor >> 8));
	crtc_write(0x0f, (uint8_t)cursor);
}

static void
vga_clear_row(unsigned mem_row)
{
	/* Four cells a store: each store to text memory is an exit under emulation. */
	volatile uint64_t *row = (volatile uint64_t *)(vga.mem + mem_row * COLS);
	uint64_t blanks = 0x0001000100010001ULL * (ATTR | ' ');

	for (unsigned c = 0; c < COLS / 4; c++)
		row[c] = blanks;
}

static void
vga_newline(void)
{
	vga.col = 0;
	if (vga.row + 1 < ROWS) {
		vga.row++;
		return;
	}
	if (vga.top + ROWS == TOTAL_ROWS) {
		/* Out of memory below: move the screen (less its top row) up. */
		for (unsigned i = 0; i < (ROWS - 1) * COLS; i++)
			vga.mem[i] = vga.mem[(vga.top + 1) * COLS + i];
		vga.top = 0;
	} else {
		vga.top++;
	}
	vga_clear_row(vga.top + ROWS - 1);
}

static void
vga_putc(int c)
{
	switch (c) {
	case '\n':
		vga_newline();
		break;
	case '\r':
		vga.col = 0;
		break;
	case '\b':
		if (vga.col > 0)
			vga.col--;
		break;
	case '\t':
		do
			vga_putc(' ');
		while (vga.col % 8 != 0);
		return;
	default:
		if (c < 0x20 || c > 0x7e)
			c = '?';
		vga.mem[(vga.top + vga.row) * COLS + vga.col] = (uint16_t)(ATTR | c);
		if (++vga.col == COLS)
			vga_newline();
		break;
	}
	if (c == '\n' || vga.col == 0)
		vga_update_hw();
}

/*
 * A display driver (a framebuffer's) takes the screen over: from then on
 * the console sends it the output instead, so text memory is no longer
 * written (in a graphics mode it would land in the driver's pixels).
 * There is nothing to stop here: the text console takes no interrupts.
 * Given back, the driver has put the hardware back in text mode, which
 * shows what was on the screen when it was taken.
 */
static void
vga_handoff(int taken)
{
	(void)taken;
}

static const struct console_device vga_console = {
	.cd_name = "vga",
	.cd_putc = vga_putc,
	.cd_getc = NULL,
	.cd_flags = 0,
	.cd_handoff = vga_handoff,
};

int
vga_text_init(const struct boot_framebuffer *fb)
{
	uint64_t paddr = VGA_TEXT_PADDR;

	if (fb->bf_type == BOOT_FB_RGB)
		return -1;
	if (fb->bf_type == BOOT_FB_EGA_TEXT && fb->bf_addr != 0)
		paddr = fb->bf_addr;
	if (!pmap_physmap_contains(paddr, VGA_MEM_BYTES))
		return -1;
	vga.mem = phystokv(paddr);
	vga.top = vga.row = vga.col = 0;
	for (unsigned r = 0; r < ROWS; r++)
		vga_clear_row(r);
	vga_update_hw();
	console_register(&vga_console);
	return 0;
}
