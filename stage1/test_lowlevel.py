#!/usr/bin/env python3
"""test_lowlevel.py: QEMU boots of stage1's paths and stage2's low level, one TAP line each.

Images are made from build/stage1.bin, build/stage1-chs.bin (extensions check skipped) and
build/stage2-hello.bin (the low-level smoke test: A20 by every method, the thunk's glove box,
"multios: lowlevel: PASS", exit 33 through isa-debug-exit):
  - LBA boot on -M pc and -M q35; a 600-sector stage2 (many 64 KiB segments);
  - CHS boot from the hard disk and from a 1.44 MB floppy, stage2 spanning tracks and heads;
  - stage1's failures: a flipped stage2 byte, a missing header, a disk that ends mid-stage2.
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

    hd = lambda img: ["-drive", f"file={img},format=raw"]
    cases = [
        ("lba-pc", lambda: boot(hd(w("lba.img")), "pc")),
        ("lba-q35", lambda: boot(hd(w("lba.img")), "q35")),
        ("lba-600-sectors", lambda: boot(hd(w("lba-big.img")), "q35")),
        ("chs-disk", lambda: boot(hd(w("chs.img")), "pc")),
        ("chs-floppy-600-sectors", lambda: boot(
            ["-drive", f"file={w('floppy.img')},format=raw,if=floppy", "-boot", "a"], "pc")),
        ("corrupt-stage2", lambda: boot(hd(w("flip.img")), expect="MBR: stage2 checksum",
                                        want_exit=None)),
        ("missing-stage2", lambda: boot(hd(w("nohdr.img")), expect="MBR: no stage2",
                                        want_exit=None)),
        ("disk-ends-mid-stage2", lambda: boot(hd(w("short.img")), expect="MBR: disk read error",
                                              want_exit=None)),
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
