#!/usr/bin/env python3
"""boottest.py: the QEMU boot tests. Boots the disk image under TCG and writes one TAP file
per suite into the results directory (`ok - name` / `not ok - name: reason`).

Suites:
  matrix  demo64 on -M pc|q35, -m 32M..8G, -smp 1|4: the kernel must exit with 33 (PASS), and
          the map it received (loader types counted as usable) must equal SeaBIOS's own E820
          table from the same run, both sanitized and frame-aligned by build/e820 (the host
          build of the loader's core); the raw table must equal SeaBIOS's entry for entry.
  demo32  the ELF32 kernel, protected mode, same checks (pc and q35).
  reloc   demo64 linked with p_paddr in the PCI hole: the loader must place it elsewhere.
  lowram  demo64 with -m 8M: the boot heap shrinks below its default size, the boot succeeds.
  bad     broken inputs: each must print its panic words on serial and halt, not reboot;
          and a stage2 that executes UD2 (a CPU exception must be a panic, not a reset).
          -m 2M is the RAM too small for the boot heap (1 MiB minimum above 1 MiB, and SeaBIOS
          keeps the top of RAM): the largest free run above 1 MiB is about 850 KiB there.
  blkdebug  read errors injected by QEMU's blkdebug driver under the raw image: one failed
          read of a kernel sector (or of stage2, for stage1) must be retried and the boot must
          pass with the retry in the log; a sector that never reads must end in stage2's
          `disk read failed` panic (stage1: `MBR: disk read error`) and a halt.
  chs     stage1-chs.bin + stage2-chs.bin (both built to skip the INT 13h extensions check,
          which SeaBIOS always has): stage1 and stage2 read the disk with AH=02h from AH=08h
          geometry, one track at most per call; also with one failed kernel read, retried.
          (A floppy cannot hold the FAT32 volume; stage1's floppy path is in qemu-lowlevel.)
  config  /boot/multios.cfg: a config naming /boot/other.elf (the default kernel replaced by a
          non-ELF, so ignoring the config cannot pass) with a command line, which the kernel
          must print back unchanged; a CRLF config full of mistakes (unknown key, bad values,
          no `=`, a duplicate, a NUL byte) that must still boot, with a warning naming each
          line; log_level = warn (the info lines must go quiet); the longest command line
          (1023 bytes, every printable byte and a tab) echoed back; heap_min above all RAM and
          frame_size = 1M (a warning each, defaults used, still boots); a config naming a
          missing kernel: the `kernel not found` panic must name the configured path.
  usb     the image as a USB stick (usb-storage on xHCI, q35; on UHCI, pc), bootindex=1 and
          no other disk: how users boot it; SeaBIOS's log must show it found the USB MSC. Also with MBR bytes 3..89
          overwritten, as a BIOS that writes a BPB there would leave them.

At most --jobs QEMUs run at once, each under its own timeout, so a hang is a failure, not a
stuck build. Images for demo32 and the bad cases are copies of the default image with the
kernel replaced or removed by mtools, or one byte of stage2 flipped."""
import argparse
import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys
import time

import qemuimg
import mapcheck

EXIT_PASS, EXIT_FAIL = 33, 35  # isa-debug-exit: (0x10 << 1) | 1, (0x11 << 1) | 1
MEMS = ["32M", "128M", "1G", "3G", "4G", "8G"]
HALT_STAGE2 = "multios: halted"  # stage2's panic() ends with it (contract)
HALT_STAGE1 = "MBR: "            # stage1 prints one short reason, then halts


class Case:
    """One QEMU run and what it must show.
    kind 'kernel': a demo kernel must pass and the maps must match SeaBIOS.
    kind 'panic': serial must show `expect` (a regex), then the machine must stay halted."""

    def __init__(self, suite, name, kind, image, machine="q35", mem="128M", smp=1, cpu=None,
                 expect=None, kernel_name="demo64", timeout=120, halt=HALT_STAGE2,
                 blkdebug=None, usb=None, log=None, debuglog=None, nolog=None):
        self.suite, self.name, self.kind, self.image = suite, name, kind, image
        # blkdebug: the rule's text (a blkdebug config file) put between the raw format and
        # the image; usb: the USB host controller device to hang a usb-storage stick on.
        self.blkdebug, self.usb = blkdebug, usb
        # log / debuglog: regexes (log: or a list of them) that must also match serial /
        # SeaBIOS's debug console; nolog: a regex that must not match serial
        self.log, self.debuglog, self.nolog = log, debuglog, nolog
        self.halt = halt  # the line that says the loader stopped on purpose
        self.machine, self.mem, self.smp, self.cpu = machine, mem, smp, cpu
        self.expect, self.kernel_name, self.timeout = expect, kernel_name, timeout


def drive_args(case, image, workdir):
    """How the image is attached: IDE/AHCI by default, under a blkdebug rule, or as a USB
    stick. snapshot=on: QEMU never writes the image, so parallel runs can share one file."""
    if case.blkdebug:
        conf = os.path.join(workdir, "blkdebug.conf")
        with open(conf, "w") as f:
            f.write(case.blkdebug)
        # raw on top of blkdebug: raw's reads raise the read_aio event that arms the rule
        return ["-drive", "file=blkdebug:%s:%s,format=raw,snapshot=on" % (conf, image)]
    if case.usb:
        return ["-device", case.usb,
                "-drive", "if=none,id=stick,format=raw,snapshot=on,file=" + image,
                "-device", "usb-storage,drive=stick,bootindex=1"]
    return ["-drive", "file=%s,format=raw,snapshot=on" % image]


def qemu_cmd(case, image, serial, debugcon, workdir):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-no-reboot", "-display", "none",
           "-M", case.machine, "-m", case.mem, "-smp", str(case.smp)]
    cmd += drive_args(case, image, workdir)
    cmd += ["-serial", "file:" + serial,
           "-chardev", "file,id=d,path=" + debugcon,
           "-device", "isa-debugcon,iobase=0x402,chardev=d",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if case.cpu:
        cmd += ["-cpu", case.cpu]
    return cmd


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError:
        return ""


def run_qemu(case, workdir, halt_grace=2.0):
    """Run one case. Returns (status, seconds, serial text, debugcon text); status is the
    exit code, 'halted' (a panic case showed its words and stayed halted), or 'timeout'."""
    serial = os.path.join(workdir, "serial.log")
    debugcon = os.path.join(workdir, "debugcon.log")
    for p in (serial, debugcon):
        if os.path.exists(p):
            os.unlink(p)
    cmd = qemu_cmd(case, case.image, serial, debugcon, workdir)
    with open(os.path.join(workdir, "cmdline"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    start = time.monotonic()
    with open(os.path.join(workdir, "qemu.stderr"), "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
    seen_at = None
    status = None
    while status is None:
        try:
            status = proc.wait(timeout=0.25)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        # Stop as soon as the loader has stopped on purpose (the expected panic, or any
        # panic in a run that should have booted), after a grace period that would show a
        # reset or triple fault following it.
        if seen_at is None and case.halt in read(serial):
            seen_at = now
        if seen_at is not None and now - seen_at >= halt_grace:
            status = "halted"
        if status is None and now - start > case.timeout:
            status = "timeout"
        if status is not None:
            proc.kill()
            proc.wait()
    return status, time.monotonic() - start, read(serial), read(debugcon)


def check_extra(case, serial, debugcon):
    """The case's own log requirements (a retry shown, the USB stick found), or None."""
    for pattern in (case.log if isinstance(case.log, list) else [case.log] if case.log else []):
        if not re.search(pattern, serial):
            return "serial lacks /%s/" % pattern
    if case.nolog and re.search(case.nolog, serial):
        return "serial shows /%s/" % case.nolog
    if case.debuglog and not re.search(case.debuglog, debugcon):
        return "SeaBIOS debug log lacks /%s/" % case.debuglog
    return None


def check_panic(case, status, serial, debugcon):
    if status == "halted" and re.search(case.expect, serial):
        if debugcon.count("Booting from Hard Disk") > 1:
            return "machine rebooted"
        return check_extra(case, serial, debugcon)
    last = [l for l in serial.splitlines() if l.strip()][-3:]
    if status == "timeout":
        return "timed out without /%s/ (last serial: %s)" % (case.expect, " | ".join(last))
    if status == "halted":
        return "halted without /%s/ (last serial: %s)" % (case.expect, " | ".join(last))
    return "QEMU exited with %s (triple fault or reset) before /%s/ (last serial: %s)" % (
        status, case.expect, " | ".join(last))


def check_kernel(case, status, serial, debugcon, workdir, e820):
    """None if the kernel passed and its maps match SeaBIOS's, else the reason."""
    verdict = [l for l in serial.splitlines() if l.startswith(case.kernel_name + ": ")]
    fails = [l for l in verdict if "FAIL" in l or "check failed" in l]
    if status != EXIT_PASS:
        why = fails[0] if fails else "last serial: " + " | ".join(
            [l for l in serial.splitlines() if l.strip()][-3:])
        panics = [l for l in serial.splitlines() if l.startswith("multios: panic")]
        if status == "halted" and panics:
            return "loader panicked: " + panics[0].strip()
        what = {EXIT_FAIL: "kernel failed", "timeout": "timed out", "halted": "halted"}.get(
            status, "QEMU exited with %s" % status)
        return "%s: %s" % (what, why.strip())
    if not any(l.strip() == case.kernel_name + ": PASS" for l in verdict):
        return "exit 33 but no '%s: PASS' line" % case.kernel_name
    extra = check_extra(case, serial, debugcon)
    if extra:
        return extra
    return mapcheck.compare(serial, os.path.join(workdir, "debugcon.log"), workdir, e820)


def run_case(case, args):
    workdir = os.path.join(args.work, case.suite, case.name)
    os.makedirs(workdir, exist_ok=True)
    if case.image is None or not os.path.exists(case.image):
        return case, "no image (%s)" % case.image, 0.0
    status, secs, serial, debugcon = run_qemu(case, workdir)
    if case.kind == "panic":
        why = check_panic(case, status, serial, debugcon)
    else:
        why = check_kernel(case, status, serial, debugcon, workdir, args.e820)
    return case, why, secs


def matrix_cases(image):
    return [Case("matrix", "%s-%s-smp%d" % (m, mem, smp), "kernel", image, m, mem, smp)
            for m in ("pc", "q35") for mem in MEMS for smp in (1, 4)]


def demo32_cases(image):
    cases = [Case("demo32", "%s-%s" % (m, mem), "kernel", image, m, mem, 1,
                  kernel_name="demo32") for m in ("pc", "q35") for mem in ("32M", "4G")]
    # A 32-bit kernel needs no long mode: it must boot where demo64 gets "long mode".
    cases.append(Case("demo32", "q35-128M-no-lm", "kernel", image, "q35", "128M", 1,
                      cpu="qemu64,-lm", kernel_name="demo32"))
    return cases


def reloc_cases(image):
    # demo64-reloc.elf asks for p_paddr 0xc0000000, never RAM here: the loader must place it
    # elsewhere and the kernel, walking its page tables, must find itself in KERNEL memory.
    return [Case("reloc", "%s-%s" % (m, mem), "kernel", image, m, mem, 1)
            for m, mem in (("pc", "128M"), ("q35", "4G"))]


def lowram_cases(image):
    # Between the boot heap's minimum and its default size the heap shrinks to fit; the
    # boot must still succeed (what is left must be enough for page tables and boot info).
    return [Case("lowram", "pc-8M", "kernel", image, "pc", "8M", 1)]


def bad_cases(images, args):
    t = args.panic_timeout
    return [
        Case("bad", "corrupt-stage2", "panic", images.get("corrupt-stage2"),
             expect=r"stage2 checksum", timeout=t, halt=HALT_STAGE1),
        Case("bad", "missing-kernel", "panic", images.get("missing-kernel"),
             expect=r"multios: panic: .*kernel not found", timeout=t),
        Case("bad", "truncated-elf", "panic", images.get("truncated"),
             expect=r"multios: panic: .*invalid ELF", timeout=t),
        Case("bad", "not-an-elf", "panic", images.get("notelf"),
             expect=r"multios: panic: .*invalid ELF", timeout=t),
        Case("bad", "overlaps-loader", "panic", images.get("overlap"),
             expect=r"multios: panic: .*overlaps", timeout=t),
        Case("bad", "overlaps-loader-64", "panic", images.get("overlap64"),
             expect=r"multios: panic: .*overlaps", timeout=t),
        Case("bad", "too-large", "panic", images.get("toolarge"),
             expect=r"multios: panic: .*too large", timeout=t),
        Case("bad", "small-ram-%s" % args.small_mem, "panic", images.get("demo64"),
             mem=args.small_mem, expect=r"multios: panic: .*boot heap", timeout=t),
        Case("bad", "no-long-mode", "panic", images.get("demo64"), cpu="qemu64,-lm",
             expect=r"multios: panic: .*long mode", timeout=t),
        # A CPU exception in stage2 must be a panic, not a triple fault (a reset loop on a
        # real machine): build/stage2-fault.bin executes UD2 right after loading its IDT.
        Case("bad", "stage2-exception", "panic", images.get("fault"),
             expect=r"multios: panic: cpu: exception 6 \(invalid opcode\) at eip 0x",
             timeout=t),
        # A kernel that faults before loading its own IDT gets the loader's reporting IDT:
        # a message and a halt, never a triple fault (fault64/fault32 start with UD2).
        Case("bad", "kernel-exception-64", "panic", images.get("fault64"),
             expect=r"multios: kernel exception 6 before the kernel loaded its own IDT: "
                    r"rip 0xffffffff80100000", timeout=t),
        Case("bad", "kernel-exception-32", "panic", images.get("fault32"),
             expect=r"multios: kernel exception 6 before the kernel loaded its own IDT: "
                    r"invalid opcode at eip 0x", timeout=t),
    ]


def blkdebug_rule(sector, once):
    """A blkdebug config: EIO on every read that covers `sector`, or on the first only."""
    return ('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%d"\nonce = "%s"\n'
            % (sector, "on" if once else "off"))


def blkdebug_cases(images, args):
    image = images.get("demo64")
    try:
        lbas = qemuimg.file_sectors(image, "/boot/kernel.elf")
    except (OSError, RuntimeError, TypeError, subprocess.CalledProcessError) as e:
        print("boottest: blkdebug: kernel sectors of %s: %s" % (image, e), file=sys.stderr)
        return [Case("blkdebug", "kernel-sectors", "kernel", None)]
    # A sector past the headers (read first, 4 KiB) inside the loaded segments: the middle
    # of the first 16 KiB of the file is in demo64's text for any sane link.
    ksec = lbas[min(len(lbas) - 1, 16)]
    t = args.panic_timeout
    retried = r"multios: warning: disk: reading \d+ sectors at LBA \d+ failed.*\n" \
              r"(.*\n)*multios: disk: read .* \([1-9]\d* retried\)"
    cases = []
    for m in ("pc", "q35"):
        cases.append(Case("blkdebug", "%s-kernel-sector-once" % m, "kernel", image, m,
                          blkdebug=blkdebug_rule(ksec, True), log=retried))
    cases += [
        Case("blkdebug", "q35-kernel-sector-always", "panic", image,
             blkdebug=blkdebug_rule(ksec, False), timeout=t,
             expect=r"multios: panic: disk: disk read failed: drive 0x80, LBA %d" % ksec),
        # stage1 reads stage2 one sector at a time from LBA 1: LBA 2 is past the header.
        Case("blkdebug", "pc-stage2-sector-once", "kernel", image, "pc",
             blkdebug=blkdebug_rule(2, True)),
        Case("blkdebug", "pc-stage2-sector-always", "panic", image, "pc",
             blkdebug=blkdebug_rule(2, False), timeout=t, expect=r"MBR: disk read error",
             halt=HALT_STAGE1),
    ]
    return cases


def chs_cases(image):
    cases = [Case("chs", "%s-128M" % m, "kernel", image, m, log=r"multios: disk: drive 0x80, CHS ")
             for m in ("pc", "q35")]
    try:
        lbas = qemuimg.file_sectors(image, "/boot/kernel.elf")
        cases.append(Case("chs", "pc-kernel-sector-once", "kernel", image, "pc",
                          blkdebug=blkdebug_rule(lbas[min(len(lbas) - 1, 16)], True),
                          log=r"CHS (.*\n)*multios: disk: read .* \([1-9]\d* retried\)"))
    except (OSError, RuntimeError, TypeError, subprocess.CalledProcessError) as e:
        print("boottest: chs: kernel sectors of %s: %s" % (image, e), file=sys.stderr)
        cases.append(Case("chs", "kernel-sectors", "kernel", None))
    return cases


def usb_cases(image, bpb_image):
    found = r"USB MSC .*\n(.*\n)*Booting from Hard Disk"
    return [Case("usb", "q35-xhci", "kernel", image, "q35", usb="qemu-xhci", debuglog=found),
            Case("usb", "pc-uhci", "kernel", image, "pc", usb="piix3-usb-uhci",
                 debuglog=found),
            Case("usb", "q35-xhci-bpb-written", "kernel", bpb_image, "q35", usb="qemu-xhci",
                 debuglog=found)]


# The configurations the config suite installs as /boot/multios.cfg (bytes: CRLF and NUL on
# purpose where they appear).
CONFIG_CMDLINE = 'root=/dev/vda1 console=ttyS0,115200 init=/sbin/init "two words" x=#1'
CONFIGS = {
    "cfg-other": ("# boottest: another kernel and a command line\n"
                  "kernel = /boot/other.elf\n"
                  "cmdline = %s\n"
                  "heap_size = 8M\n" % CONFIG_CMDLINE).encode(),
    "cfg-mistakes": (b"# boottest: every line but the last two is refused\r\n"
                     b"heapsize = 8M\r\n"
                     b"memtest = maybe\r\n"
                     b"frame_size = 12K\r\n"
                     b"just some words\r\n"
                     b"cmdline = still boots\r\n"
                     b"cmdline = twice\r\n"
                     b"log_level = de\0bug\r\n"
                     b"kernel = /boot/kernel.elf"),
    "cfg-quiet": b"log_level = warn\ncmdline = quiet\n",
    "cfg-missing": b"kernel = /boot/nope.elf\ncmdline = never seen\n",
    # well-formed, but beyond what this machine (or stage2's low memory) allows
    "cfg-beyond": b"heap_min = 8G\nframe_size = 1M\ncmdline = fits anyway\n",
}
# The longest command line (1023 bytes): every printable ASCII byte, inner spaces and a tab.
CONFIG_LONG_CMDLINE = ("".join(chr(0x21 + i % 94) for i in range(500)) + " \t " +
                       "".join(chr(0x7e - i % 94) for i in range(520)))
assert len(CONFIG_LONG_CMDLINE) == 1023
CONFIGS["cfg-long"] = b"cmdline=" + CONFIG_LONG_CMDLINE.encode() + b"\r\n"


def config_image(src, dst, cfg, kernel, extra=None):
    """A copy of src with /boot/kernel.elf replaced by `kernel`, `cfg` (bytes) as
    /boot/multios.cfg and `extra` = (file, path) added."""
    qemuimg.derive(src, dst, "replace", kernel)
    cfg_file = dst + ".cfg"
    with open(cfg_file, "wb") as f:
        f.write(cfg)
    qemuimg.mtools("mcopy", dst, "-o", cfg_file, "::/boot/multios.cfg")
    if extra:
        qemuimg.mtools("mcopy", dst, "-o", extra[0], "::" + extra[1])


def config_cases(images, args):
    t = args.panic_timeout
    q = re.escape
    return [
        Case("config", "q35-other-kernel-cmdline", "kernel", images.get("cfg-other"),
             log=[r"multios: config: kernel = /boot/other\.elf",
                  r"multios: kernel: /boot/other\.elf, \d+ bytes",
                  r"multios: config: heap_size = 8192 KiB",
                  # the command line the kernel received, byte for byte
                  r'(?m)^bootinfo: cmdline "%s"\r?$' % q(CONFIG_CMDLINE)]),
        Case("config", "pc-mistakes-still-boot", "kernel", images.get("cfg-mistakes"), "pc",
             log=[r"multios: warning: config: /boot/multios\.cfg line 2: unknown key "
                  r"'heapsize': ignored",
                  r"line 3: malformed value 'memtest': ignored, default kept",
                  r"line 4: value out of range 'frame_size': ignored, default kept",
                  r"line 5: expected 'key = value' 'just\?some\?words': ignored",
                  r"line 7: key given twice \(the first value stays\) 'cmdline'",
                  r"line 8: NUL byte in line: ignored",
                  r"config: /boot/multios\.cfg, \d+ bytes, 9 lines, 6 refused",
                  r'(?m)^bootinfo: cmdline "still boots"\r?$']),
        Case("config", "q35-log-level-warn", "kernel", images.get("cfg-quiet"),
             log=[r"multios: config: log_level = warn",
                  r'(?m)^bootinfo: cmdline "quiet"\r?$'],
             nolog=r"multios: (kernel|memory|frames|heap|paging): "),
        Case("config", "pc-longest-cmdline", "kernel", images.get("cfg-long"), "pc",
             log=[r'(?m)^bootinfo: cmdline "%s"\r?$' % q(CONFIG_LONG_CMDLINE)]),
        Case("config", "pc-128M-beyond-the-machine", "kernel", images.get("cfg-beyond"), "pc",
             log=[r"line 2: value out of range 'frame_size': ignored, default kept",
                  r"multios: warning: config: heap_min 0x200000000 leaves 0 KiB for the "
                  r"1024 KiB heap minimum: the default 0x100000 is used",
                  r'(?m)^bootinfo: cmdline "fits anyway"\r?$']),
        Case("config", "q35-missing-kernel", "panic", images.get("cfg-missing"), timeout=t,
             expect=r"multios: panic: kernel: kernel not found: no /boot/nope\.elf"),
    ]


def build_images(args, suites):
    """Copies of the default image for demo32 and the bad cases: name -> path (None when the
    copy could not be made; that case then fails with the reason in the log)."""
    out = {}
    d = os.path.join(args.work, "images")
    os.makedirs(d, exist_ok=True)
    k = args.kernels
    # demo64 too: build/multios.img holds whatever KERNEL the last `make image` used.
    jobs = {"demo64": ("replace", os.path.join(k, "demo64.elf"))}
    if "reloc" in suites:
        jobs["demo64-reloc"] = ("replace", os.path.join(k, "demo64-reloc.elf"))
    if "demo32" in suites:
        jobs["demo32"] = ("replace", os.path.join(k, "demo32.elf"))
    if "usb" in suites:
        jobs["bpb"] = ("bpb", os.path.join(k, "demo64.elf"))
    if "bad" in suites:
        jobs["missing-kernel"] = ("delete", None)
        jobs["corrupt-stage2"] = ("flip", None)
        for n in ("truncated", "notelf", "overlap", "overlap64", "toolarge"):
            jobs[n] = ("replace", os.path.join(k, "bad-%s.elf" % n))
        for n in ("fault64", "fault32"):
            jobs[n] = ("replace", os.path.join(k, "%s.elf" % n))
    for name, (op, src) in jobs.items():
        dst = os.path.join(d, name + ".img")
        try:
            qemuimg.derive(args.image, dst, op, src)
            out[name] = dst
        except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
            print("boottest: image %s: %s" % (name, e), file=sys.stderr)
            out[name] = None
    if "config" in suites:
        demo64 = os.path.join(k, "demo64.elf")
        # cfg-other: /boot/kernel.elf is not an ELF, so only the configured kernel can pass
        plan = {"cfg-other": (os.path.join(k, "bad-notelf.elf"), (demo64, "/boot/other.elf")),
                "cfg-mistakes": (demo64, None), "cfg-quiet": (demo64, None),
                "cfg-missing": (demo64, None), "cfg-long": (demo64, None),
                "cfg-beyond": (demo64, None)}
        for name, (kernel, extra) in plan.items():
            dst = os.path.join(d, name + ".img")
            try:
                config_image(args.image, dst, CONFIGS[name], kernel, extra)
                out[name] = dst
            except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
                print("boottest: image %s: %s" % (name, e), file=sys.stderr)
                out[name] = None
    # Images around test builds of the loader, made like the default image: the CHS-only
    # stage1 + stage2, and the stage2 that executes UD2 right after loading its IDT.
    b = os.path.dirname(args.image) or "."
    builds = {}
    if "chs" in suites:
        builds["chs"] = ("stage1-chs.bin", "stage2-chs.bin")
    if "bad" in suites:
        builds["fault"] = ("stage1.bin", "stage2-fault.bin")
    for name, (s1, s2) in builds.items():
        dst = os.path.join(d, name + ".img")
        try:
            subprocess.run([sys.executable, "tools/mkimage.py",
                            "--stage1", os.path.join(b, s1), "--stage2", os.path.join(b, s2),
                            "--kernel", os.path.join(k, "demo64.elf"), "--size-mib", "64",
                            "--out", dst], check=True, stdout=subprocess.DEVNULL)
            out[name] = dst
        except (OSError, subprocess.CalledProcessError) as e:
            print("boottest: image %s: %s" % (name, e), file=sys.stderr)
            out[name] = None
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suites", nargs="*", default=["matrix", "demo32", "reloc", "lowram", "bad",
                                                  "blkdebug", "chs", "usb", "config"])
    ap.add_argument("--image", default="build/multios.img")
    ap.add_argument("--kernels", default="build/kernels")
    ap.add_argument("--e820", default="build/e820")
    ap.add_argument("--results", default="build/results")
    ap.add_argument("--work", default="build/qemu")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--panic-timeout", type=float, default=30)
    ap.add_argument("--small-mem", default="2M", help="-m too small for the boot heap")
    ap.add_argument("--only", default=None, help="regex: run only cases whose name matches")
    args = ap.parse_args()

    os.makedirs(args.results, exist_ok=True)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    images = build_images(args, args.suites)
    cases = []
    if "matrix" in args.suites:
        cases += matrix_cases(images.get("demo64"))
    if "demo32" in args.suites:
        cases += demo32_cases(images.get("demo32"))
    if "reloc" in args.suites:
        cases += reloc_cases(images.get("demo64-reloc"))
    if "lowram" in args.suites:
        cases += lowram_cases(images.get("demo64"))
    if "bad" in args.suites:
        cases += bad_cases(images, args)
    if "blkdebug" in args.suites:
        cases += blkdebug_cases(images, args)
    if "chs" in args.suites:
        cases += chs_cases(images.get("chs"))
    if "usb" in args.suites:
        cases += usb_cases(images.get("demo64"), images.get("bpb"))
    if "config" in args.suites:
        cases += config_cases(images, args)
    if args.only:
        cases = [c for c in cases if re.search(args.only, c.suite + "/" + c.name)]

    start = time.monotonic()
    results = {s: [] for s in args.suites}
    busy = 0.0
    # Longest first (big -m, smp 4), so the two slots end together.
    order = sorted(cases, key=lambda c: (c.kind != "kernel", -qemuimg.mem_bytes(c.mem), -c.smp))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for case, why, secs in pool.map(lambda c: run_case(c, args), order):
            busy += secs
            name = "qemu-%s %s" % (case.suite, case.name)
            line = "ok - %s" % name if why is None else "not ok - %s: %s" % (name, why)
            line = line.replace("\n", " ")
            results[case.suite].append(line)
            print("%s (%.1f s)" % (line, secs), flush=True)
    wall = time.monotonic() - start
    # The results directory again: a concurrent `make test` may have cleaned it meanwhile.
    os.makedirs(args.results, exist_ok=True)
    for suite, lines in results.items():
        if not lines:
            continue
        with open(os.path.join(args.results, "qemu-%s.tap" % suite), "w") as f:
            f.write("\n".join(lines) + "\n")
    print("boottest: %d runs, %.0f s wall, %.0f s QEMU time, %d jobs" %
          (len(cases), wall, busy, args.jobs))
    return 0 if all(l.startswith("ok") for v in results.values() for l in v) else 1


if __name__ == "__main__":
    sys.exit(main())
