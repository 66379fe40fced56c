"""framecheck.py: is the screen QEMU shows the one the kernel was told about? The kernel
(tests/kernels/common/bootcheck_fb.c) prints its framebuffer line and draws: every pixel of
a graphics mode in a pattern, or a marker on the last row of EGA text; the harness then
takes a screendump (PPM) and the VGA text memory through the monitor. A graphics screen must
be exactly the reported size and show the pattern at every pixel, to the precision of each
reported channel; a text screen must be QEMU's 80x25 text rendering with the marker in the
text memory. check() returns None or the reason."""
import re

FB_LINE = re.compile(
    r"(?m)^framebuffer: type (\d+) addr 0x([0-9a-f]+) size 0x([0-9a-f]+) pitch (\d+) width "
    r"(\d+) height (\d+) bpp (\d+) vbe_mode 0x([0-9a-f]+) red (\d+):(\d+) green (\d+):(\d+) "
    r"blue (\d+):(\d+)\r?$")
FIELDS = ("type", "addr", "size", "pitch", "width", "height", "bpp", "vbe_mode", "red_pos",
          "red_size", "green_pos", "green_size", "blue_pos", "blue_size")
HEX = ("addr", "size", "vbe_mode")
TEXT_SCREEN = (720, 400)  # QEMU's VGA draws 80x25 text in 9x16 cells
TEXT_MARK = ": EGA text framebuffer 80x25 at 0xb8000"


def framebuffer(serial):
    """The kernel's framebuffer line as a dict, or None."""
    m = FB_LINE.search(serial)
    if not m:
        return None
    return {k: int(v, 16 if k in HEX else 10) for k, v in zip(FIELDS, m.groups())}


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM (P6, maxval 255)."""
    with open(path, "rb") as f:
        data = f.read()
    tokens, pos = [], 0
    while len(tokens) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        if not m:
            raise ValueError("%s: truncated PPM header" % path)
        tokens.append(m.group(2))
        pos = m.end()
    if tokens[0] != b"P6" or tokens[3] != b"255":
        raise ValueError("%s: not a P6 PPM with maxval 255" % path)
    w, h = int(tokens[1]), int(tokens[2])
    pixels = data[pos + 1:pos + 1 + w * h * 3]
    if len(pixels) != w * h * 3:
        raise ValueError("%s: %d bytes of pixels, want %d" % (path, len(pixels), w * h * 3))
    return w, h, pixels


def pattern(x, y):
    """What the kernel draws at (x, y) as 8-bit red, green, blue: bootcheck_fb.c's
    fb_pattern."""
    return x & 0xFF, y & 0xFF, (((x >> 8) << 5) | ((y >> 8) << 2) | 3) & 0xFF


def top_bits(size):
    """The bits of an 8-bit value a channel of `size` bits keeps (all of them from 8 up)."""
    return (0xFF << (8 - size)) & 0xFF if size < 8 else 0xFF


def check_rgb(fb, w, h, pixels):
    if (w, h) != (fb["width"], fb["height"]):
        return "the screen is %dx%d, the kernel was told %dx%d" % (w, h, fb["width"],
                                                                   fb["height"])
    mask = bytes([top_bits(fb["red_size"]), top_bits(fb["green_size"]),
                  top_bits(fb["blue_size"])]) * w
    wide_mask = int.from_bytes(mask, "big")
    for y in range(h):
        row = pixels[y * w * 3:(y + 1) * w * 3]
        want = bytes(c for x in range(w) for c in pattern(x, y))
        if int.from_bytes(row, "big") & wide_mask != int.from_bytes(want, "big") & wide_mask:
            x = next(x for x in range(w)
                     if bytes(a & m for a, m in zip(row[3 * x:3 * x + 3], mask[:3])) !=
                     bytes(a & m for a, m in zip(want[3 * x:3 * x + 3], mask[:3])))
            return "pixel (%d, %d) shows %s, want %s (channels %s)" % (
                x, y, row[3 * x:3 * x + 3].hex(), want[3 * x:3 * x + 3].hex(),
                ":".join(str(fb[c + "_size"]) for c in ("red", "green", "blue")))
    return None


def check_text(name, w, h, text):
    if (w, h) != TEXT_SCREEN:
        return "the screen is %dx%d, not QEMU's %dx%d text rendering" % ((w, h) + TEXT_SCREEN)
    row = text[24 * 160:25 * 160:2].decode("latin-1")
    if not row.startswith(name + TEXT_MARK):
        return "the text screen's last row is %r, not the kernel's marker" % row.rstrip()
    return None


def check(serial, name, kind, ppm, textmem, mode=None):
    """kind "rgb" or "text": what the screen must be; mode (width, height, bpp) the graphics
    mode the case asked for, when it asked for one exactly."""
    fb = framebuffer(serial)
    if fb is None:
        return "no framebuffer line on serial"
    want_type = {"rgb": 1, "text": 2}[kind]
    if fb["type"] != want_type:
        return "framebuffer type %d, want %d (%s)" % (fb["type"], want_type, kind)
    if mode and (fb["width"], fb["height"], fb["bpp"]) != tuple(mode):
        return "mode %dx%dx%d, want %dx%dx%d" % ((fb["width"], fb["height"], fb["bpp"]) +
                                                 tuple(mode))
    if kind == "rgb":  # the loader's own account of the mode it set, from the VBE mode info
        said = "multios: video: mode 0x%x set: %dx%d, %d bits a pixel (red %d@%d, green %d@%d, " \
               "blue %d@%d), framebuffer 0x%x, pitch %d" % (
                   fb["vbe_mode"], fb["width"], fb["height"], fb["bpp"], fb["red_size"],
                   fb["red_pos"], fb["green_size"], fb["green_pos"], fb["blue_size"],
                   fb["blue_pos"], fb["addr"], fb["pitch"])
        if said not in serial:
            return "the loader's log does not say %r" % said[len("multios: "):]
    try:
        w, h, pixels = read_ppm(ppm)
        with open(textmem, "rb") as f:
            text = f.read()
    except (OSError, ValueError) as e:
        return "screen not read: %s" % e
    if kind == "rgb":
        return check_rgb(fb, w, h, pixels)
    return check_text(name, w, h, text)
