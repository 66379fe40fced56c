#!/usr/bin/env python3
"""mkimage.py: build the MultiOS disk image (no root, no loop devices).

  sector 0         stage1 (its first 440 bytes, with the stage2 location: LBA 1 and stage2's
                   sectors) + a disk signature (440..443, nonzero, derived from the image's
                   contents) + 2 zero bytes + one partition entry + 0x55AA
  LBA 1..2047      stage2 (sealed by mkimage_seal.py)
  LBA 2048..end    FAT32 partition (type 0x0C, active) made by mkfs.fat --offset,
                   holding /boot/kernel.elf (and /boot/multios.cfg if --config is given,
                   and each --file as /boot/<its name>: modules, other kernels)

The image is --size-mib big, or bigger: it grows to hold everything it is given (tens of MiB
of kernel and modules are normal).

With --label gpt, sfdisk writes a GPT (protective MBR, which stage1's code goes over):
  LBA 2048..4095   a BIOS-boot partition holding stage2 (the stage2 location says LBA 2048)
  LBA 4096..       the FAT32 partition (Microsoft basic data, legacy BIOS bootable)

Where stage1 must end, where its stage2 location is and stage2's magic come from the C
headers through layout.inc.

usage: mkimage.py --stage1 S1 --stage2 S2 --kernel ELF --out IMG [--size-mib 64]
                  [--config CFG] [--file SRC ...] [--extra SRC:DEST ...] [--label mbr|gpt]
                  [--sfdisk PATH]
                  [--layout build/gen/layout.inc]"""
import argparse
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

import layout_inc

SECTOR = 512
PART_LBA = 2048
PART_ALIGN = 2048   # partitions start and end on whole MiB, as fdisk and sfdisk place them
PART_TYPE_FAT32_LBA = 0x0C
MIN_SIZE_MIB = 34   # mkfs.fat needs 65525 clusters for FAT32 (512-byte clusters: ~33 MiB)
MIB = 1024 * 1024
# --label gpt: stage2 in a 1 MiB BIOS-boot partition (as GRUB's), the FAT32 one after it;
# the last 33 sectors hold the backup GPT.
GPT_BIOS_BOOT_LBA = 2048
GPT_BIOS_BOOT_SECTORS = 2048
GPT_RESERVED_END = 34
GPT_TYPE_BIOS_BOOT = "21686148-6449-6E6F-744E-656564454649"
GPT_TYPE_BASIC_DATA = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"


class ImageError(Exception):
    pass


def chs(lba: int, heads: int = 255, spt: int = 63) -> bytes:
    """CHS triple of a partition entry for the usual 255/63 geometry, 1023/254/63 past it."""
    cyl, rem = divmod(lba, heads * spt)
    if cyl > 1023:
        return bytes([254, 0xFF, 0xFF])
    head, sec = divmod(rem, spt)
    return bytes([head, ((cyl >> 2) & 0xC0) | (sec + 1), cyl & 0xFF])


def disk_signature(*parts: bytes) -> bytes:
    """A nonzero 32-bit disk signature derived from the image's inputs, so the same inputs
    give the same image. Written like fdisk does (Windows writes one on attach), so every
    image stage1 boots from has one in place: stage1 must keep nothing at 440..445."""
    h = hashlib.sha256()
    for p in parts:
        h.update(struct.pack("<Q", len(p)) + p)
    sig = h.digest()[:4]
    return sig if sig != bytes(4) else b"\x01\x00\x00\x00"


def stage2_location(stage1: bytes, lay: dict, lba: int, sectors: int) -> bytes:
    """Stage1 with its stage2 location (layout.h: STAGE1_STAGE2_LBA, STAGE1_STAGE2_SECTORS)
    set: where stage2's first sector is and how many sectors it has."""
    if not 0 < sectors <= lay["STAGE2_MAX_SECTORS"]:
        raise ImageError(f"stage2 is {sectors} sectors; stage1 loads 1..{lay['STAGE2_MAX_SECTORS']}")
    if (lba & 0xFFFFFFFF) + sectors > 1 << 32:
        raise ImageError(f"stage2 at LBA {lba} straddles a multiple of 2^32 sectors")
    out = bytearray(stage1)
    struct.pack_into("<QH", out, lay["STAGE1_STAGE2_LBA"], lba, sectors)
    return bytes(out)


def mbr(stage1: bytes, total_sectors: int, signature: bytes, code_end: int) -> bytes:
    """Stage1's code and data (its first code_end bytes), the disk signature, 2 zero bytes,
    the partition table and 0x55AA."""
    if len(stage1) < 446:
        raise ImageError(f"stage1 is {len(stage1)} bytes, expected at least 446")
    if stage1[code_end:446] != bytes(446 - code_end):
        raise ImageError(f"stage1 has code or data at {code_end}..445 (disk signature)")
    if len(signature) != 4 or signature == bytes(4):
        raise ImageError("the disk signature must be 4 bytes, not all zero")
    count = total_sectors - PART_LBA
    last = total_sectors - 1
    entry = (bytes([0x80]) + chs(PART_LBA) + bytes([PART_TYPE_FAT32_LBA]) + chs(last)
             + struct.pack("<II", PART_LBA, count))
    return (stage1[:code_end] + signature + bytes(2) + entry + bytes(48) + b"\x55\xAA")


def size_to_fit(size_mib, paths):
    """The image size in MiB: at least size_mib, and enough for the files at 512-byte
    clusters, the two FATs (4 bytes per cluster each), the directories, what precedes and
    follows the partition (a GPT's BIOS-boot partition and backup too), and 2 MiB to spare."""
    clusters = sum((os.path.getsize(p) + SECTOR - 1) // SECTOR for p in paths) + 64
    around = (GPT_BIOS_BOOT_LBA + GPT_BIOS_BOOT_SECTORS + GPT_RESERVED_END) * SECTOR
    need = around + clusters * SECTOR + 2 * 4 * clusters + 2 * MIB
    return max(size_mib, (need + MIB - 1) // MIB)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise ImageError(f"{' '.join(cmd)} failed:\n{r.stdout}")


def gpt_label(tmp: str, total: int, sfdisk: str) -> tuple:
    """A GPT on the image file (sfdisk: no root, no loop device): a BIOS-boot partition at
    GPT_BIOS_BOOT_LBA for stage2, then the FAT32 partition (Microsoft basic data, marked
    legacy BIOS bootable) to the last whole MiB. (first LBA, sectors) of the FAT32 one."""
    part_lba = GPT_BIOS_BOOT_LBA + GPT_BIOS_BOOT_SECTORS
    part_sectors = (total - GPT_RESERVED_END - part_lba) // PART_ALIGN * PART_ALIGN
    script = ("label: gpt\nunit: sectors\nfirst-lba: 34\n"
              f"start={GPT_BIOS_BOOT_LBA}, size={GPT_BIOS_BOOT_SECTORS}, "
              f"type={GPT_TYPE_BIOS_BOOT}, name=\"BIOS boot\"\n"
              f"start={part_lba}, size={part_sectors}, type={GPT_TYPE_BASIC_DATA}, "
              "name=\"MULTIOS\", attrs=\"LegacyBIOSBootable\"\n")
    r = subprocess.run([sfdisk, "--no-reread", "--no-tell-kernel", "--quiet", tmp],
                       input=script, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise ImageError(f"{sfdisk} failed:\n{r.stdout}")
    return part_lba, part_sectors


def build(args) -> None:
    lay = layout_inc.read(args.layout)
    code_end, magic_at = lay["STAGE1_CODE_END"], lay["STAGE2_HDR_MAGIC"]
    with open(args.stage1, "rb") as f:
        stage1 = f.read()
    with open(args.stage2, "rb") as f:
        stage2 = f.read()
    if not os.path.isfile(args.kernel):
        raise ImageError(f"kernel {args.kernel}: no such file")
    with open(args.kernel, "rb") as f:
        kernel = f.read()
    room = PART_LBA - 1 if args.label == "mbr" else GPT_BIOS_BOOT_SECTORS
    if len(stage2) > room * SECTOR:
        raise ImageError(f"stage2 is {len(stage2)} bytes; it must fit in the {room * SECTOR} "
                         "bytes before the partition (MBR) or in the BIOS-boot partition (GPT)")
    if len(stage2) < SECTOR or \
            struct.unpack_from("<I", stage2, magic_at)[0] != lay["STAGE2_MAGIC"]:
        raise ImageError("stage2 has no sealed header (magic 'MOS2')")
    if args.size_mib < MIN_SIZE_MIB:
        raise ImageError(f"image size {args.size_mib} MiB is below the FAT32 minimum "
                         f"{MIN_SIZE_MIB} MiB")
    files_in = args.file or []
    for src in files_in:
        if not os.path.isfile(src):
            raise ImageError(f"file {src}: no such file")
    names = [os.path.basename(src) for src in files_in]
    dup = {n for n in names if names.count(n) > 1 or n in ("kernel.elf", "multios.cfg")}
    if dup:
        raise ImageError(f"two files would be /boot/{sorted(dup)[0]}")
    extras = [e.partition(":")[0] for e in args.extra or []]
    size_mib = size_to_fit(args.size_mib, [args.kernel] + files_in + extras +
                           ([args.config] if args.config else []))
    total = size_mib * MIB // SECTOR
    stage2_lba = 1 if args.label == "mbr" else GPT_BIOS_BOOT_LBA
    stage1 = stage2_location(stage1, lay, stage2_lba, (len(stage2) + SECTOR - 1) // SECTOR)

    out = args.out
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.truncate(total * SECTOR)   # sparse
    if args.label == "mbr":
        part_lba, part_sectors = PART_LBA, total - PART_LBA
        sector0 = mbr(stage1, total, disk_signature(stage1[:code_end], stage2, kernel,
                                                    struct.pack("<Q", total)), code_end)
    else:
        part_lba, part_sectors = gpt_label(tmp, total, args.sfdisk)
        with open(tmp, "rb") as f:
            sector0 = stage1[:code_end] + f.read(SECTOR)[code_end:]  # sfdisk's table stays
    with open(tmp, "r+b") as f:
        f.write(sector0)
        f.seek(stage2_lba * SECTOR)
        f.write(stage2)
    files = [(args.kernel, "/boot/kernel.elf")]
    if args.config:
        files.append((args.config, "/boot/multios.cfg"))
    for src in files_in:
        files.append((src, "/boot/" + os.path.basename(src)))
    for extra in args.extra or []:
        src, _, dest = extra.partition(":")
        if not dest:
            raise ImageError(f"--extra {extra}: expected SRC:DEST")
        files.append((src, dest))
    make_fat32(tmp, part_lba, part_sectors, files)
    os.replace(tmp, out)


def make_fat32(image: str, part_lba: int, part_sectors: int, files) -> None:
    """A FAT32 volume labelled MULTIOS on the partition at part_lba, /boot made, and files
    ((source, destination path) pairs) copied in."""
    # -s 1: 512-byte clusters keep small images FAT32; -h: hidden sectors = partition start.
    run(["mkfs.fat", "-F", "32", "-s", "1", "-h", str(part_lba), "-n", "MULTIOS",
         "--offset", str(part_lba), image, str(part_sectors * SECTOR // 1024)])
    fs = f"{image}@@{part_lba * SECTOR}"
    run(["mmd", "-i", fs, "::/boot"])
    for src, dest in files:
        run(["mcopy", "-i", fs, src, "::" + dest])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stage1", required=True)
    p.add_argument("--stage2", required=True)
    p.add_argument("--kernel", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--size-mib", type=int, default=64)
    p.add_argument("--config")
    p.add_argument("--file", action="append", help="SRC, copied to /boot/<its name>")
    p.add_argument("--extra", action="append", help="SRC:DEST, another file for the FAT")
    p.add_argument("--layout", default=layout_inc.DEFAULT, help="the generated layout.inc")
    p.add_argument("--label", choices=("mbr", "gpt"), default="mbr",
                   help="mbr: stage2 at LBA 1, FAT32 at 2048; gpt: stage2 in a BIOS-boot "
                        "partition, FAT32 after it (needs sfdisk)")
    p.add_argument("--sfdisk", default="sfdisk", help="the sfdisk to run for --label gpt")
    args = p.parse_args()
    os.environ.setdefault("MTOOLS_SKIP_CHECK", "1")
    try:
        build(args)
    except (OSError, ImageError, KeyError) as e:
        print(f"mkimage: {e}", file=sys.stderr)
        try:
            os.unlink(args.out + ".tmp")
        except OSError:
            pass
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
