#!/usr/bin/env python3
"""test_framecheck.py RESULTS_DIR: the video suite's screen check (framecheck.py) without
QEMU, so a check that accepts any screen cannot hide behind passing boots. Screens drawn here
as QEMU would dump them, for a 64x40 mode at 32 and at 16 bits, and an 80x25 text screen;
the ones that match must pass, and each mutation (a pixel off, rows a pixel apart, channels
swapped, another size, a missing marker, another type or mode) must be reported. Writes
RESULTS_DIR/qemu-framecheck.tap."""
import os
import sys
import tempfile

import framecheck
import selftest

W, H = 300, 40  # wider than 256: the pattern's block bits show


def fb_line(bpp, red, green, blue, w=W, h=H, kind=1):
    pitch = w * ((bpp + 7) // 8)
    return ("framebuffer: type %d addr 0xfd000000 size 0x%x pitch %d width %d height %d bpp %d "
            "vbe_mode 0x144 red %d:%d green %d:%d blue %d:%d\n" %
            ((kind, pitch * h, pitch, w, h, bpp) + red + green + blue))


def serial(bpp, red, green, blue, w=W, h=H):
    pitch = w * ((bpp + 7) // 8)
    line = fb_line(bpp, red, green, blue, w, h)
    said = ("multios: video: mode 0x144 set: %dx%d, %d bits a pixel (red %d@%d, green %d@%d, "
            "blue %d@%d), framebuffer 0xfd000000, pitch %d\n" %
            (w, h, bpp, red[1], red[0], green[1], green[0], blue[1], blue[0], pitch))
    return said + line


def screen(w, h, sizes, shift=0):
    """The dump of the pattern drawn with channels of these sizes (low bits lost, as QEMU
    shows them: replicated from the top), the rows `shift` pixels apart."""
    out = bytearray()
    for y in range(h):
        for x in range(w):
            rgb = framecheck.pattern(x + shift * y, y)
            for v, s in zip(rgb, sizes):
                t = v >> (8 - s)
                out.append(((t << (8 - s)) | (t >> (2 * s - 8) if s < 8 else 0)) & 0xFF)
    return bytes(out)


def ppm(path, w, h, pixels):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h) + pixels)


def main():
    results = sys.argv[1]
    rgb32 = ((16, 8), (8, 8), (0, 8))
    rgb16 = ((11, 5), (5, 6), (0, 5))
    s32, s16 = serial(32, *rgb32), serial(16, *rgb16)
    good32, good16 = screen(W, H, (8, 8, 8)), screen(W, H, (5, 6, 5))
    off = bytearray(good32)
    off[3 * (7 * W + 100) + 1] ^= 0x10  # one green value at (100, 7)
    swapped = bytes(b for i in range(0, len(good32), 3)
                    for b in (good32[i + 2], good32[i + 1], good32[i]))
    text = bytearray(4000)
    for i, c in enumerate(b"demo64" + framecheck.TEXT_MARK.encode()):
        text[24 * 160 + 2 * i] = c
    cases = [  # name, serial, kind, (w, h, pixels), text memory, mode, None or the reason
        ("the pattern at 32 bits passes", s32, "rgb", (W, H, good32), text, (W, H, 32), None),
        ("the pattern at 5:6:5 passes", s16, "rgb", (W, H, good16), text, None, None),
        ("a pixel off is reported", s32, "rgb", (W, H, bytes(off)), text, None,
         "pixel (100, 7)"),
        ("rows a pixel apart are reported", s32, "rgb", (W, H, screen(W, H, (8, 8, 8), 1)),
         text, None, "pixel (0, 1)"),
        ("swapped channels are reported", s32, "rgb", (W, H, swapped), text, None, "pixel (0, 0)"),
        ("16-bit values at 32 bits are reported", s32, "rgb", (W, H, good16), text, None,
         "pixel"),
        ("another size is reported", s32, "rgb", (W, H - 1, good32[:3 * W * (H - 1)]), text,
         None, "the screen is"),
        ("another mode than asked is reported", s32, "rgb", (W, H, good32), text, (W, H, 16),
         "mode"),
        ("a loader log that disagrees is reported", s32.replace("pitch 1200\n", "pitch 1280\n"),
         "rgb", (W, H, good32), text, None, "log does not say"),
        ("a missing framebuffer line is reported", "demo64: PASS\n", "rgb", (W, H, good32),
         text, None, "no framebuffer line"),
        ("text where graphics was asked is reported", fb_line(16, (0, 0), (0, 0), (0, 0),
                                                              80, 25, 2),
         "rgb", (720, 400, bytes(720 * 400 * 3)), text, None, "type 2"),
        ("text with the marker passes", fb_line(16, (0, 0), (0, 0), (0, 0), 80, 25, 2), "text",
         (720, 400, bytes(720 * 400 * 3)), text, None, None),
        ("text without the marker is reported", fb_line(16, (0, 0), (0, 0), (0, 0), 80, 25, 2),
         "text", (720, 400, bytes(720 * 400 * 3)), bytes(4000), None, "marker"),
        ("text that QEMU shows as graphics is reported",
         fb_line(16, (0, 0), (0, 0), (0, 0), 80, 25, 2), "text", (W, H, good32), text, None,
         "not QEMU's"),
    ]
    with tempfile.TemporaryDirectory() as work:
        shot, mem = os.path.join(work, "screen.ppm"), os.path.join(work, "text.bin")

        def run(out, kind, w, h, pixels, tmem, mode):
            ppm(shot, w, h, pixels)
            with open(mem, "wb") as f:
                f.write(tmem)
            return framecheck.check(out, "demo64", kind, shot, mem, mode)
        return selftest.report(results, "framecheck", [
            (name, lambda c=(out, kind) + screen_ + (tmem, mode): run(*c), want)
            for name, out, kind, screen_, tmem, mode, want in cases])

if __name__ == "__main__":
    sys.exit(main())
