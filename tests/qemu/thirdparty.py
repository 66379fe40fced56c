"""thirdparty.py: other people's Multiboot kernels, from Debian packages fetched at test time
into a cache under the build directory (debtools.fetch: apt-get download, which needs no
root, then dpkg-deb -x), never committed: multiboot's example kernel (the specification's
kernel.c) and grub-invaders (an a.out-kludge kernel). A package that cannot be had raises
debtools.Unavailable, so the cases that boot it SKIP with the reason.

What they show is read off the screen through the QEMU monitor (runner.Screen): the example
kernel prints the information it was given and draws a diagonal through the framebuffer it
was told about; invaders draws its invaders and moves them."""
import os
import re

import debtools

PACKAGES = {
    "example": ("multiboot", "usr/lib/multiboot/examples/kernel"),
    "invaders": ("grub-invaders", "boot/invaders.exec"),
}


def kernel(build, which):
    """The kernel's path in the cache, downloaded and unpacked on first use."""
    package, path = PACKAGES[which]
    target = os.path.join(debtools.fetch(build, package), path)
    if not os.path.exists(target):
        raise debtools.Unavailable("the Debian package %s has no /%s" % (package, path))
    return target


# ---- the example kernel's screen -----------------------------------------------------------
# Its lines (printf of kernel.c): "flags = 0x...", "mem_lower = 639KB, mem_upper = ...KB",
# "boot_device = 0x...", "cmdline = ...", then one line per map entry
# " size = 0x14, base_addr = 0x..., length = 0x..., type = 0x...". It writes no scrolling
# screen, and then draws a backslash at (row r, column r) of every row through the
# framebuffer: that character replaces what was there, so each row is read with its
# diagonal cell as a wildcard.
MMAP_PREFIX = " size = 0x14, base_addr = 0x"
MMAP_REST_RE = re.compile(r"^([0-9a-f]+), length = 0x([0-9a-f]+), type = 0x([0-9a-f]+)$")


def _after(text, prefix):
    """The rest of the row after prefix, where the diagonal's cell (\\x01) matches anything;
    None if the row does not start so, or the diagonal falls in the rest."""
    if len(text) < len(prefix) or any(a != b and a != "\x01" for a, b in zip(text, prefix)):
        return None
    rest = text[len(prefix):]
    return None if "\x01" in rest else rest


def example_report(screen):
    """(map entries, (mem_lower, mem_upper), cmdline, boot_device, rows with the diagonal)
    read off the example kernel's screen, or a reason string."""
    entries, mem, cmdline, bootdev, diagonal = [], None, None, None, 0
    for r, row in enumerate(screen.split("\n")):
        cells = row.replace("\0", " ").ljust(80)  # cells never written read as NUL
        if cells[r] == "\\":
            diagonal += 1
            cells = cells[:r] + "\x01" + cells[r + 1:]
        text = cells.rstrip()
        rest = _after(text, MMAP_PREFIX)
        m = rest is not None and MMAP_REST_RE.match(rest)
        if m:
            entries.append(tuple(int(g, 16) for g in m.groups()))
        rest = _after(text, "mem_lower = ")
        m = rest is not None and re.match(r"^(\d+)KB, mem_upper = (\d+)KB$", rest)
        if m:
            mem = (int(m.group(1)), int(m.group(2)))
        rest = _after(text, "cmdline = ")
        if rest is not None:
            cmdline = rest
        rest = _after(text, "boot_device = 0x")
        if rest is not None and re.match(r"^[0-9a-f]+$", rest):
            bootdev = int(rest, 16)
    if mem is None or cmdline is None or bootdev is None or not entries:
        return "the example kernel's report is incomplete on the screen: %r" % screen[:600]
    return entries, mem, cmdline, bootdev, diagonal
