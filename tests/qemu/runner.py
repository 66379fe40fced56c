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
    screen: bool = False        # with COM1, the screen read too (checks.OnScreen's `until`)
    vga: Optional[str] = None   # -vga: "none" for a machine without a video card


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
    screens: tuple = ()         # Machine.screen: the screen when `until` first matched, and
                                # the last one read (`then` seconds later)


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


def qemu_cmd(case, image, workdir, serial, debugcon):
    m = case.machine
    cmd = [QEMU, "-accel", "tcg", "-no-reboot", "-display", "none",
           "-M", m.type, "-m", m.mem, "-smp", str(m.smp)]
    if m.cpu:
        cmd += ["-cpu", m.cpu]
    if m.vga:
        cmd += ["-vga", m.vga]
    cmd += drive_args(case.drive, image, workdir)
    if m.com1:
        cmd += ["-serial", "file:" + serial]
        if m.screen or getattr(case.expect, "hold", None):
            cmd += ["-monitor", "stdio"]
    else:
        cmd += ["-serial", "none", "-parallel", "none", "-monitor", "stdio"]
    return cmd + ["-chardev", "file,id=d,path=" + debugcon,
                  "-device", "isa-debugcon,iobase=0x402,chardev=d",
                  "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError:
        return ""


class Skip(str):
    """A case that could not run for a reason outside the loader (a package that cannot be
    had): reported `ok ... # SKIP reason`, counted as skipped, never as passed."""


class Screen:
    """The screen, read through the QEMU monitor on its stdin: VGA text memory
    (0xb8000, characters at even offsets, 80 to a row) and the BDA's COM1 word (0x400)."""

    def __init__(self, proc, workdir):
        self.proc, self.com1 = proc, None
        self.vga = os.path.join(workdir, "screen.bin")
        self.bda = os.path.join(workdir, "bda.bin")

    def __call__(self):
        for f in (self.vga, self.bda):
            if os.path.exists(f):
                os.unlink(f)
        try:
            # quoted: the monitor reads an unquoted /path as a division
            self.proc.stdin.write(('pmemsave 0x400 2 "%s"\npmemsave 0xb8000 4000 "%s"\n'
                                   % (self.bda, self.vga)).encode())
            self.proc.stdin.flush()
        except OSError:
            return ""
        deadline = time.monotonic() + 5
        while not (os.path.exists(self.vga) and os.path.getsize(self.vga) == 4000):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                return ""
            time.sleep(0.02)
        with open(self.bda, "rb") as f:
            self.com1, = struct.unpack("<H", f.read(2))
        with open(self.vga, "rb") as f:
            chars = f.read()[0::2].decode("latin-1")
        return "\n".join(chars[i:i + 80].rstrip() for i in range(0, len(chars), 80))


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


def run_qemu(case, image, workdir, timeout):
    serial = os.path.join(workdir, "serial.log")
    debugcon = os.path.join(workdir, "debugcon.log")
    for p in (serial, debugcon, os.path.join(workdir, "screen.ppm"),
              os.path.join(workdir, "text.bin")):
        if os.path.exists(p):
            os.unlink(p)
    cmd = qemu_cmd(case, image, workdir, serial, debugcon)
    with open(os.path.join(workdir, "cmdline"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    start = time.monotonic()
    hold = getattr(case.expect, "hold", None)
    monitor = not case.machine.com1 or case.machine.screen or hold
    with open(os.path.join(workdir, "qemu.stderr"), "wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                stdin=subprocess.PIPE if monitor else subprocess.DEVNULL)
    output = (lambda: read(serial)) if case.machine.com1 else Screen(proc, workdir)
    snapshot = Snapshot(proc, workdir, hold) if hold else None
    screen = Screen(proc, workdir) if case.machine.screen else None
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
            if screen and until:
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
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if case.machine.com1:
        text = read(serial)
    return Run(status, time.monotonic() - start, text, read(debugcon), workdir,
               getattr(output, "com1", None), tuple(screens))


def run_case(case, images, e820, work):
    """(case, None or the reason it failed, seconds of QEMU)."""
    workdir = os.path.join(work, case.suite, case.name)
    os.makedirs(workdir, exist_ok=True)
    if case.drive is None:
        return case, case.expect.inspect(images), 0.0
    image = images.path(case.drive.image)
    if image is None:
        if case.drive.image in images.skips:
            return case, Skip(images.skips[case.drive.image]), 0.0
        return case, "no image %s (%s)" % (case.drive.image, images.why(case.drive.image)), 0.0
    run = run_qemu(case, image, workdir, case.expect.timeout)
    return case, case.expect.verdict(run, e820), run.secs


def order(cases):
    """Longest first (big -m, smp 4, boots before halts), so the slots end together."""
    return sorted(cases, key=lambda c: (c.drive is None, not c.expect.boots,
                                        -qemuimg.mem_bytes(c.machine.mem), -c.machine.smp))
