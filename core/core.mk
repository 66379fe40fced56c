# core/core.mk: the pure core's source sets, defined once. Each set is a module with every
# core file it needs to link, so a user names what it uses and nothing else; the Makefile
# removes the repeats when sets are combined. Core objects are built with -Iinclude -Icore
# only (Makefile: CORE_INC), so a core file that includes a stage2 header fails to compile.

CORE_ERROR_SRCS   := core/error.c
CORE_FORMAT_SRCS  := core/format.c
CORE_MEMMAP_SRCS  := core/memmap.c core/memmap_sanitize.c
CORE_FRAMES_SRCS  := core/frames.c core/frames_bits.c core/frames_query.c $(CORE_MEMMAP_SRCS)
CORE_CONFIG_SRCS  := core/config.c core/config_parse.c
CORE_HEAP_SRCS    := core/heap.c core/config.c $(CORE_FORMAT_SRCS) $(CORE_FRAMES_SRCS)
CORE_POOL_SRCS    := core/pool.c $(CORE_HEAP_SRCS)
CORE_MEMTEST_SRCS := core/memtest.c $(CORE_FRAMES_SRCS)
CORE_LOWMEM_SRCS  := core/lowmem.c $(CORE_FRAMES_SRCS)
CORE_ELF_SRCS     := core/elf.c core/elf_load.c $(CORE_FORMAT_SRCS) $(CORE_ERROR_SRCS)
CORE_ELF_PLACE_SRCS := core/elf_place.c $(CORE_ELF_SRCS) $(CORE_FRAMES_SRCS)
CORE_FAT32_SRCS   := core/fat32.c core/fat32_dir.c $(CORE_ERROR_SRCS)
CORE_MBR_SRCS     := core/mbr.c
CORE_CRC32_SRCS   := core/crc32.c
CORE_GPT_SRCS     := core/gpt.c $(CORE_CRC32_SRCS)
CORE_PAGING_SRCS  := core/paging.c
CORE_RSDP_SRCS    := core/rsdp.c
CORE_MULTIBOOT_SRCS := core/mb_header.c core/mb_place.c core/mb_info.c core/mb1_info.c \
	core/mb2_info.c $(CORE_ELF_PLACE_SRCS)
CORE_VIDEO_SRCS   := core/video_pick.c $(CORE_MEMMAP_SRCS)
CORE_EFI_MEMMAP_SRCS := core/efi_memmap.c core/efi_memmap_format.c $(CORE_MEMMAP_SRCS) \
	$(CORE_FORMAT_SRCS)
CORE_INFLATE_SRCS := core/inflate.c core/inflate_tables.c $(CORE_ERROR_SRCS)
CORE_GZIP_SRCS    := core/gzip.c $(CORE_CRC32_SRCS) $(CORE_INFLATE_SRCS)

# Everything: what stage2 links (the linker drops what it does not call).
CORE_SRCS := $(sort $(wildcard core/*.c))
