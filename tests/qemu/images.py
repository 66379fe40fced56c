"""images.py: the test images, each made by a recipe from what `make` built (build/multios.img,
build/kernels/, the test builds of stage1 and stage2), on first use, into WORK/images/, and
shared by every case that boots it (QEMU runs them with snapshot=on). A recipe that fails
logs why; each case that needs its image then fails with that reason."""
import os
import struct
import subprocess
import sys
import threading

import qemuimg

RECIPES = {}  # name -> (make(images, dst, *needed paths), names of the images it needs)


def recipe(name, *needs):
    def register(make):
        RECIPES[name] = (make, needs)
        return make
    return register


class Images:
    def __init__(self, build, work):
        self.build, self.dir = build, os.path.join(work, "images")
        self.made, self.errors = {}, {}
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
                except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
                    print("boottest: image %s: %s" % (name, e), file=sys.stderr)
                    self.errors[name] = str(e)
                    self.made[name] = None
            return self.made[name]

    def why(self, name):
        return self.errors.get(name, "not made")


def mkimage(dst, stage1, stage2, kernel, size_mib):
    """An image made like the default one (tools/mkimage.py), from other builds."""
    subprocess.run([sys.executable, "tools/mkimage.py", "--stage1", stage1, "--stage2", stage2,
                    "--kernel", kernel, "--size-mib", str(size_mib), "--out", dst],
                   check=True, stdout=subprocess.DEVNULL)


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
}


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
@recipe("chs")
def chs(images, dst):
    """stage1-chs.bin + stage2-chs.bin: both skip the INT 13h extensions check."""
    mkimage(dst, images.built("stage1-chs.bin"), images.built("stage2-chs.bin"),
            images.built("kernels/demo64.elf"), 64)


@recipe("fault")
def fault(images, dst):
    """The stage2 that executes UD2 right after loading its IDT."""
    mkimage(dst, images.built("stage1.bin"), images.built("stage2-fault.bin"),
            images.built("kernels/demo64.elf"), 64)


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


@recipe("hello-floppy", "hello-big")
def hello_floppy(images, dst, big):
    """A 1.44 MB floppy: stage1-chs, then the big stage2 across tracks and heads."""
    img = bytearray(1474560)
    with open(images.built("stage1-chs.bin"), "rb") as f:
        img[0:512] = f.read(512)
    with open(big, "rb") as f:
        s2 = f.read()[:len(img) - 512]
    img[512:512 + len(s2)] = s2
    with open(dst, "wb") as f:
        f.write(img)


def hello_broken(how):
    """stage1's failures, from the first MiB of hello-lba: a flipped stage2 byte, no
    header, or a disk that ends two sectors into stage2."""
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
