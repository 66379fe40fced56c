# libFuzzer harnesses for UEFI maps: the core's descriptor parser and conversion
# (fuzz_efi_memmap, seeds: none needed, any bytes are a map) and the inspector's UEFI
# readers (fuzz_efi_readers, seeds: tests/fixtures/efi/).
FUZZERS += fuzz_efi_memmap
fuzz_efi_memmap_SRCS := tests/fuzz/fuzz_efi_memmap.c $(CORE_EFI_MEMMAP_SRCS)
FUZZERS += fuzz_efi_readers
fuzz_efi_readers_SRCS := tests/fuzz/fuzz_efi_readers.c tools/e820/parse_detect.c \
	tools/e820/parse_fixture.c tools/e820/parse_dmesg.c tools/e820/parse_seabios.c \
	$(E820_EFI_READER_SRCS)
