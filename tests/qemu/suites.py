"""suites.py: the one registry of QEMU boot-test suites. A suite is a function named after
it, registered with @suite in the order `make test` runs them; its docstring says what it
checks (boottest.py --list prints the first line), and it returns its cases (runner.Case),
which name the images (images.py) they boot. TAP names are "qemu-<suite> <case>"."""
import dataclasses
import re
import subprocess

import qemuimg
from checks import Boots, Halts, Inspect
from images import CONFIG_CMDLINE, CONFIG_LONG_CMDLINE
from runner import Case, Drive, Machine

SUITES = {}  # name -> case builder(images), in run order


def suite(build):
    SUITES[build.__name__] = build
    return build


def cases(name, images):
    return [dataclasses.replace(c, suite=name) for c in SUITES[name](images)]


def blkdebug_rule(sector, once):
    """A blkdebug config: EIO on every read that covers `sector`, or on the first only."""
    return ('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%d"\nonce = "%s"\n'
            % (sector, "on" if once else "off"))


def kernel_sector(images, image):
    """A sector of /boot/kernel.elf past the headers (read first, 4 KiB) inside the loaded
    segments: the middle of the first 16 KiB of the file is in demo64's text for any sane
    link. (sector, None), or (None, a case that fails with the reason)."""
    path = images.path(image)
    if path is None:
        why = "no image %s (%s)" % (image, images.why(image))
    else:
        try:
            lbas = qemuimg.file_sectors(path, "/boot/kernel.elf")
            return lbas[min(len(lbas) - 1, 16)], None
        except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
            why = "kernel sectors of %s: %s" % (path, e)
    return None, Case("kernel-sectors", Inspect(lambda paths: why))


MEMS = ["32M", "128M", "1G", "3G", "4G", "8G"]
SMALL_MEM = "2M"  # too small for the boot heap (see bad)
RETRIED = r"multios: disk: read .* \([1-9]\d* retried\)"


@suite
def matrix(images):
    """demo64 on pc and q35, 32M to 8G, 1 and 4 CPUs; its map must match SeaBIOS's.

    -M pc|q35, -m 32M..8G, -smp 1|4: the kernel must exit with 33 (PASS), and the map it
    received (loader types counted as usable) must equal SeaBIOS's own E820 table from the
    same run, both sanitized and frame-aligned by build/e820 (the host build of the loader's
    core); the raw table must equal SeaBIOS's entry for entry."""
    return [Case("%s-%s-smp%d" % (m, mem, smp), Boots(), Machine(m, mem, smp), Drive("demo64"))
            for m in ("pc", "q35") for mem in MEMS for smp in (1, 4)]


@suite
def demo32(images):
    """demo32, the ELF32 kernel in protected mode, with the matrix's checks.

    On pc and q35; it needs no long mode, so it must boot where demo64 gets "long mode"."""
    return [Case("%s-%s" % (m, mem), Boots(name="demo32"), Machine(m, mem), Drive("demo32"))
            for m in ("pc", "q35") for mem in ("32M", "4G")] + [
        Case("q35-128M-no-lm", Boots(name="demo32"), Machine("q35", "128M", cpu="qemu64,-lm"),
             Drive("demo32"))]


@suite
def reloc(images):
    """a kernel linked where there is no RAM: the loader must place it elsewhere.

    demo64 linked with p_paddr 0xc0000000, in the PCI hole, never RAM here: the loader
    must place it elsewhere and the kernel, walking its page tables, must find itself in
    KERNEL memory."""
    return [Case("%s-%s" % (m, mem), Boots(), Machine(m, mem), Drive("demo64-reloc"))
            for m, mem in (("pc", "128M"), ("q35", "4G"))]


@suite
def lowram(images):
    """8 MiB of RAM: the boot heap shrinks and the boot succeeds.

    demo64 with -m 8M: between the boot heap's minimum and its default size the heap
    shrinks to fit; the boot must still succeed (what is left must be enough for page
    tables and boot info)."""
    return [Case("pc-8M", Boots(), Machine("pc", "8M"), Drive("demo64"))]


@suite
def bad(images):
    """broken inputs and CPU exceptions: a panic naming the cause, then a halt.

    Broken inputs: each must print its panic words on serial and halt, not reboot; and a
    stage2 that executes UD2 (a CPU exception must be a panic, not a reset). -m 2M is the RAM
    too small for the boot heap (1 MiB minimum above 1 MiB, and SeaBIOS keeps the top of
    RAM): the largest free run above 1 MiB is about 850 KiB there."""
    panic = r"multios: panic: .*"
    return [
        Case("corrupt-stage2", Halts(expect=r"stage2 checksum"), drive=Drive("corrupt-stage2")),
        Case("missing-kernel", Halts(expect=panic + "kernel not found"),
             drive=Drive("missing-kernel")),
        Case("truncated-elf", Halts(expect=panic + "invalid ELF"), drive=Drive("bad-truncated")),
        Case("not-an-elf", Halts(expect=panic + "invalid ELF"), drive=Drive("bad-notelf")),
        Case("overlaps-loader", Halts(expect=panic + "overlaps"), drive=Drive("bad-overlap")),
        Case("overlaps-loader-64", Halts(expect=panic + "overlaps"),
             drive=Drive("bad-overlap64")),
        Case("too-large", Halts(expect=panic + "too large"), drive=Drive("bad-toolarge")),
        Case("small-ram-" + SMALL_MEM, Halts(expect=panic + "boot heap"),
             Machine(mem=SMALL_MEM), Drive("demo64")),
        Case("no-long-mode", Halts(expect=panic + "long mode"), Machine(cpu="qemu64,-lm"),
             Drive("demo64")),
        # A CPU exception in stage2 must be a panic, not a triple fault (a reset loop on a
        # real machine): build/stage2-fault.bin executes UD2 right after loading its IDT.
        Case("stage2-exception",
             Halts(expect=r"multios: panic: cpu: exception 6 \(invalid opcode\) at eip 0x"),
             drive=Drive("fault")),
        # A kernel that faults before loading its own IDT gets the loader's reporting IDT:
        # a message and a halt, never a triple fault (fault64/fault32 start with UD2).
        Case("kernel-exception-64",
             Halts(expect=r"multios: kernel exception 6 before the kernel loaded its own IDT: "
                          r"rip 0xffffffff80100000"), drive=Drive("fault64")),
        Case("kernel-exception-32",
             Halts(expect=r"multios: kernel exception 6 before the kernel loaded its own IDT: "
                          r"invalid opcode at eip 0x"), drive=Drive("fault32")),
    ]


@suite
def blkdebug(images):
    """disk read errors (QEMU's blkdebug): retried, or a panic and a halt.

    Read errors injected by QEMU's blkdebug driver under the raw image: one failed read of
    a kernel sector (or of stage2, for stage1) must be retried and the boot must pass with
    the retry in the log; a sector that never reads must end in stage2's `disk read failed`
    panic (stage1: `MBR: disk read error`) and a halt."""
    ksec, failed = kernel_sector(images, "demo64")
    if failed:
        return [failed]
    retried = r"multios: warning: disk: reading \d+ sectors at LBA \d+ failed.*\n(.*\n)*" + RETRIED
    return [
        Case("%s-kernel-sector-once" % m, Boots(log=(retried,)), Machine(m),
             Drive("demo64", blkdebug=blkdebug_rule(ksec, True))) for m in ("pc", "q35")] + [
        Case("q35-kernel-sector-always",
             Halts(expect=r"multios: panic: disk: disk read failed: drive 0x80, LBA %d" % ksec),
             drive=Drive("demo64", blkdebug=blkdebug_rule(ksec, False))),
        # stage1 reads stage2 one sector at a time from LBA 1: LBA 2 is past the header.
        Case("pc-stage2-sector-once", Boots(), Machine("pc"),
             Drive("demo64", blkdebug=blkdebug_rule(2, True))),
        Case("pc-stage2-sector-always", Halts(expect=r"MBR: disk read error"), Machine("pc"),
             Drive("demo64", blkdebug=blkdebug_rule(2, False))),
    ]


@suite
def chs(images):
    """the CHS disk path of stage1 and stage2 (AH=02h), with and without a read error.

    stage1-chs.bin + stage2-chs.bin (both built to skip the INT 13h extensions check,
    which SeaBIOS always has): stage1 and stage2 read the disk with AH=02h from AH=08h
    geometry, one track at most per call; also with one failed kernel read, retried. (A
    floppy cannot hold the FAT32 volume; stage1's floppy path is in lowlevel.)"""
    out = [Case("%s-128M" % m, Boots(log=(r"multios: disk: drive 0x80, CHS ",)), Machine(m),
                Drive("chs")) for m in ("pc", "q35")]
    ksec, failed = kernel_sector(images, "chs")
    return out + [failed or Case("pc-kernel-sector-once", Boots(log=(r"CHS (.*\n)*" + RETRIED,)),
                                 Machine("pc"), Drive("chs", blkdebug=blkdebug_rule(ksec, True)))]


@suite
def usb(images):
    """the image as a USB stick on xHCI and UHCI, also with a BPB written over the MBR.

    The image as a USB stick (usb-storage on xHCI, q35; on UHCI, pc), bootindex=1 and no
    other disk: how users boot it; SeaBIOS's log must show it found the USB MSC. Also with
    MBR bytes 3..89 overwritten, as a BIOS that writes a BPB there would leave them."""
    found = Boots(debuglog=r"USB MSC .*\n(.*\n)*Booting from Hard Disk")
    return [Case("q35-xhci", found, Machine("q35"), Drive("demo64", usb="qemu-xhci")),
            Case("pc-uhci", found, Machine("pc"), Drive("demo64", usb="piix3-usb-uhci")),
            Case("q35-xhci-bpb-written", found, Machine("q35"), Drive("bpb", usb="qemu-xhci"))]


@suite
def config(images):
    """/boot/multios.cfg: another kernel and command line, mistakes, limits, a missing kernel.

    A config naming /boot/other.elf (the default kernel replaced by a
    non-ELF, so ignoring the config cannot pass) with a command line, which the kernel must
    print back unchanged; a CRLF config full of mistakes (unknown key, bad values, no `=`, a
    duplicate, a NUL byte) that must still boot, with a warning naming each line;
    log_level = warn (the info lines must go quiet); the longest command line (1023 bytes,
    every printable byte and a tab) echoed back; heap_min above all RAM and frame_size = 1M
    (a warning each, defaults used, still boots); a config naming a missing kernel: the
    `kernel not found` panic must name the configured path."""
    def cmdline(text):  # the command line the kernel received, byte for byte
        return r'(?m)^bootinfo: cmdline "%s"\r?$' % re.escape(text)
    return [
        Case("q35-other-kernel-cmdline",
             Boots(log=(r"multios: config: kernel = /boot/other\.elf",
                        r"multios: kernel: /boot/other\.elf, \d+ bytes",
                        r"multios: config: heap_size = 8192 KiB",
                        cmdline(CONFIG_CMDLINE))), drive=Drive("cfg-other")),
        Case("pc-mistakes-still-boot",
             Boots(log=(r"multios: warning: config: /boot/multios\.cfg line 2: unknown key "
                        r"'heapsize': ignored",
                        r"line 3: malformed value 'memtest': ignored, default kept",
                        r"line 4: value out of range 'frame_size': ignored, default kept",
                        r"line 5: expected 'key = value' 'just\?some\?words': ignored",
                        r"line 7: key given twice \(the first value stays\) 'cmdline'",
                        r"line 8: NUL byte in line: ignored",
                        r"config: /boot/multios\.cfg, \d+ bytes, 9 lines, 6 refused",
                        cmdline("still boots"))), Machine("pc"), Drive("cfg-mistakes")),
        Case("q35-log-level-warn",
             Boots(log=(r"multios: config: log_level = warn", cmdline("quiet")),
                   nolog=r"multios: (kernel|memory|frames|heap|paging): "),
             drive=Drive("cfg-quiet")),
        Case("pc-longest-cmdline", Boots(log=(cmdline(CONFIG_LONG_CMDLINE),)), Machine("pc"),
             Drive("cfg-long")),
        Case("pc-128M-beyond-the-machine",
             Boots(log=(r"line 2: value out of range 'frame_size': ignored, default kept",
                        r"multios: warning: config: heap_min 0x200000000 leaves 0 KiB for the "
                        r"1024 KiB heap minimum: the default 0x100000 is used",
                        cmdline("fits anyway"))), Machine("pc"), Drive("cfg-beyond")),
        Case("q35-missing-kernel",
             Halts(expect=r"multios: panic: kernel: kernel not found: no /boot/nope\.elf"),
             drive=Drive("cfg-missing")),
    ]


@suite
def gzip(images):
    """gzip'd kernels: booted like plain ones; damaged ones a clear panic and a halt.

    demo64 and demo32 compressed by gzip -9 must boot and pass all their checks (the map
    against SeaBIOS's): demo64 as /boot/kernel.elf (found by its magic, not its name) on pc
    and q35, demo32 as /boot/demo32.elf.gz named in the configuration; the log must give
    both sizes. demo64 with its first segment moved to the end of the file, so that the next
    read goes back past the 32 KiB window: decompression starts again (a debug line) and the
    kernel still passes, the whole file checked. A gzip file cut in half, one with a CRC-32
    byte flipped, a bomb (256 MiB of zeros after demo64, 256 KiB compressed, on a 128 MiB
    machine) and the bomb with an ISIZE that claims only the kernel: each must panic naming
    the file and the gzip error, and halt."""
    gz_log = r"multios: kernel: %s, gzip: \d+ -> \d+ bytes"
    panic = r"multios: panic: gzip: /boot/kernel\.elf: "
    return [
        Case("q35-demo64", Boots(log=(gz_log % r"/boot/kernel\.elf",)), Machine("q35"),
             Drive("gz-demo64")),
        Case("pc-4G-demo64", Boots(log=(gz_log % r"/boot/kernel\.elf",)), Machine("pc", "4G"),
             Drive("gz-demo64")),
        Case("q35-demo32-named-gz", Boots(name="demo32", log=(gz_log % r"/boot/demo32\.elf\.gz",)),
             Machine("q35"), Drive("gz-demo32")),
        Case("pc-demo32-named-gz", Boots(name="demo32", log=(gz_log % r"/boot/demo32\.elf\.gz",)),
             Machine("pc"), Drive("gz-demo32")),
        Case("q35-read-behind-restarts",
             Boots(log=(r"multios: gzip: /boot/kernel\.elf: read at \d+, \d+ bytes behind the "
                        r"stream: decompressing again from the start",
                        r"multios: gzip: /boot/kernel\.elf: \d+ -> \d+ bytes checked")),
             Machine("q35"), Drive("gz-behind")),
        # The cut file's last 4 bytes are compressed data: an impossible ISIZE (or, by
        # chance, a possible one, and then the data runs out): either way "truncated".
        Case("truncated", Halts(expect=panic + r".*truncated"), drive=Drive("gz-truncated")),
        Case("bad-crc", Halts(expect=panic + r"CRC-32 mismatch"), drive=Drive("gz-badcrc")),
        Case("bomb-128M", Halts(expect=panic + r"a gzip bomb: it decompresses to \d+ KiB \(its "
                                             r"ISIZE\), more than the \d+ KiB of RAM"),
             Machine(mem="128M"), Drive("gz-bomb")),
        Case("bomb-lying-isize",
             Halts(expect=panic + r"it decompresses to more than the \d+ bytes its ISIZE "
                                  r"gives: damaged, or a gzip bomb"),
             drive=Drive("gz-bomb-lying")),
    ]


def disk_signatures(paths):
    """mkimage.py's MBR: a nonzero disk signature at 440..443, zeros at 444..445, and the
    same sector 0 from the same inputs (the signature is derived, not random)."""
    mbrs = []
    for img in paths:
        with open(img, "rb") as f:
            mbrs.append(f.read(512))
    for img, m in zip(paths, mbrs):
        if m[440:444] == bytes(4):
            return "%s: disk signature is zero" % img
        if m[444:446] != bytes(2):
            return "%s: bytes 444..445 are %s, want 0000" % (img, m[444:446].hex())
    if mbrs[0] != mbrs[1]:
        return "two images from the same inputs differ in sector 0"
    return None


@suite
def lowlevel(images):
    """stage1's paths and stage2's low level, with the smoke-test stage2 (stage2-hello).

    build/stage2-hello.bin checks A20 by every method and the thunk's glove box, prints
    "multios: lowlevel: PASS" and exits with 33. LBA boot on pc and q35, a 600-sector stage2
    (many 64 KiB segments); CHS boot from the hard disk and from a 1.44 MB floppy, stage2
    spanning tracks and heads; stage1's failures (a flipped stage2 byte, a missing header, a
    disk that ends mid-stage2); the disk signature (nonzero at 440, zeros at 444..445, the
    same for the same inputs; a disk whose bytes 440..445 were rewritten, as Windows or fdisk
    do, still boots); and no COM1 (-serial none, BDA word 0x400 = 0): a failure's message
    still reaches the screen and stage1 stays halted."""
    hello = Boots(name="multios: lowlevel", maps=False)
    pc, q35 = Machine("pc", "64M"), Machine("q35", "64M")
    return [
        Case("lba-pc", hello, pc, Drive("hello-lba")),
        Case("lba-q35", hello, q35, Drive("hello-lba")),
        Case("lba-600-sectors", hello, q35, Drive("hello-lba-big")),
        Case("chs-disk", hello, pc, Drive("hello-chs")),
        Case("image-disk-signature", Inspect(disk_signatures, ("hello-lba", "hello-lba-again"))),
        Case("disk-signature-rewritten-pc", hello, pc, Drive("hello-lba-sig")),
        Case("disk-signature-rewritten-q35", hello, q35, Drive("hello-lba-sig")),
        Case("disk-signature-rewritten-chs", hello, pc, Drive("hello-chs-sig")),
        Case("chs-floppy-600-sectors", hello, pc, Drive("hello-floppy", floppy=True)),
        Case("corrupt-stage2", Halts(expect="MBR: stage2 checksum"), pc, Drive("hello-flip")),
        Case("missing-stage2", Halts(expect="MBR: no stage2"), pc, Drive("hello-nohdr")),
        Case("disk-ends-mid-stage2", Halts(expect="MBR: disk read error"), pc,
             Drive("hello-short")),
        Case("no-com1-message-on-screen", Halts(expect="MBR: stage2 checksum"),
             Machine("pc", "64M", com1=False), Drive("hello-flip")),
    ]
