#!/usr/bin/env python3
"""mkfbfont.py - make the framebuffer console's font (FBFont.c) from its
drawing (FBFont.txt), both in iokit/Drivers/MachinaBochsFramebuffer.

    tools/mkfbfont.py [--check]

Each glyph of the drawing is five columns by eight rows. In the 8x16 cell
column c inks pixel 1+c, rows 0-6 each
fill two pixel rows starting at row 1, and row 7 (descenders) fills pixel
row 15; pixel row 0 and column 0 stay blank, so neighbouring cells never
touch. A glyph row is one byte, its leftmost pixel the top bit.

--check: exit 1 if FBFont.c is not what the drawing makes.
tests/iokit/test_framebuffer.py imports glyphs() to draw the text it looks
for in a screen dump.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "iokit", "Drivers", "MachinaBochsFramebuffer")
DRAWING = os.path.join(DIR, "FBFont.txt")
OUTPUT = os.path.join(DIR, "FBFont.c")
FIRST, LAST = 0x20, 0x7e
WIDTH, HEIGHT = 8, 16


def parse(text):
    """{code: [eight strings of five '#'/'.']} from the drawing."""
    glyphs, code = {}, None
    for n, line in enumerate(text.splitlines(), 1):
        line = line.rstrip()
        if not line or line.startswith("# ") or line == "#":
            continue
        if line.startswith("= "):
            code = int(line[2:], 16)
            if code in glyphs or not FIRST <= code <= LAST:
                raise ValueError("line %d: glyph 0x%x repeated or out of range" % (n, code))
            glyphs[code] = []
            continue
        if code is None or len(line) != 5 or set(line) - {"#", "."} or len(glyphs[code]) == 8:
            raise ValueError("line %d: not a glyph row: %r" % (n, line))
        glyphs[code].append(line)
    missing = [c for c in range(FIRST, LAST + 1) if len(glyphs.get(c, [])) != 8]
    if missing:
        raise ValueError("glyphs missing or short: %s" % ", ".join("0x%x" % c for c in missing))
    return glyphs


def render(rows):
    """Sixteen bytes, one per pixel row, for one glyph's eight rows."""
    out = [0] * HEIGHT
    for r, row in enumerate(rows):
        bits = 0
        for c, ch in enumerate(row):
            if ch == "#":
                bits |= 0x80 >> (1 + c)
        for y in ([1 + 2 * r, 2 + 2 * r] if r < 7 else [15]):
            out[y] = bits
    return out


def glyphs(path=DRAWING):
    """{code: [16 row bytes]} for every printable ASCII character. No two
    glyphs are the same, so a screen can be read back character by character."""
    with open(path) as f:
        font = {c: render(rows) for c, rows in parse(f.read()).items()}
    seen = {}
    for c, rows in sorted(font.items()):
        if tuple(rows) in seen:
            raise ValueError("glyphs 0x%x and 0x%x are the same" % (seen[tuple(rows)], c))
        seen[tuple(rows)] = c
    return font


def c_source(font):
    lines = ["/*",
             " * FBFont.c - the framebuffer console's 8x16 font, made by tools/mkfbfont.py",
             " * from FBFont.txt (edit that, then run the script). Do not edit.",
             " */",
             "",
             '#include "iokit/Drivers/MachinaBochsFramebuffer/FBFont.h"',
             "",
             "const uint8_t fb_font_glyphs[FB_FONT_GLYPHS][FB_FONT_HEIGHT] = {"]
    for c in range(FIRST, LAST + 1):
        shown = chr(c) if c not in (0x5c,) else "backslash"
        lines.append("\t/* 0x%02x %s */" % (c, shown if c != 0x2f else "slash"))
        lines.append("\t{ " + ", ".join("0x%02x" % b for b in font[c][:8]) + ",")
        lines.append("\t  " + ", ".join("0x%02x" % b for b in font[c][8:]) + " },")
    lines.append("};")
    return "\n".join(lines) + "\n"


def main():
    text = c_source(glyphs())
    if "--check" in sys.argv[1:]:
        with open(OUTPUT) as f:
            if f.read() != text:
                sys.stderr.write("mkfbfont: %s is stale: run tools/mkfbfont.py\n" % OUTPUT)
                return 1
        return 0
    with open(OUTPUT, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
