# stage2/boot.mk: the boot recipe's sources (owned by the stage2 recipe engineer).
# STAGE2_BOOT_SRCS: C files of stage2 itself; STAGE2_BOOT_ASM: its NASM files;
# STAGE2_CORE_SRCS: pure-core files stage2 links. Listing stage2/main.c here replaces the
# stand-in stage2/hello.c.
STAGE2_BOOT_SRCS :=
STAGE2_BOOT_ASM :=
STAGE2_CORE_SRCS :=
