"""qemuimg.py: derive test images from the default disk image without root or loop devices:
replace or delete /boot/kernel.elf with mtools, or flip one byte of stage2 so its own
checksum must catch it. The FAT partition is found through the MBR, not assumed at 1 MiB."""
import os
import re
import shutil
import struct
import subprocess

FAT32_TYPES = (0x0B, 0x0C)


def mem_bytes(mem):
    """QEMU -m syntax (32M, 4G) to bytes."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(mem[:-1]) * units[mem[-1].upper()] if mem[-1].upper() in units else int(mem) << 20


def fat_offset(image):
    """Byte offset of the first FAT32 partition in the MBR of `image`."""
    with open(image, "rb") as f:
        mbr = f.read(512)
    if len(mbr) != 512 or mbr[510:512] != b"\x55\xaa":
        raise RuntimeError("%s: no MBR signature" % image)
    for i in range(4):
        entry = mbr[446 + 16 * i: 446 + 16 * (i + 1)]
        ptype, = struct.unpack_from("<B", entry, 4)
        lba, = struct.unpack_from("<I", entry, 8)
        if ptype in FAT32_TYPES and lba:
            return lba * 512
    raise RuntimeError("%s: no FAT32 partition in the MBR" % image)


def mtools(tool, image, *argv):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    subprocess.run([tool, "-i", "%s@@%d" % (image, fat_offset(image))] + list(argv),
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def file_sectors(image, path):
    """The absolute LBAs of `path` on the image's FAT32 partition, in file order: the cluster
    chain from mshowfat, mapped through the boot sector's geometry (so a blkdebug rule can
    aim at a sector the loader must read, wherever mcopy put the file)."""
    base = fat_offset(image)
    with open(image, "rb") as f:
        f.seek(base)
        bpb = f.read(512)
    bps, = struct.unpack_from("<H", bpb, 11)
    spc = bpb[13]
    reserved, = struct.unpack_from("<H", bpb, 14)
    nfats = bpb[16]
    fat_size, = struct.unpack_from("<I", bpb, 36)
    if bps != 512 or spc == 0:
        raise RuntimeError("%s: unexpected FAT32 geometry (%d bytes/sector)" % (image, bps))
    data = base // 512 + reserved + nfats * fat_size
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    out = subprocess.run(["mshowfat", "-i", "%s@@%d" % (image, base), "::" + path],
                         check=True, env=env, capture_output=True, text=True).stdout
    lbas = []
    for first, last in re.findall(r"<(\d+)(?:-(\d+))?>", out):
        for c in range(int(first), int(last or first) + 1):
            lbas += range(data + (c - 2) * spc, data + (c - 1) * spc)
    if not lbas:
        raise RuntimeError("%s: no clusters for %s (%r)" % (image, path, out))
    return lbas


def flip_stage2(image):
    """Flip one byte in the middle of stage2 (LBA 1..), past its header, so the magic still
    matches and only the checksum can tell."""
    with open(image, "r+b") as f:
        f.seek(512)
        hdr = f.read(16)
        sectors, = struct.unpack_from("<H", hdr, 8)
        if sectors < 2 or sectors > 2047:
            raise RuntimeError("stage2 header says %d sectors" % sectors)
        off = 512 + (sectors * 512) // 2
        f.seek(off)
        b = f.read(1)
        f.seek(off)
        f.write(bytes([b[0] ^ 0x5A]))


def scribble_bpb(image):
    """Overwrite MBR bytes 3..89 (where a BIOS booting a USB stick as a floppy may write a
    BIOS parameter block) with a pattern: stage1 keeps no code or data there."""
    with open(image, "r+b") as f:
        f.seek(3)
        f.write(bytes((0xA5 + i) & 0xff for i in range(87)))


def derive(src, dst, op, kernel=None):
    """Copy src to dst (sparse), then apply op: 'replace' (kernel file), 'delete', 'flip',
    'bpb' (scribble over the BPB room)."""
    if not os.path.exists(src):
        raise RuntimeError("%s does not exist" % src)
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)
    if op == "replace":
        if not os.path.exists(kernel):
            raise RuntimeError("%s does not exist" % kernel)
        mtools("mcopy", dst, "-o", kernel, "::/boot/kernel.elf")
    elif op == "delete":
        mtools("mdel", dst, "::/boot/kernel.elf")
    elif op == "flip":
        flip_stage2(dst)
    elif op == "bpb":
        if kernel:
            mtools("mcopy", dst, "-o", kernel, "::/boot/kernel.elf")
        scribble_bpb(dst)
    else:
        raise ValueError(op)
