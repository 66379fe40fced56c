# The E820 inspector's readers and writers under libFuzzer (tests/fuzz/fuzz_inspector.c).
FUZZERS += fuzz_inspector
fuzz_inspector_SRCS := tests/fuzz/fuzz_inspector.c tools/e820/parse_fixture.c \
	tools/e820/parse_dmesg.c tools/e820/parse_seabios.c tools/e820/parse_detect.c \
	$(E820_EFI_READER_SRCS) \
	tools/e820/output_table.c tools/e820/output_fixture.c tools/e820/output_json.c \
	tools/e820/output_totals.c tools/e820/output_picture.c tools/e820/output_efi.c \
	$(CORE_MEMMAP_SRCS) $(CORE_ERROR_SRCS)
