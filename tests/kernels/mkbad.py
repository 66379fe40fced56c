#!/usr/bin/env python3
"""mkbad.py KIND OUT [SRC]: write one of the bad kernels the QEMU boot tests feed the loader.

  truncated SRC  the first half of SRC (demo64.elf): headers intact, segments cut off
  notelf         4 KiB of text: no ELF magic at all
  overlap        ELF32 whose only segment has p_paddr 0x10000, inside stage2 (0x8000..0x60000)
  overlap64      the same for ELF64: loader memory is refused, not relocated around
  toolarge       ELF64 with a 4 GiB p_memsz (bss), more than the loader can place below 4 GiB
  mb1-badsum     a flat binary with a Multiboot 1 header whose checksum is off by one
  mb1-aout-inconsistent   a Multiboot 1 a.out kludge whose load_addr lies above header_addr
  mb1-aout-loader         a consistent a.out kludge that loads at 0x10000, over stage2

Hand-built with struct so every field is visible here; each has a PF_X segment holding the
entry point (cli; hlt; jmp $-2), so the only thing wrong is what the name says."""
import struct
import sys

HALT = bytes([0xFA, 0xF4, 0xEB, 0xFD])  # cli; hlt; jmp short back to hlt
PT_LOAD, PF_X, PF_W, PF_R = 1, 1, 2, 4


def ident(elfclass):
    # magic, class (1 = 32, 2 = 64), little-endian, version 1, System V ABI, padding
    return b"\x7fELF" + bytes([elfclass, 1, 1, 0]) + bytes(8)


def elf32(paddr, memsz_extra=0):
    ehsize, phsize = 52, 32
    code_off = ehsize + phsize
    filesz = code_off + len(HALT)
    entry = paddr + code_off
    eh = ident(1) + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, entry, ehsize, 0, 0, ehsize,
                                phsize, 1, 40, 0, 0)
    ph = struct.pack("<IIIIIIII", PT_LOAD, 0, paddr, paddr, filesz, filesz + memsz_extra,
                     PF_R | PF_X, 0x1000)
    return eh + ph + HALT


def elf64(vaddr, paddr, memsz):
    ehsize, phsize = 64, 56
    code_off = ehsize + phsize
    filesz = code_off + len(HALT)
    entry = vaddr + code_off
    eh = ident(2) + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, entry, ehsize, 0, 0, ehsize,
                                phsize, 1, 64, 0, 0)
    ph = struct.pack("<IIQQQQQQ", PT_LOAD, PF_R | PF_W | PF_X, 0, vaddr, paddr, filesz,
                     max(memsz, filesz), 0x1000)
    return eh + ph + HALT


MB1_MAGIC, MB1_AOUT = 0x1BADB002, 0x00010003


def mb1_aout(header_addr, load_addr, checksum_error=0):
    """A flat Multiboot 1 image: the header (a.out fields) at offset 0, the halt loop after
    it; load_addr .. header_addr as given, 4 KiB of bss, entry at the code."""
    size = 32 + len(HALT)
    words = [MB1_MAGIC, MB1_AOUT, (-(MB1_MAGIC + MB1_AOUT) + checksum_error) & 0xFFFFFFFF,
             header_addr, load_addr, load_addr + size, load_addr + size + 4096,
             header_addr + 32]
    return struct.pack("<8I", *words) + HALT


def main():
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "truncated":
        data = open(sys.argv[3], "rb").read()
        assert len(data) > 0x2000, "demo64.elf is smaller than expected"
        data = data[: len(data) // 2]
    elif kind == "notelf":
        data = (b"this is not an ELF file, it is a MultiOS boot-test input\n" * 80)[:4096]
    elif kind == "overlap":
        data = elf32(0x10000)
    elif kind == "overlap64":
        data = elf64(0xFFFFFFFF80010000, 0x10000, 0)
    elif kind == "toolarge":
        data = elf64(0xFFFFC00000000000, 0x100000, 1 << 32)
    elif kind == "mb1-badsum":
        data = mb1_aout(0x100000, 0x100000, checksum_error=1)
    elif kind == "mb1-aout-inconsistent":
        data = mb1_aout(0x100000, 0x100400)
    elif kind == "mb1-aout-loader":
        data = mb1_aout(0x10000, 0x10000)
    else:
        sys.exit("mkbad.py: unknown kind " + kind)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
