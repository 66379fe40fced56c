"""images.py: the test images, each made by a recipe from what `make` built (build/multios.img,
build/kernels/, the test builds of stage1 and stage2), on first use, into WORK/images/, and
shared by every case that boots it (QEMU runs them with snapshot=on). A recipe that fails
logs why; each case that needs its image then fails with that reason."""
import os
import struct
import subprocess
import sys
import threading

import debtools
import qemuimg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import layout_inc  # noqa: E402  (tools/, the build's own helpers)
import mkimage as mkimage_tool  # noqa: E402


def layout(images):
    """The loader's constants (build/gen/layout.inc)."""
    return layout_inc.read(images.built("gen/layout.inc"))

RECIPES = {}  # name -> (make(images, dst, *needed paths), names of the images it needs)



def recipe(name, *needs):
    def register(make):
        RECIPES[name] = (make, needs)
        return make
    return register


class Images:
    def __init__(self, build, work):
        self.build, self.dir = build, os.path.join(work, "images")
        self.made, self.errors, self.skips = {}, {}, {}
        self.lock = threading.RLock()  # cases ask from the runner's threads

    def built(self, name):
        """A file `make` built: stage1.bin, stage2-hello.elf, kernels/demo64.elf, ..."""
        return os.path.join(self.build, name)

    def path(self, name):
        """The image's path, made now if it is not yet; None if it cannot be made."""
        with self.lock:
            if name not in self.made:
                make, needs = RECIPES[name]
                dst = os.path.join(self.dir, name + ".img")
                os.makedirs(self.dir, exist_ok=True)
                try:
                    paths = [self.path(n) for n in needs]
                    if None in paths:
                        raise RuntimeError("needs %s: %s" % (needs[paths.index(None)],
                                                            self.why(needs[paths.index(None)])))
                    make(self, dst, *paths)
                    self.made[name] = dst
                except debtools.Unavailable as e:
                    print("boottest: image %s: skipped: %s" % (name, e), file=sys.stderr)
                    self.skips[name] = str(e)
                    self.made[name] = None
                except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
                    print("boottest: image %s: %s" % (name, e), file=sys.stderr)
                    self.errors[name] = str(e)
                    self.made[name] = None
            return self.made[name]

    def why(self, name):
        return self.errors.get(name, "not made")

    def skipped(self, name):
        """Why the image could not be made for want of a program, or None."""
        return self.skips.get(name)


def mkimage(dst, stage1, stage2, kernel, size_mib, *more, config=None, files=()):
    """An image made like the default one (tools/mkimage.py), from other builds; with a
    configuration and files for /boot/ (as make image IMAGE_CONFIG= IMAGE_FILES= does)."""
    cmd = [sys.executable, "tools/mkimage.py", "--stage1", stage1, "--stage2", stage2,
           "--kernel", kernel, "--size-mib", str(size_mib), "--out", dst] + list(more)
    if config:
        cmd += ["--config", config]
    for f in files:
        cmd += ["--file", f]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


# ---- copies of the default image (qemuimg.derive) -----------------------------------------
# demo64 too: build/multios.img holds whatever KERNEL the last `make image` used.
DERIVED = {
    "demo64": ("replace", "demo64"),
    "demo64-reloc": ("replace", "demo64-reloc"),
    "demo32": ("replace", "demo32"),
    "bpb": ("bpb", "demo64"),          # MBR bytes 3..89 scribbled over, as by a BIOS's BPB
    "missing-kernel": ("delete", None),
    "corrupt-stage2": ("flip", None),   # one stage2 byte flipped: only the checksum can tell
    "fault64": ("replace", "fault64"),  # kernels that execute UD2 before loading an IDT
    "fault32": ("replace", "fault32"),
}
DERIVED.update({"bad-" + n: ("replace", "bad-" + n)
                for n in ("truncated", "notelf", "overlap", "overlap64", "toolarge")})


def derived(op, kernel):
    def make(images, dst):
        qemuimg.derive(images.built("multios.img"), dst, op,
                       kernel and images.built("kernels/%s.elf" % kernel))
    return make


for _name, (_op, _kernel) in DERIVED.items():
    recipe(_name)(derived(_op, _kernel))


# ---- the default image with a /boot/multios.cfg -------------------------------------------
# The configurations the config suite installs (bytes: CRLF and NUL on purpose where they
# appear), the kernel each image holds as /boot/kernel.elf, and an extra file.
CONFIG_CMDLINE = 'root=/dev/vda1 console=ttyS0,115200 init=/sbin/init "two words" x=#1'
# The longest command line (1023 bytes): every printable ASCII byte, inner spaces and a tab.
CONFIG_LONG_CMDLINE = ("".join(chr(0x21 + i % 94) for i in range(500)) + " \t " +
                       "".join(chr(0x7e - i % 94) for i in range(520)))
assert len(CONFIG_LONG_CMDLINE) == 1023
CONFIGS = {
    # /boot/kernel.elf is not an ELF, so only the configured kernel can pass
    "cfg-other": ("bad-notelf", ("demo64", "/boot/other.elf"),
                  ("# boottest: another kernel and a command line\n"
                   "kernel = /boot/other.elf\n"
                   "cmdline = %s\n"
                   "heap_size = 8M\n" % CONFIG_CMDLINE).encode()),
    "cfg-mistakes": ("demo64", None,
                     b"# boottest: every line but the last two is refused\r\n"
                     b"heapsize = 8M\r\n"
                     b"memtest = maybe\r\n"
                     b"frame_size = 12K\r\n"
                     b"just some words\r\n"
                     b"cmdline = still boots\r\n"
                     b"cmdline = twice\r\n"
                     b"log_level = de\0bug\r\n"
                     b"kernel = /boot/kernel.elf"),
    "cfg-quiet": ("demo64", None, b"log_level = warn\ncmdline = quiet\n"),
    "cfg-missing": ("demo64", None, b"kernel = /boot/nope.elf\ncmdline = never seen\n"),
    # well-formed, but beyond what this machine (or stage2's low memory) allows
    "cfg-beyond": ("demo64", None, b"heap_min = 8G\nframe_size = 1M\ncmdline = fits anyway\n"),
    "cfg-long": ("demo64", None, b"cmdline=" + CONFIG_LONG_CMDLINE.encode() + b"\r\n"),
    # titled entries: `default` picks the second; the first names the non-ELF default kernel,
    # so booting the wrong entry cannot pass
    "cfg-entries": ("bad-notelf", ("demo64", "/boot/other.elf"),
                    b"# boottest: three entries, the second boots\n"
                    b"default = Second one\n"
                    b"heap_size = 8M\n"
                    b"[First]\n"
                    b"cmdline = wrong entry\n"
                    b"[Second one]\n"
                    b"kernel = /boot/other.elf\n"
                    b"cmdline = entry two\n"
                    b"[Third]\n"
                    b"kernel = /boot/nope.elf\n"),
    # saved by Windows Notepad: a UTF-8 byte-order mark before the first key
    "cfg-bom": ("bad-notelf", ("demo64", "/boot/other.elf"),
                b"\xef\xbb\xbfkernel = /boot/other.elf\r\ncmdline = after a BOM\r\n"),
    # saved as UTF-16: not one line can be read
    "cfg-utf16": ("demo64", None, "kernel = /boot/kernel.elf\r\n".encode("utf-16")),
}
# The video suite's: a `video` key each; `bootcheck.hold` makes the kernel hold still after
# its verdict, for the harness to read the screen (checks.Shows).
HOLD = b"cmdline = bootcheck.hold\n"
CONFIGS.update({
    "cfg-video-1024x768x32": ("demo64", None, b"video = 1024x768x32\n" + HOLD),
    "cfg-video-800x600x16": ("demo32", None, b"video = 800x600x16\n" + HOLD),
    # no such mode: the largest no larger at the requested depth, 800x600x24
    "cfg-video-closest": ("demo64", None, b"video = 1000x700x24\n" + HOLD),
    # the entry that boots asks for graphics, the other for text
    "cfg-video-entries": ("demo32", None,
                          b"default = Graphics\n[Text]\nvideo = text\n" + HOLD +
                          b"kernel = /boot/kernel.elf\n[Graphics]\nkernel = /boot/kernel.elf\n"
                          b"video = 640X480x32\n" + HOLD),
    "cfg-video-none-fits": ("demo64", None, b"video = 200x100x32\n" + HOLD),
    "cfg-video-text": ("demo32", None, b"video = text\n" + HOLD),
    "cfg-video-no-hold": ("demo64", None, b"video = 1024x768x32\n"),
})


def configured(kernel, extra, cfg):
    def make(images, dst):
        qemuimg.derive(images.built("multios.img"), dst, "replace",
                       images.built("kernels/%s.elf" % kernel))
        with open(dst + ".cfg", "wb") as f:
            f.write(cfg)
        qemuimg.mtools("mcopy", dst, "-o", dst + ".cfg", "::/boot/multios.cfg")
        if extra:
            qemuimg.mtools("mcopy", dst, "-o", images.built("kernels/%s.elf" % extra[0]),
                           "::" + extra[1])
    return make


for _name, (_kernel, _extra, _cfg) in CONFIGS.items():
    recipe(_name)(configured(_kernel, _extra, _cfg))


# ---- Multiboot kernels and modules (tests/kernels/multiboot), made as make image makes them --
# name: (kernel in build/kernels, files for /boot/ (build/kernels/ names, or (name, bytes) to
# write), configuration). The modules' known patterns are tests/kernels/mkmodule.py's.
MB_CMDLINE = 'console=ttyS0 "quoted words" x=#1\ttab'
MB_MODS3 = ("mod-1-5000.bin", "mod-2-70000.bin", "mod-3-16.bin")
MB_MODS4 = MB_MODS3 + ("mod-4-4194321.bin",)


def mb_config(modules, extra=b""):
    """A configuration with MB_CMDLINE and one module line per file: the module's string is
    its name reversed, with a space in it."""
    lines = [b"cmdline = " + MB_CMDLINE.encode()]
    lines += [b"module = /boot/%s %s arg" % (m.encode(), m[::-1].encode()) for m in modules]
    return b"\n".join(lines) + b"\n" + extra


def mb_module_string(module):
    return "%s arg" % module[::-1]


BIG_MODULE = ("big.bin", 70 * 1024 * 1024)  # a 70 MiB file: the image must grow to hold it
MULTIBOOT = {
    "mb1": ("mb1.elf", MB_MODS3, mb_config(MB_MODS3)),
    "mb2": ("mb2.elf", MB_MODS4, mb_config(MB_MODS4)),
    "mb1-aout": ("mb1-aout.bin", MB_MODS3[:1], mb_config(MB_MODS3[:1])),
    "mb1-elf64": ("mb1-elf64.elf", (), mb_config((), b"protocol = multiboot1\n")),
    "mb12": ("mb12.elf", MB_MODS3[:2], mb_config(MB_MODS3[:2])),
    "mb12-forced-1": ("mb12.elf", MB_MODS3[:2], mb_config(MB_MODS3[:2],
                                                          b"protocol = multiboot1\n")),
    "mb2-reloc": ("mb2-reloc.elf", MB_MODS3[:1], mb_config(MB_MODS3[:1])),
    "mb1-vbe": ("mb1.elf", MB_MODS3[:1], mb_config(MB_MODS3[:1], b"video = 800x600x32\n")),
    "mb2-vbe": ("mb2.elf", MB_MODS3[:1], mb_config(MB_MODS3[:1], b"video = 800x600x32\n")),
    "demo64-modules": ("demo64.elf", MB_MODS3, mb_config(MB_MODS3)),
    "demo32-modules": ("demo32.elf", MB_MODS3, mb_config(MB_MODS3)),
    "mb2-forced-1": ("mb2.elf", (), mb_config((), b"protocol = multiboot1\n")),
    "mb-missing-module": ("mb1.elf", MB_MODS3[:1],
                          mb_config(MB_MODS3[:1] + ("nope.bin",))),
    "mb-modules-too-big": ("mb1.elf", (BIG_MODULE,), mb_config(("big.bin",))),
    "mb2-refuse-tag": ("mb2-refuse-tag.elf", (), mb_config(())),
    "mb2-refuse-request": ("mb2-refuse-request.elf", (), mb_config(())),
    "mb1-badsum": ("bad-mb1-badsum.bin", (), mb_config(())),
    "mb1-aout-inconsistent": ("bad-mb1-aout-inconsistent.bin", (), mb_config(())),
    "mb1-aout-loader": ("bad-mb1-aout-loader.bin", (), mb_config(())),
}


def multiboot_image(kernel, files, cfg):
    def make(images, dst):
        paths = []
        for f in files:
            if isinstance(f, tuple):  # (name, size): a big sparse file of zeros
                paths.append(os.path.join(os.path.dirname(dst), f[0]))
                with open(paths[-1], "wb") as out:
                    out.truncate(f[1])
            else:
                paths.append(images.built("kernels/" + f))
        with open(dst + ".cfg", "wb") as out:
            out.write(cfg)
        mkimage(dst, images.built("stage1.bin"), images.built("stage2.bin"),
                images.built("kernels/" + kernel), 64, config=dst + ".cfg", files=paths)
    return make


for _name, (_kernel, _files, _cfg) in MULTIBOOT.items():
    recipe(_name)(multiboot_image(_kernel, _files, _cfg))


# ---- third-party Multiboot kernels (tests/qemu/thirdparty.py), as make image makes them -----
EXAMPLE_CMDLINE = "from the MultiOS boot tests"


@recipe("thirdparty-example")
def thirdparty_example(images, dst):
    """multiboot's example kernel with a command line. Its header asks for 1024x768x32; it
    writes its report to the VGA text buffer whatever the mode, so the case keeps text mode
    (`video = text`) to read it there."""
    import thirdparty
    kernel = thirdparty.kernel(images.build, "example")
    with open(dst + ".cfg", "wb") as out:
        out.write(b"cmdline = " + EXAMPLE_CMDLINE.encode() + b"\nvideo = text\n")
    mkimage(dst, images.built("stage1.bin"), images.built("stage2.bin"), kernel, 64,
            config=dst + ".cfg")


@recipe("thirdparty-invaders")
def thirdparty_invaders(images, dst):
    """grub-invaders, as its GRUB entry boots it: `multiboot /boot/invaders.exec`."""
    import thirdparty
    kernel = thirdparty.kernel(images.build, "invaders")
    mkimage(dst, images.built("stage1.bin"), images.built("stage2.bin"), kernel, 64)


# ---- gzip'd kernels -----------------------------------------------------------------------
# Compressed by the real gzip(1) at build time; found by the loader by their magic, whatever
# their name. Damaged copies for the panics, and a kernel read out of order.
BOMB_ZEROS = 256 << 20  # the bomb's tail: more than a 128 MiB machine has


def gzip_bytes(data, level=9):
    return subprocess.run(["gzip", "-%d" % level, "-n", "-c"], input=data, check=True,
                          capture_output=True).stdout


def first_segment_last(elf):
    """An ELF64 whose first PT_LOAD's bytes are moved past everything else in the file, at
    least 64 KiB in: loading it reads the end of the file, then goes back more than the
    32 KiB window for the next segment, so the loader must decompress again from the start."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    for i in range(phnum):
        ph = phoff + i * phentsize
        ptype, = struct.unpack_from("<I", elf, ph)
        if ptype == 1:
            off, = struct.unpack_from("<Q", elf, ph + 8)
            filesz, = struct.unpack_from("<Q", elf, ph + 32)
            new = max(len(elf), 0x10000 + off)
            new += (off - new) % 0x1000  # p_offset stays congruent to p_vaddr
            out = bytearray(elf) + bytes(new - len(elf)) + elf[off:off + filesz]
            struct.pack_into("<Q", out, ph + 8, new)
            return bytes(out)
    raise RuntimeError("no PT_LOAD segment")


def gz_damaged(how, kernel_data):
    gz = bytearray(gzip_bytes(kernel_data))
    if how == "truncated":
        return bytes(gz[:len(gz) // 2])
    if how == "badcrc":
        gz[-8] ^= 0x01  # the trailer's CRC-32, low byte
    elif how == "lying":  # ISIZE says the kernel alone; the zeros after it are the bomb
        isize = len(kernel_data) - BOMB_ZEROS
        struct.pack_into("<I", gz, len(gz) - 4, isize)
    return bytes(gz)


GZ_IMAGES = {
    # name: (kernel, transform, what the kernel's bytes get, where, configuration)
    "gz-demo64": ("demo64", None, "/boot/kernel.elf", None),
    "gz-demo32": ("demo32", None, "/boot/demo32.elf.gz", b"kernel = /boot/demo32.elf.gz\n"),
    "gz-behind": ("demo64", first_segment_last, "/boot/kernel.elf", b"log_level = debug\n"),
    "gz-truncated": ("demo64", lambda d: gz_damaged("truncated", d), "/boot/kernel.elf", None),
    "gz-badcrc": ("demo64", lambda d: gz_damaged("badcrc", d), "/boot/kernel.elf", None),
    "gz-bomb": ("demo64", lambda d: d + bytes(BOMB_ZEROS), "/boot/kernel.elf", None),
    "gz-bomb-lying": ("demo64", lambda d: gz_damaged("lying", d + bytes(BOMB_ZEROS)),
                      "/boot/kernel.elf", None),
}
GZ_DONE = ("gz-truncated", "gz-badcrc", "gz-bomb-lying")  # transforms that gzip themselves


def gz_image(name, kernel, transform, where, cfg):
    def make(images, dst):
        with open(images.built("kernels/%s.elf" % kernel), "rb") as f:
            data = f.read()
        data = transform(data) if transform else data
        if name not in GZ_DONE:
            data = gzip_bytes(data)
        # /boot/kernel.elf must not boot by itself where the configuration names another file
        qemuimg.derive(images.built("multios.img"), dst, "replace",
                       images.built("kernels/bad-notelf.elf"))
        with open(dst + ".gz", "wb") as f:
            f.write(data)
        qemuimg.mtools("mcopy", dst, "-o", dst + ".gz", "::" + where)
        if cfg:
            with open(dst + ".cfg", "wb") as f:
                f.write(cfg)
            qemuimg.mtools("mcopy", dst, "-o", dst + ".cfg", "::/boot/multios.cfg")
    return make


for _name, _spec in GZ_IMAGES.items():
    recipe(_name)(gz_image(_name, *_spec))


# ---- images around test builds of the loader ---------------------------------------------
def loader(stage1, stage2, config=None):
    """The demo64 image around other builds of stage1 and stage2 (and a config)."""
    def make(images, dst):
        mkimage(dst, images.built(stage1), images.built(stage2),
                images.built("kernels/demo64.elf"), 64)
        if config:
            with open(dst + ".cfg", "wb") as f:
                f.write(config)
            qemuimg.mtools("mcopy", dst, "-o", dst + ".cfg", "::/boot/multios.cfg")
    return make


# stage1-chs.bin fails every AH=42h and falls back to CHS; stage2-chs.bin hears there are
# no extensions at all, stage2-no-lba.bin that there are but AH=42h fails (both fall back).
recipe("chs")(loader("stage1-chs.bin", "stage2-chs.bin"))
recipe("no-lba")(loader("stage1-chs.bin", "stage2-no-lba.bin"))
recipe("ah-junk")(loader("stage1.bin", "stage2-ah-junk.bin"))
recipe("4k-sectors")(loader("stage1.bin", "stage2-4k.bin"))
recipe("bogus-dl")(loader("stage1-bogus-dl.bin", "stage2.bin", b"log_level = debug\n"))
recipe("no-rdtsc")(loader("stage1-no-tsc.bin", "stage2.bin", b"log_level = debug\n"))


@recipe("fault")
def fault(images, dst):
    """The stage2 that executes UD2 right after loading its IDT."""
    mkimage(dst, images.built("stage1.bin"), images.built("stage2-fault.bin"),
            images.built("kernels/demo64.elf"), 64)


# ---- partitionings: GPT (sfdisk, from Debian's fdisk), several FAT32 partitions ---------
def sfdisk(images):
    return debtools.tool(images.build, "fdisk", "sbin/sfdisk")


@recipe("gpt")
def gpt(images, dst):
    """tools/mkimage.py --label gpt: stage2 in a BIOS-boot partition at LBA 2048, the
    kernel on a Microsoft basic data partition after it."""
    mkimage(dst, images.built("stage1.bin"), images.built("stage2.bin"),
            images.built("kernels/demo64.elf"), 64, "--label", "gpt", "--sfdisk",
            sfdisk(images))


@recipe("gpt-backup", "gpt")
def gpt_backup(images, dst, src):
    """The GPT image with its primary header wiped, as a tool that wrote over LBA 1 leaves
    it: only the backup at the last LBA is left."""
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)
    with open(dst, "r+b") as f:
        f.seek(512)
        f.write(bytes(512))


@recipe("mbr-two-fat32")
def mbr_two_fat32(images, dst):
    """An MBR disk with two FAT32 partitions, the second one active: the first holds a
    /boot/kernel.elf that is not an ELF, the active one demo64 (sfdisk's dos label)."""
    part, total = 34 * 2048, 2048 + 2 * 34 * 2048
    with open(dst, "wb") as f:
        f.truncate(total * 512)
    subprocess.run([sfdisk(images), "--no-reread", "--no-tell-kernel", "--quiet", dst],
                   input="label: dos\nunit: sectors\nstart=2048, size=%d, type=c\n"
                         "start=%d, size=%d, type=c, bootable\n" % (part, 2048 + part, part),
                   text=True, check=True, stdout=subprocess.DEVNULL)
    lay = layout(images)
    with open(images.built("stage1.bin"), "rb") as f:
        stage1 = f.read(512)
    with open(images.built("stage2.bin"), "rb") as f:
        stage2 = f.read()
    code = mkimage_tool.stage2_location(stage1, lay, 1, len(stage2) // 512)
    with open(dst, "r+b") as f:
        table = f.read(512)
        f.seek(0)
        f.write(code[:lay["STAGE1_CODE_END"]] + table[lay["STAGE1_CODE_END"]:])
        f.write(stage2)
    mkimage_tool.make_fat32(dst, 2048, part, [(images.built("kernels/bad-notelf.elf"),
                                               "/boot/kernel.elf")])
    mkimage_tool.make_fat32(dst, 2048 + part, part, [(images.built("kernels/demo64.elf"),
                                                      "/boot/kernel.elf")])


# ---- the low-level smoke test: stage2-hello.bin behind stage1 ----------------------------
# The kernel file is never loaded by the smoke test; any file will do.
@recipe("hello-big")
def hello_big(images, dst):
    """stage2-hello padded to about 600 sectors (many 64 KiB segments), sealed again."""
    subprocess.run(["objcopy", "-O", "binary", images.built("stage2-hello.elf"), dst + ".raw"],
                   check=True)
    with open(dst + ".raw", "ab") as f:
        f.write(bytes(300 * 1024))
    subprocess.run([sys.executable, "tools/mkimage_seal.py", dst + ".raw", dst], check=True)


def hello_disk(stage1):
    """stage1 + stage2-hello (or the big one it is given), 34 MiB."""
    def make(images, dst, *big):
        s2 = big[0] if big else images.built("stage2-hello.bin")
        mkimage(dst, images.built(stage1), s2, s2, 34)
    return make


recipe("hello-lba")(hello_disk("stage1.bin"))
recipe("hello-lba-again")(hello_disk("stage1.bin"))  # the same inputs: the same sector 0
recipe("hello-lba-big", "hello-big")(hello_disk("stage1.bin"))
recipe("hello-chs")(hello_disk("stage1-chs.bin"))
recipe("hello-bogus-dl")(hello_disk("stage1-bogus-dl.bin"))
recipe("hello-no-tsc")(hello_disk("stage1-no-tsc.bin"))


def relocated(sectors):
    """hello-lba with the MBR's stage2 location saying `sectors` sectors: 0 (no stage2
    installed) or more than stage1 may load."""
    def make(images, dst, src):
        lay = layout(images)
        subprocess.run(["cp", "--sparse=always", src, dst], check=True)
        with open(dst, "r+b") as f:
            f.seek(lay["STAGE1_STAGE2_SECTORS"])
            f.write(struct.pack("<H", sectors))
    return make


recipe("hello-no-location", "hello-lba")(relocated(0))
recipe("hello-too-many", "hello-lba")(relocated(0xffff))


@recipe("hello-floppy", "hello-big")
def hello_floppy(images, dst, big):
    """A 1.44 MB floppy: stage1 (SeaBIOS has no AH=42h for floppies: it falls back to CHS),
    then the big stage2 across tracks and heads."""
    img = bytearray(1474560)
    with open(big, "rb") as f:
        s2 = f.read()[:len(img) - 512]
    with open(images.built("stage1.bin"), "rb") as f:
        img[0:512] = mkimage_tool.stage2_location(f.read(512), layout(images), 1, len(s2) // 512)
    img[512:512 + len(s2)] = s2
    with open(dst, "wb") as f:
        f.write(img)


def hello_broken(how):
    """Failures, from the first MiB of hello-lba: a flipped stage2 byte (stage2's entry
    catches it), no header, or a disk that ends two sectors into stage2 (stage1 does)."""
    def make(images, dst, lba):
        with open(lba, "rb") as f:
            disk = bytearray(f.read(2048 * 512))
        sectors, = struct.unpack_from("<H", disk, 512 + 8)
        if how == "flip":
            disk[512 + sectors * 512 // 2] ^= 0x5A
        elif how == "nohdr":
            disk[512:1024] = bytes(512)
        else:
            disk = disk[:512 + 2 * 512]
        with open(dst, "wb") as f:
            f.write(disk)
    return make


for _how in ("flip", "nohdr", "short"):
    recipe("hello-" + _how, "hello-lba")(hello_broken(_how))


def resigned(images, dst, src):
    """Another disk signature and nonzero reserved bytes at 440..445, as a tool that relabels
    the disk leaves them (fdisk writes a label ID there, Windows a signature on attach)."""
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)
    with open(dst, "r+b") as f:
        f.seek(440)
        f.write(bytes([0x78, 0x56, 0x34, 0x12, 0xA5, 0x5A]))


recipe("hello-lba-sig", "hello-lba")(resigned)
recipe("hello-chs-sig", "hello-chs")(resigned)
