#!/usr/bin/env python3
"""test_lowlevel.py: QEMU boots of stage1's paths and stage2's low level, one TAP line each.

Images are made from build/stage1.bin, build/stage1-chs.bin (extensions check skipped) and
build/stage2-hello.bin (the low-level smoke test: A20 by every method, the thunk's glove box,
"multios: lowlevel: PASS", exit 33 through isa-debug-exit):
  - LBA boot on -M pc and -M q35; a 600-sector stage2 (many 64 KiB segments);
  - CHS boot from the hard disk and from a 1.44 MB floppy, stage2 spanning tracks and heads;
  - stage1's failures: a flipped stage2 byte, a missing header, a disk that ends mid-stage2;
  - the disk signature: mkimage.py writes a nonzero one at 440 and zeros at 444..445, the same
    for the same inputs; a disk whose bytes 440..445 were rewritten (as Windows or fdisk do)
    still boots, LBA on pc and q35 and CHS;
  - no COM1 (-serial none, BDA word 0x400 = 0): a failure's message still reaches the screen
    (read back from VGA text memory through the QEMU monitor) and stage1 stays halted.
usage: test_lowlevel.py --build build --results build/results"""
import argparse
import os
import struct
import subprocess
import sys
import time

PASS_LINE = "multios: lowlevel: PASS"
TIMEOUT = 30


def seal(build, raw, out, pad=0):
    with open(raw, "rb") as f:
        data = f.read()
    tmp = out + ".raw"
    with open(tmp, "wb") as f:
        f.write(data + bytes(pad))
    subprocess.run([sys.executable, "tools/mkimage_seal.py", tmp, out], check=True)
    os.unlink(tmp)


def disk_image(build, stage1, stage2, out):
    # The kernel file is never loaded by the smoke test; any file will do.
    subprocess.run([sys.executable, "tools/mkimage.py", "--stage1", stage1, "--stage2", stage2,
                    "--kernel", stage2, "--out", out, "--size-mib", "34"], check=True)


def raw_image(stage1, stage2, out, size):
    with open(stage1, "rb") as f:
        s1 = f.read(512)
    with open(stage2, "rb") as f:
        s2 = f.read()
    img = bytearray(size if size else 512 + len(s2))
    img[0:512] = s1
    n = min(len(s2), len(img) - 512)
    img[512:512 + n] = s2[:n]
    with open(out, "wb") as f:
        f.write(img)


def boot(drive, machine="pc", expect=PASS_LINE, want_exit=33):
    """Boot, return (ok, detail). Stage1 failures halt: stop once the expected line shows."""
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-M", machine, "-m", "64M", "-display", "none",
           "-serial", "stdio", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-monitor", "none"] + drive
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b""
    os.set_blocking(p.stdout.fileno(), False)
    while time.monotonic() - start < TIMEOUT:
        chunk = p.stdout.read() or b""
        out += chunk
        text = out.decode("latin-1")
        if p.poll() is not None:
            out += p.stdout.read() or b""
            break
        if want_exit is None and expect in text:
            time.sleep(0.5)   # a halted stage1 must stay halted, not reboot
            break
        time.sleep(0.05)
    rc = p.poll()
    if rc is None:
        p.kill()
        p.wait()
    text = out.decode("latin-1")
    secs = time.monotonic() - start
    if expect not in text:
        last = text.strip().splitlines()[-1:] or ["(no output)"]
        return False, f"'{expect}' not seen in {secs:.1f} s; last line: {last[0]}"
    if want_exit is not None and rc != want_exit:
        return False, f"exit {rc}, want {want_exit}"
    if want_exit is None and (rc is not None or text.count("MBR: ") != 1):
        return False, "stage1 did not halt after its message (rebooted or exited)"
    return True, f"{secs:.1f} s"


def screen_boot(drive, expect, machine="pc"):
    """Boot with no serial port at all and the monitor on stdin/stdout; return (ok, detail)
    once `expect` shows in VGA text memory (0xb8000, character bytes at even offsets)."""
    work = os.path.dirname(drive[1].split(",")[0].split("=", 1)[1])
    vga, bda = os.path.join(work, "screen.bin"), os.path.join(work, "bda.bin")
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-M", machine, "-m", "64M", "-display", "none",
           "-serial", "none", "-parallel", "none", "-no-reboot", "-monitor", "stdio"] + drive
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.STDOUT)
    text, com1, seen = "", None, None
    try:
        while time.monotonic() - start < TIMEOUT and p.poll() is None:
            for f in (vga, bda):
                if os.path.exists(f):
                    os.unlink(f)
            p.stdin.write(f"pmemsave 0x400 2 {bda}\npmemsave 0xb8000 4000 {vga}\n".encode())
            p.stdin.flush()
            t = time.monotonic()
            while not (os.path.exists(vga) and os.path.getsize(vga) == 4000) and \
                    time.monotonic() - t < 5:
                time.sleep(0.02)
            if os.path.exists(vga) and os.path.getsize(vga) == 4000:
                with open(bda, "rb") as f:
                    com1, = struct.unpack("<H", f.read(2))
                with open(vga, "rb") as f:
                    text = f.read()[0::2].decode("latin-1")
                if expect in text:
                    if seen is None:
                        seen = time.monotonic() - start
                        time.sleep(0.5)   # then look again: still there, still running
                        continue
                    break
            time.sleep(0.1)
        alive = p.poll() is None
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
    if com1 != 0:
        return False, f"BDA COM1 base is {com1!r}, want 0 (the case needs a machine without COM1)"
    if seen is None or expect not in text:
        return False, f"'{expect}' not on the screen in {TIMEOUT} s"
    if not alive or text.count("MBR: ") != 1:
        return False, "stage1 did not stay halted after its message"
    return True, f"{seen:.1f} s, screen only"


def signature_checks(images):
    """mkimage.py's MBR: a nonzero disk signature at 440..443, zeros at 444..445, and the same
    sector 0 from the same inputs (the signature is derived, not random)."""
    mbrs = []
    for img in images:
        with open(img, "rb") as f:
            mbrs.append(f.read(512))
    for img, m in zip(images, mbrs):
        if m[440:444] == bytes(4):
            return False, f"{img}: disk signature is zero"
        if m[444:446] != bytes(2):
            return False, f"{img}: bytes 444..445 are {m[444:446].hex()}, want 0000"
    if mbrs[0] != mbrs[1]:
        return False, "two images from the same inputs differ in sector 0"
    return True, f"signature {mbrs[0][440:444].hex()}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--results", default="build/results")
    a = ap.parse_args()
    b = a.build
    work = os.path.join(b, "lowlevel")
    os.makedirs(work, exist_ok=True)
    os.makedirs(a.results, exist_ok=True)
    s1, s1chs = os.path.join(b, "stage1.bin"), os.path.join(b, "stage1-chs.bin")
    hello = os.path.join(b, "stage2-hello.bin")
    w = lambda name: os.path.join(work, name)

    raw = w("hello.raw")
    subprocess.run(["objcopy", "-O", "binary", os.path.join(b, "stage2-hello.elf"), raw],
                   check=True)
    seal(b, raw, w("hello-big.bin"), pad=300 * 1024)       # ~600 sectors
    disk_image(b, s1, hello, w("lba.img"))
    disk_image(b, s1, hello, w("lba-again.img"))
    disk_image(b, s1, w("hello-big.bin"), w("lba-big.img"))
    disk_image(b, s1chs, hello, w("chs.img"))
    raw_image(s1chs, w("hello-big.bin"), w("floppy.img"), 1474560)

    # Corruptions, made from the LBA image.
    with open(w("lba.img"), "rb") as f:
        base = bytearray(f.read(2048 * 512))
    sectors, = struct.unpack_from("<H", base, 512 + 8)
    flip = bytearray(base)
    flip[512 + sectors * 512 // 2] ^= 0x5A
    nohdr = bytearray(base)
    nohdr[512:1024] = bytes(512)
    for name, data in (("flip.img", flip), ("nohdr.img", nohdr),
                       ("short.img", base[:512 + 2 * 512])):
        with open(w(name), "wb") as f:
            f.write(data)
    # Another signature and nonzero reserved bytes, as a tool that relabels the disk leaves
    # them (fdisk writes a label ID there, Windows a signature on attach).
    for src, dst in (("lba.img", "lba-sig.img"), ("chs.img", "chs-sig.img")):
        subprocess.run(["cp", "--sparse=always", w(src), w(dst)], check=True)
        with open(w(dst), "r+b") as f:
            f.seek(440)
            f.write(bytes([0x78, 0x56, 0x34, 0x12, 0xA5, 0x5A]))

    hd = lambda img: ["-drive", f"file={img},format=raw"]
    cases = [
        ("lba-pc", lambda: boot(hd(w("lba.img")), "pc")),
        ("lba-q35", lambda: boot(hd(w("lba.img")), "q35")),
        ("lba-600-sectors", lambda: boot(hd(w("lba-big.img")), "q35")),
        ("chs-disk", lambda: boot(hd(w("chs.img")), "pc")),
        ("image-disk-signature", lambda: signature_checks([w("lba.img"), w("lba-again.img")])),
        ("disk-signature-rewritten-pc", lambda: boot(hd(w("lba-sig.img")), "pc")),
        ("disk-signature-rewritten-q35", lambda: boot(hd(w("lba-sig.img")), "q35")),
        ("disk-signature-rewritten-chs", lambda: boot(hd(w("chs-sig.img")), "pc")),
        ("chs-floppy-600-sectors", lambda: boot(
            ["-drive", f"file={w('floppy.img')},format=raw,if=floppy", "-boot", "a"], "pc")),
        ("corrupt-stage2", lambda: boot(hd(w("flip.img")), expect="MBR: stage2 checksum",
                                        want_exit=None)),
        ("missing-stage2", lambda: boot(hd(w("nohdr.img")), expect="MBR: no stage2",
                                        want_exit=None)),
        ("disk-ends-mid-stage2", lambda: boot(hd(w("short.img")), expect="MBR: disk read error",
                                              want_exit=None)),
        ("no-com1-message-on-screen", lambda: screen_boot(hd(w("flip.img")),
                                                          "MBR: stage2 checksum")),
    ]
    lines, failed = [], 0
    for name, run in cases:
        ok, detail = run()
        failed += not ok
        lines.append(f"{'ok' if ok else 'not ok'} - qemu-lowlevel {name} ({detail})")
        print(lines[-1], flush=True)
    with open(os.path.join(a.results, "qemu-lowlevel.tap"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
