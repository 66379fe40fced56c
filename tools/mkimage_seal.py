#!/usr/bin/env python3
"""mkimage_seal.py: seal stage2.bin for stage1. Pads the raw image to whole sectors and
writes the header's size (sectors, at +8) and checksum (at +12, chosen so that the 32-bit
sum of every little-endian dword of the image is zero; stage1 checks exactly that).

usage: mkimage_seal.py RAW OUT"""
import struct
import sys

MAGIC = b"MOS2"
SECTOR = 512
# Stage1 accepts at most this many (stage2 + bss must end below 0x60000; it loads at 0x8000).
MAX_SECTORS = (0x60000 - 0x8000) // SECTOR


def seal(raw: bytes) -> bytes:
    if len(raw) < 16 or raw[4:8] != MAGIC:
        raise ValueError("no stage2 header (magic 'MOS2' at offset 4)")
    sectors = (len(raw) + SECTOR - 1) // SECTOR
    if sectors > MAX_SECTORS:
        raise ValueError(f"stage2 too big: {sectors} sectors, stage1 loads at most {MAX_SECTORS}")
    img = bytearray(raw + b"\0" * (sectors * SECTOR - len(raw)))
    struct.pack_into("<HH", img, 8, sectors, struct.unpack_from("<H", img, 10)[0])
    struct.pack_into("<I", img, 12, 0)
    total = sum(struct.unpack_from(f"<{len(img) // 4}I", img)) & 0xFFFFFFFF
    struct.pack_into("<I", img, 12, (-total) & 0xFFFFFFFF)
    assert sum(struct.unpack_from(f"<{len(img) // 4}I", img)) & 0xFFFFFFFF == 0
    return bytes(img)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], "rb") as f:
            out = seal(f.read())
    except (OSError, ValueError) as e:
        print(f"mkimage_seal: {e}", file=sys.stderr)
        return 1
    with open(sys.argv[2], "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
