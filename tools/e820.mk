# build/e820: the memory-map inspector (tools/e820/, manual in tools/e820/README.md), linked
# against the same pure-core memory-map code stage2 runs and the UEFI map code a UEFI loader
# runs.
# The UEFI readers with the core they convert through (tests and fuzzers name this set).
E820_EFI_READER_SRCS := tools/e820/parse_efi.c tools/e820/parse_efi_dmesg.c \
	tools/e820/parse_efi_shell.c $(CORE_EFI_MEMMAP_SRCS) $(CORE_ERROR_SRCS)
TOOLS += e820
e820_SRCS := tools/e820/main.c tools/e820/load.c \
	tools/e820/parse_fixture.c tools/e820/parse_dmesg.c tools/e820/parse_seabios.c \
	tools/e820/parse_sysfs.c tools/e820/parse_detect.c $(E820_EFI_READER_SRCS) \
	tools/e820/output_table.c tools/e820/output_fixture.c tools/e820/output_json.c \
	tools/e820/output_totals.c tools/e820/output_picture.c tools/e820/output_efi.c \
	$(CORE_MEMMAP_SRCS) $(CORE_ERROR_SRCS)
