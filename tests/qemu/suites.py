"""suites.py: the one registry of QEMU boot-test suites. A suite is a function named after
it, registered with @suite in the order `make test` runs them; its docstring says what it
checks (boottest.py --list prints the first line), and it returns its cases (runner.Case),
which name the images (images.py) they boot. TAP names are "qemu-<suite> <case>"."""
import dataclasses
import os
import re
import subprocess

import qemuimg
from checks import Boots, Halts, Inspect, OnScreen, Shows
from images import (CONFIG_CMDLINE, CONFIG_LONG_CMDLINE, EXAMPLE_CMDLINE, MB_CMDLINE,
                    MB_MODS3, MB_MODS4, mb_module_string)
import mapcheck
import thirdparty as debian_kernels  # the module; `thirdparty` is its suite
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
# Stage1's failures: its message, then INT 18h hands the boot back to SeaBIOS, which, on a
# machine with nothing else to boot (bare), says so at once; nothing boots twice.
STAGE1_GAVE_UP = r"enter handle_18:(.*\n)*No bootable device"
STAGE1_READ_ERROR = r"MBR: read error 0x[0-9A-F]{2}"


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

    Broken inputs (a corrupt stage2 that its own entry catches, a drive with 4096-byte
    sectors, broken kernels): each must print its panic words on serial and halt, not reboot; and a
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
        # AH=48h says 4096-byte sectors (stage2-4k.bin): refused, naming the size found
        Case("4k-sectors",
             Halts(expect=panic + r"disk: boot drive 0x80 has 4096-byte sectors \(INT 13h "
                   r"AH=48h\); the loader reads 512-byte sectors only"),
             drive=Drive("4k-sectors")),
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
    panic and a halt (stage1: `MBR: read error 0x..`, then INT 18h to the BIOS)."""
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
        # stage1 reads stage2 from LBA 1 in 32 KiB calls: LBA 2 is in the first. Once: the
        # call is retried. Always: AH=42h fails every try, stage1 falls back to CHS, whose
        # read of that track fails too; its message, then INT 18h.
        Case("pc-stage2-sector-once", Boots(), Machine("pc"),
             Drive("demo64", blkdebug=blkdebug_rule(2, True))),
        Case("pc-stage2-sector-always", Halts(expect=STAGE1_READ_ERROR, debuglog=STAGE1_GAVE_UP),
             Machine("pc", bare=True), Drive("demo64", blkdebug=blkdebug_rule(2, False))),
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
def bootdisk(images):
    """the boot disk as BIOSes hand it over: a bogus drive, AH=42h failing, junk in AH.

    A full boot of demo64 behind stage1-bogus-dl.bin (DL=0x5a: stage1 and stage2 use 0x80
    and stage2 says so); behind stage1-chs.bin and stage2-no-lba.bin, whose AH=42h always
    fails (both fall back to CHS; stage2's first read, the MBR, is one sector, so it falls back
    at once: the cuts before are host-tested);
    stage2-ah-junk.bin, whose reads come back with CF clear and junk in AH (not a failure);
    and at log_level = debug, the TSC stamp stage1 took, or on a CPU without RDTSC
    (stage1-no-tsc.bin) why there is none."""
    return [
        Case("pc-bogus-boot-drive",
             Boots(log=(r"multios: warning: disk: the BIOS passed boot drive 0x5a, not a drive "
                        r"number: stage1 used 0x80",
                        r"multios: disk: drive 0x80, INT 13h extensions",
                        r"multios: stage1: TSC \d+ at its first instructions")),
             Machine("pc"), Drive("bogus-dl")),
        Case("pc-42h-fails",
             Boots(log=(r"multios: stage1: read stage2 with CHS \(AH=02h\)",
                        r"multios: warning: disk: AH=42h fails at LBA \d+ even for one sector "
                        r"\(status 0x1\): reading with CHS \(AH=02h\) from here",
                        r"multios: disk: read .* with CHS after AH=42h failed")),
             Machine("pc"), Drive("no-lba")),
        Case("q35-42h-fails", Boots(log=(r"reading with CHS \(AH=02h\) from here",)),
             Machine("q35"), Drive("no-lba")),
        Case("q35-ah-junk", Boots(log=(r"multios: disk: read .* \(0 retried\)",),
                                  nolog=r"multios: warning: disk:"),
             Machine("q35"), Drive("ah-junk")),
        Case("pc-no-rdtsc",
             Boots(log=(r"multios: stage1: no TSC stamp: RDTSC raised #UD at 0000:7c[0-9a-f]{2}",)),
             Machine("pc"), Drive("no-rdtsc")),
    ]


@suite
def partitions(images):
    """where stage1 finds stage2 and stage2 its FAT32 partition: GPT, MBR with two FAT32.

    tools/mkimage.py --label gpt (sfdisk: a protective MBR under stage1's code, stage2 in a
    BIOS-boot partition at LBA 2048 where the MBR's stage2 location points, the kernel on a
    Microsoft basic data partition): boots on pc and q35, naming the GPT disk and the
    partition; the same with the primary GPT header wiped: the backup at the last LBA is
    used, with a warning; an MBR disk with two FAT32 partitions, the second active and the
    only one with a real kernel: the active one is booted and the log says why. The images
    need sfdisk (Debian's fdisk): fetched into build/deb when it is not installed, else
    the cases are skipped."""
    gpt = (r"multios: disk: GPT disk, 2 partitions, 1 of them Microsoft basic data or EFI system",
           r"multios: disk: FAT32 partition 2 \(Microsoft basic data, legacy BIOS bootable\) "
           r"at LBA 4096")
    return [
        Case("pc-gpt", Boots(log=gpt), Machine("pc"), Drive("gpt")),
        Case("q35-gpt", Boots(log=gpt), Machine("q35"), Drive("gpt")),
        Case("q35-gpt-backup-header",
             Boots(log=(r"multios: warning: disk: the primary GPT is damaged \(bad magic "
                        r"number\): reading its backup at LBA 131071",) + gpt),
             Machine("q35"), Drive("gpt-backup")),
        Case("pc-mbr-two-fat32-the-active-one",
             Boots(log=(r"multios: disk: MBR disk, FAT32 partition 2 at LBA 71680, 69632 "
                        r"sectors: the active one of 2 FAT32 partitions",)),
             Machine("pc"), Drive("mbr-two-fat32")),
    ]


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
    `kernel not found` panic must name the configured path; three titled entries where
    `default` picks the second (the first names a non-ELF); a file saved with a UTF-8
    byte-order mark; a file saved as UTF-16, whose every line is refused: one warning says
    the whole file was ignored."""
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
        Case("pc-entries-default",
             Boots(log=(r'multios: config: entry 1 "First": kernel /boot/kernel\.elf, '
                        r'cmdline "wrong entry"',
                        r'multios: config: entry 2 "Second one": kernel /boot/other\.elf, '
                        r'cmdline "entry two"',
                        r'multios: config: entry 3 "Third": kernel /boot/nope\.elf',
                        r'multios: config: booting entry 2 "Second one"',
                        r"multios: kernel: /boot/other\.elf, \d+ bytes",
                        cmdline("entry two"))), Machine("pc"), Drive("cfg-entries")),
        Case("q35-byte-order-mark",
             Boots(log=(r"multios: config: kernel = /boot/other\.elf",
                        r"config: /boot/multios\.cfg, \d+ bytes, 2 lines, 0 refused",
                        cmdline("after a BOM"))), drive=Drive("cfg-bom")),
        Case("q35-utf16-file-ignored",
             Boots(log=(r"multios: warning: config: no line of /boot/multios\.cfg could be "
                        r"used: the whole file is ignored, defaults used",
                        cmdline(""))), drive=Drive("cfg-utf16")),
    ]


@suite
def video(images):
    """the `video` key: VBE modes read back off QEMU's screen, text when nothing fits.

    QEMU's std VGA (SeaVGABIOS, VBE 3.0) and the demo kernels: for each `video = WxHxD` the
    kernel checks the framebuffer it was given, draws a pattern over every pixel and holds
    still; the harness takes a screendump through the monitor, which must be exactly the
    reported size and show the pattern at every pixel to each channel's precision, and the
    loader's log must name the same mode. 1024x768x32 on q35 with 4 GiB (the framebuffer in
    the PCI hole, RAM above 4 GiB), 800x600x16 (5:6:5) for the 32-bit kernel, 1000x700x24
    (no such mode: the largest no larger at that depth, 800x600x24), 1024x768x32 on a Cirrus
    card, which has no 32-bit modes (the nearest depth: 1024x768x24), a titled entry's own
    `video`; a size no mode fits (200x100) and `video = text`: EGA text, reported as such,
    with the kernel's marker in the text memory and QEMU showing text; no video card at all
    (-vga none): the loader says there is no VBE and the kernel gets EGA text."""
    text_kept = r"multios: warning: video: no VBE mode fits 200x100x32 \(\d+ usable\): " \
                r"text mode 80x25 kept"
    return [
        Case("q35-4G-1024x768x32",
             Shows(mode=(1024, 768, 32),
                   log=(r"multios: video: the configuration asks for 1024x768x32",)),
             Machine("q35", "4G"), Drive("cfg-video-1024x768x32")),
        Case("pc-800x600x16-elf32", Shows(name="demo32", mode=(800, 600, 16)), Machine("pc"),
             Drive("cfg-video-800x600x16")),
        Case("q35-closest-1000x700x24", Shows(mode=(800, 600, 24)),
             drive=Drive("cfg-video-closest")),
        # Cirrus (SeaVGABIOS's other VBE): no 32-bit modes, so the nearest depth
        Case("pc-cirrus-1024x768x32-gets-24", Shows(mode=(1024, 768, 24)),
             Machine("pc", vga="cirrus"), Drive("cfg-video-1024x768x32")),
        Case("pc-entry-640x480x32-elf32",
             Shows(name="demo32", mode=(640, 480, 32),
                   log=(r'multios: config: booting entry 2 "Graphics"',)),
             Machine("pc"), Drive("cfg-video-entries")),
        Case("q35-nothing-fits-text", Shows(kind="text", log=(text_kept,)),
             drive=Drive("cfg-video-none-fits")),
        Case("pc-text-elf32",
             Shows(name="demo32", kind="text",
                   log=(r"multios: video: text mode 80x25 \(the configuration\)",),
                   nolog=r"multios: video: VBE"), Machine("pc"), Drive("cfg-video-text")),
        Case("q35-no-video-card",
             Boots(log=(r"multios: warning: video: no VBE \(INT 10h 4F00h not supported\) "
                        r"\(AX 0x4f00\): text mode 80x25 kept",
                        r"(?m)^framebuffer: type 2 addr 0xb8000 ")),
             Machine("q35", vga="none"), Drive("cfg-video-no-hold")),
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

    build/stage2-hello.bin checks what stage1 handed over (drive, how it read, a TSC stamp
    before stage2's own, INT 6 given back), A20 by every method and the thunk's glove box,
    prints "multios: lowlevel: PASS" and exits with 33. LBA boot on pc and q35; a 600-sector
    stage2 (many 64 KiB segments) read in 32 KiB calls (QEMU's IDE trace counts the READ
    SECTORS commands); AH=42h failing every try (stage1-chs.bin), so stage1 falls back to
    CHS, from the hard disk and from a 1.44 MB floppy (SeaBIOS has no AH=42h there), stage2
    spanning tracks and heads; a bogus boot drive (DL=0x5a, stage1-bogus-dl.bin) replaced by
    0x80; a CPU without RDTSC (stage1-no-tsc.bin: UD2 there) boots without a stamp; stage1's
    failures (a missing header, no stage2 location, one past stage2's ceiling, a disk that
    ends mid-stage2), each a message and then INT 18h (SeaBIOS: "No bootable device"), also
    on a graphics screen (tests/qemu/roms/logo.asm: mode 13h at POST), where the message must
    be drawn in a visible colour; stage2's own checksum (a flipped byte); the disk signature
    (nonzero at 440, zeros at 444..445, the same for the same inputs; a disk whose bytes
    440..445 were rewritten, as Windows or fdisk do, still boots); and no COM1 (-serial none,
    BDA word 0x400 = 0): the messages still reach the screen and the machine stays
    halted."""
    hello = Boots(name="multios: lowlevel", maps=False)

    def says(*log):
        return dataclasses.replace(hello, log=log)
    pc, q35 = Machine("pc", "64M"), Machine("q35", "64M")
    bare = Machine("pc", "64M", bare=True)
    lba = says(r"stage1: read with AH=42h", r"stage1: TSC stamp [1-9]\d*, \d+ cycles before")
    chs = says(r"stage1: read with CHS, \d+ heads, \d+ sectors a track")
    return [
        Case("lba-pc", lba, pc, Drive("hello-lba")),
        Case("lba-q35", lba, q35, Drive("hello-lba")),
        Case("lba-600-sectors", lba, q35, Drive("hello-lba-big")),
        # 600 sectors in 32 KiB reads: 10 READ SECTORS commands, and the BIOS's own for the
        # MBR (one a sector would be 600)
        Case("lba-600-sectors-in-32k-reads",
             dataclasses.replace(lba, trace=(r"^ide_exec_cmd .* cmd 0x20$", 12)),
             Machine("pc", "64M", trace="ide_exec_cmd"), Drive("hello-lba-big")),
        Case("chs-disk", chs, pc, Drive("hello-chs")),
        Case("bogus-boot-drive", says(r"stage1: drive 0x80, BIOS DL 0x5a"), pc,
             Drive("hello-bogus-dl")),
        Case("no-rdtsc", says(r"stage1: no TSC stamp: #UD at 0000:7c[0-9a-f]{2}"), pc,
             Drive("hello-no-tsc")),
        Case("image-disk-signature", Inspect(disk_signatures, ("hello-lba", "hello-lba-again"))),
        Case("disk-signature-rewritten-pc", hello, pc, Drive("hello-lba-sig")),
        Case("disk-signature-rewritten-q35", hello, q35, Drive("hello-lba-sig")),
        Case("disk-signature-rewritten-chs", hello, pc, Drive("hello-chs-sig")),
        Case("chs-floppy-600-sectors", chs, pc, Drive("hello-floppy", floppy=True)),
        Case("corrupt-stage2", Halts(expect="multios: panic: stage2: stage2 checksum"), pc,
             Drive("hello-flip")),
        Case("missing-stage2", Halts(expect="MBR: no stage2", debuglog=STAGE1_GAVE_UP), bare,
             Drive("hello-nohdr")),
        Case("no-stage2-location", Halts(expect="MBR: no stage2", debuglog=STAGE1_GAVE_UP),
             bare, Drive("hello-no-location")),
        Case("stage2-past-its-ceiling",
             Halts(expect="MBR: no stage2", debuglog=STAGE1_GAVE_UP), bare,
             Drive("hello-too-many")),
        Case("disk-ends-mid-stage2", Halts(expect=STAGE1_READ_ERROR, debuglog=STAGE1_GAVE_UP),
             bare, Drive("hello-short")),
        Case("message-on-a-graphics-screen",
             Halts(expect="MBR: no stage2", screen=r"(?m)^MBR: no stage2$",
                   debuglog=STAGE1_GAVE_UP),
             Machine("pc", "64M", bare=True, rom="tests/roms/logo.rom", screen=True),
             Drive("hello-nohdr")),
        Case("no-com1-message-on-screen",
             Halts(expect="MBR: no stage2", debuglog=STAGE1_GAVE_UP),
             Machine("pc", "64M", com1=False, bare=True), Drive("hello-nohdr")),
        Case("no-com1-stage2-checksum-on-screen", Halts(expect="stage2 checksum"),
             Machine("pc", "64M", com1=False), Drive("hello-flip")),
    ]


def mb_boots(name, modules, cmdline=None, log=()):
    """A Multiboot test kernel's case: it must pass, its map must be SeaBIOS's (the
    Multiboot form), and it must echo the command line, the loader's name, the boot device
    and each module's string, in order, byte for byte."""
    want = [r"(?m)^mb: cmdline \"%s\"\r?$" % re.escape(MB_CMDLINE if cmdline is None else cmdline),
            r"(?m)^mb: loader \"MultiOS 0\.1\.0\"\r?$",
            r"(?m)^mb: boot drive 0x80 partition 0 ",
            r"(?m)^mb: modules %d\r?$" % len(modules)]
    want += [r"(?m)^mb: module %d 0x[0-9a-f]+ 0x[0-9a-f]+ \"%s\"\r?$"
             % (i, re.escape(mb_module_string(m))) for i, m in enumerate(modules)]
    return Boots(name=name, multiboot=True, log=tuple(want) + tuple(log))


@suite
def multiboot(images):
    """Multiboot 1 and 2 kernels, their modules, and the native protocol's modules.

    The test kernels of tests/kernels/multiboot check the machine state (EAX magic, flat
    segments from the GDT, paging off, A20, IF) and every field they are given; the harness
    compares their map with SeaBIOS's at byte precision (entry for entry when SeaBIOS's
    table needs no fixing), mem_lower/upper with that map, and the command line, loader
    name, boot device and module strings with the configuration. mb1 (3 modules) and mb2 (4,
    one of 4 MiB) on pc and q35 at 32M, 128M, 4G and 8G; the a.out-kludge flat binary; an
    ELF64 entered in protected mode; a kernel with both headers (auto takes Multiboot 2,
    `protocol = multiboot1` the other); the relocatable Multiboot 2 kernel linked at 3 GiB,
    where there is no RAM; both versions in a VBE mode (`video = 800x600x32`: the
    framebuffer fields and the VBE blocks); demo64 and demo32 with 3 modules (the native
    boot info lists them)."""
    out = []
    for m, mem in (("pc", "32M"), ("q35", "128M"), ("pc", "4G"), ("q35", "8G")):
        out += [Case("mb1-%s-%s" % (m, mem), mb_boots("mb1", MB_MODS3), Machine(m, mem),
                     Drive("mb1")),
                Case("mb2-%s-%s" % (m, mem), mb_boots("mb2", MB_MODS4), Machine(m, mem),
                     Drive("mb2"))]
    protocol = r"multios: kernel: protocol multiboot%d \((auto|configured)\)"
    # `video = 800x600x32`: the framebuffer fields and the VBE blocks, checked by the kernel
    vbe_mode = (r"(?m)^mb: framebuffer 0x[0-9a-f]+ pitch \d+ 800x600 bpp 32 type 1\r?$",
                r"(?m)^mb: vbe mode 0x[0-9a-f]+ control 0x[0-9a-f]+ mode info 0x[0-9a-f]+\r?$")
    return out + [
        Case("mb1-aout-pc-128M", mb_boots("mb1", MB_MODS3[:1], log=(
            r"multios: kernel: Multiboot 1 header: loaded by its load addresses",)),
             Machine("pc"), Drive("mb1-aout")),
        Case("mb1-elf64-q35-1G", mb_boots("mb1", (), log=(
            protocol % 1, r"multios: kernel: ELF64, entry 0xffffffff80100010",
            r"entering kernel at 0x100010 \(protected mode, Multiboot 1")),
             Machine("q35", "1G"), Drive("mb1-elf64")),
        Case("mb12-auto-chooses-2", mb_boots("mb12", MB_MODS3[:2], log=(
            r"multios: kernel: protocol multiboot2 \(auto\): Multiboot 2 header at file offset "
            r"0x[0-9a-f]+; the file also has a header for multiboot1, multios",
            r"(?m)^mb: version 2\r?$")), drive=Drive("mb12")),
        Case("mb12-forced-1", mb_boots("mb12", MB_MODS3[:2], log=(
            r"multios: kernel: protocol multiboot1 \(configured\)",
            r"(?m)^mb: version 1\r?$")), Machine("pc"), Drive("mb12-forced-1")),
        Case("mb2-reloc-q35-128M", mb_boots("mb2", MB_MODS3[:1], log=(
            r"kernel: not at its link address \(.*no memory",
            r"kernel: relocated from 0xc0000000 to 0x[0-9a-f]+",)),
             Machine("q35"), Drive("mb2-reloc")),
        Case("mb2-reloc-pc-4G", mb_boots("mb2", MB_MODS3[:1]), Machine("pc", "4G"),
             Drive("mb2-reloc")),
        Case("mb1-vbe-800x600x32", mb_boots("mb1", MB_MODS3[:1], log=vbe_mode), Machine("pc"),
             Drive("mb1-vbe")),
        Case("mb2-vbe-800x600x32", mb_boots("mb2", MB_MODS3[:1], log=vbe_mode),
             drive=Drive("mb2-vbe")),
        Case("demo64-modules-q35", Boots(log=native_modules(MB_MODS3)), drive=Drive(
            "demo64-modules")),
        Case("demo32-modules-pc", Boots(name="demo32", log=native_modules(MB_MODS3)),
             Machine("pc"), Drive("demo32-modules")),
    ]


def native_modules(modules):
    """The native boot info's module lines: path and string, in order."""
    return (r"(?m)^modules: %d\r?$" % len(modules),) + tuple(
        r"(?m)^module: %d 0x[0-9a-f]+ 0x[0-9a-f]+ /boot/%s \"%s\"\r?$"
        % (i, re.escape(m), re.escape(mb_module_string(m))) for i, m in enumerate(modules))


@suite
def mbbad(images):
    """broken Multiboot inputs: a clear message naming the cause, then a halt.

    A Multiboot 1 header with a bad checksum; an a.out kludge whose load_addr lies above
    header_addr; one that loads over the loader; a module that is missing; a 70 MiB module
    on a 32 MiB machine (the image grows to hold it); a required Multiboot 2 tag of an
    unknown type and a required request for the ELF symbols, each refused by name; a
    `protocol` the kernel has no header for."""
    panic = r"multios: panic: "
    return [
        Case("mb1-bad-checksum", Halts(expect=panic + r"kernel: Multiboot 1 header at 0x0: bad "
                                       r"checksum"), drive=Drive("mb1-badsum")),
        Case("aout-inconsistent", Halts(expect=panic + r"kernel: Multiboot 1 header at 0x0: "
                                        r"load_addr 0x100400 is above header_addr 0x100000"),
             drive=Drive("mb1-aout-inconsistent")),
        Case("aout-over-the-loader", Halts(expect=panic + r"kernel: image from the load "
                                           r"addresses: segment 0 .* overlaps the loader"),
             drive=Drive("mb1-aout-loader")),
        Case("missing-module", Halts(expect=panic + r"module: module not found: no "
                                     r"/boot/nope\.bin on the boot partition"),
             drive=Drive("mb-missing-module")),
        Case("modules-beyond-ram", Halts(expect=panic + r"module: the modules need 71680 KiB \(1 "
                                         r"files\), and only \d+ KiB of RAM is free below "
                                         r"4 GiB"),
             Machine("pc", "32M"), Drive("mb-modules-too-big")),
        Case("mb2-required-tag-refused", Halts(expect=panic + r"kernel: Multiboot 2 header at "
                                               r"0x[0-9a-f]+: tag type 11 \(unknown\) is marked "
                                               r"required"), drive=Drive("mb2-refuse-tag")),
        Case("mb2-required-request-refused", Halts(
            expect=panic + r"kernel: Multiboot 2 header at 0x[0-9a-f]+: required information "
                           r"request for tag 9 \(ELF symbols\), which this loader does not "
                           r"provide"), drive=Drive("mb2-refuse-request")),
        Case("protocol-without-its-header", Halts(
            expect=panic + r"kernel: protocol = multiboot1 is configured, but /boot/kernel\.elf "
                           r"has no multiboot1 header"), drive=Drive("mb2-forced-1")),
        Case("big-image-grew", Inspect(image_grew, ("mb-modules-too-big",))),
    ]


def image_grew(paths):
    """The image with a 70 MiB module is bigger than the 64 MiB asked for, and holds it."""
    size = os.path.getsize(paths[0])
    if size < 72 * 1024 * 1024:
        return "image is %d bytes: it did not grow to hold a 70 MiB module" % size
    out = subprocess.run(["mdir", "-i", "%s@@%d" % (paths[0], qemuimg.fat_offset(paths[0])),
                          "-b", "::/boot"], capture_output=True, text=True,
                         env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    if "big.bin" not in out.stdout:
        return "no /boot/big.bin on the grown image: %s" % out.stdout.strip()
    return None


def example_check(run, e820):
    """The example kernel's report (debian_kernels.example_report) against the configuration and
    SeaBIOS's map, as the test kernels' is; its framebuffer diagonal on every row."""
    rep = debian_kernels.example_report(run.screens[-1])
    if isinstance(rep, str):
        return rep
    entries, (lower, upper), cmdline, bootdev, diagonal = rep
    if cmdline != EXAMPLE_CMDLINE:
        return "the example kernel shows cmdline %r, want %r" % (cmdline, EXAMPLE_CMDLINE)
    if bootdev != 0x8000ffff:
        return "the example kernel shows boot_device 0x%x, want 0x8000ffff" % bootdev
    if diagonal != 25:
        return "the framebuffer diagonal is on %d of 25 rows: the framebuffer fields are wrong" % (
            diagonal)
    serial = "mbmap: %d entries\n" % len(entries) + "".join(
        "mbmap: 0x%x 0x%x %d\n" % e for e in entries) + "mb: mem_lower %d mem_upper %d\n" % (
        lower, upper)
    with open(os.path.join(run.workdir, "screen.txt"), "w") as f:
        f.write(run.screens[-1])
    return mapcheck.compare_multiboot(serial, os.path.join(run.workdir, "debugcon.log"),
                                      run.workdir, e820)


def invaders_check(run, e820):
    """Invaders drawn (rows of -*-, the ship / \ at the bottom) and moving: two screens a
    second apart differ."""
    del e820
    first, last = (shot.replace("\0", " ") for shot in run.screens)  # blanks it never wrote
    with open(os.path.join(run.workdir, "screen.txt"), "w") as f:
        f.write(first + "\n----\n" + last)
    if first.count("-*-") < 10 or last.count("-*-") < 10 or "/ \\" not in last:
        return "the invaders' screen is not drawn: %r" % last
    if first == last:
        return "the invaders do not move"
    return None


@suite
def thirdparty(images):
    """other people's Multiboot kernels from Debian: multiboot's example, grub-invaders.

    Fetched at test time (apt-get download into build/deb, never committed; SKIP with
    the reason when a package cannot be had) and booted as make image boots any kernel.
    The example kernel prints the information it was given on the screen, read through the
    QEMU monitor: its map must be SeaBIOS's and mem_lower/upper must agree (as for the test
    kernels), its command line and boot device as configured, and the diagonal it draws
    through the framebuffer it was told about must cross every row. Invaders must draw its
    screen and move."""
    return [
        Case("example-pc-128M", OnScreen(until=r"Halted\.", check=example_check,
                                      log=(r"protocol multiboot1 \(auto\)",)),
             Machine("pc", "128M", screen=True), Drive("thirdparty-example")),
        Case("example-q35-4G", OnScreen(until=r"Halted\.", check=example_check),
             Machine("q35", "4G", screen=True), Drive("thirdparty-example")),
        Case("invaders-pc", OnScreen(until=r"-\*-", then=1.5, check=invaders_check,
                                  log=(r"Multiboot 1 header: loaded by its load addresses",)),
             Machine("pc", "128M", screen=True), Drive("thirdparty-invaders")),
    ]
