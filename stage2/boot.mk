# stage2/boot.mk: the boot recipe's sources (owned by the stage2 recipe engineer).
# STAGE2_BOOT_SRCS: C files of stage2 itself; STAGE2_BOOT_ASM: its NASM files;
# STAGE2_CORE_SRCS: pure-core files stage2 links. Listing stage2/main.c here replaces the
# stand-in stage2/hello.c.
STAGE2_BOOT_SRCS := stage2/main.c stage2/memory.c stage2/disk.c stage2/cpu.c stage2/idt.c \
	stage2/kernel.c stage2/bootinfo.c
STAGE2_BOOT_ASM := stage2/handoff.asm stage2/idt_stubs.asm
STAGE2_CORE_SRCS := stage2/core/memmap.c stage2/core/memmap_sanitize.c \
	stage2/core/e820_detect.c stage2/core/e820_fallback.c stage2/core/mbr.c \
	stage2/core/paging.c stage2/core/fat32.c stage2/core/fat32_dir.c \
	stage2/core/elf.c stage2/core/elf_place.c stage2/core/elf_load.c \
	stage2/core/frames.c stage2/core/frames_bits.c stage2/core/frames_query.c \
	stage2/core/heap.c stage2/core/config.c stage2/core/config_parse.c \
	stage2/core/memtest.c stage2/core/rsdp.c
