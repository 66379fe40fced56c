#!/usr/bin/env python3
"""optionrom.py: seal a test option ROM (tests/qemu/roms/*.asm, assembled flat): pad it to
whole 512-byte blocks, write the block count at offset 2 and make the bytes sum to 0 mod 256,
as the BIOS checks before it runs the ROM.
usage: optionrom.py IN OUT"""
import sys


def seal(rom: bytes) -> bytes:
    if rom[:2] != b"\x55\xaa":
        raise ValueError("no 55 AA option ROM signature")
    blocks = (len(rom) + 1 + 511) // 512  # one byte more: the checksum
    out = bytearray(rom + bytes(blocks * 512 - len(rom)))
    out[2] = blocks
    out[-1] = (-sum(out[:-1])) & 0xFF
    return bytes(out)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[-1], file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], "rb") as f:
            rom = seal(f.read())
    except (OSError, ValueError) as e:
        print("optionrom: %s" % e, file=sys.stderr)
        return 1
    with open(sys.argv[2], "wb") as f:
        f.write(rom)
    return 0


if __name__ == "__main__":
    sys.exit(main())
