/*
 * MachinaBochsFramebuffer.c - org.machina.driver.BochsFramebuffer: the
 * driver of the display adapter QEMU (and Bochs) emulate, as its
 * standard VGA (-vga std, PCI class 0x0300) and as bochs-display (no
 * VGA at all, class 0x0380), both PCI 1234:1111; it shows the console
 * in a text terminal drawn with Machina's font (FBConsole.h, FBFont.h).
 *
 * Matched by IOPCIMatch, its start
 *   - maps BAR 0, the linear framebuffer (all of video memory), and BAR 2
 *     where the device has it: the Bochs "DISPI" registers at 0x500
 *     (sixteen-bit, one every two bytes) and, on the VGA, the VGA's own
 *     ports at 0x400. Without BAR 2 the DISPI registers are reached
 *     through the index/data ports 0x1ce/0x1cf;
 *   - checks the ID register says 0xb0c0-0xb0c5 (a device that does not
 *     answer is refused, with one log line);
 *   - programs the first mode of FB_MODES that fits video memory
 *     (1024x768 at 32 bits a pixel), with the virtual height set to all
 *     of video memory, and reads it back: a mode that did not take is
 *     refused;
 *   - checks the Y offset register moves the display (it does on QEMU),
 *     so the terminal scrolls by panning;
 *   - publishes the mode (IOFBWidth, IOFBHeight, IOFBDepth, ...);
 *   - takes the console's "vga" output over (console_takeover), or adds a
 *     console device when the kernel has no VGA text console (booted on a
 *     firmware framebuffer). Output is mirrored: the serial line keeps its
 *     own. The device is CONSOLE_PANIC_SAFE: a panic report is drawn on
 *     the screen too, with no lock taken.
 * Its stop gives the console back and puts the adapter back in VGA mode.
 * On the VGA, turning DISPI on rewrites some VGA registers (QEMU makes
 * them describe the mode) and clears video memory, where the text mode
 * keeps its characters and font: start saves those registers and the
 * first 64 KiB of video memory, and stop puts them back, so the kernel's
 * text console shows again what it showed when the driver took over.
 *
 * One adapter: the console device's routines take no argument, so the
 * terminal is this file's (fbc) and a second adapter's start is refused.
 *
 * Locks: [c] the console lock (fbc.term, through the console device);
 * [I] set in start before the console device is installed.
 */

#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <IOKit/pci/IOPCIDevice.h>
#include <kernel/console.h>
#include <kernel/machine_routines.h>
#include <libkern/OSBoolean.h>
#include <libkern/OSMalloc.h>
#include <libkern/OSNumber.h>
#include <libkern/OSString.h>
#include <libkern/printf.h>
#include <mach/kmod.h>

#include "iokit/Drivers/MachinaBochsFramebuffer/FBConsole.h"
#include "iokit/Drivers/MachinaBochsFramebuffer/FBFont.h"

/* The DISPI registers (Bochs's vbe.h names them VBE_DISPI_INDEX_*). */
#define DISPI_ID		0x0
#define DISPI_XRES		0x1
#define DISPI_YRES		0x2
#define DISPI_BPP		0x3
#define DISPI_ENABLE		0x4
#define DISPI_BANK		0x5
#define DISPI_VIRT_WIDTH	0x6
#define DISPI_VIRT_HEIGHT	0x7
#define DISPI_X_OFFSET		0x8
#define DISPI_Y_OFFSET		0x9
#define DISPI_VIDEO_MEMORY_64K	0xa

#define DISPI_ID_FIRST		0xb0c0
#define DISPI_ID_LAST		0xb0c5
#define DISPI_ENABLED		0x01
#define DISPI_LFB_ENABLED	0x40

#define DISPI_MMIO_OFFSET	0x500	/* in BAR 2 */
#define VGA_MMIO_OFFSET		0x400	/* in BAR 2: VGA port 0x3c0 + n at 0x400 + n */
#define DISPI_PORT_INDEX	0x1ce
#define DISPI_PORT_DATA		0x1cf
#define VGA_ATTR_INDEX		0x3c0	/* the attribute controller */
#define VGA_INPUT_STATUS_1	0x3da	/* reading it resets the 0x3c0 flip-flop */
#define VGA_ATTR_PALETTE_ON	0x20	/* palette address source: the display is on */

#define PCI_CLASS_VGA		0x030000
#define FB_BPP			32

/* The VGA registers a DISPI mode changes, saved for stop (index/data port pairs). */
#define VGA_SEQ_INDEX		0x3c4
#define VGA_GFX_INDEX		0x3ce
#define VGA_CRTC_INDEX		0x3d4
#define VGA_SEQ_COUNT		5
#define VGA_GFX_COUNT		9
#define VGA_CRTC_COUNT		0x19
#define VGA_CRTC_PROTECT	0x11	/* bit 7: CRTC registers 0-7 read-only */
/* The text mode's characters (planes 0, 1) and font (plane 2) live here. */
#define VGA_TEXT_SAVE		(64 * 1024)

static const struct { uint16_t w, h; } fb_modes[] = {
	{ 1024, 768 }, { 800, 600 }, { 640, 480 },
};

struct MachinaBochsFramebuffer {
	IOService		fb_service;	/* the superclass, first */
	IOPCIDevice		*fb_pci;	/* [I] the provider (the link holds it) */
	IOMemoryMap		*fb_vram_map;	/* [I] BAR 0 */
	IOMemoryMap		*fb_mmio_map;	/* [I] BAR 2, or NULL: the DISPI ports */
	volatile uint16_t	*fb_dispi;	/* [I] the DISPI registers in BAR 2, or NULL */
	volatile uint8_t	*fb_vga;	/* [I] the VGA ports in BAR 2 (std VGA only) */
	uint32_t		fb_class;	/* [I] the PCI class code */
	uint64_t		fb_vram_size;	/* [I] bytes of video memory mapped */
	uint16_t		fb_id;		/* [I] what the ID register said */
	uint16_t		fb_width;	/* [I] the mode */
	uint16_t		fb_height;	/* [I] */
	uint16_t		fb_vheight;	/* [I] lines of video memory at this pitch */
	bool			fb_pans;	/* [I] the Y offset register moves the display */
	bool			fb_mode_set;	/* [I] DISPI is on: stop turns it off */
	int			fb_console;	/* [I] FB_CONSOLE_* */
	bool			fb_vga_saved;	/* [I] the VGA's state below is saved */
	uint8_t			fb_seq[VGA_SEQ_COUNT];	/* [I] */
	uint8_t			fb_gfx[VGA_GFX_COUNT];	/* [I] */
	uint8_t			fb_crtc[VGA_CRTC_COUNT]; /* [I] */
	uint8_t			*fb_text_save;	/* [I] video memory's first 64 KiB, or NULL */
};
OSDeclareDefaultStructors(MachinaBochsFramebuffer);

enum { FB_CONSOLE_NONE, FB_CONSOLE_TAKEN, FB_CONSOLE_REGISTERED };

static struct {
	struct MachinaBochsFramebuffer *owner;	/* the started driver, or NULL */
	struct fb_console	term;		/* [c] */
	OSMallocTag		tag;		/* from the kext's start to its stop */
} fbc;

/* --- registers ------------------------------------------------------------------------- */

/*
 * The DISPI ports are fixed ISA ports, no BAR of the function's, so no
 * nub's accessor reaches them: ml_io_* (org.machina.kpi.unsupported), only
 * when the device has no BAR 2.
 */
static uint16_t
dispi_read(struct MachinaBochsFramebuffer *fb, unsigned index)
{
	if (fb->fb_dispi != NULL)
		return fb->fb_dispi[index];
	ml_io_write16(DISPI_PORT_INDEX, (uint16_t)index);
	return ml_io_read16(DISPI_PORT_DATA);
}

static void
dispi_write(struct MachinaBochsFramebuffer *fb, unsigned index, uint16_t value)
{
	if (fb->fb_dispi != NULL) {
		fb->fb_dispi[index] = value;
		return;
	}
	ml_io_write16(DISPI_PORT_INDEX, (uint16_t)index);
	ml_io_write16(DISPI_PORT_DATA, value);
}

/* A VGA port (0x3c0-0x3df), through BAR 2 where there is one. */
static uint8_t
vga_in(struct MachinaBochsFramebuffer *fb, uint16_t port)
{
	return fb->fb_vga != NULL ? fb->fb_vga[port - VGA_ATTR_INDEX] : ml_io_read8(port);
}

static void
vga_out(struct MachinaBochsFramebuffer *fb, uint16_t port, uint8_t v)
{
	if (fb->fb_vga != NULL)
		fb->fb_vga[port - VGA_ATTR_INDEX] = v;
	else
		ml_io_write8(port, v);
}

static uint8_t
vga_read_indexed(struct MachinaBochsFramebuffer *fb, uint16_t port, uint8_t index)
{
	vga_out(fb, port, index);
	return vga_in(fb, (uint16_t)(port + 1));
}

static void
vga_write_indexed(struct MachinaBochsFramebuffer *fb, uint16_t port, uint8_t index, uint8_t v)
{
	vga_out(fb, port, index);
	vga_out(fb, (uint16_t)(port + 1), v);
}

/*
 * Before DISPI goes on, on the VGA: the sequencer, graphics and CRTC
 * registers, and the text mode's memory (the mode set clears it). Without
 * memory for the copy, stop still restores the registers.
 */
static void
fb_vga_save(struct MachinaBochsFramebuffer *fb, volatile uint8_t *vram)
{
	if (fb->fb_class != PCI_CLASS_VGA || fb->fb_vram_size < VGA_TEXT_SAVE)
		return;
	for (uint8_t i = 0; i < VGA_SEQ_COUNT; i++)
		fb->fb_seq[i] = vga_read_indexed(fb, VGA_SEQ_INDEX, i);
	for (uint8_t i = 0; i < VGA_GFX_COUNT; i++)
		fb->fb_gfx[i] = vga_read_indexed(fb, VGA_GFX_INDEX, i);
	for (uint8_t i = 0; i < VGA_CRTC_COUNT; i++)
		fb->fb_crtc[i] = vga_read_indexed(fb, VGA_CRTC_INDEX, i);
	fb->fb_vga_saved = true;
	if (fbc.tag != NULL && (fb->fb_text_save = OSMalloc(VGA_TEXT_SAVE, fbc.tag)) != NULL) {
		for (unsigned i = 0; i < VGA_TEXT_SAVE; i++)
			fb->fb_text_save[i] = vram[i];
	}
}

/* After DISPI went off: what fb_vga_save kept, so the text mode shows again. */
static void
fb_vga_restore(struct MachinaBochsFramebuffer *fb)
{
	volatile uint8_t *vram;

	if (!fb->fb_vga_saved)
		return;
	if (fb->fb_text_save != NULL && fb->fb_vram_map != NULL) {
		vram = (volatile uint8_t *)IOMemoryMap_getVirtualAddress(fb->fb_vram_map);
		for (unsigned i = 0; i < VGA_TEXT_SAVE; i++)
			vram[i] = fb->fb_text_save[i];
	}
	for (uint8_t i = 0; i < VGA_SEQ_COUNT; i++)
		vga_write_indexed(fb, VGA_SEQ_INDEX, i, fb->fb_seq[i]);
	for (uint8_t i = 0; i < VGA_GFX_COUNT; i++)
		vga_write_indexed(fb, VGA_GFX_INDEX, i, fb->fb_gfx[i]);
	/* Registers 0-7 are write-protected while CRTC 0x11 bit 7 is set: it goes last. */
	vga_write_indexed(fb, VGA_CRTC_INDEX, VGA_CRTC_PROTECT,
	    fb->fb_crtc[VGA_CRTC_PROTECT] & 0x7f);
	for (uint8_t i = 0; i < VGA_CRTC_COUNT; i++) {
		if (i != VGA_CRTC_PROTECT)
			vga_write_indexed(fb, VGA_CRTC_INDEX, i, fb->fb_crtc[i]);
	}
	vga_write_indexed(fb, VGA_CRTC_INDEX, VGA_CRTC_PROTECT, fb->fb_crtc[VGA_CRTC_PROTECT]);
	fb->fb_vga_saved = false;
}

/* On the VGA: the attribute controller's "palette on" bit, without which the screen is blank. */
static void
fb_vga_display_on(struct MachinaBochsFramebuffer *fb)
{
	if (fb->fb_class != PCI_CLASS_VGA)
		return;
	if (fb->fb_vga != NULL) {
		(void)fb->fb_vga[VGA_INPUT_STATUS_1 - VGA_ATTR_INDEX];
		fb->fb_vga[0] = VGA_ATTR_PALETTE_ON;
		return;
	}
	(void)ml_io_read8(VGA_INPUT_STATUS_1);
	ml_io_write8(VGA_ATTR_INDEX, VGA_ATTR_PALETTE_ON);
}

/* --- the console device ---------------------------------------------------------------- */

/* The terminal's pan routine: show scan line y first. [c] */
static void
fb_pan(void *arg, unsigned y)
{
	dispi_write((struct MachinaBochsFramebuffer *)arg, DISPI_Y_OFFSET, (uint16_t)y);
}

/* Console lock held (or panicking), interrupts off: memory and one register only. */
static void
fb_putc(int c)
{
	if (fbc.owner != NULL)
		fb_console_putc(&fbc.term, c);
}

static const struct console_device fb_console_device = {
	.cd_name = "MachinaBochsFramebuffer",
	.cd_putc = fb_putc,
	.cd_getc = NULL,
	.cd_flags = CONSOLE_PANIC_SAFE,
};

/* --- the mode -------------------------------------------------------------------------- */

/* Program w x h at 32 bits and read it back. */
static bool
fb_try_mode(struct MachinaBochsFramebuffer *fb, uint16_t w, uint16_t h)
{
	uint64_t pitch = (uint64_t)w * (FB_BPP / 8);
	uint64_t lines = fb->fb_vram_size / pitch;

	if ((uint64_t)h * pitch > fb->fb_vram_size)
		return false;
	if (lines > 0xffff)
		lines = 0xffff;
	dispi_write(fb, DISPI_ENABLE, 0);
	dispi_write(fb, DISPI_BPP, FB_BPP);
	dispi_write(fb, DISPI_XRES, w);
	dispi_write(fb, DISPI_YRES, h);
	dispi_write(fb, DISPI_BANK, 0);
	dispi_write(fb, DISPI_VIRT_WIDTH, w);
	dispi_write(fb, DISPI_VIRT_HEIGHT, (uint16_t)lines);
	dispi_write(fb, DISPI_X_OFFSET, 0);
	dispi_write(fb, DISPI_Y_OFFSET, 0);
	dispi_write(fb, DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB_ENABLED);
	fb->fb_mode_set = true;
	if (dispi_read(fb, DISPI_XRES) != w || dispi_read(fb, DISPI_YRES) != h ||
	    dispi_read(fb, DISPI_BPP) != FB_BPP || dispi_read(fb, DISPI_VIRT_WIDTH) != w ||
	    (dispi_read(fb, DISPI_ENABLE) & DISPI_ENABLED) == 0)
		return false;
	fb->fb_width = w;
	fb->fb_height = h;
	/* The VGA works its virtual height out itself; bochs-display keeps ours. */
	lines = dispi_read(fb, DISPI_VIRT_HEIGHT);
	if (lines * pitch > fb->fb_vram_size)
		lines = fb->fb_vram_size / pitch;
	fb->fb_vheight = lines >= h ? (uint16_t)lines : h;
	return true;
}

/* Does the Y offset register take a value that keeps the screen in video memory? */
static bool
fb_check_pan(struct MachinaBochsFramebuffer *fb)
{
	uint16_t y = (uint16_t)(fb->fb_vheight - fb->fb_height);
	bool ok;

	if (y < FB_FONT_HEIGHT)
		return false;
	dispi_write(fb, DISPI_Y_OFFSET, y);
	ok = dispi_read(fb, DISPI_Y_OFFSET) == y;
	dispi_write(fb, DISPI_Y_OFFSET, 0);
	return ok && dispi_read(fb, DISPI_Y_OFFSET) == 0;
}

/* --- the registry ---------------------------------------------------------------------- */

static void
fb_set_number(struct MachinaBochsFramebuffer *fb, const char *key, uint64_t value)
{
	OSNumber *n = OSNumber_withNumber(value, 32);

	if (n == NULL)
		return;
	(void)IORegistryEntry_setProperty(&fb->fb_service.sv_entry, key, OSOBJ(n));
	OSObject_release(OSOBJ(n));
}

static void
fb_set_string(struct MachinaBochsFramebuffer *fb, const char *key, const char *value)
{
	OSString *s = OSString_withCString(value);

	if (s == NULL)
		return;
	(void)IORegistryEntry_setProperty(&fb->fb_service.sv_entry, key, OSOBJ(s));
	OSObject_release(OSOBJ(s));
}

static void
fb_publish(struct MachinaBochsFramebuffer *fb)
{
	char mode[32];

	snprintf(mode, sizeof(mode), "%ux%ux%u", fb->fb_width, fb->fb_height, FB_BPP);
	fb_set_number(fb, "IOFBWidth", fb->fb_width);
	fb_set_number(fb, "IOFBHeight", fb->fb_height);
	fb_set_number(fb, "IOFBDepth", FB_BPP);
	fb_set_number(fb, "IOFBBytesPerRow", (uint64_t)fb->fb_width * (FB_BPP / 8));
	fb_set_number(fb, "IOFBMemorySize", fb->fb_vram_size);
	fb_set_number(fb, "IOFBVirtualHeight", fb->fb_vheight);
	fb_set_number(fb, "IOFBTextColumns", fbc.term.fc_cols);
	fb_set_number(fb, "IOFBTextRows", fbc.term.fc_rows);
	fb_set_number(fb, "IOFBDISPIVersion", fb->fb_id);
	fb_set_string(fb, "IOFBMode", mode);
	fb_set_string(fb, "IOFBRegisterAccess", fb->fb_dispi != NULL ? "mmio" : "ports");
	fb_set_string(fb, "IOFBScrolling", fb->fb_pans ? "pan" : "copy");
	(void)IORegistryEntry_setProperty(&fb->fb_service.sv_entry, "IOConsole",
	    OSOBJ(kOSBooleanTrue));
}

/* --- the driver ------------------------------------------------------------------------ */

static void
fb_take_down(struct MachinaBochsFramebuffer *fb)
{
	/* When these return no CPU is in fb_putc. */
	if (fb->fb_console == FB_CONSOLE_TAKEN)
		console_giveback(&fb_console_device);
	else if (fb->fb_console == FB_CONSOLE_REGISTERED)
		console_unregister(&fb_console_device);
	fb->fb_console = FB_CONSOLE_NONE;
	if (fbc.owner == fb)
		fbc.owner = NULL;
	if (fb->fb_mode_set) {
		/* Back to the VGA's own mode: text, as it was when start found it. */
		dispi_write(fb, DISPI_ENABLE, 0);
		fb_vga_restore(fb);
		fb->fb_mode_set = false;
	}
	if (fb->fb_text_save != NULL) {
		OSFree(fb->fb_text_save, VGA_TEXT_SAVE, fbc.tag);
		fb->fb_text_save = NULL;
	}
	fb->fb_dispi = NULL;
	fb->fb_vga = NULL;
	OSSafeReleaseNULL(fb->fb_mmio_map);
	OSSafeReleaseNULL(fb->fb_vram_map);
}

static bool
fb_fail(struct MachinaBochsFramebuffer *fb, const char *why)
{
	IOLog("MachinaBochsFramebuffer: %s; not starting\n", why);
	fb_take_down(fb);
	return false;
}

/* BAR 0 and, if the function has it, BAR 2. */
static bool
fb_map(struct MachinaBochsFramebuffer *fb)
{
	(void)IOPCIDevice_setMemoryEnable(fb->fb_pci, true);
	fb->fb_vram_map = IOPCIDevice_mapDeviceMemoryWithRegister(fb->fb_pci,
	    kIOPCIConfigBaseAddress0, kIOMapWriteCombineCache);
	if (fb->fb_vram_map == NULL)
		return false;
	fb->fb_vram_size = IOMemoryMap_getLength(fb->fb_vram_map);
	/* BAR 2 holds the registers; a VGA older than QEMU 1.3 has none (the family logs it). */
	fb->fb_mmio_map = IOPCIDevice_mapDeviceMemoryWithRegister(fb->fb_pci,
	    kIOPCIConfigBaseAddress2, kIOMapInhibitCache);
	if (fb->fb_mmio_map != NULL &&
	    IOMemoryMap_getLength(fb->fb_mmio_map) >= DISPI_MMIO_OFFSET + 0x20) {
		uint8_t *regs = (uint8_t *)IOMemoryMap_getVirtualAddress(fb->fb_mmio_map);

		fb->fb_dispi = (volatile uint16_t *)(regs + DISPI_MMIO_OFFSET);
		fb->fb_vga = (volatile uint8_t *)(regs + VGA_MMIO_OFFSET);
	} else {
		OSSafeReleaseNULL(fb->fb_mmio_map);
		(void)IOPCIDevice_setIOEnable(fb->fb_pci, true);
	}
	return true;
}

static bool
fb_start(IOService *self, IOService *provider)
{
	struct MachinaBochsFramebuffer *fb = (struct MachinaBochsFramebuffer *)self;
	volatile uint32_t *pixels;
	char why[80];
	unsigned i;
	kern_return_t kr;

	fb->fb_pci = OSDynamicCast(IOPCIDevice, provider);
	if (fb->fb_pci == NULL)
		return fb_fail(fb, "the provider is not a PCI device");
	if (fbc.owner != NULL)
		return fb_fail(fb, "another adapter has the screen already");
	fb->fb_class = IOPCIDevice_configRead32(fb->fb_pci, kIOPCIConfigRevisionID) >> 8;
	if (!fb_map(fb))
		return fb_fail(fb, "BAR 0 (the framebuffer) did not map");
	fb->fb_id = dispi_read(fb, DISPI_ID);
	if (fb->fb_id < DISPI_ID_FIRST || fb->fb_id > DISPI_ID_LAST) {
		snprintf(why, sizeof(why), "no DISPI registers answer (ID 0x%x)", fb->fb_id);
		return fb_fail(fb, why);
	}
	if (fb->fb_id >= 0xb0c4 && dispi_read(fb, DISPI_VIDEO_MEMORY_64K) != 0) {
		uint64_t reported = (uint64_t)dispi_read(fb, DISPI_VIDEO_MEMORY_64K) << 16;

		if (reported < fb->fb_vram_size)
			fb->fb_vram_size = reported;
	}
	fb_vga_save(fb, (volatile uint8_t *)IOMemoryMap_getVirtualAddress(fb->fb_vram_map));
	for (i = 0; i < sizeof(fb_modes) / sizeof(fb_modes[0]); i++) {
		if (fb_try_mode(fb, fb_modes[i].w, fb_modes[i].h))
			break;
	}
	if (i == sizeof(fb_modes) / sizeof(fb_modes[0])) {
		snprintf(why, sizeof(why), "no mode took (%u KiB of video memory)",
		    (unsigned)(fb->fb_vram_size >> 10));
		return fb_fail(fb, why);
	}
	fb_vga_display_on(fb);
	fb->fb_pans = fb_check_pan(fb);
	pixels = (volatile uint32_t *)IOMemoryMap_getVirtualAddress(fb->fb_vram_map);
	if (!fb_console_init(&fbc.term, pixels, fb->fb_width, fb->fb_width, fb->fb_height,
	    fb->fb_vheight, fb->fb_pans ? fb_pan : NULL, fb))
		return fb_fail(fb, "the terminal refused the mode");
	fbc.owner = fb;
	fb_publish(fb);

	/* The screen is the console's "vga" from now on, or a console of its own. */
	kr = console_takeover("vga", &fb_console_device);
	if (kr == KERN_SUCCESS) {
		fb->fb_console = FB_CONSOLE_TAKEN;
	} else if (kr == KERN_INVALID_ARGUMENT) {
		console_register(&fb_console_device);
		fb->fb_console = FB_CONSOLE_REGISTERED;
	} else {
		return fb_fail(fb, "the console's screen is taken by another driver");
	}
	IOLog("MachinaBochsFramebuffer: %ux%ux%u on %02x:%02x.%x (%s, DISPI 0x%x through %s),"
	    " %ux%u text, scrolling by %s; the console is on the screen\n", fb->fb_width,
	    fb->fb_height, FB_BPP, IOPCIDevice_getBusNumber(fb->fb_pci),
	    IOPCIDevice_getDeviceNumber(fb->fb_pci), IOPCIDevice_getFunctionNumber(fb->fb_pci),
	    fb->fb_class == PCI_CLASS_VGA ? "VGA" : "display", fb->fb_id,
	    fb->fb_dispi != NULL ? "MMIO" : "ports", fbc.term.fc_cols, fbc.term.fc_rows,
	    fb->fb_pans ? "panning" : "copying");
	IOService_registerService(self, 0);
	return true;
}

static void
fb_stop(IOService *self, IOService *provider)
{
	(void)provider;
	fb_take_down((struct MachinaBochsFramebuffer *)self);
	IOLog("MachinaBochsFramebuffer: stopped; the screen is the VGA's again\n");
}

/* The last release: whatever start made and stop did not undo. */
static void
fb_free(OSObject *obj)
{
	fb_take_down((struct MachinaBochsFramebuffer *)obj);
}

static const struct IOService_methods fb_methods = {
	.re.os.free = fb_free,
	.start = fb_start,
	.stop = fb_stop,
};
OSDefineMetaClassAndStructorsWithMethods(MachinaBochsFramebuffer, IOService, &fb_methods);

kern_return_t MachinaBochsFramebuffer_start(kmod_info_t *ki, void *data);
kern_return_t MachinaBochsFramebuffer_stop(kmod_info_t *ki, void *data);

kern_return_t
MachinaBochsFramebuffer_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	fbc.tag = OSMalloc_Tagalloc("org.machina.driver.BochsFramebuffer", OSMT_DEFAULT);
	return fbc.tag != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t
MachinaBochsFramebuffer_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	OSMalloc_Tagfree(fbc.tag);
	fbc.tag = NULL;
	return KERN_SUCCESS;
}
