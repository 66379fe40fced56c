#!/usr/bin/env python3
"""mkmodule.py: a test module in the pattern tests/kernels/common/modcheck.h describes.
usage: mkmodule.py SEED SIZE OUT"""
import struct
import sys


def module(seed, size):
    body = bytearray(b"MODTEST1" + struct.pack("<II", seed, size))
    body += bytes((i * 7 + (i >> 8) * 13 + seed) & 0xff for i in range(16, size))
    return bytes(body[:size])


def main():
    seed, size, out = int(sys.argv[1], 0), int(sys.argv[2], 0), sys.argv[3]
    with open(out, "wb") as f:
        f.write(module(seed, size))


if __name__ == "__main__":
    main()
