"""runner.py: one QEMU boot test: what a case is (the machine, the drive, what it must show),
the QEMU command line, and a run that stops as soon as its verdict is decided: QEMU exited
(isa-debug-exit, or a reset under -no-reboot), the loader stopped on purpose and stayed
halted for HALT_GRACE seconds, a kernel that holds still for its screen to be read had it
read (Snapshot), or the case's timeout passed."""
import dataclasses
import os
import re
import struct
import subprocess
import time
from typing import Optional

import qemuimg

QEMU = "qemu-system-x86_64"
# The lines after which stage1 and stage2 halt on purpose (contract: stage1 prints one short
# reason, stage2's panic() ends with "multios: halted").
HALT_LINES = ("MBR: ", "multios: halted")
HALT_GRACE = 2.0  # seconds a halted machine must stay up: a reset or triple fault shows by then


@dataclasses.dataclass(frozen=True)
class Machine:
    """The PC QEMU emulates."""
    type: str = "q35"           # -M: pc or q35
    mem: str = "128M"           # -m
    smp: int = 1
    cpu: Optional[str] = None   # -cpu, e.g. "qemu64,-lm" for a CPU without long mode
    com1: bool = True           # False: no serial port at all; output is read off the screen
    vga: Optional[str] = None   # -vga: "none" for a machine without a video card
    bare: bool = False          # -nodefaults -vga std: no CD-ROM, NIC or floppy drive, so after
                                # a boot sector's INT 18h SeaBIOS has nothing else to try
    rom: Optional[str] = None   # an option ROM that make built (build/...), run at POST
    screen: bool = False        # read the screen (text or mode 13h) at the end, COM1 or not
    trace: Optional[str] = None  # a QEMU trace event to record (trace.log), e.g. ide_exec_cmd


@dataclasses.dataclass(frozen=True)
class Drive:
    """The disk the machine boots from. snapshot=on: QEMU never writes the image, so
    parallel runs can share one file."""
    image: str                     # an image name from images.py
    usb: Optional[str] = None      # a USB host controller: the image as a usb-storage stick
    floppy: bool = False           # drive A: instead of the first hard disk
    blkdebug: Optional[str] = None  # a blkdebug rule file's text (suites.blkdebug_rule)


@dataclasses.dataclass(frozen=True)
class Case:
    """One test: `expect` (checks.py) says what the run must show; no drive: a check of the
    images alone, no QEMU. The registry (suites.py) fills in the suite."""
    name: str
    expect: object
    machine: Machine = Machine()
    drive: Optional[Drive] = None
    suite: str = ""


class Skip(str):
    """A case's verdict when something it needs cannot be had: TAP `ok ... # SKIP why`."""


@dataclasses.dataclass
class Run:
    """What one QEMU run left: status is QEMU's exit code, 'halted', 'held' (the screen was
    read, checks.Shows), 'shown' (the screen showed `until`, checks.OnScreen) or
    'timeout'."""
    status: object
    secs: float
    out: str        # serial, or the screen for a machine without COM1
    debugcon: str   # SeaBIOS's debug console
    workdir: str
    com1: Optional[int] = None  # the BDA's COM1 base, read with the screen
    screen: str = ""  # the screen at the end, for a machine that reads it
    trace: str = ""   # the QEMU trace, for a machine that records one
    screens: tuple = ()  # checks.OnScreen: the screen when `until` first matched, and the
                         # last one read (`then` seconds later)


def drive_args(drive, image, workdir):
    if drive.blkdebug:
        conf = os.path.join(workdir, "blkdebug.conf")
        with open(conf, "w") as f:
            f.write(drive.blkdebug)
        # raw on top of blkdebug: raw's reads raise the read_aio event that arms the rule
        return ["-drive", "file=blkdebug:%s:%s,format=raw,snapshot=on" % (conf, image)]
    if drive.usb:
        return ["-device", drive.usb,
                "-drive", "if=none,id=stick,format=raw,snapshot=on,file=" + image,
                "-device", "usb-storage,drive=stick,bootindex=1"]
    if drive.floppy:
        return ["-drive", "file=%s,format=raw,snapshot=on,if=floppy" % image, "-boot", "a"]
    return ["-drive", "file=%s,format=raw,snapshot=on" % image]


def qemu_cmd(case, image, workdir, serial, debugcon, rom=None):
    m = case.machine
    cmd = [QEMU, "-accel", "tcg", "-no-reboot", "-display", "none",
           "-M", m.type, "-m", m.mem, "-smp", str(m.smp)]
    if m.cpu:
        cmd += ["-cpu", m.cpu]
    if m.vga:
        cmd += ["-vga", m.vga]
    if m.bare:
        cmd += ["-nodefaults", "-vga", "std"]
    if rom:
        cmd += ["-option-rom", rom]
    if m.trace:
        cmd += ["-trace", "enable=%s,file=%s" % (m.trace, os.path.join(workdir, "trace.log"))]
    cmd += drive_args(case.drive, image, workdir)
    if m.com1:
        cmd += ["-serial", "file:" + serial]
    else:
        cmd += ["-serial", "none", "-parallel", "none"]
    if needs_monitor(case):
        cmd += ["-monitor", "stdio"]
    return cmd + ["-chardev", "file,id=d,path=" + debugcon,
                  "-device", "isa-debugcon,iobase=0x402,chardev=d",
                  "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError:
        return ""


def needs_monitor(case):
    """The monitor on QEMU's stdin: to read the screen (no COM1, or a case that reads it) or
    to take a screendump of a kernel that holds still (checks.Shows)."""
    m = case.machine
    return not m.com1 or m.screen or bool(getattr(case.expect, "hold", None))


class Screen:
    """The screen of a machine, read through the QEMU monitor on its stdin, and the BDA's
    COM1 word (0x400). Text modes: VGA text memory (0xb8000, characters at even offsets, 80
    to a row). Mode 13h (320x200, 256 colours, what a graphics logo leaves): every 8x8 cell
    of the frame buffer (0xa0000, a byte a pixel) matched against the BIOS's 8x8 font (the
    INT 43h vector), so text drawn in colour 0 on black does not read."""

    def __init__(self, proc, workdir):
        self.proc, self.com1, self.workdir = proc, None, workdir

    def save(self, addr, size, name):
        """`size` bytes of guest memory at `addr`, or None if the monitor did not answer."""
        path = os.path.join(self.workdir, name)
        if os.path.exists(path):
            os.unlink(path)
        try:
            # quoted: the monitor reads an unquoted /path as a division
            self.proc.stdin.write(('pmemsave %#x %d "%s"\n' % (addr, size, path)).encode())
            self.proc.stdin.flush()
        except OSError:
            return None
        deadline = time.monotonic() + 5
        while not (os.path.exists(path) and os.path.getsize(path) == size):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                return None
            time.sleep(0.02)
        with open(path, "rb") as f:
            return f.read()

    def __call__(self):
        bda = self.save(0x400, 0x50, "bda.bin")
        if bda is None:
            return ""
        self.com1, = struct.unpack_from("<H", bda, 0)
        if bda[0x49] == 0x13:
            return self.graphics()
        vga = self.save(0xb8000, 4000, "screen.bin")
        if vga is None:
            return ""
        chars = vga[0::2].decode("latin-1")
        return "\n".join(chars[i:i + 80].rstrip() for i in range(0, len(chars), 80))

    def graphics(self):
        vec = self.save(0x43 * 4, 4, "int43.bin")
        if vec is None:
            return ""
        off, seg = struct.unpack("<HH", vec)
        font, fb = self.save(seg * 16 + off, 128 * 8, "font.bin"), self.save(0xa0000, 64000,
                                                                            "screen.bin")
        if font is None or fb is None:
            return ""
        glyphs = {font[c * 8:c * 8 + 8]: chr(c) for c in range(32, 128)}
        rows = []
        for row in range(25):
            line = ""
            for col in range(40):
                cell = bytes(sum(0x80 >> x for x in range(8)
                                 if fb[(row * 8 + y) * 320 + col * 8 + x])
                             for y in range(8))
                line += glyphs.get(cell, " " if not any(cell) else "?")
            rows.append(line.rstrip())
        return "\n".join(rows)

class Snapshot:
    """A kernel that holds still once it printed `line` (checks.Shows): the screen as QEMU
    shows it (screendump, a PPM) and the VGA text memory, through the monitor on its stdin.
    True once both files are complete."""

    def __init__(self, proc, workdir, line):
        self.proc, self.line = proc, line
        self.ppm = os.path.join(workdir, "screen.ppm")
        self.text = os.path.join(workdir, "text.bin")
        self.asked = False

    def __call__(self, serial):
        if not self.asked and self.line in serial:
            self.asked = True
            # quoted: the monitor reads an unquoted /path as a division; one after the other,
            # so the text memory's file is complete only once the screendump is
            self.proc.stdin.write(('screendump "%s"\npmemsave 0xb8000 4000 "%s"\n'
                                   % (self.ppm, self.text)).encode())
            self.proc.stdin.flush()
        return self.asked and os.path.exists(self.text) and os.path.getsize(self.text) == 4000


def run_qemu(case, image, workdir, timeout, rom=None):
    serial = os.path.join(workdir, "serial.log")
    debugcon = os.path.join(workdir, "debugcon.log")
    for p in (serial, debugcon, os.path.join(workdir, "screen.ppm"),
              os.path.join(workdir, "text.bin"), os.path.join(workdir, "trace.log")):
        if os.path.exists(p):
            os.unlink(p)
    cmd = qemu_cmd(case, image, workdir, serial, debugcon, rom)
    with open(os.path.join(workdir, "cmdline"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    start = time.monotonic()
    with open(os.path.join(workdir, "qemu.stderr"), "wb") as err:
        hold = getattr(case.expect, "hold", None)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                stdin=subprocess.PIPE if needs_monitor(case) else
                                subprocess.DEVNULL)
    screen = Screen(proc, workdir) if not case.machine.com1 or case.machine.screen else None
    output = (lambda: read(serial)) if case.machine.com1 else screen
    snapshot = Snapshot(proc, workdir, hold) if hold else None
    until, then = getattr(case.expect, "until", None), getattr(case.expect, "then", 0.0)
    seen_at = status = shown_at = None
    text, screens = "", []
    try:
        while status is None:
            try:
                status = proc.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            text = output() or text
            if snapshot and snapshot(text):
                status = "held"
                break
            if until and screen:
                shot = screen()
                if shot and shown_at is None and re.search(until, shot):
                    shown_at, screens = now, [shot, shot]
                elif shot and shown_at is not None:
                    screens[1] = shot
                if shown_at is not None and now - shown_at >= then:
                    status = "shown"
                    break
            if seen_at is None and any(h in text for h in HALT_LINES):
                seen_at = now
            if seen_at is not None and now - seen_at >= HALT_GRACE:
                status = "halted"
            elif now - start > timeout:
                status = "timeout"
        shown = screen() if case.machine.screen and proc.poll() is None else ""
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if case.machine.com1:
        text = read(serial)
    return Run(status, time.monotonic() - start, text, read(debugcon), workdir,
               getattr(output, "com1", None), shown,
               read(os.path.join(workdir, "trace.log")), tuple(screens))


def run_case(case, images, e820, work):
    """(case, None or the reason it failed, seconds of QEMU)."""
    workdir = os.path.join(work, case.suite, case.name)
    os.makedirs(workdir, exist_ok=True)
    if case.drive is None:
        return case, case.expect.inspect(images), 0.0
    image = images.path(case.drive.image)
    if image is None and images.skipped(case.drive.image):
        return case, Skip(images.skipped(case.drive.image)), 0.0
    if image is None:
        return case, "no image %s (%s)" % (case.drive.image, images.why(case.drive.image)), 0.0
    rom = case.machine.rom and images.built(case.machine.rom)
    if rom and not os.path.exists(rom):
        return case, "no option ROM %s (make builds it)" % rom, 0.0
    run = run_qemu(case, image, workdir, case.expect.timeout, rom)
    return case, case.expect.verdict(run, e820), run.secs


def order(cases):
    """Longest first (big -m, smp 4, boots before halts), so the slots end together."""
    return sorted(cases, key=lambda c: (c.drive is None, not c.expect.boots,
                                        -qemuimg.mem_bytes(c.machine.mem), -c.machine.smp))
