#!/usr/bin/env python3
"""mkimage_seal.py: seal stage2.bin for stage1. Pads the raw image to whole sectors and
writes the header's size (in sectors) and checksum (chosen so that the 32-bit sum of every
little-endian dword of the image is zero; stage2's 16-bit entry checks exactly that). The
header's offsets, the magic and the size limit come from the C headers through layout.inc
(layout_inc.py).

usage: mkimage_seal.py [--layout build/gen/layout.inc] RAW OUT"""
import argparse
import struct
import sys

import layout_inc


def seal(raw: bytes, lay: dict) -> bytes:
    sector = lay["STAGE2_SECTOR"]
    magic, magic_at = lay["STAGE2_MAGIC"], lay["STAGE2_HDR_MAGIC"]
    max_sectors = lay["STAGE2_MAX_SECTORS"]
    if len(raw) < lay["STAGE2_HDR_SIZE"] or struct.unpack_from("<I", raw, magic_at)[0] != magic:
        name = struct.pack("<I", magic).decode("ascii", "replace")
        raise ValueError(f"no stage2 header (magic '{name}' at offset {magic_at})")
    # Stage1 accepts at most max_sectors (stage2 + bss must end below its ceiling).
    sectors = (len(raw) + sector - 1) // sector
    if sectors > max_sectors:
        raise ValueError(f"stage2 too big: {sectors} sectors, stage1 loads at most {max_sectors}")
    img = bytearray(raw + b"\0" * (sectors * sector - len(raw)))
    struct.pack_into("<H", img, lay["STAGE2_HDR_SECTORS"], sectors)
    checksum_at = lay["STAGE2_HDR_CHECKSUM"]
    struct.pack_into("<I", img, checksum_at, 0)
    total = sum(struct.unpack_from(f"<{len(img) // 4}I", img)) & 0xFFFFFFFF
    struct.pack_into("<I", img, checksum_at, (-total) & 0xFFFFFFFF)
    assert sum(struct.unpack_from(f"<{len(img) // 4}I", img)) & 0xFFFFFFFF == 0
    return bytes(img)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--layout", default=layout_inc.DEFAULT)
    p.add_argument("raw")
    p.add_argument("out")
    args = p.parse_args()
    try:
        lay = layout_inc.read(args.layout)
        with open(args.raw, "rb") as f:
            out = seal(f.read(), lay)
    except (OSError, ValueError, KeyError) as e:
        print(f"mkimage_seal: {e}", file=sys.stderr)
        return 1
    with open(args.out, "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
